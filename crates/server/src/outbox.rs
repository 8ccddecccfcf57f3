//! The outbox: where each inquiry's delivery to the team's helpdesk stands (`--forward-url`).
//!
//! A row is queued in the inquiry's own transaction (see `Store::insert`), and stays pending
//! until the helpdesk answered 2xx: a restart or a `kill -9` loses nothing, and re-sends only
//! what was not acknowledged. Inquiries stored while forwarding was off get no row, so turning
//! it on later does not send them by surprise; `deskform redeliver` queues one on purpose.

use std::fmt;
use std::path::Path;

use chrono::{DateTime, SecondsFormat};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Row, Transaction};

use crate::store::{open_current, Store, StoreResult};

/// Where an outbox sends: each has a table of the same shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Channel {
    /// The team's helpdesk (`--forward-url`).
    Helpdesk,
    /// The acknowledgement e-mail to the customer (`--smtp-url`).
    Acknowledgement,
}

impl Channel {
    pub(crate) fn table(self) -> &'static str {
        match self {
            Channel::Helpdesk => "deliveries",
            Channel::Acknowledgement => "acknowledgements",
        }
    }
}

/// Where an inquiry's delivery stands, as `deskform inquiries` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeliveryState {
    /// Stored while forwarding was off: never sent unless `deskform redeliver` asks.
    NotForwarded,
    /// Not acknowledged yet: sent when `next_attempt_at` (Unix milliseconds) comes.
    Pending {
        attempts: u32,
        next_attempt_at: i64,
        last_error: Option<String>,
    },
    /// The helpdesk answered 2xx at `at` (Unix milliseconds).
    Delivered { attempts: u32, at: i64 },
    /// Refused (a 4xx other than 408 and 429), or retried past the give-up age.
    Failed { attempts: u32, reason: String },
}

impl fmt::Display for DeliveryState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeliveryState::NotForwarded => f.write_str("not forwarded"),
            DeliveryState::Pending {
                attempts: 0,
                next_attempt_at,
                ..
            } => write!(f, "pending, first attempt at {}", time(*next_attempt_at)),
            DeliveryState::Pending {
                attempts,
                next_attempt_at,
                last_error,
            } => write!(
                f,
                "pending after {}, next at {}: {}",
                count_attempts(*attempts),
                time(*next_attempt_at),
                one_line(last_error.as_deref().unwrap_or("no error recorded"))
            ),
            DeliveryState::Delivered { attempts, at } => write!(
                f,
                "delivered at {} after {}",
                time(*at),
                count_attempts(*attempts)
            ),
            DeliveryState::Failed { attempts, reason } => write!(
                f,
                "failed after {}: {}",
                count_attempts(*attempts),
                one_line(reason)
            ),
        }
    }
}

/// An acknowledgement's state, as the last column of `deskform inquiries` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcknowledgementState(pub DeliveryState);

impl fmt::Display for AcknowledgementState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            DeliveryState::NotForwarded => f.write_str("no acknowledgement"),
            DeliveryState::Delivered { attempts, at } => write!(
                f,
                "acknowledged at {} after {}",
                time(*at),
                count_attempts(*attempts)
            ),
            state => write!(f, "acknowledgement {state}"),
        }
    }
}

fn count_attempts(n: u32) -> String {
    format!("{n} attempt{}", if n == 1 { "" } else { "s" })
}

/// An RFC 3339 time in UTC with milliseconds.
fn time(unix_ms: i64) -> String {
    DateTime::from_timestamp_millis(unix_ms).map_or_else(
        || unix_ms.to_string(),
        |t| t.to_rfc3339_opts(SecondsFormat::Millis, true),
    )
}

/// A reason on one line with no tabs, whatever the helpdesk answered.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The columns [`state_from`] reads, of an outbox table named `alias` (LEFT JOINed: all NULL
/// when the inquiry has no row).
pub(crate) fn state_columns(alias: &str) -> String {
    format!("{alias}.state, {alias}.attempts, {alias}.next_attempt_at, {alias}.last_error, {alias}.delivered_at")
}

/// The delivery state in [`state_columns`], starting at column `first`.
pub(crate) fn state_from(row: &Row<'_>, first: usize) -> rusqlite::Result<DeliveryState> {
    let state: Option<String> = row.get(first)?;
    let attempts = || row.get::<_, u32>(first + 1);
    Ok(match state.as_deref() {
        None => DeliveryState::NotForwarded,
        Some("delivered") => DeliveryState::Delivered {
            attempts: attempts()?,
            at: row.get(first + 4)?,
        },
        Some("failed") => DeliveryState::Failed {
            attempts: attempts()?,
            reason: row.get::<_, Option<String>>(first + 3)?.unwrap_or_default(),
        },
        Some(_) => DeliveryState::Pending {
            attempts: attempts()?,
            next_attempt_at: row.get(first + 2)?,
            last_error: row.get(first + 3)?,
        },
    })
}

/// Queues a stored inquiry on `channel` now (inside the transaction that stores it).
pub(crate) fn queue(
    tx: &Transaction<'_>,
    channel: Channel,
    ticket_id: &str,
    now: i64,
) -> rusqlite::Result<()> {
    tx.execute(
        &format!(
            "INSERT INTO {} (ticket_id, state, queued_at, retrying_since, next_attempt_at)
             VALUES (?1, 'pending', ?2, ?2, ?2)",
            channel.table()
        ),
        params![ticket_id, now],
    )
    .map(drop)
}

/// An inquiry as it is POSTed to the helpdesk, in this order.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Forwarded {
    pub ticket_id: String,
    pub desk: String,
    /// `YYYY-MM-DD`, in the desk's time zone.
    pub due_date: String,
    /// RFC 3339, UTC.
    pub received_at: String,
    pub email: String,
    pub name: String,
    /// The signed-in account's plan; `null` when sent signed out.
    pub plan: Option<String>,
    /// The customer's id in the team's own system: the verified identity token's `sub`;
    /// `null` when the inquiry came without a token.
    pub customer_id: Option<String>,
    pub subject: String,
    pub message: String,
    pub locale: String,
}

/// A delivery whose time has come.
#[derive(Clone, Debug)]
pub(crate) struct Due {
    pub attempts: u32,
    /// When this round of retries started (Unix milliseconds): the give-up age counts from it.
    pub retrying_since: i64,
    pub inquiry: Forwarded,
}

/// What one attempt came to, to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Recorded {
    /// 2xx at this time (Unix milliseconds).
    Delivered { at: i64 },
    /// Not acknowledged: try again at this time.
    Retry { at: i64, error: String },
    /// Not acknowledged, and not to be tried again.
    Failed { reason: String },
}

/// What [`Store::record`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Record {
    Written,
    /// Left alone: redelivered during the attempt.
    Superseded,
}

impl Store {
    /// The pending deliveries on `channel` due by `now`, the longest-waiting first, at most
    /// `limit`.
    pub(crate) fn due(&self, channel: Channel, now: i64, limit: usize) -> StoreResult<Vec<Due>> {
        self.read(|c| {
            let mut statement = c.prepare_cached(&format!(
                "SELECT d.attempts, d.retrying_since, i.ticket_id, i.desk, i.due_date,
                        i.received_at, i.email, i.name, i.plan, i.subject, i.message, i.locale,
                        i.token_sub
                 FROM {} d JOIN inquiries i USING (ticket_id)
                 WHERE d.state = 'pending' AND d.next_attempt_at <= ?1
                 ORDER BY d.next_attempt_at LIMIT ?2",
                channel.table()
            ))?;
            let rows = statement.query_map(params![now, limit as i64], |row| {
                Ok(Due {
                    attempts: row.get(0)?,
                    retrying_since: row.get(1)?,
                    inquiry: Forwarded {
                        ticket_id: row.get(2)?,
                        desk: row.get(3)?,
                        due_date: row.get(4)?,
                        received_at: row.get(5)?,
                        email: row.get(6)?,
                        name: row.get(7)?,
                        plan: row.get(8)?,
                        subject: row.get(9)?,
                        message: row.get(10)?,
                        locale: row.get(11)?,
                        customer_id: row.get(12)?,
                    },
                })
            })?;
            rows.collect()
        })
    }

    /// When the next pending delivery on `channel` after `now` is due (Unix milliseconds).
    pub(crate) fn next_due_after(&self, channel: Channel, now: i64) -> StoreResult<Option<i64>> {
        self.read(|c| {
            c.query_row(
                &format!(
                    "SELECT MIN(next_attempt_at) FROM {}
                     WHERE state = 'pending' AND next_attempt_at > ?1",
                    channel.table()
                ),
                [now],
                |row| row.get(0),
            )
        })
    }

    /// Records one attempt's outcome, made on the row as [`Store::due`] read it with
    /// `retrying_since`. A retry or a failure is not recorded over a `deskform redeliver` made
    /// during the attempt (the row's fresh state stands); a 2xx is (the helpdesk has it).
    pub(crate) fn record(
        &self,
        channel: Channel,
        ticket_id: &str,
        retrying_since: i64,
        outcome: &Recorded,
    ) -> StoreResult<Record> {
        let table = channel.table();
        let changed = self.write(|c| match outcome {
            Recorded::Delivered { at } => c.execute(
                &format!(
                    "UPDATE {table} SET state = 'delivered', attempts = attempts + 1,
                                delivered_at = ?2, last_error = NULL
                         WHERE ticket_id = ?1"
                ),
                params![ticket_id, at],
            ),
            Recorded::Retry { at, error } => c.execute(
                &format!(
                    "UPDATE {table} SET attempts = attempts + 1, next_attempt_at = ?2,
                                last_error = ?3
                         WHERE ticket_id = ?1 AND retrying_since = ?4"
                ),
                params![ticket_id, at, error, retrying_since],
            ),
            Recorded::Failed { reason } => c.execute(
                &format!(
                    "UPDATE {table} SET state = 'failed', attempts = attempts + 1,
                                last_error = ?2
                         WHERE ticket_id = ?1 AND retrying_since = ?3"
                ),
                params![ticket_id, reason, retrying_since],
            ),
        })?;
        Ok(if changed == 0 {
            Record::Superseded
        } else {
            Record::Written
        })
    }
}

fn delivery(c: &Connection, ticket_id: &str) -> rusqlite::Result<Option<DeliveryState>> {
    c.query_row(
        &format!(
            "SELECT {} FROM inquiries i LEFT JOIN deliveries d USING (ticket_id)
             WHERE i.ticket_id = ?1",
            state_columns("d")
        ),
        [ticket_id],
        |row| state_from(row, 0),
    )
    .optional()
}

/// What `deskform redeliver` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Redelivered {
    /// Queued to be sent now; what it was before.
    Queued(DeliveryState),
    /// Nothing done: the helpdesk acknowledged it already.
    AlreadyDelivered(DeliveryState),
    NoSuchInquiry,
}

/// Queues an inquiry to be sent again now: a failed or pending one, or one stored while
/// forwarding was off. A running receiver picks it up at its next look at the outbox (within
/// [`crate::delivery::POLL_INTERVAL`]); the file is written directly, SQLite does the locking.
pub fn redeliver(db: &Path, ticket_id: &str, now: i64) -> StoreResult<Redelivered> {
    let mut c = open_current(db, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let Some(before) = delivery(&tx, ticket_id)? else {
        return Ok(Redelivered::NoSuchInquiry);
    };
    match before {
        DeliveryState::Delivered { .. } => return Ok(Redelivered::AlreadyDelivered(before)),
        DeliveryState::NotForwarded => queue(&tx, Channel::Helpdesk, ticket_id, now)?,
        DeliveryState::Pending { .. } | DeliveryState::Failed { .. } => {
            tx.execute(
                "UPDATE deliveries SET state = 'pending', retrying_since = ?2, next_attempt_at = ?2
                 WHERE ticket_id = ?1",
                params![ticket_id, now],
            )?;
        }
    }
    tx.commit()?;
    Ok(Redelivered::Queued(before))
}

/// Queues every failed delivery to be sent again now (`deskform redeliver --failed`), in one
/// transaction; each one's ticket and what it was before, the first stored first.
pub fn redeliver_failed(db: &Path, now: i64) -> StoreResult<Vec<(String, DeliveryState)>> {
    let mut c = open_current(db, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let failed = tx
        .prepare(&format!(
            "SELECT d.ticket_id, {} FROM deliveries d WHERE d.state = 'failed'
             ORDER BY d.queued_at, d.ticket_id",
            state_columns("d")
        ))?
        .query_map([], |row| Ok((row.get(0)?, state_from(row, 1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    tx.execute(
        "UPDATE deliveries SET state = 'pending', retrying_since = ?1, next_attempt_at = ?1
         WHERE state = 'failed'",
        [now],
    )?;
    tx.commit()?;
    Ok(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store holding inquiry DF-1, queued for the helpdesk at `queued_at`.
    fn store_with_one_queued(dir: &Path, queued_at: i64) -> Store {
        let store = Store::open(&dir.join("t.db")).unwrap();
        store
            .write(|c| {
                let tx = c.transaction()?;
                tx.execute(
                    "INSERT INTO inquiries VALUES ('DF-1', 'k', '', NULL, 'usage', 'a@example.com', 'A', 'S', 'M', 'en', '2026-11-28T10:00:00Z', '2026-11-30', NULL)",
                    [],
                )?;
                queue(&tx, Channel::Helpdesk, "DF-1", queued_at)?;
                tx.commit()
            })
            .unwrap();
        store
    }

    fn state(store: &Store) -> DeliveryState {
        store.read(|c| delivery(c, "DF-1")).unwrap().unwrap()
    }

    #[test]
    fn an_outcome_is_not_recorded_over_a_redeliver_made_during_the_attempt() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_one_queued(dir.path(), 1_000);
        let due = store.due(Channel::Helpdesk, 1_000, 10).unwrap();
        assert_eq!(due.len(), 1);
        let since = due[0].retrying_since;
        assert_eq!(since, 1_000);

        // While the attempt is in flight, the operator redelivers it.
        let queued = redeliver(&dir.path().join("t.db"), "DF-1", 2_000).unwrap();
        assert!(matches!(queued, Redelivered::Queued(_)), "{queued:?}");
        // The attempt's refusal, or its retry, does not undo that.
        let failed = Recorded::Failed {
            reason: "HTTP 404 Not Found".into(),
        };
        assert_eq!(
            store
                .record(Channel::Helpdesk, "DF-1", since, &failed)
                .unwrap(),
            Record::Superseded
        );
        let retry = Recorded::Retry {
            at: 60_000,
            error: "HTTP 503".into(),
        };
        assert_eq!(
            store
                .record(Channel::Helpdesk, "DF-1", since, &retry)
                .unwrap(),
            Record::Superseded
        );
        let fresh = DeliveryState::Pending {
            attempts: 0,
            next_attempt_at: 2_000,
            last_error: None,
        };
        assert_eq!(state(&store), fresh);

        // The next attempt, on the row as redelivered, is recorded.
        let due = store.due(Channel::Helpdesk, 2_000, 10).unwrap();
        assert_eq!(due[0].retrying_since, 2_000);
        assert_eq!(
            store
                .record(Channel::Helpdesk, "DF-1", 2_000, &failed)
                .unwrap(),
            Record::Written
        );
        assert_eq!(
            state(&store),
            DeliveryState::Failed {
                attempts: 1,
                reason: "HTTP 404 Not Found".into()
            }
        );
    }

    #[test]
    fn a_2xx_is_recorded_even_over_a_redeliver() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_one_queued(dir.path(), 1_000);
        redeliver(&dir.path().join("t.db"), "DF-1", 2_000).unwrap();
        let delivered = Recorded::Delivered { at: 3_000 };
        assert_eq!(
            store
                .record(Channel::Helpdesk, "DF-1", 1_000, &delivered)
                .unwrap(),
            Record::Written
        );
        assert_eq!(
            state(&store),
            DeliveryState::Delivered {
                attempts: 1,
                at: 3_000
            }
        );
    }

    #[test]
    fn states_read_on_one_line() {
        let at = 1_795_000_000_123;
        assert_eq!(DeliveryState::NotForwarded.to_string(), "not forwarded");
        assert_eq!(
            DeliveryState::Delivered { attempts: 1, at }.to_string(),
            "delivered at 2026-11-18T11:06:40.123Z after 1 attempt"
        );
        assert_eq!(
            DeliveryState::Failed {
                attempts: 2,
                reason: "HTTP 422:\t{\"error\":\n\"bad\"}".into()
            }
            .to_string(),
            "failed after 2 attempts: HTTP 422: {\"error\": \"bad\"}"
        );
        assert_eq!(
            DeliveryState::Pending {
                attempts: 3,
                next_attempt_at: at,
                last_error: Some("HTTP 503".into())
            }
            .to_string(),
            "pending after 3 attempts, next at 2026-11-18T11:06:40.123Z: HTTP 503"
        );
    }
}
