//! Sessions: the cookie that says who is signed in, and the demo's sign-in that issues it.
//!
//! The cookie holds a random 256-bit token; the database holds only its SHA-256, so a copy of
//! the database file (a backup, a stolen disk) signs nobody in. A session ends after
//! [`SessionLimits::idle`] without a request, or [`SessionLimits::absolute`] after sign-in,
//! whichever comes first: an expired session is refused and deleted when next presented, and
//! every sign-in deletes all the expired ones, so the table holds little more than the live
//! sessions. Signing in always issues a new token and deletes the session it replaces (no
//! session fixation); signing out deletes it.
//!
//! Reached over HTTPS (a `--trusted-proxy` says `X-Forwarded-Proto: https`), the cookie is
//! `__Host-deskform_session` and `Secure`: the browser then sends it only over HTTPS, and no
//! other host of the domain can set it. Over plain HTTP it is `deskform_session`. Each scheme
//! reads only its own name.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use deskform_core::{Catalog, Session};
use sha2::{Digest, Sha256};

use crate::store::{Account, Expiry, SessionRow};
use crate::{blocking, error, random_bytes, App, Client, Shared};

/// The cookie's name over plain HTTP.
const COOKIE: &str = "deskform_session";
/// The cookie's name over HTTPS: the `__Host-` prefix makes browsers insist on `Secure`,
/// `Path=/` and no `Domain`.
const SECURE_COOKIE: &str = "__Host-deskform_session";

/// How stale `last_seen` may get before a request updates it: a read stays a read for a minute,
/// and the idle limit is counted to the minute.
const TOUCH_EVERY: i64 = 60;

/// When sessions end (`--session-idle-minutes`, `--session-max-days`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionLimits {
    /// A session unused this long is over: on a shared computer, the next person finds the
    /// previous customer signed out.
    pub idle: Duration,
    /// A session this old is over however much it is used.
    pub absolute: Duration,
}

impl Default for SessionLimits {
    /// Two hours idle (long enough to write a message and come back to it after lunch), seven
    /// days in all (a customer who returns within the week to follow up a ticket is still
    /// signed in).
    fn default() -> SessionLimits {
        SessionLimits {
            idle: Duration::from_secs(2 * 60 * 60),
            absolute: Duration::from_secs(7 * 24 * 60 * 60),
        }
    }
}

impl SessionLimits {
    /// Which sessions are over at `now` (Unix seconds).
    fn expiry(&self, now: i64) -> Expiry {
        Expiry {
            seen_by: now.saturating_sub(seconds(self.idle)),
            created_by: now.saturating_sub(seconds(self.absolute)),
        }
    }
}

fn seconds(duration: Duration) -> i64 {
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX)
}

fn is_over(expiry: Expiry, row: &SessionRow) -> bool {
    row.last_seen <= expiry.seen_by || row.created_at <= expiry.created_by
}

/// A new session token: 256 random bits, in hex.
fn new_token() -> String {
    let bytes: [u8; 32] = random_bytes();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether a cookie value could be a token this receiver issued: anything else is no session,
/// without asking the database.
fn is_token(value: &str) -> bool {
    value.len() == 64
        && value
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// What the database stores for a token.
fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// The session cookie of a request, read under the name its scheme allows.
pub(crate) struct SessionCookie {
    https: bool,
    token: Option<String>,
}

impl SessionCookie {
    fn name(&self) -> &'static str {
        if self.https {
            SECURE_COOKIE
        } else {
            COOKIE
        }
    }

    /// The cookie that carries `token` (empty to clear it), with this scheme's attributes.
    fn set(&self, token: String, max_age: Duration) -> Cookie<'static> {
        Cookie::build((self.name(), token))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.https)
            .max_age(time::Duration::seconds(seconds(max_age)))
            .build()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for SessionCookie {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Ok(client) = Client::from_request_parts(parts, state).await;
        let mut cookie = SessionCookie {
            https: client.https,
            token: None,
        };
        cookie.token = CookieJar::from_headers(&parts.headers)
            .get(cookie.name())
            .map(|c| c.value().to_owned())
            .filter(|value| is_token(value));
        Ok(cookie)
    }
}

/// The signed-in account, if the cookie names a live session. An expired session is deleted.
pub(crate) async fn account(
    app: &Arc<App>,
    cookie: &SessionCookie,
) -> Result<Option<Account>, Response> {
    let Some(token) = &cookie.token else {
        return Ok(None);
    };
    let hash = token_hash(token);
    let now = app.clock.unix_seconds();
    let expiry = app.sessions.expiry(now);
    blocking(app, move |store| {
        let Some(row) = store.session(&hash)? else {
            return Ok(None);
        };
        if is_over(expiry, &row) {
            store.delete_session(&hash)?;
            return Ok(None);
        }
        if now - row.last_seen >= TOUCH_EVERY {
            // Skipped while an inquiry is being stored: due again on the next request.
            let _recorded = store.touch_session(&hash, now)?;
        }
        Ok(Some(row.account))
    })
    .await
}

/// `GET /api/session`: who the widget is talking to.
pub(crate) async fn current(State(app): Shared, cookie: SessionCookie) -> Response {
    let account = match account(&app, &cookie).await {
        Ok(account) => account,
        Err(response) => return response,
    };
    let session = match account {
        Some(account) => Session {
            plan: Some(account.plan),
            name: account.name,
            email: account.email,
            token: None,
        },
        None => Session::default(),
    };
    let mut response = Json(session).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[derive(serde::Deserialize)]
pub(crate) struct SignIn {
    #[serde(default)]
    plan: String,
    #[serde(default)]
    lang: String,
}

/// `POST /demo/sign-in`: any plan of the catalog, or signed out with an empty plan. Either way
/// the session the cookie named is deleted; a sign-in issues a new token.
pub(crate) async fn demo_sign_in(
    State(app): Shared,
    cookie: SessionCookie,
    Form(form): Form<SignIn>,
) -> Response {
    let back = match form.lang.as_str() {
        lang @ ("en" | "ja" | "vi") => format!("/?lang={lang}"),
        _ => "/".to_owned(),
    };
    let old = cookie.token.as_deref().map(token_hash);
    let set = if form.plan.is_empty() {
        if let Some(old) = old {
            if let Err(response) = blocking(&app, move |store| store.delete_session(&old)).await {
                return response;
            }
        }
        let mut removal = cookie.set(String::new(), Duration::ZERO);
        removal.make_removal();
        removal
    } else {
        let Ok(plan) = app.catalog.plan(&form.plan) else {
            let valid: Vec<&str> = app.catalog.plans().iter().map(|p| p.id.as_str()).collect();
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unknown_plan",
                &format!(
                    "unknown plan \"{}\"; valid plans: {}",
                    form.plan,
                    valid.join(", ")
                ),
            );
        };
        let account = demo_account(&app.catalog, plan.id.as_str());
        let token = new_token();
        let hash = token_hash(&token);
        let now = app.clock.unix_seconds();
        let expiry = app.sessions.expiry(now);
        let created = blocking(&app, move |store| {
            store.create_session(&hash, old.as_deref(), &account, now, expiry)
        })
        .await;
        if let Err(response) = created {
            return response;
        }
        cookie.set(token, app.sessions.absolute)
    };
    (CookieJar::new().add(set), Redirect::to(&back)).into_response()
}

/// The demo customer of a plan: one account per plan, so each plan's tickets stay together.
pub fn demo_account(catalog: &Catalog, plan: &str) -> Account {
    let plan_name = catalog
        .plan(plan)
        .map(|p| p.name.get(deskform_core::Locale::En).to_owned())
        .unwrap_or_else(|_| plan.to_owned());
    Account {
        plan: plan.to_owned(),
        name: format!("{plan_name} customer"),
        email: format!("{plan}.customer@example.com"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_new_each_time_and_stored_only_as_their_hash() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(is_token(&a), "{a}");
        let hash = token_hash(&a);
        assert_eq!(hash.len(), 32);
        assert!(!hash.windows(a.len()).any(|w| w == a.as_bytes()));
        assert_eq!(hash, token_hash(&a));
    }

    #[test]
    fn only_what_looks_like_an_issued_token_is_looked_up() {
        assert!(!is_token("forged"));
        assert!(!is_token(&"A".repeat(64)));
        assert!(!is_token(&"0".repeat(63)));
        assert!(is_token(&"0".repeat(64)));
    }

    #[test]
    fn a_session_ends_at_its_idle_or_its_absolute_limit() {
        let limits = SessionLimits {
            idle: Duration::from_secs(100),
            absolute: Duration::from_secs(1_000),
        };
        let row = |created_at, last_seen| SessionRow {
            account: Account {
                plan: "free".into(),
                name: String::new(),
                email: String::new(),
            },
            created_at,
            last_seen,
        };
        let now = 10_000;
        assert!(!is_over(limits.expiry(now), &row(now - 500, now - 99)));
        assert!(is_over(limits.expiry(now), &row(now - 500, now - 100)));
        assert!(!is_over(limits.expiry(now), &row(now - 999, now)));
        assert!(is_over(limits.expiry(now), &row(now - 1_000, now)));
    }
}
