//! The receiver's routes driven in-process with `tower::ServiceExt::oneshot`: no process, no
//! socket.

use std::borrow::Cow;
use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, StatusCode};
use deskform_core::Catalog;
use deskform_server::{Receiver, ServeOptions, TrustedProxies};
use tower::ServiceExt;

fn receiver(dir: &tempfile::TempDir, demo: bool) -> Receiver {
    Receiver::new(ServeOptions {
        port: 0,
        db: dir.path().join("test.db"),
        dist: dir.path().join("no-dist"),
        catalog: Cow::Borrowed(Catalog::builtin()),
        demo,
        trusted_proxies: TrustedProxies::default(),
        ..ServeOptions::default()
    })
    .unwrap()
}

async fn call(receiver: &Receiver, request: Request<Body>) -> (StatusCode, String) {
    let peer: SocketAddr = "192.0.2.1:4000".parse().unwrap();
    let response = receiver
        .router()
        .layer(MockConnectInfo(peer))
        .oneshot(request)
        .await
        .unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn a_visitor_without_a_cookie_is_signed_out() {
    let dir = tempfile::tempdir().unwrap();
    let receiver = receiver(&dir, false);
    let request = Request::get("/api/session").body(Body::empty()).unwrap();
    let (status, body) = call(&receiver, request).await;
    assert_eq!(status, StatusCode::OK);
    let session: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(session["signed_in"], false);
}

#[tokio::test]
async fn without_demo_the_demo_sign_in_is_not_there() {
    let dir = tempfile::tempdir().unwrap();
    for (demo, expected) in [
        (false, StatusCode::NOT_FOUND),
        (true, StatusCode::SEE_OTHER),
    ] {
        let receiver = receiver(&dir, demo);
        let request = Request::post("/demo/sign-in")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from("plan=business"))
            .unwrap();
        let (status, _) = call(&receiver, request).await;
        assert_eq!(status, expected, "demo: {demo}");
    }
}

#[tokio::test]
async fn pages_are_served_under_the_strict_content_security_policy() {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>help</title>",
    )
    .unwrap();
    let receiver = Receiver::new(ServeOptions {
        db: dir.path().join("test.db"),
        dist,
        catalog: Cow::Borrowed(Catalog::builtin()),
        ..ServeOptions::default()
    })
    .unwrap();
    let peer: SocketAddr = "192.0.2.1:4000".parse().unwrap();
    let response = receiver
        .router()
        .layer(MockConnectInfo(peer))
        .oneshot(Request::get("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers();
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert_eq!(csp, deskform_server::PAGES_CSP);
    for directive in [
        "default-src 'none'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "frame-ancestors 'self'",
    ] {
        assert!(
            csp.split("; ").any(|d| d == directive),
            "{directive} in {csp}"
        );
    }
    assert_eq!(headers["x-content-type-options"], "nosniff");
}

/// One receiver per database: a second one on the same database refuses to start while the
/// first lives (its delivery worker would deliver every pending inquiry again), and starts
/// once the first is gone.
#[test]
fn a_second_receiver_on_the_same_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let first = receiver(&dir, false);
    let options = || ServeOptions {
        port: 0,
        db: dir.path().join("test.db"),
        dist: dir.path().join("no-dist"),
        ..ServeOptions::default()
    };
    let Err(e) = Receiver::new(options()) else {
        panic!("a second receiver started");
    };
    let db = dir.path().join("test.db");
    assert_eq!(
        e,
        format!(
            "{} is in use by another deskform serve (lock file {}.lock); one receiver per database",
            db.display(),
            db.display()
        )
    );
    assert!(deskform_server::lock_file(&db).exists());
    drop(first);
    Receiver::new(options()).unwrap();
}
