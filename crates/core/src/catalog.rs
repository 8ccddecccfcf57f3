//! The catalog: the plans, the desks and the calendar a help page offers.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::calendar::{BusinessCalendar, ReplyDateError, ReplyDue};
use crate::date::Date;
use crate::desk::{Audience, Availability, Desk, DeskOffer, LockReason};
use crate::id::PlanId;
use crate::locale::Locale;
use crate::plan::{Plan, UnknownPlanError, Viewer};

/// The built-in catalog's JSON: the product's default policy, and a starting point for web teams.
pub const BUILTIN_CATALOG_JSON: &str = include_str!("../catalog/builtin.json");

/// Where the view sends a viewer to unlock a desk.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an object")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "links"))]
pub struct Links {
    /// The sign-in page, shown beside desks that need signing in.
    #[serde(
        default,
        deserialize_with = "crate::catalog_json::strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "String", regex(pattern = "^(https?://|/(?!/))"))
    )]
    pub sign_in: Option<String>,
    /// The plans page, shown beside desks that need another plan.
    #[serde(
        default,
        deserialize_with = "crate::catalog_json::strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "String", regex(pattern = "^(https?://|/(?!/))"))
    )]
    pub plans: Option<String>,
}

impl Links {
    /// Whether neither link is given.
    pub fn is_empty(&self) -> bool {
        self.sign_in.is_none() && self.plans.is_none()
    }
}

/// A validated catalog. Build one with [`Catalog::from_json`] or take [`Catalog::builtin`].
///
/// Its serde form is the catalog file ([`crate::catalog_json::format::CatalogFile`]):
/// deserializing checks it as [`Catalog::from_json`] does, without positions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(into = "crate::catalog_json::format::CatalogFile")]
pub struct Catalog {
    pub(crate) default_locale: Locale,
    pub(crate) plans: Vec<Plan>,
    pub(crate) desks: Vec<Desk>,
    pub(crate) calendar: BusinessCalendar,
    pub(crate) links: Links,
}

impl Catalog {
    /// The built-in catalog ([`BUILTIN_CATALOG_JSON`], built once from the same data in Rust:
    /// no JSON is read for it).
    pub fn builtin() -> &'static Catalog {
        static BUILTIN: OnceLock<Catalog> = OnceLock::new();
        BUILTIN.get_or_init(crate::builtin::catalog)
    }

    /// The language of the texts every entry must have.
    pub fn default_locale(&self) -> Locale {
        self.default_locale
    }

    /// The plans, in catalog order.
    pub fn plans(&self) -> &[Plan] {
        &self.plans
    }

    /// The desks, in catalog order.
    pub fn desks(&self) -> &[Desk] {
        &self.desks
    }

    /// The desk's calendar.
    pub fn calendar(&self) -> &BusinessCalendar {
        &self.calendar
    }

    /// The sign-in and plans links.
    pub fn links(&self) -> &Links {
        &self.links
    }

    /// The plan with this id, or an error that lists the valid ids.
    pub fn plan(&self, id: &str) -> Result<&Plan, UnknownPlanError> {
        self.plans
            .iter()
            .find(|p| p.id == *id)
            .ok_or_else(|| UnknownPlanError {
                given: id.to_owned(),
                valid: self.plans.iter().map(|p| p.id.clone()).collect(),
            })
    }

    /// The viewer for a plan id as a host page gives it: absent or empty means signed out.
    pub fn viewer(&self, plan: Option<&str>) -> Result<Viewer, UnknownPlanError> {
        match plan.map(str::trim) {
            None | Some("") => Ok(Viewer::SignedOut),
            Some(id) => Ok(Viewer::SignedIn {
                plan: self.plan(id)?.id.clone(),
            }),
        }
    }

    /// The desk with this id.
    pub fn desk(&self, id: &str) -> Option<&Desk> {
        self.desks.iter().find(|d| d.id == *id)
    }

    /// Every desk in catalog order, each available to `viewer` or locked with the reason.
    ///
    /// A viewer on a plan this catalog does not have is treated as signed out: an unknown plan
    /// never unlocks a desk.
    pub fn desks_for(&self, viewer: &Viewer) -> Vec<DeskOffer<'_>> {
        let plan = match viewer {
            Viewer::SignedOut => None,
            Viewer::SignedIn { plan } => self.plans.iter().find(|p| p.id == *plan),
        };
        self.desks
            .iter()
            .map(|desk| DeskOffer {
                desk,
                availability: availability(desk, plan),
            })
            .collect()
    }

    /// When a reply from `desk` is due for an inquiry received on `received_on`, the desk's day.
    pub fn reply_due(
        &self,
        desk: &Desk,
        received_on: Date,
    ) -> Result<ReplyDue<'_>, ReplyDateError> {
        self.calendar.reply_due_date(received_on, desk.reply_within)
    }
}

fn availability(desk: &Desk, plan: Option<&Plan>) -> Availability {
    let Some(plan) = plan else {
        return match desk.audience {
            Audience::Everyone => Availability::Available,
            _ => Availability::Locked(LockReason::SignInNeeded),
        };
    };
    match &desk.audience {
        Audience::Everyone | Audience::SignedIn => Availability::Available,
        Audience::PaidPlans if plan.is_paid() => Availability::Available,
        Audience::PaidPlans => Availability::Locked(LockReason::PaidPlanNeeded),
        Audience::Plans(ids) if ids.contains(&plan.id) => Availability::Available,
        Audience::Plans(ids) => Availability::Locked(LockReason::PlanNeeded(ids.clone())),
    }
}

impl Desk {
    /// Whether a viewer on `plan` (or signed out, with `None`) may send to this desk.
    pub fn admits(&self, catalog: &Catalog, plan: Option<&PlanId>) -> bool {
        let plan = plan.and_then(|id| catalog.plans.iter().find(|p| p.id == *id));
        availability(self, plan) == Availability::Available
    }
}
