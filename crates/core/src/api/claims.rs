//! The claims of an identity token (a JWT the team's backend signs, `header.payload.signature`)
//! as a client reads them: **without checking the signature**. Only a receiver that holds the
//! key can trust a token; the widget reads the claims to show the desks of the customer's plan
//! and their email and name, and sends the token on for the receiver to verify.

use std::fmt;

use serde::Deserialize;

use super::read_object;
use crate::catalog::Catalog;
use crate::plan::{UnknownPlanError, Viewer};

/// What a client reads of an identity token's payload: `{plan, email, name, exp, …}` (other
/// claims, `sub`, `iat`, `aud`, are the receiver's to check). Never trusted: whoever edits the
/// page can write any claims; the receiver verifies the signature.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct IdentityClaims {
    /// The plan's id, as the catalog names it.
    pub plan: String,
    pub email: String,
    #[serde(default)]
    pub name: String,
    /// When the token expires, in seconds since the Unix epoch.
    pub exp: u64,
}

/// Why a token's claims could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadTokenError {
    /// Not three dot-separated parts.
    NotAJwt,
    /// The payload is not base64url-encoded UTF-8.
    NotBase64url,
    /// The payload is not a JSON object with a non-empty `plan` and `email` and a numeric
    /// `exp`.
    NotClaims,
}

impl fmt::Display for ReadTokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotAJwt => "the token is not a JWT (header.payload.signature)",
            Self::NotBase64url => "the token's payload is not base64url",
            Self::NotClaims => {
                "the token's payload lacks a claim: plan and email (non-empty strings), exp (seconds)"
            }
        })
    }
}

impl std::error::Error for ReadTokenError {}

impl IdentityClaims {
    /// Reads a token's claims, **unverified**. `decode` turns base64url text (no padding) into
    /// bytes: the browser's `atob` in the widget, so the wasm carries no decoder of its own.
    pub fn read_unverified(
        token: &str,
        decode: impl FnOnce(&str) -> Option<Vec<u8>>,
    ) -> Result<Self, ReadTokenError> {
        let payload = token
            .trim()
            .split_once('.')
            .and_then(|(_header, rest)| rest.split_once('.'))
            .filter(|(_, signature)| !signature.contains('.'))
            .map(|(payload, _)| payload)
            .ok_or(ReadTokenError::NotAJwt)?;
        let bytes = decode(payload).ok_or(ReadTokenError::NotBase64url)?;
        let text = String::from_utf8(bytes).map_err(|_| ReadTokenError::NotBase64url)?;
        read_object::<IdentityClaims>(&text)
            .filter(|claims| !claims.plan.trim().is_empty() && !claims.email.trim().is_empty())
            .ok_or(ReadTokenError::NotClaims)
    }

    /// Whether the token has expired `margin_seconds` after `now` (seconds since the Unix
    /// epoch): a token that will not outlive a request is renewed before it.
    pub fn expires_within(&self, now: u64, margin_seconds: u64) -> bool {
        self.exp <= now.saturating_add(margin_seconds)
    }

    /// The viewer the claims name; a plan the catalog does not know is an error (the view is
    /// then the signed-out one, never a paid desk).
    pub fn viewer(&self, catalog: &Catalog) -> Result<Viewer, UnknownPlanError> {
        catalog.plan(self.plan.trim()).map(|plan| Viewer::SignedIn {
            plan: plan.id.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    use super::*;

    fn token(payload: &str) -> String {
        format!(
            "{}.{}.c2lnbmF0dXJl",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#),
            URL_SAFE_NO_PAD.encode(payload)
        )
    }

    fn read(token: &str) -> Result<IdentityClaims, ReadTokenError> {
        IdentityClaims::read_unverified(token, |text| URL_SAFE_NO_PAD.decode(text).ok())
    }

    #[test]
    fn the_claims_are_read_without_the_signature_and_other_claims_are_ignored() {
        let claims = read(&token(
            r#"{"sub":"42","email":"bao@example.com","name":"Bảo","plan":"business","iat":1795600000,"exp":1795607200,"aud":"help"}"#,
        ))
        .unwrap();
        assert_eq!(
            claims,
            IdentityClaims {
                plan: "business".into(),
                email: "bao@example.com".into(),
                name: "Bảo".into(),
                exp: 1_795_607_200,
            }
        );
        let no_name = read(&token(r#"{"email":"a@b.c","plan":"free","exp":1}"#)).unwrap();
        assert_eq!(no_name.name, "");
    }

    #[test]
    fn what_is_not_a_token_with_claims_is_an_error() {
        let good = r#"{"email":"a@b.c","plan":"free","exp":1}"#;
        assert!(read(&token(good)).is_ok());
        for (text, error) in [
            (String::new(), ReadTokenError::NotAJwt),
            ("a.b".into(), ReadTokenError::NotAJwt),
            (format!("{}.extra", token(good)), ReadTokenError::NotAJwt),
            ("a.@@@.c".into(), ReadTokenError::NotBase64url),
            (
                format!("a.{}.c", URL_SAFE_NO_PAD.encode([0xff, 0xfe])),
                ReadTokenError::NotBase64url,
            ),
            (token("not json"), ReadTokenError::NotClaims),
            (token("[1,2]"), ReadTokenError::NotClaims),
            (
                token(r#"{"email":"a@b.c","exp":1}"#),
                ReadTokenError::NotClaims,
            ),
            (
                token(r#"{"email":"a@b.c","plan":"","exp":1}"#),
                ReadTokenError::NotClaims,
            ),
            (
                token(r#"{"email":" ","plan":"free","exp":1}"#),
                ReadTokenError::NotClaims,
            ),
            (
                token(r#"{"email":"a@b.c","plan":"free","exp":"soon"}"#),
                ReadTokenError::NotClaims,
            ),
            (
                token(r#"{"email":"a@b.c","plan":"free"}"#),
                ReadTokenError::NotClaims,
            ),
        ] {
            assert_eq!(read(&text), Err(error), "{text}");
            assert!(!error.to_string().is_empty());
        }
    }

    #[test]
    fn expiry_is_measured_against_the_given_now_with_a_margin() {
        let claims = IdentityClaims {
            plan: "free".into(),
            email: "a@b.c".into(),
            name: String::new(),
            exp: 1_000,
        };
        assert!(!claims.expires_within(939, 60));
        assert!(claims.expires_within(940, 60));
        assert!(claims.expires_within(1_000, 0));
        assert!(!claims.expires_within(999, 0));
        assert!(claims.expires_within(u64::MAX, 60));
    }

    #[test]
    fn only_a_plan_of_the_catalog_names_a_viewer() {
        let catalog = Catalog::builtin();
        let claims = |plan: &str| IdentityClaims {
            plan: plan.into(),
            email: "a@b.c".into(),
            name: String::new(),
            exp: 1,
        };
        assert_eq!(
            claims("business").viewer(catalog),
            Ok(Viewer::SignedIn {
                plan: "business".parse().unwrap()
            })
        );
        let error = claims("platinum").viewer(catalog).unwrap_err();
        assert_eq!(error.given, "platinum");
    }
}
