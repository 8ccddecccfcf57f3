//! Properties of the reply date over random days and calendars, and the catalog reader over
//! arbitrary bytes and mutated catalogs: it never panics, and what it accepts is usable.

use deskform_core::{
    BusinessCalendar, BusinessDays, Catalog, Closure, ClosureDates, Date, HolidaySet, Locale,
    LocalizedText, MonthDay, NonBusinessDay, Viewer, Weekday, Weekend, BUILTIN_CATALOG_JSON,
};
use proptest::prelude::*;
use proptest::strategy::ValueTree;

fn any_date() -> impl Strategy<Value = Date> {
    // 1950–2110 crosses both ends of the holiday table.
    let first = Date::from_ymd(1950, 1, 1).unwrap();
    (0..59_000i32).prop_map(move |d| first.add_days(d).unwrap())
}

fn any_calendar() -> impl Strategy<Value = BusinessCalendar> {
    let weekend = proptest::sample::subsequence(Weekday::ALL.to_vec(), 0..=6)
        .prop_map(|days| Weekend::new(days).unwrap());
    let holidays = prop_oneof![Just(HolidaySet::Jp), Just(HolidaySet::None)];
    let closure = (
        any_date(),
        0..40i32,
        1..=12u32,
        1..=28u32,
        1..=12u32,
        1..=28u32,
        any::<bool>(),
    )
        .prop_map(|(from, len, m1, d1, m2, d2, yearly)| Closure {
            dates: if yearly {
                ClosureDates::EveryYear {
                    from: MonthDay::new(m1, d1).unwrap(),
                    to: MonthDay::new(m2, d2).unwrap(),
                }
            } else {
                ClosureDates::Once {
                    from,
                    to: from.add_days(len).unwrap(),
                }
            },
            name: LocalizedText::new(Locale::En, "closed"),
        });
    (
        weekend,
        holidays,
        proptest::collection::vec(closure, 0..4),
        proptest::collection::vec(any_date(), 0..4),
    )
        .prop_map(|(weekend, holidays, closures, working)| {
            BusinessCalendar::new("Asia/Tokyo", weekend, holidays)
                .with_closures(closures)
                .with_working_dates(working)
        })
}

fn any_days() -> impl Strategy<Value = BusinessDays> {
    (1..=60u32).prop_map(|n| BusinessDays::new(n).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn due_date_is_the_nth_business_day_strictly_after_receipt(
        calendar in any_calendar(), received in any_date(), n in any_days(),
    ) {
        let reply = match calendar.reply_due_date(received, n) {
            Ok(reply) => reply,
            Err(e) => {
                // Only when the calendar really has fewer than N business days in the window.
                let mut day = received;
                let mut business = 0;
                for _ in 0..BusinessCalendar::SEARCH_DAYS {
                    day = day.next().unwrap();
                    business += u32::from(calendar.is_business_day(day));
                }
                prop_assert!(business < n.get(), "{e}");
                return Ok(());
            }
        };
        prop_assert!(reply.due > received);
        prop_assert!(calendar.is_business_day(reply.due));
        // Exactly N business days in (received, due], and every other day is listed as skipped.
        let mut business = 0;
        let mut skipped = Vec::new();
        let mut day = received.next().unwrap();
        while day <= reply.due {
            match calendar.non_business_day(day) {
                None => business += 1,
                Some(reason) => skipped.push((day, reason)),
            }
            day = day.next().unwrap();
        }
        prop_assert_eq!(business, n.get());
        let listed: Vec<_> = reply.skipped.iter().map(|s| (s.date, s.reason)).collect();
        prop_assert_eq!(listed, skipped);
    }

    #[test]
    fn a_larger_n_is_never_earlier(
        calendar in any_calendar(), received in any_date(), n in 1..60u32,
    ) {
        let sooner = calendar.reply_due_date(received, BusinessDays::new(n).unwrap());
        let later = calendar.reply_due_date(received, BusinessDays::new(n + 1).unwrap());
        match (sooner, later) {
            (Ok(sooner), Ok(later)) => prop_assert!(later.due > sooner.due),
            (Ok(_), Err(_)) | (Err(_), Err(_)) => {}
            (Err(e), Ok(_)) => prop_assert!(false, "N failed but N + 1 did not: {e}"),
        }
    }

    #[test]
    fn a_later_receipt_is_never_answered_earlier(
        calendar in any_calendar(), received in any_date(), gap in 0..30i32, n in any_days(),
    ) {
        let first = calendar.reply_due_date(received, n);
        let second = calendar.reply_due_date(received.add_days(gap).unwrap(), n);
        if let (Ok(first), Ok(second)) = (first, second) {
            prop_assert!(second.due >= first.due);
        }
    }

    #[test]
    fn skipped_days_say_why_truthfully(received in any_date(), n in any_days()) {
        let calendar = BusinessCalendar::japan();
        let reply = calendar.reply_due_date(received, n).unwrap();
        for s in reply.skipped {
            match s.reason {
                NonBusinessDay::Weekend(day) => {
                    prop_assert_eq!(day, s.date.weekday());
                    prop_assert!(matches!(day, Weekday::Saturday | Weekday::Sunday));
                }
                NonBusinessDay::Holiday(h) => prop_assert_eq!(h.date, s.date),
                NonBusinessDay::Closure(_) => prop_assert!(false, "the built-in calendar has no closures"),
            }
        }
    }
}

/// Any day of the whole range, 0001-01-01 to 9999-12-31.
fn any_date_in_range() -> impl Strategy<Value = Date> {
    (0..=Date::MIN.days_until(Date::MAX)).prop_map(|d| Date::MIN.add_days(d).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5000))]

    #[test]
    fn a_date_prints_as_yyyy_mm_dd_and_parses_back(date in any_date_in_range()) {
        let text = date.to_string();
        let (year, month, day) = date.ymd();
        prop_assert_eq!(&text, &format!("{year:04}-{month:02}-{day:02}"));
        prop_assert_eq!(text.parse::<Date>(), Ok(date));
        let json = serde_json::to_string(&date).unwrap();
        prop_assert_eq!(&json, &format!("\"{text}\""));
        prop_assert_eq!(serde_json::from_str::<Date>(&json).unwrap(), date);
        let month_day = MonthDay::of(date);
        prop_assert_eq!(month_day.to_string().parse::<MonthDay>(), Ok(month_day));
        prop_assert_eq!(&month_day.to_string(), &text[5..]);
    }

    #[test]
    fn adding_days_agrees_with_chrono(date in any_date_in_range(), days in any::<i32>()) {
        let ours = date.add_days(days);
        let theirs = chrono::NaiveDate::from(date)
            .checked_add_signed(chrono::TimeDelta::days(days.into()))
            .filter(|d| (1..=9999).contains(&chrono::Datelike::year(d)));
        prop_assert_eq!(ours.map(chrono::NaiveDate::from), theirs);
        if let Some(later) = ours {
            prop_assert_eq!(date.days_until(later), days);
            prop_assert_eq!(later.add_days(-days), Some(date));
            let weekday = (i64::from(date.weekday().monday_index()) + i64::from(days)).rem_euclid(7);
            prop_assert_eq!(later.weekday(), Weekday::ALL[weekday as usize]);
        }
    }

    #[test]
    fn small_steps_agree_with_chrono(date in any_date_in_range(), days in -800..800i32) {
        let theirs = chrono::NaiveDate::from(date)
            .checked_add_signed(chrono::TimeDelta::days(days.into()))
            .filter(|d| (1..=9999).contains(&chrono::Datelike::year(d)));
        prop_assert_eq!(date.add_days(days).map(chrono::NaiveDate::from), theirs);
    }

    #[test]
    fn year_month_day_is_a_date_exactly_when_chrono_says_so(
        year in -5..10_005i32, month in 0..=13u32, day in 0..=32u32,
    ) {
        let text = format!("{year:04}-{month:02}-{day:02}");
        match chrono::NaiveDate::from_ymd_opt(year, month, day) {
            Some(theirs) if (1..=9999).contains(&year) => {
                let ours = Date::from_ymd(year, month, day).unwrap();
                prop_assert_eq!(chrono::NaiveDate::from(ours), theirs);
                prop_assert_eq!(text.parse::<Date>(), Ok(ours));
                prop_assert_eq!(ours.weekday().monday_index() as u32,
                    chrono::Datelike::weekday(&theirs).num_days_from_monday());
            }
            _ => {
                prop_assert!(Date::from_ymd(year, month, day).is_err());
                prop_assert!(text.parse::<Date>().is_err());
            }
        }
    }

    #[test]
    fn parsing_any_text_never_panics(text in "[0-9+ -]{0,12}|\\PC{0,12}") {
        if let Ok(date) = text.parse::<Date>() {
            prop_assert_eq!(&date.to_string(), &text);
        }
        if let Ok(month_day) = text.parse::<MonthDay>() {
            prop_assert_eq!(&month_day.to_string(), &text);
        }
    }
}

#[test]
fn dates_in_json_say_what_is_wrong() {
    let error = |json: &str| serde_json::from_str::<Date>(json).unwrap_err().to_string();
    assert_eq!(
        error("\"2026-02-30\""),
        "2026-02 has no day 30 at line 1 column 12"
    );
    assert_eq!(
        error("\"2026-2-3\""),
        "expected a date as YYYY-MM-DD at line 1 column 10"
    );
    assert_eq!(
        error("20260203"),
        "invalid type: integer `20260203`, expected a date as YYYY-MM-DD at line 1 column 8"
    );
    let month_day = |json: &str| {
        serde_json::from_str::<MonthDay>(json)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        month_day("\"13-01\""),
        "month 13 is outside 1..=12 at line 1 column 7"
    );
    assert_eq!(
        serde_json::to_string(&MonthDay::new(2, 29).unwrap()).unwrap(),
        "\"02-29\""
    );
}

/// Checks that an accepted catalog can be used for every viewer and desk without panicking.
fn exercise(catalog: &Catalog) {
    let mut viewers = vec![Viewer::SignedOut];
    viewers.extend(
        catalog
            .plans()
            .iter()
            .map(|p| Viewer::SignedIn { plan: p.id.clone() }),
    );
    for viewer in &viewers {
        assert_eq!(catalog.desks_for(viewer).len(), catalog.desks().len());
    }
    let day = Date::from_ymd(2026, 12, 25).unwrap();
    for desk in catalog.desks() {
        let reply = catalog.reply_due(desk, day).unwrap();
        assert!(reply.due > day);
        for locale in Locale::ALL {
            assert!(!desk.name.get(locale).is_empty());
        }
    }
}

/// Checks that a rejection is well formed: problems with paths and positions inside the text.
fn check_rejection(text: &str, catalog: Result<Catalog, deskform_core::ParseCatalogError>) {
    match catalog {
        Ok(catalog) => exercise(&catalog),
        Err(e) => {
            assert!(!e.problems.is_empty());
            let lines = text.split('\n').count();
            for p in &e.problems {
                assert!(p.path.starts_with('$'), "{p}");
                assert!(p.position.line >= 1 && p.position.line <= lines, "{p}");
                assert!(p.position.column >= 1, "{p}");
                assert!(!p.message.is_empty());
            }
        }
    }
}

/// Pieces of JSON that make mutations likely to stay parseable and reach the validator.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "null",
    "true",
    "false",
    "0",
    "-1",
    "61",
    "1e400",
    "0.5",
    "\"paid\"",
    "\"everyone\"",
    "\"x\"",
    "\"2026-02-29\"",
    "\"12-31\"",
    "\"\\ud800\"",
    "\"ja\"",
    "\"id\"",
    "\"usage\"",
    "\"login\"",
    "\"free\"",
    "[]",
    "{}",
    "\"\"",
    " ",
    "\n",
    "é",
    "\u{0}",
];

#[derive(Debug, Clone)]
enum Mutation {
    Delete { at: usize, len: usize },
    Insert { at: usize, token: usize },
    Replace { at: usize, len: usize, token: usize },
    Duplicate { at: usize, len: usize },
}

fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for m in mutations {
        let n = bytes.len().max(1);
        match *m {
            Mutation::Delete { at, len } => {
                let at = at % n;
                let end = (at + len).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            Mutation::Insert { at, token } => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, TOKENS[token % TOKENS.len()].bytes());
            }
            Mutation::Replace { at, len, token } => {
                let at = at % n;
                let end = (at + len).min(bytes.len());
                bytes.splice(at.min(end)..end, TOKENS[token % TOKENS.len()].bytes());
            }
            Mutation::Duplicate { at, len } => {
                let at = at % n;
                let end = (at + len).min(bytes.len());
                let piece = bytes[at.min(end)..end].to_vec();
                bytes.splice(end..end, piece);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn any_mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1..40usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), any::<usize>()).prop_map(|(at, token)| Mutation::Insert { at, token }),
        (any::<usize>(), 1..12usize, any::<usize>())
            .prop_map(|(at, len, token)| Mutation::Replace { at, len, token }),
        (any::<usize>(), 1..400usize).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let result = Catalog::from_json_bytes(&bytes);
        prop_assert!(result.is_err() || std::str::from_utf8(&bytes).is_ok());
        if let Ok(text) = std::str::from_utf8(&bytes) {
            check_rejection(text, result);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        check_rejection(&text, Catalog::from_json(&text));
    }

    #[test]
    fn mutated_catalogs_never_panic(mutations in proptest::collection::vec(any_mutation(), 1..6)) {
        let text = mutate(BUILTIN_CATALOG_JSON, &mutations);
        check_rejection(&text, Catalog::from_json(&text));
    }
}

#[test]
fn mutations_reach_the_validator() {
    // Guard against a fuzz test that only ever exercises the JSON syntax errors: a fair share
    // of single mutations must parse as JSON and fail (or pass) validation.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = proptest::collection::vec(any_mutation(), 1..2);
    let (mut valid, mut invalid_catalog, mut bad_json) = (0, 0, 0);
    for _ in 0..2000 {
        let mutations = strategy.new_tree(&mut runner).unwrap().current();
        let text = mutate(BUILTIN_CATALOG_JSON, &mutations);
        match Catalog::from_json(&text) {
            Ok(_) => valid += 1,
            Err(e) if e.problems[0].message.starts_with("invalid JSON") => bad_json += 1,
            Err(_) => invalid_catalog += 1,
        }
    }
    assert!(
        invalid_catalog > 100,
        "{valid} valid, {invalid_catalog} invalid, {bad_json} bad JSON"
    );
    assert!(
        valid > 50,
        "{valid} valid, {invalid_catalog} invalid, {bad_json} bad JSON"
    );
}
