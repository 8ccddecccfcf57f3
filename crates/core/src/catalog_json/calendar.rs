//! The `calendar` section of a catalog: time zone, weekend, holidays, closures, working days.

use super::format::{CalendarFile, ClosureFile};
use super::spans::JsonPath;
use super::validate::Checker;
use super::{MAX_CLOSURES, MAX_CLOSURE_DAYS, MAX_EXTRA_WORKING_DAYS, MAX_NAME_CHARS};
use crate::calendar::{BusinessCalendar, Closure, ClosureDates, HolidaySet, Weekend};
use crate::date::{Date, MonthDay, Weekday};
use crate::locale::Locale;

impl Checker<'_> {
    pub(super) fn calendar(
        &mut self,
        calendar: &CalendarFile,
        path: &JsonPath,
        locale: Locale,
    ) -> Option<BusinessCalendar> {
        let time_zone = self
            .required(&calendar.time_zone, path, "time_zone")
            .and_then(|name| {
                let known = self.is_known_zone;
                self.parsed(name, &path.key("time_zone"), |name| {
                    let name = check_time_zone(name)?;
                    if known(&name) {
                        Ok(name)
                    } else {
                        Err(format!(
                            "unknown time zone \"{name}\"; use an IANA name such as \"Asia/Tokyo\""
                        ))
                    }
                })
            });
        let weekend = match &calendar.weekend {
            Some(days) => self.weekend(days, &path.key("weekend")),
            None => Some(Weekend::SATURDAY_SUNDAY),
        };
        let holidays = self
            .required(&calendar.holidays, path, "holidays")
            .and_then(|set| self.parsed(set, &path.key("holidays"), str::parse::<HolidaySet>));
        let closures = self.closures(&calendar.closures, &path.key("closures"), locale);
        let working = self.extra_working_days(
            &calendar.extra_working_days,
            &path.key("extra_working_days"),
            closures.as_deref(),
        );
        Some(
            BusinessCalendar::new(time_zone?, weekend?, holidays?)
                .with_closures(closures?)
                .with_working_dates(working?),
        )
    }

    fn weekend(&mut self, names: &[String], path: &JsonPath) -> Option<Weekend> {
        let names = self.limited(names, path, 7)?;
        let mut days: Vec<Weekday> = Vec::new();
        let mut complete = true;
        for (i, name) in names.iter().enumerate() {
            let path = path.index(i);
            match self.parsed(name, &path, str::parse::<Weekday>) {
                Some(day) if days.contains(&day) => {
                    self.report(&path, format!("`{}` is listed twice", day.id()));
                    complete = false;
                }
                Some(day) => days.push(day),
                None => complete = false,
            }
        }
        if !complete {
            return None;
        }
        let weekend = Weekend::new(days);
        if weekend.is_none() {
            self.report(path, "a weekend of all seven days leaves no business day");
        }
        weekend
    }

    fn closures(
        &mut self,
        closures: &[ClosureFile],
        path: &JsonPath,
        locale: Locale,
    ) -> Option<Vec<Closure>> {
        let closures = self.limited(closures, path, MAX_CLOSURES)?;
        let mut checked = Vec::new();
        let mut complete = true;
        for (i, closure) in closures.iter().enumerate() {
            match self.closure(closure, &path.index(i), locale) {
                Some(closure) => checked.push(closure),
                None => complete = false,
            }
        }
        complete.then_some(checked)
    }

    fn closure(
        &mut self,
        closure: &ClosureFile,
        path: &JsonPath,
        locale: Locale,
    ) -> Option<Closure> {
        enum Day {
            Date(Date),
            Yearly(MonthDay),
        }
        let day = |checker: &mut Self, text: &str, path: &JsonPath| {
            checker.parsed(text, path, |s| {
                if s.len() == 5 {
                    s.parse::<MonthDay>().map(Day::Yearly)
                } else {
                    s.parse::<Date>().map(Day::Date)
                }
                .map_err(|e| format!("{e} (or MM-DD for every year)"))
            })
        };
        let (from_path, to_path) = (path.key("from"), path.key("to"));
        let from = self
            .required(&closure.from, path, "from")
            .and_then(|from| day(self, from, &from_path));
        let to = closure.to.as_ref().map(|to| day(self, to, &to_path));
        let name = self
            .required(&closure.name, path, "name")
            .and_then(|name| self.text(name, &path.key("name"), locale, MAX_NAME_CHARS));
        let to = match to {
            None => None,
            Some(to) => Some(to?),
        };
        let dates = match (from?, to) {
            (Day::Date(d), None) => ClosureDates::Once { from: d, to: d },
            (Day::Yearly(d), None) => ClosureDates::EveryYear { from: d, to: d },
            (Day::Date(from), Some(Day::Date(to))) => {
                let days = from.days_until(to);
                if days < 0 {
                    self.report(&to_path, format!("ends before it starts ({from})"));
                    return None;
                }
                if days >= MAX_CLOSURE_DAYS {
                    self.report(
                        &to_path,
                        format!("a closure may last at most {MAX_CLOSURE_DAYS} days"),
                    );
                    return None;
                }
                ClosureDates::Once { from, to }
            }
            (Day::Yearly(from), Some(Day::Yearly(to))) => {
                let span = day_of_leap_year(to) - day_of_leap_year(from);
                let covered = if span >= 0 { span + 1 } else { 366 + span + 1 };
                if covered >= 365 {
                    self.report(
                        &to_path,
                        "a closure every year may not cover the whole year",
                    );
                    return None;
                }
                ClosureDates::EveryYear { from, to }
            }
            (_, Some(_)) => {
                self.report_at(
                    &from_path,
                    path.clone(),
                    "`from` and `to` must both be dates (YYYY-MM-DD) or both month-days (MM-DD)",
                );
                return None;
            }
        };
        Some(Closure { dates, name: name? })
    }

    fn extra_working_days(
        &mut self,
        days: &[String],
        path: &JsonPath,
        closures: Option<&[Closure]>,
    ) -> Option<Vec<Date>> {
        let days = self.limited(days, path, MAX_EXTRA_WORKING_DAYS)?;
        let mut dates: Vec<Date> = Vec::new();
        let mut complete = true;
        for (i, day) in days.iter().enumerate() {
            let path = path.index(i);
            let Some(date) = self.parsed(day, &path, str::parse::<Date>) else {
                complete = false;
                continue;
            };
            if dates.contains(&date) {
                self.report(&path, format!("{date} is listed twice"));
                complete = false;
            }
            if closures.is_some_and(|cs| cs.iter().any(|c| c.dates.contains(date))) {
                self.report(&path, format!("{date} is also inside a closure"));
                complete = false;
            }
            dates.push(date);
        }
        complete.then_some(dates)
    }
}

/// The day of the year `day` falls on in a leap year (1 January: 0). Counted in a leap year: a
/// closure of 365 such days shuts some years entirely.
fn day_of_leap_year(day: MonthDay) -> i32 {
    const DAYS_BEFORE: [i32; 12] = [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335];
    DAYS_BEFORE[(day.month() as usize - 1).min(11)] + day.day() as i32 - 1
}

/// An IANA zone name such as `Asia/Tokyo` or `UTC`, by its shape; whether the zone exists is
/// for the edges (the browser's Intl, the command's tz database) to confirm.
fn check_time_zone(name: &str) -> Result<String, String> {
    let part_ok = |p: &str| {
        p.starts_with(|c: char| c.is_ascii_alphabetic())
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_+-".contains(c))
    };
    if name.len() <= 64 && name.split('/').all(part_ok) {
        Ok(name.to_owned())
    } else {
        Err(format!(
            "\"{name}\" is not an IANA time zone name such as \"Asia/Tokyo\""
        ))
    }
}
