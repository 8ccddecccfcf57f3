//! The computed holidays equal the published table for 1970–2050, name for name.

use deskform_core::jp_holidays::holidays_in_year;
use deskform_core::Locale;

/// Japan's national holidays 1970–2050 as published (`YYYY-MM-DD: name`), public data kept
/// beside the test so that a clone of the repository alone passes its own tests. The product
/// computes holidays by the law's rules and never reads this table.
const FIXTURE: &str = include_str!("fixtures/jp-holidays-1970-2050.yml");

fn fixture_lines() -> Vec<String> {
    FIXTURE
        .lines()
        .filter(|l| !l.trim().is_empty() && *l != "---")
        .map(str::to_owned)
        .collect()
}

#[test]
fn equals_the_published_table_1970_to_2050() {
    let expected = fixture_lines();
    assert_eq!(expected.len(), 1329, "fixture changed shape");
    let computed: Vec<String> = (1970..=2050)
        .flat_map(|y| holidays_in_year(y).unwrap())
        .map(|h| format!("{}: {}", h.date, h.name(Locale::Ja)))
        .collect();
    let missing: Vec<_> = expected.iter().filter(|l| !computed.contains(l)).collect();
    let extra: Vec<_> = computed.iter().filter(|l| !expected.contains(l)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing from computation: {missing:#?}\nnot in the table: {extra:#?}"
    );
    assert_eq!(computed, expected);
}

/// Outside the table: the rules' invariants for every year, and days known from the Cabinet
/// Office's published list (which starts in 1955).
#[test]
fn every_year_keeps_the_laws_invariants() {
    use deskform_core::{HolidayKind, Weekday, JP_HOLIDAY_YEARS};
    for year in JP_HOLIDAY_YEARS {
        let holidays = holidays_in_year(year).unwrap();
        assert!(
            holidays.windows(2).all(|w| w[0].date < w[1].date),
            "{year}: sorted, one a day"
        );
        assert!(holidays.iter().all(|h| h.date.year() == year));
        let is_national = |date| {
            holidays
                .iter()
                .any(|h| h.date == date && matches!(h.kind, HolidayKind::National(_)))
        };
        for h in &holidays {
            match h.kind {
                HolidayKind::National(_) => {}
                HolidayKind::Substitute(named_after) => {
                    assert!(year >= 1973, "{year}: no substitute holidays before 1973");
                    // Walking back over national holidays reaches one on a Sunday, and the
                    // substitute bears that Sunday holiday's name.
                    let mut day = h.date.previous().unwrap();
                    while is_national(day) && day.weekday() != Weekday::Sunday {
                        day = day.previous().unwrap();
                    }
                    assert!(
                        is_national(day) && day.weekday() == Weekday::Sunday,
                        "{}",
                        h.date
                    );
                    assert!(
                        holidays
                            .iter()
                            .any(|s| s.date == day && s.kind == HolidayKind::National(named_after)),
                        "{} is named after {named_after:?}, not the holiday of Sunday {day}",
                        h.date
                    );
                }
                HolidayKind::Citizens => {
                    assert!(year >= 1986);
                    assert!(is_national(h.date.previous().unwrap()), "{}", h.date);
                    assert!(is_national(h.date.next().unwrap()), "{}", h.date);
                }
            }
        }
        let count = holidays.len();
        assert!((9..=22).contains(&count), "{year}: {count} holidays");
    }
}

#[test]
fn equinoxes_before_1970_match_the_published_list() {
    let equinoxes: Vec<String> = (1955..=1969)
        .flat_map(|y| holidays_in_year(y).unwrap())
        .filter(|h| h.name(Locale::Ja).ends_with("分の日"))
        .map(|h| h.date.to_string())
        .collect();
    #[rustfmt::skip]
    let published = [
        "1955-03-21", "1955-09-24", "1956-03-21", "1956-09-23", "1957-03-21", "1957-09-23",
        "1958-03-21", "1958-09-23", "1959-03-21", "1959-09-24", "1960-03-20", "1960-09-23",
        "1961-03-21", "1961-09-23", "1962-03-21", "1962-09-23", "1963-03-21", "1963-09-24",
        "1964-03-20", "1964-09-23", "1965-03-21", "1965-09-23", "1966-03-21", "1966-09-23",
        "1967-03-21", "1967-09-24", "1968-03-20", "1968-09-23", "1969-03-21", "1969-09-23",
    ];
    assert_eq!(equinoxes, published);
    let names_1959: Vec<String> = holidays_in_year(1959)
        .unwrap()
        .iter()
        .map(|h| format!("{} {}", h.date, h.name(Locale::Ja)))
        .collect();
    assert_eq!(
        names_1959,
        [
            "1959-01-01 元日",
            "1959-01-15 成人の日",
            "1959-03-21 春分の日",
            "1959-04-10 結婚の儀",
            "1959-04-29 天皇誕生日",
            "1959-05-03 憲法記念日",
            "1959-05-05 こどもの日",
            "1959-09-24 秋分の日",
            "1959-11-03 文化の日",
            "1959-11-23 勤労感謝の日",
        ]
    );
}
