//! The receiver's SQLite database: demo sessions and inquiries.
//!
//! One connection behind a mutex, used from blocking threads. WAL lets readers of the file
//! (backups, `sqlite3`) work beside the server; `synchronous = FULL` means an inquiry that was
//! answered 201 survives a power cut, not only a crash.

use std::path::Path;
use std::sync::Mutex;

use deskform_core::{Date, InquiryRequest, Receipt};
use rusqlite::{params, Connection, OptionalExtension};

pub type StoreResult<T> = Result<T, rusqlite::Error>;

const SCHEMA: &str = "
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

/// A signed-in demo session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub plan: String,
    pub name: String,
    pub email: String,
}

/// An inquiry to store: the request as checked, and what the receiver worked out.
pub struct NewInquiry<'a> {
    pub request: &'a InquiryRequest,
    /// The signed-in account's email; empty when signed out.
    pub owner: &'a str,
    pub plan: Option<&'a str>,
    pub received_at: &'a str,
    pub due_date: Date,
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

pub struct Store {
    connection: Mutex<Connection>,
}

impl Store {
    /// Opens (or creates) the database file.
    pub fn open(path: &Path) -> StoreResult<Store> {
        let connection = Connection::open(path)?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "FULL")?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        connection.execute_batch(SCHEMA)?;
        Ok(Store {
            connection: Mutex::new(connection),
        })
    }

    fn with<T>(&self, f: impl FnOnce(&mut Connection) -> StoreResult<T>) -> StoreResult<T> {
        // A panic while holding the lock cannot leave SQLite half-written (transactions roll
        // back), so a poisoned lock is still usable.
        let mut connection = self
            .connection
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut connection)
    }

    pub fn create_session(&self, token: &str, account: &Account, now: &str) -> StoreResult<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO sessions (token, plan, name, email, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![token, account.plan, account.name, account.email, now],
            )
            .map(drop)
        })
    }

    pub fn delete_session(&self, token: &str) -> StoreResult<()> {
        self.with(|c| {
            c.execute("DELETE FROM sessions WHERE token = ?1", [token])
                .map(drop)
        })
    }

    pub fn session(&self, token: &str) -> StoreResult<Option<Account>> {
        self.with(|c| {
            c.query_row(
                "SELECT plan, name, email FROM sessions WHERE token = ?1",
                [token],
                |row| {
                    Ok(Account {
                        plan: row.get(0)?,
                        name: row.get(1)?,
                        email: row.get(2)?,
                    })
                },
            )
            .optional()
        })
    }

    /// The receipt already given for `key`, if the same owner sent the same inquiry with it;
    /// a conflict if not. `None` when the key is new.
    pub fn repeated(
        &self,
        key: &str,
        owner: &str,
        request: &InquiryRequest,
    ) -> StoreResult<Option<Stored>> {
        self.with(|c| previous(c, key, owner, request))
    }

    /// Stores an inquiry in one transaction, unless its idempotency key was seen before.
    pub fn insert(
        &self,
        inquiry: &NewInquiry<'_>,
        mut new_ticket: impl FnMut() -> String,
    ) -> StoreResult<Stored> {
        self.with(|c| {
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
                "INSERT INTO inquiries (ticket_id, idempotency_key, owner, plan, desk, email, name, subject, message, locale, received_at, due_date)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
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
                ],
            )?;
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
        self.with(|c| {
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

    /// Every stored inquiry, oldest first: (receipt, owner or '', subject).
    pub fn list(&self) -> StoreResult<Vec<(Receipt, String, String)>> {
        self.with(|c| {
            let mut statement = c.prepare(
                "SELECT ticket_id, desk, received_at, due_date, email, subject FROM inquiries ORDER BY received_at, rowid",
            )?;
            let rows = statement.query_map([], |row| {
                Ok((
                    receipt(row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?),
                    row.get(4)?,
                    row.get(5)?,
                ))
            })?;
            rows.collect()
        })
    }

    /// How many inquiries are stored.
    pub fn count(&self) -> StoreResult<u64> {
        self.with(|c| {
            c.query_row("SELECT COUNT(*) FROM inquiries", [], |row| {
                row.get::<_, i64>(0).map(|n| n.unsigned_abs())
            })
        })
    }
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
) -> StoreResult<Option<Stored>> {
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
