//! JSON paths, and where in a document the value (or key) at a path starts.
//!
//! The serde types of the catalog keep no positions; a problem carries the path it is about,
//! and only when problems are reported is the document read again for where those paths are.
//! serde_json's `RawValue`, borrowed from the document, gives the exact start of each value:
//! each object or array on the way to a problem is read once, whatever the number of problems.

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
                Step::Key(key) => write!(f, ".{key}")?,
                Step::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// What to point at for a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Target {
    /// The value at the path.
    Value,
    /// The key that names the value (for unknown fields).
    Key,
    /// The second occurrence of the key (for a key given twice).
    RepeatedKey,
}

/// A place to find: a path and what to point at there.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Spot {
    pub path: JsonPath,
    pub target: Target,
}

/// The byte offset in `text` of each spot, `None` where the document has no such path or is
/// not JSON. `text` is the whole document; offsets are relative to its start.
pub(crate) fn locate(text: &str, spots: &[&Spot]) -> Vec<Option<usize>> {
    let mut found = vec![None; spots.len()];
    if let Ok(root) = serde_json::from_str::<&RawValue>(text) {
        let mut order: Vec<usize> = (0..spots.len()).collect();
        order.sort_by(|&a, &b| spots[a].cmp(spots[b]));
        walk(text, root, 0, spots, &order, &mut found);
    }
    found
}

fn offset_in(text: &str, part: &str) -> usize {
    // `part` is borrowed from `text` (serde_json's RawValue borrows from the input).
    part.as_ptr() as usize - text.as_ptr() as usize
}

/// Resolves the spots `order` lists, all under `node`, whose path is their first `depth` steps.
/// `order` is sorted by path, so the spots under one child are next to each other.
fn walk(
    text: &str,
    node: &RawValue,
    depth: usize,
    spots: &[&Spot],
    order: &[usize],
    found: &mut [Option<usize>],
) {
    let mut children: Option<Children<'_>> = None;
    let mut i = 0;
    while i < order.len() {
        let steps = &spots[order[i]].path.0;
        let Some(step) = steps.get(depth) else {
            found[order[i]] = Some(offset_in(text, node.get()));
            i += 1;
            continue;
        };
        let group_len = order[i..]
            .iter()
            .take_while(|&&s| spots[s].path.0.get(depth) == Some(step))
            .count();
        let group = &order[i..i + group_len];
        i += group_len;
        let children = children.get_or_insert_with(|| {
            serde_json::from_str::<Children<'_>>(node.get()).unwrap_or_default()
        });
        let mut matching = children.0.iter().filter(|(key, _)| match (step, key) {
            (Step::Index(_), None) => true,
            (Step::Key(name), Some(key)) => {
                serde_json::from_str::<String>(key.get()).is_ok_and(|k| k == *name)
            }
            _ => false,
        });
        let (first, second) = match step {
            Step::Index(index) => (matching.nth(*index), None),
            Step::Key(_) => (matching.next(), matching.next()),
        };
        let Some((key, value)) = first else {
            continue;
        };
        let mut deeper = Vec::new();
        for &s in group {
            if spots[s].path.0.len() > depth + 1 {
                deeper.push(s);
                continue;
            }
            let at = match (spots[s].target, key, second) {
                (Target::RepeatedKey, _, Some((Some(repeat), _))) => repeat,
                (Target::Key | Target::RepeatedKey, Some(key), _) => key,
                _ => value,
            };
            found[s] = Some(offset_in(text, at.get()));
        }
        if !deeper.is_empty() {
            walk(text, value, depth + 1, spots, &deeper, found);
        }
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

    fn spot(steps: &[Step], target: Target) -> Spot {
        Spot {
            path: JsonPath(steps.to_vec()),
            target,
        }
    }

    fn key(k: &str) -> Step {
        Step::Key(k.into())
    }

    #[test]
    fn finds_values_keys_and_repeats_in_one_reading() {
        let text = "{\n  \"a\": [1, {\"b\\u0022\": true}],\n  \"c\": \"日本\", \"c\": 2\n}";
        let spots = [
            spot(&[], Target::Value),
            spot(&[key("a"), Step::Index(1), key("b\"")], Target::Value),
            spot(&[key("a"), Step::Index(1), key("b\"")], Target::Key),
            spot(&[key("a"), Step::Index(0)], Target::Value),
            spot(&[key("c")], Target::RepeatedKey),
            spot(&[key("c")], Target::Value),
            spot(&[key("nope")], Target::Value),
            spot(&[key("a"), Step::Index(7)], Target::Value),
        ];
        let refs: Vec<&Spot> = spots.iter().collect();
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
                at(2, 13),
                at(2, 9),
                at(3, 14),
                at(3, 8),
                None,
                None
            ]
        );
    }

    #[test]
    fn finds_nothing_in_what_is_not_json() {
        let spots = [spot(&[], Target::Value)];
        assert_eq!(locate("{\"a\": }", &[&spots[0]]), [None]);
    }
}
