//! What an attempt's answer means, and when to try again: pure functions of the answer, the
//! attempt count and the time, tested without a network.

use std::time::{Duration, SystemTime};

use axum::http::StatusCode;

use crate::outbox::Recorded;

/// How deliveries are retried. The waits double from `first_delay` up to `max_delay`, each
/// drawn within ±20 % (jitter, so that retries after an outage do not all arrive at once); a
/// `Retry-After` from the helpdesk longer than the computed wait replaces it, a shorter one
/// (`0`, a date past) does not: a helpdesk cannot make the receiver retry without pause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The wait before the first retry.
    pub first_delay: Duration,
    /// The longest wait between two attempts.
    pub max_delay: Duration,
    /// Once an inquiry has been retried this long (since it was stored, or since `deskform
    /// redeliver`), it is marked failed instead of waiting again.
    pub give_up_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(10 * 60),
            give_up_after: Duration::from_secs(72 * 3600),
        }
    }
}

/// The longest `Retry-After` honoured as given: a helpdesk asking for more is asked again then.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

impl RetryPolicy {
    /// The wait after `failed` attempts in a row (1 after the first), before jitter.
    pub fn backoff(&self, failed: u32) -> Duration {
        let doublings = failed.saturating_sub(1).min(30);
        self.first_delay
            .saturating_mul(1 << doublings)
            .min(self.max_delay)
    }

    /// [`RetryPolicy::backoff`] moved by jitter: `random` in [0, 1) maps to −20 %…+20 %.
    pub fn jittered(&self, failed: u32, random: f64) -> Duration {
        self.backoff(failed)
            .mul_f64(0.8 + 0.4 * random.clamp(0.0, 1.0))
    }
}

/// What one attempt came to, before the policy says what follows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// 2xx: the helpdesk has it.
    Delivered { status: u16 },
    /// Worth trying again: a network error, a timeout, 408, 429 or 5xx; `after` from the
    /// answer's `Retry-After`.
    Retry {
        status: Option<u16>,
        after: Option<Duration>,
        error: String,
    },
    /// Refused for good (any other 4xx, or a redirect, which is not followed).
    Refused { status: Option<u16>, reason: String },
}

impl Verdict {
    /// The HTTP status, if there was an answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            Verdict::Delivered { status } => Some(*status),
            Verdict::Retry { status, .. } | Verdict::Refused { status, .. } => *status,
        }
    }
}

/// Judges an answer: its status, its `Retry-After` header and the start of its body (kept in
/// the reason of a refusal, for the operator).
pub fn judge(
    status: StatusCode,
    retry_after: Option<&str>,
    body_start: &str,
    now: SystemTime,
) -> Verdict {
    let code = status.as_u16();
    let described = match status.canonical_reason() {
        Some(reason) => format!("HTTP {code} {reason}"),
        None => format!("HTTP {code}"),
    };
    if status.is_success() {
        Verdict::Delivered { status: code }
    } else if status.is_server_error()
        || status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS
    {
        Verdict::Retry {
            status: Some(code),
            after: retry_after.and_then(|v| parse_retry_after(v, now)),
            error: described,
        }
    } else if status.is_redirection() {
        Verdict::Refused {
            status: Some(code),
            reason: format!("{described}: redirects are not followed; give the final URL"),
        }
    } else {
        let body = body_start.trim();
        Verdict::Refused {
            status: Some(code),
            reason: if body.is_empty() {
                described
            } else {
                format!("{described}: {body}")
            },
        }
    }
}

/// A `Retry-After` value: delay seconds, or an HTTP date (a date past is no wait at all).
/// Capped at [`MAX_RETRY_AFTER`].
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    let wait = match value.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => {
            let at = httpdate::parse_http_date(value).ok()?;
            at.duration_since(now).unwrap_or(Duration::ZERO)
        }
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

/// What to record after attempt number `attempt` (1 for the first) of a delivery retried since
/// `retrying_since` (Unix milliseconds), at `now`; `random` in [0, 1) for the jitter.
pub fn next_step(
    policy: &RetryPolicy,
    verdict: Verdict,
    attempt: u32,
    retrying_since: i64,
    now: i64,
    random: f64,
) -> Recorded {
    match verdict {
        Verdict::Delivered { .. } => Recorded::Delivered { at: now },
        Verdict::Refused { reason, .. } => Recorded::Failed { reason },
        Verdict::Retry { after, error, .. } => {
            // At least the backoff: `Retry-After: 0` must not become a retry loop.
            let jittered = policy.jittered(attempt, random);
            let wait = after.map_or(jittered, |after| after.max(jittered));
            let at = now.saturating_add(millis(wait));
            let give_up_at = retrying_since.saturating_add(millis(policy.give_up_after));
            if at > give_up_at {
                Recorded::Failed {
                    reason: format!(
                        "gave up after {attempt} attempts over {}: {error}",
                        hours(policy.give_up_after)
                    ),
                }
            } else {
                Recorded::Retry { at, error }
            }
        }
    }
}

pub(super) fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

fn hours(d: Duration) -> String {
    let h = d.as_secs_f64() / 3600.0;
    if h >= 1.0 {
        format!("{h:.0} h")
    } else {
        format!("{:.0} s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retry(after: Option<Duration>) -> Verdict {
        Verdict::Retry {
            status: Some(503),
            after,
            error: "HTTP 503 Service Unavailable".into(),
        }
    }

    #[test]
    fn waits_double_from_the_first_up_to_the_cap() {
        let policy = RetryPolicy::default();
        let waits: Vec<u64> = (1..=12).map(|n| policy.backoff(n).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 600, 600]);
        assert_eq!(policy.backoff(u32::MAX), policy.max_delay);
    }

    #[test]
    fn jitter_stays_within_a_fifth_either_way() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.jittered(3, 0.0), Duration::from_millis(3200));
        assert_eq!(policy.jittered(3, 0.5), Duration::from_secs(4));
        assert!(policy.jittered(3, 0.999_999) < Duration::from_millis(4800));
    }

    #[test]
    fn answers_are_judged_by_status() {
        let now = SystemTime::UNIX_EPOCH;
        let judge = |code: u16| judge(StatusCode::from_u16(code).unwrap(), None, "", now);
        for code in [200, 201, 202, 204] {
            assert_eq!(judge(code), Verdict::Delivered { status: code });
        }
        for code in [408, 429, 500, 502, 503, 504] {
            assert!(matches!(judge(code), Verdict::Retry { .. }), "{code}");
        }
        for code in [301, 400, 401, 403, 404, 409, 410, 413, 422] {
            assert!(matches!(judge(code), Verdict::Refused { .. }), "{code}");
        }
    }

    #[test]
    fn a_refusal_keeps_the_start_of_the_body_as_its_reason() {
        let verdict = judge(
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            " {\"error\":\"unknown desk\"}\n",
            SystemTime::UNIX_EPOCH,
        );
        assert_eq!(
            verdict,
            Verdict::Refused {
                status: Some(422),
                reason: "HTTP 422 Unprocessable Entity: {\"error\":\"unknown desk\"}".into()
            }
        );
    }

    #[test]
    fn retry_after_is_seconds_or_an_http_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_000_000);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        // 2026-11-18T11:06:40Z is `now`; thirty seconds later:
        assert_eq!(
            parse_retry_after("Wed, 18 Nov 2026 11:07:10 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wed, 18 Nov 2026 11:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("999999", now), Some(MAX_RETRY_AFTER));
        let verdict = judge(StatusCode::TOO_MANY_REQUESTS, Some("3"), "", now);
        assert!(
            matches!(verdict, Verdict::Retry { after: Some(d), .. } if d == Duration::from_secs(3))
        );
    }

    #[test]
    fn a_longer_retry_after_replaces_the_backoff() {
        let policy = RetryPolicy::default();
        let step = next_step(
            &policy,
            retry(Some(Duration::from_secs(30))),
            1,
            0,
            1_000,
            0.5,
        );
        assert_eq!(
            step,
            Recorded::Retry {
                at: 31_000,
                error: "HTTP 503 Service Unavailable".into()
            }
        );
        let step = next_step(&policy, retry(None), 3, 0, 1_000, 0.5);
        assert_eq!(
            step,
            Recorded::Retry {
                at: 5_000,
                error: "HTTP 503 Service Unavailable".into()
            }
        );
    }

    #[test]
    fn a_retry_after_shorter_than_the_backoff_waits_the_backoff() {
        let policy = RetryPolicy::default();
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_000_000);
        let past = judge(
            StatusCode::SERVICE_UNAVAILABLE,
            Some("Wed, 18 Nov 2026 11:00:00 GMT"),
            "",
            now,
        );
        let Verdict::Retry { after: past, .. } = past else {
            panic!("{past:?}");
        };
        assert_eq!(past, Some(Duration::ZERO));
        // Attempt 3: the backoff is 4 s (3.2 s at the lowest jitter).
        for after in [Some(Duration::ZERO), past, Some(Duration::from_secs(2))] {
            for random in [0.0, 0.5, 0.999] {
                let step = next_step(&policy, retry(after), 3, 0, 1_000, random);
                let Recorded::Retry { at, .. } = step else {
                    panic!("{step:?}");
                };
                let waited = Duration::from_millis((at - 1_000) as u64);
                let backoff = policy.jittered(3, random);
                assert_eq!(
                    waited.as_millis(),
                    backoff.as_millis(),
                    "{after:?}, {random}"
                );
                assert!(waited >= Duration::from_millis(3200), "{waited:?}");
            }
        }
    }

    #[test]
    fn retrying_stops_at_the_give_up_age() {
        let policy = RetryPolicy {
            give_up_after: Duration::from_secs(3600),
            ..RetryPolicy::default()
        };
        let hour = 3_600_000;
        // The next wait (10 min) would still end within the hour: retried.
        let step = next_step(&policy, retry(None), 12, 0, hour - 700_000, 0.5);
        assert!(matches!(step, Recorded::Retry { .. }), "{step:?}");
        let step = next_step(&policy, retry(None), 13, 0, hour - 100_000, 0.5);
        assert_eq!(
            step,
            Recorded::Failed {
                reason: "gave up after 13 attempts over 1 h: HTTP 503 Service Unavailable".into()
            }
        );
        // A refusal is final at once; a 2xx is delivered.
        let refused = Verdict::Refused {
            status: Some(404),
            reason: "HTTP 404 Not Found".into(),
        };
        assert_eq!(
            next_step(&policy, refused, 1, 0, 5, 0.5),
            Recorded::Failed {
                reason: "HTTP 404 Not Found".into()
            }
        );
        assert_eq!(
            next_step(&policy, Verdict::Delivered { status: 200 }, 1, 0, 5, 0.5),
            Recorded::Delivered { at: 5 }
        );
    }
}
