//! `deskform token`: prints an identity token, signed as a team's backend signs them, for
//! trying a receiver and for teams' own scripts.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use deskform_server::identity::{Claims, IdentityAlgorithm, SigningKey, MAX_LIFETIME_SECONDS};

use crate::commands::{catalog_or_builtin, CommandError};

/// What the token says, and what signs it.
#[derive(Debug, clap::Args)]
pub struct TokenArgs {
    /// The signing key: the HS256 secret's file (the one `serve --identity-key` reads), or a
    /// PEM private key for EdDSA or RS256.
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// The algorithm: HS256, EdDSA or RS256.
    #[arg(long, value_name = "ALG", default_value = "HS256")]
    alg: IdentityAlgorithm,
    /// The customer's plan: a plan id of the catalog.
    #[arg(long, value_name = "PLAN")]
    plan: String,
    /// The customer's email address.
    #[arg(long, value_name = "EMAIL")]
    email: String,
    /// The customer's name (default: the email's part before the @).
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// The customer's id in your system (default: the email).
    #[arg(long, value_name = "ID")]
    sub: Option<String>,
    /// The audience (`aud`), when the receiver has one (`serve --audience`).
    #[arg(long, value_name = "AUD")]
    aud: Option<String>,
    /// How long the token lives: seconds, or a number with s, m or h (at most 2h).
    #[arg(long, value_name = "TTL", default_value = "1h", value_parser = ttl)]
    ttl: Duration,
    /// A catalog JSON file whose plans the plan must be one of (default: the built-in catalog).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

/// `90`, `90s`, `15m`, `1h`: above zero and at most two hours.
fn ttl(text: &str) -> Result<Duration, String> {
    let (number, unit) = match text
        .trim()
        .char_indices()
        .find(|(_, c)| c.is_ascii_alphabetic())
    {
        Some((at, _)) => text.trim().split_at(at),
        None => (text.trim(), "s"),
    };
    let scale = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        _ => {
            return Err(format!(
                "expected seconds, or a number with s, m or h, not {text:?}"
            ))
        }
    };
    let seconds = number
        .parse::<u64>()
        .map_err(|_| format!("expected seconds, or a number with s, m or h, not {text:?}"))?
        .saturating_mul(scale);
    let max = MAX_LIFETIME_SECONDS.unsigned_abs();
    if seconds == 0 || seconds > max {
        return Err(format!(
            "{text:?} is not a lifetime receivers accept: above 0 and at most 2h ({max} s)"
        ));
    }
    Ok(Duration::from_secs(seconds))
}

/// Prints the token, one line.
pub fn token(out: &mut impl Write, args: TokenArgs) -> Result<(), CommandError> {
    let catalog = catalog_or_builtin(args.config.as_deref())?;
    if catalog.plan(&args.plan).is_err() {
        let valid: Vec<&str> = catalog.plans().iter().map(|p| p.id.as_str()).collect();
        return Err(format!(
            "unknown plan {:?}; valid plans: {}",
            args.plan,
            valid.join(", ")
        ));
    }
    let key = SigningKey::read(&args.key, args.alg)?;
    let now = chrono::Utc::now().timestamp();
    let name = args.name.unwrap_or_else(|| {
        args.email
            .split_once('@')
            .map_or(args.email.as_str(), |(local, _)| local)
            .to_owned()
    });
    let claims = Claims {
        sub: args.sub.unwrap_or_else(|| args.email.clone()),
        email: args.email,
        name,
        plan: args.plan,
        iat: now,
        exp: now + i64::try_from(args.ttl.as_secs()).unwrap_or(MAX_LIFETIME_SECONDS),
        aud: args.aud,
    };
    let token = key.sign(&claims)?;
    writeln!(out, "{token}").map_err(|e| format!("cannot write output: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_are_up_to_two_hours() {
        assert_eq!(ttl("90"), Ok(Duration::from_secs(90)));
        assert_eq!(ttl("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(ttl("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(ttl("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(ttl("120m"), Ok(Duration::from_secs(7200)));
        for refused in [
            "121m", "3h", "7201", "0", "0h", "1d", "h", "-1h", "1.5h", "",
        ] {
            assert!(ttl(refused).is_err(), "{refused}");
        }
    }
}
