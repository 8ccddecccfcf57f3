//! The team's helpdesk (`--forward-url`): each inquiry POSTed as JSON with
//! `Idempotency-Key: <ticket id>` and, with a secret, a `Deskform-Signature`. A 2xx is the
//! acknowledgement; the helpdesk de-duplicates by the key whatever was re-sent after a crash.

use std::fmt;
use std::time::Duration;

use axum::http::{header, HeaderValue, Method, Request, Uri};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use super::error_chain;
use super::policy::{self, RetryPolicy, Verdict};
use super::signature::{signature, SIGNATURE_HEADER};
use crate::outbox::Due;

/// How long one attempt may take, connecting included (`--forward-timeout`).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Attempts in flight at once (`--forward-concurrency`).
pub const DEFAULT_CONCURRENCY: usize = 4;

/// How much of an answer's body is read (into a refusal's reason).
const BODY_KEPT: usize = 4096;

/// Where and how inquiries are delivered (`deskform serve --forward-url …`).
#[derive(Clone)]
pub struct Forwarding {
    /// The helpdesk's webhook: `https://…` (or `http://` on a trusted network).
    pub url: Uri,
    /// The key of the `Deskform-Signature` HMAC; no header without it.
    pub secret: Option<Vec<u8>>,
    pub retry: RetryPolicy,
    /// How long one attempt may take, connecting included.
    pub timeout: Duration,
    /// Attempts in flight at once.
    pub concurrency: usize,
}

impl Forwarding {
    /// Forwarding to `url` with the defaults of `deskform serve`.
    pub fn to(url: Uri) -> Forwarding {
        Forwarding {
            url,
            secret: None,
            retry: RetryPolicy::default(),
            timeout: DEFAULT_TIMEOUT,
            concurrency: DEFAULT_CONCURRENCY,
        }
    }
}

impl fmt::Debug for Forwarding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Forwarding")
            .field("url", &origin(&self.url))
            .field("secret", &self.secret.as_ref().map(|_| "…"))
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("concurrency", &self.concurrency)
            .finish()
    }
}

/// Checks a `--forward-url`: an absolute `http` or `https` URL with a host.
pub fn parse_forward_url(text: &str) -> Result<Uri, String> {
    let uri: Uri = text
        .parse()
        .map_err(|e| format!("{text:?} is not a URL: {e}"))?;
    match (uri.scheme_str(), uri.host()) {
        (Some("https" | "http"), Some(host)) if !host.is_empty() => Ok(uri),
        _ => Err(format!(
            "{text:?}: expected an http:// or https:// URL such as https://helpdesk.example.com/hooks/deskform"
        )),
    }
}

/// The scheme and host of a URL, for logs: its path or query may hold a token.
pub(crate) fn origin(url: &Uri) -> String {
    format!(
        "{}://{}",
        url.scheme_str().unwrap_or(""),
        url.authority().map_or("", |a| a.as_str())
    )
}

pub(crate) type HttpClient = Client<HttpsConnector<HttpConnector>, Full<Bytes>>;

pub(crate) fn client() -> HttpClient {
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_webpki_roots()
        .https_or_http()
        .enable_http1()
        .build();
    Client::builder(TokioExecutor::new()).build(https)
}

/// POSTs the inquiry and judges the answer.
pub(crate) async fn send(client: &HttpClient, forwarding: &Forwarding, due: &Due) -> Verdict {
    // Strings and an option of one: always JSON.
    let body = Bytes::from(serde_json::to_vec(&due.inquiry).expect("an inquiry is JSON"));
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(forwarding.url.clone())
        .header(header::CONTENT_TYPE, "application/json")
        .header(
            header::USER_AGENT,
            concat!("deskform/", env!("CARGO_PKG_VERSION")),
        )
        .header("idempotency-key", &due.inquiry.ticket_id);
    if let Some(secret) = &forwarding.secret {
        let value = signature(secret, chrono::Utc::now().timestamp(), &body);
        request = request.header(SIGNATURE_HEADER, value);
    }
    let request = match request.body(Full::new(body)) {
        Ok(request) => request,
        Err(e) => {
            return Verdict::Refused {
                status: None,
                reason: format!("cannot build the request: {e}"),
            }
        }
    };
    let exchange = async {
        let response = client.request(request).await?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .map(str::to_owned);
        // Read whole (so the connection is kept for the next), but only the start is kept.
        let body = Limited::new(response.into_body(), BODY_KEPT)
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        Ok::<_, hyper_util::client::legacy::Error>((status, retry_after, body))
    };
    match tokio::time::timeout(forwarding.timeout, exchange).await {
        Err(_) => Verdict::Retry {
            status: None,
            after: None,
            error: format!("no answer within {} s", forwarding.timeout.as_secs_f64()),
        },
        Ok(Err(e)) => Verdict::Retry {
            status: None,
            after: None,
            error: error_chain(&e),
        },
        Ok(Ok((status, retry_after, body))) => {
            let start: String = String::from_utf8_lossy(&body).chars().take(300).collect();
            policy::judge(
                status,
                retry_after.as_deref(),
                &start,
                std::time::SystemTime::now(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_urls_are_http_or_https_with_a_host() {
        assert!(parse_forward_url("https://helpdesk.example.com/hooks/deskform?token=x").is_ok());
        assert!(parse_forward_url("http://127.0.0.1:9000/").is_ok());
        for bad in [
            "ftp://example.com/",
            "/hooks",
            "helpdesk.example.com",
            "https://",
            "",
        ] {
            assert!(parse_forward_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn logs_show_the_origin_only() {
        let url = parse_forward_url("https://helpdesk.example.com/hooks/abc?token=secret").unwrap();
        assert_eq!(origin(&url), "https://helpdesk.example.com");
        let forwarding = Forwarding {
            secret: Some(b"whsec".to_vec()),
            ..Forwarding::to(url)
        };
        let debug = format!("{forwarding:?}");
        assert!(
            !debug.contains("secret") || !debug.contains("whsec"),
            "{debug}"
        );
        assert!(!debug.contains("token"), "{debug}");
    }
}
