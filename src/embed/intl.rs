//! `Intl.DateTimeFormat`, bound with a constructor that reports a bad time zone instead of
//! throwing through the module, and the civil-date helpers built on it.

use deskform_core::Date;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `Intl.DateTimeFormat`, with a constructor that reports a bad time zone instead of
    /// throwing through the module.
    #[wasm_bindgen(js_namespace = Intl)]
    pub type DateTimeFormat;

    #[wasm_bindgen(constructor, catch, js_namespace = Intl)]
    pub fn new(locale: &str, options: &Object) -> Result<DateTimeFormat, JsValue>;

    #[wasm_bindgen(method, js_name = formatToParts)]
    pub fn format_to_parts(this: &DateTimeFormat, date: &js_sys::Date) -> Array;

    #[wasm_bindgen(method)]
    pub fn format(this: &DateTimeFormat, date: &js_sys::Date) -> String;
}

/// An options object from string pairs.
pub(super) fn options(pairs: &[(&str, &str)]) -> Object {
    let object = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&object, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    object
}

/// The civil date of `instant` in the IANA zone `time_zone`; None if the browser does not know it.
pub(super) fn date_in_zone(instant: &js_sys::Date, time_zone: &str) -> Option<Date> {
    let format = DateTimeFormat::new(
        "en-US",
        &options(&[
            ("timeZone", time_zone),
            ("calendar", "gregory"),
            ("numberingSystem", "latn"),
            ("year", "numeric"),
            ("month", "numeric"),
            ("day", "numeric"),
        ]),
    )
    .ok()?;
    let (mut year, mut month, mut day) = (None, None, None);
    for part in format.format_to_parts(instant).iter() {
        let kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
        let value = Reflect::get(&part, &"value".into()).ok()?.as_string()?;
        match kind.as_str() {
            "year" => year = value.parse().ok(),
            "month" => month = value.parse().ok(),
            "day" => day = value.parse().ok(),
            _ => {}
        }
    }
    Date::from_ymd(year?, month?, day?).ok()
}

/// Midnight UTC of a civil date, which formats as that date in `timeZone: "UTC"`.
pub(super) fn js_date(date: Date) -> js_sys::Date {
    js_sys::Date::new(&JsValue::from_f64(
        f64::from(date.days_since_epoch()) * 86_400_000.0,
    ))
}
