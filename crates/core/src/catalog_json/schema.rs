//! The catalog's JSON Schema, generated from the serde types of the file ([`super::format`]),
//! and the schemas of the values those types keep as written.

use std::borrow::Cow;

use schemars::generate::SchemaSettings;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

use super::format::CatalogFile;

/// The JSON Schema (draft 2020-12) of the catalog file, as `catalog.schema.json` holds it.
pub fn catalog_schema() -> String {
    let schema = SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<CatalogFile>();
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// A reference to `T`'s definition (`with = "T"` would copy it in place).
pub fn reference<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// The format's version.
pub struct Version;

impl JsonSchema for Version {
    fn schema_name() -> Cow<'static, str> {
        "Version".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "const": 1 })
    }
}

/// A day of the week, by its English name.
pub struct WeekdayName;

impl JsonSchema for WeekdayName {
    fn schema_name() -> Cow<'static, str> {
        "WeekdayName".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let names: Vec<&str> = crate::date::Weekday::ALL.iter().map(|d| d.id()).collect();
        json_schema!({ "enum": names })
    }
}

impl JsonSchema for super::format::AudienceFile {
    fn schema_name() -> Cow<'static, str> {
        "audience".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let id = generator.subschema_for::<crate::PlanId>();
        json_schema!({
            "oneOf": [
                { "enum": ["everyone", "signed_in", "paid"] },
                {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": super::MAX_PLANS,
                    "uniqueItems": true,
                    "items": id
                }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_checked_in_schema_is_the_generated_one() {
        assert!(
            super::catalog_schema() == crate::CATALOG_SCHEMA_JSON,
            "catalog.schema.json is stale: run `cargo xtask schema`"
        );
    }
}
