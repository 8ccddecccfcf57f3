//! A catalog written back as a file: what a [`Catalog`] serializes as.

use serde_json::value::RawValue;

use super::format::{
    AudienceFile, CalendarFile, CatalogFile, ClosureFile, DeskFile, PlanFile, Texts,
};
use crate::calendar::ClosureDates;
use crate::catalog::Catalog;
use crate::desk::Audience;
use crate::locale::{Locale, LocalizedText};
use crate::plan::{Paid, PlanStatus};

fn raw_number(n: u32) -> Option<Box<RawValue>> {
    RawValue::from_string(n.to_string()).ok()
}

impl From<&LocalizedText> for Texts {
    fn from(text: &LocalizedText) -> Self {
        let given = |locale| text.exact(locale).map(str::to_owned);
        Texts {
            en: given(Locale::En),
            ja: given(Locale::Ja),
            vi: given(Locale::Vi),
        }
    }
}

impl From<&Audience> for AudienceFile {
    fn from(audience: &Audience) -> Self {
        let word = |w: &str| AudienceFile::Word(w.to_owned());
        match audience {
            Audience::Everyone => word("everyone"),
            Audience::SignedIn => word("signed_in"),
            Audience::PaidPlans => word("paid"),
            Audience::Plans(ids) => {
                AudienceFile::Plans(ids.iter().map(|id| id.as_str().to_owned()).collect())
            }
        }
    }
}

impl From<Catalog> for CatalogFile {
    fn from(catalog: Catalog) -> Self {
        let calendar = &catalog.calendar;
        let date = |d: crate::Date| d.to_string();
        CatalogFile {
            schema: None,
            version: raw_number(1),
            default_locale: Some(catalog.default_locale.tag().to_owned()),
            plans: Some(
                catalog
                    .plans
                    .iter()
                    .map(|plan| PlanFile {
                        id: Some(plan.id.as_str().to_owned()),
                        name: Some((&plan.name).into()),
                        paid: Some(plan.paid == Paid::Paid),
                        legacy: plan.status == PlanStatus::Legacy,
                    })
                    .collect(),
            ),
            desks: Some(
                catalog
                    .desks
                    .iter()
                    .map(|desk| DeskFile {
                        id: Some(desk.id.as_str().to_owned()),
                        available_to: Some((&desk.audience).into()),
                        reply_within_business_days: raw_number(desk.reply_within.get()),
                        name: Some((&desk.name).into()),
                        scope: Some((&desk.scope).into()),
                    })
                    .collect(),
            ),
            calendar: Some(CalendarFile {
                time_zone: Some(calendar.time_zone().to_owned()),
                weekend: Some(calendar.weekend().days().map(|d| d.id().into()).collect()),
                holidays: Some(calendar.holiday_set().id().to_owned()),
                closures: calendar
                    .closures()
                    .iter()
                    .map(|closure| {
                        let (from, to) = match closure.dates {
                            ClosureDates::Once { from, to } => (date(from), date(to)),
                            ClosureDates::EveryYear { from, to } => {
                                (from.to_string(), to.to_string())
                            }
                        };
                        ClosureFile {
                            to: (to != from).then_some(to),
                            from: Some(from),
                            name: Some((&closure.name).into()),
                        }
                    })
                    .collect(),
                extra_working_days: calendar.working_dates().iter().map(|&d| date(d)).collect(),
            }),
            links: catalog.links,
        }
    }
}
