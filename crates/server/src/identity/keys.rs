//! The keys of identity tokens: which algorithm, and reading a key file into a key that
//! verifies (the receiver's) or signs (`deskform token`, the demo). A key that cannot be used
//! is refused when it is read, with the file's name and never its content.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header};

use super::Claims;

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

    pub(super) fn jwt(self) -> Algorithm {
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
    pub(super) key: DecodingKey,
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
    pub(super) fn hs256(secret: &[u8]) -> VerifyingKey {
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

    pub(super) fn hs256(secret: &[u8]) -> SigningKey {
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
