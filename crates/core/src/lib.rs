//! deskform-core: the pure domain of deskform.
//!
//! Plans, desks and the catalog; the Japanese business calendar and the reply date; the
//! catalog's JSON format with its validation. No web APIs, no clock, no I/O: "today" always
//! comes in as an argument, so everything here runs the same natively and in the browser.
//!
//! ```
//! use deskform_core::{Catalog, Date, NonBusinessDay};
//!
//! let catalog = Catalog::builtin();
//! // An unknown plan is an error that lists the valid ones; the view then shows signed-out.
//! let viewer = catalog.viewer(Some("free")).unwrap();
//! let offers = catalog.desks_for(&viewer);
//! assert!(offers[0].is_available()); // login: everyone
//! assert!(!offers[1].is_available()); // usage: paid plans only
//!
//! // Received on Friday 20 November 2026 (the desk's day, Asia/Tokyo): Monday the 23rd is
//! // Labour Thanksgiving Day, so a one-business-day reply is due on Tuesday.
//! let usage = catalog.desk("usage").unwrap();
//! let received: Date = "2026-11-20".parse().unwrap();
//! let reply = catalog.reply_due(usage, received).unwrap();
//! assert_eq!(reply.due.to_string(), "2026-11-24");
//! assert!(matches!(reply.skipped[2].reason, NonBusinessDay::Holiday(_)));
//! ```

pub mod api;
mod builtin;
pub mod calendar;
pub mod catalog;
pub mod catalog_json;
pub mod date;
pub mod desk;
pub mod id;
pub mod inquiry;
pub mod jp_holidays;
pub mod locale;
mod order;
pub mod plan;
mod position;

pub use api::{
    ErrorBody, IdentityClaims, InquiryRequest, Issue, Problem, ReadTokenError, Receipt, Rejection,
    Session, SubmitReply, TokenProblem,
};
pub use calendar::{
    BusinessCalendar, BusinessDays, Closure, ClosureDates, HolidaySet, NonBusinessDay,
    ReplyDateError, ReplyDue, SkippedDay, Weekend,
};
pub use catalog::{Catalog, Links, BUILTIN_CATALOG_JSON};
pub use catalog_json::{
    CatalogProblem, InvalidCatalogError, ParseCatalogError, CATALOG_SCHEMA_JSON,
};
pub use date::{Date, InvalidDateError, MonthDay, Weekday};
pub use desk::{Audience, Availability, Desk, DeskOffer, LockReason};
pub use id::{DeskId, InvalidIdError, PlanId};
pub use inquiry::{check_field, Field, FieldProblem, InquiryFields};
pub use jp_holidays::{Holiday, HolidayKind, JpHolidayTable, NationalHoliday, JP_HOLIDAY_YEARS};
pub use locale::{Locale, LocalizedText};
pub use plan::{Paid, Plan, PlanStatus, UnknownPlanError, Viewer};
pub use position::Position;
