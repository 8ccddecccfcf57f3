//! The database across versions: a file written by the receiver before schema versioning opens
//! in this one with its inquiries kept (and its clear-text sessions gone), and a file from a
//! newer receiver is refused rather than misread.

use deskform_server::{DeliveryState, Listed, Store};
use rusqlite::Connection;

/// The schema as the receiver created it before migrations, word for word.
const FIRST_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS sessions (
    token      TEXT PRIMARY KEY,
    plan       TEXT NOT NULL,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS inquiries (
    ticket_id       TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    owner           TEXT NOT NULL, -- the account's email; '' when sent signed out
    plan            TEXT,
    desk            TEXT NOT NULL,
    email           TEXT NOT NULL,
    name            TEXT NOT NULL,
    subject         TEXT NOT NULL,
    message         TEXT NOT NULL,
    locale          TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    due_date        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS inquiries_owner ON inquiries (owner, received_at);
";

const OLD_TOKEN: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn first_version_database(path: &std::path::Path) {
    let c = Connection::open(path).unwrap();
    c.pragma_update(None, "journal_mode", "WAL").unwrap();
    c.execute_batch(FIRST_SCHEMA).unwrap();
    c.execute(
        "INSERT INTO sessions VALUES (?1, 'business', 'Business customer', 'business.customer@example.com', '2026-11-01T09:00:00Z')",
        [OLD_TOKEN],
    )
    .unwrap();
    c.execute(
        "INSERT INTO inquiries VALUES ('DF-0000000001', 'key-1', 'business.customer@example.com', 'business', 'usage',
         'business.customer@example.com', 'Business customer', 'Export', 'How do I export?', 'en',
         '2026-11-01T09:05:00Z', '2026-11-02')",
        [],
    )
    .unwrap();
}

/// Listing only reads: an older file is neither upgraded nor changed (a receiver of its own
/// version may still be running on it), and once upgraded it lists.
#[test]
fn listing_read_only_never_upgrades_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    first_version_database(&path);
    let version = |path: &std::path::Path| -> i64 {
        Connection::open(path)
            .unwrap()
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .unwrap()
    };
    let error = Store::list_read_only(&path).unwrap_err().to_string();
    assert!(error.contains("older deskform"), "{error}");
    assert_eq!(version(&path), 0);
    drop(Store::open(&path).unwrap());
    assert!(version(&path) > 0);
    let listed = Store::list_read_only(&path).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].receipt.ticket_id, "DF-0000000001");
}

#[test]
fn a_first_version_database_keeps_its_inquiries_and_loses_its_clear_text_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    first_version_database(&path);
    let before = std::fs::read(&path).unwrap();
    assert!(before
        .windows(OLD_TOKEN.len())
        .any(|w| w == OLD_TOKEN.as_bytes()));

    let store = Store::open(&path).unwrap();
    assert_eq!(store.count().unwrap(), 1);
    let listed = store.list().unwrap();
    assert_eq!(listed.len(), 1);
    let Listed {
        receipt,
        email,
        subject,
        delivery,
        ..
    } = &listed[0];
    assert_eq!(receipt.ticket_id, "DF-0000000001");
    // Stored before there was an outbox: never sent by surprise after the upgrade.
    assert_eq!(*delivery, DeliveryState::NotForwarded);
    assert_eq!(receipt.due_date.to_string(), "2026-11-02");
    assert_eq!(
        (email.as_str(), subject.as_str()),
        ("business.customer@example.com", "Export")
    );
    let found = store
        .inquiry("DF-0000000001", "business.customer@example.com")
        .unwrap()
        .expect("the owner still finds the inquiry");
    assert_eq!(found.request.fields.message, "How do I export?");
    // Everyone signed in was signed out once: the old token is nothing now.
    assert_eq!(store.session_count().unwrap(), 0);
    drop(store);

    let c = Connection::open(&path).unwrap();
    let version: i64 = c
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, 4);
    // Sent before identity tokens: no token's `sub`.
    let sub: Option<String> = c
        .query_row(
            "SELECT token_sub FROM inquiries WHERE ticket_id = 'DF-0000000001'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(sub, None);
    let columns: Vec<String> = c
        .prepare("SELECT name FROM pragma_table_info('sessions')")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(columns.contains(&"token_hash".to_owned()), "{columns:?}");
    assert!(!columns.contains(&"token".to_owned()), "{columns:?}");
    drop(c);
    // Nor is it left in a free page of the file or its log, for someone who reads the bytes.
    for suffix in ["", "-wal"] {
        let path = format!("{}{suffix}", path.display());
        if let Ok(bytes) = std::fs::read(&path) {
            let found = bytes
                .windows(OLD_TOKEN.len())
                .any(|w| w == OLD_TOKEN.as_bytes());
            assert!(!found, "the old token is still in {path}");
        }
    }
    // Opening again is not a migration: nothing changes.
    let store = Store::open(&path).unwrap();
    assert_eq!(store.count().unwrap(), 1);
}

#[test]
fn a_database_from_a_newer_receiver_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.db");
    drop(Store::open(&path).unwrap());
    let c = Connection::open(&path).unwrap();
    c.pragma_update(None, "user_version", 99).unwrap();
    drop(c);
    let error = Store::open(&path).err().expect("refused");
    assert!(error.to_string().contains("schema"), "{error}");
}

#[test]
fn ping_answers_when_the_database_does() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("ping.db")).unwrap();
    store.ping().unwrap();
}
