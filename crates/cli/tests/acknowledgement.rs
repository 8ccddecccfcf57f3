//! The acknowledgement e-mail (`deskform serve --smtp-url`), with the real binary and an SMTP
//! server on loopback (see `support/smtp.rs`): sent in the customer's language once the server
//! accepts it (after a 451), and marked failed on a 550 without holding up the helpdesk; sent
//! only to an address the customer proved (an identity token's, a session's), never to the one
//! a signed-out post typed, and at most once an hour to one address.

#[path = "support/sink.rs"]
mod sink;
#[path = "support/smtp.rs"]
mod smtp;
mod support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use smtp::SmtpSink;
use support::*;

const FROM: &str = "Support <support@example.com>";

/// The HS256 secret the tests' identity tokens are signed with, in a file for `--key` and
/// `--identity-key`.
struct Secret(tempfile::NamedTempFile);

impl Secret {
    fn new() -> Secret {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), "acknowledgement-test-secret-0123456789").unwrap();
        Secret(file)
    }

    fn path(&self) -> &str {
        self.0.path().to_str().unwrap()
    }

    /// A token for a free-plan customer at `email`, as `deskform token` signs it.
    fn token(&self, email: &str) -> String {
        let output = Command::new(env!("CARGO_BIN_EXE_deskform"))
            .args([
                "token",
                "--key",
                self.path(),
                "--plan",
                "free",
                "--email",
                email,
            ])
            .env_remove("DESKFORM_IDENTITY_KEY")
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap().trim().to_owned()
    }
}

/// Posts `body` with `Authorization: Bearer token`.
fn post_with_token(server: &Server, token: &str, body: &serde_json::Value) -> Reply {
    let body = body.to_string();
    server.send(
        &format!(
            "POST /api/inquiries HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nAuthorization: Bearer {token}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        ),
        body.as_bytes(),
    )
}

/// A receiver acknowledging through `smtp`, verifying identity tokens signed with `secret`.
fn start_acknowledging(db: &Path, smtp: &SmtpSink, secret: &Secret, extra: &[&str]) -> Server {
    let mut args = vec!["--identity-key", secret.path()];
    args.extend_from_slice(&acknowledging_args(smtp));
    args.extend_from_slice(extra);
    Server::start_with(db, &args)
}

fn acknowledging_args(smtp: &SmtpSink) -> Vec<&str> {
    vec![
        "--smtp-url",
        smtp.url.as_str(),
        "--smtp-from",
        FROM,
        "--forward-retry-first",
        "0.05",
        "--forward-retry-max",
        "0.4",
    ]
}

/// (ticket, state) of each acknowledgement row.
fn acknowledgements(db: &Path) -> Vec<(String, String, u32)> {
    let c = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap();
    c.busy_timeout(Duration::from_secs(5)).unwrap();
    let mut statement = c
        .prepare("SELECT ticket_id, state, attempts FROM acknowledgements")
        .unwrap();
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    done()
}

/// The last two columns of `deskform inquiries` for `ticket`.
fn listed_states(db: &Path, ticket: &str) -> (String, String) {
    let listed = Command::new(env!("CARGO_BIN_EXE_deskform"))
        .args(["inquiries", "--db"])
        .arg(db)
        .output()
        .unwrap();
    assert!(listed.status.success(), "{listed:?}");
    let listed = String::from_utf8(listed.stdout).unwrap();
    let line = listed.lines().find(|l| l.starts_with(ticket)).unwrap();
    let columns: Vec<&str> = line.split('\t').collect();
    (columns[6].to_owned(), columns[7].to_owned())
}

/// Posts inquiry `n` in `locale` as the customer at `email`, proven by an identity token.
fn post_in(server: &Server, secret: &Secret, n: usize, locale: &str, email: &str) -> String {
    let mut body = inquiry("login", n);
    body["locale"] = locale.into();
    let reply = post_with_token(server, &secret.token(email), &body);
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.json()["ticket_id"].as_str().unwrap().to_owned()
}

#[test]
fn customers_are_acknowledged_in_their_language_once_the_smtp_server_accepts() {
    let smtp = SmtpSink::start();
    smtp.reply_next(&["451 4.3.0 try again later"]);
    let (_dir, db) = temp_db();
    let secret = Secret::new();
    let server = start_acknowledging(&db, &smtp, &secret, &[]);
    let ja = post_in(&server, &secret, 1, "ja", "tanaka@example.jp");
    assert!(
        wait_until(Duration::from_secs(20), || {
            acknowledgements(&db)
                .iter()
                .all(|(_, state, _)| state == "delivered")
        }),
        "{:?} {:?} {}",
        acknowledgements(&db),
        smtp.mails(),
        server.log()
    );
    let vi = post_in(&server, &secret, 2, "vi", "nguyen.an@example.com");
    let en = post_in(&server, &secret, 3, "en", "sam@example.com");
    assert!(wait_until(Duration::from_secs(20), || {
        let rows = acknowledgements(&db);
        rows.len() == 3 && rows.iter().all(|(_, state, _)| state == "delivered")
    }));

    // The first was refused for now (451), then accepted.
    let mails = smtp.mails();
    assert_eq!(mails.len(), 4, "{mails:?}");
    assert!(mails[0].reply.starts_with("451"));
    let accepted = smtp.accepted();
    // The body is quoted-printable; the headers are ASCII (a non-ASCII subject is encoded).
    let accepted: Vec<smtp::Mail> = accepted
        .into_iter()
        .map(|mut m| {
            let decoded =
                quoted_printable::decode(m.data.as_bytes(), quoted_printable::ParseMode::Robust)
                    .unwrap();
            m.data = String::from_utf8(decoded).unwrap();
            m
        })
        .collect();
    let find = |ticket: &str| {
        accepted
            .iter()
            .find(|m| m.data.contains(ticket))
            .unwrap_or_else(|| panic!("no e-mail for {ticket}: {accepted:?}"))
            .clone()
    };
    let mail = find(&ja);
    assert_eq!(mail.from, "support@example.com");
    assert_eq!(mail.to, ["tanaka@example.jp"]);
    assert!(
        mail.data.contains(&format!("受付番号は {ja} です")),
        "{}",
        mail.data
    );
    assert!(
        mail.data.contains("までにご回答いたします"),
        "{}",
        mail.data
    );
    assert!(
        mail.data
            .contains(&format!("Message-ID: <{ja}.acknowledgement@example.com>")),
        "{}",
        mail.data
    );
    let mail = find(&vi);
    assert!(
        mail.data.contains(&format!("mã phiếu là {vi}")),
        "{}",
        mail.data
    );
    let mail = find(&en);
    assert!(
        mail.data
            .contains(&format!("Subject: We received your inquiry ({en})")),
        "{}",
        mail.data
    );
    assert!(mail.data.contains("We will reply by "), "{}", mail.data);
    // Nothing the sender typed goes out: the form cannot mail a stranger someone's text.
    for mail in &accepted {
        assert!(
            !mail.data.contains("Question") && !mail.data.contains("SMS"),
            "{}",
            mail.data
        );
        assert!(!mail.data.contains("Nguyễn"), "{}", mail.data);
    }

    let (delivery, acknowledgement) = listed_states(&db, &ja);
    assert_eq!(delivery, "not forwarded");
    assert!(
        acknowledgement.starts_with("acknowledged at ")
            && acknowledgement.ends_with("after 2 attempts"),
        "{acknowledgement}"
    );
    // The log names tickets, never addresses.
    let log = server.log();
    assert!(
        log.lines()
            .any(|l| l.contains("acknowledgement") && l.contains(&ja)),
        "{log}"
    );
    assert!(!log.contains("tanaka@"), "{log}");
}

#[test]
fn a_refused_address_fails_the_acknowledgement_and_the_helpdesk_still_gets_the_inquiry() {
    let smtp = SmtpSink::start();
    smtp.reply_next(&["550 5.1.1 no such mailbox"]);
    let helpdesk = sink::Sink::start(None);
    let (_dir, db) = temp_db();
    let secret = Secret::new();
    let server = start_acknowledging(&db, &smtp, &secret, &["--forward-url", &helpdesk.url]);
    let ticket = post_in(&server, &secret, 1, "en", "nobody@example.com");
    assert!(wait_until(Duration::from_secs(20), || {
        acknowledgements(&db)
            .first()
            .is_some_and(|(_, state, _)| state == "failed")
            && helpdesk.acknowledged().contains_key(&ticket)
    }));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(smtp.mails().len(), 1, "a 550 is not retried");
    let (delivery, acknowledgement) = listed_states(&db, &ticket);
    assert!(delivery.starts_with("delivered at "), "{delivery}");
    assert!(
        acknowledgement.starts_with("acknowledgement failed after 1 attempt: ")
            && acknowledgement.contains("550"),
        "{acknowledgement}"
    );
}

/// Anyone can post the form signed out with anyone's address: that address is never mailed.
/// The signed-in customer's address (the session's, whatever the body says) is.
#[test]
fn a_signed_out_post_is_never_acknowledged_a_signed_in_one_is() {
    let smtp = SmtpSink::start();
    let (_dir, db) = temp_db();
    let mut args = acknowledging_args(&smtp);
    args.push("--demo");
    let server = Server::start_with(&db, &args);
    let mut body = inquiry("login", 1);
    body["email"] = "victim@example.com".into();
    let signed_out = server.post_json(None, &body);
    assert_eq!(signed_out.status, 201, "{}", signed_out.body);
    let signed_out = signed_out.json()["ticket_id"].as_str().unwrap().to_owned();
    let cookie = server.sign_in("business");
    body["idempotency_key"] = key(2).into();
    let signed_in = server.post_json(Some(&cookie), &body);
    assert_eq!(signed_in.status, 201, "{}", signed_in.body);
    let signed_in = signed_in.json()["ticket_id"].as_str().unwrap().to_owned();
    assert!(
        wait_until(Duration::from_secs(20), || {
            acknowledgements(&db)
                .iter()
                .any(|(_, state, _)| state == "delivered")
        }),
        "{:?} {}",
        acknowledgements(&db),
        server.log()
    );
    // Time for a second e-mail, were one queued.
    std::thread::sleep(Duration::from_millis(500));
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].to, ["business.customer@example.com"]);
    assert!(mails[0].data.contains(&signed_in), "{}", mails[0].data);
    assert_eq!(
        acknowledgements(&db)
            .into_iter()
            .map(|(ticket, _, _)| ticket)
            .collect::<Vec<_>>(),
        [signed_in]
    );
    assert_eq!(
        server.stored(),
        2,
        "the signed-out inquiry is stored all the same"
    );
    assert_eq!(listed_states(&db, &signed_out).1, "no acknowledgement");
}

/// A proven customer posting again and again (or whoever holds their session) gets one
/// e-mail an hour, however the address is written; another address gets its own.
#[test]
fn one_address_is_acknowledged_at_most_once_an_hour() {
    let smtp = SmtpSink::start();
    let (_dir, db) = temp_db();
    let secret = Secret::new();
    let server = start_acknowledging(&db, &smtp, &secret, &[]);
    let first = post_in(&server, &secret, 1, "en", "mai@customer.example");
    let again = post_in(&server, &secret, 2, "en", "mai@customer.example");
    let shouting = post_in(&server, &secret, 3, "en", "MAI@Customer.Example");
    let other = post_in(&server, &secret, 4, "en", "an@customer.example");
    assert!(
        wait_until(Duration::from_secs(20), || {
            let rows = acknowledgements(&db);
            rows.len() == 2 && rows.iter().all(|(_, state, _)| state == "delivered")
        }),
        "{:?} {}",
        acknowledgements(&db),
        server.log()
    );
    std::thread::sleep(Duration::from_millis(500));
    let mut acknowledged: Vec<String> = acknowledgements(&db)
        .into_iter()
        .map(|(ticket, _, _)| ticket)
        .collect();
    acknowledged.sort();
    let mut expected = vec![first, other];
    expected.sort();
    assert_eq!(acknowledged, expected);
    let mut to: Vec<Vec<String>> = smtp.mails().into_iter().map(|m| m.to).collect();
    to.sort();
    assert_eq!(
        to,
        [
            vec!["an@customer.example".to_owned()],
            vec!["mai@customer.example".to_owned()]
        ]
    );
    assert_eq!(server.stored(), 4);
    for ticket in [again, shouting] {
        assert_eq!(listed_states(&db, &ticket).1, "no acknowledgement");
    }
}

#[test]
fn smtp_settings_go_together_and_a_bad_url_stops_the_start() {
    let (_dir, db) = temp_db();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_deskform"))
            .args(["serve", "--port", "0", "--db"])
            .arg(&db)
            .args(args)
            .output()
            .unwrap()
    };
    let alone = run(&["--smtp-url", "smtp://127.0.0.1:25"]);
    assert_eq!(alone.status.code(), Some(2));
    let bad = run(&["--smtp-url", "gopher://x", "--smtp-from", FROM]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("--smtp-url"),
        "{bad:?}"
    );
    let bad_from = run(&[
        "--smtp-url",
        "smtp://127.0.0.1:25",
        "--smtp-from",
        "not a mailbox",
    ]);
    assert_eq!(bad_from.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad_from.stderr).contains("--smtp-from"),
        "{bad_from:?}"
    );
}
