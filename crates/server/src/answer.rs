//! Every answer of the inquiry API, built from the core's wire types
//! ([`deskform_core::SubmitReply`], [`deskform_core::Rejection`]): the widget decodes them with
//! the same types, so the two cannot drift apart.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use deskform_core::SubmitReply;

/// The answer's status, its JSON body and, for a 429, the `Retry-After` header (the same
/// seconds as the body's `retry_after`). A rate limiter answers
/// `answer(Rejection::RateLimited { retry_after_seconds })`:
/// `429`, `Retry-After: N`, `{"error":"rate_limited","retry_after":N,"message":"…"}`.
pub(crate) fn answer(reply: impl Into<SubmitReply>) -> Response {
    let reply = reply.into();
    let status = StatusCode::from_u16(reply.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let json = HeaderValue::from_static("application/json");
    let mut response = (status, [(header::CONTENT_TYPE, json)], reply.to_json()).into_response();
    if let Some(seconds) = reply.retry_after_seconds() {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

#[cfg(test)]
mod tests {
    use axum::body::to_bytes;
    use deskform_core::Rejection;

    use super::*;

    async fn parts(response: Response) -> (u16, Option<String>, Option<String>, String) {
        let header = |name| {
            response
                .headers()
                .get(name)
                .map(|v: &HeaderValue| v.to_str().unwrap().to_owned())
        };
        let (status, content_type, retry_after) = (
            response.status().as_u16(),
            header(header::CONTENT_TYPE),
            header(header::RETRY_AFTER),
        );
        let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        (
            status,
            content_type,
            retry_after,
            String::from_utf8(body.to_vec()).unwrap(),
        )
    }

    #[tokio::test]
    async fn a_429_says_when_in_the_header_and_the_body() {
        let (status, content_type, retry_after, body) = parts(answer(Rejection::RateLimited {
            retry_after_seconds: 42,
        }))
        .await;
        assert_eq!(status, 429);
        assert_eq!(content_type.as_deref(), Some("application/json"));
        assert_eq!(retry_after.as_deref(), Some("42"));
        assert_eq!(
            body,
            r#"{"error":"rate_limited","retry_after":42,"message":"too many requests from this client; try again in 42 seconds"}"#
        );
        assert_eq!(
            SubmitReply::from_response(status, retry_after.as_deref(), &body),
            SubmitReply::Refused(Rejection::RateLimited {
                retry_after_seconds: 42
            })
        );
    }

    #[tokio::test]
    async fn other_answers_have_no_retry_after() {
        let (status, _, retry_after, body) =
            parts(answer(SubmitReply::ServerError { status: 500 })).await;
        assert_eq!((status, retry_after), (500, None));
        assert_eq!(
            body,
            r#"{"error":"internal","message":"the receiver failed; nothing was stored, try again"}"#
        );
        let (status, _, retry_after, _) = parts(answer(Rejection::NotFound)).await;
        assert_eq!((status, retry_after), (404, None));
    }
}
