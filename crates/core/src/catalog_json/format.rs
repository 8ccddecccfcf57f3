//! The catalog file as written: serde types for its shape, from which the JSON Schema is
//! generated (`cargo xtask schema`).
//!
//! serde checks the shape here: JSON types, unknown fields, keys given twice. Values are kept as
//! written (ids and dates as strings, numbers as their text) and required fields as options, so
//! that the validation after parsing ([`super::validate`]) can report every wrong or missing
//! value at once, each at its own position.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

use crate::catalog::Links;
use crate::locale::Locale;

/// A catalog file (format version 1), as written.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, expecting = "an object")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(
        title = "deskform catalog",
        description = "The support desks, plans and business calendar of a deskform widget. \
            Check a file with `deskform check FILE`: it also checks what a schema cannot \
            (unique ids, known plans, real dates).",
        extend("required" = ["version", "plans", "desks", "calendar"])
    )
)]
pub struct CatalogFile {
    /// Where your editor finds this schema, e.g. "./catalog.schema.json".
    #[serde(
        rename = "$schema",
        default,
        deserialize_with = "super::strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub schema: Option<String>,
    /// The catalog format's version: always 1.
    #[serde(
        default,
        deserialize_with = "super::strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "super::schema::Version"))]
    pub version: Option<Box<RawValue>>,
    /// Every plan, desk and closure needs text in this language; the others fall back to it. Default: en.
    #[serde(
        default,
        deserialize_with = "super::strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Locale"))]
    pub default_locale: Option<String>,
    #[serde(
        default,
        deserialize_with = "super::strict::present_objects",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Vec<PlanFile>", length(min = 1, max = 50))
    )]
    pub plans: Option<Vec<PlanFile>>,
    /// Shown in this order.
    #[serde(
        default,
        deserialize_with = "super::strict::present_objects",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Vec<DeskFile>", length(min = 1, max = 50))
    )]
    pub desks: Option<Vec<DeskFile>>,
    #[serde(
        default,
        deserialize_with = "super::strict::present_object",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "super::schema::reference::<CalendarFile>")
    )]
    pub calendar: Option<CalendarFile>,
    #[serde(
        default,
        deserialize_with = "super::strict::object",
        skip_serializing_if = "Links::is_empty"
    )]
    pub links: Links,
}

/// A subscription plan.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, expecting = "an object")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(rename = "plan", extend("required" = ["id", "name", "paid"]))
)]
pub struct PlanFile {
    #[serde(
        default,
        deserialize_with = "super::strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "crate::PlanId"))]
    pub id: Option<String>,
    /// At most 100 characters.
    #[serde(
        default,
        deserialize_with = "super::strict::present_object",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "super::schema::reference::<Texts>")
    )]
    pub name: Option<Texts>,
    #[serde(
        default,
        deserialize_with = "super::strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "bool"))]
    pub paid: Option<bool>,
    /// Closed to new sign-ups. Default: false.
    #[serde(default, skip_serializing_if = "is_false")]
    pub legacy: bool,
}

/// A support desk.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, expecting = "an object")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(
        rename = "desk",
        extend(
            "required" = ["id", "name", "scope", "available_to", "reply_within_business_days"]
        )
    )
)]
pub struct DeskFile {
    #[serde(
        default,
        deserialize_with = "super::strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "crate::DeskId"))]
    pub id: Option<String>,
    /// At most 100 characters.
    #[serde(
        default,
        deserialize_with = "super::strict::present_object",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "super::schema::reference::<Texts>")
    )]
    pub name: Option<Texts>,
    /// What the desk answers; at most 1000 characters.
    #[serde(
        default,
        deserialize_with = "super::strict::present_object",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "super::schema::reference::<Texts>")
    )]
    pub scope: Option<Texts>,
    /// "everyone" (signed out included), "signed_in", "paid", or the ids of the plans that may use the desk.
    #[serde(
        default,
        deserialize_with = "super::strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "AudienceFile"))]
    pub available_to: Option<AudienceFile>,
    #[serde(
        default,
        deserialize_with = "super::strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "crate::BusinessDays"))]
    pub reply_within_business_days: Option<Box<RawValue>>,
}

/// Who may use a desk, as written: a word, or plan ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AudienceFile {
    /// `everyone`, `signed_in` or `paid` (any other word is reported after parsing).
    Word(String),
    /// The ids of the plans that may use the desk.
    Plans(Vec<String>),
}

/// The desk's business calendar.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, expecting = "an object")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(rename = "calendar", extend("required" = ["time_zone", "holidays"]))
)]
pub struct CalendarFile {
    /// The desk's IANA time zone, e.g. Asia/Tokyo: the day of receipt is taken there.
    #[serde(
        default,
        deserialize_with = "super::strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub time_zone: Option<String>,
    /// Default: saturday and sunday.
    #[serde(
        default,
        deserialize_with = "super::strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(
            with = "Vec<super::schema::WeekdayName>",
            length(max = 6),
            extend("uniqueItems" = true)
        )
    )]
    pub weekend: Option<Vec<String>>,
    #[serde(
        default,
        deserialize_with = "super::strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "crate::calendar::HolidaySet"))]
    pub holidays: Option<String>,
    #[serde(
        default,
        deserialize_with = "super::strict::objects",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[cfg_attr(feature = "schema", schemars(length(max = 100)))]
    pub closures: Vec<ClosureFile>,
    /// Dates (YYYY-MM-DD) that are business days even on a weekend or holiday.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(
        feature = "schema",
        schemars(
            length(max = 366),
            extend("uniqueItems" = true),
            inner(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))
        )
    )]
    pub extra_working_days: Vec<String>,
}

/// Days the desk is closed beyond weekends and holidays.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, expecting = "an object")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(rename = "closure", extend("required" = ["from", "name"]))
)]
pub struct ClosureFile {
    /// YYYY-MM-DD once, or MM-DD every year.
    #[serde(
        default,
        deserialize_with = "super::strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "String", regex(pattern = r"^([0-9]{4}-)?[0-9]{2}-[0-9]{2}$"))
    )]
    pub from: Option<String>,
    /// Included; same form as from. Default: from.
    #[serde(
        default,
        deserialize_with = "super::strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "String", regex(pattern = r"^([0-9]{4}-)?[0-9]{2}-[0-9]{2}$"))
    )]
    pub to: Option<String>,
    /// Shown to customers, e.g. Year-end closure.
    #[serde(
        default,
        deserialize_with = "super::strict::present_object",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "super::schema::reference::<Texts>")
    )]
    pub name: Option<Texts>,
}

/// The same text in each language; the default locale's is required.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, expecting = "an object")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(rename = "text", extend("minProperties" = 1))
)]
pub struct Texts {
    #[serde(
        default,
        deserialize_with = "super::strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "String", length(min = 1)))]
    pub en: Option<String>,
    #[serde(
        default,
        deserialize_with = "super::strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "String", length(min = 1)))]
    pub ja: Option<String>,
    #[serde(
        default,
        deserialize_with = "super::strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "String", length(min = 1)))]
    pub vi: Option<String>,
}

impl Texts {
    /// The text given in `locale`, if any.
    pub fn get(&self, locale: Locale) -> Option<&String> {
        match locale {
            Locale::En => self.en.as_ref(),
            Locale::Ja => self.ja.as_ref(),
            Locale::Vi => self.vi.as_ref(),
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl<'de> Deserialize<'de> for AudienceFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AudienceVisitor;

        impl<'de> Visitor<'de> for AudienceVisitor {
            type Value = AudienceFile;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("\"everyone\", \"signed_in\", \"paid\" or an array of plan ids")
            }

            fn visit_str<E: de::Error>(self, word: &str) -> Result<Self::Value, E> {
                Ok(AudienceFile::Word(word.to_owned()))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut ids = Vec::new();
                while let Some(id) = seq.next_element::<String>()? {
                    ids.push(id);
                }
                Ok(AudienceFile::Plans(ids))
            }
        }

        deserializer.deserialize_any(AudienceVisitor)
    }
}

impl Serialize for AudienceFile {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            AudienceFile::Word(word) => serializer.serialize_str(word),
            AudienceFile::Plans(ids) => ids.serialize(serializer),
        }
    }
}
