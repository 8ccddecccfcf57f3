//! Attempts whose outcome could not be written (a full disk, a file locked by another
//! process): their rows are still pending and due, so a task reading only the file would send
//! them again at once, in a loop. It remembers, in memory, when each may be sent again.

use std::collections::HashMap;

use super::policy::{millis, RetryPolicy};

/// When each ticket whose last outcome was not written may be sent again.
#[derive(Debug, Default)]
pub(crate) struct Unrecorded {
    tickets: HashMap<String, Deferral>,
}

#[derive(Debug)]
struct Deferral {
    /// Outcomes in a row not written: each doubles the wait.
    times: u32,
    /// Unix milliseconds.
    not_before: i64,
}

impl Unrecorded {
    /// After an attempt whose outcome was not written: `ticket` (attempted `attempts` times
    /// as the file counts, this one excluded) waits the backoff of as many failures as the
    /// file counts plus the outcomes not written, and at least until `retry_at` (the retry
    /// that could not be recorded). Returns the time it may be sent again.
    pub(crate) fn defer(
        &mut self,
        ticket: String,
        attempts: u32,
        retry_at: Option<i64>,
        policy: &RetryPolicy,
        now: i64,
        random: f64,
    ) -> i64 {
        let deferral = self.tickets.entry(ticket).or_insert(Deferral {
            times: 0,
            not_before: now,
        });
        deferral.times = deferral.times.saturating_add(1);
        let wait = policy.jittered(attempts.saturating_add(deferral.times), random);
        deferral.not_before = now
            .saturating_add(millis(wait))
            .max(retry_at.unwrap_or(i64::MIN));
        deferral.not_before
    }

    /// The outcome of `ticket`'s attempt was written: the file says when it is due again.
    pub(crate) fn written(&mut self, ticket: &str) {
        self.tickets.remove(ticket);
    }

    /// Whether `ticket`, due in the file, may be sent at `now`.
    pub(crate) fn allows(&self, ticket: &str, now: i64) -> bool {
        self.tickets
            .get(ticket)
            .is_none_or(|deferral| deferral.not_before <= now)
    }

    /// The first time after `now` a deferred ticket may be sent again.
    pub(crate) fn next_after(&self, now: i64) -> Option<i64> {
        self.tickets
            .values()
            .map(|deferral| deferral.not_before)
            .filter(|&at| at > now)
            .min()
    }

    /// How many tickets are deferred (the due rows to read beyond those that may be sent).
    pub(crate) fn len(&self) -> usize {
        self.tickets.len()
    }

    /// Forgets the tickets that may have been sent again for longer than the longest wait:
    /// no longer due (delivered or redelivered by another process), or recorded since.
    pub(crate) fn forget_old(&mut self, policy: &RetryPolicy, now: i64) {
        let old = now.saturating_sub(millis(policy.max_delay));
        self.tickets.retain(|_, deferral| deferral.not_before > old);
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            give_up_after: Duration::from_secs(3600),
        }
    }

    #[test]
    fn a_ticket_whose_outcome_was_not_written_waits_longer_each_time() {
        let policy = policy();
        let mut unrecorded = Unrecorded::default();
        let now = 1_000_000;
        // A delivery acknowledged on its first attempt, not recorded: the row still says
        // pending with no attempts, due now; it waits the first backoff all the same.
        assert_eq!(
            unrecorded.defer("DF-1".into(), 0, None, &policy, now, 0.5),
            now + 1_000
        );
        assert!(!unrecorded.allows("DF-1", now));
        assert!(!unrecorded.allows("DF-1", now + 999));
        assert!(unrecorded.allows("DF-1", now + 1_000));
        assert!(unrecorded.allows("DF-2", now), "other tickets are sent");
        assert_eq!(unrecorded.next_after(now), Some(now + 1_000));

        // Sent again, and again not written: twice the wait, then four times.
        let later = now + 1_000;
        assert_eq!(
            unrecorded.defer("DF-1".into(), 0, None, &policy, later, 0.5),
            later + 2_000
        );
        assert_eq!(
            unrecorded.defer("DF-1".into(), 0, None, &policy, later, 0.5),
            later + 4_000
        );
        // Written at last: the file decides again.
        unrecorded.written("DF-1");
        assert!(unrecorded.allows("DF-1", later));
        assert_eq!(unrecorded.len(), 0);
    }

    #[test]
    fn a_retry_not_recorded_waits_at_least_until_the_retry_it_meant() {
        let policy = policy();
        let mut unrecorded = Unrecorded::default();
        // Third attempt (two in the file): a backoff of 4 s, but the helpdesk asked for 30.
        let at = unrecorded.defer("DF-1".into(), 2, Some(30_000), &policy, 0, 0.5);
        assert_eq!(at, 30_000);
        let at = unrecorded.defer("DF-2".into(), 2, Some(1_000), &policy, 0, 0.5);
        assert_eq!(
            at, 4_000,
            "two attempts in the file, one not written: 1 s × 2²"
        );
        assert_eq!(unrecorded.next_after(0), Some(4_000));
        assert_eq!(unrecorded.next_after(4_000), Some(30_000));
    }

    #[test]
    fn tickets_long_past_their_wait_are_forgotten() {
        let policy = policy();
        let mut unrecorded = Unrecorded::default();
        unrecorded.defer("DF-1".into(), 0, None, &policy, 0, 0.5);
        unrecorded.forget_old(&policy, 60_000);
        assert_eq!(unrecorded.len(), 1);
        unrecorded.forget_old(&policy, 61_001);
        assert_eq!(unrecorded.len(), 0);
    }
}
