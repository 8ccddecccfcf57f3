//! Subscription plans and who is looking at the form.

use std::fmt;

use crate::id::PlanId;
use crate::locale::LocalizedText;

/// A subscription plan of the catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub id: PlanId,
    pub name: LocalizedText,
    pub paid: Paid,
    pub status: PlanStatus,
}

/// Whether a plan is paid for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paid {
    Free,
    Paid,
}

/// Whether a plan still takes new sign-ups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanStatus {
    Open,
    /// Closed to new sign-ups; existing customers keep it.
    Legacy,
}

impl Plan {
    /// Whether this plan is paid for.
    pub fn is_paid(&self) -> bool {
        self.paid == Paid::Paid
    }
}

/// Who is filling in the form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Viewer {
    SignedOut,
    SignedIn { plan: PlanId },
}

/// A plan id that the catalog does not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownPlanError {
    pub given: String,
    pub valid: Vec<PlanId>,
}

impl fmt::Display for UnknownPlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown plan \"{}\"; valid plans: ", self.given)?;
        for (i, id) in self.valid.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{id}")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownPlanError {}
