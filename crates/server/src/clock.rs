//! Where the receiver reads the time: the system's clock, or one a test moves by hand (session
//! limits are hours and days; tests do not wait for them).

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The receiver's clock, in Unix seconds.
#[derive(Clone, Debug, Default)]
pub struct Clock(Option<Arc<AtomicI64>>);

impl Clock {
    /// The system's clock.
    pub fn system() -> Clock {
        Clock(None)
    }

    /// The current time in Unix seconds.
    pub fn unix_seconds(&self) -> i64 {
        match &self.0 {
            Some(manual) => manual.load(Ordering::Relaxed),
            None => chrono::Utc::now().timestamp(),
        }
    }
}

/// A clock that stands still until told to move: for tests.
#[derive(Clone, Debug)]
pub struct ManualClock(Arc<AtomicI64>);

impl ManualClock {
    /// A clock standing at `unix_seconds`.
    pub fn at(unix_seconds: i64) -> ManualClock {
        ManualClock(Arc::new(AtomicI64::new(unix_seconds)))
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        let seconds = i64::try_from(by.as_secs()).unwrap_or(i64::MAX);
        self.0.fetch_add(seconds, Ordering::Relaxed);
    }

    /// The receiver's view of this clock.
    pub fn clock(&self) -> Clock {
        Clock(Some(self.0.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let manual = ManualClock::at(1_000);
        let clock = manual.clock();
        assert_eq!(clock.unix_seconds(), 1_000);
        manual.advance(Duration::from_secs(90));
        assert_eq!(clock.unix_seconds(), 1_090);
    }

    #[test]
    fn the_system_clock_is_now() {
        let before = chrono::Utc::now().timestamp();
        let now = Clock::system().unix_seconds();
        assert!((before..=before + 5).contains(&now));
    }
}
