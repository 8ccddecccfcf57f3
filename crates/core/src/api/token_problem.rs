//! Why a receiver did not accept the identity token a post carried (`401 unauthorized`, the
//! `reason` member).

use std::fmt;
use std::str::FromStr;

/// Why an identity token (`Authorization: Bearer …`) was not accepted. Nothing was stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenProblem {
    /// `Authorization` is there but holds no bearer token.
    MissingToken,
    /// Not a JWT: not three base64url parts, not JSON, or a claim of the wrong type.
    Malformed,
    /// The header names another algorithm than the receiver's (`none` included).
    WrongAlgorithm,
    /// The signature does not match the receiver's key.
    BadSignature,
    /// `exp` is past (beyond the allowed clock skew).
    Expired,
    /// `nbf` or `iat` is in the future (beyond the allowed clock skew).
    NotYetValid,
    /// `exp` is more than two hours after `iat`.
    LifetimeTooLong,
    /// A required claim (`sub`, `email`, `name`, `plan`, `exp`, `iat`, and `aud` when the
    /// receiver has an audience) is absent or empty.
    MissingClaim,
    /// `email` or `name` breaks the rule a form's field of that name meets (an `email` that is
    /// not one plain address, a `name` over 100 characters).
    InvalidClaim,
    /// `plan` is not a plan of the receiver's catalog.
    UnknownPlan,
    /// `aud` does not name the receiver's audience.
    BadAudience,
}

impl TokenProblem {
    /// Every problem.
    pub const ALL: [TokenProblem; 11] = [
        TokenProblem::MissingToken,
        TokenProblem::Malformed,
        TokenProblem::WrongAlgorithm,
        TokenProblem::BadSignature,
        TokenProblem::BadAudience,
        TokenProblem::MissingClaim,
        TokenProblem::InvalidClaim,
        TokenProblem::Expired,
        TokenProblem::NotYetValid,
        TokenProblem::LifetimeTooLong,
        TokenProblem::UnknownPlan,
    ];

    /// The `reason` on the wire.
    pub fn code(self) -> &'static str {
        match self {
            TokenProblem::MissingToken => "missing_token",
            TokenProblem::Malformed => "malformed",
            TokenProblem::WrongAlgorithm => "wrong_algorithm",
            TokenProblem::BadSignature => "bad_signature",
            TokenProblem::Expired => "expired",
            TokenProblem::NotYetValid => "not_yet_valid",
            TokenProblem::LifetimeTooLong => "lifetime_too_long",
            TokenProblem::MissingClaim => "missing_claim",
            TokenProblem::InvalidClaim => "invalid_claim",
            TokenProblem::UnknownPlan => "unknown_plan",
            TokenProblem::BadAudience => "bad_audience",
        }
    }

    /// Whether a fresh token from the same sign-in may be accepted: the widget asks its
    /// session endpoint for a new one and sends again.
    pub fn is_stale(self) -> bool {
        matches!(self, TokenProblem::Expired | TokenProblem::NotYetValid)
    }
}

impl fmt::Display for TokenProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TokenProblem::MissingToken => "the Authorization header holds no bearer token",
            TokenProblem::Malformed => "the identity token is not a well-formed JWT",
            TokenProblem::WrongAlgorithm => {
                "the identity token is signed with another algorithm than this receiver's"
            }
            TokenProblem::BadSignature => "the identity token's signature does not match",
            TokenProblem::Expired => "the identity token has expired",
            TokenProblem::NotYetValid => "the identity token is not valid yet",
            TokenProblem::LifetimeTooLong => {
                "the identity token's exp is more than two hours after its iat"
            }
            TokenProblem::MissingClaim => "the identity token lacks a required claim",
            TokenProblem::InvalidClaim => {
                "the identity token's email or name is not one a form would accept"
            }
            TokenProblem::UnknownPlan => "the identity token's plan is not a plan of the catalog",
            TokenProblem::BadAudience => "the identity token is for another audience",
        })
    }
}

/// A `reason` this version does not know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownTokenProblemError(pub String);

impl fmt::Display for UnknownTokenProblemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown token problem \"{}\"", self.0)
    }
}

impl std::error::Error for UnknownTokenProblemError {}

impl FromStr for TokenProblem {
    type Err = UnknownTokenProblemError;

    fn from_str(code: &str) -> Result<TokenProblem, UnknownTokenProblemError> {
        TokenProblem::ALL
            .into_iter()
            .find(|p| p.code() == code)
            .ok_or_else(|| UnknownTokenProblemError(code.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_and_is_distinct() {
        let mut seen = std::collections::HashSet::new();
        for problem in TokenProblem::ALL {
            assert!(seen.insert(problem.code()), "{problem:?}");
            assert_eq!(problem.code().parse::<TokenProblem>(), Ok(problem));
            assert!(!problem.to_string().is_empty());
        }
        let stale: Vec<TokenProblem> = TokenProblem::ALL
            .into_iter()
            .filter(|p| p.is_stale())
            .collect();
        assert_eq!(stale, [TokenProblem::Expired, TokenProblem::NotYetValid]);
        assert_eq!(
            "invalid_claim".parse::<TokenProblem>(),
            Ok(TokenProblem::InvalidClaim)
        );
        assert_eq!(
            "sideways".parse::<TokenProblem>(),
            Err(UnknownTokenProblemError("sideways".into()))
        );
    }
}
