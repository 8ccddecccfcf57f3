//! The languages deskform speaks, and text given in several of them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::catalog_json::format::Texts;

/// A supported language: `en`, `ja` or `vi`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "locale"))]
pub enum Locale {
    En,
    Ja,
    Vi,
}

impl Locale {
    /// Every supported locale, in the order catalogs list them.
    pub const ALL: [Locale; 3] = [Locale::En, Locale::Ja, Locale::Vi];

    /// The BCP 47 tag: `en`, `ja` or `vi`.
    pub const fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ja => "ja",
            Locale::Vi => "vi",
        }
    }

    /// The first supported locale among a browser's preferences (`navigator.languages`), where
    /// `vi-VN` counts as `vi`.
    pub fn negotiate<'a>(preferences: impl IntoIterator<Item = &'a str>) -> Option<Locale> {
        preferences.into_iter().find_map(|tag| {
            let primary = tag.split(['-', '_']).next().unwrap_or_default();
            Locale::ALL
                .into_iter()
                .find(|l| l.tag().eq_ignore_ascii_case(primary))
        })
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// A language tag deskform does not speak.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseLocaleError(pub String);

impl fmt::Display for ParseLocaleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unsupported locale \"{}\"; expected one of en, ja, vi",
            self.0
        )
    }
}

impl std::error::Error for ParseLocaleError {}

impl FromStr for Locale {
    type Err = ParseLocaleError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Locale::ALL
            .into_iter()
            .find(|l| l.tag() == s)
            .ok_or_else(|| ParseLocaleError(s.to_owned()))
    }
}

/// One text in up to three languages, with a fallback language that is always present.
///
/// Its serde form is an object keyed by locale (`{"en": "…", "ja": "…"}`); read on its own, the
/// first language given is the fallback (a catalog makes its default locale the fallback).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Texts", into = "Texts")]
pub struct LocalizedText {
    fallback: Locale,
    texts: [Option<String>; 3],
}

impl LocalizedText {
    /// Text whose fallback is `fallback`, in which it says `text`.
    pub fn new(fallback: Locale, text: impl Into<String>) -> Self {
        let mut texts = [None, None, None];
        texts[fallback as usize] = Some(text.into());
        LocalizedText { fallback, texts }
    }

    /// The same text with a translation into `locale` added.
    pub fn with(mut self, locale: Locale, text: impl Into<String>) -> Self {
        self.texts[locale as usize] = Some(text.into());
        self
    }

    /// The text in `locale`, or in the fallback language when there is no translation.
    pub fn get(&self, locale: Locale) -> &str {
        self.texts[locale as usize]
            .as_deref()
            .or(self.texts[self.fallback as usize].as_deref())
            .unwrap_or_default()
    }

    /// The text in `locale` only if it was given in that language.
    pub fn exact(&self, locale: Locale) -> Option<&str> {
        self.texts[locale as usize].as_deref()
    }
}

impl TryFrom<Texts> for LocalizedText {
    type Error = &'static str;

    fn try_from(texts: Texts) -> Result<Self, Self::Error> {
        let mut given = Locale::ALL
            .into_iter()
            .filter_map(|l| Some((l, texts.get(l)?.clone())));
        let (fallback, text) = given.next().ok_or("a text needs at least one language")?;
        Ok(given.fold(LocalizedText::new(fallback, text), |t, (l, s)| t.with(l, s)))
    }
}

impl From<LocalizedText> for Texts {
    fn from(text: LocalizedText) -> Self {
        (&text).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_the_first_supported_language() {
        assert_eq!(
            Locale::negotiate(["fr-FR", "vi-VN", "en"]),
            Some(Locale::Vi)
        );
        assert_eq!(Locale::negotiate(["JA"]), Some(Locale::Ja));
        assert_eq!(Locale::negotiate(["de", "fr"]), None);
        assert_eq!(Locale::negotiate([""]), None);
    }

    #[test]
    fn falls_back_to_the_default_language() {
        let text = LocalizedText::new(Locale::En, "Login").with(Locale::Ja, "ログイン");
        assert_eq!(text.get(Locale::Ja), "ログイン");
        assert_eq!(text.get(Locale::Vi), "Login");
        assert_eq!(text.exact(Locale::Vi), None);
    }
}
