//! Identity tokens, driven in-process: a valid token's customer is the one stored (never the
//! body's), every bad token is a 401 with its reason and stores nothing, `alg: none` and the
//! HS256-with-the-public-key confusion are refused, a plan's desks are enforced from the token,
//! and the demo's session hands out tokens the receiver accepts.
//!
//! The EdDSA and RS256 keys are fixtures in `tests/keys/` (see its README).

use std::borrow::Cow;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{header, Request, StatusCode};
use base64::Engine as _;
use deskform_core::{Catalog, Rejection, SubmitReply, TokenProblem};
use deskform_server::identity::{Claims, IdentityAlgorithm, SigningKey};
use deskform_server::{IdentityOptions, ManualClock, Receiver, ServeOptions};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use tower::ServiceExt;

const START: i64 = 1_800_000_000;
const SECRET: &str = "a-test-secret-of-thirty-two-bytes-or-more";

fn keys() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/keys")
}

struct Test {
    dir: tempfile::TempDir,
    receiver: Receiver,
    clock: ManualClock,
}

/// A receiver whose clock stands at [`START`], verifying with `key` (a file in `tests/keys`,
/// or the HS256 [`SECRET`] when `None`).
fn receiver(algorithm: IdentityAlgorithm, key: Option<&str>, audience: Option<&str>) -> Test {
    let dir = tempfile::tempdir().unwrap();
    let key_file = match key {
        Some(name) => keys().join(name),
        None => {
            let path = dir.path().join("secret");
            std::fs::write(&path, format!("{SECRET}\n")).unwrap();
            path
        }
    };
    let identity = IdentityOptions {
        key_file: Some(key_file),
        algorithm,
        audience: audience.map(str::to_owned),
        require: false,
    };
    receiver_in(dir, identity, false)
}

/// A receiver whose clock stands at [`START`], with these identity options.
fn receiver_with(identity: IdentityOptions, demo: bool) -> Test {
    receiver_in(tempfile::tempdir().unwrap(), identity, demo)
}

fn receiver_in(dir: tempfile::TempDir, identity: IdentityOptions, demo: bool) -> Test {
    let clock = ManualClock::at(START);
    let receiver = Receiver::with_clock(options(&dir, identity, demo), clock.clock()).unwrap();
    Test {
        dir,
        receiver,
        clock,
    }
}

fn options(dir: &tempfile::TempDir, identity: IdentityOptions, demo: bool) -> ServeOptions {
    ServeOptions {
        port: 0,
        db: dir.path().join("test.db"),
        dist: dir.path().join("no-dist"),
        catalog: Cow::Borrowed(Catalog::builtin()),
        demo,
        rate_limit: 0,
        identity,
        ..ServeOptions::default()
    }
}

fn hs256() -> Test {
    receiver(IdentityAlgorithm::Hs256, None, None)
}

/// Claims for `plan`, issued now, living an hour.
fn claims(plan: &str) -> Claims {
    Claims {
        sub: format!("cust-{plan}-42"),
        email: format!("{plan}@customer.example"),
        name: format!("Token {plan}"),
        plan: plan.to_owned(),
        iat: START,
        exp: START + 3600,
        aud: None,
    }
}

/// Signs any JSON claims with an HS256 secret, for claims [`Claims`] cannot express (missing
/// ones, other types).
fn hs256_token(claims: &serde_json::Value, secret: &[u8], algorithm: Algorithm) -> String {
    jsonwebtoken::encode(
        &Header::new(algorithm),
        claims,
        &EncodingKey::from_secret(secret).unwrap(),
    )
    .unwrap()
}

fn secret_token(claims: &Claims) -> String {
    hs256_token(
        &serde_json::to_value(claims).unwrap(),
        SECRET.as_bytes(),
        Algorithm::HS256,
    )
}

fn signed_with(file: &str, algorithm: IdentityAlgorithm, claims: &Claims) -> String {
    SigningKey::read(&keys().join(file), algorithm)
        .unwrap()
        .sign(claims)
        .unwrap()
}

/// A token that says `alg: none` and has no signature.
fn unsigned_token(claims: &Claims) -> String {
    let b64 = |json: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
    format!(
        "{}.{}.",
        b64(r#"{"alg":"none","typ":"JWT"}"#),
        b64(&serde_json::to_string(claims).unwrap())
    )
}

struct Reply {
    status: StatusCode,
    body: String,
}

impl Reply {
    /// The answer as the widget decodes it.
    fn decoded(&self) -> SubmitReply {
        SubmitReply::from_response(self.status.as_u16(), None, &self.body)
    }
}

impl Test {
    async fn call(&self, request: Request<Body>) -> Reply {
        let peer: SocketAddr = "192.0.2.1:4000".parse().unwrap();
        let response = self
            .receiver
            .router()
            .layer(MockConnectInfo(peer))
            .oneshot(request)
            .await
            .unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        Reply {
            status,
            body: String::from_utf8(body.to_vec()).unwrap(),
        }
    }

    /// Posts an inquiry to `desk` whose body claims to be someone else, with `authorization`
    /// as the header when given.
    async fn post(&self, desk: &str, authorization: Option<&str>, cookie: Option<&str>) -> Reply {
        let key = format!("identity-test-{:020}", rand_suffix());
        let body = serde_json::json!({
            "desk": desk,
            "email": "body.says@elsewhere.example",
            "name": "Body Says",
            "subject": "Export",
            "message": "How do I export my data?",
            "locale": "en",
            "idempotency_key": key,
        });
        let mut request =
            Request::post("/api/inquiries").header("content-type", "application/json");
        if let Some(value) = authorization {
            request = request.header(header::AUTHORIZATION, value);
        }
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.call(request.body(Body::from(body.to_string())).unwrap())
            .await
    }

    async fn post_token(&self, desk: &str, token: &str) -> Reply {
        self.post(desk, Some(&format!("Bearer {token}")), None)
            .await
    }

    /// Every stored inquiry: (email, name, plan, token_sub).
    fn rows(&self) -> Vec<(String, String, Option<String>, Option<String>)> {
        let c = rusqlite::Connection::open(self.dir.path().join("test.db")).unwrap();
        let mut statement = c
            .prepare("SELECT email, name, plan, token_sub FROM inquiries ORDER BY rowid")
            .unwrap();
        statement
            .query_map([], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

fn assert_refused(reply: &Reply, problem: TokenProblem, what: &str) {
    assert_eq!(
        reply.status,
        StatusCode::UNAUTHORIZED,
        "{what}: {}",
        reply.body
    );
    assert_eq!(
        reply.decoded(),
        SubmitReply::Refused(Rejection::Unauthorized(problem)),
        "{what}: {}",
        reply.body
    );
}

#[tokio::test]
async fn a_valid_token_stores_its_customer_on_every_plan_never_the_bodys() {
    let test = hs256();
    let mut expected = Vec::new();
    for (plan, desk) in [
        ("free", "login"),
        ("personal", "usage"),
        ("business", "usage"),
        ("enterprise", "usage"),
    ] {
        let claims = claims(plan);
        let reply = test.post_token(desk, &secret_token(&claims)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{plan}: {}", reply.body);
        assert!(matches!(reply.decoded(), SubmitReply::Created(r) if r.desk == desk));
        expected.push((
            claims.email,
            claims.name,
            Some(plan.to_owned()),
            Some(claims.sub),
        ));
    }
    assert_eq!(test.rows(), expected);
}

#[tokio::test]
async fn a_free_plan_token_may_not_use_a_paid_desk() {
    let test = hs256();
    let reply = test
        .post_token("usage", &secret_token(&claims("free")))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    assert!(
        matches!(
            reply.decoded(),
            SubmitReply::Refused(Rejection::Locked { ref desk, .. }) if desk == "usage"
        ),
        "{}",
        reply.body
    );
    assert!(test.rows().is_empty());
}

#[tokio::test]
async fn every_bad_token_is_refused_with_its_reason_and_nothing_is_stored() {
    let test = hs256();
    let good = claims("business");
    let json = |claims: &Claims| serde_json::to_value(claims).unwrap();
    let without = |claim: &str| {
        let mut value = json(&good);
        value.as_object_mut().unwrap().remove(claim);
        hs256_token(&value, SECRET.as_bytes(), Algorithm::HS256)
    };
    let with = |change: fn(&mut Claims)| {
        let mut claims = good.clone();
        change(&mut claims);
        secret_token(&claims)
    };
    let mut cases: Vec<(String, Option<String>, TokenProblem)> = vec![
        (
            "an empty bearer".into(),
            Some("Bearer ".into()),
            TokenProblem::MissingToken,
        ),
        (
            "not a JWT".into(),
            Some("Bearer not-a-jwt".into()),
            TokenProblem::Malformed,
        ),
        (
            "garbage parts".into(),
            Some("Bearer a.b.c".into()),
            TokenProblem::Malformed,
        ),
        (
            "another secret".into(),
            Some(format!(
                "Bearer {}",
                hs256_token(
                    &json(&good),
                    b"another-secret-of-thirty-two-bytes!!",
                    Algorithm::HS256
                )
            )),
            TokenProblem::BadSignature,
        ),
        (
            "a changed payload".into(),
            Some({
                let token = secret_token(&good);
                let forged = secret_token(&claims("enterprise"));
                let parts: Vec<&str> = token.split('.').collect();
                let forged: Vec<&str> = forged.split('.').collect();
                format!("Bearer {}.{}.{}", parts[0], forged[1], parts[2])
            }),
            TokenProblem::BadSignature,
        ),
        (
            "alg none".into(),
            Some(format!("Bearer {}", unsigned_token(&good))),
            TokenProblem::WrongAlgorithm,
        ),
        (
            "HS512 with the same secret".into(),
            Some(format!(
                "Bearer {}",
                hs256_token(&json(&good), SECRET.as_bytes(), Algorithm::HS512)
            )),
            TokenProblem::WrongAlgorithm,
        ),
        (
            "expired beyond the skew".into(),
            Some(format!(
                "Bearer {}",
                with(|c| {
                    c.iat = START - 3600;
                    c.exp = START - 61;
                })
            )),
            TokenProblem::Expired,
        ),
        (
            "issued in the future beyond the skew".into(),
            Some(format!(
                "Bearer {}",
                with(|c| {
                    c.iat = START + 61;
                    c.exp = START + 3600;
                })
            )),
            TokenProblem::NotYetValid,
        ),
        (
            "nbf beyond the skew".into(),
            Some({
                let mut value = json(&good);
                value["nbf"] = (START + 61).into();
                format!(
                    "Bearer {}",
                    hs256_token(&value, SECRET.as_bytes(), Algorithm::HS256)
                )
            }),
            TokenProblem::NotYetValid,
        ),
        (
            "living two hours and a second".into(),
            Some(format!("Bearer {}", with(|c| c.exp = c.iat + 7201))),
            TokenProblem::LifetimeTooLong,
        ),
        (
            "an unknown plan".into(),
            Some(format!("Bearer {}", with(|c| c.plan = "platinum".into()))),
            TokenProblem::UnknownPlan,
        ),
        (
            "an empty email".into(),
            Some(format!("Bearer {}", with(|c| c.email = " ".into()))),
            TokenProblem::MissingClaim,
        ),
        // Stored and mailed as the inquiry's: held to the form's rules.
        (
            "a display name in the email".into(),
            Some(format!(
                "Bearer {}",
                with(|c| c.email = "\"FREE-CRYPTO\" <victim@example.com>".into())
            )),
            TokenProblem::InvalidClaim,
        ),
        (
            "a display name without a space".into(),
            Some(format!(
                "Bearer {}",
                with(|c| c.email = "\"FREE-CRYPTO\"<victim@example.com>".into())
            )),
            TokenProblem::InvalidClaim,
        ),
        (
            "two addresses".into(),
            Some(format!(
                "Bearer {}",
                with(|c| c.email = "a@customer.example,b@customer.example".into())
            )),
            TokenProblem::InvalidClaim,
        ),
        (
            "not an email".into(),
            Some(format!("Bearer {}", with(|c| c.email = "mai".into()))),
            TokenProblem::InvalidClaim,
        ),
        (
            "an email with spaces around it".into(),
            Some(format!(
                "Bearer {}",
                with(|c| c.email = " mai@customer.example".into())
            )),
            TokenProblem::InvalidClaim,
        ),
        (
            "a name of 101 characters".into(),
            Some(format!("Bearer {}", with(|c| c.name = "名".repeat(101)))),
            TokenProblem::InvalidClaim,
        ),
        (
            "a number for a plan".into(),
            Some({
                let mut value = json(&good);
                value["plan"] = 3.into();
                format!(
                    "Bearer {}",
                    hs256_token(&value, SECRET.as_bytes(), Algorithm::HS256)
                )
            }),
            TokenProblem::Malformed,
        ),
    ];
    for claim in ["sub", "email", "name", "plan", "exp", "iat"] {
        cases.push((
            format!("without {claim}"),
            Some(format!("Bearer {}", without(claim))),
            TokenProblem::MissingClaim,
        ));
    }
    for (what, authorization, problem) in &cases {
        // `login` is open to everyone: only the token can be the reason.
        let reply = test.post("login", authorization.as_deref(), None).await;
        assert_refused(&reply, *problem, what);
    }
    assert!(test.rows().is_empty(), "{:?}", test.rows());

    // Within the skew, the same kinds of token are accepted: the checks above are not
    // refusing everything.
    for (what, token) in [
        (
            "expired 59 s ago",
            with(|c| {
                c.iat = START - 3600;
                c.exp = START - 59;
            }),
        ),
        (
            "issued 59 s ahead",
            with(|c| {
                c.iat = START + 59;
                c.exp = START + 3600;
            }),
        ),
        ("living exactly two hours", with(|c| c.exp = c.iat + 7200)),
        (
            "a name of 100 characters",
            with(|c| c.name = "名".repeat(100)),
        ),
    ] {
        let reply = test.post_token("login", &token).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{what}: {}", reply.body);
    }
    // The receiver's clock moves on: the hour-long token expires a minute after its hour.
    let token = secret_token(&good);
    test.clock.advance(Duration::from_secs(3600 + 60));
    assert_eq!(
        test.post_token("login", &token).await.status,
        StatusCode::CREATED
    );
    test.clock.advance(Duration::from_secs(1));
    assert_refused(
        &test.post_token("login", &token).await,
        TokenProblem::Expired,
        "an hour and 61 s later",
    );
}

/// A help site behind HTTP basic auth: the browser sends `Authorization: Basic …` with every
/// request. That is no token: the post is the session's, or signed out, as without the header.
#[tokio::test]
async fn another_authorization_scheme_is_no_token() {
    let test = receiver_with(IdentityOptions::default(), true);
    let basic = Some("Basic dXNlcjpwYXNz");
    let reply = test.post("login", basic, None).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    // A paid desk is still locked to a signed-out post.
    let reply = test.post("usage", basic, None).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    let cookie = sign_in(&test, "business").await;
    let reply = test.post("usage", basic, Some(&cookie)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(
        test.rows(),
        vec![
            (
                "body.says@elsewhere.example".into(),
                "Body Says".into(),
                None,
                None
            ),
            (
                "business.customer@example.com".into(),
                "Business customer".into(),
                Some("business".into()),
                None
            ),
        ]
    );
}

#[tokio::test]
async fn a_post_without_a_token_is_a_signed_out_post() {
    let test = hs256();
    let reply = test.post("login", None, None).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let reply = test.post("usage", None, None).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    assert_eq!(
        test.rows(),
        vec![(
            "body.says@elsewhere.example".into(),
            "Body Says".into(),
            None,
            None
        )]
    );
}

#[tokio::test]
async fn public_key_algorithms_verify_and_refuse_the_key_confusion() {
    for (algorithm, public, private, other) in [
        (
            IdentityAlgorithm::EdDsa,
            "ed25519.pub.pem",
            "ed25519.pem",
            "other-ed25519.pem",
        ),
        (
            IdentityAlgorithm::Rs256,
            "rsa.pub.pem",
            "rsa.pem",
            "other-rsa.pem",
        ),
    ] {
        let test = receiver(algorithm, Some(public), None);
        let good = claims("business");
        let reply = test
            .post_token("usage", &signed_with(private, algorithm, &good))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::CREATED,
            "{algorithm}: {}",
            reply.body
        );
        assert_eq!(test.rows()[0].3.as_deref(), Some(good.sub.as_str()));

        let reply = test
            .post_token("usage", &signed_with(other, algorithm, &good))
            .await;
        assert_refused(
            &reply,
            TokenProblem::BadSignature,
            &format!("{algorithm}, another key"),
        );
        // The classic confusion: HS256 "signed" with the public key file as the secret.
        let public_pem = std::fs::read(keys().join(public)).unwrap();
        let confused = hs256_token(
            &serde_json::to_value(&good).unwrap(),
            &public_pem,
            Algorithm::HS256,
        );
        let reply = test.post_token("usage", &confused).await;
        assert_refused(
            &reply,
            TokenProblem::WrongAlgorithm,
            &format!("{algorithm}, HS256 with the public key"),
        );
        let reply = test.post_token("usage", &unsigned_token(&good)).await;
        assert_refused(
            &reply,
            TokenProblem::WrongAlgorithm,
            &format!("{algorithm}, alg none"),
        );
        assert_eq!(test.rows().len(), 1, "{algorithm}");
    }
}

#[tokio::test]
async fn with_an_audience_every_token_must_name_it() {
    let test = receiver(IdentityAlgorithm::Hs256, None, Some("help.example.com"));
    let mut good = claims("business");
    good.aud = Some("help.example.com".into());
    assert_eq!(
        test.post_token("usage", &secret_token(&good)).await.status,
        StatusCode::CREATED
    );
    let mut other = good.clone();
    other.aud = Some("shop.example.com".into());
    assert_refused(
        &test.post_token("usage", &secret_token(&other)).await,
        TokenProblem::BadAudience,
        "another audience",
    );
    let mut none = good.clone();
    none.aud = None;
    assert_refused(
        &test.post_token("usage", &secret_token(&none)).await,
        TokenProblem::MissingClaim,
        "no audience",
    );
    assert_eq!(test.rows().len(), 1);
}

#[tokio::test]
async fn a_token_outranks_the_session_cookie() {
    let test = receiver_with(IdentityOptions::default(), true);
    // The session alone: the demo's business customer.
    let cookie = sign_in(&test, "business").await;
    let reply = test.post("usage", None, Some(&cookie)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    // A free customer's token (the demo's own, from a free session) with the business
    // session: the token's customer, on the free plan.
    let free = session_token(&test, &sign_in(&test, "free").await).await;
    let reply = test
        .post("usage", Some(&format!("Bearer {free}")), Some(&cookie))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    // A bad token with a good session is still refused.
    let reply = test
        .post("login", Some("Bearer a.b.c"), Some(&cookie))
        .await;
    assert_refused(
        &reply,
        TokenProblem::Malformed,
        "a bad token beside a session",
    );
    assert_eq!(test.rows().len(), 1);
    assert_eq!(test.rows()[0].0, "business.customer@example.com");
}

/// The identity token `GET /api/session` hands the session `cookie` names.
async fn session_token(test: &Test, cookie: &str) -> String {
    let reply = test
        .call(
            Request::get("/api/session")
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    deskform_core::Session::from_json(&reply.body)
        .and_then(|s| s.token)
        .unwrap_or_else(|| panic!("a token: {}", reply.body))
}

/// Signs in on the demo and answers the cookie (`name=value`).
async fn sign_in(test: &Test, plan: &str) -> String {
    let peer: SocketAddr = "192.0.2.1:4000".parse().unwrap();
    let response = test
        .receiver
        .router()
        .layer(MockConnectInfo(peer))
        .oneshot(
            Request::post("/demo/sign-in")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(format!("plan={plan}")))
                .unwrap(),
        )
        .await
        .unwrap();
    let set = response.headers()[header::SET_COOKIE].to_str().unwrap();
    set.split(';').next().unwrap().to_owned()
}

/// The demo's session hands out a token, signed with a secret of the process; posting with it
/// alone (no cookie) stores the session's customer.
#[tokio::test]
async fn the_demo_session_hands_out_tokens_the_receiver_accepts() {
    let test = receiver_with(IdentityOptions::default(), true);
    let cookie = sign_in(&test, "enterprise").await;
    let reply = test
        .call(
            Request::get("/api/session")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let session = deskform_core::Session::from_json(&reply.body).unwrap();
    assert_eq!(session.plan.as_deref(), Some("enterprise"));
    let token = session.token.expect("a signed-in session has a token");
    let reply = test.post_token("usage", &token).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(
        test.rows(),
        vec![(
            "enterprise.customer@example.com".into(),
            "Enterprise customer".into(),
            Some("enterprise".into()),
            Some("enterprise.customer@example.com".into())
        )]
    );
    // It lives fifteen minutes (and the skew).
    test.clock.advance(Duration::from_secs(15 * 60 + 61));
    assert_refused(
        &test.post_token("login", &token).await,
        TokenProblem::Expired,
        "a stale session token",
    );
    // Signed out: no token.
    let reply = test
        .call(Request::get("/api/session").body(Body::empty()).unwrap())
        .await;
    assert!(!reply.body.contains("token"), "{}", reply.body);
    // The demo's secret is its own: a token signed with SECRET is not accepted.
    assert_refused(
        &test
            .post_token("login", &secret_token(&claims("free")))
            .await,
        TokenProblem::BadSignature,
        "another receiver's secret",
    );
}

/// The demo signs in anyone on any plan: with the team's key it would sign their tokens with
/// the team's secret (HS256), so the two are never combined, whatever the key.
#[test]
fn the_demo_cannot_be_combined_with_an_identity_key() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret");
    std::fs::write(&secret, SECRET).unwrap();
    for (key_file, algorithm) in [
        (secret, IdentityAlgorithm::Hs256),
        (keys().join("rsa.pub.pem"), IdentityAlgorithm::Rs256),
    ] {
        let e = Receiver::new(options(
            &dir,
            IdentityOptions {
                key_file: Some(key_file),
                algorithm,
                audience: None,
                require: false,
            },
            true,
        ))
        .err()
        .expect("refused");
        assert!(
            e.starts_with("--demo cannot be combined with --identity-key"),
            "{algorithm}: {e}"
        );
        assert_eq!(e.lines().count(), 1, "{e}");
    }
    assert!(!dir.path().join("test.db").exists(), "nothing was opened");
}

#[test]
fn a_key_that_cannot_be_used_stops_the_start_with_one_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let start = |key: PathBuf, algorithm| {
        Receiver::new(options(
            &dir,
            IdentityOptions {
                key_file: Some(key),
                algorithm,
                audience: None,
                require: false,
            },
            false,
        ))
        .err()
        .expect("refused")
    };
    let missing = start(dir.path().join("absent"), IdentityAlgorithm::Hs256);
    assert!(missing.starts_with("cannot read the key file"), "{missing}");
    let empty = dir.path().join("empty");
    std::fs::write(&empty, "\r\n").unwrap();
    assert!(start(empty, IdentityAlgorithm::Hs256).ends_with("is empty"));
    let e = start(keys().join("ed25519.pub.pem"), IdentityAlgorithm::Rs256);
    assert!(e.contains("is not a PEM RS256 public key"), "{e}");
    let e = start(keys().join("rsa.pub.pem"), IdentityAlgorithm::EdDsa);
    assert!(e.contains("is not a PEM EdDSA public key"), "{e}");
    let e = start(keys().join("rsa.pem"), IdentityAlgorithm::Rs256);
    assert!(e.contains("holds a private key"), "{e}");
    let e = start(keys().join("README.md"), IdentityAlgorithm::EdDsa);
    assert!(e.contains("is not a PEM EdDSA public key"), "{e}");
    // An audience with nothing to check it against.
    let e = Receiver::new(options(
        &dir,
        IdentityOptions {
            key_file: None,
            algorithm: IdentityAlgorithm::Hs256,
            audience: Some("help.example.com".into()),
            require: false,
        },
        false,
    ))
    .err()
    .unwrap();
    assert!(e.contains("--audience needs --identity-key"), "{e}");
}

#[test]
fn the_signing_key_must_be_a_private_key_of_its_algorithm() {
    let e = SigningKey::read(&keys().join("rsa.pub.pem"), IdentityAlgorithm::Rs256).unwrap_err();
    assert!(e.contains("is not a PEM RS256 private key"), "{e}");
    let e = SigningKey::read(&keys().join("rsa.pem"), IdentityAlgorithm::EdDsa).unwrap_err();
    assert!(e.contains("is not a PEM EdDSA private key"), "{e}");
    assert!(SigningKey::read(&keys().join("ed25519.pem"), IdentityAlgorithm::EdDsa).is_ok());
}

/// A receiver verifying with the HS256 [`SECRET`], with `--require-identity` or not.
fn hs256_requiring(require: bool) -> Test {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("secret");
    std::fs::write(&key_file, format!("{SECRET}\n")).unwrap();
    let identity = IdentityOptions {
        key_file: Some(key_file),
        require,
        ..IdentityOptions::default()
    };
    receiver_in(dir, identity, false)
}

/// `--require-identity`: a post without a token (none, or another scheme) is a 401
/// `missing_token` and stores nothing, even on the `login` desk; one with a valid token is
/// stored.
#[tokio::test]
async fn require_identity_refuses_a_post_without_a_token() {
    let test = hs256_requiring(true);
    let reply = test.post("login", None, None).await;
    assert_refused(&reply, TokenProblem::MissingToken, "no header");
    let reply = test.post("login", Some("Basic dXNlcjpwYXNz"), None).await;
    assert_refused(&reply, TokenProblem::MissingToken, "basic auth");
    assert!(test.rows().is_empty());
    let reply = test
        .post_token("usage", &secret_token(&claims("business")))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(test.rows().len(), 1);
}

/// Without `--require-identity`, a signed-out post is taken as before.
#[tokio::test]
async fn without_require_identity_a_post_without_a_token_is_taken() {
    let test = hs256_requiring(false);
    let reply = test.post("login", None, None).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(test.rows().len(), 1);
}

/// `--require-identity` without a key has nothing to verify with: refused at start-up.
#[test]
fn require_identity_needs_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let identity = IdentityOptions {
        require: true,
        ..IdentityOptions::default()
    };
    let Err(e) = Receiver::new(options(&dir, identity, false)) else {
        panic!("started");
    };
    assert!(e.contains("--require-identity needs --identity-key"), "{e}");
}
