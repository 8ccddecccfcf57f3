//! What one client may ask of the receiver: how big a body, how slow, how often.
//!
//! - Bodies: at most [`MAX_BODY_BYTES`] on every route (`POST /api/inquiries` enforces it itself, to
//!   answer 413 with a JSON reason).
//! - Time: headers and each pause in a body within the read timeout (`--read-timeout`), the whole
//!   request within [`REQUEST_TIMEOUT`] (408).
//! - Rate: POSTs per client address per minute (`--rate-limit`), 429 with `Retry-After`.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::Client;

/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The longest a request may take, from its headers to its answer.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a client may take to send its headers, or pause while sending a body, by default.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long requests in flight get to finish after SIGTERM, by default.
pub const DEFAULT_SHUTDOWN_DEADLINE: Duration = Duration::from_secs(30);

/// Connections open at once, by default: beyond it new ones wait in the listen queue, so a
/// flood of idle sockets cannot take every file descriptor.
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;

/// POSTs allowed per client address per minute, by default.
pub const DEFAULT_RATE_LIMIT: u32 = 20;

/// How often addresses whose allowance is full again are forgotten.
const FORGET_EVERY: Duration = Duration::from_secs(60);

/// Whether reading a body failed because it was over the limit (rather than slow or cut off).
pub(crate) fn is_too_large(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = e.source();
    }
    false
}

/// POSTs per client address: a GCRA allowance of `per_minute` that refills one post every
/// `60 / per_minute` seconds.
#[derive(Clone)]
pub struct RateLimit {
    limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
}

impl RateLimit {
    /// `None` for 0: no limit.
    pub fn per_minute(per_minute: u32) -> Option<RateLimit> {
        let per_minute = NonZeroU32::new(per_minute)?;
        Some(RateLimit {
            limiter: Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute))),
        })
    }

    /// Counts one post from `addr`; `Err` with how long to wait when it is one too many.
    pub fn check(&self, addr: IpAddr) -> Result<(), Duration> {
        self.limiter
            .check_key(&key(addr))
            .map_err(|not_until| not_until.wait_time_from(self.limiter.clock().now()))
    }

    /// Forgets the addresses whose allowance is full again: without it the table grows by one
    /// entry per address ever seen.
    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }

    /// How many addresses are remembered.
    pub fn len(&self) -> usize {
        self.limiter.len()
    }

    /// Whether no address is remembered.
    pub fn is_empty(&self) -> bool {
        self.limiter.is_empty()
    }

    /// Forgets idle addresses every minute, on the current tokio runtime.
    pub(crate) fn spawn_forgetting(&self) {
        let this = self.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(FORGET_EVERY);
            loop {
                every.tick().await;
                this.forget_idle();
            }
        });
    }
}

/// The key an address is counted under. An IPv6 customer gets a whole /64 (and can pick any
/// address in it), so that is what is counted; an IPv4-mapped IPv6 address is its IPv4 address.
fn key(addr: IpAddr) -> IpAddr {
    match addr.to_canonical() {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::from(bits.to_be_bytes())
        }
        v4 => v4,
    }
}

fn rate_limited(wait: Duration) -> Response {
    // Whole seconds, rounded up: a client that waits exactly this long gets through.
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let seconds = u32::try_from(seconds.max(1)).unwrap_or(u32::MAX);
    crate::answer::answer(deskform_core::Rejection::RateLimited {
        retry_after_seconds: seconds,
    })
}

/// The middleware: a POST over the client's allowance is answered 429 before its body is read.
pub(crate) async fn limit_posts(
    State(limit): State<RateLimit>,
    client: Client,
    request: Request,
    next: Next,
) -> Response {
    if request.method() == Method::POST {
        if let Err(wait) = limit.check(client.addr) {
            // The access log has the 429 and the address.
            return rate_limited(wait);
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{header, StatusCode};

    fn addr(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn an_ipv6_customer_is_counted_per_64() {
        assert_eq!(
            key(addr("2001:db8:1:2:aaaa::1")),
            key(addr("2001:db8:1:2:bbbb::2"))
        );
        assert_ne!(key(addr("2001:db8:1:2::1")), key(addr("2001:db8:1:3::1")));
        assert_eq!(key(addr("::ffff:192.0.2.7")), addr("192.0.2.7"));
        assert_eq!(key(addr("192.0.2.7")), addr("192.0.2.7"));
    }

    #[test]
    fn the_allowance_is_per_address() {
        let limit = RateLimit::per_minute(2).unwrap();
        assert!(limit.check(addr("192.0.2.1")).is_ok());
        assert!(limit.check(addr("192.0.2.1")).is_ok());
        let wait = limit.check(addr("192.0.2.1")).unwrap_err();
        // One post refills every 30 s.
        assert!(wait > Duration::from_secs(25) && wait <= Duration::from_secs(30));
        assert!(limit.check(addr("192.0.2.2")).is_ok());
        assert!(RateLimit::per_minute(0).is_none());
    }

    #[test]
    fn addresses_whose_allowance_is_full_again_are_forgotten() {
        // 6,000 a minute: one post refills in 10 ms.
        let limit = RateLimit::per_minute(6_000).unwrap();
        limit.check(addr("192.0.2.1")).unwrap();
        limit.check(addr("192.0.2.2")).unwrap();
        assert_eq!(limit.len(), 2);
        std::thread::sleep(Duration::from_millis(50));
        limit.forget_idle();
        assert!(limit.is_empty());
    }

    #[test]
    fn retry_after_is_whole_seconds_rounded_up() {
        let response = rate_limited(Duration::from_millis(2_100));
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "3");
        assert_eq!(
            rate_limited(Duration::ZERO).headers()[header::RETRY_AFTER],
            "1"
        );
    }
}
