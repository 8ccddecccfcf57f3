//! Reading a catalog from the JSON that web teams write by hand, and validating it.
//!
//! Every problem is collected, not just the first, each with its JSON path and line:column.

use std::fmt;

use crate::calendar::{BusinessCalendar, BusinessDays, Closure, ClosureDates, HolidaySet, Weekend};
use crate::catalog::{Catalog, Links};
use crate::date::{Date, MonthDay, Weekday};
use crate::desk::{Audience, Desk};
use crate::id::{DeskId, PlanId};
use crate::json::{self, Json, JsonValue, Member, Position};
use crate::locale::{Locale, LocalizedText};
use crate::plan::{Paid, Plan, PlanStatus};

/// Catalog files larger than this are refused before parsing.
pub const MAX_CATALOG_BYTES: usize = 1024 * 1024;
const MAX_PLANS: usize = 50;
const MAX_DESKS: usize = 50;
const MAX_CLOSURES: usize = 100;
const MAX_CLOSURE_DAYS: i32 = 366;
const MAX_EXTRA_WORKING_DAYS: usize = 366;
const MAX_NAME_CHARS: usize = 100;
const MAX_SCOPE_CHARS: usize = 1000;

/// One thing wrong with a catalog, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogProblem {
    /// Where in the document, e.g. `$.desks[1].reply_within_business_days`.
    pub path: String,
    /// Line and column in the text.
    pub position: Position,
    /// What is wrong, in lower case.
    pub message: String,
}

impl fmt::Display for CatalogProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.position, self.path, self.message)
    }
}

/// A catalog that could not be read: every problem found, in document order (never empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseCatalogError {
    pub problems: Vec<CatalogProblem>,
}

impl fmt::Display for ParseCatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            let sep = if i == 0 { "" } else { "\n" };
            write!(f, "{sep}{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseCatalogError {}

impl Catalog {
    /// Reads and validates a catalog.
    ///
    /// Time zones are checked by their shape only; use [`Catalog::from_json_with_zones`] where a
    /// time zone database is at hand.
    pub fn from_json(text: &str) -> Result<Catalog, ParseCatalogError> {
        Catalog::from_json_with_zones(text, &|_| true)
    }

    /// Reads and validates a catalog, asking `is_known_zone` whether its time zone exists (the
    /// command asks its tz database, the browser its Intl).
    pub fn from_json_with_zones(
        text: &str,
        is_known_zone: &dyn Fn(&str) -> bool,
    ) -> Result<Catalog, ParseCatalogError> {
        let single = |at: usize, message: String| ParseCatalogError {
            problems: vec![CatalogProblem {
                path: "$".into(),
                position: Position::of(text, at),
                message,
            }],
        };
        if text.len() > MAX_CATALOG_BYTES {
            return Err(single(
                0,
                format!(
                    "the catalog is {} bytes; at most {MAX_CATALOG_BYTES} are read",
                    text.len()
                ),
            ));
        }
        let json =
            json::parse(text).map_err(|e| single(e.at, format!("invalid JSON: {}", e.message)))?;
        let mut decoder = Decoder {
            source: text,
            problems: Vec::new(),
            is_known_zone,
        };
        let catalog = decoder.catalog(&json);
        match catalog {
            Some(catalog) if decoder.problems.is_empty() => Ok(catalog),
            _ => {
                let mut problems = decoder.problems;
                problems.sort_by_key(|p| p.position);
                Err(ParseCatalogError { problems })
            }
        }
    }

    /// Reads and validates a catalog from bytes, which must be UTF-8.
    pub fn from_json_bytes(bytes: &[u8]) -> Result<Catalog, ParseCatalogError> {
        Catalog::from_json_bytes_with_zones(bytes, &|_| true)
    }

    /// [`Catalog::from_json_with_zones`] for bytes, which must be UTF-8.
    pub fn from_json_bytes_with_zones(
        bytes: &[u8],
        is_known_zone: &dyn Fn(&str) -> bool,
    ) -> Result<Catalog, ParseCatalogError> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Catalog::from_json_with_zones(text, is_known_zone),
            Err(e) => {
                let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
                Err(ParseCatalogError {
                    problems: vec![CatalogProblem {
                        path: "$".into(),
                        position: Position::of(valid, valid.len()),
                        message: "the file is not UTF-8 text".into(),
                    }],
                })
            }
        }
    }
}

struct Decoder<'s> {
    source: &'s str,
    problems: Vec<CatalogProblem>,
    is_known_zone: &'s dyn Fn(&str) -> bool,
}

/// The members of a JSON object, after its keys were checked.
struct Fields<'j> {
    at: usize,
    members: &'j [Member],
}

impl<'j> Fields<'j> {
    fn get(&self, key: &str) -> Option<&'j Json> {
        self.members.iter().find(|m| m.key == key).map(|m| &m.value)
    }
}

fn child(path: &str, key: &str) -> String {
    format!("{path}.{key}")
}

fn item(path: &str, index: usize) -> String {
    format!("{path}[{index}]")
}

/// Levenshtein distance, for "did you mean" hints on misspelt keys.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

fn quoted_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl<'s> Decoder<'s> {
    fn report(&mut self, at: usize, path: &str, message: impl Into<String>) {
        self.problems.push(CatalogProblem {
            path: path.to_owned(),
            position: Position::of(self.source, at),
            message: message.into(),
        });
    }

    fn wrong_type(&mut self, json: &Json, path: &str, expected: &str) {
        let found = json.value.kind();
        self.report(json.at, path, format!("expected {expected}, found {found}"));
    }

    fn object<'j>(&mut self, json: &'j Json, path: &str, allowed: &[&str]) -> Option<Fields<'j>> {
        let JsonValue::Object(members) = &json.value else {
            self.wrong_type(json, path, "an object");
            return None;
        };
        for member in members {
            if allowed.contains(&member.key.as_str()) {
                continue;
            }
            let key = member.key.as_str();
            let similar = |a: &&&str| {
                (key.len() >= 3 && (a.starts_with(key) || key.starts_with(**a)))
                    || edit_distance(a, key) <= (a.len() / 4).max(1)
            };
            let hint = allowed
                .iter()
                .filter(similar)
                .min_by_key(|a| edit_distance(a, &member.key))
                .map(|a| format!("did you mean `{a}`? "))
                .unwrap_or_default();
            self.report(
                member.key_at,
                &child(path, &member.key),
                format!(
                    "unknown field; {hint}expected one of {}",
                    quoted_list(allowed)
                ),
            );
        }
        Some(Fields {
            at: json.at,
            members,
        })
    }

    fn required<'j>(&mut self, fields: &Fields<'j>, key: &str, path: &str) -> Option<&'j Json> {
        let value = fields.get(key);
        if value.is_none() {
            self.report(
                fields.at,
                &child(path, key),
                format!("missing field `{key}`"),
            );
        }
        value
    }

    fn string<'j>(&mut self, json: &'j Json, path: &str) -> Option<&'j str> {
        match &json.value {
            JsonValue::String(s) => Some(s),
            _ => {
                self.wrong_type(json, path, "a string");
                None
            }
        }
    }

    fn bool(&mut self, json: &Json, path: &str) -> Option<bool> {
        match json.value {
            JsonValue::Bool(b) => Some(b),
            _ => {
                self.wrong_type(json, path, "true or false");
                None
            }
        }
    }

    fn array<'j>(&mut self, json: &'j Json, path: &str, max: usize) -> Option<&'j [Json]> {
        match &json.value {
            JsonValue::Array(items) if items.len() > max => {
                self.report(json.at, path, format!("at most {max} entries are allowed"));
                None
            }
            JsonValue::Array(items) => Some(items),
            _ => {
                self.wrong_type(json, path, "an array");
                None
            }
        }
    }

    fn parsed<T, E: fmt::Display>(
        &mut self,
        json: &Json,
        path: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        let text = self.string(json, path)?;
        match parse(text) {
            Ok(value) => Some(value),
            Err(e) => {
                self.report(json.at, path, e.to_string());
                None
            }
        }
    }

    fn catalog(&mut self, json: &Json) -> Option<Catalog> {
        let path = "$";
        let fields = self.object(
            json,
            path,
            &[
                "version",
                "default_locale",
                "plans",
                "desks",
                "calendar",
                "links",
            ],
        )?;
        if let Some(version) = self.required(&fields, "version", path) {
            if version.value != JsonValue::Number(1.0) {
                self.report(
                    version.at,
                    "$.version",
                    "unsupported version; this deskform reads catalogs of version 1",
                );
            }
        }
        let default_locale = match fields.get("default_locale") {
            Some(json) => self.parsed(json, "$.default_locale", str::parse::<Locale>),
            None => Some(Locale::En),
        };
        // Keep checking the rest against English so that one slip does not hide the others.
        let locale = default_locale.unwrap_or(Locale::En);
        let plans = self
            .required(&fields, "plans", path)
            .and_then(|json| self.plans(json, locale));
        let desks = self
            .required(&fields, "desks", path)
            .and_then(|json| self.desks(json, locale, plans.as_deref()));
        let calendar = self
            .required(&fields, "calendar", path)
            .and_then(|json| self.calendar(json, locale));
        let links = match fields.get("links") {
            Some(json) => self.links(json),
            None => Some(Links::default()),
        };
        Some(Catalog {
            default_locale: default_locale?,
            plans: plans?,
            desks: desks?,
            calendar: calendar?,
            links: links?,
        })
    }

    fn text(
        &mut self,
        json: &Json,
        path: &str,
        locale: Locale,
        max_chars: usize,
    ) -> Option<LocalizedText> {
        let fields = self.object(json, path, &["en", "ja", "vi"])?;
        let mut texts: Vec<(Locale, String)> = Vec::new();
        for member in fields.members {
            let Ok(lang) = member.key.parse::<Locale>() else {
                continue;
            };
            let path = child(path, &member.key);
            let Some(text) = self.string(&member.value, &path) else {
                continue;
            };
            let text = text.trim();
            if text.is_empty() {
                self.report(member.value.at, &path, "text may not be empty");
            } else if text.chars().count() > max_chars {
                self.report(
                    member.value.at,
                    &path,
                    format!("text is longer than {max_chars} characters"),
                );
            } else {
                texts.push((lang, text.to_owned()));
            }
        }
        let Some(i) = texts.iter().position(|(l, _)| *l == locale) else {
            if fields.get(locale.tag()).is_none() {
                self.report(
                    fields.at,
                    &child(path, locale.tag()),
                    format!("missing text for the catalog's default locale `{locale}`"),
                );
            }
            return None;
        };
        let (_, fallback) = texts.remove(i);
        Some(
            texts
                .into_iter()
                .fold(LocalizedText::new(locale, fallback), |t, (l, s)| {
                    t.with(l, s)
                }),
        )
    }

    /// Decodes a non-empty list of entries with an `id` each, reporting duplicate ids whether
    /// or not the entries are otherwise valid.
    fn entries<T>(
        &mut self,
        json: &Json,
        path: &str,
        (singular, max): (&str, usize),
        mut decode: impl FnMut(&mut Self, &Json, &str) -> Option<T>,
    ) -> Option<Vec<T>> {
        let items = self.array(json, path, max)?;
        if items.is_empty() {
            self.report(json.at, path, format!("at least one {singular} is needed"));
            return None;
        }
        let mut seen: Vec<&str> = Vec::new();
        let mut entries = Vec::new();
        let mut complete = true;
        for (i, entry) in items.iter().enumerate() {
            let path = item(path, i);
            if let JsonValue::Object(members) = &entry.value {
                let id = members.iter().find(|m| m.key == "id");
                if let Some(Member {
                    value:
                        Json {
                            value: JsonValue::String(id),
                            at,
                        },
                    ..
                }) = id
                {
                    if seen.contains(&id.as_str()) {
                        self.report(
                            *at,
                            &child(&path, "id"),
                            format!("duplicate {singular} id `{id}`"),
                        );
                        complete = false;
                    }
                    seen.push(id);
                }
            }
            match decode(self, entry, &path) {
                Some(decoded) => entries.push(decoded),
                None => complete = false,
            }
        }
        complete.then_some(entries)
    }

    fn plans(&mut self, json: &Json, locale: Locale) -> Option<Vec<Plan>> {
        self.entries(
            json,
            "$.plans",
            ("plan", MAX_PLANS),
            |decoder, entry, path| decoder.plan(entry, path, locale),
        )
    }

    fn plan(&mut self, json: &Json, path: &str, locale: Locale) -> Option<Plan> {
        let fields = self.object(json, path, &["id", "name", "paid", "legacy"])?;
        let id = self
            .required(&fields, "id", path)
            .and_then(|j| self.parsed(j, &child(path, "id"), str::parse::<PlanId>));
        let name = self
            .required(&fields, "name", path)
            .and_then(|j| self.text(j, &child(path, "name"), locale, MAX_NAME_CHARS));
        let paid = self
            .required(&fields, "paid", path)
            .and_then(|j| self.bool(j, &child(path, "paid")));
        let legacy = match fields.get("legacy") {
            Some(j) => self.bool(j, &child(path, "legacy")),
            None => Some(false),
        };
        let plan = Plan {
            id: id?,
            name: name?,
            paid: if paid? { Paid::Paid } else { Paid::Free },
            status: if legacy? {
                PlanStatus::Legacy
            } else {
                PlanStatus::Open
            },
        };
        Some(plan)
    }

    fn desks(&mut self, json: &Json, locale: Locale, plans: Option<&[Plan]>) -> Option<Vec<Desk>> {
        self.entries(
            json,
            "$.desks",
            ("desk", MAX_DESKS),
            |decoder, entry, path| decoder.desk(entry, path, locale, plans),
        )
    }

    fn desk(
        &mut self,
        json: &Json,
        path: &str,
        locale: Locale,
        plans: Option<&[Plan]>,
    ) -> Option<Desk> {
        let fields = self.object(
            json,
            path,
            &[
                "id",
                "name",
                "scope",
                "available_to",
                "reply_within_business_days",
            ],
        )?;
        let id = self
            .required(&fields, "id", path)
            .and_then(|j| self.parsed(j, &child(path, "id"), str::parse::<DeskId>));
        let name = self
            .required(&fields, "name", path)
            .and_then(|j| self.text(j, &child(path, "name"), locale, MAX_NAME_CHARS));
        let scope = self
            .required(&fields, "scope", path)
            .and_then(|j| self.text(j, &child(path, "scope"), locale, MAX_SCOPE_CHARS));
        let audience = self
            .required(&fields, "available_to", path)
            .and_then(|j| self.audience(j, &child(path, "available_to"), plans));
        let reply_within = self
            .required(&fields, "reply_within_business_days", path)
            .and_then(|j| self.business_days(j, &child(path, "reply_within_business_days")));
        let desk = Desk {
            id: id?,
            name: name?,
            scope: scope?,
            audience: audience?,
            reply_within: reply_within?,
        };
        Some(desk)
    }

    fn business_days(&mut self, json: &Json, path: &str) -> Option<BusinessDays> {
        let JsonValue::Number(n) = json.value else {
            self.wrong_type(json, path, "a whole number of business days");
            return None;
        };
        let days = (n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n))
            .then_some(n as u32)
            .and_then(BusinessDays::new);
        if days.is_none() {
            self.report(
                json.at,
                path,
                format!(
                    "expected a whole number of business days from 1 to {}, found {n}",
                    BusinessDays::MAX
                ),
            );
        }
        days
    }

    fn audience(&mut self, json: &Json, path: &str, plans: Option<&[Plan]>) -> Option<Audience> {
        const WORDS: [&str; 3] = ["everyone", "signed_in", "paid"];
        match &json.value {
            JsonValue::String(word) => match word.as_str() {
                "everyone" => Some(Audience::Everyone),
                "signed_in" => Some(Audience::SignedIn),
                "paid" => {
                    if plans.is_some_and(|plans| !plans.iter().any(Plan::is_paid)) {
                        self.report(
                            json.at,
                            path,
                            "no plan of the catalog is paid, so no one could use this desk",
                        );
                        return None;
                    }
                    Some(Audience::PaidPlans)
                }
                _ => {
                    self.report(
                        json.at,
                        path,
                        format!(
                            "unknown audience {word:?}; expected {} or an array of plan ids",
                            quoted_list(&WORDS)
                        ),
                    );
                    None
                }
            },
            JsonValue::Array(items) => {
                if items.is_empty() {
                    self.report(
                        json.at,
                        path,
                        "list at least one plan, or use \"signed_in\"",
                    );
                    return None;
                }
                let mut ids: Vec<PlanId> = Vec::new();
                let mut complete = true;
                for (i, id_json) in items.iter().enumerate() {
                    let path = item(path, i);
                    let Some(id) = self.parsed(id_json, &path, str::parse::<PlanId>) else {
                        complete = false;
                        continue;
                    };
                    if let Some(plans) = plans {
                        if !plans.iter().any(|p| p.id == id) {
                            let valid: Vec<&str> = plans.iter().map(|p| p.id.as_str()).collect();
                            self.report(
                                id_json.at,
                                &path,
                                format!(
                                    "unknown plan `{id}`; the catalog's plans are {}",
                                    quoted_list(&valid)
                                ),
                            );
                            complete = false;
                        }
                    }
                    if ids.contains(&id) {
                        self.report(id_json.at, &path, format!("plan `{id}` is listed twice"));
                        complete = false;
                    }
                    ids.push(id);
                }
                complete.then_some(Audience::Plans(ids))
            }
            _ => {
                self.wrong_type(
                    json,
                    path,
                    "\"everyone\", \"signed_in\", \"paid\" or an array of plan ids",
                );
                None
            }
        }
    }

    fn calendar(&mut self, json: &Json, locale: Locale) -> Option<BusinessCalendar> {
        let path = "$.calendar";
        let fields = self.object(
            json,
            path,
            &[
                "time_zone",
                "weekend",
                "holidays",
                "closures",
                "extra_working_days",
            ],
        )?;
        let time_zone = self.required(&fields, "time_zone", path).and_then(|j| {
            let known = self.is_known_zone;
            self.parsed(j, "$.calendar.time_zone", |name| {
                let name = check_time_zone(name)?;
                if known(&name) {
                    Ok(name)
                } else {
                    Err(format!(
                        "unknown time zone {name:?}; use an IANA name such as \"Asia/Tokyo\""
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
                    "unknown holiday set {s:?}; expected `jp` or `none`"
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
        let fields = self.object(json, path, &["from", "to", "name"])?;
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

    fn links(&mut self, json: &Json) -> Option<Links> {
        let path = "$.links";
        let fields = self.object(json, path, &["sign_in", "plans"])?;
        let link = |decoder: &mut Self, key: &str| match fields.get(key) {
            None => Some(None),
            Some(j) => decoder.parsed(j, &child(path, key), check_link).map(Some),
        };
        let sign_in = link(self, "sign_in");
        let plans = link(self, "plans");
        Some(Links {
            sign_in: sign_in?,
            plans: plans?,
        })
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
            "{name:?} is not an IANA time zone name such as \"Asia/Tokyo\""
        ))
    }
}

/// A link the widget may put in `href`: `https://…`, `http://…` or a path on the host (`/…`).
/// Anything else, `javascript:` above all, is refused.
fn check_link(url: &str) -> Result<String, String> {
    let web = ["https://", "http://"]
        .iter()
        .any(|scheme| url.len() > scheme.len() && url[..scheme.len()].eq_ignore_ascii_case(scheme));
    let path = url.starts_with('/') && !url.starts_with("//");
    if (web || path)
        && url.len() <= 2048
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        Ok(url.to_owned())
    } else {
        Err(format!(
            "{url:?} is not a link: use https://… or a path starting with /"
        ))
    }
}
