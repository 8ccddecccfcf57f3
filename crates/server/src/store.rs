//! The receiver's SQLite database: sessions and inquiries.
//!
//! One writer connection behind a mutex, and a few read-only connections in a pool beside it:
//! with WAL, a read (a session lookup, an inquiry, the list) sees the last committed state and
//! never waits for a write in progress. `synchronous = FULL` means an inquiry that was answered
//! 201 survives a power cut, not only a crash. The schema is versioned (`PRAGMA user_version`,
//! by `rusqlite_migration`): a database from an older receiver is upgraded when opened, and one
//! from a newer receiver is refused.

use std::path::Path;
use std::sync::{Mutex, TryLockError};
use std::time::Duration;

use deskform_core::{Date, InquiryRequest, Receipt};
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use rusqlite_migration::{Migrations, M};

use crate::outbox::Channel;

/// Why the database could not be opened or used.
#[derive(Debug)]
pub enum StoreError {
    Sqlite(rusqlite::Error),
    Migration(rusqlite_migration::Error),
    /// No read connection could be had (opening one failed, or all stayed busy too long).
    Readers(r2d2::Error),
    /// Read only, the file's schema is older than this deskform's: it is upgraded by the
    /// receiver, not by a command that only reads.
    NeedsUpgrade,
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Sqlite(e) => e.fmt(f),
            StoreError::Migration(e) => write!(f, "cannot upgrade the schema: {e}"),
            StoreError::Readers(e) => write!(f, "no read connection: {e}"),
            StoreError::NeedsUpgrade => f.write_str(
                "it was written by an older deskform; `deskform serve` upgrades it when it opens it",
            ),
        }
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StoreError::Sqlite(e) => Some(e),
            StoreError::Migration(e) => Some(e),
            StoreError::Readers(e) => Some(e),
            StoreError::NeedsUpgrade => None,
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError::Sqlite(e)
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The schema, one migration per version; never edit a released one, add the next.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        // 1: the schema before versioning, as it was (hence `IF NOT EXISTS`: databases created
        // then have it already, at user_version 0).
        M::up(
            "
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
",
        ),
        // 2: sessions keyed by a hash of the token, with the times their limits are counted from.
        // Version 1 kept tokens in clear text; they are dropped, not hashed, so that no token ever
        // read from an old file stays valid: everyone signed in is signed out once.
        M::up(
            "
DROP TABLE sessions;
CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY, -- SHA-256 of the cookie's token; the token is never stored
    plan       TEXT NOT NULL,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL,
    created_at INTEGER NOT NULL, -- Unix seconds
    last_seen  INTEGER NOT NULL  -- Unix seconds, updated at most once a minute
) WITHOUT ROWID;
",
        ),
        // 3: the `sub` of the identity token an inquiry was sent with (the customer's id in the
        // team's system); NULL when sent without one.
        M::up("ALTER TABLE inquiries ADD COLUMN token_sub TEXT;"),
        // 4: the outboxes, one row per inquiry stored while the channel was on, written in the
        // inquiry's own transaction: deliveries to the team's helpdesk (`--forward-url`), and
        // acknowledgement e-mails to the customer (`--smtp-url`), of the same shape.
        M::up(
            "
CREATE TABLE deliveries (
    ticket_id       TEXT PRIMARY KEY REFERENCES inquiries (ticket_id),
    state           TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    queued_at       INTEGER NOT NULL, -- Unix milliseconds, when the inquiry was stored
    retrying_since  INTEGER NOT NULL, -- Unix milliseconds: queued, or the last `redeliver`
    next_attempt_at INTEGER NOT NULL, -- Unix milliseconds; meaningful while pending
    last_error      TEXT,             -- why the last attempt failed; the reason when failed
    delivered_at    INTEGER           -- Unix milliseconds, when the helpdesk answered 2xx
) WITHOUT ROWID;
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);
CREATE TABLE acknowledgements (
    ticket_id       TEXT PRIMARY KEY REFERENCES inquiries (ticket_id),
    state           TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    queued_at       INTEGER NOT NULL,
    retrying_since  INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    delivered_at    INTEGER           -- Unix milliseconds, when the SMTP server accepted it
) WITHOUT ROWID;
CREATE INDEX acknowledgements_due ON acknowledgements (state, next_attempt_at);
",
        ),
    ])
}

/// How many read connections: reads are short, so a few serve many requests.
const READERS: u32 = 4;

/// How long a statement waits for a lock held by another process (a backup, `sqlite3`).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A signed-in account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub plan: String,
    pub name: String,
    pub email: String,
}

/// A stored session: its account and the times its limits are counted from (Unix seconds).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRow {
    pub account: Account,
    pub created_at: i64,
    pub last_seen: i64,
}

/// When sessions expire: a session last seen at or before `seen_by`, or created at or before
/// `created_by` (Unix seconds), is over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expiry {
    pub seen_by: i64,
    pub created_by: i64,
}

/// The least time between two acknowledgement e-mails to one address (Unix milliseconds).
const ACKNOWLEDGEMENT_INTERVAL_MS: i64 = 60 * 60 * 1000;

/// An inquiry to store: the request as checked, and what the receiver worked out.
pub struct NewInquiry<'a> {
    pub request: &'a InquiryRequest,
    /// The signed-in account's email; empty when signed out.
    pub owner: &'a str,
    pub plan: Option<&'a str>,
    /// The identity token's `sub`, when the inquiry came with one.
    pub token_sub: Option<&'a str>,
    pub received_at: &'a str,
    pub due_date: Date,
    /// When forwarding is on: now, in Unix milliseconds, and the inquiry goes into the outbox
    /// in the same transaction. `None` stores it alone: it is never sent later by surprise.
    pub forward_from: Option<i64>,
    /// The same for the acknowledgement e-mail (`--smtp-url`), for an address the customer
    /// proved (never a signed-out post's); skipped when the address was acknowledged within
    /// the last hour.
    pub acknowledge_from: Option<i64>,
}

/// What storing an inquiry came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Stored {
    /// A new row: answer 201.
    Created(Receipt),
    /// The key was seen before, with the same inquiry from the same owner: answer 200.
    Repeated(Receipt),
    /// The key was seen before with another inquiry or owner: answer 409.
    KeyConflict,
}

/// A stored inquiry, for its owner.
pub struct StoredInquiry {
    pub receipt: Receipt,
    pub request: InquiryRequest,
}

/// The database: one writer, a few readers.
pub struct Store {
    writer: Mutex<Connection>,
    readers: r2d2::Pool<SqliteConnectionManager>,
}

impl Store {
    /// Opens (or creates) the database file and brings its schema to this version.
    pub fn open(path: &Path) -> StoreResult<Store> {
        let mut writer = Connection::open(path)?;
        writer.pragma_update(None, "journal_mode", "WAL")?;
        writer.pragma_update(None, "synchronous", "FULL")?;
        writer.busy_timeout(BUSY_TIMEOUT)?;
        // Deleted rows are overwritten, not left in free pages: the clear-text tokens of a
        // first-version file when migration 2 drops them, and ended sessions' accounts.
        writer.pragma_update(None, "secure_delete", "ON")?;
        let migrations = migrations();
        let pending = migrations
            .pending_migrations(&writer)
            .map_err(StoreError::Migration)?;
        migrations
            .to_latest(&mut writer)
            .map_err(StoreError::Migration)?;
        if pending > 0 {
            // Into the file now, and the log emptied: what a migration deleted is gone from
            // both, not only from the log's newest pages.
            writer.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        // Opened after the writer, so the file, its schema and its WAL index are there.
        let readers = SqliteConnectionManager::file(path)
            .with_flags(
                OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_URI
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .with_init(|c| c.busy_timeout(BUSY_TIMEOUT));
        let readers = r2d2::Pool::builder()
            .max_size(READERS)
            .connection_timeout(BUSY_TIMEOUT)
            .build(readers)
            .map_err(StoreError::Readers)?;
        Ok(Store {
            writer: Mutex::new(writer),
            readers,
        })
    }

    pub(crate) fn write<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
    ) -> StoreResult<T> {
        // A panic while holding the lock cannot leave SQLite half-written (transactions roll
        // back), so a poisoned lock is still usable.
        let mut connection = self
            .writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Ok(f(&mut connection)?)
    }

    pub(crate) fn read<T>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> StoreResult<T> {
        let connection = self.readers.get().map_err(StoreError::Readers)?;
        Ok(f(&connection)?)
    }

    /// Whether the database answers: a cheap query on a read connection, and the writer can
    /// take the write lock within a second (a file that another process holds locked, or a
    /// disk that refuses writes, still answers reads but would store nothing). The write check
    /// is skipped while the writer is busy: a write in progress shows it works.
    pub fn ping(&self) -> StoreResult<()> {
        self.read(|c| {
            c.query_row("SELECT COUNT(*) FROM sqlite_schema", [], |row| {
                row.get::<_, i64>(0)
            })
            .map(drop)
        })?;
        let writer = match self.writer.try_lock() {
            Ok(writer) => writer,
            Err(std::sync::TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return Ok(()),
        };
        writer.busy_timeout(PING_TIMEOUT)?;
        let checked = writer.execute_batch("BEGIN IMMEDIATE; ROLLBACK;");
        writer.busy_timeout(BUSY_TIMEOUT)?;
        Ok(checked?)
    }

    /// Stores a new session and, in the same transaction, deletes the session it replaces (a
    /// sign-in always rotates the token) and every expired one.
    pub fn create_session(
        &self,
        token_hash: &[u8],
        replaces: Option<&[u8]>,
        account: &Account,
        now: i64,
        expiry: Expiry,
    ) -> StoreResult<()> {
        self.write(|c| {
            let tx = c.transaction()?;
            if let Some(old) = replaces {
                tx.execute("DELETE FROM sessions WHERE token_hash = ?1", [old])?;
            }
            delete_expired(&tx, expiry)?;
            tx.execute(
                "INSERT INTO sessions (token_hash, plan, name, email, created_at, last_seen)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                params![token_hash, account.plan, account.name, account.email, now],
            )?;
            tx.commit()
        })
    }

    /// The session stored under `token_hash`, expired or not.
    pub fn session(&self, token_hash: &[u8]) -> StoreResult<Option<SessionRow>> {
        self.read(|c| {
            c.query_row(
                "SELECT plan, name, email, created_at, last_seen FROM sessions WHERE token_hash = ?1",
                [token_hash],
                |row| {
                    Ok(SessionRow {
                        account: Account {
                            plan: row.get(0)?,
                            name: row.get(1)?,
                            email: row.get(2)?,
                        },
                        created_at: row.get(3)?,
                        last_seen: row.get(4)?,
                    })
                },
            )
            .optional()
        })
    }

    /// Records that a session was used at `now`, unless the writer is busy: then it is left
    /// for a later request (it is due again on every one), so a session lookup never waits for
    /// an inquiry being stored. Whether it was recorded.
    pub fn touch_session(&self, token_hash: &[u8], now: i64) -> StoreResult<bool> {
        let connection = match self.writer.try_lock() {
            Ok(connection) => connection,
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(TryLockError::WouldBlock) => return Ok(false),
        };
        connection.execute(
            "UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1 AND last_seen < ?2",
            params![token_hash, now],
        )?;
        Ok(true)
    }

    pub fn delete_session(&self, token_hash: &[u8]) -> StoreResult<()> {
        self.write(|c| {
            c.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])
                .map(drop)
        })
    }

    /// How many sessions are stored, expired or not.
    pub fn session_count(&self) -> StoreResult<u64> {
        self.read(|c| count(c, "sessions"))
    }

    /// The receipt already given for `key`, if the same owner sent the same inquiry with it;
    /// a conflict if not. `None` when the key is new.
    pub fn repeated(
        &self,
        key: &str,
        owner: &str,
        request: &InquiryRequest,
    ) -> StoreResult<Option<Stored>> {
        self.read(|c| previous(c, key, owner, request))
    }

    /// Stores an inquiry in one transaction, unless its idempotency key was seen before.
    pub fn insert(
        &self,
        inquiry: &NewInquiry<'_>,
        mut new_ticket: impl FnMut() -> String,
    ) -> StoreResult<Stored> {
        self.write(|c| {
            let tx = c.transaction()?;
            let request = inquiry.request;
            // Checked again inside the transaction: two copies of a request can race here.
            if let Some(previous) = previous(&tx, &request.idempotency_key, inquiry.owner, request)? {
                return Ok(previous);
            }
            let ticket_id = loop {
                let ticket_id = new_ticket();
                let taken: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM inquiries WHERE ticket_id = ?1)",
                    [&ticket_id],
                    |row| row.get(0),
                )?;
                if !taken {
                    break ticket_id;
                }
            };
            let fields = &request.fields;
            tx.execute(
                "INSERT INTO inquiries (ticket_id, idempotency_key, owner, plan, desk, email, name, subject, message, locale, received_at, due_date, token_sub)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                params![
                    ticket_id,
                    request.idempotency_key,
                    inquiry.owner,
                    inquiry.plan,
                    request.desk,
                    fields.email,
                    fields.name,
                    fields.subject,
                    fields.message,
                    request.locale,
                    inquiry.received_at,
                    inquiry.due_date.to_string(),
                    inquiry.token_sub,
                ],
            )?;
            if let Some(now) = inquiry.forward_from {
                crate::outbox::queue(&tx, Channel::Helpdesk, &ticket_id, now)?;
            }
            if let Some(now) = inquiry.acknowledge_from {
                // At most one an hour to an address, whatever proved it: a signed-in customer
                // (or a stolen session) posting in a loop does not flood a mailbox.
                let recent: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM acknowledgements a JOIN inquiries i USING (ticket_id)
                     WHERE a.queued_at > ?1 AND lower(trim(i.email)) = lower(?2))",
                    params![now - ACKNOWLEDGEMENT_INTERVAL_MS, fields.email.trim()],
                    |row| row.get(0),
                )?;
                if !recent {
                    crate::outbox::queue(&tx, Channel::Acknowledgement, &ticket_id, now)?;
                }
            }
            tx.commit()?;
            Ok(Stored::Created(Receipt {
                ticket_id,
                desk: request.desk.clone(),
                received_at: inquiry.received_at.to_owned(),
                due_date: inquiry.due_date,
            }))
        })
    }

    /// An inquiry, if `owner` sent it.
    pub fn inquiry(&self, ticket_id: &str, owner: &str) -> StoreResult<Option<StoredInquiry>> {
        self.read(|c| {
            c.query_row(
                "SELECT ticket_id, desk, received_at, due_date, email, name, subject, message, locale, idempotency_key
                 FROM inquiries WHERE ticket_id = ?1 AND owner = ?2 AND owner <> ''",
                [ticket_id, owner],
                |row| {
                    let mut request = InquiryRequest {
                        desk: row.get(1)?,
                        locale: row.get(8)?,
                        idempotency_key: row.get(9)?,
                        ..Default::default()
                    };
                    request.fields.email = row.get(4)?;
                    request.fields.name = row.get(5)?;
                    request.fields.subject = row.get(6)?;
                    request.fields.message = row.get(7)?;
                    Ok(StoredInquiry {
                        receipt: receipt(row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?),
                        request,
                    })
                },
            )
            .optional()
        })
    }

    /// Every stored inquiry, oldest first.
    pub fn list(&self) -> StoreResult<Vec<Listed>> {
        self.read(list)
    }

    /// [`Store::list`] of a file opened read-only, without upgrading or changing it: for
    /// `deskform inquiries`, which may run beside a receiver (of this version or an older one)
    /// using the same file.
    pub fn list_read_only(path: &Path) -> StoreResult<Vec<Listed>> {
        let c = open_current(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        Ok(list(&c)?)
    }

    /// How many inquiries are stored.
    pub fn count(&self) -> StoreResult<u64> {
        self.read(|c| count(c, "inquiries"))
    }
}

/// How long [`Store::ping`] waits for the write lock.
const PING_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(1);

/// A connection to an existing file whose schema is this version's, opened without upgrading
/// it: for the commands that run beside a receiver (`inquiries`, `redeliver`).
pub(crate) fn open_current(path: &Path, access: OpenFlags) -> StoreResult<Connection> {
    let c = Connection::open_with_flags(
        path,
        access | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    c.busy_timeout(BUSY_TIMEOUT)?;
    // A newer file is refused by `pending_migrations` itself.
    if migrations()
        .pending_migrations(&c)
        .map_err(StoreError::Migration)?
        > 0
    {
        return Err(StoreError::NeedsUpgrade);
    }
    Ok(c)
}

/// An inquiry as `deskform inquiries` lists it.
#[derive(Debug)]
pub struct Listed {
    pub receipt: Receipt,
    /// The email the customer gave (their account's when signed in).
    pub email: String,
    pub subject: String,
    /// Its delivery to the team's helpdesk.
    pub delivery: crate::outbox::DeliveryState,
    /// Its acknowledgement e-mail to the customer.
    pub acknowledgement: crate::outbox::AcknowledgementState,
}

fn list(c: &Connection) -> rusqlite::Result<Vec<Listed>> {
    let mut statement = c.prepare(&format!(
        "SELECT i.ticket_id, i.desk, i.received_at, i.due_date, i.email, i.subject, {}, {}
         FROM inquiries i LEFT JOIN deliveries d USING (ticket_id)
              LEFT JOIN acknowledgements a USING (ticket_id)
         ORDER BY i.received_at, i.rowid",
        crate::outbox::state_columns("d"),
        crate::outbox::state_columns("a"),
    ))?;
    let rows = statement.query_map([], |row| {
        Ok(Listed {
            receipt: receipt(row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?),
            email: row.get(4)?,
            subject: row.get(5)?,
            delivery: crate::outbox::state_from(row, 6)?,
            acknowledgement: crate::outbox::AcknowledgementState(crate::outbox::state_from(
                row, 11,
            )?),
        })
    })?;
    rows.collect()
}

fn count(c: &Connection, table: &str) -> rusqlite::Result<u64> {
    c.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| {
        row.get::<_, i64>(0).map(|n| n.unsigned_abs())
    })
}

fn delete_expired(c: &Connection, expiry: Expiry) -> rusqlite::Result<usize> {
    c.execute(
        "DELETE FROM sessions WHERE last_seen <= ?1 OR created_at <= ?2",
        [expiry.seen_by, expiry.created_by],
    )
}

fn receipt(ticket_id: String, desk: String, received_at: String, due_date: String) -> Receipt {
    Receipt {
        ticket_id,
        desk,
        received_at,
        // Written by `insert` as YYYY-MM-DD.
        due_date: due_date.parse().unwrap_or(Date::MIN),
    }
}

fn previous(
    c: &Connection,
    key: &str,
    owner: &str,
    request: &InquiryRequest,
) -> rusqlite::Result<Option<Stored>> {
    c.query_row(
        "SELECT ticket_id, desk, received_at, due_date,
                owner = ?2 AND desk = ?3 AND email = ?4 AND name = ?5 AND subject = ?6 AND message = ?7 AND locale = ?8
         FROM inquiries WHERE idempotency_key = ?1",
        params![
            key,
            owner,
            request.desk,
            request.fields.email,
            request.fields.name,
            request.fields.subject,
            request.fields.message,
            request.locale
        ],
        |row| {
            let same: bool = row.get(4)?;
            Ok(if same {
                Stored::Repeated(receipt(row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            } else {
                Stored::KeyConflict
            })
        },
    )
    .optional()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn the_migrations_are_valid() {
        migrations().validate().unwrap();
    }

    #[test]
    fn a_read_does_not_wait_for_a_write_in_progress() {
        let dir = tempfile::tempdir().unwrap();
        let store = std::sync::Arc::new(Store::open(&dir.path().join("t.db")).unwrap());
        let (started, wait_started) = mpsc::channel();
        let (finish, wait_finish) = mpsc::channel::<()>();
        let writer = {
            let store = store.clone();
            std::thread::spawn(move || {
                store.write(|c| {
                    let tx = c.transaction()?;
                    tx.execute(
                        "INSERT INTO inquiries VALUES ('DF-1', 'k', '', NULL, 'usage', 'a@example.com', 'A', 'S', 'M', 'en', '2026-11-28T10:00:00Z', '2026-11-30', NULL)",
                        [],
                    )?;
                    started.send(()).unwrap();
                    // The write stays open, holding the writer, until the read below is done.
                    wait_finish.recv().unwrap();
                    tx.commit()
                })
            })
        };
        wait_started.recv().unwrap();
        let (read, wait_read) = mpsc::channel();
        {
            let store = store.clone();
            std::thread::spawn(move || {
                read.send((
                    store.count().unwrap(),
                    store.session(b"x").unwrap(),
                    // A session's last use is not worth waiting for.
                    store.touch_session(b"x", 1).unwrap(),
                ))
                .unwrap()
            });
        }
        // Were reads queued behind the writer this would time out (the writer waits for us).
        let seen = wait_read.recv_timeout(std::time::Duration::from_secs(10));
        finish.send(()).unwrap();
        writer.join().unwrap().unwrap();
        assert_eq!(
            seen.expect("the read waited for the write"),
            (0, None, false),
            "a read sees the last committed state"
        );
        assert_eq!(store.count().unwrap(), 1);
    }
}
