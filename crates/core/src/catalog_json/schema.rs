//! The catalog's JSON Schema, generated from the serde types of the file ([`super::format`]).

use schemars::generate::SchemaSettings;

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
