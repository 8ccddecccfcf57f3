//! Support desks, who may use them, and what a viewer is offered.

use crate::calendar::BusinessDays;
use crate::catalog_json::format::AudienceFile;
use crate::id::{DeskId, PlanId};
use crate::locale::LocalizedText;

/// A support desk: one kind of question, answered by email within some business days.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Desk {
    pub id: DeskId,
    /// Short name, e.g. "Login and account access".
    pub name: LocalizedText,
    /// What the desk answers (and what it does not).
    pub scope: LocalizedText,
    pub audience: Audience,
    pub reply_within: BusinessDays,
}

/// Who may use a desk. Its serde form is a catalog's `available_to`: `"everyone"`,
/// `"signed_in"`, `"paid"` or an array of plan ids.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "AudienceFile", into = "AudienceFile")]
pub enum Audience {
    /// Everyone, signed out included.
    Everyone,
    /// Anyone signed in, on any plan.
    SignedIn,
    /// Signed in on a paid plan.
    PaidPlans,
    /// Signed in on one of these plans.
    Plans(Vec<PlanId>),
}

impl TryFrom<AudienceFile> for Audience {
    type Error = String;

    fn try_from(audience: AudienceFile) -> Result<Self, Self::Error> {
        match audience {
            AudienceFile::Word(word) => match word.as_str() {
                "everyone" => Ok(Audience::Everyone),
                "signed_in" => Ok(Audience::SignedIn),
                "paid" => Ok(Audience::PaidPlans),
                _ => Err(format!("unknown audience \"{word}\"")),
            },
            AudienceFile::Plans(ids) if ids.is_empty() => Err("no plan is listed".into()),
            AudienceFile::Plans(ids) => ids
                .into_iter()
                .map(|id| {
                    id.parse()
                        .map_err(|e: crate::id::InvalidIdError| e.to_string())
                })
                .collect::<Result<_, _>>()
                .map(Audience::Plans),
        }
    }
}

impl From<Audience> for AudienceFile {
    fn from(audience: Audience) -> Self {
        (&audience).into()
    }
}

/// Whether a viewer may use a desk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Availability {
    Available,
    Locked(LockReason),
}

/// Why a desk is locked for a viewer, so the view can explain it and link onwards.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LockReason {
    /// Signed out: signing in is the next step (link: the catalog's sign-in page).
    SignInNeeded,
    /// Signed in on a free plan; the desk needs a paid one (link: the plans page).
    PaidPlanNeeded,
    /// Signed in on a plan the desk does not serve; these do (link: the plans page).
    PlanNeeded(Vec<PlanId>),
}

/// A desk as offered to one viewer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeskOffer<'c> {
    pub desk: &'c Desk,
    pub availability: Availability,
}

impl DeskOffer<'_> {
    /// Whether the viewer may choose this desk.
    pub fn is_available(&self) -> bool {
        self.availability == Availability::Available
    }
}
