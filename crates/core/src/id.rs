//! Identifiers that catalogs give to plans and desks.

use std::fmt;

/// Why a text cannot be an identifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidIdError(pub String);

impl fmt::Display for InvalidIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid id \"{}\": use 1 to 32 of a-z, 0-9, `-` and `_`, starting with a letter or digit",
            self.0
        )
    }
}

impl std::error::Error for InvalidIdError {}

pub(crate) fn check_id(s: &str) -> Result<(), InvalidIdError> {
    let ok = (1..=32).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && s.as_bytes()[0].is_ascii_alphanumeric();
    if ok {
        Ok(())
    } else {
        Err(InvalidIdError(s.to_owned()))
    }
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl TryFrom<String> for $name {
            type Error = InvalidIdError;

            fn try_from(s: String) -> Result<Self, Self::Error> {
                check_id(&s).map(|()| $name(s))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                "id".into()
            }

            // Plan and desk ids follow one rule: one definition in the schema.
            fn schema_id() -> std::borrow::Cow<'static, str> {
                "deskform_core::id".into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "string",
                    "pattern": "^[a-z0-9][a-z0-9_-]{0,31}$",
                    "description": "1 to 32 of a-z, 0-9, - and _, starting with a letter or digit."
                })
            }
        }

        impl $name {
            /// An id written in the source, taken as valid without the check: the built-in
            /// catalog's, which its test reads back from `catalog/builtin.json`.
            pub(crate) fn known(s: &str) -> Self {
                $name(s.to_owned())
            }

            /// The id as written in the catalog.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = InvalidIdError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                check_id(s).map(|()| $name(s.to_owned()))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }
    };
}

id_type!(
    /// A plan's id, such as `business`. Whether the plan exists is the catalog's to say.
    PlanId
);
id_type!(
    /// A desk's id, such as `login`.
    DeskId
);
