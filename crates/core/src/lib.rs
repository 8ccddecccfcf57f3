//! deskform-core: the pure domain of deskform.
//!
//! Plans, desks and the catalog; the Japanese business calendar and the reply date; the
//! catalog's JSON format with its validation. No web APIs, no clock, no I/O: "today" always
//! comes in as an argument, so everything here runs the same natively and in the browser.

pub mod calendar;
pub mod catalog;
pub mod catalog_json;
pub mod date;
pub mod desk;
pub mod id;
pub mod jp_holidays;
mod json;
pub mod locale;
pub mod plan;

pub use calendar::{
    BusinessCalendar, BusinessDays, Closure, ClosureDates, HolidaySet, NonBusinessDay,
    ReplyDateError, ReplyDue, SkippedDay, Weekend,
};
pub use catalog::{Catalog, Links, BUILTIN_CATALOG_JSON};
pub use catalog_json::{CatalogProblem, ParseCatalogError};
pub use date::{Date, InvalidDateError, MonthDay, Weekday};
pub use desk::{Audience, Availability, Desk, DeskOffer, LockReason};
pub use id::{DeskId, InvalidIdError, PlanId};
pub use jp_holidays::{Holiday, HolidayKind, JpHolidayTable, NationalHoliday, JP_HOLIDAY_YEARS};
pub use json::Position;
pub use locale::{Locale, LocalizedText};
pub use plan::{Paid, Plan, PlanStatus, UnknownPlanError, Viewer};
