//! Sessions, driven in-process: the token never reaches the database, sessions end when idle
//! and at their absolute limit, sign-in rotates the token, sign-out deletes the session, and
//! the cookie is `__Host-`/`Secure` exactly when a trusted proxy says the visitor came over
//! HTTPS.

use std::borrow::Cow;
use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{header, HeaderMap, Request, StatusCode};
use deskform_core::Catalog;
use deskform_server::{
    parse_trusted_proxy, ManualClock, Receiver, ServeOptions, SessionLimits, TrustedProxies,
};
use sha2::{Digest, Sha256};
use tower::ServiceExt;

/// The address every test request comes from.
const PEER: &str = "192.0.2.1:4000";
const START: i64 = 1_800_000_000;
const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(60 * 60);

struct Test {
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
    receiver: Receiver,
    clock: ManualClock,
}

fn receiver_with(trusted: &[&str], sessions: SessionLimits) -> Test {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("test.db");
    let clock = ManualClock::at(START);
    let receiver = Receiver::with_clock(
        ServeOptions {
            port: 0,
            db: db.clone(),
            dist: dir.path().join("no-dist"),
            catalog: Cow::Borrowed(Catalog::builtin()),
            allow_origins: Vec::new(),
            demo: true,
            trusted_proxies: TrustedProxies(
                trusted
                    .iter()
                    .map(|p| parse_trusted_proxy(p).unwrap())
                    .collect(),
            ),
            sessions,
            ..ServeOptions::default()
        },
        clock.clock(),
    )
    .unwrap();
    Test {
        _dir: dir,
        db,
        receiver,
        clock,
    }
}

fn receiver() -> Test {
    receiver_with(&[], SessionLimits::default())
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Reply {
    fn set_cookie(&self) -> Option<&str> {
        let mut all = self.headers.get_all(header::SET_COOKIE).iter();
        let first = all.next().map(|v| v.to_str().unwrap());
        assert!(all.next().is_none(), "one Set-Cookie at most");
        first
    }

    /// `name=value` of the Set-Cookie.
    fn cookie(&self) -> String {
        let set = self.set_cookie().expect("a Set-Cookie");
        set.split(';').next().unwrap().to_owned()
    }
}

impl Test {
    async fn call(&self, request: Request<Body>) -> Reply {
        let peer: SocketAddr = PEER.parse().unwrap();
        let response = self
            .receiver
            .router()
            .layer(MockConnectInfo(peer))
            .oneshot(request)
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        Reply {
            status,
            headers,
            body: String::from_utf8(body.to_vec()).unwrap(),
        }
    }

    /// `POST /demo/sign-in` with `plan` (empty: sign out), sending `cookie` and `headers`.
    async fn sign_in(&self, plan: &str, cookie: Option<&str>, headers: &[(&str, &str)]) -> Reply {
        let mut request = Request::post("/demo/sign-in")
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let reply = self
            .call(request.body(Body::from(format!("plan={plan}"))).unwrap())
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        reply
    }

    /// The plan `GET /api/session` says the cookie is signed in on, or `None` when signed out.
    async fn plan(&self, cookie: &str, headers: &[(&str, &str)]) -> Option<String> {
        let mut request = Request::get("/api/session").header(header::COOKIE, cookie);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let reply = self.call(request.body(Body::empty()).unwrap()).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let session: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
        assert_eq!(session["signed_in"], session["plan"].is_string());
        session["plan"].as_str().map(str::to_owned)
    }

    fn sessions(&self) -> u64 {
        self.receiver.store().session_count().unwrap()
    }

    /// When the session of `cookie` was last seen, as stored.
    fn last_seen(&self, cookie: &str) -> i64 {
        let token = cookie.split_once('=').unwrap().1;
        let hash = Sha256::digest(token.as_bytes());
        let row = self.receiver.store().session(&hash).unwrap().unwrap();
        row.last_seen
    }
}

fn token(cookie: &str) -> &str {
    cookie.split_once('=').unwrap().1
}

#[tokio::test]
async fn the_token_never_reaches_the_database_file() {
    let test = receiver();
    let cookie = test.sign_in("business", None, &[]).await.cookie();
    let token = token(&cookie).to_owned();
    assert_eq!(token.len(), 64, "{cookie}");
    assert_eq!(test.plan(&cookie, &[]).await.as_deref(), Some("business"));
    // The file and its write-ahead log, where the row is until a checkpoint; the token as the
    // cookie carries it (hex), and as the 32 bytes it stands for.
    let raw: Vec<u8> = (0..32)
        .map(|i| u8::from_str_radix(&token[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    let mut read = 0;
    for suffix in ["", "-wal", "-shm"] {
        let path = format!("{}{suffix}", test.db.display());
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        read += bytes.len();
        for needle in [token.as_bytes(), &raw] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "the token is in {path}"
            );
        }
    }
    assert!(read > 0);
    // What is there is its hash.
    let hash = Sha256::digest(token.as_bytes());
    assert!(test.receiver.store().session(&hash).unwrap().is_some());
}

#[tokio::test]
async fn a_session_unused_for_the_idle_limit_is_over_and_deleted() {
    let test = receiver_with(
        &[],
        SessionLimits {
            idle: 2 * HOUR,
            absolute: 7 * 24 * HOUR,
        },
    );
    let cookie = test.sign_in("business", None, &[]).await.cookie();
    // Each use restarts the idle time.
    for _ in 0..3 {
        test.clock.advance(2 * HOUR - MINUTE);
        assert_eq!(test.plan(&cookie, &[]).await.as_deref(), Some("business"));
    }
    test.clock.advance(2 * HOUR);
    assert_eq!(test.plan(&cookie, &[]).await, None);
    assert_eq!(test.sessions(), 0, "the expired session is deleted");
}

#[tokio::test]
async fn a_session_ends_at_the_absolute_limit_however_much_it_is_used() {
    let test = receiver_with(
        &[],
        SessionLimits {
            idle: 2 * HOUR,
            absolute: 24 * HOUR,
        },
    );
    let reply = test.sign_in("business", None, &[]).await;
    assert!(
        reply.set_cookie().unwrap().contains("Max-Age=86400"),
        "the browser forgets it then too: {:?}",
        reply.set_cookie()
    );
    let cookie = reply.cookie();
    for _ in 0..23 {
        test.clock.advance(HOUR);
        assert_eq!(test.plan(&cookie, &[]).await.as_deref(), Some("business"));
    }
    test.clock.advance(HOUR);
    assert_eq!(test.plan(&cookie, &[]).await, None);
    assert_eq!(test.sessions(), 0);
}

#[tokio::test]
async fn last_seen_is_written_at_most_once_a_minute() {
    let test = receiver();
    let cookie = test.sign_in("business", None, &[]).await.cookie();
    assert_eq!(test.last_seen(&cookie), START);
    test.clock.advance(Duration::from_secs(59));
    assert!(test.plan(&cookie, &[]).await.is_some());
    assert_eq!(test.last_seen(&cookie), START, "a read stays a read");
    test.clock.advance(Duration::from_secs(1));
    assert!(test.plan(&cookie, &[]).await.is_some());
    assert_eq!(test.last_seen(&cookie), START + 60);
}

#[tokio::test]
async fn every_sign_in_deletes_the_expired_sessions() {
    let test = receiver();
    for plan in ["free", "personal", "business"] {
        test.sign_in(plan, None, &[]).await;
    }
    assert_eq!(test.sessions(), 3);
    test.clock.advance(SessionLimits::default().idle);
    test.sign_in("enterprise", None, &[]).await;
    assert_eq!(test.sessions(), 1);
}

#[tokio::test]
async fn signing_in_always_issues_a_new_token_and_ends_the_old_session() {
    let test = receiver();
    let first = test.sign_in("free", None, &[]).await.cookie();
    let second = test.sign_in("business", Some(&first), &[]).await.cookie();
    assert_ne!(token(&first), token(&second));
    assert_eq!(test.plan(&first, &[]).await, None);
    assert_eq!(test.plan(&second, &[]).await.as_deref(), Some("business"));
    assert_eq!(test.sessions(), 1);
    // Session fixation: a token the attacker planted in the victim's browser is never the one
    // the victim is signed in with.
    let planted = format!("deskform_session={}", "ab".repeat(32));
    let issued = test
        .sign_in("enterprise", Some(&planted), &[])
        .await
        .cookie();
    assert_ne!(token(&issued), token(&planted));
    assert_eq!(test.plan(&planted, &[]).await, None);
    assert_eq!(test.plan(&issued, &[]).await.as_deref(), Some("enterprise"));
}

#[tokio::test]
async fn an_unknown_plan_changes_nothing() {
    let test = receiver();
    let cookie = test.sign_in("personal", None, &[]).await.cookie();
    let request = Request::post("/demo/sign-in")
        .header("content-type", "application/x-www-form-urlencoded")
        .header(header::COOKIE, &cookie)
        .body(Body::from("plan=platinum"))
        .unwrap();
    let reply = test.call(request).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.set_cookie(), None);
    assert_eq!(test.plan(&cookie, &[]).await.as_deref(), Some("personal"));
}

#[tokio::test]
async fn signing_out_deletes_the_session_and_clears_the_cookie() {
    let test = receiver();
    let cookie = test.sign_in("business", None, &[]).await.cookie();
    let reply = test.sign_in("", Some(&cookie), &[]).await;
    let cleared = reply.set_cookie().unwrap();
    assert!(cleared.starts_with("deskform_session=;"), "{cleared}");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    assert!(cleared.contains("Path=/"), "{cleared}");
    assert_eq!(test.sessions(), 0);
    assert_eq!(test.plan(&cookie, &[]).await, None);
}

const HTTPS: &[(&str, &str)] = &[("x-forwarded-proto", "https")];

#[tokio::test]
async fn over_https_through_a_trusted_proxy_the_cookie_is_host_prefixed_and_secure() {
    let test = receiver_with(&["192.0.2.1"], SessionLimits::default());
    let reply = test.sign_in("business", None, HTTPS).await;
    let set = reply.set_cookie().unwrap();
    assert!(set.starts_with("__Host-deskform_session="), "{set}");
    for attribute in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(
            set.split("; ").any(|a| a == attribute),
            "{attribute}: {set}"
        );
    }
    assert!(!set.contains("Domain"), "{set}");
    let cookie = reply.cookie();
    assert_eq!(test.plan(&cookie, HTTPS).await.as_deref(), Some("business"));
    // The same token under the other scheme's name, or this name over plain HTTP, is no
    // session: each scheme reads only its own cookie.
    let plain_name = format!("deskform_session={}", token(&cookie));
    assert_eq!(test.plan(&plain_name, HTTPS).await, None);
    assert_eq!(test.plan(&cookie, &[]).await, None);
    // Signing out clears the cookie it was: a `__Host-` removal must be `Secure` too.
    let cleared = test.sign_in("", Some(&cookie), HTTPS).await;
    let cleared = cleared.set_cookie().unwrap();
    assert!(
        cleared.starts_with("__Host-deskform_session=;"),
        "{cleared}"
    );
    assert!(cleared.contains("Secure"), "{cleared}");
}

#[tokio::test]
async fn over_plain_http_the_cookie_is_neither_prefixed_nor_secure() {
    // Through the trusted proxy without https, and from anyone who merely claims https.
    for (trusted, headers) in [(&["192.0.2.1"][..], &[][..]), (&[][..], HTTPS)] {
        let test = receiver_with(trusted, SessionLimits::default());
        let reply = test.sign_in("business", None, headers).await;
        let set = reply.set_cookie().unwrap();
        assert!(set.starts_with("deskform_session="), "{set}");
        assert!(!set.contains("Secure"), "{set}");
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(
                set.split("; ").any(|a| a == attribute),
                "{attribute}: {set}"
            );
        }
        let cookie = reply.cookie();
        assert_eq!(
            test.plan(&cookie, headers).await.as_deref(),
            Some("business")
        );
        let host_name = format!("__Host-deskform_session={}", token(&cookie));
        assert_eq!(test.plan(&host_name, headers).await, None);
    }
}
