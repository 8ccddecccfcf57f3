//! The one problem that stops serde: text that is not JSON, a wrong JSON type, an unknown field
//! or a key given twice. serde's messages are written for Rust types; these say what the
//! catalog's author wrote, where they wrote it.

use super::spans::{self, JsonPath, Step};
use super::validate::quoted_list;
use super::{CatalogProblem, ParseCatalogError};
use crate::position::{self, Position};

/// What is not JSON: one problem at `$`, where serde_json stopped.
pub(super) fn syntax_problem(
    text: &str,
    skipped: usize,
    error: &serde_json::Error,
) -> ParseCatalogError {
    let at = skipped + position::error_offset(&text[skipped..], error);
    ParseCatalogError::single(
        Position::of(text, at),
        format!("invalid JSON: {}", position::error_message(error)),
    )
}

/// The problem that stopped serde: a syntax error, a wrong JSON type, an unknown field or a
/// key given twice, at the value (or key) it is about.
///
/// serde_json says where it stopped; the path is that of the innermost value or key there
/// ([`spans::innermost`]), so no path needs keeping while reading.
pub(super) fn structural_problem(
    text: &str,
    skipped: usize,
    error: &serde_json::Error,
) -> ParseCatalogError {
    if error.classify() != serde_json::error::Category::Data {
        return syntax_problem(text, skipped, error);
    }
    let body = &text[skipped..];
    let stopped = position::error_offset(body, error);
    let (path, start) = spans::innermost(body, stopped).unwrap_or_default();
    let (path, message) = describe(path, &position::error_message(error));
    ParseCatalogError {
        problems: vec![CatalogProblem {
            path: path.to_string(),
            position: Position::of(text, skipped + start),
            message,
        }],
    }
}

/// The path to show and the message for serde's error `message` about the value or key at
/// `path`. serde's messages are written for Rust types; these say what a catalog's author wrote.
fn describe(path: JsonPath, message: &str) -> (JsonPath, String) {
    if let Some(Step::Key(key)) = path.0.last() {
        if let Some(expected) = message.strip_prefix(&format!("unknown field `{key}`, ")) {
            // "expected one of `a`, `b`", "expected `a`" or "there are no fields".
            let allowed: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
            let message = unknown_field(key, &allowed);
            return (path, message);
        }
        if message == format!("duplicate field `{key}`") {
            let message = format!("duplicate key \"{key}\"");
            return (path, message);
        }
    }
    let message = match message
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.rsplit_once(", expected "))
    {
        Some((found, expected)) => {
            let expected = match expected {
                "a boolean" => "true or false",
                "a sequence" => "an array",
                "a map" => "an object",
                other => other,
            };
            format!("expected {expected}, found {}", kind_named(found))
        }
        None => message.to_owned(),
    };
    (path, message)
}

/// "a string" for serde's `string "…"`, and so on.
fn kind_named(unexpected: &str) -> &str {
    let kinds = [
        ("string", "a string"),
        ("integer", "a number"),
        ("floating point", "a number"),
        ("boolean", "a boolean"),
        ("unit value", "null"),
        ("map", "an object"),
        ("sequence", "an array"),
    ];
    kinds
        .iter()
        .find(|(serde, _)| unexpected.starts_with(serde))
        .map_or(unexpected, |(_, kind)| kind)
}

/// "unknown field", with a hint when `key` looks like a misspelt allowed field.
fn unknown_field(key: &str, allowed: &[&str]) -> String {
    if allowed.is_empty() {
        return "unknown field; this object takes none".into();
    }
    let similar = |a: &&&str| {
        (key.len() >= 3 && (a.starts_with(key) || key.starts_with(**a)))
            || edit_distance(a, key) <= (a.len() / 4).max(1)
    };
    let hint = allowed
        .iter()
        .filter(similar)
        .min_by_key(|a| edit_distance(a, key))
        .map(|a| format!("did you mean `{a}`? "))
        .unwrap_or_default();
    format!(
        "unknown field; {hint}expected one of {}",
        quoted_list(allowed)
    )
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
