//! The desk's business calendar and the reply due date.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::date::{Date, MonthDay, Weekday};
use crate::jp_holidays::{Holiday, JpHolidayTable};
use crate::locale::LocalizedText;

/// A number of business days a desk takes to reply: 1 to 60.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct BusinessDays(u8);

impl BusinessDays {
    /// The largest reply time a catalog may promise.
    pub const MAX: u32 = 60;

    /// `n` business days, if `1 <= n <= 60`.
    pub fn new(n: u32) -> Option<BusinessDays> {
        (1..=Self::MAX)
            .contains(&n)
            .then_some(BusinessDays(n as u8))
    }

    /// The number of days.
    pub fn get(self) -> u32 {
        self.0.into()
    }
}

impl TryFrom<u32> for BusinessDays {
    type Error = String;

    fn try_from(n: u32) -> Result<Self, Self::Error> {
        BusinessDays::new(n).ok_or_else(|| {
            format!(
                "expected a whole number of business days from 1 to {}, found {n}",
                BusinessDays::MAX
            )
        })
    }
}

impl From<BusinessDays> for u32 {
    fn from(days: BusinessDays) -> u32 {
        days.get()
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for BusinessDays {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "BusinessDays".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "integer", "minimum": 1, "maximum": BusinessDays::MAX })
    }
}

/// Which public holidays close the desk. jp: Japan's national holidays (1955-2099).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "holidays"))]
pub enum HolidaySet {
    /// Japan's national holidays (known for 1955–2099).
    Jp,
    /// No public holidays; only weekends and the catalog's closures.
    None,
}

impl HolidaySet {
    /// The name in a catalog: `jp` or `none`.
    pub const fn id(self) -> &'static str {
        match self {
            HolidaySet::Jp => "jp",
            HolidaySet::None => "none",
        }
    }
}

impl std::str::FromStr for HolidaySet {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "jp" => Ok(HolidaySet::Jp),
            "none" => Ok(HolidaySet::None),
            _ => Err(format!(
                "unknown holiday set \"{s}\"; expected `jp` or `none`"
            )),
        }
    }
}

/// The days of the week the desk is closed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Weekend(u8);

impl Weekend {
    /// Saturday and Sunday.
    pub const SATURDAY_SUNDAY: Weekend = Weekend(0b110_0000);

    /// A weekend of these days; `None` when they leave no working day in the week.
    pub fn new(days: impl IntoIterator<Item = Weekday>) -> Option<Weekend> {
        let mask = days.into_iter().fold(0u8, |m, d| m | 1 << d.monday_index());
        (mask != 0b111_1111).then_some(Weekend(mask))
    }

    /// Whether `day` is a weekend day.
    #[inline]
    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << day.monday_index()) != 0
    }

    /// The weekend days, Monday first.
    pub fn days(self) -> impl Iterator<Item = Weekday> {
        Weekday::ALL.into_iter().filter(move |&d| self.contains(d))
    }
}

impl fmt::Debug for Weekend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.days()).finish()
    }
}

/// When a closure applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClosureDates {
    /// From one date to another, both included.
    Once { from: Date, to: Date },
    /// Every year from one month-day to another, both included; wraps over the new year when
    /// `to` comes before `from` (29 Dec – 3 Jan).
    EveryYear { from: MonthDay, to: MonthDay },
}

impl ClosureDates {
    /// Whether `date` falls in the closure.
    pub fn contains(&self, date: Date) -> bool {
        match *self {
            ClosureDates::Once { from, to } => from <= date && date <= to,
            ClosureDates::EveryYear { from, to } => {
                let day = MonthDay::of(date);
                if from <= to {
                    from <= day && day <= to
                } else {
                    day >= from || day <= to
                }
            }
        }
    }
}

/// Days the desk is closed beyond weekends and holidays, with a name to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Closure {
    pub dates: ClosureDates,
    pub name: LocalizedText,
}

/// Why a day is not a business day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NonBusinessDay<'c> {
    Weekend(Weekday),
    Holiday(Holiday),
    Closure(&'c Closure),
}

/// A day between the receipt and the due date on which the desk does not work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SkippedDay<'c> {
    pub date: Date,
    pub reason: NonBusinessDay<'c>,
}

/// When a reply is due, and the days that pushed it back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplyDue<'c> {
    /// The day of receipt in desk time.
    pub received_on: Date,
    /// The N-th business day strictly after `received_on`.
    pub due: Date,
    /// Every non-business day strictly between `received_on` and `due`, in order.
    pub skipped: Vec<SkippedDay<'c>>,
}

/// The due date would lie too far ahead to compute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplyDateError {
    /// The due date would fall after 9999-12-31.
    PastTheEndOfTime { received_on: Date },
    /// Closures and weekends leave fewer business days than needed within
    /// [`BusinessCalendar::SEARCH_DAYS`] days of receipt.
    TooFewBusinessDays {
        received_on: Date,
        needed: BusinessDays,
    },
}

impl fmt::Display for ReplyDateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PastTheEndOfTime { received_on } => write!(
                f,
                "no due date can be computed for an inquiry received on {received_on}: it would fall after {}",
                Date::MAX
            ),
            Self::TooFewBusinessDays { received_on, needed } => write!(
                f,
                "the calendar has fewer than {} business days in the {} days after {received_on}",
                needed.get(),
                BusinessCalendar::SEARCH_DAYS
            ),
        }
    }
}

impl std::error::Error for ReplyDateError {}

/// The desk's calendar: its time zone, weekend, public holidays and closures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BusinessCalendar {
    time_zone: String,
    weekend: Weekend,
    holidays: HolidaySet,
    /// Sorted by start; they do not overlap (the catalog's validation sees to it).
    closures: Vec<Closure>,
    /// Extra working dates that override weekends and holidays, sorted.
    working_dates: Vec<Date>,
}

impl BusinessCalendar {
    /// A calendar with no closures and no extra working dates.
    ///
    /// `time_zone` is the IANA name of the desk's zone, used at the edges to turn an instant
    /// into the desk's day.
    pub fn new(time_zone: impl Into<String>, weekend: Weekend, holidays: HolidaySet) -> Self {
        BusinessCalendar {
            time_zone: time_zone.into(),
            weekend,
            holidays,
            closures: Vec::new(),
            working_dates: Vec::new(),
        }
    }

    /// The built-in policy's calendar: Asia/Tokyo, Saturday and Sunday, Japanese holidays.
    pub fn japan() -> Self {
        Self::new("Asia/Tokyo", Weekend::SATURDAY_SUNDAY, HolidaySet::Jp)
    }

    /// The same calendar with these closures (in any order).
    pub fn with_closures(mut self, closures: Vec<Closure>) -> Self {
        self.closures = closures;
        crate::order::sort_by_key(&mut self.closures, |c| match c.dates {
            ClosureDates::Once { from, .. } => crate::order::date_key(from),
            ClosureDates::EveryYear { from, .. } => {
                (1 << 40) | u64::from(from.month() * 32 + from.day())
            }
        });
        self
    }

    /// The same calendar with these extra working dates.
    pub fn with_working_dates(mut self, mut dates: Vec<Date>) -> Self {
        crate::order::sort_by_key(&mut dates, |d| crate::order::date_key(*d));
        dates.dedup();
        self.working_dates = dates;
        self
    }

    /// The IANA time zone of the desk, e.g. `Asia/Tokyo`.
    pub fn time_zone(&self) -> &str {
        &self.time_zone
    }

    /// The weekend days.
    pub fn weekend(&self) -> Weekend {
        self.weekend
    }

    /// The public holidays that close the desk.
    pub fn holiday_set(&self) -> HolidaySet {
        self.holidays
    }

    /// The closures, dated ones first.
    pub fn closures(&self) -> &[Closure] {
        &self.closures
    }

    /// The extra working dates, sorted.
    pub fn working_dates(&self) -> &[Date] {
        &self.working_dates
    }

    /// The public holiday on `date`, if the calendar observes one.
    pub fn holiday_on(&self, date: Date) -> Option<Holiday> {
        match self.holidays {
            HolidaySet::Jp => JpHolidayTable::get().holiday_on(date),
            HolidaySet::None => None,
        }
    }

    fn closure_on(&self, date: Date) -> Option<&Closure> {
        self.closures.iter().find(|c| c.dates.contains(date))
    }

    /// Why `date` is not a business day, or `None` when it is one.
    ///
    /// A holiday is named before a closure or a weekend that it falls in.
    pub fn non_business_day(&self, date: Date) -> Option<NonBusinessDay<'_>> {
        if !self.working_dates.is_empty() && self.working_dates.binary_search(&date).is_ok() {
            return None;
        }
        if let Some(holiday) = self.holiday_on(date) {
            return Some(NonBusinessDay::Holiday(holiday));
        }
        if let Some(closure) = self.closure_on(date) {
            return Some(NonBusinessDay::Closure(closure));
        }
        let weekday = date.weekday();
        self.weekend
            .contains(weekday)
            .then_some(NonBusinessDay::Weekend(weekday))
    }

    /// Whether the desk works on `date`: the same answer as [`Self::non_business_day`], cheaper,
    /// checked in order of cost rather than in order of naming.
    #[inline]
    pub fn is_business_day(&self, date: Date) -> bool {
        self.is_business_day_on(date, date.weekday(), self.holiday_table())
    }

    fn holiday_table(&self) -> Option<&'static JpHolidayTable> {
        match self.holidays {
            HolidaySet::Jp => Some(JpHolidayTable::get()),
            HolidaySet::None => None,
        }
    }

    /// [`Self::is_business_day`] with the weekday and the holiday table already at hand, for
    /// loops over consecutive days.
    #[inline]
    fn is_business_day_on(
        &self,
        date: Date,
        weekday: Weekday,
        holidays: Option<&JpHolidayTable>,
    ) -> bool {
        if !self.working_dates.is_empty() && self.working_dates.binary_search(&date).is_ok() {
            return true;
        }
        if self.weekend.contains(weekday) {
            return false;
        }
        if holidays.is_some_and(|table| table.is_holiday(date)) {
            return false;
        }
        self.closures.is_empty() || self.closure_on(date).is_none()
    }

    /// How far after receipt a due date is looked for: four years, far beyond any real
    /// calendar's 60 business days, and a bound for one whose closures leave no working day.
    pub const SEARCH_DAYS: i32 = 4 * 366;

    /// The reply due date for an inquiry received on `received_on` (the desk's day): the
    /// `within`-th business day strictly after it, with the days skipped on the way.
    pub fn reply_due_date(
        &self,
        received_on: Date,
        within: BusinessDays,
    ) -> Result<ReplyDue<'_>, ReplyDateError> {
        // Roughly two non-business days a week: one allocation for long waits, none for short.
        let expected_skips = if within.get() > 2 {
            within.get() / 2 + 4
        } else {
            0
        };
        let mut skipped = Vec::with_capacity(expected_skips as usize);
        let mut remaining = within.get();
        let mut day = received_on;
        let mut weekday = received_on.weekday();
        let holidays = self.holiday_table();
        for _ in 0..Self::SEARCH_DAYS {
            day = day
                .next()
                .ok_or(ReplyDateError::PastTheEndOfTime { received_on })?;
            weekday = weekday.next();
            if self.is_business_day_on(day, weekday, holidays) {
                remaining -= 1;
                if remaining == 0 {
                    return Ok(ReplyDue {
                        received_on,
                        due: day,
                        skipped,
                    });
                }
            } else if let Some(reason) = self.non_business_day(day) {
                skipped.push(SkippedDay { date: day, reason });
            }
        }
        Err(ReplyDateError::TooFewBusinessDays {
            received_on,
            needed: within,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::Locale;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn business_days_are_one_to_sixty() {
        assert_eq!(BusinessDays::new(0), None);
        assert_eq!(BusinessDays::new(61), None);
        assert_eq!(BusinessDays::new(60).map(BusinessDays::get), Some(60));
    }

    #[test]
    fn a_week_of_weekend_is_refused() {
        assert!(Weekend::new(Weekday::ALL).is_none());
        assert!(Weekend::new([]).is_some());
    }

    #[test]
    fn every_year_closures_wrap_over_new_year() {
        let year_end = ClosureDates::EveryYear {
            from: "12-29".parse().unwrap(),
            to: "01-03".parse().unwrap(),
        };
        assert!(year_end.contains(d("2026-12-29")));
        assert!(year_end.contains(d("2027-01-03")));
        assert!(!year_end.contains(d("2027-01-04")));
        assert!(!year_end.contains(d("2026-12-28")));
    }

    #[test]
    fn working_dates_override_weekends_and_holidays() {
        let calendar =
            BusinessCalendar::japan().with_working_dates(vec![d("2026-11-28"), d("2026-11-23")]);
        assert!(calendar.is_business_day(d("2026-11-28")));
        assert!(calendar.is_business_day(d("2026-11-23")));
        assert!(!calendar.is_business_day(d("2026-11-29")));
    }

    #[test]
    fn a_holiday_is_named_before_the_weekend_it_falls_on() {
        let calendar = BusinessCalendar::japan();
        let Some(NonBusinessDay::Holiday(h)) = calendar.non_business_day(d("2026-05-03")) else {
            panic!("3 May 2026 is a holiday on a Sunday")
        };
        assert_eq!(h.name(Locale::En), "Constitution Memorial Day");
    }

    #[test]
    fn refuses_a_due_date_past_the_end_of_time() {
        let calendar = BusinessCalendar::japan();
        let err = calendar
            .reply_due_date(d("9999-12-30"), BusinessDays::new(5).unwrap())
            .unwrap_err();
        assert_eq!(
            err,
            ReplyDateError::PastTheEndOfTime {
                received_on: d("9999-12-30")
            }
        );
    }

    #[test]
    fn a_calendar_closed_all_year_gives_an_error_not_a_hang() {
        let all_year = |from: &str, to: &str| Closure {
            dates: ClosureDates::EveryYear {
                from: from.parse().unwrap(),
                to: to.parse().unwrap(),
            },
            name: LocalizedText::new(Locale::En, "closed"),
        };
        let calendar = BusinessCalendar::japan()
            .with_closures(vec![all_year("01-01", "06-30"), all_year("07-01", "12-31")]);
        let err = calendar
            .reply_due_date(d("2026-01-01"), BusinessDays::new(1).unwrap())
            .unwrap_err();
        assert!(matches!(err, ReplyDateError::TooFewBusinessDays { .. }));
    }
}
