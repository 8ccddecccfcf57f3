//! Turning spanned JSON into values while collecting every problem with its path and position.
//!
//! Each method reports what is wrong and returns `None`, so that decoding goes on and one run
//! finds every problem in a file.

use std::fmt;

use crate::json::{Json, JsonValue, Member};
use crate::locale::{Locale, LocalizedText};

pub(super) struct Decoder<'s> {
    /// Each problem's byte offset, JSON path and message; positions are computed at the end,
    /// for the problems that are shown.
    pub problems: Vec<(usize, String, String)>,
    pub is_known_zone: &'s dyn Fn(&str) -> bool,
}

/// The members of a JSON object, after its keys were checked.
pub(super) struct Fields<'j> {
    pub at: usize,
    pub members: &'j [Member],
}

impl<'j> Fields<'j> {
    pub fn get(&self, key: &str) -> Option<&'j Json> {
        self.members.iter().find(|m| m.key == key).map(|m| &m.value)
    }
}

pub(super) fn child(path: &str, key: &str) -> String {
    format!("{path}.{key}")
}

pub(super) fn item(path: &str, index: usize) -> String {
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

pub(super) fn quoted_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl<'s> Decoder<'s> {
    pub fn report(&mut self, at: usize, path: &str, message: impl Into<String>) {
        self.problems.push((at, path.to_owned(), message.into()));
    }

    pub fn wrong_type(&mut self, json: &Json, path: &str, expected: &str) {
        let found = json.value.kind();
        self.report(json.at, path, format!("expected {expected}, found {found}"));
    }

    pub fn object<'j>(
        &mut self,
        json: &'j Json,
        path: &str,
        allowed: &[&str],
    ) -> Option<Fields<'j>> {
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

    pub fn required<'j>(&mut self, fields: &Fields<'j>, key: &str, path: &str) -> Option<&'j Json> {
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

    pub fn string<'j>(&mut self, json: &'j Json, path: &str) -> Option<&'j str> {
        match &json.value {
            JsonValue::String(s) => Some(s),
            _ => {
                self.wrong_type(json, path, "a string");
                None
            }
        }
    }

    pub fn bool(&mut self, json: &Json, path: &str) -> Option<bool> {
        match json.value {
            JsonValue::Bool(b) => Some(b),
            _ => {
                self.wrong_type(json, path, "true or false");
                None
            }
        }
    }

    pub fn array<'j>(&mut self, json: &'j Json, path: &str, max: usize) -> Option<&'j [Json]> {
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

    pub fn parsed<T, E: fmt::Display>(
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

    pub fn text(
        &mut self,
        json: &Json,
        path: &str,
        locale: Locale,
        max_chars: usize,
    ) -> Option<LocalizedText> {
        let fields = self.object(json, path, super::fields::TEXT)?;
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
    pub fn entries<T>(
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
}
