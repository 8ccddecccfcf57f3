//! Limits driven in-process (`tower::ServiceExt::oneshot`): posts per client address, bodies on
//! every route, `/healthz`, CORS on a 429, a failure in the log.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, StatusCode};
use deskform_server::{parse_trusted_proxy, Receiver, ServeOptions, TrustedProxies};
use tower::ServiceExt;

const PEER: &str = "192.0.2.1:4000";

fn receiver(dir: &tempfile::TempDir, rate_limit: u32, trusted: &[&str]) -> Receiver {
    Receiver::new(ServeOptions {
        port: 0,
        db: dir.path().join("test.db"),
        dist: dir.path().join("no-dist"),
        demo: true,
        rate_limit,
        trusted_proxies: TrustedProxies(
            trusted
                .iter()
                .map(|t| parse_trusted_proxy(t).unwrap())
                .collect(),
        ),
        ..ServeOptions::default()
    })
    .unwrap()
}

struct Answer {
    status: StatusCode,
    retry_after: Option<String>,
    body: String,
}

async fn call(receiver: &Receiver, request: Request<Body>) -> Answer {
    let peer: SocketAddr = PEER.parse().unwrap();
    let response = receiver
        .router()
        .layer(MockConnectInfo(peer))
        .oneshot(request)
        .await
        .unwrap();
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    Answer {
        status,
        retry_after,
        body: String::from_utf8(body.to_vec()).unwrap(),
    }
}

/// A valid signed-out inquiry to the login desk, with its own idempotency key, as sent with
/// `X-Forwarded-For: forwarded_for` when given.
fn post(n: usize, forwarded_for: Option<&str>) -> Request<Body> {
    let body = serde_json::json!({
        "desk": "login",
        "email": "nguyen.an@example.com",
        "name": "Nguyễn An",
        "subject": format!("Question {n}"),
        "message": "Tôi không nhận được mã SMS.",
        "locale": "vi",
        "idempotency_key": format!("limits-test-{n:06}"),
    });
    let request = Request::post("/api/inquiries").header("content-type", "application/json");
    let request = match forwarded_for {
        Some(addr) => request.header("x-forwarded-for", addr),
        None => request,
    };
    request.body(Body::from(body.to_string())).unwrap()
}

fn assert_rate_limited(answer: &Answer) {
    assert_eq!(
        answer.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        answer.body
    );
    let seconds: u64 = answer
        .retry_after
        .as_deref()
        .expect("a Retry-After header")
        .parse()
        .unwrap();
    // Three a minute: one more every 20 s.
    assert!((19..=20).contains(&seconds), "{seconds}");
    assert_eq!(
        answer.body,
        format!(
            "{{\"error\":\"rate_limited\",\"retry_after\":{seconds},\"message\":\"too many requests from this client; try again in {seconds} seconds\"}}"
        )
    );
}

#[tokio::test]
async fn posts_over_the_limit_get_429_with_retry_after_and_forged_headers_do_not_help() {
    let dir = tempfile::tempdir().unwrap();
    let receiver = receiver(&dir, 3, &[]);
    for n in 0..3 {
        let answer = call(&receiver, post(n, None)).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    }
    assert_rate_limited(&call(&receiver, post(3, None)).await);
    // The peer is not a trusted proxy: a forwarded address of its own choosing is ignored.
    assert_rate_limited(&call(&receiver, post(4, Some("198.51.100.77"))).await);
    // Other POSTs count too (the demo's sign-in); reading does not.
    let sign_in = Request::post("/demo/sign-in")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("plan=business"))
        .unwrap();
    assert_rate_limited(&call(&receiver, sign_in).await);
    let session = Request::get("/api/session").body(Body::empty()).unwrap();
    assert_eq!(call(&receiver, session).await.status, StatusCode::OK);
    assert_eq!(receiver.store().count().unwrap(), 3);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_allowance() {
    let dir = tempfile::tempdir().unwrap();
    // The peer is the proxy.
    let receiver = receiver(&dir, 3, &["192.0.2.1"]);
    for n in 0..3 {
        let answer = call(&receiver, post(n, Some("198.51.100.1"))).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    }
    assert_rate_limited(&call(&receiver, post(3, Some("198.51.100.1"))).await);
    // The proxy's own address or another client: not limited by 198.51.100.1's posts.
    let other = call(&receiver, post(4, Some("198.51.100.2"))).await;
    assert_eq!(other.status, StatusCode::CREATED, "{}", other.body);
    // A client that puts a forged address first: the proxy appended the real one.
    assert_rate_limited(&call(&receiver, post(5, Some("203.0.113.5, 198.51.100.1"))).await);
}

#[tokio::test]
async fn a_rate_limit_of_0_is_no_limit() {
    let dir = tempfile::tempdir().unwrap();
    let receiver = receiver(&dir, 0, &[]);
    for n in 0..30 {
        assert_eq!(
            call(&receiver, post(n, None)).await.status,
            StatusCode::CREATED
        );
    }
}

#[tokio::test]
async fn every_route_refuses_a_body_over_64_kib() {
    let dir = tempfile::tempdir().unwrap();
    let receiver = receiver(&dir, 0, &[]);
    let big = format!("plan=business&lang={}", "a".repeat(70_000));
    // Declared.
    let sign_in = Request::post("/demo/sign-in")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("content-length", big.len())
        .body(Body::from(big.clone()))
        .unwrap();
    assert_eq!(
        call(&receiver, sign_in).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    // Streamed, with no length given.
    let chunks = vec![
        Ok::<_, std::io::Error>(big[..40_000].to_owned()),
        Ok(big[40_000..].to_owned()),
    ];
    let sign_in = Request::post("/demo/sign-in")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from_stream(futures_util::stream::iter(chunks)))
        .unwrap();
    assert_eq!(
        call(&receiver, sign_in).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    // The pages too.
    let page = Request::post("/index.html")
        .header("content-length", big.len())
        .body(Body::from(big.clone()))
        .unwrap();
    assert_eq!(
        call(&receiver, page).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    // The inquiry route keeps its JSON reason.
    let inquiry = Request::post("/api/inquiries")
        .header("content-type", "application/json")
        .header("content-length", big.len())
        .body(Body::from(big))
        .unwrap();
    let answer = call(&receiver, inquiry).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    let body: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(body["error"], "too_large");
    // A small sign-in still works.
    let sign_in = Request::post("/demo/sign-in")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("plan=business"))
        .unwrap();
    assert_eq!(call(&receiver, sign_in).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn healthz_is_200_when_the_database_answers_and_503_when_it_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let receiver = receiver(&dir, 0, &[]);
    assert_eq!(
        call(&receiver, post(1, None)).await.status,
        StatusCode::CREATED
    );
    let health = || Request::get("/healthz").body(Body::empty()).unwrap();
    let answer = call(&receiver, health()).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body, r#"{"status":"ok"}"#);

    // Another process holds the write lock: reads still answer, but nothing could be stored.
    let db = dir.path().join("test.db");
    let other = rusqlite::Connection::open(&db).unwrap();
    other.execute_batch("BEGIN IMMEDIATE;").unwrap();
    let answer = call(&receiver, health()).await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    other.execute_batch("ROLLBACK;").unwrap();
    drop(other);
    assert_eq!(call(&receiver, health()).await.status, StatusCode::OK);

    // The disk under the database fails: the file is garbage, the log is gone and the shared
    // index says so (the receiver's open connection must not answer from its cache).
    let overwrite = |path: std::path::PathBuf, bytes: &[u8]| {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        file.write_all(bytes).unwrap();
    };
    std::fs::OpenOptions::new()
        .write(true)
        .open(db.with_extension("db-wal"))
        .unwrap()
        .set_len(0)
        .unwrap();
    overwrite(
        db.clone(),
        &b"not a database: a disk that failed".repeat(200),
    );
    overwrite(db.with_extension("db-shm"), &[0xff; 136]);
    let answer = call(&receiver, health()).await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(answer.body, r#"{"status":"unavailable"}"#);
}

#[tokio::test]
async fn a_429_reaches_a_widget_on_an_allowed_origin_with_its_retry_after() {
    let dir = tempfile::tempdir().unwrap();
    let receiver = Receiver::new(ServeOptions {
        port: 0,
        db: dir.path().join("test.db"),
        dist: dir.path().join("no-dist"),
        allow_origins: vec!["https://help.example.com".to_owned()],
        rate_limit: 1,
        ..ServeOptions::default()
    })
    .unwrap();
    let from_help_page = |n| {
        let mut request = post(n, None);
        request
            .headers_mut()
            .insert("origin", "https://help.example.com".parse().unwrap());
        request
    };
    let peer: SocketAddr = PEER.parse().unwrap();
    let send = |request| {
        receiver
            .router()
            .layer(MockConnectInfo(peer))
            .oneshot(request)
    };
    let first = send(from_help_page(0)).await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let limited = send(from_help_page(1)).await.unwrap();
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    // Without these the browser hides the answer from the widget: a network error, not a 429.
    let header = |name| limited.headers().get(name).map(|v| v.to_str().unwrap());
    assert_eq!(
        header("access-control-allow-origin"),
        Some("https://help.example.com")
    );
    assert_eq!(header("access-control-allow-credentials"), Some("true"));
    assert!(header("access-control-expose-headers")
        .is_some_and(|v| v.to_ascii_lowercase().contains("retry-after")));
}

/// A `tracing` writer that keeps what it is given.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_failure_is_logged_as_a_structured_event() {
    let dir = tempfile::tempdir().unwrap();
    let receiver = receiver(&dir, 0, &[]);
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_writer(move || writer.clone())
        .finish();
    // The current-thread runtime runs the handler on this thread: the subscriber sees it.
    let _guard = tracing::subscriber::set_default(subscriber);
    // The table inquiries are stored in is gone: storing fails.
    {
        let db = rusqlite::Connection::open(dir.path().join("test.db")).unwrap();
        db.execute_batch("DROP TABLE inquiries").unwrap();
    }
    let answer = call(&receiver, post(1, None)).await;
    assert_eq!(
        answer.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        answer.body
    );
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let event = log
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find(|event| event["fields"]["message"] == "internal error")
        .unwrap_or_else(|| panic!("no internal error event in {log:?}"));
    assert_eq!(event["level"], "ERROR");
    assert!(event["fields"]["error"]
        .as_str()
        .is_some_and(|e| e.contains("inquiries")));
}
