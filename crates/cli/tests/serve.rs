//! `deskform serve` as a client sees it (see `support`): forged plans, bad bodies, racing
//! idempotency keys, owner-only reads, SIGTERM mid-request, a stalled client at shutdown, slow
//! clients, the access log, flags from the environment and a restart with 1,000 rows (10,000 in
//! `cargo xtask bench`).

mod support;

use std::io::{Read, Write};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use support::*;

#[test]
fn a_free_plan_forging_a_post_to_a_paid_desk_gets_403_and_nothing_is_stored() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db);
    let free = server.sign_in("free");
    let mut session = server.get(Some(&free), "/api/session").json();
    // The demo's identity token for this customer (tests/identity.rs posts with one).
    let token = session.as_object_mut().unwrap().remove("token");
    assert!(token.is_some_and(|t| t.is_string()));
    assert_eq!(
        session,
        json!({"signed_in": true, "plan": "free", "name": "Free customer", "email": "free.customer@example.com"})
    );

    let reply = server.post_json(Some(&free), &inquiry("usage", 1));
    assert_eq!(reply.status, 403, "{}", reply.body);
    let body = reply.json();
    assert_eq!(body["error"], "desk_locked");
    assert_eq!(body["reason"], "paid_plan_needed");

    let reply = server.post_json(None, &inquiry("usage", 2));
    assert_eq!(reply.status, 403);
    assert_eq!(reply.json()["reason"], "sign_in_needed");

    // A forged cookie is no session at all.
    let reply = server.post_json(Some("deskform_session=forged"), &inquiry("usage", 3));
    assert_eq!(reply.json()["reason"], "sign_in_needed");
    assert_eq!(server.stored(), 0);

    let business = server.sign_in("business");
    assert_eq!(
        server
            .post_json(Some(&business), &inquiry("usage", 4))
            .status,
        201
    );
    assert_eq!(server.stored(), 1);
}

#[test]
fn malformed_oversized_and_wrong_type_bodies_are_refused_with_reasons() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db);
    let post = |content_type: &str, body: &[u8]| {
        server.send(
            &format!(
                "POST /api/inquiries HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
                body.len()
            ),
            body,
        )
    };
    let valid = inquiry("login", 1).to_string();

    let reply = post("text/plain", valid.as_bytes());
    assert_eq!(reply.status, 415);
    assert_eq!(reply.json()["error"], "unsupported_media_type");
    assert_eq!(
        post("application/x-www-form-urlencoded", b"desk=login").status,
        415
    );

    let reply = post("application/json", b"{\"desk\": \"login\",");
    assert_eq!(reply.status, 400);
    assert!(
        reply.json()["message"].as_str().unwrap().contains("1:18"),
        "{}",
        reply.body
    );
    assert_eq!(post("application/json", b"[]").status, 400);
    assert_eq!(post("application/json", b"\xff\xfe{}").status, 400);

    let reply = post(
        "application/json; charset=utf-8",
        br#"{"desk": 1, "email": ["a"], "subject": "s", "message": null, "idempotency_key": "k"}"#,
    );
    assert_eq!(reply.status, 422);
    let fields: Vec<(String, String)> = reply.json()["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_owned(),
                f["problem"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("desk".into(), "not_a_string".into()),
            ("email".into(), "not_a_string".into()),
            ("message".into(), "not_a_string".into()),
        ]
    );

    let mut too_long = inquiry("login", 2);
    too_long["message"] = json!("あ".repeat(5001));
    too_long["email"] = json!("not an address");
    let reply = server.post_json(None, &too_long);
    assert_eq!(reply.status, 422);
    let body = reply.json();
    assert_eq!(body["fields"][0]["field"], "email");
    assert_eq!(body["fields"][1]["problem"], "too_long");
    assert_eq!(body["fields"][1]["chars"], 5001);

    // Over 64 KiB: refused whether the length is declared or the body is streamed.
    let big = format!(
        "{{\"desk\":\"login\",\"message\":\"{}\"}}",
        "a".repeat(70_000)
    );
    let reply = post("application/json", big.as_bytes());
    assert_eq!(reply.status, 413);
    assert_eq!(reply.json()["error"], "too_large");
    let mut chunked = format!("{:x}\r\n", big.len()).into_bytes();
    chunked.extend_from_slice(big.as_bytes());
    chunked.extend_from_slice(b"\r\n0\r\n\r\n");
    let reply = server.send(
        "POST /api/inquiries HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
        &chunked,
    );
    assert_eq!(reply.status, 413);

    assert_eq!(server.stored(), 0);
    // And the server is still there.
    assert_eq!(server.post_json(None, &inquiry("login", 3)).status, 201);
}

#[test]
fn a_member_given_twice_is_refused_not_read_one_way() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db);
    let business = server.sign_in("business");
    // A proxy or a log reader may take the first `desk`, the receiver the last: refused.
    let valid = inquiry("login", 1).to_string();
    let twice = valid.replacen('{', "{\"desk\": \"usage\", ", 1);
    let reply = server.send(
        &format!(
            "POST /api/inquiries HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n{}Content-Length: {}\r\n\r\n",
            cookie_header(Some(&business)),
            twice.len()
        ),
        twice.as_bytes(),
    );
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert_eq!(reply.json()["error"], "malformed");
    assert!(
        reply.json()["message"]
            .as_str()
            .unwrap()
            .contains("duplicate key \"desk\""),
        "{}",
        reply.body
    );
    assert_eq!(server.stored(), 0);
}

#[test]
fn the_catalog_it_serves_is_the_one_it_enforces() {
    let (dir, db) = temp_db();
    let path = dir.path().join("catalog.json");
    let file = deskform_core::BUILTIN_CATALOG_JSON
        .replacen("{", "{\n  \"$schema\": \"./catalog.schema.json\",", 1)
        .replace(
            "\"reply_within_business_days\": 2",
            "\"reply_within_business_days\": 7",
        );
    std::fs::write(&path, &file).unwrap();
    let server = Server::start_with(&db, &["--config", path.to_str().unwrap()]);
    let reply = server.get(None, "/api/catalog");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let served =
        deskform_core::Catalog::from_json(&reply.body).expect("a catalog the widget reads");
    assert_eq!(served, deskform_core::Catalog::from_json(&file).unwrap());
    assert_eq!(served.desk("login").unwrap().reply_within.get(), 7);
}

#[test]
fn without_demo_nobody_can_sign_in() {
    // A deployed receiver (no `--demo`): the demo's sign-in would let anyone claim any plan.
    let (_dir, db) = temp_db();
    let server = Server::start_with(&db, &[]);
    let reply = server.post_sign_in("enterprise");
    assert_eq!(reply.status, 404, "{}", reply.body);
    assert_eq!(reply.header("set-cookie"), None);
    let usage = server.post_json(None, &inquiry("usage", 1));
    assert_eq!(usage.status, 403, "{}", usage.body);
    assert_eq!(usage.json()["reason"], "sign_in_needed");
    assert_eq!(server.stored(), 0);
}

#[test]
fn the_session_limits_are_the_flags() {
    let (_dir, db) = temp_db();
    let server = Server::start_with(
        &db,
        &[
            "--demo",
            "--session-max-days",
            "1",
            "--session-idle-minutes",
            "30",
        ],
    );
    let reply = server.post_sign_in("business");
    let cookie = reply.header("set-cookie").expect("a session cookie");
    assert!(cookie.contains("Max-Age=86400"), "{cookie}");
    // A limit of zero would sign everyone out at once: refused.
    for flag in ["--session-max-days", "--session-idle-minutes"] {
        let out = Command::new(env!("CARGO_BIN_EXE_deskform"))
            .args(["serve", "--port", "0", "--db"])
            .arg(&db)
            .args([flag, "0"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{flag} 0");
        assert!(String::from_utf8_lossy(&out.stderr).contains(flag));
    }
}

#[test]
fn the_same_idempotency_key_is_one_ticket_even_when_sent_at_once() {
    let (_dir, db) = temp_db();
    let server = Arc::new(Server::start(&db));
    let first = server.post_json(None, &inquiry("login", 1));
    assert_eq!(first.status, 201, "{}", first.body);
    let receipt = first.json();
    assert!(receipt["ticket_id"].as_str().unwrap().starts_with("DF-"));
    let again = server.post_json(None, &inquiry("login", 1));
    assert_eq!(again.status, 200);
    assert_eq!(again.json(), receipt);

    // The key names one inquiry: other text under it is a conflict, not a silent overwrite.
    let mut changed = inquiry("login", 1);
    changed["message"] = json!("something else");
    let conflict = server.post_json(None, &changed);
    assert_eq!(conflict.status, 409);

    // A double click, a retry racing the first try: twenty copies at once.
    // Each copy is sent up to its last byte, then all last bytes go at once.
    let copies = 20;
    let start = Arc::new(std::sync::Barrier::new(copies));
    let copies: Vec<_> = (0..copies)
        .map(|_| {
            let (server, start) = (server.clone(), start.clone());
            std::thread::spawn(move || {
                let body = inquiry("login", 2).to_string();
                let (most, last) = body.as_bytes().split_at(body.len() - 1);
                let mut stream = server.connect();
                write!(
                    stream,
                    "POST /api/inquiries HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                )
                .unwrap();
                stream.write_all(most).unwrap();
                start.wait();
                stream.write_all(last).unwrap();
                read_reply(stream)
            })
        })
        .collect();
    let replies: Vec<Reply> = copies.into_iter().map(|t| t.join().unwrap()).collect();
    let created = replies.iter().filter(|r| r.status == 201).count();
    assert_eq!(created, 1, "{replies:?}");
    assert!(replies.iter().all(|r| r.status == 200 || r.status == 201));
    let tickets: std::collections::HashSet<String> = replies
        .iter()
        .map(|r| r.json()["ticket_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(tickets.len(), 1);
    assert_eq!(server.stored(), 2);
}

#[test]
fn n_concurrent_submissions_are_exactly_n_rows() {
    let (_dir, db) = temp_db();
    let server = Arc::new(Server::start(&db));
    let n = 200;
    let statuses = post_all(&server, n, 8);
    assert_eq!(statuses.len(), n);
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    assert_eq!(server.stored(), n as i64);
}

#[test]
fn an_inquiry_is_shown_to_its_owner_only() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db);
    let owner = server.sign_in("business");
    let mut sent = inquiry("usage", 1);
    // The session's identity wins over what the body claims.
    sent["email"] = json!("someone.else@example.com");
    let receipt = server.post_json(Some(&owner), &sent).json();
    let ticket = receipt["ticket_id"].as_str().unwrap();
    let path = format!("/api/inquiries/{ticket}");

    let mine = server.get(Some(&owner), &path);
    assert_eq!(mine.status, 200, "{}", mine.body);
    // A customer's words are never kept by a browser's or a proxy's cache.
    assert_eq!(mine.header("cache-control"), Some("no-store"));
    let mine = mine.json();
    assert_eq!(mine["subject"], "Question 1");
    assert_eq!(mine["email"], "business.customer@example.com");
    assert_eq!(mine["due_date"], receipt["due_date"]);

    // Signed in, the body may leave the identity out altogether.
    let mut bare = inquiry("usage", 3);
    bare.as_object_mut().unwrap().remove("email");
    bare.as_object_mut().unwrap().remove("name");
    let reply = server.post_json(Some(&owner), &bare);
    assert_eq!(reply.status, 201, "{}", reply.body);
    // Signed out, it may not.
    let reply = server.post_json(None, &inquiry_without_email(4));
    assert_eq!(reply.status, 422);
    assert_eq!(reply.json()["fields"][0]["field"], "email");
    assert_eq!(reply.json()["fields"][0]["problem"], "missing");

    // The same account signed in elsewhere sees it; other accounts and the signed out do not.
    let same_account = server.sign_in("business");
    assert_eq!(server.get(Some(&same_account), &path).status, 200);
    let other = server.sign_in("enterprise");
    assert_eq!(server.get(Some(&other), &path).status, 404);
    assert_eq!(server.get(None, &path).status, 404);
    assert_eq!(
        server
            .get(Some(&owner), "/api/inquiries/DF-0000000000")
            .status,
        404
    );

    // Signed out, the login desk takes the address typed; no one can read it back.
    let anonymous = server.post_json(None, &inquiry("login", 2)).json();
    let path = format!(
        "/api/inquiries/{}",
        anonymous["ticket_id"].as_str().unwrap()
    );
    assert_eq!(server.get(None, &path).status, 404);
}

#[test]
fn sigterm_finishes_the_request_in_flight() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db);
    let cookie = server.sign_in("enterprise");
    let body = inquiry("usage", 1).to_string();
    let (first, rest) = body.as_bytes().split_at(body.len() / 2);
    let mut stream = server.connect();
    write!(
        stream,
        "POST /api/inquiries HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nCookie: {cookie}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(first).unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    terminate(&server.child);
    std::thread::sleep(Duration::from_millis(300));
    stream.write_all(rest).unwrap();
    let reply = read_reply(stream);
    assert_eq!(reply.status, 201, "{}", reply.body);
    let status = server.stop();
    assert!(status.success(), "{status:?}");
    assert_eq!(stored(&db), 1);

    // Started again: the session and the ticket are both still there.
    let server = Server::start(&db);
    let ticket = reply.json()["ticket_id"].as_str().unwrap().to_owned();
    let found = server.get(Some(&cookie), &format!("/api/inquiries/{ticket}"));
    assert_eq!(found.status, 200, "{}", found.body);
}

/// Every inquiry answered 201 is there after a restart. Each one is an fsync, so the test runs
/// 1,000 (`DESKFORM_RESTART_N` changes it); `cargo xtask bench` restarts after 10,000.
#[test]
fn inquiries_survive_a_restart() {
    let (_dir, db) = temp_db();
    let server = Arc::new(Server::start(&db));
    let n: usize = std::env::var("DESKFORM_RESTART_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000)
        .max(2);
    let probe = n / 2;
    let statuses = post_all(&server, n, 8);
    assert!(statuses.iter().all(|s| *s == 201));
    let server = Arc::into_inner(server).unwrap();
    assert!(server.stop().success());
    assert_eq!(stored(&db), n as i64);

    let server = Server::start(&db);
    assert_eq!(server.stored(), n as i64);
    let listed = Command::new(env!("CARGO_BIN_EXE_deskform"))
        .args(["inquiries", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(listed.status.success());
    let listed = String::from_utf8(listed.stdout).unwrap();
    assert_eq!(listed.lines().count(), n);
    assert_eq!(
        listed
            .lines()
            .filter(|l| l.ends_with(&format!(
                "\tQuestion {probe}\tnot forwarded\tno acknowledgement"
            )))
            .count(),
        1
    );
    // Keys are remembered across the restart: a late retry still gets its own ticket.
    let retry = server.post_json(None, &inquiry("login", probe));
    assert_eq!(retry.status, 200);
    assert_eq!(server.stored(), n as i64);
}

#[test]
fn help_pages_on_allowed_origins_may_call_the_api_with_cookies() {
    let (_dir, db) = temp_db();
    let server = Server::start_with(&db, &["--allow-origin", "https://help.example.com"]);
    let preflight = |origin: &str| {
        server.send(
            &format!(
                "OPTIONS /api/inquiries HTTP/1.1\r\nHost: x\r\nConnection: close\r\nOrigin: {origin}\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type, authorization\r\n\r\n"
            ),
            b"",
        )
    };
    let allowed = preflight("https://help.example.com");
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some("https://help.example.com")
    );
    assert_eq!(
        allowed.header("access-control-allow-credentials"),
        Some("true")
    );
    // The widget sends the identity token as `Authorization: Bearer …`.
    let headers = allowed
        .header("access-control-allow-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(headers.contains("authorization"), "{headers}");
    let other = preflight("https://evil.example");
    assert_eq!(other.header("access-control-allow-origin"), None);

    // Without the flag, no other origin is allowed.
    let (_dir2, db2) = temp_db();
    let closed = Server::start(&db2);
    let reply = closed.send(
        "OPTIONS /api/session HTTP/1.1\r\nHost: x\r\nConnection: close\r\nOrigin: https://help.example.com\r\nAccess-Control-Request-Method: GET\r\n\r\n",
        b"",
    );
    assert_eq!(reply.header("access-control-allow-origin"), None);

    let refused = Command::new(env!("CARGO_BIN_EXE_deskform"))
        .args([
            "serve",
            "--port",
            "0",
            "--allow-origin",
            "help.example.com/x",
            "--db",
        ])
        .arg(db.with_extension("other"))
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--allow-origin"));
}

fn inquiry_without_email(n: usize) -> serde_json::Value {
    let mut body = inquiry("login", n);
    body.as_object_mut().unwrap().remove("email");
    body
}

#[test]
fn a_filled_in_honeypot_gets_a_normal_answer_and_nothing_is_stored() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db);
    let owner = server.sign_in("business");
    let real = server.post_json(Some(&owner), &inquiry("usage", 1));
    assert_eq!(real.status, 201, "{}", real.body);
    assert_eq!(server.stored(), 1);

    let mut trapped = inquiry("usage", 2);
    trapped["website"] = json!("https://cheap-pills.example");
    let reply = server.post_json(Some(&owner), &trapped);
    // The answer a stored inquiry gets: a fresh ticket, the real due date, the same members.
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(reply.header("content-type"), real.header("content-type"));
    let (receipt, real) = (reply.json(), real.json());
    let ticket = receipt["ticket_id"].as_str().unwrap();
    assert!(ticket.starts_with("DF-") && ticket.len() == 13, "{ticket}");
    assert_ne!(receipt["ticket_id"], real["ticket_id"]);
    assert_eq!(receipt["due_date"], real["due_date"]);
    assert_eq!(receipt["desk"], "usage");
    let members = |v: &serde_json::Value| {
        let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    };
    assert_eq!(members(&receipt), members(&real));

    // Sent again with the same key, it is answered as a real repeat is: 200, the same ticket.
    let again = server.post_json(Some(&owner), &trapped);
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.json()["ticket_id"], receipt["ticket_id"]);
    // The log says a honeypot caught a post, without a word of it.
    let log = log_with(&server, "honeypot");
    assert!(!log.contains("cheap-pills"), "{log}");

    // Nothing stored: not counted, not readable by its "owner", and the key is still free.
    assert_eq!(server.stored(), 1);
    let path = format!("/api/inquiries/{ticket}");
    assert_eq!(server.get(Some(&owner), &path).status, 404);
    let honest = inquiry("usage", 2);
    assert_eq!(server.post_json(Some(&owner), &honest).status, 201);
    assert_eq!(server.stored(), 2);

    // An empty honeypot is no honeypot.
    let mut empty = inquiry("login", 3);
    empty["website"] = json!("");
    assert_eq!(server.post_json(None, &empty).status, 201);
    assert_eq!(server.stored(), 3);
}

/// The receiver's answers are what the widget decodes: each refusal read back with the core's
/// `SubmitReply::from_response` is the refusal the receiver meant.
#[test]
fn every_answer_decodes_with_the_core_as_the_receiver_meant_it() {
    use deskform_core::{Rejection, SubmitReply};
    let (_dir, db) = temp_db();
    let server = Server::start(&db);
    let decode = |reply: &Reply| {
        assert_eq!(reply.header("content-type"), Some("application/json"));
        if reply.status >= 400 {
            let body: serde_json::Value = reply.json();
            assert!(
                body["error"].as_str().is_some_and(|c| !c.is_empty()),
                "{body}"
            );
            assert!(
                body["message"].as_str().is_some_and(|m| !m.is_empty()),
                "{body}"
            );
        }
        SubmitReply::from_response(reply.status, reply.header("retry-after"), &reply.body)
    };
    let post = |content_type: &str, body: &str| {
        server.send(
            &format!(
                "POST /api/inquiries HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
                body.len()
            ),
            body.as_bytes(),
        )
    };
    assert_eq!(
        decode(&post("text/plain", "{}")),
        SubmitReply::Refused(Rejection::UnsupportedMediaType)
    );
    assert_eq!(
        decode(&post("application/json", &"x".repeat(70_000))),
        SubmitReply::Refused(Rejection::TooLarge {
            max_bytes: Some(65536)
        })
    );
    assert!(matches!(
        decode(&post("application/json", "{")),
        SubmitReply::Refused(Rejection::Malformed(_))
    ));
    assert!(matches!(
        decode(&server.post_json(None, &inquiry("usage", 1))),
        SubmitReply::Refused(Rejection::Locked { .. })
    ));
    let mut invalid = inquiry("login", 1);
    invalid["email"] = json!("not an address");
    let SubmitReply::Refused(Rejection::Invalid(issues)) =
        decode(&server.post_json(None, &invalid))
    else {
        panic!("not invalid_fields");
    };
    assert_eq!(issues[0].field, "email");

    let first = server.post_json(None, &inquiry("login", 2));
    assert!(matches!(decode(&first), SubmitReply::Created(_)));
    assert!(matches!(
        decode(&server.post_json(None, &inquiry("login", 2))),
        SubmitReply::Repeated(_)
    ));
    let mut other = inquiry("login", 2);
    other["subject"] = json!("Another subject, the same key");
    assert_eq!(
        decode(&server.post_json(None, &other)),
        SubmitReply::Refused(Rejection::IdempotencyConflict)
    );
    let owner = server.sign_in("business");
    assert_eq!(
        decode(&server.get(Some(&owner), "/api/inquiries/DF-0000000000")),
        SubmitReply::Refused(Rejection::NotFound)
    );
    let unknown_plan = server.post_sign_in("platinum");
    assert_eq!(unknown_plan.status, 422);
    assert!(matches!(
        decode(&unknown_plan),
        SubmitReply::Refused(Rejection::Other { status: 422, ref code, .. }) if code == "unknown_plan"
    ));
}

#[test]
fn a_stalled_half_body_does_not_keep_sigterm_from_ending_the_process() {
    let (_dir, db) = temp_db();
    // The read timeout (10 s by default) is longer than the deadline: the deadline ends it.
    let server = Server::start_with(&db, &["--shutdown-deadline", "2"]);
    let head = |body: &str| {
        format!(
            "POST /api/inquiries HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
    };
    // A client that sends half a body and never the rest.
    let stalled_body = inquiry("login", 1).to_string();
    let mut stalled = server.connect();
    stalled.write_all(head(&stalled_body).as_bytes()).unwrap();
    stalled
        .write_all(&stalled_body.as_bytes()[..stalled_body.len() / 2])
        .unwrap();
    // A customer whose post is in flight when SIGTERM comes.
    let body = inquiry("login", 2).to_string();
    let (first, rest) = body.as_bytes().split_at(body.len() / 2);
    let mut customer = server.connect();
    customer.write_all(head(&body).as_bytes()).unwrap();
    customer.write_all(first).unwrap();
    std::thread::sleep(Duration::from_millis(300));

    let mut server = server;
    let sigterm = Instant::now();
    terminate(&server.child);
    std::thread::sleep(Duration::from_millis(300));
    customer.write_all(rest).unwrap();
    let reply = read_reply(customer);
    assert_eq!(reply.status, 201, "{}", reply.body);

    let status = server.child.wait().unwrap();
    let took = sigterm.elapsed();
    assert!(status.success(), "{status:?}");
    assert!(
        took >= Duration::from_millis(1_500) && took < Duration::from_secs(6),
        "exited {took:?} after SIGTERM, with a 2 s deadline"
    );
    assert_eq!(stored(&db), 1);
    drop(stalled);
}

/// Idle sockets cannot take every connection: with `--max-connections 1`, an idle one holds
/// the next request until the read timeout closes it; the request is then served.
#[test]
fn connections_beyond_the_limit_wait_for_one_to_close() {
    let (_dir, db) = temp_db();
    let server = Server::start_with(&db, &["--read-timeout", "1", "--max-connections", "1"]);
    // The receiver has accepted it once a request on it is answered: then it holds the permit.
    let mut idle = server.connect();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut first = [0u8; 12];
    idle.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    // Kept alive and idle: the next connection waits until the read timeout ends this one.
    let start = Instant::now();
    let reply = server.get(None, "/healthz");
    let took = start.elapsed();
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        took >= Duration::from_millis(500),
        "served after {took:?}, beside a connection that held the only place"
    );
    drop(idle);
}

#[test]
fn slow_headers_and_stalled_bodies_are_cut_off_after_the_read_timeout() {
    let (_dir, db) = temp_db();
    let server = Server::start_with(&db, &["--read-timeout", "1"]);

    // Headers trickled and never finished: the connection is closed, with no answer but a 408
    // at most.
    let mut slow = server.connect();
    let start = Instant::now();
    slow.write_all(b"POST /api/inquiries HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let mut answer = String::new();
    let _ = slow.read_to_string(&mut answer);
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(800) && took < Duration::from_secs(5),
        "the connection stayed open {took:?}, with a 1 s read timeout"
    );
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer:?}"
    );

    // A body that stops halfway: 408, nothing stored.
    let body = inquiry("login", 1).to_string();
    let mut stalled = server.connect();
    let start = Instant::now();
    write!(
        stalled,
        "POST /api/inquiries HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    stalled
        .write_all(&body.as_bytes()[..body.len() / 2])
        .unwrap();
    let reply = read_reply(stalled);
    assert_eq!(reply.status, 408, "{}", reply.body);
    assert_eq!(reply.json()["error"], "timeout");
    assert!(start.elapsed() < Duration::from_secs(5));

    // Everyone else is served as usual.
    assert_eq!(server.post_json(None, &inquiry("login", 2)).status, 201);
    assert_eq!(server.stored(), 1);
}

/// The log so far, once it holds a line with `text` (the server writes it from another
/// thread).
fn log_with(server: &Server, text: &str) -> String {
    for _ in 0..50 {
        let log = server.log();
        if log.contains(text) {
            return log;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("no {text:?} in the log:\n{}", server.log());
}

#[test]
fn every_request_has_an_access_log_line_without_the_customers_words() {
    let (_dir, db) = temp_db();
    let server = Server::start_with(&db, &["--log-format", "json"]);
    assert_eq!(server.post_json(None, &inquiry("login", 1)).status, 201);
    assert_eq!(
        server
            .get(None, "/api/session?email=secret@example.com")
            .status,
        200
    );
    let log = log_with(&server, "/api/session");
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let post = lines
        .iter()
        .find(|l| l["path"] == "/api/inquiries")
        .expect("a line for the post");
    assert_eq!(post["method"], "POST");
    assert_eq!(post["status"], 201);
    assert_eq!(post["client"], "127.0.0.1");
    assert!(post["latency_ms"].as_f64().unwrap() >= 0.0);
    let get = lines
        .iter()
        .find(|l| l["path"] == "/api/session")
        .expect("a line for the session, without its query string");
    assert_eq!(get["status"], 200);
    for private in [
        "nguyen.an@example.com",
        "Nguyễn",
        "Question 1",
        "SMS",
        "secret",
    ] {
        assert!(!log.contains(private), "{private:?} in the log:\n{log}");
    }

    // Text by default.
    let (_dir, db) = temp_db();
    let server = Server::start_with(&db, &[]);
    server.get(None, "/healthz");
    let log = log_with(&server, "path=/healthz");
    assert!(
        log.lines().any(|l| l.contains("method=GET")
            && l.contains("status=200")
            && l.contains("client=127.0.0.1")),
        "{log}"
    );
}

#[test]
fn every_flag_can_come_from_the_environment_and_ipv6_is_served() {
    let (_dir, db) = temp_db();
    // Some containers have no IPv6, not even loopback: then IPv4 shows the rest.
    let ipv6 = std::net::TcpListener::bind("[::1]:0").is_ok();
    if !ipv6 {
        println!("no IPv6 loopback here: --bind tested with 127.0.0.1");
    }
    let (bind, client) = if ipv6 {
        ("::1", "::1")
    } else {
        ("127.0.0.1", "127.0.0.1")
    };
    let server = Server::start_with_env(
        &db,
        &[],
        &[
            ("DESKFORM_BIND", bind),
            ("DESKFORM_RATE_LIMIT", "2"),
            ("DESKFORM_DEMO", "true"),
            (
                "DESKFORM_ALLOW_ORIGIN",
                "https://a.example,https://help.example.com",
            ),
            ("DESKFORM_LOG_FORMAT", "json"),
        ],
    );
    let listening = if ipv6 { "[::1]:" } else { "127.0.0.1:" };
    assert!(server.address.starts_with(listening), "{}", server.address);
    let health = server.get(None, "/healthz");
    assert_eq!(health.status, 200);
    assert_eq!(health.json(), json!({"status": "ok"}));

    // --demo
    let cookie = server.sign_in("business");
    // --rate-limit 2: the sign-in was one post.
    assert_eq!(
        server.post_json(Some(&cookie), &inquiry("usage", 1)).status,
        201
    );
    let refused = server.post_json(Some(&cookie), &inquiry("usage", 2));
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert_eq!(refused.header("retry-after"), Some("30"));
    assert_eq!(
        refused.body,
        r#"{"error":"rate_limited","retry_after":30,"message":"too many requests from this client; try again in 30 seconds"}"#
    );
    // --allow-origin, twice.
    let preflight = server.send(
        "OPTIONS /api/inquiries HTTP/1.1\r\nHost: x\r\nConnection: close\r\nOrigin: https://help.example.com\r\nAccess-Control-Request-Method: POST\r\n\r\n",
        b"",
    );
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some("https://help.example.com")
    );
    // --log-format json, and the client's IPv6 address.
    let log = log_with(&server, "\"status\":429");
    assert!(log.contains(&format!("\"client\":\"{client}\"")), "{log}");

    let refused = Command::new(env!("CARGO_BIN_EXE_deskform"))
        .args(["serve", "--port", "0", "--db"])
        .arg(db.with_extension("other"))
        .env("DESKFORM_SHUTDOWN_DEADLINE", "soon")
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("--shutdown-deadline"), "{stderr}");
}

#[test]
fn inquiries_reads_the_database_serve_was_given_in_the_environment() {
    let (_dir, db) = temp_db();
    let elsewhere = tempfile::tempdir().unwrap();
    let server = Server::start(&db);
    assert_eq!(server.post_json(None, &inquiry("login", 1)).status, 201);
    assert!(server.stop().success());
    // Run where no deskform.db is: only DESKFORM_DB can name the file.
    let listed = Command::new(env!("CARGO_BIN_EXE_deskform"))
        .arg("inquiries")
        .env("DESKFORM_DB", &db)
        .current_dir(elsewhere.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&listed.stderr);
    assert!(listed.status.success(), "{stderr}");
    assert_eq!(String::from_utf8(listed.stdout).unwrap().lines().count(), 1);
}

/// One receiver per database: a second `deskform serve` on the same database exits 2 with one
/// line while the first keeps answering (two delivery workers would deliver every pending
/// inquiry twice); `deskform inquiries` works beside it; after `kill -9` of the first, the OS
/// has let go of the lock and a new one starts.
#[test]
fn a_second_receiver_on_the_same_database_is_refused_until_the_first_is_gone() {
    let (_dir, db) = temp_db();
    let first = Server::start(&db);
    let owner = first.sign_in("business");
    assert_eq!(
        first.post_json(Some(&owner), &inquiry("usage", 1)).status,
        201
    );

    let mut second = Command::new(env!("CARGO_BIN_EXE_deskform"))
        .args(["serve", "--port", "0", "--dist", "no-such-dist", "--db"])
        .arg(&db)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A second receiver that started would never exit by itself: give it ten seconds.
    let deadline = Instant::now() + Duration::from_secs(10);
    while second.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = second.kill();
            panic!("a second receiver started on the same database");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let second = second.wait_with_output().unwrap();
    assert_eq!(second.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&second.stderr),
        format!(
            "deskform: {} is in use by another deskform serve (lock file {}.lock); one receiver \
            per database\n",
            db.display(),
            db.display()
        )
    );
    assert!(second.stdout.is_empty());
    assert_eq!(first.get(None, "/healthz").status, 200);
    assert_eq!(
        first.post_json(Some(&owner), &inquiry("usage", 2)).status,
        201
    );

    let listed = Command::new(env!("CARGO_BIN_EXE_deskform"))
        .args(["inquiries", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(listed.status.success(), "{listed:?}");

    // kill -9: no chance to clean up; the lock goes with the process.
    drop(first);
    let third = Server::start(&db);
    assert_eq!(third.get(None, "/healthz").status, 200);
    assert_eq!(third.stored(), 2);
}
