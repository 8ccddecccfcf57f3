//! Delivery of every stored inquiry to the team's helpdesk (`--forward-url`): a background task
//! that reads the outbox (see [`crate::outbox`]), POSTs each inquiry as JSON with
//! `Idempotency-Key: <ticket id>` and, with a secret, a `Deskform-Signature`, and records the
//! outcome. At least once: a row is marked delivered only after the helpdesk answered 2xx, so
//! the helpdesk de-duplicates by the key whatever was re-sent after a crash.
//!
//! The task wakes when an inquiry is stored, when an attempt ends, when the next retry is due,
//! and every [`POLL_INTERVAL`] in any case (for `deskform redeliver`, which writes the file from
//! another process). At most `concurrency` attempts are in flight.

mod policy;
pub mod signature;

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderValue, Method, Request};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tokio::sync::{watch, Notify};
use tokio::task::JoinSet;

use crate::outbox::{Due, Recorded};
use crate::App;
pub use axum::http::Uri;
pub use policy::RetryPolicy;
use policy::Verdict;
pub use signature::{signature, SIGNATURE_HEADER};

/// How often the outbox is read when nothing wakes the task sooner.
pub const POLL_INTERVAL: Duration = Duration::from_secs(5);

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

type HttpClient = Client<HttpsConnector<HttpConnector>, Full<Bytes>>;

fn client() -> HttpClient {
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_webpki_roots()
        .https_or_http()
        .enable_http1()
        .build();
    Client::builder(TokioExecutor::new()).build(https)
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A number in [0, 1) for the jitter.
fn random_fraction() -> f64 {
    f64::from(u32::from_le_bytes(crate::random_bytes())) / (f64::from(u32::MAX) + 1.0)
}

/// Delivers the outbox until `stop` turns true; then lets the attempts in flight finish within
/// `deadline` and drops the rest (still pending: sent again at the next start).
pub(crate) async fn run(
    app: Arc<App>,
    forwarding: Arc<Forwarding>,
    wake: Arc<Notify>,
    mut stop: watch::Receiver<bool>,
    deadline: Duration,
) {
    let client = client();
    let concurrency = forwarding.concurrency.max(1);
    let mut tasks = JoinSet::new();
    let mut in_flight: HashMap<tokio::task::Id, String> = HashMap::new();
    tracing::info!(
        to = %origin(&forwarding.url),
        signed = forwarding.secret.is_some(),
        "forwarding inquiries"
    );
    loop {
        while let Some(done) = tasks.try_join_next_with_id() {
            in_flight.remove(&done.map_or_else(|e| e.id(), |(id, ())| id));
        }
        let now = now_ms();
        let mut wake_at = now.saturating_add(POLL_INTERVAL.as_millis() as i64);
        let free = concurrency.saturating_sub(tasks.len());
        if free > 0 {
            let look = read(&app, move |store| {
                let due = store.due(now, free + concurrency)?;
                Ok((due, store.next_due_after(now)?))
            })
            .await;
            match look {
                Ok((due, next)) => {
                    let busy: std::collections::HashSet<&String> = in_flight.values().collect();
                    let fresh: Vec<Due> = due
                        .into_iter()
                        .filter(|d| !busy.contains(&d.inquiry.ticket_id))
                        .take(free)
                        .collect();
                    for due in fresh {
                        let ticket = due.inquiry.ticket_id.clone();
                        let handle = tasks.spawn(deliver(
                            app.clone(),
                            client.clone(),
                            forwarding.clone(),
                            due,
                        ));
                        in_flight.insert(handle.id(), ticket);
                    }
                    if let Some(next) = next {
                        wake_at = wake_at.min(next);
                    }
                }
                Err(e) => tracing::error!(error = %e, "cannot read the outbox"),
            }
        }
        let sleep = Duration::from_millis(wake_at.saturating_sub(now_ms()).max(0) as u64);
        tokio::select! {
            () = wake.notified() => {}
            Some(done) = tasks.join_next_with_id(), if !tasks.is_empty() => {
                in_flight.remove(&done.map_or_else(|e| e.id(), |(id, ())| id));
            }
            () = tokio::time::sleep(sleep) => {}
            _ = stop.wait_for(|stopped| *stopped) => break,
        }
    }
    let finished = tokio::time::timeout(deadline, async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if finished.is_err() {
        tracing::warn!(
            in_flight = tasks.len(),
            "shutdown deadline: deliveries in flight dropped; they are sent again at the next start"
        );
    }
}

async fn read<T: Send + 'static>(
    app: &Arc<App>,
    work: impl FnOnce(&crate::Store) -> crate::StoreResult<T> + Send + 'static,
) -> crate::StoreResult<T> {
    let app = app.clone();
    tokio::task::spawn_blocking(move || work(&app.store))
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}

/// One attempt, and its outcome recorded.
async fn deliver(app: Arc<App>, client: HttpClient, forwarding: Arc<Forwarding>, due: Due) {
    let attempt = due.attempts.saturating_add(1);
    let verdict = send(&client, &forwarding, &due).await;
    let status = verdict.status();
    let ticket = due.inquiry.ticket_id.clone();
    let recorded = policy::next_step(
        &forwarding.retry,
        verdict,
        attempt,
        due.retrying_since,
        now_ms(),
        random_fraction(),
    );
    // One line per attempt: the ticket, never the customer's words (a refusal's reason may
    // echo them, so it is left to `deskform inquiries`).
    match &recorded {
        Recorded::Delivered { .. } => {
            tracing::info!(ticket = %ticket, attempt, status, outcome = "delivered", "delivery")
        }
        Recorded::Retry { at, error } => tracing::warn!(
            ticket = %ticket,
            attempt,
            status,
            outcome = "retry",
            error = %error,
            retry_in_ms = at.saturating_sub(now_ms()).max(0),
            "delivery"
        ),
        Recorded::Failed { .. } => {
            tracing::warn!(ticket = %ticket, attempt, status, outcome = "failed", "delivery")
        }
    }
    let written = read(&app, move |store| store.record(&ticket, &recorded)).await;
    if let Err(e) = written {
        // Still pending in the file: sent again, and the helpdesk de-duplicates.
        tracing::error!(error = %e, "cannot record a delivery attempt");
    }
}

/// POSTs the inquiry and judges the answer.
async fn send(client: &HttpClient, forwarding: &Forwarding, due: &Due) -> Verdict {
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

/// An error and its causes on one line ("client error (Connect): tcp connect error: …").
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
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
