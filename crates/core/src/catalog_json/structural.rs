//! The one problem that stops serde: text that is not JSON, a wrong JSON type, an unknown field
//! or a key given twice. serde's messages are written for Rust types; these say what the
//! catalog's author wrote, where they wrote it.

use super::spans::{self, JsonPath, Spot, Step, Target};
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
/// key given twice, at the value (or key) its path leads to.
pub(super) fn structural_problem(
    text: &str,
    skipped: usize,
    error: &serde_path_to_error::Error<serde_json::Error>,
) -> ParseCatalogError {
    let inner = error.inner();
    if inner.classify() != serde_json::error::Category::Data {
        return syntax_problem(text, skipped, inner);
    }
    let mut path = JsonPath::default();
    let mut complete = true;
    for segment in error.path().iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => path.0.push(Step::Index(*index)),
            serde_path_to_error::Segment::Map { key } => path.0.push(Step::Key(key.clone())),
            _ => complete = false,
        }
    }
    let (spot, path, message) = describe(path, &position::error_message(inner));
    let body = &text[skipped..];
    let located = if complete {
        spans::locate(body, &[&spot])[0]
    } else {
        None
    };
    let at = skipped + located.unwrap_or_else(|| position::error_offset(body, inner));
    ParseCatalogError {
        problems: vec![CatalogProblem {
            path: path.to_string(),
            position: Position::of(text, at),
            message,
        }],
    }
}

/// Where to point, the path to show and the message for serde's error `message` at `path`.
/// serde's messages are written for Rust types; these say what a catalog's author wrote.
fn describe(path: JsonPath, message: &str) -> (Spot, JsonPath, String) {
    let spot = |path: &JsonPath, target| Spot {
        path: path.clone(),
        target,
    };
    let quoted = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix('`'))
            .map(str::to_owned)
    };
    if let Some(Step::Key(key)) = path.0.last() {
        if let Some(expected) = message.strip_prefix(&format!("unknown field `{key}`, ")) {
            // "expected one of `a`, `b`", "expected `a`" or "there are no fields".
            let allowed: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
            let message = unknown_field(key, &allowed);
            return (spot(&path, Target::Key), path, message);
        }
    }
    if let Some(key) = quoted("duplicate field `") {
        let path = path.key(&key);
        return (
            spot(&path, Target::RepeatedKey),
            path,
            format!("duplicate key \"{key}\""),
        );
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
    (spot(&path, Target::Value), path, message)
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
