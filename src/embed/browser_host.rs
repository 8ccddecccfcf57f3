//! [`BrowserHost`]: the [`Host`] the components get in a browser.

use deskform_core::{Date, Field, InquiryFields, Locale};
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::intl::{self, date_in_zone, js_date, options};
use crate::host::{DateStyle, FetchError, Host, HttpRequest, HttpResponse, Timer};
use crate::state::Draft;

/// How long any request may take before the widget gives up on it (and, for an inquiry,
/// tries again later with the same idempotency key).
const FETCH_TIMEOUT_MS: u32 = 15_000;

/// The browser, as seen by one mounted widget.
#[derive(Debug)]
pub struct BrowserHost {
    /// The local-storage key of this widget's draft.
    draft_key: String,
    /// The visitor's language tags (`navigator.languages`), to pick a regional format.
    languages: Vec<String>,
    /// The last draft saved, for when storage is refused: then it still survives a new form
    /// (a changed plan), if not a reload.
    last_draft: std::cell::RefCell<Option<Draft>>,
}

impl BrowserHost {
    /// A host saving its draft under `draft_key`.
    pub fn new(draft_key: String) -> Self {
        Self {
            draft_key,
            languages: browser_languages(),
            last_draft: Default::default(),
        }
    }

    /// The visitor's own tag for a locale (`en-GB`, `vi-VN`), else the bare language.
    fn intl_tag(&self, locale: Locale) -> String {
        self.languages
            .iter()
            .find(|tag| Locale::negotiate([tag.as_str()]) == Some(locale))
            .cloned()
            .unwrap_or_else(|| locale.tag().to_owned())
    }

    fn storage(&self) -> Option<web_sys::Storage> {
        // Storage can be missing or refused (privacy settings, sandboxed frames): then the draft
        // simply lives as long as the page.
        web_sys::window()?.local_storage().ok().flatten()
    }

    fn stored_draft(&self) -> Option<Draft> {
        let text = self.storage()?.get_item(&self.draft_key).ok()??;
        let value = js_sys::JSON::parse(&text).ok()?;
        let get = |key: &str| {
            Reflect::get(&value, &JsValue::from_str(key))
                .ok()
                .and_then(|v| v.as_string())
        };
        let mut fields = InquiryFields::default();
        for field in Field::ALL {
            *fields.get_mut(field) = get(field.id()).unwrap_or_default();
        }
        let pending = Reflect::get(&value, &JsValue::from_str("pending"))
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        Some(Draft {
            desk: get("desk"),
            fields,
            key: get("key"),
            pending,
        })
    }

    fn store_draft(&self, draft: &Draft) {
        let Some(storage) = self.storage() else {
            return;
        };
        if draft.is_empty() {
            let _ = storage.remove_item(&self.draft_key);
            return;
        }
        let object = Object::new();
        let set = |key: &str, value: &str| {
            let _ = Reflect::set(&object, &JsValue::from_str(key), &JsValue::from_str(value));
        };
        if let Some(desk) = &draft.desk {
            set("desk", desk);
        }
        for field in Field::ALL {
            set(field.id(), draft.fields.get(field));
        }
        if let Some(key) = &draft.key {
            set("key", key);
        }
        if draft.pending {
            let _ = Reflect::set(&object, &JsValue::from_str("pending"), &JsValue::TRUE);
        }
        if let Some(text) = js_sys::JSON::stringify(&object)
            .ok()
            .and_then(|t| t.as_string())
        {
            // A full quota must not break typing; the draft then lives as long as the page.
            let _ = storage.set_item(&self.draft_key, &text);
        }
    }
}

pub(super) fn browser_languages() -> Vec<String> {
    web_sys::window()
        .map(|w| {
            w.navigator()
                .languages()
                .iter()
                .filter_map(|v| v.as_string())
                .collect()
        })
        .unwrap_or_default()
}

impl Host for BrowserHost {
    fn today_in(&self, time_zone: &str) -> Date {
        date_in_zone(&js_sys::Date::new_0(), time_zone).unwrap_or_else(|| self.local_today())
    }

    fn local_today(&self) -> Date {
        let now = js_sys::Date::new_0();
        Date::from_ymd(
            now.get_full_year() as i32,
            now.get_month() + 1,
            now.get_date(),
        )
        .unwrap_or(Date::MIN)
    }

    fn knows_time_zone(&self, time_zone: &str) -> bool {
        intl::DateTimeFormat::new("en-US", &options(&[("timeZone", time_zone)])).is_ok()
    }

    fn format_date(&self, date: Date, locale: Locale, style: DateStyle) -> String {
        let pairs: &[(&str, &str)] = match style {
            // UTC, because `js_date` puts a civil date at midnight UTC.
            DateStyle::Long => &[
                ("weekday", "long"),
                ("year", "numeric"),
                ("month", "long"),
                ("day", "numeric"),
                ("timeZone", "UTC"),
            ],
            DateStyle::Short => &[
                ("weekday", "short"),
                ("month", "short"),
                ("day", "numeric"),
                ("timeZone", "UTC"),
            ],
        };
        match intl::DateTimeFormat::new(&self.intl_tag(locale), &options(pairs)) {
            Ok(format) => format.format(&js_date(date)),
            Err(_) => date.to_string(),
        }
    }

    fn time_zone_name(&self, time_zone: &str, locale: Locale) -> String {
        let opts = options(&[("timeZone", time_zone), ("timeZoneName", "longGeneric")]);
        let Ok(format) = intl::DateTimeFormat::new(&self.intl_tag(locale), &opts) else {
            return time_zone.to_owned();
        };
        format
            .format_to_parts(&js_sys::Date::new_0())
            .iter()
            .find(|part| {
                Reflect::get(part, &"type".into())
                    .ok()
                    .and_then(|t| t.as_string())
                    .as_deref()
                    == Some("timeZoneName")
            })
            .and_then(|part| Reflect::get(&part, &"value".into()).ok()?.as_string())
            .unwrap_or_else(|| time_zone.to_owned())
    }

    fn load_draft(&self) -> Option<Draft> {
        self.stored_draft()
            .or_else(|| self.last_draft.borrow().clone())
    }

    fn save_draft(&self, draft: &Draft) {
        *self.last_draft.borrow_mut() = Some(draft.clone());
        self.store_draft(draft);
    }

    fn fetch(&self, request: HttpRequest, done: Box<dyn FnOnce(Result<HttpResponse, FetchError>)>) {
        wasm_bindgen_futures::spawn_local(async move { done(fetch(&request).await) });
    }

    fn every(&self, seconds: u32, tick: Box<dyn Fn()>) -> Timer {
        let Some(window) = web_sys::window() else {
            return Timer::none();
        };
        let closure = Closure::<dyn Fn()>::new(tick);
        let Ok(id) = window.set_interval_with_callback_and_timeout_and_arguments_0(
            closure.as_ref().unchecked_ref(),
            (seconds * 1000) as i32,
        ) else {
            return Timer::none();
        };
        Timer::new(move || {
            window.clear_interval_with_handle(id);
            drop(closure);
        })
    }

    fn after(&self, seconds: u32, done: Box<dyn FnOnce()>) -> Timer {
        let Some(window) = web_sys::window() else {
            return Timer::none();
        };
        let closure = Closure::once(done);
        let Ok(id) = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            closure.as_ref().unchecked_ref(),
            (seconds.min(86_400) * 1000) as i32,
        ) else {
            return Timer::none();
        };
        Timer::new(move || {
            window.clear_timeout_with_handle(id);
            drop(closure);
        })
    }

    fn is_online(&self) -> bool {
        web_sys::window().is_none_or(|w| w.navigator().on_line())
    }

    fn when_online(&self, done: Box<dyn FnOnce()>) -> Timer {
        let Some(window) = web_sys::window() else {
            return Timer::none();
        };
        let closure = Closure::once(done);
        if window
            .add_event_listener_with_callback("online", closure.as_ref().unchecked_ref())
            .is_err()
        {
            return Timer::none();
        }
        Timer::new(move || {
            let _ = window
                .remove_event_listener_with_callback("online", closure.as_ref().unchecked_ref());
            drop(closure);
        })
    }

    fn new_key(&self) -> String {
        let mut bytes = [0u8; 16];
        let crypto = web_sys::window().and_then(|w| w.crypto().ok());
        let filled = crypto.is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
        if !filled {
            // No Web Crypto (very old browsers): the time and Math.random still make a key no
            // other draft will have.
            let seed = js_sys::Date::now().to_bits() ^ (js_sys::Math::random() * 1e15) as u64;
            bytes[..8].copy_from_slice(&seed.to_le_bytes());
            bytes[8..].copy_from_slice(&((js_sys::Math::random() * 1e15) as u64).to_le_bytes());
        }
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn report_error(&self, message: &str) {
        web_sys::console::error_1(&JsValue::from_str(message));
    }
}

async fn fetch(request: &HttpRequest) -> Result<HttpResponse, FetchError> {
    use wasm_bindgen_futures::JsFuture;
    let network = |e: JsValue| {
        FetchError::Network(
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .or_else(|| e.as_string())
                .unwrap_or_else(|| "unknown error".into()),
        )
    };
    let window = web_sys::window().ok_or_else(|| FetchError::Network("no window".into()))?;
    // The browser's own timer aborts the request (and the body's download): no closure or
    // timer of ours to keep alive or clear.
    let signal = web_sys::AbortSignal::timeout_with_u32(FETCH_TIMEOUT_MS);
    let init = web_sys::RequestInit::new();
    init.set_signal(Some(&signal));
    if request.credentials {
        init.set_credentials(web_sys::RequestCredentials::Include);
    }
    if let Some(body) = &request.json_body {
        init.set_method("POST");
        init.set_body(&JsValue::from_str(body));
        let headers = web_sys::Headers::new().map_err(network)?;
        headers
            .set("Content-Type", "application/json")
            .map_err(network)?;
        init.set_headers(&headers);
    }
    async {
        let response: web_sys::Response =
            JsFuture::from(window.fetch_with_str_and_init(&request.url, &init))
                .await
                .map_err(network)?
                .unchecked_into();
        let body = JsFuture::from(response.text().map_err(network)?)
            .await
            .map_err(network)?;
        Ok(HttpResponse {
            status: response.status(),
            body: body.as_string().unwrap_or_default(),
        })
    }
    .await
    .map_err(|e| {
        if signal.aborted() {
            FetchError::Timeout
        } else {
            e
        }
    })
}
