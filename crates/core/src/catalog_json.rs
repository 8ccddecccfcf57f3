//! Reading a catalog from the JSON that web teams write by hand, and validating it.
//!
//! Every problem is collected, not just the first, each with its JSON path and line:column.

mod calendar;
mod decoder;

use std::fmt;

use crate::calendar::BusinessDays;
use crate::catalog::{Catalog, Links};
use crate::desk::{Audience, Desk};
use crate::id::{DeskId, PlanId};
use crate::json::{self, Json, JsonValue, Position, PositionCursor};
use crate::locale::Locale;
use crate::plan::{Paid, Plan, PlanStatus};
use decoder::{child, item, quoted_list, Decoder};

/// The JSON Schema of the catalog format, for editors (`"$schema"` in a catalog may point to it).
pub const CATALOG_SCHEMA_JSON: &str = include_str!("../catalog/catalog.schema.json");

/// The fields each kind of object in a catalog may have; the JSON Schema lists the same.
pub(crate) mod fields {
    pub const CATALOG: &[&str] = &[
        "$schema",
        "version",
        "default_locale",
        "plans",
        "desks",
        "calendar",
        "links",
    ];
    pub const PLAN: &[&str] = &["id", "name", "paid", "legacy"];
    pub const DESK: &[&str] = &[
        "id",
        "name",
        "scope",
        "available_to",
        "reply_within_business_days",
    ];
    pub const CALENDAR: &[&str] = &[
        "time_zone",
        "weekend",
        "holidays",
        "closures",
        "extra_working_days",
    ];
    pub const CLOSURE: &[&str] = &["from", "to", "name"];
    pub const LINKS: &[&str] = &["sign_in", "plans"];
    pub const TEXT: &[&str] = &["en", "ja", "vi"];
}

/// Catalog files larger than this are refused before parsing.
pub const MAX_CATALOG_BYTES: usize = 1024 * 1024;
const MAX_PLANS: usize = 50;
const MAX_DESKS: usize = 50;
const MAX_CLOSURES: usize = 100;
const MAX_CLOSURE_DAYS: i32 = 366;
const MAX_EXTRA_WORKING_DAYS: usize = 366;
const MAX_NAME_CHARS: usize = 100;
const MAX_SCOPE_CHARS: usize = 1000;
/// A file with more problems than this is not worth listing further (and listing them all
/// could take long for a hostile one).
const MAX_PROBLEMS_SHOWN: usize = 100;

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
            problems: Vec::new(),
            is_known_zone,
        };
        let catalog = decoder.catalog(&json);
        match catalog {
            Some(catalog) if decoder.problems.is_empty() => Ok(catalog),
            _ => {
                let mut found = decoder.problems;
                crate::order::sort_by_key(&mut found, |&(at, _, _)| at as u64);
                let hidden = found.len().saturating_sub(MAX_PROBLEMS_SHOWN);
                let mut cursor = PositionCursor::new(text);
                let mut problems: Vec<CatalogProblem> = found
                    .into_iter()
                    .take(MAX_PROBLEMS_SHOWN)
                    .map(|(at, path, message)| CatalogProblem {
                        path,
                        position: cursor.advance_to(at),
                        message,
                    })
                    .collect();
                if hidden > 0 {
                    let last = problems[problems.len() - 1].clone();
                    problems.push(CatalogProblem {
                        message: format!("{hidden} more problems after this one are not shown"),
                        ..last
                    });
                }
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

impl Decoder<'_> {
    fn catalog(&mut self, json: &Json) -> Option<Catalog> {
        let path = "$";
        let fields = self.object(json, path, fields::CATALOG)?;
        if let Some(schema) = fields.get("$schema") {
            // Only for editors; its value is not used.
            self.string(schema, "$.$schema");
        }
        if let Some(version) = self.required(&fields, "version", path) {
            if version.value != JsonValue::Number("1".into()) {
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

    fn plans(&mut self, json: &Json, locale: Locale) -> Option<Vec<Plan>> {
        self.entries(
            json,
            "$.plans",
            ("plan", MAX_PLANS),
            |decoder, entry, path| decoder.plan(entry, path, locale),
        )
    }

    fn plan(&mut self, json: &Json, path: &str, locale: Locale) -> Option<Plan> {
        let fields = self.object(json, path, fields::PLAN)?;
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
        let fields = self.object(json, path, fields::DESK)?;
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
        let JsonValue::Number(n) = &json.value else {
            self.wrong_type(json, path, "a whole number of business days");
            return None;
        };
        let days = n.parse::<u32>().ok().and_then(BusinessDays::new);
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
                            "unknown audience \"{word}\"; expected {} or an array of plan ids",
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

    fn links(&mut self, json: &Json) -> Option<Links> {
        let path = "$.links";
        let fields = self.object(json, path, fields::LINKS)?;
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
            "\"{url}\" is not a link: use https://… or a path starting with /"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The property names of the schema object at `pointer` (e.g. `$defs.desk`).
    fn schema_properties(schema: &Json, pointer: &str) -> Vec<String> {
        let mut node = schema;
        for key in pointer
            .split('.')
            .filter(|k| !k.is_empty())
            .chain(["properties"])
        {
            let JsonValue::Object(members) = &node.value else {
                panic!("{pointer}: not an object")
            };
            node = &members.iter().find(|m| m.key == key).expect(key).value;
        }
        let JsonValue::Object(members) = &node.value else {
            panic!("{pointer}.properties: not an object")
        };
        members.iter().map(|m| m.key.clone()).collect()
    }

    #[test]
    fn the_schema_lists_exactly_the_fields_the_reader_accepts() {
        let schema = json::parse(CATALOG_SCHEMA_JSON).expect("the schema is JSON");
        for (pointer, accepted) in [
            ("", fields::CATALOG),
            ("$defs.plan", fields::PLAN),
            ("$defs.desk", fields::DESK),
            ("$defs.calendar", fields::CALENDAR),
            ("$defs.closure", fields::CLOSURE),
            ("$defs.links", fields::LINKS),
            ("$defs.text", fields::TEXT),
        ] {
            assert_eq!(schema_properties(&schema, pointer), accepted, "{pointer}");
        }
    }

    #[test]
    fn a_catalog_may_name_its_schema() {
        let json = crate::BUILTIN_CATALOG_JSON.replacen(
            "{",
            "{\n  \"$schema\": \"./catalog.schema.json\",",
            1,
        );
        assert!(Catalog::from_json(&json).is_ok());
        let json = crate::BUILTIN_CATALOG_JSON.replacen("{", "{\"$schema\": 1,", 1);
        let err = Catalog::from_json(&json).unwrap_err();
        assert_eq!(
            err.to_string(),
            "1:13: $.$schema: expected a string, found a number"
        );
    }
}
