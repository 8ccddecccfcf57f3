//! Every answer to a posted inquiry, in one type: the receiver builds its answers from it, and
//! the widget decodes what came back into it, so the two agree on what each status means.

use super::rejection::{ErrorBody, Rejection};
use super::Receipt;

/// What a receiver answered to `POST` an inquiry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubmitReply {
    /// 201: stored now.
    Created(Receipt),
    /// 200: stored before, under the same idempotency key (the same receipt).
    Repeated(Receipt),
    /// 4xx (but 408): refused; nothing was stored.
    Refused(Rejection),
    /// 5xx, 408, or a 2xx that is not a receipt: no answer to act on. Whether it was stored is
    /// unknown, so the client sends the same inquiry again, with the same key, after a while.
    ServerError { status: u16 },
}

impl SubmitReply {
    /// The body of a 5xx the receiver sends itself.
    pub const INTERNAL_MESSAGE: &'static str = "the receiver failed; nothing was stored, try again";

    /// Reads an answer: the status, the `Retry-After` header if the client could read it, and
    /// the body. Never fails: whatever a proxy or a newer receiver sends means what its status
    /// means (see [`Rejection::from_response`]).
    pub fn from_response(status: u16, retry_after: Option<&str>, body: &str) -> SubmitReply {
        match status {
            200..=299 => match Receipt::from_json(body) {
                Some(receipt) if status == 201 => SubmitReply::Created(receipt),
                Some(receipt) => SubmitReply::Repeated(receipt),
                // Not the receiver's answer (a captive portal's page?): the same key makes
                // sending again safe.
                None => SubmitReply::ServerError { status },
            },
            400..=499 if status != 408 => {
                SubmitReply::Refused(Rejection::from_response(status, retry_after, body))
            }
            _ => SubmitReply::ServerError { status },
        }
    }

    /// The HTTP status to answer with.
    pub fn status(&self) -> u16 {
        match self {
            SubmitReply::Created(_) => 201,
            SubmitReply::Repeated(_) => 200,
            SubmitReply::Refused(rejection) => rejection.status(),
            SubmitReply::ServerError { status } => *status,
        }
    }

    /// The `Retry-After` header's seconds, if the answer has one (a 429).
    pub fn retry_after_seconds(&self) -> Option<u32> {
        match self {
            SubmitReply::Refused(rejection) => rejection.retry_after_seconds(),
            _ => None,
        }
    }

    /// The JSON body: the receipt, or `{"error": code, …, "message": …}` (`internal` for a
    /// server error).
    pub fn to_json(&self) -> String {
        match self {
            SubmitReply::Created(receipt) | SubmitReply::Repeated(receipt) => receipt.to_json(),
            SubmitReply::Refused(rejection) => rejection.to_json(),
            SubmitReply::ServerError { .. } => {
                serde_json::to_string(&ErrorBody::new("internal", Self::INTERNAL_MESSAGE.into()))
                    .unwrap_or_default()
            }
        }
    }
}

impl From<Rejection> for SubmitReply {
    fn from(rejection: Rejection) -> Self {
        SubmitReply::Refused(rejection)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECEIPT: &str = r#"{"ticket_id":"DF-ABCDEFGHJK","desk":"login","received_at":"2026-11-26T14:30:00Z","due_date":"2026-12-01"}"#;

    fn receipt() -> Receipt {
        Receipt::from_json(RECEIPT).unwrap()
    }

    #[test]
    fn stored_answers_carry_the_receipt() {
        assert_eq!(
            SubmitReply::from_response(201, None, RECEIPT),
            SubmitReply::Created(receipt())
        );
        assert_eq!(
            SubmitReply::from_response(200, None, RECEIPT),
            SubmitReply::Repeated(receipt())
        );
        for reply in [
            SubmitReply::Created(receipt()),
            SubmitReply::Repeated(receipt()),
        ] {
            assert_eq!(reply.to_json(), RECEIPT);
            assert_eq!(
                SubmitReply::from_response(reply.status(), None, &reply.to_json()),
                reply
            );
        }
    }

    #[test]
    fn a_2xx_that_is_not_a_receipt_is_a_server_error_to_try_again() {
        for body in ["<html>Welcome to the hotel Wi-Fi</html>", "", "{}", "[]"] {
            assert_eq!(
                SubmitReply::from_response(200, None, body),
                SubmitReply::ServerError { status: 200 },
                "{body}"
            );
        }
        assert_eq!(
            SubmitReply::from_response(204, None, ""),
            SubmitReply::ServerError { status: 204 }
        );
    }

    #[test]
    fn server_errors_and_timeouts_are_tried_again_refusals_are_not() {
        for status in [500, 502, 503, 504, 408, 302, 100] {
            assert_eq!(
                SubmitReply::from_response(status, None, "{\"error\":\"internal\"}"),
                SubmitReply::ServerError { status }
            );
        }
        assert_eq!(
            SubmitReply::from_response(429, Some("120"), "<html>"),
            SubmitReply::Refused(Rejection::RateLimited {
                retry_after_seconds: 120
            })
        );
        assert!(matches!(
            SubmitReply::from_response(418, None, ""),
            SubmitReply::Refused(Rejection::Other { status: 418, .. })
        ));
    }

    #[test]
    fn the_receiver_builds_its_answers_from_the_same_type() {
        let internal = SubmitReply::ServerError { status: 500 };
        assert_eq!(internal.status(), 500);
        assert_eq!(
            internal.to_json(),
            r#"{"error":"internal","message":"the receiver failed; nothing was stored, try again"}"#
        );
        assert_eq!(internal.retry_after_seconds(), None);
        let limited = SubmitReply::from(Rejection::RateLimited {
            retry_after_seconds: 17,
        });
        assert_eq!(limited.status(), 429);
        assert_eq!(limited.retry_after_seconds(), Some(17));
        assert_eq!(
            SubmitReply::from_response(429, None, &limited.to_json()),
            limited
        );
    }
}
