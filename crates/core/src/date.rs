//! Civil (calendar) dates with no time zone and no clock: "today" always comes in from outside.

use std::fmt;
use std::str::FromStr;

/// A day of the proleptic Gregorian calendar, years 1 to 9999.
///
/// Stored as a day number so that stepping through days costs an addition.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01.
    days: i32,
}

/// A day of the week.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

/// Why a `YYYY-MM-DD` text or a year/month/day triple is not a date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvalidDateError {
    /// Not of the form `YYYY-MM-DD`.
    Format,
    /// The year is outside 1..=9999.
    Year(i32),
    /// The month is outside 1..=12.
    Month(u32),
    /// The day does not exist in that month.
    Day { year: i32, month: u32, day: u32 },
}

impl fmt::Display for InvalidDateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Format => f.write_str("expected a date as YYYY-MM-DD"),
            Self::Year(y) => write!(f, "year {y} is outside 1..=9999"),
            Self::Month(m) => write!(f, "month {m} is outside 1..=12"),
            Self::Day { year, month, day } => {
                write!(f, "{year:04}-{month:02} has no day {day}")
            }
        }
    }
}

impl std::error::Error for InvalidDateError {}

/// Whether `year` has a 29 February.
pub const fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days in `month` (1..=12) of `year`.
pub const fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days, valid far beyond 1..=9999.
const fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy as i32;
    era * 146_097 + doe - 719_468
}

const fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

const MIN_DAYS: i32 = days_from_civil(1, 1, 1);
const MAX_DAYS: i32 = days_from_civil(9999, 12, 31);

impl Date {
    /// The earliest date: 0001-01-01.
    pub const MIN: Date = Date { days: MIN_DAYS };
    /// The latest date: 9999-12-31.
    pub const MAX: Date = Date { days: MAX_DAYS };

    /// The date `year-month-day`, if it exists.
    pub const fn from_ymd(year: i32, month: u32, day: u32) -> Result<Date, InvalidDateError> {
        if year < 1 || year > 9999 {
            return Err(InvalidDateError::Year(year));
        }
        if month < 1 || month > 12 {
            return Err(InvalidDateError::Month(month));
        }
        if day < 1 || day > days_in_month(year, month) {
            return Err(InvalidDateError::Day { year, month, day });
        }
        Ok(Date {
            days: days_from_civil(year, month, day),
        })
    }

    /// `(year, month, day)`.
    pub const fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.days)
    }

    /// The year.
    pub const fn year(self) -> i32 {
        self.ymd().0
    }

    /// The month, 1..=12.
    pub const fn month(self) -> u32 {
        self.ymd().1
    }

    /// The day of the month, 1..=31.
    pub const fn day(self) -> u32 {
        self.ymd().2
    }

    /// The day of the week.
    pub const fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday (index 3 counting from Monday = 0).
        Weekday::from_monday_index((self.days + 3).rem_euclid(7) as u8)
    }

    /// Days since 1970-01-01 (negative before it).
    pub const fn days_since_epoch(self) -> i32 {
        self.days
    }

    /// The date `days` days later (earlier when negative), if within 1..=9999.
    pub const fn add_days(self, days: i32) -> Option<Date> {
        match self.days.checked_add(days) {
            Some(d) if d >= MIN_DAYS && d <= MAX_DAYS => Some(Date { days: d }),
            _ => None,
        }
    }

    /// The next day, if any.
    pub const fn next(self) -> Option<Date> {
        self.add_days(1)
    }

    /// The previous day, if any.
    pub const fn previous(self) -> Option<Date> {
        self.add_days(-1)
    }

    /// Whole days from `self` to `other` (positive when `other` is later).
    pub const fn days_until(self, other: Date) -> i32 {
        other.days - self.days
    }

    /// The `n`-th (1-based) `weekday` of `month` in `year`, e.g. the 2nd Monday of January.
    pub fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u32) -> Option<Date> {
        let first = Date::from_ymd(year, month, 1).ok()?;
        let offset =
            (7 + weekday.monday_index() as i32 - first.weekday().monday_index() as i32) % 7;
        let date = first.add_days(offset + 7 * (n as i32 - 1))?;
        (date.month() == month).then_some(date)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

fn parse_digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0, |n, b| n * 10 + u32::from(b - b'0')))
}

impl FromStr for Date {
    type Err = InvalidDateError;

    /// Parses exactly `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(InvalidDateError::Format);
        }
        let year = parse_digits(&b[0..4]).ok_or(InvalidDateError::Format)?;
        let month = parse_digits(&b[5..7]).ok_or(InvalidDateError::Format)?;
        let day = parse_digits(&b[8..10]).ok_or(InvalidDateError::Format)?;
        Date::from_ymd(year as i32, month, day)
    }
}

/// A day of the year without a year (`MM-DD`), for closures that come back every year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonthDay {
    month: u8,
    day: u8,
}

impl MonthDay {
    /// `month`-`day`, if some year has it (29 February counts).
    pub fn new(month: u32, day: u32) -> Option<MonthDay> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(2000, month)).then_some(
            MonthDay {
                month: month as u8,
                day: day as u8,
            },
        )
    }

    /// The month-day of `date`.
    pub fn of(date: Date) -> MonthDay {
        let (_, m, d) = date.ymd();
        MonthDay {
            month: m as u8,
            day: d as u8,
        }
    }

    /// The month, 1..=12.
    pub fn month(self) -> u32 {
        self.month.into()
    }

    /// The day of the month.
    pub fn day(self) -> u32 {
        self.day.into()
    }
}

impl fmt::Display for MonthDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

impl FromStr for MonthDay {
    type Err = InvalidDateError;

    /// Parses exactly `MM-DD`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.as_bytes();
        if b.len() != 5 || b[2] != b'-' {
            return Err(InvalidDateError::Format);
        }
        let month = parse_digits(&b[0..2]).ok_or(InvalidDateError::Format)?;
        let day = parse_digits(&b[3..5]).ok_or(InvalidDateError::Format)?;
        if !(1..=12).contains(&month) {
            return Err(InvalidDateError::Month(month));
        }
        MonthDay::new(month, day).ok_or(InvalidDateError::Day {
            year: 2000,
            month,
            day,
        })
    }
}

impl Weekday {
    /// Monday first, as ISO 8601 counts.
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    /// 0 for Monday up to 6 for Sunday.
    pub const fn monday_index(self) -> u8 {
        self as u8
    }

    /// The day after this one.
    pub const fn next(self) -> Weekday {
        Weekday::from_monday_index((self.monday_index() + 1) % 7)
    }

    const fn from_monday_index(i: u8) -> Weekday {
        match i {
            0 => Weekday::Monday,
            1 => Weekday::Tuesday,
            2 => Weekday::Wednesday,
            3 => Weekday::Thursday,
            4 => Weekday::Friday,
            5 => Weekday::Saturday,
            _ => Weekday::Sunday,
        }
    }

    /// The lower-case English name used in catalogs: `monday` … `sunday`.
    pub const fn id(self) -> &'static str {
        match self {
            Weekday::Monday => "monday",
            Weekday::Tuesday => "tuesday",
            Weekday::Wednesday => "wednesday",
            Weekday::Thursday => "thursday",
            Weekday::Friday => "friday",
            Weekday::Saturday => "saturday",
            Weekday::Sunday => "sunday",
        }
    }

    /// Three-letter English abbreviation, for command output.
    pub fn short_name(self) -> &'static str {
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][self.monday_index() as usize]
    }
}

/// A name that is not a weekday.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseWeekdayError(pub String);

impl fmt::Display for ParseWeekdayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown weekday \"{}\"; expected one of monday, tuesday, wednesday, thursday, friday, saturday, sunday",
            self.0
        )
    }
}

impl std::error::Error for ParseWeekdayError {}

impl FromStr for Weekday {
    type Err = ParseWeekdayError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Weekday::ALL
            .into_iter()
            .find(|w| w.id() == s)
            .ok_or_else(|| ParseWeekdayError(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_day_of_four_centuries() {
        let mut date = Date::from_ymd(1900, 1, 1).unwrap();
        let end = Date::from_ymd(2300, 1, 1).unwrap();
        let mut expected_weekday = Weekday::Monday; // 1900-01-01 was a Monday
        while date < end {
            let (y, m, d) = date.ymd();
            assert_eq!(Date::from_ymd(y, m, d), Ok(date));
            assert_eq!(date.to_string().parse::<Date>(), Ok(date));
            assert_eq!(date.weekday(), expected_weekday);
            expected_weekday =
                Weekday::from_monday_index((expected_weekday.monday_index() + 1) % 7);
            date = date.next().unwrap();
        }
    }

    #[test]
    fn rejects_dates_that_do_not_exist() {
        for text in [
            "2026-02-29",
            "2100-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "0000-01-01",
            "2026-1-01",
            "2026/01/01",
            "２０２６-01-01",
            "+026-01-01",
            "",
        ] {
            assert!(text.parse::<Date>().is_err(), "{text}");
        }
        assert_eq!(
            "2024-02-29".parse::<Date>().unwrap().weekday(),
            Weekday::Thursday
        );
        assert_eq!("2000-02-29".parse::<Date>().unwrap().day(), 29);
    }

    #[test]
    fn stops_at_the_ends_of_the_range() {
        assert_eq!(Date::MAX.next(), None);
        assert_eq!(Date::MIN.previous(), None);
        assert_eq!(Date::MAX.to_string(), "9999-12-31");
        assert_eq!(Date::MIN.to_string(), "0001-01-01");
        assert_eq!(Date::MIN.add_days(i32::MAX), None);
    }

    #[test]
    fn finds_nth_weekdays() {
        let second_monday = Date::nth_weekday(2026, 1, Weekday::Monday, 2).unwrap();
        assert_eq!(second_monday.to_string(), "2026-01-12");
        let third_monday = Date::nth_weekday(2026, 9, Weekday::Monday, 3).unwrap();
        assert_eq!(third_monday.to_string(), "2026-09-21");
        assert_eq!(Date::nth_weekday(2026, 2, Weekday::Monday, 5), None);
    }

    #[test]
    fn parses_month_days() {
        assert_eq!("02-29".parse::<MonthDay>().unwrap().day(), 29);
        assert!("02-30".parse::<MonthDay>().is_err());
        assert!("13-01".parse::<MonthDay>().is_err());
        assert!("1-01".parse::<MonthDay>().is_err());
    }
}
