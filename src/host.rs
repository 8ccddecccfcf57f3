//! What the widget needs from the page it runs in: the clock, date formatting, draft storage,
//! the network, base64 decoding and the console. Components only see this trait; [`crate::embed`] implements it
//! for the browser, and tests implement it with fixed values.

use std::any::Any;
use std::fmt;
use std::rc::Rc;

use deskform_core::{Date, Locale};

use crate::identity::Bearer;

/// How a date is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateStyle {
    /// Weekday, day, month and year: "Monday, 30 November 2026".
    Long,
    /// Short weekday, day and month: "Sat, 28 Nov".
    Short,
}

/// A request the widget makes: the catalog, the session, an inquiry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    pub url: String,
    /// A JSON body to `POST`; `None` is a `GET`.
    pub json_body: Option<String>,
    /// Send the visitor's cookies, also to another origin (the session and the receiver).
    pub credentials: bool,
    /// `Authorization: Bearer …`: the identity token an inquiry carries.
    pub authorization: Option<Bearer>,
}

impl HttpRequest {
    /// A `GET` without cookies for other origins.
    pub fn get(url: &str) -> Self {
        Self {
            url: url.to_owned(),
            json_body: None,
            credentials: false,
            authorization: None,
        }
    }
}

/// An answer of any status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    /// The `Retry-After` header, when the page may read it (another origin must expose it).
    pub retry_after: Option<String>,
    pub body: String,
}

impl HttpResponse {
    /// The body of a 2xx answer, else the status as an error.
    pub fn ok_body(self) -> Result<String, FetchError> {
        if (200..300).contains(&self.status) {
            Ok(self.body)
        } else {
            Err(FetchError::Status(self.status))
        }
    }
}

/// Why a request did not get a usable answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchError {
    /// The request did not complete (offline, refused, blocked by CORS).
    Network(String),
    /// No answer within the widget's time limit.
    Timeout,
    /// The server answered with a status other than 2xx.
    Status(u16),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Network(reason) => write!(f, "the request failed: {reason}"),
            Self::Timeout => f.write_str("no answer in time"),
            Self::Status(status) => write!(f, "the server answered HTTP {status}"),
        }
    }
}

/// Stops a timer or a listener when dropped, by dropping the host's own guard (gloo's
/// `Timeout`, `Interval` and `EventListener` stop when dropped).
pub struct Timer {
    _guard: Option<Box<dyn Any>>,
}

impl Timer {
    /// A timer that dropping `guard` stops.
    pub fn new(guard: impl Any) -> Self {
        Self {
            _guard: Some(Box::new(guard)),
        }
    }

    /// A timer that never fires (for hosts without a clock).
    pub fn none() -> Self {
        Self { _guard: None }
    }
}

/// Seconds since the Unix epoch, from the host's clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct UnixTime(pub u64);

/// One of a widget's two stored drafts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DraftSlot {
    /// The signed-out visitor's draft.
    Visitor,
    /// A signed-in account's draft, tagged with its owner.
    Account,
}

/// Where the browser keeps a widget's drafts, as text.
pub trait DraftStorage {
    /// The stored text of a slot, if any.
    fn load_draft(&self, slot: DraftSlot) -> Option<String>;
    /// Stores a slot's text; `None` removes it.
    fn save_draft(&self, slot: DraftSlot, text: Option<&str>);
    /// The key of the owner tags: random, made once for this browser and kept in its storage
    /// (for the page's lifetime when storage is refused).
    fn owner_secret(&self) -> [u8; 16];
}

/// The page the widget runs in; its storage keeps the drafts.
pub trait Host: DraftStorage {
    /// The current instant, for dating a saved draft.
    fn now(&self) -> UnixTime;
    /// Today in the given IANA time zone, at the current instant.
    fn today_in(&self, time_zone: &str) -> Date;
    /// Today where the visitor is.
    fn local_today(&self) -> Date;
    /// Whether the browser knows an IANA time zone.
    fn knows_time_zone(&self, time_zone: &str) -> bool;
    /// A civil date written for a locale.
    fn format_date(&self, date: Date, locale: Locale, style: DateStyle) -> String;
    /// A time zone's name for a locale, e.g. "Japan Standard Time".
    fn time_zone_name(&self, time_zone: &str, locale: Locale) -> String;
    /// Makes a request; `done` gets the answer, whatever its status.
    fn fetch(&self, request: HttpRequest, done: Box<dyn FnOnce(Result<HttpResponse, FetchError>)>);
    /// Calls `tick` about every `seconds` until the returned timer is dropped.
    fn every(&self, seconds: u32, tick: Box<dyn Fn()>) -> Timer;
    /// Calls `done` once after `seconds`, unless the returned timer is dropped first.
    fn after(&self, seconds: u32, done: Box<dyn FnOnce()>) -> Timer;
    /// Whether the browser believes it is online.
    fn is_online(&self) -> bool;
    /// Calls `done` once when the browser comes back online, unless the guard is dropped.
    fn when_online(&self, done: Box<dyn FnOnce()>) -> Timer;
    /// A new random idempotency key.
    fn new_key(&self) -> String;
    /// The bytes of base64url text (unpadded, as in a JWT); `None` when it is not base64url.
    fn decode_base64url(&self, text: &str) -> Option<Vec<u8>>;
    /// Reports a problem for the web team (the browser console).
    fn report_error(&self, message: &str);
    /// Tells the page what happened (a `deskform:*` event on the widget's element).
    fn emit(&self, event: WidgetEvent);
}

/// What a widget tells its page, as `deskform:*` DOM events. Never the customer's message text
/// nor their email: pages forward these to analytics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WidgetEvent {
    /// The form is shown: its language, the viewer's plan, and every desk of the catalog with
    /// whether this viewer may use it.
    Ready {
        locale: Locale,
        plan: Option<String>,
        desks: Vec<(String, bool)>,
    },
    /// The customer chose a desk; a reply is due on `due_date` (none when the calendar has no
    /// business day ahead).
    DeskChange {
        desk: String,
        due_date: Option<Date>,
    },
    /// An inquiry for `desk` goes out.
    Submit { desk: String },
    /// The receiver stored the inquiry.
    Sent {
        ticket_id: String,
        desk: String,
        due_date: Date,
    },
    /// Something failed; `message` is for the web team, in English.
    Error { kind: ErrorKind, message: String },
}

/// What a [`WidgetEvent::Error`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The catalog (`config-url`) could not be loaded or is invalid.
    Catalog,
    /// The session (`session-url`) could not be read.
    Session,
    /// An inquiry was refused, or is waiting to be sent again.
    Submit,
}

impl ErrorKind {
    /// The `kind` of the event's detail.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Catalog => "catalog",
            Self::Session => "session",
            Self::Submit => "submit",
        }
    }
}

impl WidgetEvent {
    /// The DOM event's type, e.g. `deskform:ready`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Ready { .. } => "deskform:ready",
            Self::DeskChange { .. } => "deskform:desk-change",
            Self::Submit { .. } => "deskform:submit",
            Self::Sent { .. } => "deskform:sent",
            Self::Error { .. } => "deskform:error",
        }
    }

    /// The event's `detail`, as JSON text with camelCase keys in alphabetical order (dates
    /// `YYYY-MM-DD`). Written by hand: `serde_json::Value` and its `json!` cost every visitor
    /// kilobytes of wasm for five small objects.
    pub fn detail_json(&self) -> String {
        let text = |s: &str| serde_json::to_string(s).unwrap_or_default();
        let date = |d: &Option<Date>| d.map_or("null".to_owned(), |d| format!("\"{d}\""));
        match self {
            Self::Ready {
                locale,
                plan,
                desks,
            } => {
                let desks: Vec<String> = desks
                    .iter()
                    .map(|(id, available)| {
                        format!(r#"{{"available":{available},"id":{}}}"#, text(id))
                    })
                    .collect();
                format!(
                    r#"{{"desks":[{}],"locale":"{}","plan":{}}}"#,
                    desks.join(","),
                    locale.tag(),
                    plan.as_deref().map_or("null".to_owned(), text)
                )
            }
            Self::DeskChange { desk, due_date } => {
                format!(r#"{{"desk":{},"dueDate":{}}}"#, text(desk), date(due_date))
            }
            Self::Submit { desk } => format!(r#"{{"desk":{}}}"#, text(desk)),
            Self::Sent {
                ticket_id,
                desk,
                due_date,
            } => format!(
                r#"{{"desk":{},"dueDate":{},"ticketId":{}}}"#,
                text(desk),
                date(&Some(*due_date)),
                text(ticket_id)
            ),
            Self::Error { kind, message } => format!(
                r#"{{"kind":"{}","message":{}}}"#,
                kind.as_str(),
                text(message)
            ),
        }
    }
}

/// A shared [`Host`], comparable so it can sit in props.
#[derive(Clone)]
pub struct HostHandle(pub Rc<dyn Host>);

impl HostHandle {
    /// Wraps a host.
    pub fn new(host: impl Host + 'static) -> Self {
        Self(Rc::new(host))
    }
}

impl std::ops::Deref for HostHandle {
    type Target = dyn Host;

    fn deref(&self) -> &Self::Target {
        &*self.0
    }
}

impl PartialEq for HostHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl fmt::Debug for HostHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HostHandle")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn each_event_has_its_name_and_camel_case_detail() {
        let cases = [
            (
                WidgetEvent::Ready {
                    locale: Locale::Ja,
                    plan: None,
                    desks: vec![("login".into(), true), ("usage".into(), false)],
                },
                "deskform:ready",
                r#"{"desks":[{"available":true,"id":"login"},{"available":false,"id":"usage"}],"locale":"ja","plan":null}"#,
            ),
            (
                WidgetEvent::DeskChange {
                    desk: "usage".into(),
                    due_date: Some(date("2026-12-01")),
                },
                "deskform:desk-change",
                r#"{"desk":"usage","dueDate":"2026-12-01"}"#,
            ),
            (
                WidgetEvent::DeskChange {
                    desk: "usage".into(),
                    due_date: None,
                },
                "deskform:desk-change",
                r#"{"desk":"usage","dueDate":null}"#,
            ),
            (
                WidgetEvent::Submit {
                    desk: "login".into(),
                },
                "deskform:submit",
                r#"{"desk":"login"}"#,
            ),
            (
                WidgetEvent::Sent {
                    ticket_id: "DF-ABCDEFGHJK".into(),
                    desk: "login".into(),
                    due_date: date("2026-11-30"),
                },
                "deskform:sent",
                r#"{"desk":"login","dueDate":"2026-11-30","ticketId":"DF-ABCDEFGHJK"}"#,
            ),
            (
                WidgetEvent::Error {
                    kind: ErrorKind::Session,
                    message: "no answer in time".into(),
                },
                "deskform:error",
                r#"{"kind":"session","message":"no answer in time"}"#,
            ),
        ];
        for (event, name, detail) in cases {
            assert_eq!(event.name(), name);
            assert_eq!(event.detail_json(), detail, "{name}");
        }
        let plan = WidgetEvent::Ready {
            locale: Locale::En,
            plan: Some("business".into()),
            desks: vec![],
        };
        assert_eq!(
            plan.detail_json(),
            r#"{"desks":[],"locale":"en","plan":"business"}"#
        );
    }
}
