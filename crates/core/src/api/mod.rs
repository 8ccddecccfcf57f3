//! The round trip's wire format: what the widget sends to a receiver, and what the receiver
//! answers. Both sides use these types, so they cannot drift apart.
//!
//! - `GET` session → [`Session`] (with an identity token, whose claims [`IdentityClaims`] reads)
//! - `POST` inquiry ([`InquiryRequest`]) → a [`SubmitReply`]: a [`Receipt`] (201, or 200 for
//!   a repeated idempotency key), a [`Rejection`] (4xx, with a machine-readable code; see
//!   [`rejection`]), or a server error to try again.

mod claims;
mod rejection;
mod reply;
mod token_problem;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use claims::{IdentityClaims, ReadTokenError};
pub use rejection::{
    ErrorBody, Issue, IssueBody, Issues, Problem, Rejection, DEFAULT_RETRY_AFTER_SECONDS,
};
pub use reply::SubmitReply;
pub use token_problem::{TokenProblem, UnknownTokenProblemError};

use crate::catalog::Catalog;
use crate::date::Date;
use crate::desk::{Availability, Desk};
use crate::id::PlanId;
use crate::inquiry::{check_field, Field, InquiryFields};
use crate::position::{self, Position};

/// An inquiry as the widget posts it: `{desk, email, name, subject, message, locale,
/// idempotency_key, website?}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InquiryRequest {
    pub desk: String,
    #[serde(flatten)]
    pub fields: InquiryFields,
    #[serde(default)]
    /// The language the customer wrote in (`en`, `ja`, `vi`): the reply's language.
    pub locale: String,
    /// Chosen by the widget, one per draft: a repeat of the same key is the same inquiry.
    pub idempotency_key: String,
    /// The honeypot: a field people never see, so only a robot fills it in. A receiver
    /// answers such a post as usual and stores nothing. Left out of the body when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub website: String,
}

/// What an idempotency key may look like: 16 to 64 of `A-Z a-z 0-9 - _`.
pub fn is_valid_idempotency_key(key: &str) -> bool {
    (16..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The longest locale tag a receiver stores.
const MAX_LOCALE_LEN: usize = 35;

impl InquiryRequest {
    /// The request body.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a request body. Every member given must be a string; `desk` and
    /// `idempotency_key` must be given. A text field left out is empty, and the field rules
    /// ([`Catalog::check_inquiry`]) then say whether it may be: a signed-in customer's email
    /// and name come from the session, so a widget may leave them out. Members this version
    /// does not know are ignored, so newer widgets still get through.
    ///
    /// Read as a JSON object first and member by member after, so that one answer lists every
    /// member that is wrong.
    pub fn from_json(text: &str) -> Result<InquiryRequest, Rejection> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            let at = Position::of(text, position::error_offset(text, &e));
            Rejection::Malformed(format!("{at}: {}", position::error_message(&e)))
        })?;
        let Value::Object(members) = value else {
            return Err(Rejection::Malformed(format!(
                "the body is {}; expected an object",
                kind(&value)
            )));
        };
        // serde_json keeps the last of a member given twice; read again to refuse it.
        if let Err(e) = serde_json::from_str::<UniqueKeys>(text) {
            let at = Position::of(text, position::error_offset(text, &e));
            return Err(Rejection::Malformed(format!(
                "{at}: {}",
                position::error_message(&e)
            )));
        }
        let mut issues = Vec::new();
        let mut take = |name: &'static str, required: bool| -> String {
            match members.get(name) {
                Some(Value::String(s)) => s.clone(),
                None if !required => String::new(),
                None => {
                    issues.push(Issue::new(name, Problem::Missing));
                    String::new()
                }
                Some(other) => {
                    issues.push(Issue::new(name, Problem::NotAString(kind(other))));
                    String::new()
                }
            }
        };
        let mut request = InquiryRequest {
            desk: take("desk", true),
            ..Default::default()
        };
        for field in Field::ALL {
            *request.fields.get_mut(field) = take(field.id(), false);
        }
        request.locale = take("locale", false);
        request.idempotency_key = take("idempotency_key", true);
        request.website = take("website", false);
        if issues.is_empty() {
            Ok(request)
        } else {
            Err(Rejection::Invalid(issues))
        }
    }
}

/// A JSON object none of whose keys is given twice (what it holds is read elsewhere).
struct UniqueKeys;

impl<'de> Deserialize<'de> for UniqueKeys {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeysVisitor;

        impl<'de> serde::de::Visitor<'de> for KeysVisitor {
            type Value = UniqueKeys;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<UniqueKeys, A::Error> {
                let mut seen = std::collections::HashSet::new();
                while let Some(key) = map.next_key::<String>()? {
                    if seen.contains(&key) {
                        return Err(serde::de::Error::custom(format!("duplicate key \"{key}\"")));
                    }
                    map.next_value::<serde::de::IgnoredAny>()?;
                    seen.insert(key);
                }
                Ok(UniqueKeys)
            }
        }

        deserializer.deserialize_map(KeysVisitor)
    }
}

/// What a person would call this kind of JSON value, for error messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Catalog {
    /// Checks an inquiry from a viewer on `plan` (`None`: signed out), as a receiver must:
    /// the desk first (403 if the plan may not use it), then every field (422). A plan the
    /// catalog does not have counts as signed out.
    pub fn check_inquiry(
        &self,
        plan: Option<&PlanId>,
        request: &InquiryRequest,
    ) -> Result<&Desk, Rejection> {
        let mut issues = Vec::new();
        let desk = self.desk(&request.desk);
        if let Some(desk) = desk {
            let viewer = self
                .viewer(plan.map(PlanId::as_str))
                .unwrap_or(crate::plan::Viewer::SignedOut);
            let offer = self
                .desks_for(&viewer)
                .into_iter()
                .find(|o| o.desk.id == desk.id);
            if let Some(Availability::Locked(reason)) = offer.map(|o| o.availability) {
                return Err(Rejection::Locked {
                    desk: request.desk.clone(),
                    reason,
                });
            }
        } else {
            let problem = if request.desk.is_empty() {
                Problem::Missing
            } else {
                Problem::UnknownDesk
            };
            issues.push(Issue::new("desk", problem));
        }
        for field in Field::ALL {
            if let Some(problem) = check_field(field, request.fields.get(field)) {
                issues.push(Issue::new(field.id(), Problem::Field(problem)));
            }
        }
        let locale = &request.locale;
        if locale.len() > MAX_LOCALE_LEN
            || !locale
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            issues.push(Issue::new("locale", Problem::BadFormat));
        }
        if !is_valid_idempotency_key(&request.idempotency_key) {
            issues.push(Issue::new("idempotency_key", Problem::BadFormat));
        }
        match desk {
            Some(desk) if issues.is_empty() => Ok(desk),
            _ => Err(Rejection::Invalid(issues)),
        }
    }
}

/// A stored inquiry, as the receiver confirms it: `{ticket_id, desk, received_at, due_date}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub ticket_id: String,
    pub desk: String,
    /// When it was received, RFC 3339 (UTC).
    pub received_at: String,
    /// The reply's due date, the desk's day (`YYYY-MM-DD`).
    #[serde(with = "date_text")]
    pub due_date: Date,
}

impl Receipt {
    /// The response body.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a response body; `None` when it is not a receipt.
    pub fn from_json(text: &str) -> Option<Receipt> {
        read_object(text)
    }
}

/// A body that is one JSON object of type `T`. Read as an object only (serde's derived structs
/// would also take an array of their members in order, which no receiver sends), so the widget
/// carries no array reader for each answer.
pub fn read_object<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = crate::catalog_json::strict::object(&mut deserializer).ok()?;
    deserializer.end().ok()?;
    Some(value)
}

/// A [`Date`] as its `YYYY-MM-DD` text.
mod date_text {
    use serde::{de, Deserialize, Deserializer, Serializer};

    use crate::date::Date;

    pub fn serialize<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(date)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(de::Error::custom)
    }
}

/// Who the session belongs to (`GET /api/session`): `{signed_in, plan, name, email, token?}`,
/// with nulls when signed out. `token` is a fresh identity token (a JWT) for the signed-in
/// customer, when the receiver mints them: the widget sends it as `Authorization: Bearer …`.
/// Its `Debug` writes `token: Some("…")`, never the token: a credential kept out of logs and
/// panics.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "SessionBody", try_from = "SessionBody")]
pub struct Session {
    /// The plan's id; `None` when signed out.
    pub plan: Option<String>,
    pub name: String,
    pub email: String,
    /// An identity token for this customer, when the receiver gives one.
    pub token: Option<String>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("plan", &self.plan)
            .field("name", &self.name)
            .field("email", &self.email)
            .field("token", &redacted(&self.token))
            .finish()
    }
}

/// A token as `Debug` shows it: whether there is one, not what it is.
fn redacted(token: &Option<String>) -> Option<&'static str> {
    token.as_ref().map(|_| "…")
}

impl Session {
    /// Whether someone is signed in.
    pub fn is_signed_in(&self) -> bool {
        self.plan.is_some()
    }

    /// The response body.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a response body; `None` when it is not a session.
    pub fn from_json(text: &str) -> Option<Session> {
        read_object(text)
    }
}

/// A session as it is sent. Its `Debug` hides the token, as [`Session`]'s does.
#[derive(Clone, Serialize, Deserialize)]
pub struct SessionBody {
    pub signed_in: bool,
    #[serde(default)]
    pub plan: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl std::fmt::Debug for SessionBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionBody")
            .field("signed_in", &self.signed_in)
            .field("plan", &self.plan)
            .field("name", &self.name)
            .field("email", &self.email)
            .field("token", &redacted(&self.token))
            .finish()
    }
}

impl From<Session> for SessionBody {
    fn from(session: Session) -> Self {
        let signed_in = session.is_signed_in();
        SessionBody {
            signed_in,
            plan: session.plan,
            name: signed_in.then_some(session.name),
            email: signed_in.then_some(session.email),
            token: session.token.filter(|_| signed_in),
        }
    }
}

impl TryFrom<SessionBody> for Session {
    type Error = &'static str;

    fn try_from(body: SessionBody) -> Result<Self, Self::Error> {
        if !body.signed_in {
            return Ok(Session::default());
        }
        Ok(Session {
            plan: Some(body.plan.ok_or("a signed-in session names its plan")?),
            name: body.name.unwrap_or_default(),
            email: body.email.unwrap_or_default(),
            token: body.token,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desk::LockReason;

    /// A rejection as a client reads it back from the receiver's answer.
    fn reread(rejection: &Rejection) -> Rejection {
        Rejection::from_response(rejection.status(), None, &rejection.to_json())
    }

    fn request() -> InquiryRequest {
        InquiryRequest {
            desk: "usage".into(),
            fields: InquiryFields {
                email: "an@example.com".into(),
                name: "Nguyễn \"An\"".into(),
                subject: "Export".into(),
                message: "Line one\nline two\t✓".into(),
            },
            locale: "vi".into(),
            idempotency_key: "0123456789abcdef-XYZ".into(),
            website: String::new(),
        }
    }

    #[test]
    fn a_request_survives_the_wire() {
        let sent = request();
        assert_eq!(InquiryRequest::from_json(&sent.to_json()), Ok(sent.clone()));
        // One flat object, members in this order.
        assert_eq!(
            sent.to_json(),
            r#"{"desk":"usage","email":"an@example.com","name":"Nguyễn \"An\"","subject":"Export","message":"Line one\nline two\t✓","locale":"vi","idempotency_key":"0123456789abcdef-XYZ"}"#
        );
    }

    #[test]
    fn malformed_bodies_say_where() {
        let Err(Rejection::Malformed(why)) = InquiryRequest::from_json("{\n  \"desk\": }") else {
            panic!("not malformed");
        };
        assert!(why.starts_with("2:11:"), "{why}");
        let Err(rejection) = InquiryRequest::from_json("[1]") else {
            panic!("accepted an array");
        };
        assert_eq!(rejection.status(), 400);
        assert!(rejection.message().contains("an array"));
    }

    #[test]
    fn a_member_given_twice_is_malformed() {
        // Readers differ on which copy counts (a proxy may check the first, serde_json keeps
        // the last): the body is refused rather than read one way here and another there.
        let body = r#"{"desk": "login", "subject": "s", "desk": "usage", "idempotency_key": "k"}"#;
        let Err(Rejection::Malformed(why)) = InquiryRequest::from_json(body) else {
            panic!("accepted a member given twice");
        };
        assert_eq!(why, "1:40: duplicate key \"desk\"");
        // Also for members this version ignores, as the JSON reader before serde did.
        let body = r#"{"desk": "login", "x": 1, "x": 2}"#;
        assert!(matches!(
            InquiryRequest::from_json(body),
            Err(Rejection::Malformed(_))
        ));
    }

    #[test]
    fn wrong_types_and_missing_members_are_listed() {
        let body = r#"{"email": null, "subject": ["s"], "message": "m", "idempotency_key": "k", "extra": 1}"#;
        let Err(Rejection::Invalid(issues)) = InquiryRequest::from_json(body) else {
            panic!("accepted");
        };
        let codes: Vec<_> = issues
            .iter()
            .map(|i| (i.field.as_str(), i.problem.code()))
            .collect();
        assert_eq!(
            codes,
            [
                ("desk", "missing"),
                ("email", "not_a_string"),
                ("subject", "not_a_string")
            ]
        );
    }

    #[test]
    fn the_plan_is_checked_before_the_fields() {
        let catalog = Catalog::builtin();
        let mut forged = request();
        forged.fields.subject.clear();
        let free: PlanId = "free".parse().unwrap();
        let rejection = catalog.check_inquiry(Some(&free), &forged).unwrap_err();
        assert_eq!(
            rejection,
            Rejection::Locked {
                desk: "usage".into(),
                reason: LockReason::PaidPlanNeeded
            }
        );
        assert_eq!(rejection.status(), 403);
        assert_eq!(reread(&rejection), rejection);
        let signed_out = catalog.check_inquiry(None, &forged).unwrap_err();
        assert!(matches!(
            signed_out,
            Rejection::Locked {
                reason: LockReason::SignInNeeded,
                ..
            }
        ));
        let gold: PlanId = "gold".parse().unwrap();
        assert!(catalog.check_inquiry(Some(&gold), &request()).is_err());
        let business: PlanId = "business".parse().unwrap();
        assert_eq!(
            catalog
                .check_inquiry(Some(&business), &request())
                .unwrap()
                .id
                .as_str(),
            "usage"
        );
    }

    #[test]
    fn field_problems_survive_the_wire() {
        let catalog = Catalog::builtin();
        let mut bad = request();
        bad.desk = "billing".into();
        bad.fields.email = "nope".into();
        bad.fields.message = "あ".repeat(5001);
        bad.idempotency_key = "short".into();
        let rejection = catalog.check_inquiry(None, &bad).unwrap_err();
        assert_eq!(rejection.status(), 422);
        let read = reread(&rejection);
        assert_eq!(read, rejection);
        let Rejection::Invalid(issues) = read else {
            unreachable!()
        };
        let fields: Vec<_> = issues
            .iter()
            .map(|i| (i.form_field(), i.problem.code()))
            .collect();
        assert_eq!(
            fields,
            [
                (None, "unknown_desk"),
                (Some(Field::Email), "not_an_email"),
                (Some(Field::Message), "too_long"),
                (None, "bad_format")
            ]
        );
        assert!(rejection
            .message()
            .contains("message is 5001 characters long"));
    }

    #[test]
    fn receipts_and_sessions_survive_the_wire() {
        let receipt = Receipt {
            ticket_id: "DF-7K3Q9XAB".into(),
            desk: "login".into(),
            received_at: "2026-11-25T16:40:00Z".into(),
            due_date: "2026-11-27".parse().unwrap(),
        };
        assert_eq!(Receipt::from_json(&receipt.to_json()), Some(receipt));
        let session = Session {
            plan: Some("business".into()),
            name: "Bảo".into(),
            email: "bao@example.com".into(),
            token: None,
        };
        assert_eq!(
            Session::from_json(&session.to_json()),
            Some(session.clone())
        );
        assert!(!session.to_json().contains("token"), "no token, no member");
        let with_token = Session {
            token: Some("eyJhbGciOiJIUzI1NiJ9.e30.sig".into()),
            ..session
        };
        assert_eq!(
            Session::from_json(&with_token.to_json()),
            Some(with_token.clone())
        );
        assert!(with_token
            .to_json()
            .ends_with(r#","token":"eyJhbGciOiJIUzI1NiJ9.e30.sig"}"#));
        let out = Session::default();
        assert_eq!(
            out.to_json(),
            r#"{"signed_in":false,"plan":null,"name":null,"email":null}"#
        );
        assert_eq!(Session::from_json(&out.to_json()), Some(out));
        assert_eq!(Session::from_json("<html>"), None);
    }

    #[test]
    fn a_sessions_debug_never_shows_its_token() {
        let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjdXN0LTQyIn0.c2lnbmF0dXJl";
        let session = Session {
            plan: Some("business".into()),
            name: "Bảo".into(),
            email: "bao@example.com".into(),
            token: Some(token.into()),
        };
        let body = SessionBody::from(session.clone());
        for shown in [
            format!("{session:?}"),
            format!("{body:?}"),
            format!("{session:#?}"),
        ] {
            assert!(!shown.contains("c2lnbmF0dXJl"), "{shown}");
            assert!(!shown.contains("eyJ"), "{shown}");
            assert!(shown.contains("bao@example.com"), "{shown}");
            assert!(shown.contains("token: Some("), "{shown}");
        }
        let out = format!("{:?}", Session::default());
        assert!(out.contains("token: None"), "{out}");
    }

    #[test]
    fn answers_are_read_from_one_object_only() {
        // serde's derived structs also take an array of the members in order; a receiver never
        // sends one, and reading it would cost the widget an array reader per answer.
        let receipt = r#"["DF-7K3Q9XAB", "login", "2026-11-25T16:40:00Z", "2026-11-27"]"#;
        assert_eq!(Receipt::from_json(receipt), None);
        assert_eq!(Session::from_json("[false]"), None);
        assert!(matches!(
            Rejection::from_response(403, None, r#"["desk_locked", "usage"]"#),
            Rejection::Other { status: 403, .. }
        ));
        assert_eq!(
            Receipt::from_json(
                r#"{"ticket_id": "DF-1", "desk": "login", "received_at": "", "due_date": "2026-11-27"} x"#
            ),
            None
        );
        let with_more = r#"{"ticket_id": "DF-1", "desk": "login", "received_at": "",
            "due_date": "2026-11-27", "queue": 3}"#;
        assert!(Receipt::from_json(with_more).is_some());
    }

    #[test]
    fn the_honeypot_is_read_and_left_out_when_empty() {
        let mut trapped = request();
        trapped.website = "https://spam.example".into();
        let text = trapped.to_json();
        assert!(
            text.ends_with(r#","website":"https://spam.example"}"#),
            "{text}"
        );
        assert_eq!(InquiryRequest::from_json(&text), Ok(trapped));
        assert!(!request().to_json().contains("website"));
        let Err(Rejection::Invalid(issues)) =
            InquiryRequest::from_json(r#"{"desk": "login", "idempotency_key": "k", "website": 1}"#)
        else {
            panic!("accepted a honeypot that is not a string");
        };
        assert_eq!(issues[0].field, "website");
    }

    #[test]
    fn a_request_is_written_member_by_member_in_form_order() {
        assert_eq!(
            request().to_json(),
            r#"{"desk":"usage","email":"an@example.com","name":"Nguyễn \"An\"","subject":"Export","message":"Line one\nline two\t✓","locale":"vi","idempotency_key":"0123456789abcdef-XYZ"}"#
        );
    }

    proptest::proptest! {
        #[test]
        fn any_text_survives_the_wire(desk in ".*", email in ".*", message in "\\PC*|[\\x00-\\x1f\"\\\\\u{2028}]*") {
            let sent = InquiryRequest {
                desk,
                fields: InquiryFields { email, message, ..Default::default() },
                ..request()
            };
            proptest::prop_assert_eq!(InquiryRequest::from_json(&sent.to_json()), Ok(sent));
        }
    }

    #[test]
    fn keys() {
        assert!(is_valid_idempotency_key("0123456789abcdef"));
        assert!(!is_valid_idempotency_key("0123456789abcde"));
        assert!(!is_valid_idempotency_key("0123456789abcdef 0"));
        assert!(!is_valid_idempotency_key(&"a".repeat(65)));
    }
}
