//! The form's state and every change to it, as a reducer. Plain data: no yew, no browser.
//!
//! Sending is a small state machine. An inquiry gets one idempotency key per draft and keeps it
//! through every retry, so the receiver stores it once however often the network fails; the
//! draft is cleared only when the receiver confirms (200 or 201). A request whose identity
//! token the receiver refuses (401) is sent once more after the token is renewed; when no token
//! can be had, nothing is sent and the text stays.

use std::rc::Rc;

use deskform_core::{
    check_field, Date, DeskId, Field, FieldProblem, LockReason, Problem, Receipt, Rejection,
    SubmitReply, TokenProblem,
};
use yew::Reducible;

use crate::draft::Draft;
use crate::host::{FetchError, HttpResponse};

/// The signed-in customer, whose email and name the form uses as they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub email: String,
}

/// Why the last attempt to send did not get an answer to act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// No answer: offline, refused, timed out.
    Unreachable,
    /// The receiver answered 5xx (or something that is not a receipt).
    ServerError,
}

/// Where sending stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sending {
    Idle,
    /// A request is out: the `attempt`-th for this draft.
    InFlight {
        attempt: u32,
    },
    /// The `attempt`-th failed; the next goes after `seconds` (or when the customer asks).
    Waiting {
        attempt: u32,
        seconds: u32,
        failure: Failure,
    },
    /// Offline: held until the browser is back online; `attempt` requests were made so far.
    Held {
        attempt: u32,
    },
    /// The receiver refused the identity token: a new one is asked of the session endpoint,
    /// then the `attempt`-th request goes with it.
    Renewing {
        attempt: u32,
    },
}

/// How long to wait after the `attempt`-th failure: 2, 4, 8, 16, 32, then every 60 seconds.
pub fn backoff_seconds(attempt: u32) -> u32 {
    2u32.saturating_pow(attempt.clamp(1, 6)).min(60)
}

/// Why the receiver refused an inquiry (a 4xx): nothing was stored, the draft is kept and
/// the customer may send again. Only what the view needs to say it in the customer's language:
/// the receiver's own words (English, for logs) are never shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// 400: the receiver could not read the inquiry.
    Malformed,
    /// 401: the receiver did not accept the identity token (why, when it said), even renewed.
    Unauthorized(Option<TokenProblem>),
    /// 403: the customer's plan may not use the desk (the page's plan was out of date).
    Locked(LockReason),
    /// 404: nothing answers at the page's receiver address.
    NotFound,
    /// 409: the key was used for another inquiry; the next send gets a new one.
    KeyConflict,
    /// 413: the inquiry is over the receiver's size limit.
    TooLarge,
    /// 415: the receiver does not take the widget's JSON.
    UnsupportedMediaType,
    /// 422: `at_fields` problems shown at the form's fields, and whether others are about
    /// what the page sends itself (desk, language, key), which only a reload mends.
    Fields { at_fields: usize, elsewhere: bool },
    /// 429: too many inquiries from here; the customer may try again in this many minutes
    /// (rounded up, at least 1).
    RateLimited { minutes: u32 },
    /// Any other refusal: only its HTTP status is shown.
    Other { status: u16 },
}

impl std::fmt::Display for Refusal {
    /// For the web team (the `deskform:error` event): what the receiver said, in English.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Malformed => f.write_str("the receiver could not read the inquiry (400)"),
            Self::Unauthorized(Some(problem)) => write!(
                f,
                "the receiver did not accept the identity token (401 {}): {problem}",
                problem.code()
            ),
            Self::Unauthorized(None) => {
                f.write_str("the receiver did not accept the identity token (401)")
            }
            Self::Locked(_) => f.write_str("the viewer's plan may not use this desk (403)"),
            Self::NotFound => f.write_str("nothing answers at the submit URL (404)"),
            Self::KeyConflict => {
                f.write_str("the idempotency key was used for another inquiry (409)")
            }
            Self::TooLarge => f.write_str("the inquiry is over the receiver's size limit (413)"),
            Self::UnsupportedMediaType => f.write_str("the receiver does not take JSON (415)"),
            Self::Fields {
                at_fields,
                elsewhere,
            } => write!(
                f,
                "the receiver found {at_fields} field problem(s){} (422)",
                if *elsewhere {
                    " and others in what the page sends"
                } else {
                    ""
                }
            ),
            Self::RateLimited { minutes } => {
                write!(f, "too many inquiries; try again in {minutes} min (429)")
            }
            Self::Other { status } => write!(f, "the receiver refused the inquiry ({status})"),
        }
    }
}

/// What the last press of the submit button led to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// Not pressed since the last edit (or sending: see [`Sending`]).
    None,
    /// Some fields need fixing; this many problems.
    Invalid(usize),
    /// The form is complete, but this page has no receiver (`data-submit-url`).
    NotSent,
    /// Stored by the receiver.
    Sent(Receipt),
    Refused(Refusal),
    /// No identity token fit to send could be had (it expired, and the session gave no new
    /// one): nothing was sent, the text stays.
    SignInLost,
}

/// The state of one widget's form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormState {
    pub draft: Draft,
    /// The desks this viewer may choose; nothing else is ever chosen.
    allowed: Rc<[DeskId]>,
    identity: Option<Identity>,
    /// Whether the page gave a receiver to send to.
    can_send: bool,
    /// Today at the desk (the catalog's time zone).
    pub desk_today: Date,
    /// Today where the visitor is.
    pub local_today: Date,
    touched: [bool; 4],
    submitted: bool,
    /// Problems the receiver found, shown until the field is edited.
    server_problems: [Option<FieldProblem>; 4],
    pub sending: Sending,
    pub outcome: SubmitOutcome,
    /// Whether the identity token was renewed after a 401 since the last press: once only.
    token_renewed: bool,
}

/// A change to the form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    ChooseDesk(String),
    Edit(Field, String),
    /// The customer left a field: its problems may now be shown.
    Leave(Field),
    /// The send button; `key` is a fresh idempotency key, used if the draft has none yet.
    Submit {
        key: String,
        online: bool,
    },
    /// The answer to the `attempt`-th request.
    Answer {
        attempt: u32,
        result: Result<HttpResponse, FetchError>,
        online: bool,
    },
    /// Send again now: the wait is over, or the customer asked.
    Retry,
    /// The identity token was renewed: the `attempt`-th request may go.
    Renewed {
        attempt: u32,
    },
    /// No identity token fit to send could be had for the `attempt`-th request.
    SignInLost {
        attempt: u32,
    },
    /// The browser is back online.
    Online,
    /// The clock moved on; the dates may have changed.
    Clock {
        desk_today: Date,
        local_today: Date,
    },
}

/// Where a new form starts.
pub struct Start {
    pub draft: Option<Draft>,
    pub allowed: Vec<DeskId>,
    pub identity: Option<Identity>,
    pub can_send: bool,
    pub online: bool,
    pub desk_today: Date,
    pub local_today: Date,
}

impl FormState {
    /// A form restored from a draft: a stored desk the viewer may not use is dropped, the text
    /// is kept, a signed-in customer's identity replaces what was typed, and a send that a
    /// reload interrupted goes on.
    pub fn new(start: Start) -> Self {
        let Start {
            draft,
            allowed,
            identity,
            can_send,
            online,
            desk_today,
            local_today,
        } = start;
        let mut draft = draft.unwrap_or_default();
        if !draft
            .desk
            .as_deref()
            .is_some_and(|d| allowed.iter().any(|a| a == d))
        {
            draft.desk = None;
            draft.pending = false;
        }
        if let Some(identity) = &identity {
            draft.fields.email.clone_from(&identity.email);
            draft.fields.name.clone_from(&identity.name);
        }
        draft.pending &= can_send && draft.key.is_some();
        let sending = match (draft.pending, online) {
            (false, _) => Sending::Idle,
            (true, true) => Sending::InFlight { attempt: 1 },
            (true, false) => Sending::Held { attempt: 0 },
        };
        Self {
            draft,
            allowed: allowed.into(),
            identity,
            can_send,
            desk_today,
            local_today,
            touched: [false; 4],
            submitted: false,
            server_problems: [None; 4],
            sending,
            outcome: SubmitOutcome::None,
            token_renewed: false,
        }
    }

    /// Whether the inquiry is on its way (sent, waiting to retry, or held offline): the form
    /// is fixed until it is answered, so every retry sends the same inquiry.
    pub fn is_pending(&self) -> bool {
        self.draft.pending
    }

    /// Whether a field takes no typing: the account's identity, or an inquiry on its way.
    pub fn is_read_only(&self, field: Field) -> bool {
        self.is_pending()
            || (self.identity.is_some() && matches!(field, Field::Email | Field::Name))
    }

    /// Whether a field shows the signed-in account's identity.
    pub fn is_from_account(&self, field: Field) -> bool {
        self.identity.is_some() && matches!(field, Field::Email | Field::Name)
    }

    /// The problem to show for a field: the receiver's, or the form's own once the customer
    /// has left the field or pressed submit.
    pub fn shown_problem(&self, field: Field) -> Option<FieldProblem> {
        if let Some(problem) = self.server_problems[field.index()] {
            return Some(problem);
        }
        if !(self.submitted || self.touched[field.index()]) {
            return None;
        }
        check_field(field, self.draft.fields.get(field))
    }

    /// Whether to say that no desk is chosen.
    pub fn desk_missing_shown(&self) -> bool {
        self.submitted && self.draft.desk.is_none()
    }

    /// The first field (in form order) with a problem shown, where focus should go.
    pub fn first_shown_problem(&self) -> Option<Field> {
        Field::ALL
            .into_iter()
            .find(|f| self.shown_problem(*f).is_some())
    }

    fn problem_count(&self) -> usize {
        self.draft.fields.problems().len() + usize::from(self.draft.desk.is_none())
    }

    /// A new, empty draft for the next inquiry (the identity stays).
    fn clear_draft(&mut self) {
        let mut draft = Draft::default();
        if let Some(identity) = &self.identity {
            draft.fields.email.clone_from(&identity.email);
            draft.fields.name.clone_from(&identity.name);
        }
        self.draft = draft;
        self.touched = [false; 4];
        self.submitted = false;
    }

    /// The `attempt`-th request got no answer to act on: send it again after a while, or
    /// when the browser is back online.
    fn wait_to_retry(&mut self, attempt: u32, online: bool, failure: Failure) {
        self.sending = if online {
            Sending::Waiting {
                attempt,
                seconds: backoff_seconds(attempt),
                failure,
            }
        } else {
            Sending::Held { attempt }
        };
    }

    fn answer(&mut self, result: Result<HttpResponse, FetchError>, attempt: u32, online: bool) {
        let Ok(response) = result else {
            return self.wait_to_retry(attempt, online, Failure::Unreachable);
        };
        // The token expired on the way, or the receiver's clock is ahead: one new token.
        if response.status == 401 && !self.token_renewed {
            self.token_renewed = true;
            self.sending = Sending::Renewing {
                attempt: attempt + 1,
            };
            return;
        }
        let reply = SubmitReply::from_response(
            response.status,
            response.retry_after.as_deref(),
            &response.body,
        );
        let rejection = match reply {
            SubmitReply::Created(receipt) | SubmitReply::Repeated(receipt) => {
                self.clear_draft();
                self.sending = Sending::Idle;
                self.outcome = SubmitOutcome::Sent(receipt);
                return;
            }
            // Stored or not, nobody knows: the same key makes sending again safe.
            SubmitReply::ServerError { .. } => {
                return self.wait_to_retry(attempt, online, Failure::ServerError)
            }
            SubmitReply::Refused(rejection) => rejection,
        };
        // Refused: nothing was stored, so the draft is the customer's to change again.
        self.draft.pending = false;
        self.sending = Sending::Idle;
        let refusal = match rejection {
            Rejection::Malformed(_) => Refusal::Malformed,
            Rejection::Locked { reason, .. } => Refusal::Locked(reason),
            Rejection::NotFound => Refusal::NotFound,
            Rejection::IdempotencyConflict => {
                self.draft.key = None;
                Refusal::KeyConflict
            }
            Rejection::TooLarge { .. } => Refusal::TooLarge,
            Rejection::UnsupportedMediaType => Refusal::UnsupportedMediaType,
            Rejection::Invalid(issues) => {
                let mut at_fields = 0;
                let mut elsewhere = false;
                for issue in &issues {
                    match (issue.form_field(), &issue.problem) {
                        (Some(field), Problem::Field(problem)) => {
                            self.server_problems[field.index()] = Some(*problem);
                            at_fields += 1;
                        }
                        _ => elsewhere = true,
                    }
                }
                Refusal::Fields {
                    at_fields,
                    elsewhere,
                }
            }
            Rejection::RateLimited {
                retry_after_seconds,
            } => Refusal::RateLimited {
                minutes: retry_after_seconds.div_ceil(60).max(1),
            },
            Rejection::Unauthorized(problem) => Refusal::Unauthorized(Some(problem)),
            Rejection::Other { status: 401, .. } => Refusal::Unauthorized(None),
            Rejection::Other { status, .. } => Refusal::Other { status },
        };
        self.outcome = SubmitOutcome::Refused(refusal);
    }
}

impl Reducible for FormState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::ChooseDesk(id) => {
                if next.is_pending()
                    || !next.allowed.iter().any(|a| *a == *id)
                    || next.draft.desk.as_ref() == Some(&id)
                {
                    return self;
                }
                next.draft.desk = Some(id);
                next.outcome = SubmitOutcome::None;
            }
            Action::Edit(field, value) => {
                if next.is_read_only(field) || next.draft.fields.get(field) == value {
                    return self;
                }
                *next.draft.fields.get_mut(field) = value;
                next.server_problems[field.index()] = None;
                next.outcome = SubmitOutcome::None;
            }
            Action::Leave(field) => {
                if next.touched[field.index()] {
                    return self;
                }
                next.touched[field.index()] = true;
            }
            Action::Submit { key, online } => {
                // A second press (a double click) while the first is on its way does nothing.
                if next.is_pending() {
                    return self;
                }
                next.submitted = true;
                next.token_renewed = false;
                next.outcome = match next.problem_count() {
                    0 if next.can_send => {
                        next.draft.key.get_or_insert(key);
                        next.draft.pending = true;
                        next.sending = if online {
                            Sending::InFlight { attempt: 1 }
                        } else {
                            Sending::Held { attempt: 0 }
                        };
                        SubmitOutcome::None
                    }
                    0 => SubmitOutcome::NotSent,
                    n => SubmitOutcome::Invalid(n),
                };
            }
            Action::Answer {
                attempt,
                result,
                online,
            } => {
                if next.sending != (Sending::InFlight { attempt }) {
                    return self;
                }
                next.answer(result, attempt, online);
            }
            Action::Retry => {
                next.sending = match next.sending {
                    Sending::Waiting { attempt, .. } | Sending::Held { attempt } => {
                        Sending::InFlight {
                            attempt: attempt + 1,
                        }
                    }
                    _ => return self,
                };
            }
            Action::Renewed { attempt } => {
                if next.sending != (Sending::Renewing { attempt }) {
                    return self;
                }
                next.sending = Sending::InFlight { attempt };
            }
            Action::SignInLost { attempt } => {
                if next.sending != (Sending::InFlight { attempt })
                    && next.sending != (Sending::Renewing { attempt })
                {
                    return self;
                }
                // Nothing was stored: the same key is kept for when it goes.
                next.draft.pending = false;
                next.sending = Sending::Idle;
                next.outcome = SubmitOutcome::SignInLost;
            }
            Action::Online => {
                let Sending::Held { attempt } = next.sending else {
                    return self;
                };
                next.sending = Sending::InFlight {
                    attempt: attempt + 1,
                };
            }
            Action::Clock {
                desk_today,
                local_today,
            } => {
                if (desk_today, local_today) == (next.desk_today, next.local_today) {
                    return self;
                }
                next.desk_today = desk_today;
                next.local_today = local_today;
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use deskform_core::InquiryFields;

    use super::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn start(draft: Option<Draft>) -> Start {
        Start {
            draft,
            allowed: vec!["login".parse().unwrap()],
            identity: None,
            can_send: false,
            online: true,
            desk_today: date("2026-11-27"),
            local_today: date("2026-11-26"),
        }
    }

    fn form(draft: Option<Draft>) -> Rc<FormState> {
        Rc::new(FormState::new(start(draft)))
    }

    fn submit() -> Action {
        Action::Submit {
            key: "key-0123456789abcdef".into(),
            online: true,
        }
    }

    /// A complete draft for the login desk, on a page that can send.
    fn ready_to_send() -> Rc<FormState> {
        let draft = Draft {
            desk: Some("login".into()),
            fields: InquiryFields {
                email: "a@example.com".into(),
                subject: "Reset mail".into(),
                message: "No mail arrives".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        Rc::new(FormState::new(Start {
            can_send: true,
            ..start(Some(draft))
        }))
    }

    fn answer(attempt: u32, status: u16, body: &str) -> Action {
        Action::Answer {
            attempt,
            result: Ok(HttpResponse {
                status,
                retry_after: None,
                body: body.into(),
            }),
            online: true,
        }
    }

    const RECEIPT: &str = r#"{"ticket_id":"DF-ABCDEFGHJK","desk":"login","received_at":"2026-11-26T14:30:00Z","due_date":"2026-12-01"}"#;

    #[test]
    fn a_locked_desk_is_never_chosen() {
        let state = form(None).reduce(Action::ChooseDesk("usage".into()));
        assert_eq!(state.draft.desk, None);
        let state = state.reduce(Action::ChooseDesk("login".into()));
        assert_eq!(state.draft.desk.as_deref(), Some("login"));
    }

    #[test]
    fn a_restored_draft_keeps_its_text_but_not_a_desk_now_locked() {
        let draft = Draft {
            desk: Some("usage".into()),
            fields: InquiryFields {
                message: "my text".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        let state = form(Some(draft));
        assert_eq!(state.draft.desk, None);
        assert_eq!(state.draft.fields.message, "my text");
    }

    #[test]
    fn problems_show_after_leaving_a_field_or_submitting() {
        let state = form(None);
        assert_eq!(state.shown_problem(Field::Email), None);
        let state = state.reduce(Action::Leave(Field::Email));
        assert_eq!(
            state.shown_problem(Field::Email),
            Some(FieldProblem::Missing)
        );
        assert_eq!(state.shown_problem(Field::Subject), None);
        let state = state.reduce(submit());
        assert_eq!(state.outcome, SubmitOutcome::Invalid(4));
        assert!(state.desk_missing_shown());
        assert_eq!(state.first_shown_problem(), Some(Field::Email));
    }

    #[test]
    fn a_complete_form_is_not_sent_and_says_so() {
        let mut state = form(None).reduce(Action::ChooseDesk("login".into()));
        for (field, value) in [
            (Field::Email, "a@example.com"),
            (Field::Subject, "Reset mail"),
            (Field::Message, "No mail arrives"),
        ] {
            state = state.reduce(Action::Edit(field, value.into()));
        }
        let state = state.reduce(submit());
        assert_eq!(state.outcome, SubmitOutcome::NotSent);
        assert!(!state.is_pending());
        assert_eq!(state.draft.fields.email, "a@example.com");
        let state = state.reduce(Action::Edit(Field::Subject, "Reset mail!".into()));
        assert_eq!(state.outcome, SubmitOutcome::None);
    }

    #[test]
    fn the_clock_changes_only_what_changed() {
        let state = form(None);
        let same = state.clone().reduce(Action::Clock {
            desk_today: date("2026-11-27"),
            local_today: date("2026-11-26"),
        });
        assert!(Rc::ptr_eq(&state, &same));
        let next = state.reduce(Action::Clock {
            desk_today: date("2026-11-28"),
            local_today: date("2026-11-28"),
        });
        assert_eq!(next.desk_today, date("2026-11-28"));
    }

    #[test]
    fn one_key_through_failures_and_retries_and_the_draft_clears_only_on_success() {
        let state = ready_to_send().reduce(submit());
        assert_eq!(state.sending, Sending::InFlight { attempt: 1 });
        assert!(state.is_pending());
        let key = state.draft.key.clone().unwrap();

        // A double click, and edits while it is on its way, change nothing.
        let again = state.clone().reduce(Action::Submit {
            key: "another-key-0123456789".into(),
            online: true,
        });
        assert!(Rc::ptr_eq(&again, &state));
        let edited = state
            .clone()
            .reduce(Action::Edit(Field::Subject, "x".into()));
        assert!(Rc::ptr_eq(&edited, &state));

        let state = state.reduce(answer(1, 500, "{}"));
        assert_eq!(
            state.sending,
            Sending::Waiting {
                attempt: 1,
                seconds: 2,
                failure: Failure::ServerError
            }
        );
        assert!(state.is_pending());
        let state = state.reduce(Action::Retry);
        assert_eq!(state.sending, Sending::InFlight { attempt: 2 });
        // A late answer to the first attempt is not this attempt's answer.
        let late = state.clone().reduce(answer(1, 201, RECEIPT));
        assert!(Rc::ptr_eq(&late, &state));
        let state = state.reduce(Action::Answer {
            attempt: 2,
            result: Err(FetchError::Timeout),
            online: true,
        });
        assert!(matches!(
            state.sending,
            Sending::Waiting {
                attempt: 2,
                seconds: 4,
                failure: Failure::Unreachable
            }
        ));
        assert_eq!(state.draft.key.as_deref(), Some(key.as_str()));
        assert_eq!(state.draft.fields.subject, "Reset mail");

        let state = state.reduce(Action::Retry).reduce(answer(3, 201, RECEIPT));
        let SubmitOutcome::Sent(receipt) = &state.outcome else {
            panic!("not sent: {:?}", state.outcome);
        };
        assert_eq!(receipt.ticket_id, "DF-ABCDEFGHJK");
        assert_eq!(state.draft, Draft::default());
        assert_eq!(state.sending, Sending::Idle);
    }

    #[test]
    fn a_2xx_that_is_not_a_receipt_is_tried_again() {
        let state = ready_to_send()
            .reduce(submit())
            .reduce(answer(1, 200, "<html>"));
        assert!(matches!(state.sending, Sending::Waiting { .. }));
        assert!(state.is_pending());
    }

    #[test]
    fn offline_holds_the_inquiry_until_online() {
        let state = ready_to_send().reduce(Action::Submit {
            key: "key-0123456789abcdef".into(),
            online: false,
        });
        assert_eq!(state.sending, Sending::Held { attempt: 0 });
        let state = state.reduce(Action::Online);
        assert_eq!(state.sending, Sending::InFlight { attempt: 1 });
        let state = state.reduce(Action::Answer {
            attempt: 1,
            result: Err(FetchError::Network("Failed to fetch".into())),
            online: false,
        });
        assert_eq!(state.sending, Sending::Held { attempt: 1 });
        assert_eq!(
            state.reduce(Action::Online).sending,
            Sending::InFlight { attempt: 2 }
        );
    }

    #[test]
    fn the_receivers_field_problems_show_at_the_fields_until_edited() {
        // The subject's entry is unreadable (no problem code): the others still count.
        let body = r#"{"error":"invalid_fields","fields":[{"field":"message","problem":"too_long","max":5000,"chars":5001},{"field":"subject"},{"field":"locale","problem":"bad_format"}],"message":"…"}"#;
        let state = ready_to_send()
            .reduce(submit())
            .reduce(answer(1, 422, body));
        assert_eq!(
            state.shown_problem(Field::Message),
            Some(FieldProblem::TooLong {
                max: 5000,
                chars: 5001
            })
        );
        assert_eq!(
            state.outcome,
            SubmitOutcome::Refused(Refusal::Fields {
                at_fields: 1,
                elsewhere: true
            })
        );
        assert!(!state.is_pending());
        assert!(state.draft.key.is_some());
        assert_eq!(state.first_shown_problem(), Some(Field::Message));
        let state = state.reduce(Action::Edit(Field::Message, "shorter".into()));
        assert_eq!(state.shown_problem(Field::Message), None);
    }

    #[test]
    fn every_refusal_keeps_the_draft_editable_and_the_key_unless_it_conflicts() {
        let html = "<html><body>Error</body></html>";
        let cases = [
            (
                400,
                r#"{"error":"malformed","message":"1:1: expected value"}"#,
                Refusal::Malformed,
            ),
            (400, html, Refusal::Malformed),
            (
                403,
                r#"{"error":"desk_locked","desk":"login","reason":"paid_plan_needed","plans":[],"message":"…"}"#,
                Refusal::Locked(LockReason::PaidPlanNeeded),
            ),
            (403, html, Refusal::Other { status: 403 }),
            (404, "Not Found", Refusal::NotFound),
            (409, "{}", Refusal::KeyConflict),
            (413, "", Refusal::TooLarge),
            (413, html, Refusal::TooLarge),
            (
                415,
                r#"{"error":"unsupported_media_type","message":"…"}"#,
                Refusal::UnsupportedMediaType,
            ),
            (
                422,
                r#"{"error":"invalid_fields","fields":[{"field":"desk","problem":"unknown_desk"}],"message":"…"}"#,
                Refusal::Fields {
                    at_fields: 0,
                    elsewhere: true,
                },
            ),
            (
                429,
                r#"{"error":"rate_limited","retry_after":61,"message":"…"}"#,
                Refusal::RateLimited { minutes: 2 },
            ),
            (
                429,
                r#"{"error":"rate_limited","retry_after":0,"message":"…"}"#,
                Refusal::RateLimited { minutes: 1 },
            ),
            (429, html, Refusal::RateLimited { minutes: 1 }),
            (
                451,
                r#"{"error":"unavailable_for_legal_reasons","message":"English words"}"#,
                Refusal::Other { status: 451 },
            ),
        ];
        for (status, body, refusal) in cases {
            let sent = ready_to_send().reduce(submit());
            let key = sent.draft.key.clone();
            let state = sent.reduce(answer(1, status, body));
            assert_eq!(
                state.outcome,
                SubmitOutcome::Refused(refusal.clone()),
                "{status} {body}"
            );
            assert_eq!(state.sending, Sending::Idle);
            assert!(!state.is_pending(), "{status}");
            assert!(!state.is_read_only(Field::Message), "{status}");
            assert_eq!(state.draft.fields.message, "No mail arrives");
            if refusal == Refusal::KeyConflict {
                assert_eq!(state.draft.key, None, "a conflicting key is not used again");
            } else {
                assert_eq!(state.draft.key, key, "{status}");
            }
        }
    }

    #[test]
    fn too_many_messages_keeps_the_text_and_send_works_again() {
        let state = ready_to_send().reduce(submit()).reduce(Action::Answer {
            attempt: 1,
            // A proxy's 429: no body, the wait in the header.
            result: Ok(HttpResponse {
                status: 429,
                retry_after: Some("150".into()),
                body: String::new(),
            }),
            online: true,
        });
        assert_eq!(
            state.outcome,
            SubmitOutcome::Refused(Refusal::RateLimited { minutes: 3 })
        );
        // Not retried on its own: the customer decides when to send again.
        assert_eq!(state.sending, Sending::Idle);
        let state = state.reduce(Action::Edit(Field::Subject, "Reset mail (again)".into()));
        assert_eq!(state.draft.fields.subject, "Reset mail (again)");
        let state = state.reduce(submit());
        assert_eq!(state.sending, Sending::InFlight { attempt: 1 });
        let state = state.reduce(answer(1, 201, RECEIPT));
        assert!(matches!(state.outcome, SubmitOutcome::Sent(_)));
    }

    #[test]
    fn a_401_renews_the_token_once_then_sends_again_with_the_same_key() {
        let expired = r#"{"error":"unauthorized","reason":"expired","message":"m"}"#;
        let state = ready_to_send()
            .reduce(submit())
            .reduce(answer(1, 401, expired));
        assert_eq!(state.sending, Sending::Renewing { attempt: 2 });
        assert!(state.is_pending(), "fixed while the token is renewed");
        assert_eq!(state.outcome, SubmitOutcome::None);
        // A late or stray answer changes nothing.
        assert_eq!(state.clone().reduce(Action::Renewed { attempt: 3 }), state);
        assert_eq!(state.clone().reduce(answer(1, 201, RECEIPT)), state);
        let state = state.reduce(Action::Renewed { attempt: 2 });
        assert_eq!(state.sending, Sending::InFlight { attempt: 2 });
        let sent = state.clone().reduce(answer(2, 201, RECEIPT));
        assert!(matches!(sent.outcome, SubmitOutcome::Sent(_)));

        // Refused again with the new token: not a third time; the text and key stay.
        let refused = state.reduce(answer(2, 401, expired));
        assert_eq!(
            refused.outcome,
            SubmitOutcome::Refused(Refusal::Unauthorized(Some(TokenProblem::Expired)))
        );
        assert_eq!(refused.sending, Sending::Idle);
        assert!(!refused.is_pending());
        assert_eq!(refused.draft.fields.message, "No mail arrives");
        assert_eq!(refused.draft.key.as_deref(), Some("key-0123456789abcdef"));
        // A new press may renew once more.
        let again = refused
            .reduce(submit())
            .reduce(answer(1, 401, "<html>proxy</html>"));
        assert_eq!(again.sending, Sending::Renewing { attempt: 2 });
        let proxy = again.reduce(Action::Renewed { attempt: 2 }).reduce(answer(
            2,
            401,
            "<html>proxy</html>",
        ));
        assert_eq!(
            proxy.outcome,
            SubmitOutcome::Refused(Refusal::Unauthorized(None))
        );
    }

    #[test]
    fn without_a_token_to_send_nothing_goes_and_the_text_stays() {
        for lost_at in [
            Sending::InFlight { attempt: 1 },
            Sending::Renewing { attempt: 2 },
        ] {
            let mut state = ready_to_send().reduce(submit());
            if let Sending::Renewing { .. } = lost_at {
                state = state.reduce(answer(1, 401, ""));
            }
            assert_eq!(state.sending, lost_at);
            let attempt = match lost_at {
                Sending::InFlight { attempt } | Sending::Renewing { attempt } => attempt,
                _ => unreachable!(),
            };
            // Another request's loss changes nothing.
            assert_eq!(
                state.clone().reduce(Action::SignInLost {
                    attempt: attempt + 1
                }),
                state
            );
            let lost = state.reduce(Action::SignInLost { attempt });
            assert_eq!(lost.outcome, SubmitOutcome::SignInLost);
            assert_eq!(lost.sending, Sending::Idle);
            assert!(!lost.is_pending(), "the customer may edit and send again");
            assert_eq!(lost.draft.fields.subject, "Reset mail");
            assert_eq!(lost.draft.fields.message, "No mail arrives");
            assert_eq!(lost.draft.key.as_deref(), Some("key-0123456789abcdef"));
            let again = lost.reduce(submit());
            assert_eq!(again.sending, Sending::InFlight { attempt: 1 });
            assert_eq!(again.outcome, SubmitOutcome::None);
        }
    }

    #[test]
    fn timeouts_and_server_errors_are_sent_again_not_refused() {
        for status in [408, 500, 502, 503] {
            let state = ready_to_send().reduce(submit()).reduce(answer(
                1,
                status,
                r#"{"error":"internal","message":"…"}"#,
            ));
            assert_eq!(
                state.sending,
                Sending::Waiting {
                    attempt: 1,
                    seconds: 2,
                    failure: Failure::ServerError
                },
                "{status}"
            );
            assert!(state.is_pending());
            assert_eq!(state.outcome, SubmitOutcome::None);
        }
    }

    #[test]
    fn a_reload_while_sending_sends_again_with_the_same_key() {
        let sent = ready_to_send().reduce(submit());
        let reloaded = FormState::new(Start {
            can_send: true,
            ..start(Some(sent.draft.clone()))
        });
        assert_eq!(reloaded.sending, Sending::InFlight { attempt: 1 });
        assert_eq!(reloaded.draft.key, sent.draft.key);
        // On a page that cannot send, the draft is only text again.
        let elsewhere = FormState::new(start(Some(sent.draft.clone())));
        assert_eq!(elsewhere.sending, Sending::Idle);
        assert!(!elsewhere.is_pending());
    }

    #[test]
    fn a_signed_in_identity_replaces_what_was_typed_and_stays_after_sending() {
        let identity = Identity {
            name: "Business customer".into(),
            email: "business.customer@example.com".into(),
        };
        let draft = Draft {
            desk: Some("login".into()),
            fields: InquiryFields {
                email: "typed@example.com".into(),
                subject: "s".into(),
                message: "m".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        let state = Rc::new(FormState::new(Start {
            identity: Some(identity.clone()),
            can_send: true,
            ..start(Some(draft))
        }));
        assert_eq!(state.draft.fields.email, identity.email);
        assert!(state.is_read_only(Field::Email));
        assert!(!state.is_read_only(Field::Subject));
        let same = state
            .clone()
            .reduce(Action::Edit(Field::Email, "x@y.z".into()));
        assert!(Rc::ptr_eq(&same, &state));
        let state = state.reduce(submit()).reduce(answer(1, 201, RECEIPT));
        assert_eq!(state.draft.fields.name, identity.name);
        assert_eq!(state.draft.fields.subject, "");
    }

    #[test]
    fn a_prefill_never_overrides_the_identity_nor_chooses_a_locked_desk() {
        let prefill = crate::draft::Prefill {
            desk: Some("usage".into()),
            fields: InquiryFields {
                email: "page@example.com".into(),
                name: "Page".into(),
                subject: "From the page".into(),
                ..Default::default()
            },
        };
        let identity = Identity {
            name: "Signed In".into(),
            email: "signed.in@example.com".into(),
        };
        let state = FormState::new(Start {
            identity: Some(identity.clone()),
            ..start(crate::draft::Prefill::or_stored(Some(&prefill), None))
        });
        assert_eq!(state.draft.desk, None, "usage is locked for this viewer");
        assert_eq!(state.draft.fields.email, identity.email);
        assert_eq!(state.draft.fields.name, identity.name);
        assert_eq!(state.draft.fields.subject, "From the page");
    }

    #[test]
    fn backoff_grows_to_a_minute() {
        let waits: Vec<u32> = (1..=8).map(backoff_seconds).collect();
        assert_eq!(waits, [2, 4, 8, 16, 32, 60, 60, 60]);
    }
}
