//! JSON paths, and where in a document the value (or key) at a path starts.
//!
//! The serde types of the catalog keep no positions; a problem carries the path it is about,
//! and only when problems are reported is the document read again for where those paths are.
//! serde_json's `RawValue`, borrowed from the document, gives the exact start of each value:
//! each object or array on the way to a problem is read once, whatever the number of problems.
//! For the one problem that stops serde, it is the other way round: serde_json says where it
//! stopped, and the path is that of the value or key there.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// One step into a JSON document.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

/// Where a value is in a document, e.g. `$.desks[1].name`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct JsonPath(pub Vec<Step>);

impl JsonPath {
    /// The path of the member `key` of the object at this path.
    pub fn key(&self, key: &str) -> JsonPath {
        let mut steps = self.0.clone();
        steps.push(Step::Key(key.to_owned()));
        JsonPath(steps)
    }

    /// The path of item `index` of the array at this path.
    pub fn index(&self, index: usize) -> JsonPath {
        let mut steps = self.0.clone();
        steps.push(Step::Index(index));
        JsonPath(steps)
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        for step in &self.0 {
            match step {
                Step::Key(key) if is_plain(key) => write!(f, ".{key}")?,
                // Anything else as a JSON string: a key can hold control characters, and a
                // message naming it must not send escape codes to a terminal.
                Step::Key(key) => {
                    write!(f, "[{}]", serde_json::to_string(key).unwrap_or_default())?
                }
                Step::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// Whether a key reads unambiguously after a dot: letters, digits, `_` and `$` (`$schema`),
/// not starting with a digit.
fn is_plain(key: &str) -> bool {
    key.chars().next().is_some_and(|c| !c.is_ascii_digit())
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

/// The byte offset in `text` where the value at each path starts, `None` where the document
/// has no such path or is not JSON. `text` is the whole document.
pub(crate) fn locate(text: &str, paths: &[&JsonPath]) -> Vec<Option<usize>> {
    let mut found = vec![None; paths.len()];
    if let Ok(root) = serde_json::from_str::<&RawValue>(text) {
        let mut order: Vec<usize> = (0..paths.len()).collect();
        // Unstable: equal paths get the same offset whatever their order, and the stable sort
        // would bring its own instantiation into the widget (about 700 bytes brotli).
        order.sort_unstable_by(|&a, &b| paths[a].cmp(paths[b]));
        walk(text, root, 0, paths, &order, &mut found);
    }
    found
}

fn offset_in(text: &str, part: &str) -> usize {
    // `part` is borrowed from `text` (serde_json's RawValue borrows from the input).
    part.as_ptr() as usize - text.as_ptr() as usize
}

/// Resolves the paths `order` lists, all under `node`, whose path is their first `depth` steps.
/// `order` is sorted by path, so the paths under one child are next to each other.
fn walk(
    text: &str,
    node: &RawValue,
    depth: usize,
    paths: &[&JsonPath],
    order: &[usize],
    found: &mut [Option<usize>],
) {
    let mut children: Option<Children<'_>> = None;
    let mut i = 0;
    while i < order.len() {
        let Some(step) = paths[order[i]].0.get(depth) else {
            found[order[i]] = Some(offset_in(text, node.get()));
            i += 1;
            continue;
        };
        let group_len = order[i..]
            .iter()
            .take_while(|&&p| paths[p].0.get(depth) == Some(step))
            .count();
        let group = &order[i..i + group_len];
        i += group_len;
        let children = children.get_or_insert_with(|| {
            serde_json::from_str::<Children<'_>>(node.get()).unwrap_or_default()
        });
        let child = match step {
            Step::Index(index) => children.0.get(*index).filter(|(key, _)| key.is_none()),
            Step::Key(name) => children.0.iter().find(|(key, _)| {
                key.is_some_and(|key| {
                    serde_json::from_str::<String>(key.get()).is_ok_and(|k| k == *name)
                })
            }),
        };
        if let Some((_, value)) = child {
            walk(text, value, depth + 1, paths, group, found);
        }
    }
}

/// The path of the innermost value or key of `text` that holds byte `offset`, and where that
/// value or key starts; `None` when `text` is not JSON.
///
/// serde_json reports a wrong value at its last byte, or at the byte just before it when it
/// did not read it: a value that starts right after `offset` counts as holding it. Keys are
/// always read, so only a key's own bytes hold an offset.
pub(crate) fn innermost(text: &str, offset: usize) -> Option<(JsonPath, usize)> {
    let span = |raw: &RawValue| {
        let start = offset_in(text, raw.get());
        start..start + raw.get().len()
    };
    let mut node: &RawValue = serde_json::from_str(text).ok()?;
    let mut path = JsonPath::default();
    'descend: loop {
        if node.get().starts_with(['{', '[']) {
            let children: Children<'_> = serde_json::from_str(node.get()).ok()?;
            for (index, (key, value)) in children.0.into_iter().enumerate() {
                let step = match key {
                    Some(key) => Step::Key(serde_json::from_str(key.get()).ok()?),
                    None => Step::Index(index),
                };
                if let Some(key) = key.filter(|&key| span(key).contains(&offset)) {
                    path.0.push(step);
                    return Some((path, offset_in(text, key.get())));
                }
                let value_span = span(value);
                if value_span.contains(&offset) || value_span.start == offset + 1 {
                    path.0.push(step);
                    node = value;
                    continue 'descend;
                }
            }
        }
        return Some((path, offset_in(text, node.get())));
    }
}

/// The members of an object (with their keys) or the items of an array, unparsed.
#[derive(Default)]
struct Children<'a>(Vec<(Option<&'a RawValue>, &'a RawValue)>);

impl<'de> Deserialize<'de> for Children<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ChildrenVisitor;

        impl<'de> Visitor<'de> for ChildrenVisitor {
            type Value = Children<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object or an array")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<&RawValue>()? {
                    items.push((None, item));
                }
                Ok(Children(items))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some((key, value)) = map.next_entry::<&RawValue, &RawValue>()? {
                    members.push((Some(key), value));
                }
                Ok(Children(members))
            }
        }

        deserializer.deserialize_any(ChildrenVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::position::Position;

    fn path(steps: &[Step]) -> JsonPath {
        JsonPath(steps.to_vec())
    }

    fn key(k: &str) -> Step {
        Step::Key(k.into())
    }

    #[test]
    fn keys_that_are_not_plain_are_written_as_json_strings() {
        let written = path(&[
            key("desks"),
            Step::Index(0),
            key("日本"),
            key("\u{1b}[31mred"),
            key("a.b"),
            key(""),
            key("2x"),
        ])
        .to_string();
        assert_eq!(
            written,
            r#"$.desks[0].日本["\u001b[31mred"]["a.b"][""]["2x"]"#
        );
        assert!(!written.chars().any(char::is_control));
    }

    #[test]
    fn finds_values_in_one_reading() {
        let text = "{\n  \"a\": [1, {\"b\\u0022\": true}],\n  \"c\": \"日本\", \"d\": 2\n}";
        let paths = [
            path(&[]),
            path(&[key("a"), Step::Index(1), key("b\"")]),
            path(&[key("a"), Step::Index(0)]),
            path(&[key("d")]),
            path(&[key("c")]),
            path(&[key("nope")]),
            path(&[key("a"), Step::Index(7)]),
        ];
        let refs: Vec<&JsonPath> = paths.iter().collect();
        let positions: Vec<Option<Position>> = locate(text, &refs)
            .into_iter()
            .map(|at| at.map(|at| Position::of(text, at)))
            .collect();
        let at = |line, column| Some(Position { line, column });
        assert_eq!(
            positions,
            [
                at(1, 1),
                at(2, 24),
                at(2, 9),
                at(3, 19),
                at(3, 8),
                None,
                None
            ]
        );
    }

    #[test]
    fn finds_what_holds_an_offset() {
        let text = "{\"a\": [1, {\"b\": true}], \"c\": [\"日本\"]}";
        let at = |s: &str| text.find(s).unwrap();
        let b = path(&[key("a"), Step::Index(1), key("b")]);
        assert_eq!(
            innermost(text, at("true") + 3),
            Some((b.clone(), at("true")))
        );
        assert_eq!(innermost(text, at("\"b\"") + 2), Some((b, at("\"b\""))));
        // Just before a value that was not read: the value.
        let c = path(&[key("c")]);
        assert_eq!(
            innermost(text, at("[\"日") - 1),
            Some((c.clone(), at("[\"日")))
        );
        assert_eq!(
            innermost(text, at("日") + 1),
            Some((c.index(0), at("\"日")))
        );
        assert_eq!(innermost(text, 0), Some((JsonPath::default(), 0)));
        assert_eq!(innermost("{\"a\": }", 3), None);
    }

    #[test]
    fn finds_nothing_in_what_is_not_json() {
        assert_eq!(locate("{\"a\": }", &[&JsonPath::default()]), [None]);
    }
}
