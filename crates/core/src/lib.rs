//! deskform-core: the pure domain of deskform.
//!
//! Plans, desks and the catalog; the Japanese business calendar and the reply date; the
//! catalog's JSON format with its validation. No web APIs, no clock, no I/O: "today" always
//! comes in as an argument, so everything here runs the same natively and in the browser.

pub mod date;
pub mod jp_holidays;
pub mod locale;

pub use date::{Date, InvalidDateError, MonthDay, Weekday};
pub use jp_holidays::{Holiday, HolidayKind, JpHolidayTable, NationalHoliday, JP_HOLIDAY_YEARS};
pub use locale::{Locale, LocalizedText};
