//! A widget's options, read the same way from a `[data-deskform]` element's attributes and from
//! the object a page passes to `mount(element, options)`: by camelCase name, through a lookup
//! (an attribute read, a `Reflect.get`), so no deserialiser is shipped in the wasm.

use std::str::FromStr;

use crate::components::Theme;
use crate::draft::Prefill;
use crate::identity::Bearer;

/// The options of one widget, as the page gave them (trimmed; an empty text is kept, since an
/// empty `plan` means "signed out", not "ask the session").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MountOptions {
    pub plan: Option<String>,
    /// A JWT from the team's backend: the identity (it outranks `plan`); none when empty.
    pub identity_token: Option<Bearer>,
    pub locale: Option<String>,
    pub session_url: Option<String>,
    pub submit_url: Option<String>,
    pub config_url: Option<String>,
    pub draft_key: Option<String>,
    pub draft_ttl: Option<String>,
    pub theme: Option<String>,
    /// `show` opts into the locked desks' upsell view (passed through as written).
    pub locked_desks: Option<String>,
    pub prefill: Option<Prefill>,
}

/// The option names, camelCase as the mount API takes them.
pub const OPTION_NAMES: [&str; 10] = [
    "plan",
    "identityToken",
    "locale",
    "sessionUrl",
    "submitUrl",
    "configUrl",
    "draftKey",
    "draftTtl",
    "theme",
    "lockedDesks",
];

impl MountOptions {
    /// Reads every option by its camelCase name; `get` answers `None` for an absent one.
    /// `prefill` is read apart (an object, not a text).
    pub fn read(get: &dyn Fn(&str) -> Option<String>) -> Self {
        let [plan, identity_token, locale, session_url, submit_url, config_url, draft_key, draft_ttl, theme, locked_desks] =
            OPTION_NAMES.map(|name| get(name).map(|v| v.trim().to_owned()));
        Self {
            plan,
            identity_token: identity_token.filter(|t| !t.is_empty()).map(Bearer::from),
            locale,
            session_url,
            submit_url,
            config_url,
            draft_key,
            draft_ttl,
            theme,
            locked_desks,
            prefill: None,
        }
    }

    /// A non-empty option's text.
    pub fn given(value: &Option<String>) -> Option<&str> {
        value.as_deref().filter(|v| !v.is_empty())
    }

    /// The theme, `default` when none is given; an unknown one is an error to report.
    pub fn theme_or(&self, default: Theme) -> Result<Theme, String> {
        match Self::given(&self.theme) {
            None => Ok(default),
            Some(text) => Theme::from_str(text),
        }
    }
}

/// `sessionUrl` → `data-session-url`: the attribute of a `[data-deskform]` element that holds
/// an option.
pub fn attribute_name(option: &str) -> String {
    let mut name = String::from("data-");
    for c in option.chars() {
        if c.is_ascii_uppercase() {
            name.push('-');
        }
        name.push(c.to_ascii_lowercase());
    }
    name
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn read(pairs: &[(&str, &str)]) -> MountOptions {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        MountOptions::read(&|name| map.get(name).cloned())
    }

    #[test]
    fn options_are_read_by_their_camel_case_names_and_trimmed() {
        let options = read(&[
            ("plan", " business "),
            ("identityToken", " a.b.c\n"),
            ("locale", "ja"),
            ("sessionUrl", "/session"),
            ("submitUrl", "/inquiries"),
            ("configUrl", "/catalog.json"),
            ("draftKey", "k"),
            ("draftTtl", "1h"),
            ("theme", "dark"),
            ("lockedDesks", "show"),
            ("session_url", "/not-this"),
        ]);
        assert_eq!(
            options,
            MountOptions {
                plan: Some("business".into()),
                identity_token: Some("a.b.c".into()),
                locale: Some("ja".into()),
                session_url: Some("/session".into()),
                submit_url: Some("/inquiries".into()),
                config_url: Some("/catalog.json".into()),
                draft_key: Some("k".into()),
                draft_ttl: Some("1h".into()),
                theme: Some("dark".into()),
                locked_desks: Some("show".into()),
                prefill: None,
            }
        );
        // An empty plan is kept: it says "signed out", so the session is not asked.
        assert_eq!(read(&[("plan", "")]).plan.as_deref(), Some(""));
        // An empty token is none: the plan or the session says who it is.
        assert_eq!(read(&[("identityToken", " ")]).identity_token, None);
        let options = read(&[("identityToken", "a.b.c")]);
        assert!(!format!("{options:?}").contains("a.b.c"), "{options:?}");
        assert_eq!(read(&[]), MountOptions::default());
    }

    #[test]
    fn the_theme_defaults_and_an_unknown_one_is_an_error() {
        assert_eq!(read(&[]).theme_or(Theme::Auto), Ok(Theme::Auto));
        assert_eq!(
            read(&[("theme", "")]).theme_or(Theme::Light),
            Ok(Theme::Light)
        );
        assert_eq!(
            read(&[("theme", "dark")]).theme_or(Theme::Auto),
            Ok(Theme::Dark)
        );
        assert!(read(&[("theme", "purple")]).theme_or(Theme::Auto).is_err());
    }

    #[test]
    fn each_option_has_its_data_attribute() {
        let names: Vec<String> = OPTION_NAMES.iter().map(|n| attribute_name(n)).collect();
        assert_eq!(
            names,
            [
                "data-plan",
                "data-identity-token",
                "data-locale",
                "data-session-url",
                "data-submit-url",
                "data-config-url",
                "data-draft-key",
                "data-draft-ttl",
                "data-theme",
                "data-locked-desks",
            ]
        );
    }
}
