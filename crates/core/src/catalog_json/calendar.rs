//! The `calendar` section of a catalog: time zone, weekend, holidays, closures, working days.

use super::decoder::{child, item, Decoder};
use super::{fields, MAX_CLOSURES, MAX_CLOSURE_DAYS, MAX_EXTRA_WORKING_DAYS, MAX_NAME_CHARS};
use crate::calendar::{BusinessCalendar, Closure, ClosureDates, HolidaySet, Weekend};
use crate::date::{Date, MonthDay, Weekday};
use crate::json::Json;
use crate::locale::Locale;

impl Decoder<'_> {
    pub(super) fn calendar(&mut self, json: &Json, locale: Locale) -> Option<BusinessCalendar> {
        let path = "$.calendar";
        let fields = self.object(json, path, fields::CALENDAR)?;
        let time_zone = self.required(&fields, "time_zone", path).and_then(|j| {
            let known = self.is_known_zone;
            self.parsed(j, "$.calendar.time_zone", |name| {
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
        let weekend = match fields.get("weekend") {
            Some(j) => self.weekend(j),
            None => Some(Weekend::SATURDAY_SUNDAY),
        };
        let holidays = self.required(&fields, "holidays", path).and_then(|j| {
            self.parsed(j, "$.calendar.holidays", |s| match s {
                "jp" => Ok(HolidaySet::Jp),
                "none" => Ok(HolidaySet::None),
                _ => Err(format!(
                    "unknown holiday set \"{s}\"; expected `jp` or `none`"
                )),
            })
        });
        let closures = match fields.get("closures") {
            Some(j) => self.closures(j, locale),
            None => Some(Vec::new()),
        };
        let working = match fields.get("extra_working_days") {
            Some(j) => self.extra_working_days(j, closures.as_deref()),
            None => Some(Vec::new()),
        };
        Some(
            BusinessCalendar::new(time_zone?, weekend?, holidays?)
                .with_closures(closures?)
                .with_working_dates(working?),
        )
    }

    fn weekend(&mut self, json: &Json) -> Option<Weekend> {
        let path = "$.calendar.weekend";
        let items = self.array(json, path, 7)?;
        let mut days: Vec<Weekday> = Vec::new();
        let mut complete = true;
        for (i, day_json) in items.iter().enumerate() {
            let path = item(path, i);
            match self.parsed(day_json, &path, str::parse::<Weekday>) {
                Some(day) if days.contains(&day) => {
                    self.report(
                        day_json.at,
                        &path,
                        format!("`{}` is listed twice", day.id()),
                    );
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
            self.report(
                json.at,
                path,
                "a weekend of all seven days leaves no business day",
            );
        }
        weekend
    }

    fn closures(&mut self, json: &Json, locale: Locale) -> Option<Vec<Closure>> {
        let path = "$.calendar.closures";
        let items = self.array(json, path, MAX_CLOSURES)?;
        let mut closures = Vec::new();
        let mut complete = true;
        for (i, closure_json) in items.iter().enumerate() {
            match self.closure(closure_json, &item(path, i), locale) {
                Some(closure) => closures.push(closure),
                None => complete = false,
            }
        }
        complete.then_some(closures)
    }

    fn closure(&mut self, json: &Json, path: &str, locale: Locale) -> Option<Closure> {
        enum Day {
            Date(Date),
            Yearly(MonthDay),
        }
        let fields = self.object(json, path, fields::CLOSURE)?;
        let day = |decoder: &mut Self, json: &Json, path: &str| {
            decoder.parsed(json, path, |s| {
                if s.len() == 5 {
                    s.parse::<MonthDay>().map(Day::Yearly)
                } else {
                    s.parse::<Date>().map(Day::Date)
                }
                .map_err(|e| format!("{e} (or MM-DD for every year)"))
            })
        };
        let from_json = self.required(&fields, "from", path);
        let from = from_json.and_then(|j| day(self, j, &child(path, "from")));
        let to_json = fields.get("to");
        let to = to_json.and_then(|j| day(self, j, &child(path, "to")));
        let name = self
            .required(&fields, "name", path)
            .and_then(|j| self.text(j, &child(path, "name"), locale, MAX_NAME_CHARS));
        let (from, from_json) = (from?, from_json?);
        let dates = match (from, to, to_json) {
            (from, None, None) => match from {
                Day::Date(d) => ClosureDates::Once { from: d, to: d },
                Day::Yearly(d) => ClosureDates::EveryYear { from: d, to: d },
            },
            (_, None, Some(_)) => return None,
            (Day::Date(from), Some(Day::Date(to)), Some(to_json)) => {
                let days = from.days_until(to);
                if days < 0 {
                    self.report(
                        to_json.at,
                        &child(path, "to"),
                        format!("ends before it starts ({from})"),
                    );
                    return None;
                }
                if days >= MAX_CLOSURE_DAYS {
                    self.report(
                        to_json.at,
                        &child(path, "to"),
                        format!("a closure may last at most {MAX_CLOSURE_DAYS} days"),
                    );
                    return None;
                }
                ClosureDates::Once { from, to }
            }
            (Day::Yearly(from), Some(Day::Yearly(to)), Some(to_json)) => {
                // Counted in a leap year: a closure of 365 such days shuts some years entirely.
                let day_of_year = |md: MonthDay| {
                    Date::from_ymd(2000, md.month(), md.day()).map_or(0, Date::days_since_epoch)
                };
                let span = day_of_year(to) - day_of_year(from);
                let covered = if span >= 0 { span + 1 } else { 366 + span + 1 };
                if covered >= 365 {
                    self.report(
                        to_json.at,
                        &child(path, "to"),
                        "a closure every year may not cover the whole year",
                    );
                    return None;
                }
                ClosureDates::EveryYear { from, to }
            }
            (_, Some(_), _) => {
                self.report(
                    from_json.at,
                    path,
                    "`from` and `to` must both be dates (YYYY-MM-DD) or both month-days (MM-DD)",
                );
                return None;
            }
        };
        Some(Closure { dates, name: name? })
    }

    fn extra_working_days(
        &mut self,
        json: &Json,
        closures: Option<&[Closure]>,
    ) -> Option<Vec<Date>> {
        let path = "$.calendar.extra_working_days";
        let items = self.array(json, path, MAX_EXTRA_WORKING_DAYS)?;
        let mut dates: Vec<Date> = Vec::new();
        let mut complete = true;
        for (i, date_json) in items.iter().enumerate() {
            let path = item(path, i);
            let Some(date) = self.parsed(date_json, &path, str::parse::<Date>) else {
                complete = false;
                continue;
            };
            if dates.contains(&date) {
                self.report(date_json.at, &path, format!("{date} is listed twice"));
                complete = false;
            }
            if closures.is_some_and(|cs| cs.iter().any(|c| c.dates.contains(date))) {
                self.report(
                    date_json.at,
                    &path,
                    format!("{date} is also inside a closure"),
                );
                complete = false;
            }
            dates.push(date);
        }
        complete.then_some(dates)
    }
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
