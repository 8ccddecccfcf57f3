//! The round trip's wire format: what the widget sends to a receiver, and what the receiver
//! answers. Both sides use these types, so they cannot drift apart.
//!
//! - `GET` session → [`Session`]
//! - `POST` inquiry ([`InquiryRequest`]) → a [`Receipt`] (201, or 200 for a repeated
//!   idempotency key), or a [`Rejection`] (400, 403, 422).

use crate::catalog::Catalog;
use crate::date::Date;
use crate::desk::{Availability, Desk, LockReason};
use crate::id::PlanId;
use crate::inquiry::{check_field, Field, FieldProblem, InquiryFields};
use crate::json::{self, Json, JsonValue, Position};

/// An inquiry as the widget posts it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InquiryRequest {
    pub desk: String,
    pub fields: InquiryFields,
    /// The language the customer wrote in (`en`, `ja`, `vi`): the reply's language.
    pub locale: String,
    /// Chosen by the widget, one per draft: a repeat of the same key is the same inquiry.
    pub idempotency_key: String,
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
        let mut out = ObjectWriter::new();
        out.string("desk", &self.desk);
        for field in Field::ALL {
            out.string(field.id(), self.fields.get(field));
        }
        out.string("locale", &self.locale);
        out.string("idempotency_key", &self.idempotency_key);
        out.finish()
    }

    /// Reads a request body. Every member given must be a string; `desk` and
    /// `idempotency_key` must be given. A text field left out is empty, and the field rules
    /// ([`Catalog::check_inquiry`]) then say whether it may be: a signed-in customer's email
    /// and name come from the session, so a widget may leave them out. Members this version
    /// does not know are ignored, so newer widgets still get through.
    pub fn from_json(text: &str) -> Result<InquiryRequest, Rejection> {
        let json = json::parse(text).map_err(|e| {
            Rejection::Malformed(format!("{}: {}", Position::of(text, e.at), e.message))
        })?;
        let JsonValue::Object(members) = json.value else {
            return Err(Rejection::Malformed(format!(
                "the body is {}; expected an object",
                json.value.kind()
            )));
        };
        let mut issues = Vec::new();
        let mut take = |name: &'static str, required: bool| -> String {
            match members
                .iter()
                .find(|m| m.key == name)
                .map(|m| &m.value.value)
            {
                Some(JsonValue::String(s)) => s.clone(),
                None if !required => String::new(),
                None => {
                    issues.push(Issue::new(name, Problem::Missing));
                    String::new()
                }
                Some(other) => {
                    issues.push(Issue::new(name, Problem::NotAString(other.kind())));
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
        if issues.is_empty() {
            Ok(request)
        } else {
            Err(Rejection::Invalid(issues))
        }
    }
}

/// One member of a request that is not accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// The member's name: `desk`, `email`, `name`, `subject`, `message`, `locale`,
    /// `idempotency_key`.
    pub field: String,
    pub problem: Problem,
}

impl Issue {
    fn new(field: &str, problem: Problem) -> Self {
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

/// Why a receiver refuses an inquiry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// The body is not JSON, or not an object (400).
    Malformed(String),
    /// The viewer may not use the desk (403).
    Locked { desk: String, reason: LockReason },
    /// Members are missing or break the rules (422), in request order.
    Invalid(Vec<Issue>),
}

impl Rejection {
    /// The HTTP status a receiver answers with.
    pub fn status(&self) -> u16 {
        match self {
            Rejection::Malformed(_) => 400,
            Rejection::Locked { .. } => 403,
            Rejection::Invalid(_) => 422,
        }
    }

    /// One sentence for people reading logs or the response.
    pub fn message(&self) -> String {
        match self {
            Rejection::Malformed(why) => format!("the body is not a JSON inquiry: {why}"),
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
        }
    }

    /// The response body.
    pub fn to_json(&self) -> String {
        let mut out = ObjectWriter::new();
        match self {
            Rejection::Malformed(_) => out.string("error", "malformed"),
            Rejection::Locked { desk, reason } => {
                out.string("error", "desk_locked");
                out.string("desk", desk);
                let (code, plans) = match reason {
                    LockReason::SignInNeeded => ("sign_in_needed", &[][..]),
                    LockReason::PaidPlanNeeded => ("paid_plan_needed", &[][..]),
                    LockReason::PlanNeeded(plans) => ("plan_needed", &plans[..]),
                };
                out.string("reason", code);
                out.raw("plans", &string_array(plans.iter().map(PlanId::as_str)));
            }
            Rejection::Invalid(issues) => {
                out.string("error", "invalid_fields");
                let mut list = String::from("[");
                for (i, issue) in issues.iter().enumerate() {
                    if i > 0 {
                        list.push(',');
                    }
                    let mut item = ObjectWriter::new();
                    item.string("field", &issue.field);
                    item.string("problem", issue.problem.code());
                    if let Problem::Field(FieldProblem::TooLong { max, chars }) = issue.problem {
                        item.raw("max", &max.to_string());
                        item.raw("chars", &chars.to_string());
                    }
                    item.string(
                        "message",
                        &format!("{} {}", issue.field, issue.problem.message()),
                    );
                    list.push_str(&item.finish());
                }
                list.push(']');
                out.raw("fields", &list);
            }
        }
        out.string("message", &self.message());
        out.finish()
    }

    /// Reads a 4xx body a receiver sent; `None` when it is not one of these.
    pub fn from_json(text: &str) -> Option<Rejection> {
        let json = json::parse(text).ok()?;
        match string_member(&json, "error")? {
            "desk_locked" => {
                let reason = match string_member(&json, "reason")? {
                    "sign_in_needed" => LockReason::SignInNeeded,
                    "paid_plan_needed" => LockReason::PaidPlanNeeded,
                    _ => LockReason::PlanNeeded(
                        array_member(&json, "plans")
                            .iter()
                            .filter_map(|p| match &p.value {
                                JsonValue::String(s) => s.parse().ok(),
                                _ => None,
                            })
                            .collect(),
                    ),
                };
                Some(Rejection::Locked {
                    desk: string_member(&json, "desk").unwrap_or_default().to_owned(),
                    reason,
                })
            }
            "invalid_fields" => Some(Rejection::Invalid(
                array_member(&json, "fields")
                    .iter()
                    .filter_map(|item| {
                        let number = |key| string_or_number(item, key).and_then(|n| n.parse().ok());
                        let problem = match string_member(item, "problem")? {
                            "missing" => Problem::Field(FieldProblem::Missing),
                            "too_long" => Problem::Field(FieldProblem::TooLong {
                                max: number("max")?,
                                chars: number("chars")?,
                            }),
                            "not_an_email" => Problem::Field(FieldProblem::NotAnEmail),
                            "unknown_desk" => Problem::UnknownDesk,
                            _ => Problem::BadFormat,
                        };
                        Some(Issue::new(string_member(item, "field")?, problem))
                    })
                    .collect(),
            )),
            _ => Some(Rejection::Malformed(
                string_member(&json, "message")
                    .unwrap_or_default()
                    .to_owned(),
            )),
        }
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

/// A stored inquiry, as the receiver confirms it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub ticket_id: String,
    pub desk: String,
    /// When it was received, RFC 3339 (UTC).
    pub received_at: String,
    /// The reply's due date, the desk's day.
    pub due_date: Date,
}

impl Receipt {
    /// The response body.
    pub fn to_json(&self) -> String {
        let mut out = ObjectWriter::new();
        out.string("ticket_id", &self.ticket_id);
        out.string("desk", &self.desk);
        out.string("received_at", &self.received_at);
        out.string("due_date", &self.due_date.to_string());
        out.finish()
    }

    /// Reads a response body; `None` when it is not a receipt.
    pub fn from_json(text: &str) -> Option<Receipt> {
        let json = json::parse(text).ok()?;
        Some(Receipt {
            ticket_id: string_member(&json, "ticket_id")?.to_owned(),
            desk: string_member(&json, "desk")?.to_owned(),
            received_at: string_member(&json, "received_at")?.to_owned(),
            due_date: string_member(&json, "due_date")?.parse().ok()?,
        })
    }
}

/// Who the session belongs to (`GET /api/session`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Session {
    /// The plan's id; `None` when signed out.
    pub plan: Option<String>,
    pub name: String,
    pub email: String,
}

impl Session {
    /// Whether someone is signed in.
    pub fn is_signed_in(&self) -> bool {
        self.plan.is_some()
    }

    /// The response body: `{signed_in, plan, name, email}`, with nulls when signed out.
    pub fn to_json(&self) -> String {
        let mut out = ObjectWriter::new();
        out.raw(
            "signed_in",
            if self.is_signed_in() { "true" } else { "false" },
        );
        match &self.plan {
            Some(plan) => {
                out.string("plan", plan);
                out.string("name", &self.name);
                out.string("email", &self.email);
            }
            None => {
                for key in ["plan", "name", "email"] {
                    out.raw(key, "null");
                }
            }
        }
        out.finish()
    }

    /// Reads a response body; `None` when it is not a session.
    pub fn from_json(text: &str) -> Option<Session> {
        let json = json::parse(text).ok()?;
        let signed_in = match member(&json, "signed_in")? {
            JsonValue::Bool(b) => *b,
            _ => return None,
        };
        if !signed_in {
            return Some(Session::default());
        }
        Some(Session {
            plan: Some(string_member(&json, "plan")?.to_owned()),
            name: string_member(&json, "name").unwrap_or_default().to_owned(),
            email: string_member(&json, "email").unwrap_or_default().to_owned(),
        })
    }
}

fn member<'j>(json: &'j Json, key: &str) -> Option<&'j JsonValue> {
    match &json.value {
        JsonValue::Object(members) => members
            .iter()
            .find(|m| m.key == key)
            .map(|m| &m.value.value),
        _ => None,
    }
}

fn string_member<'j>(json: &'j Json, key: &str) -> Option<&'j str> {
    match member(json, key)? {
        JsonValue::String(s) => Some(s),
        _ => None,
    }
}

fn string_or_number<'j>(json: &'j Json, key: &str) -> Option<&'j str> {
    match member(json, key)? {
        JsonValue::String(s) | JsonValue::Number(s) => Some(s),
        _ => None,
    }
}

fn array_member<'j>(json: &'j Json, key: &str) -> &'j [Json] {
    match member(json, key) {
        Some(JsonValue::Array(items)) => items,
        _ => &[],
    }
}

fn join(plans: &[PlanId]) -> String {
    plans
        .iter()
        .map(PlanId::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

fn string_array<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::from("[");
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        json::write_string(&mut out, item);
    }
    out.push(']');
    out
}

/// Writes one JSON object, member by member.
struct ObjectWriter(String);

impl ObjectWriter {
    fn new() -> Self {
        Self(String::from("{"))
    }

    fn key(&mut self, key: &str) {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        json::write_string(&mut self.0, key);
        self.0.push(':');
    }

    fn string(&mut self, key: &str, value: &str) {
        self.key(key);
        json::write_string(&mut self.0, value);
    }

    /// A member whose value is already JSON.
    fn raw(&mut self, key: &str, value: &str) {
        self.key(key);
        self.0.push_str(value);
    }

    fn finish(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        }
    }

    #[test]
    fn a_request_survives_the_wire() {
        let sent = request();
        assert_eq!(InquiryRequest::from_json(&sent.to_json()), Ok(sent));
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
        assert_eq!(Rejection::from_json(&rejection.to_json()), Some(rejection));
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
        let read = Rejection::from_json(&rejection.to_json()).unwrap();
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
        };
        assert_eq!(Session::from_json(&session.to_json()), Some(session));
        let out = Session::default();
        assert_eq!(
            out.to_json(),
            r#"{"signed_in":false,"plan":null,"name":null,"email":null}"#
        );
        assert_eq!(Session::from_json(&out.to_json()), Some(out));
        assert_eq!(Session::from_json("<html>"), None);
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
