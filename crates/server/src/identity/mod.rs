//! Identity tokens: a short-lived JWT, signed by the team's backend, that says who the customer
//! is (`sub`, `email`, `name`, `plan`, `iat`, `exp`, optional `aud`). The widget sends it as
//! `Authorization: Bearer …`; the receiver believes the plan, email and name only from a token
//! that passes every check here.
//!
//! The signature, the algorithm and the audience are checked by `jsonwebtoken` (only the
//! configured algorithm is accepted: `alg: none`, and an HS256 token signed with an RS256 or
//! EdDSA public key as its secret, are refused before any signature is computed). The times
//! are checked here against the receiver's [`Clock`](crate::Clock), the one sessions are timed
//! by (tests move it), with [`LEEWAY_SECONDS`] of skew either way.
//!
//! Secrets are never logged or echoed: errors name the file, not its content.

mod keys;

use std::collections::HashSet;
use std::fmt;

use base64::Engine as _;
use deskform_core::{check_field, Catalog, Field, TokenProblem};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::Validation;
use serde::{Deserialize, Serialize};

pub use keys::{
    IdentityAlgorithm, SigningKey, UnknownAlgorithmError, VerifyingKey, MIN_SECRET_BYTES,
};

/// The longest a token may live: `exp` at most this long after `iat`.
pub const MAX_LIFETIME_SECONDS: i64 = 2 * 60 * 60;

/// The clock skew allowed between the team's servers and the receiver, either way.
pub const LEEWAY_SECONDS: i64 = 60;

/// How long the tokens the demo sign-in's session hands out live; the widget asks again when
/// one runs out.
pub const SESSION_TOKEN_SECONDS: i64 = 15 * 60;

/// The claims of an identity token, as a team's backend (or `deskform token`) signs them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Claims {
    /// The customer's id in the team's system.
    pub sub: String,
    pub email: String,
    pub name: String,
    /// A plan id of the receiver's catalog.
    pub plan: String,
    /// Issued at, Unix seconds.
    pub iat: i64,
    /// Expires at, Unix seconds: at most [`MAX_LIFETIME_SECONDS`] after `iat`.
    pub exp: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
}

/// The customer a verified token names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub sub: String,
    pub email: String,
    pub name: String,
    pub plan: String,
}

/// The receiver's side: the key tokens are verified with, the audience they must name, and,
/// when the receiver can sign too (the demo), the key its session tokens are signed with.
pub(crate) struct Tokens {
    verifying: VerifyingKey,
    validation: Validation,
    audience: Option<String>,
    signing: Option<SigningKey>,
    /// `--require-identity`: a post without a token is refused.
    pub(crate) required: bool,
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("verifying", &self.verifying)
            .field("audience", &self.audience)
            .field("signing", &self.signing)
            .field("required", &self.required)
            .finish()
    }
}

/// What `deskform serve` was asked about identity tokens.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IdentityOptions {
    /// `--identity-key`: the HS256 secret's file, or the PEM public key's.
    pub key_file: Option<std::path::PathBuf>,
    /// `--identity-alg`.
    pub algorithm: IdentityAlgorithm,
    /// `--audience`: when set, every token's `aud` must name it.
    pub audience: Option<String>,
    /// `--require-identity`: every post must carry a valid token (needs `key_file`); one
    /// without is refused, `missing_token`. Signed-out visitors cannot post at all then.
    pub require: bool,
}

impl Tokens {
    /// The receiver's token checks, if any: with a key file, that key, for verifying only;
    /// without one, under `--demo`, a random HS256 secret of this process that both signs and
    /// verifies (gone when the process ends, so its tokens end with it); else none. `--demo`
    /// with a key file is refused: the demo signs in anyone on any plan, and would hand out
    /// tokens signed with the team's own secret.
    pub(crate) fn configure(
        options: &IdentityOptions,
        demo: bool,
    ) -> Result<Option<Tokens>, String> {
        if options.require && options.key_file.is_none() {
            return Err("--require-identity needs --identity-key".into());
        }
        let (verifying, signing) = match &options.key_file {
            Some(_) if demo => {
                return Err(
                    "--demo cannot be combined with --identity-key: the demo signs \
                    anyone in on any plan, so it signs its tokens with a secret of its own"
                        .into(),
                )
            }
            Some(path) => (VerifyingKey::read(path, options.algorithm)?, None),
            None if demo => {
                let secret: [u8; 32] = crate::random_bytes();
                (
                    VerifyingKey::hs256(&secret),
                    Some(SigningKey::hs256(&secret)),
                )
            }
            None => {
                if options.audience.is_some() {
                    return Err("--audience needs --identity-key (or --demo)".into());
                }
                return Ok(None);
            }
        };
        let mut validation = Validation::new(verifying.algorithm().jwt());
        // The times are checked in `verify`, on the receiver's clock.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.required_spec_claims = HashSet::new();
        match &options.audience {
            Some(audience) => {
                validation.set_audience(&[audience]);
                validation.required_spec_claims.insert("aud".into());
            }
            // The issue's `aud` is optional: without an audience of its own the receiver
            // does not look at it.
            None => validation.validate_aud = false,
        }
        Ok(Some(Tokens {
            verifying,
            validation,
            audience: options.audience.clone(),
            signing,
            required: options.require,
        }))
    }

    /// The customer `token` names, if it passes every check at `now` (Unix seconds).
    pub(crate) fn verify(
        &self,
        token: &str,
        now: i64,
        catalog: &Catalog,
    ) -> Result<Identity, TokenProblem> {
        // The algorithm the header names, read first: `jsonwebtoken` cannot parse a header
        // whose `alg` it does not know (`none`), and would call that malformed.
        let named = header_algorithm(token).ok_or(TokenProblem::Malformed)?;
        if named != self.verifying.algorithm().name() {
            return Err(TokenProblem::WrongAlgorithm);
        }
        let claims =
            jsonwebtoken::decode::<ReceivedClaims>(token, &self.verifying.key, &self.validation)
                .map_err(|e| problem_of(e.kind()))?
                .claims;
        let text = |value: Option<String>| value.filter(|v| !v.trim().is_empty());
        let (Some(sub), Some(email), Some(name), Some(plan)) = (
            text(claims.sub),
            text(claims.email),
            text(claims.name),
            text(claims.plan),
        ) else {
            return Err(TokenProblem::MissingClaim);
        };
        let (Some(exp), Some(iat)) = (claims.exp, claims.iat) else {
            return Err(TokenProblem::MissingClaim);
        };
        let (exp, iat, nbf) = (
            unix_seconds(&exp)?,
            unix_seconds(&iat)?,
            claims.nbf.as_ref().map(unix_seconds).transpose()?,
        );
        if exp.saturating_add(LEEWAY_SECONDS) < now {
            return Err(TokenProblem::Expired);
        }
        let latest_start = now.saturating_add(LEEWAY_SECONDS);
        if iat > latest_start || nbf.is_some_and(|nbf| nbf > latest_start) {
            return Err(TokenProblem::NotYetValid);
        }
        if exp.saturating_sub(iat) > MAX_LIFETIME_SECONDS {
            return Err(TokenProblem::LifetimeTooLong);
        }
        if catalog.plan(&plan).is_err() {
            return Err(TokenProblem::UnknownPlan);
        }
        // Stored and mailed as the inquiry's email and name: held to a form's rules, so a
        // token cannot carry what a body could not (`"Name" <a@b.co>`, a 10 kB name).
        if check_field(Field::Email, &email).is_some()
            || email.trim() != email
            || check_field(Field::Name, &name).is_some()
        {
            return Err(TokenProblem::InvalidClaim);
        }
        Ok(Identity {
            sub,
            email,
            name,
            plan,
        })
    }

    /// A token for a signed-in demo account, if this receiver can sign.
    pub(crate) fn mint(&self, identity: &Identity, now: i64) -> Option<String> {
        let signing = self.signing.as_ref()?;
        let claims = Claims {
            sub: identity.sub.clone(),
            email: identity.email.clone(),
            name: identity.name.clone(),
            plan: identity.plan.clone(),
            iat: now,
            exp: now + SESSION_TOKEN_SECONDS,
            aud: self.audience.clone(),
        };
        match signing.sign(&claims) {
            Ok(token) => Some(token),
            Err(e) => {
                tracing::error!(error = %e, "cannot sign a session token");
                None
            }
        }
    }
}

/// The claims as received: every one optional, so that a missing one is named as such.
#[derive(Deserialize)]
struct ReceivedClaims {
    sub: Option<String>,
    email: Option<String>,
    name: Option<String>,
    plan: Option<String>,
    exp: Option<serde_json::Number>,
    iat: Option<serde_json::Number>,
    nbf: Option<serde_json::Number>,
}

/// A JWT NumericDate (seconds, possibly with a fraction) as whole Unix seconds.
fn unix_seconds(number: &serde_json::Number) -> Result<i64, TokenProblem> {
    number
        .as_i64()
        .or_else(|| {
            let seconds = number.as_f64()?.floor();
            // `as` saturates; a date beyond i64 is not a date anyway.
            (seconds.is_finite() && seconds.abs() < 1e15).then_some(seconds as i64)
        })
        .ok_or(TokenProblem::Malformed)
}

/// The `alg` a token's header names, if the token has three parts and a JSON header.
fn header_algorithm(token: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Named {
        alg: String,
    }
    let mut parts = token.split('.');
    let (header, _, _, None) = (parts.next()?, parts.next()?, parts.next()?, parts.next()) else {
        return None;
    };
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header)
        .ok()?;
    serde_json::from_slice::<Named>(&json).ok().map(|n| n.alg)
}

fn problem_of(kind: &ErrorKind) -> TokenProblem {
    match kind {
        ErrorKind::InvalidSignature => TokenProblem::BadSignature,
        ErrorKind::InvalidAlgorithm | ErrorKind::MissingAlgorithm => TokenProblem::WrongAlgorithm,
        ErrorKind::InvalidAudience => TokenProblem::BadAudience,
        ErrorKind::MissingRequiredClaim(_) => TokenProblem::MissingClaim,
        _ => TokenProblem::Malformed,
    }
}

/// What an `Authorization` header value holds: `None` when it is not the Bearer scheme (a site
/// behind HTTP basic auth sends `Basic …` with every request: that says nothing about the
/// customer), the token of `Bearer TOKEN`, and [`TokenProblem::MissingToken`] for a Bearer
/// scheme without one token.
pub(crate) fn bearer(value: &[u8]) -> Option<Result<&str, TokenProblem>> {
    let value = value.trim_ascii();
    let scheme_end = value
        .iter()
        .position(|b| b.is_ascii_whitespace())
        .unwrap_or(value.len());
    let (scheme, rest) = value.split_at(scheme_end);
    if !scheme.eq_ignore_ascii_case(b"bearer") {
        return None;
    }
    let token = std::str::from_utf8(rest.trim_ascii())
        .ok()
        .filter(|t| !t.is_empty() && !t.contains(|c: char| c.is_ascii_whitespace()));
    Some(token.ok_or(TokenProblem::MissingToken))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bearer_header_gives_its_token() {
        assert_eq!(bearer(b"Bearer a.b.c"), Some(Ok("a.b.c")));
        assert_eq!(bearer(b"bearer   a.b.c "), Some(Ok("a.b.c")));
        let missing = Some(Err(TokenProblem::MissingToken));
        assert_eq!(bearer(b"Bearer"), missing);
        assert_eq!(bearer(b"Bearer "), missing);
        assert_eq!(bearer(b"Bearer a b"), missing);
        assert_eq!(bearer(b"Bearer \xff\xfe"), missing);
    }

    /// Any other scheme is no token at all: a help site behind HTTP basic auth, whose browser
    /// sends `Basic …` with every request, is not refused for it.
    #[test]
    fn another_scheme_is_no_token() {
        assert_eq!(bearer(b"Basic dXNlcjpwYXNz"), None);
        assert_eq!(bearer(b"Digest username=\"a\", realm=\"b\""), None);
        assert_eq!(bearer(b"Bearerish a.b.c"), None);
        assert_eq!(bearer(b""), None);
        assert_eq!(bearer(&[0xff, 0xfe]), None);
    }

    #[test]
    fn the_header_names_its_algorithm() {
        let none = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.";
        assert_eq!(header_algorithm(none).as_deref(), Some("none"));
        assert_eq!(header_algorithm("a.b"), None);
        assert_eq!(header_algorithm("a.b.c.d"), None);
        assert_eq!(header_algorithm("!!.b.c"), None);
    }

    #[test]
    fn numeric_dates_may_have_fractions() {
        let n = |text: &str| serde_json::from_str::<serde_json::Number>(text).unwrap();
        assert_eq!(unix_seconds(&n("1800000000")), Ok(1_800_000_000));
        assert_eq!(unix_seconds(&n("1800000000.9")), Ok(1_800_000_000));
        assert_eq!(unix_seconds(&n("1e300")), Err(TokenProblem::Malformed));
    }
}
