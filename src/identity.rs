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
            bearer: Bearer(text.trim().into()),
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
    then: impl FnOnce(Result<Option<Bearer>, RenewTokenError>) + 'static,
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
