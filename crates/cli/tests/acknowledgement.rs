//! The acknowledgement e-mail (`deskform serve --smtp-url`), with the real binary and an SMTP
//! server on loopback (see `support/smtp.rs`): sent in the customer's language once the server
//! accepts it (after a 451), and marked failed on a 550 without holding up the helpdesk.

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

fn start_acknowledging(db: &Path, smtp: &SmtpSink, extra: &[&str]) -> Server {
    let mut args = vec![
        "--smtp-url",
        smtp.url.as_str(),
        "--smtp-from",
        FROM,
        "--forward-retry-first",
        "0.05",
        "--forward-retry-max",
        "0.4",
    ];
    args.extend_from_slice(extra);
    Server::start_with(db, &args)
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

fn post_in(server: &Server, n: usize, locale: &str, email: &str) -> String {
    let mut body = inquiry("login", n);
    body["locale"] = locale.into();
    body["email"] = email.into();
    let reply = server.post_json(None, &body);
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.json()["ticket_id"].as_str().unwrap().to_owned()
}

#[test]
fn customers_are_acknowledged_in_their_language_once_the_smtp_server_accepts() {
    let smtp = SmtpSink::start();
    smtp.reply_next(&["451 4.3.0 try again later"]);
    let (_dir, db) = temp_db();
    let server = start_acknowledging(&db, &smtp, &[]);
    let ja = post_in(&server, 1, "ja", "tanaka@example.jp");
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
    let vi = post_in(&server, 2, "vi", "nguyen.an@example.com");
    let en = post_in(&server, 3, "en", "sam@example.com");
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
    let server = start_acknowledging(&db, &smtp, &["--forward-url", &helpdesk.url]);
    let ticket = post_in(&server, 1, "en", "nobody@example.com");
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
