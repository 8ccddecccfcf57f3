//! Reading a catalog from the JSON that web teams write by hand, and validating it.
//!
//! Two passes, each problem with its JSON path and line:column:
//! 1. serde_json reads the file into [`format::CatalogFile`]: what is not JSON, a wrong JSON
//!    type, an unknown field or a key given twice stops reading there, and that one problem is
//!    reported, at the path of the value or key where serde_json stopped.
//! 2. The validation ([`validate`]) checks every value and what no schema can (unique ids,
//!    known plans, real dates, a known time zone) and reports every problem at once.
//!
//! Positions come from serde_json for what stops reading, and otherwise from the path: the
//! document is read again for where each reported path starts ([`spans`]).

mod calendar;
pub mod format;
#[cfg(feature = "schema")]
mod schema;
mod spans;
pub(crate) mod strict;
mod structural;
mod validate;
mod write;

use std::fmt;

use crate::catalog::Catalog;
use crate::position::{Position, PositionCursor};
use format::CatalogFile;
use spans::JsonPath;
use structural::{structural_problem, syntax_problem};
use validate::{Checker, Found};

#[cfg(feature = "schema")]
pub use schema::catalog_schema;

/// The JSON Schema of the catalog format, for editors (`"$schema"` in a catalog may point to it).
pub const CATALOG_SCHEMA_JSON: &str = include_str!("../catalog/catalog.schema.json");

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
        if text.len() > MAX_CATALOG_BYTES {
            return Err(ParseCatalogError::too_large());
        }
        // A byte-order mark is allowed (and counted as a column, as editors show it).
        let body = text.strip_prefix('\u{feff}').unwrap_or(text);
        let skipped = text.len() - body.len();
        let mut deserializer = serde_json::Deserializer::from_str(body);
        let file: CatalogFile = match strict::object(&mut deserializer) {
            Ok(file) => file,
            Err(error) => return Err(structural_problem(text, skipped, &error)),
        };
        if let Err(error) = deserializer.end() {
            return Err(syntax_problem(text, skipped, &error));
        }
        let mut checker = Checker {
            problems: Vec::new(),
            is_known_zone,
        };
        match checker.catalog(&file) {
            Some(catalog) if checker.problems.is_empty() => Ok(catalog),
            _ => Err(positioned(text, skipped, checker.problems)),
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
        // Before the UTF-8 check: a reader may stop one byte past the limit, mid-character.
        if bytes.len() > MAX_CATALOG_BYTES {
            return Err(ParseCatalogError::too_large());
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => Catalog::from_json_with_zones(text, is_known_zone),
            Err(e) => {
                let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
                Err(ParseCatalogError::single(
                    Position::of(valid, valid.len()),
                    "the file is not UTF-8 text".into(),
                ))
            }
        }
    }
}

impl ParseCatalogError {
    /// A catalog over [`MAX_CATALOG_BYTES`]; its reader need not read further than one byte more.
    fn too_large() -> ParseCatalogError {
        ParseCatalogError::single(
            Position::of("", 0),
            format!("the catalog has more than {MAX_CATALOG_BYTES} bytes, the most that is read"),
        )
    }

    /// A problem with the document as a whole (`$`).
    pub(crate) fn single(position: Position, message: String) -> ParseCatalogError {
        ParseCatalogError {
            problems: vec![CatalogProblem {
                path: "$".into(),
                position,
                message,
            }],
        }
    }
}

/// The catalog file's values break its rules (each problem: `path: message`). What
/// deserializing a [`Catalog`] fails with; [`Catalog::from_json`] also tells where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidCatalogError {
    pub problems: Vec<String>,
}

impl fmt::Display for InvalidCatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problems.join("; "))
    }
}

impl std::error::Error for InvalidCatalogError {}

impl TryFrom<CatalogFile> for Catalog {
    type Error = InvalidCatalogError;

    fn try_from(file: CatalogFile) -> Result<Self, Self::Error> {
        let mut checker = Checker {
            problems: Vec::new(),
            is_known_zone: &|_| true,
        };
        match checker.catalog(&file) {
            Some(catalog) if checker.problems.is_empty() => Ok(catalog),
            _ => Err(InvalidCatalogError {
                problems: checker
                    .problems
                    .into_iter()
                    .map(|p| format!("{}: {}", p.path, p.message))
                    .collect(),
            }),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Catalog {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let file: CatalogFile = strict::object(deserializer)?;
        Catalog::try_from(file).map_err(serde::de::Error::custom)
    }
}

/// Every problem found after parsing, in document order, at most [`MAX_PROBLEMS_SHOWN`] of them.
fn positioned(text: &str, skipped: usize, mut found: Vec<Found>) -> ParseCatalogError {
    let paths: Vec<&JsonPath> = found.iter().map(|f| &f.at).collect();
    let offsets: Vec<usize> = spans::locate(&text[skipped..], &paths)
        .into_iter()
        .map(|at| skipped + at.unwrap_or(0))
        .collect();
    let mut order: Vec<usize> = (0..found.len()).collect();
    crate::order::sort_by_key(&mut order, |&i| offsets[i] as u64);
    let hidden = found.len().saturating_sub(MAX_PROBLEMS_SHOWN);
    let mut cursor = PositionCursor::new(text);
    let mut problems: Vec<CatalogProblem> = order
        .into_iter()
        .take(MAX_PROBLEMS_SHOWN)
        .map(|i| CatalogProblem {
            path: found[i].path.to_string(),
            position: cursor.advance_to(offsets[i]),
            message: std::mem::take(&mut found[i].message),
        })
        .collect();
    if hidden > 0 {
        let last = problems[problems.len() - 1].clone();
        problems.push(CatalogProblem {
            message: format!("{hidden} more problems after this one are not shown"),
            ..last
        });
    }
    ParseCatalogError { problems }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn a_catalog_is_its_own_serde_form() {
        let builtin = Catalog::builtin();
        let json = serde_json::to_string_pretty(builtin).unwrap();
        assert_eq!(&Catalog::from_json(&json).unwrap(), builtin);
        assert_eq!(&serde_json::from_str::<Catalog>(&json).unwrap(), builtin);
        let custom = r#"{"version": 1, "default_locale": "ja",
            "plans": [{"id": "a", "paid": true, "legacy": true, "name": {"ja": "エー", "en": "A"}}],
            "desks": [{"id": "d", "available_to": ["a"], "reply_within_business_days": 60,
                       "name": {"ja": "デ"}, "scope": {"ja": "ス"}}],
            "calendar": {"time_zone": "UTC", "weekend": [], "holidays": "none",
                "closures": [{"from": "2027-02-15", "to": "2027-02-19", "name": {"ja": "休"}},
                             {"from": "12-29", "to": "01-03", "name": {"ja": "年末"}}],
                "extra_working_days": ["2027-01-10"]},
            "links": {"plans": "/pricing"}}"#;
        let catalog = Catalog::from_json(custom).unwrap();
        let json = serde_json::to_string(&catalog).unwrap();
        assert_eq!(Catalog::from_json(&json).unwrap(), catalog);
        let err = serde_json::from_str::<Catalog>(r#"{"version": 2}"#).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("$.version: unsupported version"),
            "{err}"
        );
    }
}
