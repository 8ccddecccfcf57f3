//! Reply due dates, table-driven: weekends, Golden Week, Silver Week and the year end.

use deskform_core::{Catalog, Date, Locale, NonBusinessDay, BUILTIN_CATALOG_JSON};

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

/// `(due, skipped days as "YYYY-MM-DD reason")` for `desk` of `catalog`, received on `received`.
fn due(catalog: &Catalog, desk: &str, received: &str) -> (String, Vec<String>) {
    let desk = catalog.desk(desk).unwrap();
    let reply = catalog.reply_due(desk, date(received)).unwrap();
    assert_eq!(reply.received_on, date(received));
    let skipped = reply
        .skipped
        .iter()
        .map(|s| {
            let why = match s.reason {
                NonBusinessDay::Weekend(day) => format!("weekend {}", day.short_name()),
                NonBusinessDay::Holiday(h) => format!("holiday {}", h.name(Locale::En)),
                NonBusinessDay::Closure(c) => format!("closure {}", c.name.get(Locale::En)),
            };
            format!("{} {why}", s.date)
        })
        .collect();
    (reply.due.to_string(), skipped)
}

/// One row: desk, day of receipt (desk time), due date, the skipped days.
type Row<'a> = (&'a str, &'a str, &'a str, &'a [&'a str]);

fn assert_table(catalog: &Catalog, table: &[Row]) {
    for &(desk, received, expected_due, expected_skipped) in table {
        let (got_due, got_skipped) = due(catalog, desk, received);
        let got_skipped: Vec<&str> = got_skipped.iter().map(String::as_str).collect();
        assert_eq!(
            (got_due.as_str(), got_skipped),
            (expected_due, expected_skipped.to_vec()),
            "{desk} received {received}"
        );
    }
}

#[test]
fn builtin_policy() {
    let c = Catalog::builtin();
    #[rustfmt::skip]
    let table: &[Row] = &[
        // desk, received (Tokyo day), due, skipped
        ("usage", "2026-11-24", "2026-11-25", &[]),                     // Tue → Wed
        ("usage", "2026-11-27", "2026-11-30", &["2026-11-28 weekend Sat", "2026-11-29 weekend Sun"]),
        ("usage", "2026-11-28", "2026-11-30", &["2026-11-29 weekend Sun"]), // received Saturday → Monday
        ("usage", "2026-11-29", "2026-11-30", &[]),                     // received Sunday → Monday
        ("login", "2026-11-27", "2026-12-01", &["2026-11-28 weekend Sat", "2026-11-29 weekend Sun"]),
        // Monday 23 Nov 2026 is Labour Thanksgiving Day.
        ("usage", "2026-11-20", "2026-11-24", &["2026-11-21 weekend Sat", "2026-11-22 weekend Sun",
                                                 "2026-11-23 holiday Labour Thanksgiving Day"]),
        ("usage", "2026-11-23", "2026-11-24", &[]),                     // received on the holiday
        // Golden Week 2026: 3 May is a Sunday, so 6 May is its substitute holiday.
        ("usage", "2026-05-01", "2026-05-07", &["2026-05-02 weekend Sat",
                                                 "2026-05-03 holiday Constitution Memorial Day",
                                                 "2026-05-04 holiday Greenery Day",
                                                 "2026-05-05 holiday Children's Day",
                                                 "2026-05-06 holiday Substitute holiday for Constitution Memorial Day"]),
        ("login", "2026-04-28", "2026-05-01", &["2026-04-29 holiday Shōwa Day"]),
        ("login", "2026-05-01", "2026-05-08", &["2026-05-02 weekend Sat",
                                                 "2026-05-03 holiday Constitution Memorial Day",
                                                 "2026-05-04 holiday Greenery Day",
                                                 "2026-05-05 holiday Children's Day",
                                                 "2026-05-06 holiday Substitute holiday for Constitution Memorial Day"]),
        // Silver Week 2026: 22 Sep sits between two holidays and becomes a citizens' holiday.
        ("usage", "2026-09-18", "2026-09-24", &["2026-09-19 weekend Sat", "2026-09-20 weekend Sun",
                                                 "2026-09-21 holiday Respect for the Aged Day",
                                                 "2026-09-22 holiday Citizens' Holiday",
                                                 "2026-09-23 holiday Autumnal Equinox Day"]),
        // The year end: only New Year's Day is a holiday in the built-in policy.
        ("usage", "2026-12-31", "2027-01-04", &["2027-01-01 holiday New Year's Day",
                                                 "2027-01-02 weekend Sat", "2027-01-03 weekend Sun"]),
        ("login", "2026-12-30", "2027-01-04", &["2027-01-01 holiday New Year's Day",
                                                 "2027-01-02 weekend Sat", "2027-01-03 weekend Sun"]),
        // Coming of Age Day 2027 is the second Monday of January.
        ("usage", "2027-01-08", "2027-01-12", &["2027-01-09 weekend Sat", "2027-01-10 weekend Sun",
                                                 "2027-01-11 holiday Coming of Age Day"]),
    ];
    assert_table(c, table);
}

#[test]
fn year_end_closure_and_extra_working_day() {
    let json = BUILTIN_CATALOG_JSON.replace(
        "\"holidays\": \"jp\"",
        r#""holidays": "jp",
    "closures": [
      {"from": "12-29", "to": "01-03", "name": {"en": "Year-end closure", "ja": "年末年始休業"}},
      {"from": "2027-08-13", "to": "2027-08-16", "name": {"en": "Obon"}}
    ],
    "extra_working_days": ["2027-01-09"]"#,
    );
    let c = Catalog::from_json(&json).unwrap();
    #[rustfmt::skip]
    let table: &[Row] = &[
        ("usage", "2026-12-28", "2027-01-04", &["2026-12-29 closure Year-end closure",
                                                 "2026-12-30 closure Year-end closure",
                                                 "2026-12-31 closure Year-end closure",
                                                 "2027-01-01 holiday New Year's Day",
                                                 "2027-01-02 closure Year-end closure",
                                                 "2027-01-03 closure Year-end closure"]),
        // The same closure comes back every year.
        ("usage", "2031-12-28", "2032-01-05", &["2031-12-29 closure Year-end closure",
                                                 "2031-12-30 closure Year-end closure",
                                                 "2031-12-31 closure Year-end closure",
                                                 "2032-01-01 holiday New Year's Day",
                                                 "2032-01-02 closure Year-end closure",
                                                 "2032-01-03 closure Year-end closure",
                                                 "2032-01-04 weekend Sun"]),
        // Saturday 9 January 2027 is declared a working day.
        ("usage", "2027-01-08", "2027-01-09", &[]),
        ("login", "2027-01-08", "2027-01-12", &["2027-01-10 weekend Sun",
                                                 "2027-01-11 holiday Coming of Age Day"]),
        ("usage", "2027-08-12", "2027-08-17", &["2027-08-13 closure Obon", "2027-08-14 closure Obon",
                                                 "2027-08-15 closure Obon", "2027-08-16 closure Obon"]),
    ];
    assert_table(&c, table);
}

#[test]
fn holiday_names_in_every_language() {
    let c = Catalog::builtin();
    let reply = c
        .reply_due(c.desk("usage").unwrap(), date("2026-11-20"))
        .unwrap();
    let NonBusinessDay::Holiday(h) = reply.skipped[2].reason else {
        panic!("23 Nov 2026 is a holiday")
    };
    assert_eq!(h.name(Locale::Ja), "勤労感謝の日");
    assert_eq!(h.name(Locale::En), "Labour Thanksgiving Day");
    assert_eq!(h.name(Locale::Vi), "Ngày Cảm tạ Lao động");
}
