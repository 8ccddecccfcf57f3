#![allow(dead_code)] // Each test file takes what it needs.
//! A stand-in for the team's helpdesk: an axum server on a loopback port that records every
//! delivery `deskform serve --forward-url` makes, verifies its signature as a helpdesk would,
//! de-duplicates by `Idempotency-Key`, and answers as the test scripts it (status, delay,
//! `Retry-After`).

use std::collections::{HashMap, HashSet};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha2::Sha256;

/// One request the sink received.
#[derive(Clone, Debug)]
pub struct Arrival {
    pub key: String,
    pub content_type: String,
    pub body: Value,
    /// Whether `Deskform-Signature` verified with the sink's secret (`None`: no secret set).
    pub signed: Option<bool>,
    /// How many requests with this key came before this one.
    pub nth: usize,
    pub at: Instant,
    /// The status it was answered (or was to be answered, if the client left first).
    pub status: u16,
}

/// How to answer one request.
#[derive(Clone, Debug)]
pub struct Answer {
    pub status: u16,
    pub retry_after: Option<String>,
    pub body: String,
    /// Waited before answering.
    pub delay: Duration,
}

impl Answer {
    pub fn status(status: u16) -> Answer {
        Answer {
            status,
            retry_after: None,
            body: String::new(),
            delay: Duration::ZERO,
        }
    }

    pub fn after(self, delay: Duration) -> Answer {
        Answer { delay, ..self }
    }

    pub fn retry_after(self, value: &str) -> Answer {
        Answer {
            retry_after: Some(value.to_owned()),
            ..self
        }
    }

    pub fn body(self, body: &str) -> Answer {
        Answer {
            body: body.to_owned(),
            ..self
        }
    }
}

type Script = Box<dyn Fn(&Arrival) -> Answer + Send + Sync>;

struct Shared {
    secret: Option<Vec<u8>>,
    script: Mutex<Script>,
    arrivals: Mutex<Vec<Arrival>>,
    /// Keys answered 2xx: what the helpdesk has.
    acknowledged: Mutex<HashMap<String, usize>>,
}

/// The running sink; stops when dropped.
pub struct Sink {
    pub url: String,
    shared: Arc<Shared>,
    _runtime: tokio::runtime::Runtime,
}

/// A free loopback port, for a sink started later ("the helpdesk is down").
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Sink {
    /// A sink answering 200 to everything, verifying signatures with `secret` if given.
    pub fn start(secret: Option<&[u8]>) -> Sink {
        Sink::start_on(0, secret)
    }

    pub fn start_on(port: u16, secret: Option<&[u8]>) -> Sink {
        let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
        listener.set_nonblocking(true).unwrap();
        let address: SocketAddr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            secret: secret.map(<[u8]>::to_vec),
            script: Mutex::new(Box::new(|_| Answer::status(200))),
            arrivals: Mutex::default(),
            acknowledged: Mutex::default(),
        });
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let router = axum::Router::new()
            .route("/hooks/deskform", axum::routing::post(receive))
            .with_state(shared.clone());
        runtime.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, router).await.unwrap();
        });
        Sink {
            url: format!("http://{address}/hooks/deskform"),
            shared,
            _runtime: runtime,
        }
    }

    /// From now on, answers as `script` says.
    pub fn script(&self, script: impl Fn(&Arrival) -> Answer + Send + Sync + 'static) {
        *self.shared.script.lock().unwrap() = Box::new(script);
    }

    pub fn arrivals(&self) -> Vec<Arrival> {
        self.shared.arrivals.lock().unwrap().clone()
    }

    /// Each key answered 2xx, and how many times.
    pub fn acknowledged(&self) -> HashMap<String, usize> {
        self.shared.acknowledged.lock().unwrap().clone()
    }

    /// The keys the sink ever saw.
    pub fn keys(&self) -> HashSet<String> {
        self.arrivals().into_iter().map(|a| a.key).collect()
    }
}

async fn receive(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let key = header("idempotency-key");
    let signed = shared
        .secret
        .as_deref()
        .map(|secret| verify(secret, &header("deskform-signature"), &body));
    let (arrival, answer) = {
        let mut arrivals = shared.arrivals.lock().unwrap();
        let nth = arrivals.iter().filter(|a| a.key == key).count();
        let mut arrival = Arrival {
            key: key.clone(),
            content_type: header("content-type"),
            body: serde_json::from_slice(&body).unwrap_or(Value::Null),
            signed,
            nth,
            at: Instant::now(),
            status: 0,
        };
        // A helpdesk refuses what it cannot verify.
        let answer = if signed == Some(false) {
            Answer::status(401).body("bad signature")
        } else {
            (shared.script.lock().unwrap())(&arrival)
        };
        arrival.status = answer.status;
        arrivals.push(arrival.clone());
        (arrival, answer)
    };
    tokio::time::sleep(answer.delay).await;
    let status = StatusCode::from_u16(answer.status).unwrap();
    if status.is_success() {
        *shared
            .acknowledged
            .lock()
            .unwrap()
            .entry(arrival.key)
            .or_default() += 1;
    }
    let mut response = (status, answer.body).into_response();
    if let Some(value) = answer.retry_after {
        response
            .headers_mut()
            .insert("retry-after", value.parse().unwrap());
    }
    response
}

/// Checks `t=…,v1=…` as a helpdesk would: the HMAC of "t.body", and t within five minutes.
pub fn verify(secret: &[u8], header: &str, body: &[u8]) -> bool {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", value)) => t = value.parse::<u64>().ok(),
            Some(("v1", value)) => v1 = Some(value),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else {
        return false;
    };
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    if now.abs_diff(t) > 300 || v1.len() != 64 {
        return false;
    }
    let Some(expected): Option<Vec<u8>> = (0..64)
        .step_by(2)
        .map(|i| u8::from_str_radix(&v1[i..i + 2], 16).ok())
        .collect()
    else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}
