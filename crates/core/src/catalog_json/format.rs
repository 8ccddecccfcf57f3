//! The catalog file as written: serde types for its shape, from which the JSON Schema is
//! generated (`cargo xtask schema`).
//!
//! serde checks the shape here: JSON types, unknown fields, keys given twice. Values are kept as
//! written (ids and dates as strings, numbers as their text) and required fields as options, so
//! that the validation after parsing ([`super::validate`]) can report every wrong or missing
//! value at once, each at its own position.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

use crate::calendar::ClosureDates;
use crate::catalog::{Catalog, Links};
use crate::desk::Audience;
use crate::locale::{Locale, LocalizedText};
use crate::plan::{Paid, PlanStatus};

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
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub schema: Option<String>,
    /// The catalog format's version: always 1.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "schema::Version")
    )]
    pub version: Option<Box<RawValue>>,
    /// Every plan, desk and closure needs text in this language; the others fall back to it. Default: en.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Locale"))]
    pub default_locale: Option<String>,
    #[serde(default, deserialize_with = "present_objects", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Vec<PlanFile>", length(min = 1, max = 50))
    )]
    pub plans: Option<Vec<PlanFile>>,
    /// Shown in this order.
    #[serde(default, deserialize_with = "present_objects", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Vec<DeskFile>", length(min = 1, max = 50))
    )]
    pub desks: Option<Vec<DeskFile>>,
    #[serde(default, deserialize_with = "present_object", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(schema_with = "schema::reference::<CalendarFile>"))]
    pub calendar: Option<CalendarFile>,
    #[serde(default, deserialize_with = "object", skip_serializing_if = "Links::is_empty")]
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
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::PlanId"))]
    pub id: Option<String>,
    /// At most 100 characters.
    #[serde(default, deserialize_with = "present_object", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(schema_with = "schema::reference::<Texts>"))]
    pub name: Option<Texts>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
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
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::DeskId"))]
    pub id: Option<String>,
    /// At most 100 characters.
    #[serde(default, deserialize_with = "present_object", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(schema_with = "schema::reference::<Texts>"))]
    pub name: Option<Texts>,
    /// What the desk answers; at most 1000 characters.
    #[serde(default, deserialize_with = "present_object", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(schema_with = "schema::reference::<Texts>"))]
    pub scope: Option<Texts>,
    /// "everyone" (signed out included), "signed_in", "paid", or the ids of the plans that may use the desk.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "AudienceFile"))]
    pub available_to: Option<AudienceFile>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::BusinessDays")
    )]
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
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub time_zone: Option<String>,
    /// Default: saturday and sunday.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(
            with = "Vec<schema::WeekdayName>",
            length(max = 6),
            extend("uniqueItems" = true)
        )
    )]
    pub weekend: Option<Vec<String>>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::calendar::HolidaySet"))]
    pub holidays: Option<String>,
    #[serde(default, deserialize_with = "objects", skip_serializing_if = "Vec::is_empty")]
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
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(
            with = "String",
            regex(pattern = r"^([0-9]{4}-)?[0-9]{2}-[0-9]{2}$")
        )
    )]
    pub from: Option<String>,
    /// Included; same form as from. Default: from.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "String", regex(pattern = r"^([0-9]{4}-)?[0-9]{2}-[0-9]{2}$"))
    )]
    pub to: Option<String>,
    /// Shown to customers, e.g. Year-end closure.
    #[serde(default, deserialize_with = "present_object", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(schema_with = "schema::reference::<Texts>"))]
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
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "String", length(min = 1)))]
    pub en: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "String", length(min = 1)))]
    pub ja: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
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

/// A member that may be left out but, when given, must be a `T` (not `null`).
pub(crate) fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

/// A struct read from a JSON object only: serde's derived structs would also take an array of
/// their fields in order, and a catalog written that way is not the format.
pub(crate) struct ObjectOnly<D>(pub D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for ObjectOnly<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// A member that is an object (see [`ObjectOnly`]).
pub(crate) fn object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    T::deserialize(ObjectOnly(deserializer))
}

/// [`present`] for a member that is an object.
fn present_object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    object(deserializer).map(Some)
}

/// A member that is an array of objects.
fn objects<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Vec<T>, D::Error> {
    struct Objects<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Objects<T> {
        type Value = T;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
            object(deserializer)
        }
    }

    impl<'de, T: Deserialize<'de>> Visitor<'de> for Objects<Vec<T>> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element_seed(Objects::<T>(PhantomData))? {
                items.push(item);
            }
            Ok(items)
        }
    }

    deserializer.deserialize_seq(Objects::<Vec<T>>(PhantomData))
}

/// [`present`] for a member that is an array of objects.
fn present_objects<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Vec<T>>, D::Error> {
    objects(deserializer).map(Some)
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

// From the domain back to the file: what `Catalog` serializes as.

fn raw_number(n: u32) -> Option<Box<RawValue>> {
    RawValue::from_string(n.to_string()).ok()
}

impl From<&LocalizedText> for Texts {
    fn from(text: &LocalizedText) -> Self {
        let given = |locale| text.exact(locale).map(str::to_owned);
        Texts {
            en: given(Locale::En),
            ja: given(Locale::Ja),
            vi: given(Locale::Vi),
        }
    }
}

impl From<&Audience> for AudienceFile {
    fn from(audience: &Audience) -> Self {
        let word = |w: &str| AudienceFile::Word(w.to_owned());
        match audience {
            Audience::Everyone => word("everyone"),
            Audience::SignedIn => word("signed_in"),
            Audience::PaidPlans => word("paid"),
            Audience::Plans(ids) => {
                AudienceFile::Plans(ids.iter().map(|id| id.as_str().to_owned()).collect())
            }
        }
    }
}

impl From<Catalog> for CatalogFile {
    fn from(catalog: Catalog) -> Self {
        let calendar = &catalog.calendar;
        let date = |d: crate::Date| d.to_string();
        CatalogFile {
            schema: None,
            version: raw_number(1),
            default_locale: Some(catalog.default_locale.tag().to_owned()),
            plans: Some(
                catalog
                    .plans
                    .iter()
                    .map(|plan| PlanFile {
                        id: Some(plan.id.as_str().to_owned()),
                        name: Some((&plan.name).into()),
                        paid: Some(plan.paid == Paid::Paid),
                        legacy: plan.status == PlanStatus::Legacy,
                    })
                    .collect(),
            ),
            desks: Some(
                catalog
                    .desks
                    .iter()
                    .map(|desk| DeskFile {
                        id: Some(desk.id.as_str().to_owned()),
                        available_to: Some((&desk.audience).into()),
                        reply_within_business_days: raw_number(desk.reply_within.get()),
                        name: Some((&desk.name).into()),
                        scope: Some((&desk.scope).into()),
                    })
                    .collect(),
            ),
            calendar: Some(CalendarFile {
                time_zone: Some(calendar.time_zone().to_owned()),
                weekend: Some(calendar.weekend().days().map(|d| d.id().into()).collect()),
                holidays: Some(calendar.holiday_set().id().to_owned()),
                closures: calendar
                    .closures()
                    .iter()
                    .map(|closure| {
                        let (from, to) = match closure.dates {
                            ClosureDates::Once { from, to } => (date(from), date(to)),
                            ClosureDates::EveryYear { from, to } => {
                                (from.to_string(), to.to_string())
                            }
                        };
                        ClosureFile {
                            to: (to != from).then_some(to),
                            from: Some(from),
                            name: Some((&closure.name).into()),
                        }
                    })
                    .collect(),
                extra_working_days: calendar.working_dates().iter().map(|&d| date(d)).collect(),
            }),
            links: catalog.links,
        }
    }
}

/// Schemas of values the serde types keep as written.
#[cfg(feature = "schema")]
pub(crate) mod schema {
    use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
    use std::borrow::Cow;

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

    impl JsonSchema for super::AudienceFile {
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
                    { "type": "array", "minItems": 1, "uniqueItems": true, "items": id }
                ]
            })
        }
    }
}
