//! Logs on stderr with `tracing`: one access line per request (method, path, status, latency,
//! client address) and the receiver's own events. Never the message, subject, name or email of
//! an inquiry, and never a query string.
//!
//! Stdout keeps the lifecycle lines scripts read (`deskform serve: listening on http://…`).

use std::str::FromStr;
use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

use crate::Client;

/// How log lines are written (`--log-format`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// `2026-11-28T10:00:00.123Z  INFO request method=POST path=/api/inquiries status=201 …`
    #[default]
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

impl FromStr for LogFormat {
    type Err = String;

    fn from_str(text: &str) -> Result<LogFormat, String> {
        match text {
            "text" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            _ => Err(format!("expected text or json, not {text:?}")),
        }
    }
}

/// Sends `tracing` events at INFO and above to stderr. Does nothing if the process already has
/// a subscriber (a test harness, an embedding program).
pub fn init(format: LogFormat) {
    let builder = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing::Level::INFO)
        .with_target(false);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

/// The access log: one line per request, written when the answer's head is ready (the latency
/// does not include streaming the body out).
pub(crate) async fn access_log(client: Client, request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().clone();
    // The path only: a query string may carry anything.
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let latency = start.elapsed();
    tracing::info!(
        method = %method,
        path = %path,
        status = response.status().as_u16(),
        latency_ms = latency.as_secs_f64() * 1e3,
        client = %client.addr,
        "request"
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_formats_are_text_or_json() {
        assert_eq!("text".parse::<LogFormat>(), Ok(LogFormat::Text));
        assert_eq!("json".parse::<LogFormat>(), Ok(LogFormat::Json));
        assert!("yaml"
            .parse::<LogFormat>()
            .unwrap_err()
            .contains("text or json"));
    }
}
