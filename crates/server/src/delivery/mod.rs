//! Delivery of every stored inquiry out of the receiver: to the team's helpdesk
//! (`--forward-url`, see [`helpdesk`]) and, optionally, an acknowledgement e-mail to the customer
//! (`--smtp-url`, see [`acknowledgement`]). Each has its outbox (see [`crate::outbox`]) and a
//! background task that reads it, sends, and records the outcome. At least once: a row is
//! marked delivered only after the other end accepted it.
//!
//! A task wakes when an inquiry is stored, when an attempt ends, when the next retry is due,
//! and every [`POLL_INTERVAL`] in any case (for `deskform redeliver`, which writes the file from
//! another process). At most `concurrency` attempts are in flight. An attempt whose outcome
//! cannot be written is not sent again before a backoff (see [`unrecorded`]).

pub mod acknowledgement;
mod acknowledgement_text;
pub mod helpdesk;
mod policy;
pub mod signature;
mod unrecorded;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, Notify};
use tokio::task::JoinSet;

use crate::outbox::{Channel, Due, Record, Recorded};
use crate::App;
pub use acknowledgement::Acknowledging;
pub use axum::http::Uri;
pub use helpdesk::{parse_forward_url, Forwarding, DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT};
pub use policy::RetryPolicy;
use policy::Verdict;
pub use signature::{signature, MIN_SECRET_BYTES, SIGNATURE_HEADER};
use unrecorded::Unrecorded;

/// How often an outbox is read when nothing wakes its task sooner.
pub const POLL_INTERVAL: Duration = Duration::from_secs(5);

/// Who carries an outbox's inquiries, and how.
pub(crate) enum Courier {
    Helpdesk {
        client: helpdesk::HttpClient,
        forwarding: Arc<Forwarding>,
    },
    Mail(acknowledgement::Mailer),
}

impl Courier {
    pub(crate) fn helpdesk(forwarding: Arc<Forwarding>) -> Courier {
        Courier::Helpdesk {
            client: helpdesk::client(),
            forwarding,
        }
    }

    fn channel(&self) -> Channel {
        match self {
            Courier::Helpdesk { .. } => Channel::Helpdesk,
            Courier::Mail(_) => Channel::Acknowledgement,
        }
    }

    async fn send(&self, due: &Due) -> Verdict {
        match self {
            Courier::Helpdesk { client, forwarding } => {
                helpdesk::send(client, forwarding, due).await
            }
            Courier::Mail(mailer) => mailer.send(due).await,
        }
    }
}

/// How a delivery task runs.
pub(crate) struct Pace {
    pub retry: RetryPolicy,
    pub concurrency: usize,
    /// After the stop, how long attempts in flight get to finish.
    pub deadline: Duration,
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A number in [0, 1) for the jitter.
fn random_fraction() -> f64 {
    f64::from(u32::from_le_bytes(crate::random_bytes())) / (f64::from(u32::MAX) + 1.0)
}

/// Delivers `courier`'s outbox until `stop` turns true; then lets the attempts in flight finish
/// within the deadline and drops the rest (still pending: sent again at the next start).
pub(crate) async fn run(
    app: Arc<App>,
    courier: Arc<Courier>,
    pace: Pace,
    wake: Arc<Notify>,
    mut stop: watch::Receiver<bool>,
) {
    let channel = courier.channel();
    let pace = Arc::new(pace);
    let concurrency = pace.concurrency.max(1);
    let mut tasks = JoinSet::new();
    let mut in_flight: HashMap<tokio::task::Id, String> = HashMap::new();
    let mut unrecorded = Unrecorded::default();
    loop {
        while let Some(done) = tasks.try_join_next_with_id() {
            finished(done, &mut in_flight, &mut unrecorded, &pace.retry, channel);
        }
        let now = now_ms();
        unrecorded.forget_old(&pace.retry, now);
        let mut wake_at = now.saturating_add(POLL_INTERVAL.as_millis() as i64);
        if let Some(next) = unrecorded.next_after(now) {
            wake_at = wake_at.min(next);
        }
        let free = concurrency.saturating_sub(tasks.len());
        if free > 0 {
            // Enough rows that those in flight or deferred cannot hide the others.
            let limit = free + concurrency + unrecorded.len();
            let look = read(&app, move |store| {
                let due = store.due(channel, now, limit)?;
                Ok((due, store.next_due_after(channel, now)?))
            })
            .await;
            match look {
                Ok((due, next)) => {
                    let busy: std::collections::HashSet<&String> = in_flight.values().collect();
                    let fresh: Vec<Due> = due
                        .into_iter()
                        .filter(|d| !busy.contains(&d.inquiry.ticket_id))
                        .filter(|d| unrecorded.allows(&d.inquiry.ticket_id, now))
                        .take(free)
                        .collect();
                    for due in fresh {
                        let ticket = due.inquiry.ticket_id.clone();
                        let handle =
                            tasks.spawn(deliver(app.clone(), courier.clone(), pace.clone(), due));
                        in_flight.insert(handle.id(), ticket);
                    }
                    if let Some(next) = next {
                        wake_at = wake_at.min(next);
                    }
                }
                Err(e) => tracing::error!(error = %e, "cannot read the outbox"),
            }
        }
        let sleep = Duration::from_millis(wake_at.saturating_sub(now_ms()).max(0) as u64);
        tokio::select! {
            () = wake.notified() => {}
            Some(done) = tasks.join_next_with_id(), if !tasks.is_empty() => {
                finished(done, &mut in_flight, &mut unrecorded, &pace.retry, channel);
            }
            () = tokio::time::sleep(sleep) => {}
            _ = stop.wait_for(|stopped| *stopped) => break,
        }
    }
    let finished = tokio::time::timeout(pace.deadline, async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if finished.is_err() {
        tracing::warn!(
            in_flight = tasks.len(),
            "shutdown deadline: deliveries in flight dropped; they are sent again at the next start"
        );
    }
}

/// What a log line calls an attempt on `channel`.
fn noun(channel: Channel) -> &'static str {
    match channel {
        Channel::Helpdesk => "delivery",
        Channel::Acknowledgement => "acknowledgement",
    }
}

/// What became of an attempt's outcome.
enum Written {
    /// In the file (or left alone: redelivered meanwhile).
    Yes,
    /// Not written: the row is still pending and due.
    No {
        /// The attempts the file counts, this one excluded.
        attempts: u32,
        /// The retry that was to be recorded.
        retry_at: Option<i64>,
        error: String,
    },
}

/// An attempt ended: its ticket is free again, and deferred if its outcome was not written.
fn finished(
    done: Result<(tokio::task::Id, Written), tokio::task::JoinError>,
    in_flight: &mut HashMap<tokio::task::Id, String>,
    unrecorded: &mut Unrecorded,
    policy: &RetryPolicy,
    channel: Channel,
) {
    let (id, written) = match done {
        Ok((id, written)) => (id, Some(written)),
        Err(e) => (e.id(), None),
    };
    let Some(ticket) = in_flight.remove(&id) else {
        return;
    };
    match written {
        Some(Written::No {
            attempts,
            retry_at,
            error,
        }) => {
            let now = now_ms();
            let at = unrecorded.defer(
                ticket.clone(),
                attempts,
                retry_at,
                policy,
                now,
                random_fraction(),
            );
            tracing::error!(
                ticket = %ticket,
                error = %error,
                retry_in_ms = at.saturating_sub(now),
                "{}: cannot record the attempt; not sent again before the wait",
                noun(channel)
            );
        }
        Some(Written::Yes) => unrecorded.written(&ticket),
        None => {}
    }
}

async fn read<T: Send + 'static>(
    app: &Arc<App>,
    work: impl FnOnce(&crate::Store) -> crate::StoreResult<T> + Send + 'static,
) -> crate::StoreResult<T> {
    let app = app.clone();
    tokio::task::spawn_blocking(move || work(&app.store))
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}

/// One attempt, and its outcome recorded.
async fn deliver(app: Arc<App>, courier: Arc<Courier>, pace: Arc<Pace>, due: Due) -> Written {
    let attempt = due.attempts.saturating_add(1);
    let verdict = courier.send(&due).await;
    let status = verdict.status();
    let ticket = due.inquiry.ticket_id.clone();
    let recorded = policy::next_step(
        &pace.retry,
        verdict,
        attempt,
        due.retrying_since,
        now_ms(),
        random_fraction(),
    );
    let channel = courier.channel();
    let what = noun(channel);
    // One line per attempt: the ticket, never the customer's words (a refusal's reason may
    // echo them, so it is left to `deskform inquiries`).
    match &recorded {
        Recorded::Delivered { .. } => {
            tracing::info!(ticket = %ticket, attempt, status, outcome = "delivered", "{what}")
        }
        Recorded::Retry { at, error } => tracing::warn!(
            ticket = %ticket,
            attempt,
            status,
            outcome = "retry",
            // A network error; an answer's text (an SMTP server's may name the address) is
            // left to `deskform inquiries`.
            error = status.is_none().then_some(error.as_str()),
            retry_in_ms = at.saturating_sub(now_ms()).max(0),
            "{what}"
        ),
        Recorded::Failed { .. } => {
            tracing::warn!(ticket = %ticket, attempt, status, outcome = "failed", "{what}")
        }
    }
    let retry_at = match &recorded {
        Recorded::Retry { at, .. } => Some(*at),
        _ => None,
    };
    let since = due.retrying_since;
    let written = read(&app, move |store| {
        store.record(channel, &ticket, since, &recorded)
    })
    .await;
    match written {
        Ok(Record::Written) => Written::Yes,
        Ok(Record::Superseded) => {
            tracing::info!(ticket = %due.inquiry.ticket_id, "{what} redelivered during the attempt: its outcome is not recorded");
            Written::Yes
        }
        // Still pending in the file: sent again after a backoff (the helpdesk de-duplicates).
        Err(e) => Written::No {
            attempts: due.attempts,
            retry_at,
            error: e.to_string(),
        },
    }
}

/// An error and its causes on one line ("client error (Connect): tcp connect error: …").
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
