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

use std::collections::HashSet;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use base64::Engine as _;
use deskform_core::{Catalog, TokenProblem};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// The longest a token may live: `exp` at most this long after `iat`.
pub const MAX_LIFETIME_SECONDS: i64 = 2 * 60 * 60;

/// The clock skew allowed between the team's servers and the receiver, either way.
pub const LEEWAY_SECONDS: i64 = 60;

/// How long the tokens the demo sign-in's session hands out live; the widget asks again when
/// one runs out.
pub const SESSION_TOKEN_SECONDS: i64 = 15 * 60;

/// The shortest HS256 secret accepted: 256 bits, as RFC 7518 (3.2) asks of an HS256 key.
pub const MIN_SECRET_BYTES: usize = 32;

/// How tokens are signed (`--identity-alg`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum IdentityAlgorithm {
    /// HMAC-SHA256 with a secret shared by the team's backend and the receiver.
    #[default]
    Hs256,
    /// Ed25519: the receiver holds only the public key.
    EdDsa,
    /// RSASSA-PKCS1-v1_5 with SHA-256: the receiver holds only the public key.
    Rs256,
}

impl IdentityAlgorithm {
    /// The name in a token's header and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            IdentityAlgorithm::Hs256 => "HS256",
            IdentityAlgorithm::EdDsa => "EdDSA",
            IdentityAlgorithm::Rs256 => "RS256",
        }
    }

    fn jwt(self) -> Algorithm {
        match self {
            IdentityAlgorithm::Hs256 => Algorithm::HS256,
            IdentityAlgorithm::EdDsa => Algorithm::EdDSA,
            IdentityAlgorithm::Rs256 => Algorithm::RS256,
        }
    }
}

impl fmt::Display for IdentityAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An algorithm name other than `HS256`, `EdDSA` or `RS256`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownAlgorithmError(pub String);

impl fmt::Display for UnknownAlgorithmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown algorithm {:?}; expected HS256, EdDSA or RS256",
            self.0
        )
    }
}

impl std::error::Error for UnknownAlgorithmError {}

impl FromStr for IdentityAlgorithm {
    type Err = UnknownAlgorithmError;

    /// `HS256`, `EdDSA` or `RS256`, in any case.
    fn from_str(text: &str) -> Result<IdentityAlgorithm, UnknownAlgorithmError> {
        [
            IdentityAlgorithm::Hs256,
            IdentityAlgorithm::EdDsa,
            IdentityAlgorithm::Rs256,
        ]
        .into_iter()
        .find(|a| a.name().eq_ignore_ascii_case(text))
        .ok_or_else(|| UnknownAlgorithmError(text.to_owned()))
    }
}

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

/// A key file's bytes, or why they cannot be had. For HS256 one trailing newline (`\n` or
/// `\r\n`), which editors and `echo` add, is not part of the secret.
fn read_key_file(path: &Path, algorithm: IdentityAlgorithm) -> Result<Vec<u8>, String> {
    let mut bytes = std::fs::read(path)
        .map_err(|e| format!("cannot read the key file {}: {e}", path.display()))?;
    if algorithm == IdentityAlgorithm::Hs256 {
        if bytes.ends_with(b"\r\n") {
            bytes.truncate(bytes.len() - 2);
        } else if bytes.ends_with(b"\n") {
            bytes.truncate(bytes.len() - 1);
        }
    }
    if bytes.is_empty() {
        return Err(format!("the key file {} is empty", path.display()));
    }
    Ok(bytes)
}

/// Checks an HS256 secret read from `path`.
fn check_secret(secret: &[u8], path: &Path) -> Result<(), String> {
    if secret.starts_with(b"-----BEGIN") {
        return Err(format!(
            "the key file {} holds a PEM key, not an HS256 secret; give the algorithm (EdDSA or RS256)",
            path.display()
        ));
    }
    if secret.len() < MIN_SECRET_BYTES {
        return Err(format!(
            "the HS256 secret in {} is {} bytes; use at least {MIN_SECRET_BYTES} random bytes (for example `openssl rand -hex 32`)",
            path.display(),
            secret.len()
        ));
    }
    Ok(())
}

/// A key that verifies tokens: an HS256 secret, or an EdDSA or RS256 public key.
pub struct VerifyingKey {
    algorithm: IdentityAlgorithm,
    key: DecodingKey,
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the key: an HS256 one is the secret.
        f.debug_struct("VerifyingKey")
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

impl VerifyingKey {
    /// Reads `--identity-key`: the HS256 secret, or a PEM public key (`-----BEGIN PUBLIC
    /// KEY-----`; `RSA PUBLIC KEY` for RS256 too). A private key is refused: the receiver needs
    /// only the public one.
    pub fn read(path: &Path, algorithm: IdentityAlgorithm) -> Result<VerifyingKey, String> {
        let bytes = read_key_file(path, algorithm)?;
        let not_a_key = || {
            format!(
                "the key file {} is not a PEM {algorithm} public key",
                path.display()
            )
        };
        let key = match algorithm {
            IdentityAlgorithm::Hs256 => {
                check_secret(&bytes, path)?;
                DecodingKey::from_secret(&bytes).map_err(|_| not_a_key())?
            }
            IdentityAlgorithm::EdDsa | IdentityAlgorithm::Rs256 => {
                if bytes.windows(11).any(|w| w == b"PRIVATE KEY") {
                    return Err(format!(
                        "the key file {} holds a private key; give the receiver the public key only (`openssl pkey -in private.pem -pubout`)",
                        path.display()
                    ));
                }
                let key = if algorithm == IdentityAlgorithm::EdDsa {
                    DecodingKey::from_ed_pem(&bytes)
                } else {
                    DecodingKey::from_rsa_pem(&bytes)
                }
                .map_err(|_| not_a_key())?;
                check_public_key(&key, algorithm).map_err(|why| format!("{}{why}", not_a_key()))?;
                key
            }
        };
        Ok(VerifyingKey { algorithm, key })
    }

    /// A key from an HS256 secret (the demo's random one, or a file's).
    fn hs256(secret: &[u8]) -> VerifyingKey {
        VerifyingKey {
            algorithm: IdentityAlgorithm::Hs256,
            // Refused only when empty, which a secret here never is.
            key: DecodingKey::from_secret(secret)
                .expect("a non-empty HS256 secret is always a key"),
        }
    }

    pub fn algorithm(&self) -> IdentityAlgorithm {
        self.algorithm
    }
}

/// Whether a parsed public key is one the algorithm can verify with: the PEM reader only
/// unwraps it, and the key itself is read on first use.
fn check_public_key(key: &DecodingKey, algorithm: IdentityAlgorithm) -> Result<(), String> {
    let der = key.try_get_as_bytes().map_err(|e| format!(" ({e})"))?;
    match algorithm {
        IdentityAlgorithm::EdDsa => {
            // The verifier takes the first 32 bytes without looking (and panics on fewer).
            if der.len() != 32 {
                return Err(" (not an Ed25519 key)".into());
            }
            // A signature of the wrong length: Ok(false) once the key is read, an error if
            // it cannot be.
            jsonwebtoken::crypto::verify("AAAA", b"probe", key, Algorithm::EdDSA)
                .map(drop)
                .map_err(|_| " (not an Ed25519 point)".into())
        }
        IdentityAlgorithm::Rs256 => {
            let (modulus, _) = (jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER
                .key_utils
                .rsa_pub_components_from_public_key)(der)
            .map_err(|e| format!(" ({e})"))?;
            let bits = modulus
                .iter()
                .skip_while(|b| **b == 0)
                .count()
                .saturating_mul(8);
            if bits < 2048 {
                return Err(format!(" (an RSA key of {bits} bits; use 2048 or more)"));
            }
            Ok(())
        }
        IdentityAlgorithm::Hs256 => Ok(()),
    }
}

/// A key that signs tokens: an HS256 secret, or an EdDSA or RS256 private key.
pub struct SigningKey {
    algorithm: IdentityAlgorithm,
    key: EncodingKey,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// Reads `deskform token --key`: the HS256 secret (as `--identity-key` reads it), or a PEM
    /// private key (PKCS#8 `PRIVATE KEY`; `RSA PRIVATE KEY` for RS256 too).
    pub fn read(path: &Path, algorithm: IdentityAlgorithm) -> Result<SigningKey, String> {
        let bytes = read_key_file(path, algorithm)?;
        let not_a_key = || {
            format!(
                "the key file {} is not a PEM {algorithm} private key",
                path.display()
            )
        };
        let key = match algorithm {
            IdentityAlgorithm::Hs256 => {
                check_secret(&bytes, path)?;
                EncodingKey::from_secret(&bytes).map_err(|_| not_a_key())?
            }
            IdentityAlgorithm::EdDsa => {
                EncodingKey::from_ed_pem(&bytes).map_err(|_| not_a_key())?
            }
            IdentityAlgorithm::Rs256 => {
                EncodingKey::from_rsa_pem(&bytes).map_err(|_| not_a_key())?
            }
        };
        // The PEM reader only unwraps the key: signing once shows it is one.
        jsonwebtoken::crypto::sign(b"probe", &key, algorithm.jwt()).map_err(|_| not_a_key())?;
        Ok(SigningKey { algorithm, key })
    }

    fn hs256(secret: &[u8]) -> SigningKey {
        SigningKey {
            algorithm: IdentityAlgorithm::Hs256,
            key: EncodingKey::from_secret(secret)
                .expect("a non-empty HS256 secret is always a key"),
        }
    }

    pub fn algorithm(&self) -> IdentityAlgorithm {
        self.algorithm
    }

    /// A signed token with these claims.
    pub fn sign(&self, claims: &Claims) -> Result<String, String> {
        let mut header = Header::new(self.algorithm.jwt());
        header.typ = Some("JWT".into());
        jsonwebtoken::encode(&header, claims, &self.key)
            .map_err(|e| format!("cannot sign the token: {e}"))
    }
}

/// The receiver's side: the key tokens are verified with, the audience they must name, and,
/// when the receiver can sign too (the demo), the key its session tokens are signed with.
pub(crate) struct Tokens {
    verifying: VerifyingKey,
    validation: Validation,
    audience: Option<String>,
    signing: Option<SigningKey>,
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("verifying", &self.verifying)
            .field("audience", &self.audience)
            .field("signing", &self.signing)
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
}

impl Tokens {
    /// The receiver's token checks, if any: with a key file, that key (and, under `--demo`,
    /// the same secret signs the demo's session tokens when it is HS256: a public key cannot
    /// sign); without one, under `--demo`, a random HS256 secret of this process that both
    /// signs and verifies (gone when the process ends, so its tokens end with it); else none.
    pub(crate) fn configure(
        options: &IdentityOptions,
        demo: bool,
    ) -> Result<Option<Tokens>, String> {
        let (verifying, signing) = match &options.key_file {
            Some(path) => {
                let verifying = VerifyingKey::read(path, options.algorithm)?;
                let signing = match (demo, options.algorithm) {
                    (true, IdentityAlgorithm::Hs256) => {
                        Some(SigningKey::read(path, IdentityAlgorithm::Hs256)?)
                    }
                    _ => None,
                };
                (verifying, signing)
            }
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
        let mut validation = Validation::new(verifying.algorithm.jwt());
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
        if named != self.verifying.algorithm.name() {
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

/// The token of an `Authorization: Bearer …` header value: `None` if it holds none.
pub(crate) fn bearer(value: &[u8]) -> Option<&str> {
    let value = std::str::from_utf8(value).ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && !token.contains(' '))
        .then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algorithms_read_in_any_case_and_nothing_else() {
        assert_eq!("hs256".parse(), Ok(IdentityAlgorithm::Hs256));
        assert_eq!("EdDSA".parse(), Ok(IdentityAlgorithm::EdDsa));
        assert_eq!("RS256".parse(), Ok(IdentityAlgorithm::Rs256));
        for other in ["none", "HS512", "ES256", ""] {
            assert!(other.parse::<IdentityAlgorithm>().is_err(), "{other}");
        }
    }

    #[test]
    fn a_bearer_header_gives_its_token() {
        assert_eq!(bearer(b"Bearer a.b.c"), Some("a.b.c"));
        assert_eq!(bearer(b"bearer   a.b.c "), Some("a.b.c"));
        assert_eq!(bearer(b"Bearer"), None);
        assert_eq!(bearer(b"Bearer "), None);
        assert_eq!(bearer(b"Basic dXNlcjpwYXNz"), None);
        assert_eq!(bearer(b"Bearer a b"), None);
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

    #[test]
    fn a_short_or_pem_secret_is_refused_and_one_newline_is_not_the_secret() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, content: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, content).unwrap();
            path
        };
        let secret = "k".repeat(32);
        for content in [
            secret.clone(),
            format!("{secret}\n"),
            format!("{secret}\r\n"),
        ] {
            let path = write("ok", content.as_bytes());
            assert_eq!(
                read_key_file(&path, IdentityAlgorithm::Hs256).unwrap(),
                secret.as_bytes()
            );
        }
        // Only one newline goes.
        let path = write("two", format!("{secret}\n\n").as_bytes());
        assert_eq!(
            read_key_file(&path, IdentityAlgorithm::Hs256).unwrap(),
            format!("{secret}\n").as_bytes()
        );
        let short = write("short", b"hunter2\n");
        let e = VerifyingKey::read(&short, IdentityAlgorithm::Hs256).unwrap_err();
        assert!(e.contains("7 bytes"), "{e}");
        assert!(!e.contains("hunter2"), "the secret is never echoed: {e}");
        let empty = write("empty", b"\n");
        let e = VerifyingKey::read(&empty, IdentityAlgorithm::Hs256).unwrap_err();
        assert!(e.ends_with("is empty"), "{e}");
        let pem = write(
            "pem",
            b"-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n",
        );
        let e = VerifyingKey::read(&pem, IdentityAlgorithm::Hs256).unwrap_err();
        assert!(e.contains("holds a PEM key"), "{e}");
        let e =
            VerifyingKey::read(&dir.path().join("absent"), IdentityAlgorithm::Hs256).unwrap_err();
        assert!(e.starts_with("cannot read the key file"), "{e}");
    }
}
