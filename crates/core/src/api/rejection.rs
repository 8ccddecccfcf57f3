//! Why a receiver refuses a request (a 4xx), and the JSON body it says so in:
//! `{"error": code, …, "message": an English sentence for logs}`.
//!
//! | status | `error`                  | other members                                  |
//! |--------|--------------------------|------------------------------------------------|
//! | 400    | `malformed`              |                                                |
//! | 401    | `unauthorized`           | `reason`: the identity token's problem ([`TokenProblem`]) |
//! | 403    | `desk_locked`            | `desk`, `reason`, `plans`                      |
//! | 404    | `not_found`              |                                                |
//! | 409    | `idempotency_conflict`   |                                                |
//! | 413    | `too_large`              | `max_bytes`                                    |
//! | 415    | `unsupported_media_type` |                                                |
//! | 422    | `invalid_fields`         | `fields`: `[{field, problem, max?, chars?, message}]` |
//! | 429    | `rate_limited`           | `retry_after` (seconds; also the `Retry-After` header) |
//!
//! The `message` is for people reading logs: a widget shows its own sentence for the code, in
//! the customer's language.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::read_object;
use super::token_problem::TokenProblem;
use crate::desk::LockReason;
use crate::id::PlanId;
use crate::inquiry::{Field, FieldProblem};

/// How long a client waits after a 429 that does not say (no readable `retry_after` member or
/// `Retry-After` header in seconds).
pub const DEFAULT_RETRY_AFTER_SECONDS: u32 = 60;

/// One member of a request that is not accepted. In JSON, `{field, problem, max?, chars?,
/// message}` (see [`IssueBody`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "IssueBody", from = "IssueBody")]
pub struct Issue {
    /// The member's name: `desk`, `email`, `name`, `subject`, `message`, `locale`,
    /// `idempotency_key`.
    pub field: String,
    pub problem: Problem,
}

impl Issue {
    pub(crate) fn new(field: &str, problem: Problem) -> Self {
        Self {
            field: field.to_owned(),
            problem,
        }
    }

    /// The form field this issue is about, if it is one.
    pub fn form_field(&self) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.id() == self.field)
    }
}

/// Why a member is not accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A form field's own rule (required, length, email shape).
    Field(FieldProblem),
    /// A required member is absent.
    Missing,
    /// The member is not a string (the kind it is).
    NotAString(&'static str),
    /// No desk of the catalog has this id.
    UnknownDesk,
    /// Not a valid idempotency key or locale tag.
    BadFormat,
}

impl Problem {
    /// The code on the wire.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Field(FieldProblem::Missing) | Problem::Missing => "missing",
            Problem::Field(FieldProblem::TooLong { .. }) => "too_long",
            Problem::Field(FieldProblem::NotAnEmail) => "not_an_email",
            Problem::NotAString(_) => "not_a_string",
            Problem::UnknownDesk => "unknown_desk",
            Problem::BadFormat => "bad_format",
        }
    }

    fn message(&self) -> String {
        match self {
            Problem::Field(problem) => problem.to_string(),
            Problem::Missing => "is required".into(),
            Problem::NotAString(kind) => format!("is {kind}; expected a string"),
            Problem::UnknownDesk => "is not a desk of this catalog".into(),
            Problem::BadFormat => "is not in the expected format".into(),
        }
    }
}

/// Why a receiver refuses a request: nothing was stored. Built by the receiver (its status
/// and [`ErrorBody`]), read back by a client with [`Rejection::from_response`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(into = "ErrorBody")]
pub enum Rejection {
    /// 400 `malformed`: not UTF-8, not JSON, not an object (why, for logs).
    Malformed(String),
    /// 401 `unauthorized`: the post's identity token was not accepted (why, as `reason`).
    Unauthorized(TokenProblem),
    /// 403 `desk_locked`: the viewer may not use the desk.
    Locked { desk: String, reason: LockReason },
    /// 404 `not_found`: nothing here for this session.
    NotFound,
    /// 409 `idempotency_conflict`: the key was used for another inquiry.
    IdempotencyConflict,
    /// 413 `too_large`: the body is over the receiver's limit (when it says which).
    TooLarge { max_bytes: Option<usize> },
    /// 415 `unsupported_media_type`: the body is not `application/json`.
    UnsupportedMediaType,
    /// 422 `invalid_fields`: members are missing or break the rules, in request order.
    Invalid(Vec<Issue>),
    /// 429 `rate_limited`: too many requests from this client; try again after this long.
    RateLimited { retry_after_seconds: u32 },
    /// Any other 4xx, or one of the above without the body it needs (a proxy's page, a newer
    /// receiver's code): the status, the body's code and message (empty when it had none).
    Other {
        status: u16,
        code: String,
        message: String,
    },
}

impl Rejection {
    /// The HTTP status a receiver answers with.
    pub fn status(&self) -> u16 {
        match self {
            Rejection::Malformed(_) => 400,
            Rejection::Unauthorized(_) => 401,
            Rejection::Locked { .. } => 403,
            Rejection::NotFound => 404,
            Rejection::IdempotencyConflict => 409,
            Rejection::TooLarge { .. } => 413,
            Rejection::UnsupportedMediaType => 415,
            Rejection::Invalid(_) => 422,
            Rejection::RateLimited { .. } => 429,
            Rejection::Other { status, .. } => *status,
        }
    }

    /// The `error` code of the body.
    pub fn code(&self) -> &str {
        match self {
            Rejection::Malformed(_) => "malformed",
            Rejection::Unauthorized(_) => "unauthorized",
            Rejection::Locked { .. } => "desk_locked",
            Rejection::NotFound => "not_found",
            Rejection::IdempotencyConflict => "idempotency_conflict",
            Rejection::TooLarge { .. } => "too_large",
            Rejection::UnsupportedMediaType => "unsupported_media_type",
            Rejection::Invalid(_) => "invalid_fields",
            Rejection::RateLimited { .. } => "rate_limited",
            Rejection::Other { code, .. } => code,
        }
    }

    /// The seconds for the `Retry-After` header: a 429's only.
    pub fn retry_after_seconds(&self) -> Option<u32> {
        match self {
            Rejection::RateLimited {
                retry_after_seconds,
            } => Some(*retry_after_seconds),
            _ => None,
        }
    }

    /// One sentence for people reading logs or the response.
    pub fn message(&self) -> String {
        match self {
            Rejection::Malformed(why) => format!("the body is not a JSON inquiry: {why}"),
            Rejection::Unauthorized(problem) => problem.to_string(),
            Rejection::Locked { desk, reason } => {
                let why = match reason {
                    LockReason::SignInNeeded => "sign in first".to_owned(),
                    LockReason::PaidPlanNeeded => "it needs a paid plan".to_owned(),
                    LockReason::PlanNeeded(plans) => {
                        format!("it needs one of the plans {}", join(plans))
                    }
                };
                format!("the desk \"{desk}\" is not open to this session: {why}")
            }
            Rejection::NotFound => "no such inquiry for this session".into(),
            Rejection::IdempotencyConflict => {
                "this idempotency key was used for another inquiry; send a new key".into()
            }
            Rejection::TooLarge {
                max_bytes: Some(max),
            } => format!("the body is over {max} bytes"),
            Rejection::TooLarge { max_bytes: None } => "the body is too large".into(),
            Rejection::UnsupportedMediaType => {
                "send the inquiry as Content-Type: application/json".into()
            }
            Rejection::Invalid(issues) => {
                let mut text = String::from("the inquiry has problems: ");
                for (i, issue) in issues.iter().enumerate() {
                    if i > 0 {
                        text.push_str("; ");
                    }
                    text.push_str(&issue.field);
                    text.push(' ');
                    text.push_str(&issue.problem.message());
                }
                text
            }
            Rejection::RateLimited {
                retry_after_seconds,
            } => format!(
                "too many requests from this client; try again in {retry_after_seconds} seconds"
            ),
            Rejection::Other { message, .. } => message.clone(),
        }
    }

    /// The response body.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a 4xx answer: by its status first, so that a proxy's page still means what its
    /// status says, with the details from the body when it is the receiver's. `retry_after`
    /// is the `Retry-After` header, if any (used when the body has no `retry_after`).
    pub fn from_response(status: u16, retry_after: Option<&str>, body: &str) -> Rejection {
        let body: Option<ErrorBody> = read_object(body);
        let code = body.as_ref().map(|b| b.error.as_str());
        let token_problem = body
            .as_ref()
            .and_then(|b| b.reason.as_deref()?.parse::<TokenProblem>().ok());
        if let (401, Some("unauthorized"), Some(problem)) = (status, code, token_problem) {
            return Rejection::Unauthorized(problem);
        }
        match (status, code) {
            (400, _) => Rejection::Malformed(body.map(|b| b.message).unwrap_or_default()),
            (403, Some("desk_locked")) => {
                let body = body.unwrap_or_default();
                Rejection::Locked {
                    desk: body.desk.unwrap_or_default(),
                    reason: match body.reason.as_deref() {
                        Some("sign_in_needed") => LockReason::SignInNeeded,
                        Some("paid_plan_needed") => LockReason::PaidPlanNeeded,
                        _ => LockReason::PlanNeeded(body.plans.unwrap_or_default()),
                    },
                }
            }
            (404, _) => Rejection::NotFound,
            (409, _) => Rejection::IdempotencyConflict,
            (413, _) => Rejection::TooLarge {
                max_bytes: body.and_then(|b| b.max_bytes),
            },
            (415, _) => Rejection::UnsupportedMediaType,
            (422, Some("invalid_fields"))
                if body
                    .as_ref()
                    .is_some_and(|b| b.fields.as_ref().is_some_and(|f| !f.0.is_empty())) =>
            {
                Rejection::Invalid(body.and_then(|b| b.fields).unwrap_or_default().0)
            }
            (429, _) => Rejection::RateLimited {
                retry_after_seconds: body
                    .and_then(|b| b.retry_after)
                    .or_else(|| retry_after?.trim().parse().ok())
                    .unwrap_or(DEFAULT_RETRY_AFTER_SECONDS),
            },
            (status, _) => {
                let body = body.unwrap_or_default();
                Rejection::Other {
                    status,
                    code: body.error,
                    message: body.message,
                }
            }
        }
    }
}

/// An error answer as it is sent: `{"error": code, …, "message": …}`, with the members its code
/// needs (see the table in this module's documentation).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desk: Option<String>,
    /// A 403's `sign_in_needed`, `paid_plan_needed` or `plan_needed`; a 401's token problem
    /// ([`TokenProblem::code`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plans: Option<Vec<PlanId>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Issues>,
    /// A 413's limit, in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_bytes: Option<usize>,
    /// A 429's wait, in seconds (the same as its `Retry-After` header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u32>,
    #[serde(default)]
    pub message: String,
}

impl ErrorBody {
    /// A body with only a code and a message.
    pub fn new(error: &str, message: String) -> Self {
        ErrorBody {
            error: error.to_owned(),
            message,
            ..Default::default()
        }
    }
}

impl From<Rejection> for ErrorBody {
    fn from(rejection: Rejection) -> Self {
        let body = ErrorBody::new(rejection.code(), rejection.message());
        match rejection {
            Rejection::Locked { desk, reason } => {
                let (code, plans) = match reason {
                    LockReason::SignInNeeded => ("sign_in_needed", Vec::new()),
                    LockReason::PaidPlanNeeded => ("paid_plan_needed", Vec::new()),
                    LockReason::PlanNeeded(plans) => ("plan_needed", plans),
                };
                ErrorBody {
                    desk: Some(desk),
                    reason: Some(code.to_owned()),
                    plans: Some(plans),
                    ..body
                }
            }
            Rejection::Invalid(issues) => ErrorBody {
                fields: Some(Issues(issues)),
                ..body
            },
            Rejection::TooLarge { max_bytes } => ErrorBody { max_bytes, ..body },
            Rejection::Unauthorized(problem) => ErrorBody {
                reason: Some(problem.code().to_owned()),
                ..body
            },
            Rejection::RateLimited {
                retry_after_seconds,
            } => ErrorBody {
                retry_after: Some(retry_after_seconds),
                ..body
            },
            _ => body,
        }
    }
}

/// A 422's issues. Read leniently: an entry this version cannot read (a newer receiver's, or
/// a damaged one) is left out, and the others are kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Issues(pub Vec<Issue>);

impl Serialize for Issues {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Issues {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Each entry as its raw text first: one that is not an issue is skipped, not fatal.
        let entries = Vec::<Box<RawValue>>::deserialize(deserializer)?;
        Ok(Issues(
            entries
                .iter()
                .filter_map(|entry| read_object::<Issue>(entry.get()))
                .collect(),
        ))
    }
}

/// An issue as it is sent: the member, the problem's code, the limits of a `too_long`, and a
/// sentence.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IssueBody {
    pub field: String,
    /// `missing`, `too_long`, `not_an_email`, `not_a_string`, `unknown_desk` or `bad_format`.
    pub problem: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chars: Option<usize>,
    #[serde(default)]
    pub message: String,
}

impl From<Issue> for IssueBody {
    fn from(issue: Issue) -> Self {
        let (max, chars) = match issue.problem {
            Problem::Field(FieldProblem::TooLong { max, chars }) => (Some(max), Some(chars)),
            _ => (None, None),
        };
        IssueBody {
            message: format!("{} {}", issue.field, issue.problem.message()),
            problem: issue.problem.code().to_owned(),
            field: issue.field,
            max,
            chars,
        }
    }
}

impl From<IssueBody> for Issue {
    fn from(body: IssueBody) -> Self {
        let problem = match (body.problem.as_str(), body.max, body.chars) {
            ("missing", _, _) => Problem::Field(FieldProblem::Missing),
            ("too_long", Some(max), Some(chars)) => {
                Problem::Field(FieldProblem::TooLong { max, chars })
            }
            ("not_an_email", _, _) => Problem::Field(FieldProblem::NotAnEmail),
            ("unknown_desk", _, _) => Problem::UnknownDesk,
            // `not_a_string` names the kind only in its message.
            _ => Problem::BadFormat,
        };
        Issue {
            field: body.field,
            problem,
        }
    }
}

fn join(plans: &[PlanId]) -> String {
    plans
        .iter()
        .map(PlanId::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reread(rejection: &Rejection) -> Rejection {
        Rejection::from_response(rejection.status(), None, &rejection.to_json())
    }

    #[test]
    fn every_rejection_survives_the_wire_with_its_status_and_code() {
        let every = [
            (
                Rejection::Malformed("1:2: expected value".into()),
                400,
                "malformed",
            ),
            (
                Rejection::Locked {
                    desk: "usage".into(),
                    reason: LockReason::PlanNeeded(vec!["max".parse().unwrap()]),
                },
                403,
                "desk_locked",
            ),
            (
                Rejection::Unauthorized(TokenProblem::Expired),
                401,
                "unauthorized",
            ),
            (Rejection::NotFound, 404, "not_found"),
            (Rejection::IdempotencyConflict, 409, "idempotency_conflict"),
            (
                Rejection::TooLarge {
                    max_bytes: Some(65536),
                },
                413,
                "too_large",
            ),
            (
                Rejection::UnsupportedMediaType,
                415,
                "unsupported_media_type",
            ),
            (
                Rejection::Invalid(vec![Issue::new("locale", Problem::BadFormat)]),
                422,
                "invalid_fields",
            ),
            (
                Rejection::RateLimited {
                    retry_after_seconds: 42,
                },
                429,
                "rate_limited",
            ),
            (
                Rejection::Other {
                    status: 451,
                    code: "unavailable_here".into(),
                    message: "not in this country".into(),
                },
                451,
                "unavailable_here",
            ),
        ];
        for (rejection, status, code) in every {
            assert_eq!(rejection.status(), status);
            let body: serde_json::Value = serde_json::from_str(&rejection.to_json()).unwrap();
            assert_eq!(body["error"], code);
            assert_eq!(body["message"], rejection.message(), "{body}");
            assert!(!rejection.message().is_empty());
            let read = reread(&rejection);
            // A malformed body's reason is only in the message: read back, it is the whole
            // message.
            if let Rejection::Malformed(_) = read {
                assert_eq!(read, Rejection::Malformed(rejection.message()));
            } else {
                assert_eq!(read, rejection);
            }
        }
    }

    #[test]
    fn the_bodies_as_documented() {
        assert_eq!(
            Rejection::RateLimited {
                retry_after_seconds: 30
            }
            .to_json(),
            r#"{"error":"rate_limited","retry_after":30,"message":"too many requests from this client; try again in 30 seconds"}"#
        );
        assert_eq!(
            Rejection::TooLarge {
                max_bytes: Some(65536)
            }
            .to_json(),
            r#"{"error":"too_large","max_bytes":65536,"message":"the body is over 65536 bytes"}"#
        );
        assert_eq!(
            Rejection::Locked {
                desk: "usage".into(),
                reason: LockReason::PaidPlanNeeded,
            }
            .to_json(),
            r#"{"error":"desk_locked","desk":"usage","reason":"paid_plan_needed","plans":[],"message":"the desk \"usage\" is not open to this session: it needs a paid plan"}"#
        );
        assert_eq!(
            Rejection::IdempotencyConflict.to_json(),
            r#"{"error":"idempotency_conflict","message":"this idempotency key was used for another inquiry; send a new key"}"#
        );
        assert_eq!(
            Rejection::RateLimited {
                retry_after_seconds: 30
            }
            .retry_after_seconds(),
            Some(30)
        );
        assert_eq!(Rejection::NotFound.retry_after_seconds(), None);
    }

    #[test]
    fn a_401_names_the_token_problem() {
        assert_eq!(
            Rejection::Unauthorized(TokenProblem::WrongAlgorithm).to_json(),
            r#"{"error":"unauthorized","reason":"wrong_algorithm","message":"the identity token is signed with another algorithm than this receiver's"}"#
        );
        for problem in TokenProblem::ALL {
            let rejection = Rejection::Unauthorized(problem);
            assert_eq!(reread(&rejection), rejection);
        }
        // A 401 without a reason this version knows (a proxy's, a newer receiver's) is not
        // read as a token problem.
        for body in [
            "<html>Unauthorized</html>",
            r#"{"error": "unauthorized"}"#,
            r#"{"error": "unauthorized", "reason": "revoked", "message": "m"}"#,
        ] {
            assert!(
                matches!(
                    Rejection::from_response(401, None, body),
                    Rejection::Other { status: 401, .. }
                ),
                "{body}"
            );
        }
    }

    #[test]
    fn a_proxys_page_means_what_its_status_says() {
        let html = "<html><body><h1>Error</h1></body></html>";
        assert_eq!(
            Rejection::from_response(413, None, html),
            Rejection::TooLarge { max_bytes: None }
        );
        assert_eq!(
            Rejection::from_response(415, None, ""),
            Rejection::UnsupportedMediaType
        );
        assert_eq!(
            Rejection::from_response(409, None, html),
            Rejection::IdempotencyConflict
        );
        assert_eq!(
            Rejection::from_response(404, None, html),
            Rejection::NotFound
        );
        assert_eq!(
            Rejection::from_response(400, None, html),
            Rejection::Malformed(String::new())
        );
        // A 403 or 422 without the receiver's body is not a lock or a field problem.
        let other = |status| Rejection::Other {
            status,
            code: String::new(),
            message: String::new(),
        };
        assert_eq!(Rejection::from_response(403, None, html), other(403));
        assert_eq!(Rejection::from_response(422, None, "{}"), other(422));
        assert_eq!(
            Rejection::from_response(422, None, r#"{"error": "invalid_fields", "fields": []}"#),
            Rejection::Other {
                status: 422,
                code: "invalid_fields".into(),
                message: String::new()
            }
        );
        assert_eq!(
            Rejection::from_response(403, None, r#"{"error": "csrf", "message": "bad origin"}"#),
            Rejection::Other {
                status: 403,
                code: "csrf".into(),
                message: "bad origin".into()
            }
        );
    }

    #[test]
    fn a_429_waits_as_the_body_says_else_as_the_header_says_else_a_minute() {
        let wait = |header, body| match Rejection::from_response(429, header, body) {
            Rejection::RateLimited {
                retry_after_seconds,
            } => retry_after_seconds,
            other => panic!("{other:?}"),
        };
        let body = r#"{"error":"rate_limited","retry_after":90,"message":"…"}"#;
        assert_eq!(wait(Some("5"), body), 90);
        assert_eq!(wait(Some(" 120 "), "<html>Too Many Requests</html>"), 120);
        assert_eq!(wait(None, ""), DEFAULT_RETRY_AFTER_SECONDS);
        // An HTTP date needs the clock, which the core does not read.
        assert_eq!(
            wait(Some("Wed, 21 Oct 2026 07:28:00 GMT"), ""),
            DEFAULT_RETRY_AFTER_SECONDS
        );
        assert_eq!(wait(Some("-3"), ""), DEFAULT_RETRY_AFTER_SECONDS);
        // A body whose wait is not a number: the header's.
        assert_eq!(
            wait(
                Some("7"),
                r#"{"error":"rate_limited","retry_after":"soon"}"#
            ),
            7
        );
    }

    #[test]
    fn a_422_keeps_the_issues_it_can_read() {
        // The second entry has no problem code, the third is not an object, the fourth's limit
        // is text: each alone used to make the whole answer unreadable.
        let body = r#"{"error": "invalid_fields", "fields": [
            {"field": "message", "problem": "too_long", "max": 5000, "chars": 5001},
            {"field": "subject"},
            "email",
            {"field": "name", "problem": "too_long", "max": "100", "chars": 101},
            {"field": "email", "problem": "not_an_email", "hint": "newer members are fine"}
        ], "message": "…"}"#;
        assert_eq!(
            Rejection::from_response(422, None, body),
            Rejection::Invalid(vec![
                Issue::new(
                    "message",
                    Problem::Field(FieldProblem::TooLong {
                        max: 5000,
                        chars: 5001
                    })
                ),
                Issue::new("email", Problem::Field(FieldProblem::NotAnEmail)),
            ])
        );
    }
}
