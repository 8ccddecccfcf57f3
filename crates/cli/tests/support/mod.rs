//! A client for `deskform serve`, shared by its tests and its load benchmark: the real binary
//! on a loopback port, spoken to in raw HTTP/1.1 (so that malformed, oversized and half-sent
//! requests can be written), with the SQLite file read directly to count what was stored.
#![allow(dead_code)] // Each user takes what it needs.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

/// A running `deskform serve`, stopped with SIGTERM when dropped.
pub struct Server {
    pub child: Child,
    pub address: String,
    pub db: PathBuf,
    /// Everything it wrote to stderr (its log) so far.
    pub log: Arc<Mutex<String>>,
}

impl Server {
    /// Started with the demo's sign-in (`--demo`), which most tests sign in through.
    pub fn start(db: &Path) -> Server {
        Server::start_with(db, &["--demo"])
    }

    /// Started with more arguments for `deskform serve`. Tests post far more than the default
    /// rate limit from one address: it is off (`--rate-limit 0`) unless they set it.
    pub fn start_with(db: &Path, args: &[&str]) -> Server {
        Server::start_with_env(db, args, &[])
    }

    /// Started with more arguments and `DESKFORM_…` environment variables.
    pub fn start_with_env(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
        let limited = args.contains(&"--rate-limit")
            || env.iter().any(|(name, _)| *name == "DESKFORM_RATE_LIMIT");
        let no_limit: &[&str] = if limited { &[] } else { &["--rate-limit", "0"] };
        let mut command = Command::new(env!("CARGO_BIN_EXE_deskform"));
        // Only the arguments count: not a DESKFORM_… setting of whoever runs the tests.
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("DESKFORM_") {
                command.env_remove(name);
            }
        }
        let mut child = command
            .args(["serve", "--port", "0", "--dist", "no-such-dist", "--db"])
            .arg(db)
            .args(no_limit)
            .args(args)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("deskform serve starts");
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let written = log.clone();
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                let mut log = written.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let address = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_owned();
        // Keep reading so the server never blocks on a full pipe; the lines go to the test's
        // output.
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                println!("server: {line}");
            }
        });
        Server {
            child,
            address,
            db: db.to_owned(),
            log,
        }
    }

    /// Its log so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Sends SIGTERM and waits for the process to finish.
    pub fn stop(mut self) -> std::process::ExitStatus {
        terminate(&self.child);
        let status = self.child.wait().unwrap();
        std::mem::forget(self);
        status
    }

    pub fn stored(&self) -> i64 {
        stored(&self.db)
    }

    pub fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(&self.address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        stream
    }

    /// One request on its own connection.
    pub fn send(&self, head: &str, body: &[u8]) -> Reply {
        let mut stream = self.connect();
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        read_reply(stream)
    }

    pub fn post_json(&self, cookie: Option<&str>, body: &Value) -> Reply {
        let body = body.to_string();
        self.send(
            &format!(
                "POST /api/inquiries HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n{}Content-Length: {}\r\n\r\n",
                cookie_header(cookie),
                body.len()
            ),
            body.as_bytes(),
        )
    }

    pub fn get(&self, cookie: Option<&str>, path: &str) -> Reply {
        self.send(
            &format!(
                "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{}\r\n",
                cookie_header(cookie)
            ),
            b"",
        )
    }

    /// The demo page's sign-in form posted as `plan`, whatever the answer.
    pub fn post_sign_in(&self, plan: &str) -> Reply {
        let body = format!("plan={plan}");
        self.send(
            &format!(
                "POST /demo/sign-in HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
                body.len()
            ),
            body.as_bytes(),
        )
    }

    /// Signs in on the demo page as `plan`; the session cookie.
    pub fn sign_in(&self, plan: &str) -> String {
        let reply = self.post_sign_in(plan);
        assert_eq!(reply.status, 303, "{}", reply.body);
        let cookie = reply.header("set-cookie").expect("a session cookie");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");
        cookie.split(';').next().unwrap().to_owned()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn terminate(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

pub fn cookie_header(cookie: Option<&str>) -> String {
    cookie.map_or_else(String::new, |c| format!("Cookie: {c}\r\n"))
}

pub fn stored(db: &Path) -> i64 {
    let connection = rusqlite::Connection::open(db).unwrap();
    connection
        .query_row("SELECT COUNT(*) FROM inquiries", [], |row| row.get(0))
        .unwrap()
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("{e}: not JSON: {:?}", self.body))
    }
}

pub fn read_reply(mut stream: TcpStream) -> Reply {
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no reply: {text:?}"));
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let body = if chunked {
        unchunk(body)
    } else {
        body.to_owned()
    };
    Reply {
        status: status.parse().unwrap(),
        headers,
        body,
    }
}

pub fn unchunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap();
        if size == 0 {
            break;
        }
        out.push_str(&rest[..size]);
        body = &rest[size + 2..];
    }
    out
}

/// Posts inquiries `0..n` to the login desk, signed out, from `clients` threads at once; every
/// answer's status.
pub fn post_all(server: &std::sync::Arc<Server>, n: usize, clients: usize) -> Vec<u16> {
    let threads: Vec<_> = (0..clients)
        .map(|t| {
            let server = server.clone();
            std::thread::spawn(move || {
                (t..n)
                    .step_by(clients)
                    .map(|i| server.post_json(None, &inquiry("login", i)).status)
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect()
}

/// A unique idempotency key.
pub fn key(n: usize) -> String {
    format!("test-key-{n:012}-{}", std::process::id())
}

pub fn inquiry(desk: &str, n: usize) -> Value {
    json!({
        "desk": desk,
        "email": "nguyen.an@example.com",
        "name": "Nguyễn An",
        "subject": format!("Question {n}"),
        "message": "Tôi không nhận được mã SMS.\nPlease help.",
        "locale": "vi",
        "idempotency_key": key(n),
    })
}

pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("deskform.db");
    (dir, db)
}
