//! The identity token the widget sends with every inquiry (`Authorization: Bearer …`): a JWT
//! the team's backend signs, handed over by the page (`identity-token`, `data-identity-token`,
//! the `identityToken` option) or by the session endpoint (its answer's `token`).
//!
//! The widget **does not verify** the token: it has no key, and whoever edits the page can
//! write any claims. It reads the claims only to show the desks of the customer's plan and
//! their email and name; the receiver verifies the signature of every post, and answers 401
//! to a token it does not accept.
//!
//! The token lives in memory only: never in storage, drafts, events or logs (its `Debug`
//! prints no part of it). A token that expires while the customer types is renewed through the
//! session endpoint just before the inquiry goes.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use deskform_core::{IdentityClaims, ReadTokenError, Session};

use crate::host::{ErrorKind, HostHandle, HttpRequest, HttpResponse, WidgetEvent};

/// How long a token must still be valid when an inquiry goes; one closer to its end is renewed
/// first (the receiver allows 60 s of clock skew the other way).
pub const RENEW_MARGIN_SECONDS: u64 = 60;

/// The token as sent in `Authorization: Bearer …`. Its `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct Bearer(Rc<str>);

impl Bearer {
    /// The token's text, for the `Authorization` header only.
    pub fn token(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Bearer {
    fn from(text: &str) -> Self {
        Self(text.trim().into())
    }
}

impl From<String> for Bearer {
    fn from(text: String) -> Self {
        text.as_str().into()
    }
}

impl fmt::Debug for Bearer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Bearer(…)")
    }
}

/// A token and its claims, read without verification.
#[derive(Clone, PartialEq, Eq)]
pub struct IdentityToken {
    bearer: Bearer,
    pub claims: IdentityClaims,
}

impl IdentityToken {
    /// Reads a token's claims (unverified), decoding its payload with the host's base64url
    /// decoder.
    pub fn read(host: &HostHandle, text: &str) -> Result<Self, ReadTokenError> {
        let claims = IdentityClaims::read_unverified(text, |part| host.decode_base64url(part))?;
        Ok(Self {
            bearer: text.into(),
            claims,
        })
    }

    /// What the inquiry's `Authorization` header carries.
    pub fn bearer(&self) -> Bearer {
        self.bearer.clone()
    }
}

impl fmt::Debug for IdentityToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentityToken")
            .field("plan", &self.claims.plan)
            .field("exp", &self.claims.exp)
            .finish_non_exhaustive()
    }
}

/// The token a widget sends, shared by the app (which takes it from the page or the session)
/// and the form (which sends it, and keeps the renewed one).
#[derive(Clone, Default)]
pub struct TokenCell(Rc<RefCell<Held>>);

#[derive(Default)]
struct Held {
    /// The token the page or the session gave last.
    given: Option<Bearer>,
    /// The one to send: the given one, or the one that renewed it.
    current: Option<IdentityToken>,
}

impl TokenCell {
    /// The token the page or the session gives now. A renewed token stays until they give
    /// another one (a render with the same token keeps it).
    pub fn offer(&self, given: Option<&IdentityToken>) {
        let mut held = self.0.borrow_mut();
        let bearer = given.map(IdentityToken::bearer);
        if held.given != bearer {
            held.given = bearer;
            held.current = given.cloned();
        }
    }

    /// The token to send, if any.
    pub fn current(&self) -> Option<IdentityToken> {
        self.0.borrow().current.clone()
    }

    fn renewed(&self, token: IdentityToken) {
        self.0.borrow_mut().current = Some(token);
    }
}

impl PartialEq for TokenCell {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl fmt::Debug for TokenCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenCell")
    }
}

/// When a token is renewed before a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Renewal {
    /// When it expires within [`RENEW_MARGIN_SECONDS`] (a customer who typed for long).
    IfExpiring,
    /// Always: the receiver refused the one sent (401).
    Always,
}

/// Why no token fit to send could be had: the inquiry is not sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RenewTokenError {
    /// The token came from the page, which has no session endpoint to renew it
    /// (`had_token`: false when the widget had none and the receiver asked for one).
    NoSessionUrl {
        had_token: bool,
    },
    /// The session endpoint did not answer with a session.
    Session(String),
    /// The session gave no token (signed out).
    NoToken,
    Unreadable(ReadTokenError),
    /// The new token has expired too.
    Expired,
    /// The new token is another customer's than the form shows.
    OtherCustomer,
}

impl fmt::Display for RenewTokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoSessionUrl { had_token: true } => f.write_str(
                "the identity token has expired and there is no session URL to renew it; pass a \
                 fresh token: update the identity-token attribute, or call handle.update() with \
                 the options and a fresh identityToken",
            ),
            Self::NoSessionUrl { had_token: false } => f.write_str(
                "the receiver asks for an identity token; pass one: the identity-token \
                 attribute, or handle.update() with the options and an identityToken",
            ),
            Self::Session(why) => write!(f, "{why}"),
            Self::NoToken => f.write_str("the answer has no identity token (signed out)"),
            Self::Unreadable(why) => write!(f, "{why}"),
            Self::Expired => f.write_str("the new identity token has expired too"),
            Self::OtherCustomer => {
                f.write_str("the new identity token is another customer's than the form shows")
            }
        }
    }
}

/// Gives `then` the token to send an inquiry with (none: the widget has no token), renewing
/// it through the session endpoint first when `renewal` asks. When no fit token can be had,
/// `then` gets the error, already reported to the console and the page (`deskform:error`,
/// `session`): the inquiry must not be sent.
pub fn token_to_send(
    host: &HostHandle,
    cell: &TokenCell,
    session_url: Option<&str>,
    renewal: Renewal,
    then: Box<dyn FnOnce(Result<Option<Bearer>, RenewTokenError>)>,
) {
    let held = cell.current();
    let fresh = match (&held, renewal) {
        (None, Renewal::IfExpiring) => return then(Ok(None)),
        (Some(token), Renewal::IfExpiring) => !token
            .claims
            .expires_within(host.now().0, RENEW_MARGIN_SECONDS),
        (_, Renewal::Always) => false,
    };
    if fresh {
        return then(Ok(held.map(|t| t.bearer())));
    }
    // Reported here, once for every way it fails; `then` only learns not to send.
    let report = {
        let host = host.clone();
        let url = session_url.map(str::to_owned);
        move |error: RenewTokenError| {
            let message = match &url {
                Some(url) => format!(
                    "data-session-url {url}: {error}; the inquiry was not sent, its text is kept"
                ),
                None => format!("{error}; the inquiry was not sent, its text is kept"),
            };
            host.report_error(&format!("deskform: {message}"));
            host.emit(WidgetEvent::Error {
                kind: ErrorKind::Session,
                message,
            });
            error
        }
    };
    let Some(url) = session_url else {
        return then(Err(report(RenewTokenError::NoSessionUrl {
            had_token: held.is_some(),
        })));
    };
    let (reader, cell) = (host.clone(), cell.clone());
    let request = HttpRequest {
        credentials: true,
        ..HttpRequest::get(url)
    };
    host.fetch(
        request,
        Box::new(move |answer| {
            let answer = answer.and_then(HttpResponse::ok_body);
            let renewed = renewed_token(&reader, held.as_ref(), answer).map(|token| {
                let bearer = token.bearer();
                cell.renewed(token);
                Some(bearer)
            });
            then(renewed.map_err(report));
        }),
    );
}

/// The token in a session endpoint's answer, if it is fit to replace `held`: readable, not
/// expired, and the same customer's.
fn renewed_token(
    host: &HostHandle,
    held: Option<&IdentityToken>,
    answer: Result<String, crate::host::FetchError>,
) -> Result<IdentityToken, RenewTokenError> {
    let body = answer.map_err(|e| RenewTokenError::Session(e.to_string()))?;
    let session = Session::from_json(&body).ok_or_else(|| {
        RenewTokenError::Session("the answer is not a session ({signed_in, plan, …, token})".into())
    })?;
    let text = session.token.ok_or(RenewTokenError::NoToken)?;
    let token = IdentityToken::read(host, &text).map_err(RenewTokenError::Unreadable)?;
    if token.claims.expires_within(host.now().0, 0) {
        return Err(RenewTokenError::Expired);
    }
    if held.is_some_and(|held| held.claims.email != token.claims.email) {
        return Err(RenewTokenError::OtherCustomer);
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::collections::VecDeque;

    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use deskform_core::{Date, Locale};

    use super::*;
    use crate::host::{DateStyle, DraftSlot, DraftStorage, FetchError, Host, Timer, UnixTime};

    const NOW: u64 = 1_795_608_000;

    /// A token with these claims (the signature is not checked, so any will do).
    pub(crate) fn mint(email: &str, plan: &str, exp: u64) -> String {
        let claims = format!(
            r#"{{"sub":"1","email":"{email}","name":"N","plan":"{plan}","iat":{},"exp":{exp}}}"#,
            exp.saturating_sub(3600)
        );
        format!(
            "{}.{}.c2lnbmF0dXJl",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#),
            URL_SAFE_NO_PAD.encode(claims)
        )
    }

    fn session_with(token: &str) -> String {
        format!(
            r#"{{"signed_in":true,"plan":"business","name":"N","email":"a@example.com","token":"{token}"}}"#
        )
    }

    /// A page whose fetches are answered, in order, from `answers`, and which records what
    /// the widget asked, reported and emitted.
    #[derive(Default)]
    struct Scripted {
        answers: RefCell<VecDeque<Result<HttpResponse, FetchError>>>,
        requests: RefCell<Vec<HttpRequest>>,
        reported: RefCell<Vec<String>>,
        emitted: RefCell<Vec<WidgetEvent>>,
    }

    impl DraftStorage for Scripted {
        fn load_draft(&self, _: DraftSlot) -> Option<String> {
            unreachable!()
        }
        fn save_draft(&self, _: DraftSlot, _: Option<&str>) {
            unreachable!()
        }
        fn owner_secret(&self) -> [u8; 16] {
            unreachable!()
        }
    }

    impl Host for Scripted {
        fn now(&self) -> UnixTime {
            UnixTime(NOW)
        }
        fn today_in(&self, _: &str) -> Date {
            unreachable!()
        }
        fn local_today(&self) -> Date {
            unreachable!()
        }
        fn knows_time_zone(&self, _: &str) -> bool {
            unreachable!()
        }
        fn format_date(&self, _: Date, _: Locale, _: DateStyle) -> String {
            unreachable!()
        }
        fn time_zone_name(&self, _: &str, _: Locale) -> String {
            unreachable!()
        }
        fn fetch(
            &self,
            request: HttpRequest,
            done: Box<dyn FnOnce(Result<HttpResponse, FetchError>)>,
        ) {
            self.requests.borrow_mut().push(request);
            let answer = self.answers.borrow_mut().pop_front().expect("an answer");
            done(answer);
        }
        fn every(&self, _: u32, _: Box<dyn Fn()>) -> Timer {
            unreachable!()
        }
        fn after(&self, _: u32, _: Box<dyn FnOnce()>) -> Timer {
            unreachable!()
        }
        fn is_online(&self) -> bool {
            true
        }
        fn when_online(&self, _: Box<dyn FnOnce()>) -> Timer {
            unreachable!()
        }
        fn new_key(&self) -> String {
            unreachable!()
        }
        fn decode_base64url(&self, text: &str) -> Option<Vec<u8>> {
            URL_SAFE_NO_PAD.decode(text).ok()
        }
        fn report_error(&self, message: &str) {
            self.reported.borrow_mut().push(message.to_owned());
        }
        fn emit(&self, event: WidgetEvent) {
            self.emitted.borrow_mut().push(event);
        }
    }

    fn ok(status: u16, body: &str) -> Result<HttpResponse, FetchError> {
        Ok(HttpResponse {
            status,
            retry_after: None,
            body: body.into(),
        })
    }

    /// A host with these answers, and a cell holding `token` as the page gave it.
    fn page(
        token: Option<&str>,
        answers: Vec<Result<HttpResponse, FetchError>>,
    ) -> (Rc<Scripted>, HostHandle, TokenCell) {
        let scripted = Rc::new(Scripted {
            answers: RefCell::new(answers.into()),
            ..Default::default()
        });
        let host = HostHandle(scripted.clone());
        let cell = TokenCell::default();
        let given = token.map(|t| IdentityToken::read(&host, t).unwrap());
        cell.offer(given.as_ref());
        (scripted, host, cell)
    }

    /// What `token_to_send` gives, synchronously (the scripted host answers at once).
    fn to_send(
        host: &HostHandle,
        cell: &TokenCell,
        session_url: Option<&str>,
        renewal: Renewal,
    ) -> Result<Option<String>, RenewTokenError> {
        let got = Rc::new(RefCell::new(None));
        let given = got.clone();
        let then = move |result: Result<Option<Bearer>, RenewTokenError>| {
            *given.borrow_mut() = Some(result.map(|b| b.map(|b| b.token().to_owned())));
        };
        token_to_send(host, cell, session_url, renewal, Box::new(then));
        let result = got.borrow_mut().take();
        result.expect("an answer, at once")
    }

    #[test]
    fn a_token_valid_for_more_than_a_minute_is_sent_as_it_is_and_none_is_none() {
        let token = mint("a@example.com", "business", NOW + 61);
        let (scripted, host, cell) = page(Some(&token), vec![]);
        let sent = to_send(&host, &cell, Some("/session"), Renewal::IfExpiring);
        assert_eq!(sent, Ok(Some(token)));
        let (_, host, none) = page(None, vec![]);
        assert_eq!(
            to_send(&host, &none, Some("/session"), Renewal::IfExpiring),
            Ok(None)
        );
        assert!(scripted.requests.borrow().is_empty());
        assert!(scripted.reported.borrow().is_empty());
    }

    #[test]
    fn a_token_expiring_within_a_minute_is_renewed_through_the_session_first() {
        let old = mint("a@example.com", "business", NOW + 60);
        let new = mint("a@example.com", "business", NOW + 3600);
        let (scripted, host, cell) = page(Some(&old), vec![ok(200, &session_with(&new))]);
        let sent = to_send(&host, &cell, Some("/api/session"), Renewal::IfExpiring);
        assert_eq!(sent, Ok(Some(new.clone())));
        let requests = scripted.requests.borrow();
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].url, "/api/session");
        assert_eq!(requests[0].json_body, None);
        assert!(requests[0].credentials, "the session is read with cookies");
        assert_eq!(requests[0].authorization, None);
        // The renewed token is kept: the next send uses it without asking again, and a render
        // that offers the page's (old) token again does not bring the old one back.
        cell.offer(Some(&IdentityToken::read(&host, &old).unwrap()));
        assert_eq!(
            cell.current().map(|t| t.bearer().token().to_owned()),
            Some(new.clone())
        );
        // A new token from the page replaces it.
        let newer = mint("a@example.com", "business", NOW + 7000);
        cell.offer(Some(&IdentityToken::read(&host, &newer).unwrap()));
        assert_eq!(
            cell.current().map(|t| t.bearer().token().to_owned()),
            Some(newer)
        );
        assert!(scripted.reported.borrow().is_empty());
    }

    #[test]
    fn after_a_401_the_token_is_renewed_even_if_it_looks_valid() {
        let old = mint("a@example.com", "business", NOW + 3000);
        let new = mint("a@example.com", "business", NOW + 3600);
        let (scripted, host, cell) = page(Some(&old), vec![ok(200, &session_with(&new))]);
        assert_eq!(
            to_send(&host, &cell, Some("/s"), Renewal::Always),
            Ok(Some(new))
        );
        assert_eq!(scripted.requests.borrow().len(), 1);
    }

    #[test]
    fn when_no_fit_token_can_be_had_nothing_is_sent_and_the_page_is_told() {
        let old = mint("a@example.com", "business", NOW - 1);
        let other = mint("b@example.com", "business", NOW + 3600);
        let expired = mint("a@example.com", "business", NOW);
        let signed_out = r#"{"signed_in":false,"plan":null,"name":null,"email":null}"#;
        let cases: Vec<(Result<HttpResponse, FetchError>, RenewTokenError)> = vec![
            (
                ok(500, "oops"),
                RenewTokenError::Session("the server answered HTTP 500".into()),
            ),
            (
                Err(FetchError::Timeout),
                RenewTokenError::Session("no answer in time".into()),
            ),
            (ok(200, signed_out), RenewTokenError::NoToken),
            (
                ok(200, &session_with("not-a-jwt")),
                RenewTokenError::Unreadable(ReadTokenError::NotAJwt),
            ),
            (ok(200, &session_with(&expired)), RenewTokenError::Expired),
            (
                ok(200, &session_with(&other)),
                RenewTokenError::OtherCustomer,
            ),
        ];
        for (answer, error) in cases {
            let (scripted, host, cell) = page(Some(&old), vec![answer]);
            let sent = to_send(&host, &cell, Some("/api/session"), Renewal::IfExpiring);
            assert_eq!(sent, Err(error.clone()));
            let reported = scripted.reported.borrow();
            assert_eq!(reported.len(), 1, "{reported:?}");
            assert!(
                reported[0].starts_with("deskform: data-session-url /api/session: "),
                "{reported:?}"
            );
            assert!(reported[0].contains("the inquiry was not sent, its text is kept"));
            assert!(
                !reported[0].contains(&old),
                "never the token in the console"
            );
            assert!(
                matches!(&scripted.emitted.borrow()[..], [WidgetEvent::Error { kind: ErrorKind::Session, message }]
                    if message.contains(&error.to_string())),
                "{:?}",
                scripted.emitted.borrow()
            );
            // The held token is not replaced by a failed renewal.
            assert_eq!(
                cell.current().map(|t| t.bearer().token().to_owned()),
                Some(old.clone())
            );
        }
    }

    #[test]
    fn a_page_token_without_a_session_url_asks_the_page_for_a_fresh_one() {
        let old = mint("a@example.com", "business", NOW + 10);
        let (scripted, host, cell) = page(Some(&old), vec![]);
        let sent = to_send(&host, &cell, None, Renewal::IfExpiring);
        assert_eq!(sent, Err(RenewTokenError::NoSessionUrl { had_token: true }));
        assert!(scripted.requests.borrow().is_empty());
        let emitted = scripted.emitted.borrow();
        let [WidgetEvent::Error {
            kind: ErrorKind::Session,
            message,
        }] = &emitted[..]
        else {
            panic!("{emitted:?}")
        };
        assert!(message.contains("pass a fresh token"), "{message}");
        assert!(message.contains("identity-token attribute"), "{message}");
        assert!(message.contains("identityToken"), "{message}");
        // A 401 to a widget without a token and without a session URL: the page is asked for
        // one.
        let (_, host, none) = page(None, vec![]);
        assert_eq!(
            to_send(&host, &none, None, Renewal::Always),
            Err(RenewTokenError::NoSessionUrl { had_token: false })
        );
    }

    #[test]
    fn no_debug_output_shows_the_token() {
        let token = mint("a@example.com", "business", NOW + 600);
        let (_, host, cell) = page(Some(&token), vec![]);
        let read = IdentityToken::read(&host, &token).unwrap();
        let request = HttpRequest {
            authorization: Some(read.bearer()),
            ..HttpRequest::get("/x")
        };
        let signature = "c2lnbmF0dXJl";
        for text in [
            format!("{read:?}"),
            format!("{request:?}"),
            format!("{cell:?}"),
            format!("{:?}", read.bearer()),
        ] {
            assert!(!text.contains(signature), "{text}");
            assert!(!text.contains(&token[..20]), "{text}");
        }
    }
}
