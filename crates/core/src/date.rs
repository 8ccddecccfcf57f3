//! Civil (calendar) dates with no time zone and no clock: "today" always comes in from outside.
//!
//! A thin layer over [`chrono::NaiveDate`], which does all the calendar arithmetic. This module
//! adds what the domain needs on top: the range of years 1 to 9999, the strict `YYYY-MM-DD` and
//! `MM-DD` text forms, and error messages that say what is wrong with a date.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use chrono::{Datelike, Days, NaiveDate};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// A day of the proleptic Gregorian calendar, years 1 to 9999.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(NaiveDate);

/// A day of the week.
///
/// Our own enum rather than `chrono::Weekday`: catalogs name weekdays by their lower-case
/// English names only (`str::parse` here rejects chrono's `Mon` and `MONDAY`), and the rest of
/// the workspace matches on these variant names. Conversions to and from chrono's are below.
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

impl Date {
    /// The earliest date: 0001-01-01.
    pub const MIN: Date = Date(NaiveDate::from_ymd_opt(1, 1, 1).expect("0001-01-01 exists"));
    /// The latest date: 9999-12-31.
    pub const MAX: Date = Date(NaiveDate::from_ymd_opt(9999, 12, 31).expect("9999-12-31 exists"));

    /// The date `year-month-day`, if it exists.
    pub const fn from_ymd(year: i32, month: u32, day: u32) -> Result<Date, InvalidDateError> {
        if year < 1 || year > 9999 {
            return Err(InvalidDateError::Year(year));
        }
        if month < 1 || month > 12 {
            return Err(InvalidDateError::Month(month));
        }
        match NaiveDate::from_ymd_opt(year, month, day) {
            Some(date) => Ok(Date(date)),
            None => Err(InvalidDateError::Day { year, month, day }),
        }
    }

    /// `date` if it lies within [`Date::MIN`]..=[`Date::MAX`].
    #[inline]
    fn within_range(date: NaiveDate) -> Option<Date> {
        (Date::MIN.0..=Date::MAX.0)
            .contains(&date)
            .then_some(Date(date))
    }

    /// `(year, month, day)`.
    pub fn ymd(self) -> (i32, u32, u32) {
        (self.0.year(), self.0.month(), self.0.day())
    }

    /// The year.
    #[inline]
    pub fn year(self) -> i32 {
        self.0.year()
    }

    /// The month, 1..=12.
    #[inline]
    pub fn month(self) -> u32 {
        self.0.month()
    }

    /// The day of the month, 1..=31.
    #[inline]
    pub fn day(self) -> u32 {
        self.0.day()
    }

    /// The day of the year, 1..=366.
    #[inline]
    pub fn ordinal(self) -> u32 {
        self.0.ordinal()
    }

    /// The day of the week.
    #[inline]
    pub fn weekday(self) -> Weekday {
        self.0.weekday().into()
    }

    /// Days since 1970-01-01 (negative before it).
    pub const fn days_since_epoch(self) -> i32 {
        self.0.to_epoch_days()
    }

    /// The date `days` days later (earlier when negative), if within 1..=9999.
    pub fn add_days(self, days: i32) -> Option<Date> {
        let step = Days::new(days.unsigned_abs().into());
        let date = if days >= 0 {
            self.0.checked_add_days(step)
        } else {
            self.0.checked_sub_days(step)
        };
        date.and_then(Date::within_range)
    }

    /// The next day, if any.
    #[inline]
    pub fn next(self) -> Option<Date> {
        // chrono's succ_opt is inlined, where the general checked_add_days is a call.
        self.0.succ_opt().and_then(Date::within_range)
    }

    /// The previous day, if any.
    #[inline]
    pub fn previous(self) -> Option<Date> {
        self.0.pred_opt().and_then(Date::within_range)
    }

    /// Whole days from `self` to `other` (positive when `other` is later).
    pub fn days_until(self, other: Date) -> i32 {
        // At most 3,652,058 days apart within 1..=9999: always fits.
        other.0.signed_duration_since(self.0).num_days() as i32
    }

    /// The `n`-th (1-based) `weekday` of `month` in `year`, e.g. the 2nd Monday of January.
    pub fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u32) -> Option<Date> {
        let n = u8::try_from(n).ok()?;
        NaiveDate::from_weekday_of_month_opt(year, month, weekday.into(), n)
            .and_then(Date::within_range)
    }
}

impl From<Date> for NaiveDate {
    fn from(date: Date) -> NaiveDate {
        date.0
    }
}

impl TryFrom<NaiveDate> for Date {
    type Error = InvalidDateError;

    /// The same day, if its year is within 1..=9999.
    fn try_from(date: NaiveDate) -> Result<Date, InvalidDateError> {
        Date::within_range(date).ok_or(InvalidDateError::Year(date.year()))
    }
}

impl fmt::Display for Date {
    /// `YYYY-MM-DD`: chrono prints four-digit years without a sign.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The numbers of `text` when it is exactly groups of ASCII digits of the given widths joined
/// by `-`, as `YYYY-MM-DD` and `MM-DD` are. chrono's own parser also accepts signs, spaces and
/// other widths; this shape check comes first so that only these forms pass, and chrono then
/// decides whether the numbers make a date.
fn digit_groups<const N: usize>(text: &str, widths: [usize; N]) -> Option<[u32; N]> {
    let mut groups = text.split('-');
    let mut numbers = [0; N];
    for (number, width) in numbers.iter_mut().zip(widths) {
        let group = groups.next()?;
        if group.len() != width || !group.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *number = group.parse().ok()?;
    }
    groups.next().is_none().then_some(numbers)
}

impl FromStr for Date {
    type Err = InvalidDateError;

    /// Parses exactly `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let [year, month, day] = digit_groups(s, [4, 2, 2]).ok_or(InvalidDateError::Format)?;
        // Four digits always fit an i32.
        Date::from_ymd(year as i32, month, day)
    }
}

/// Reads a value from a string through its `FromStr`, keeping the parser's message as the error.
struct TextVisitor<T> {
    expecting: &'static str,
    value: PhantomData<T>,
}

impl<T> TextVisitor<T> {
    fn new(expecting: &'static str) -> Self {
        TextVisitor {
            expecting,
            value: PhantomData,
        }
    }
}

impl<T> de::Visitor<'_> for TextVisitor<T>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        text.parse().map_err(E::custom)
    }
}

impl Serialize for Date {
    /// As the text `YYYY-MM-DD`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    /// From the text `YYYY-MM-DD`, with [`InvalidDateError`]'s message when it is not a date.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor::new("a date as YYYY-MM-DD"))
    }
}

/// A day of the year without a year (`MM-DD`), for closures that come back every year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonthDay {
    month: u8,
    day: u8,
}

/// A leap year, in which every month-day that any year has exists.
const LEAP_YEAR: i32 = 2000;

impl MonthDay {
    /// `month`-`day`, if some year has it (29 February counts).
    pub fn new(month: u32, day: u32) -> Option<MonthDay> {
        let date = NaiveDate::from_ymd_opt(LEAP_YEAR, month, day)?;
        Some(MonthDay {
            month: date.month() as u8,
            day: date.day() as u8,
        })
    }

    /// The month-day of `date`.
    pub fn of(date: Date) -> MonthDay {
        MonthDay {
            month: date.month() as u8,
            day: date.day() as u8,
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
        let [month, day] = digit_groups(s, [2, 2]).ok_or(InvalidDateError::Format)?;
        if !(1..=12).contains(&month) {
            return Err(InvalidDateError::Month(month));
        }
        MonthDay::new(month, day).ok_or(InvalidDateError::Day {
            year: LEAP_YEAR,
            month,
            day,
        })
    }
}

impl Serialize for MonthDay {
    /// As the text `MM-DD`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for MonthDay {
    /// From the text `MM-DD`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor::new("a day of the year as MM-DD"))
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
    #[inline]
    pub fn next(self) -> Weekday {
        chrono::Weekday::from(self).succ().into()
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

impl From<chrono::Weekday> for Weekday {
    #[inline]
    fn from(day: chrono::Weekday) -> Weekday {
        Weekday::ALL[day.num_days_from_monday() as usize]
    }
}

impl From<Weekday> for chrono::Weekday {
    #[inline]
    fn from(day: Weekday) -> chrono::Weekday {
        match day {
            Weekday::Monday => chrono::Weekday::Mon,
            Weekday::Tuesday => chrono::Weekday::Tue,
            Weekday::Wednesday => chrono::Weekday::Wed,
            Weekday::Thursday => chrono::Weekday::Thu,
            Weekday::Friday => chrono::Weekday::Fri,
            Weekday::Saturday => chrono::Weekday::Sat,
            Weekday::Sunday => chrono::Weekday::Sun,
        }
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

    /// Parses a lower-case English name, `monday` … `sunday`.
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
        let mut days = 0;
        while date < end {
            let (y, m, d) = date.ymd();
            assert_eq!(Date::from_ymd(y, m, d), Ok(date));
            assert_eq!(date.to_string().parse::<Date>(), Ok(date));
            // 1900-01-01 was a Monday.
            assert_eq!(date.weekday(), Weekday::ALL[days % 7]);
            date = date.next().unwrap();
            days += 1;
        }
        assert_eq!(days, 146_097, "four centuries of days");
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
            "+2026-01-01",
            "2026-01-01 ",
            " 2026-01-01",
            "2026-01-01-",
            "2026-01--1",
            "2026-01",
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
    fn says_what_is_wrong_with_a_date() {
        let message = |text: &str| text.parse::<Date>().unwrap_err().to_string();
        assert_eq!(message("2026-2-28"), "expected a date as YYYY-MM-DD");
        assert_eq!(message("2026-02-30"), "2026-02 has no day 30");
        assert_eq!(message("2026-13-01"), "month 13 is outside 1..=12");
        assert_eq!(message("0000-01-01"), "year 0 is outside 1..=9999");
        assert_eq!(
            Date::from_ymd(10_000, 1, 1).unwrap_err().to_string(),
            "year 10000 is outside 1..=9999"
        );
        let month_day = |text: &str| text.parse::<MonthDay>().unwrap_err().to_string();
        assert_eq!(month_day("02-30"), "2000-02 has no day 30");
        assert_eq!(month_day("00-10"), "month 0 is outside 1..=12");
        assert_eq!(month_day("2-10"), "expected a date as YYYY-MM-DD");
    }

    #[test]
    fn stops_at_the_ends_of_the_range() {
        assert_eq!(Date::MAX.next(), None);
        assert_eq!(Date::MIN.previous(), None);
        assert_eq!(Date::MAX.to_string(), "9999-12-31");
        assert_eq!(Date::MIN.to_string(), "0001-01-01");
        assert_eq!(Date::MIN.add_days(i32::MAX), None);
        assert_eq!(Date::MAX.add_days(i32::MIN), None);
        assert_eq!(Date::MIN.add_days(3_652_058), Some(Date::MAX));
        assert_eq!(Date::MAX.add_days(-3_652_058), Some(Date::MIN));
        assert_eq!(Date::MIN.days_until(Date::MAX), 3_652_058);
        assert_eq!(Date::MAX.days_until(Date::MIN), -3_652_058);
        assert_eq!(Date::MIN.days_since_epoch(), -719_162);
        assert_eq!("1970-01-01".parse::<Date>().unwrap().days_since_epoch(), 0);
    }

    #[test]
    fn converts_from_and_to_chrono_within_the_range() {
        let day = NaiveDate::from_ymd_opt(2026, 5, 6).unwrap();
        assert_eq!(Date::try_from(day).map(NaiveDate::from), Ok(day));
        let too_late = NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap();
        assert_eq!(
            Date::try_from(too_late),
            Err(InvalidDateError::Year(10_000))
        );
        for day in Weekday::ALL {
            assert_eq!(Weekday::from(chrono::Weekday::from(day)), day);
        }
    }

    #[test]
    fn finds_nth_weekdays() {
        let second_monday = Date::nth_weekday(2026, 1, Weekday::Monday, 2).unwrap();
        assert_eq!(second_monday.to_string(), "2026-01-12");
        let third_monday = Date::nth_weekday(2026, 9, Weekday::Monday, 3).unwrap();
        assert_eq!(third_monday.to_string(), "2026-09-21");
        let fifth_sunday = Date::nth_weekday(2026, 5, Weekday::Sunday, 5).unwrap();
        assert_eq!(fifth_sunday.to_string(), "2026-05-31");
        assert_eq!(Date::nth_weekday(2026, 2, Weekday::Monday, 5), None);
        assert_eq!(Date::nth_weekday(2026, 2, Weekday::Monday, 0), None);
        assert_eq!(Date::nth_weekday(2026, 2, Weekday::Monday, 256), None);
        assert_eq!(Date::nth_weekday(10_000, 1, Weekday::Monday, 1), None);
    }

    #[test]
    fn parses_month_days() {
        assert_eq!("02-29".parse::<MonthDay>().unwrap().day(), 29);
        assert!("02-30".parse::<MonthDay>().is_err());
        assert!("13-01".parse::<MonthDay>().is_err());
        assert!("1-01".parse::<MonthDay>().is_err());
        assert!("01-01-".parse::<MonthDay>().is_err());
        assert_eq!(MonthDay::new(2, 30), None);
        assert_eq!(MonthDay::new(0, 1), None);
        assert_eq!(MonthDay::of(Date::MAX).to_string(), "12-31");
    }

    #[test]
    fn parses_weekdays_by_their_lower_case_names_only() {
        for day in Weekday::ALL {
            assert_eq!(day.id().parse::<Weekday>(), Ok(day));
        }
        for text in ["Mon", "MONDAY", "Monday", "mon", ""] {
            assert_eq!(
                text.parse::<Weekday>(),
                Err(ParseWeekdayError(text.to_owned()))
            );
        }
    }

    #[test]
    fn serializes_as_text() {
        use serde::de::value::{Error, StrDeserializer};
        use serde::de::IntoDeserializer;
        let date = |text: &str| {
            let deserializer: StrDeserializer<'_, Error> = text.into_deserializer();
            Date::deserialize(deserializer).map_err(|e| e.to_string())
        };
        assert_eq!(date("2026-05-06"), Ok(Date::from_ymd(2026, 5, 6).unwrap()));
        assert_eq!(date("2026-02-30"), Err("2026-02 has no day 30".to_owned()));
        let month_day = |text: &str| {
            let deserializer: StrDeserializer<'_, Error> = text.into_deserializer();
            MonthDay::deserialize(deserializer).map_err(|e| e.to_string())
        };
        assert_eq!(month_day("12-31"), Ok(MonthDay::new(12, 31).unwrap()));
        assert_eq!(
            month_day("13-01"),
            Err("month 13 is outside 1..=12".to_owned())
        );
    }
}
