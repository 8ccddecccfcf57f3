//! [`BrowserHost`]: the [`Host`] the components get in a browser.

use std::cell::{Cell, RefCell};

use deskform_core::{Date, Locale};
use gloo_events::EventListener;
use gloo_net::http::Request;
use gloo_storage::{LocalStorage, Storage};
use gloo_timers::callback::{Interval, Timeout};
use js_sys::Reflect;
use web_sys::{AbortSignal, RequestCredentials};

use super::intl::{self, date_in_zone, js_date, options};
use crate::host::{
    DateStyle, DraftSlot, DraftStorage, FetchError, Host, HttpRequest, HttpResponse, Timer,
    UnixTime, WidgetEvent,
};

/// How long any request may take before the widget gives up on it (and, for an inquiry,
/// tries again later with the same idempotency key).
const FETCH_TIMEOUT_MS: u32 = 15_000;

/// The local-storage key of the browser's secret for the owner tags of signed-in customers'
/// drafts (one for every widget of the origin).
const OWNER_SECRET_KEY: &str = "deskform:draft-owner-secret";

/// The browser, as seen by one mounted widget.
#[derive(Debug)]
pub struct BrowserHost {
    /// The local-storage key of this widget's visitor draft; the account's draft is kept under
    /// it with `:account` added.
    draft_key: String,
    /// The visitor's language tags (`navigator.languages`), to pick a regional format.
    languages: Vec<String>,
    /// The drafts last saved (visitor's, account's), for when storage is refused: then they
    /// still survive a new form (a changed plan), if not a reload.
    last_drafts: RefCell<[Option<String>; 2]>,
    /// The owner secret, once read or made.
    owner_secret: Cell<Option<[u8; 16]>>,
    /// The element the widget is mounted on: its events are dispatched there (none once it is
    /// unmounted).
    element: RefCell<Option<web_sys::Element>>,
}

impl BrowserHost {
    /// A host saving its drafts under `draft_key`, and dispatching the widget's events on
    /// `element` (none: the events are dropped).
    pub fn new(draft_key: String, element: Option<web_sys::Element>) -> Self {
        Self {
            draft_key,
            languages: browser_languages(),
            last_drafts: Default::default(),
            owner_secret: Cell::new(None),
            element: RefCell::new(element),
        }
    }

    /// No more events: the widget is unmounted (a late answer or timer must not reach the
    /// page).
    pub fn forget_element(&self) {
        self.element.take();
    }

    /// The local-storage key of a draft slot.
    fn key_of(&self, slot: DraftSlot) -> String {
        match slot {
            DraftSlot::Visitor => self.draft_key.clone(),
            DraftSlot::Account => format!("{}:account", self.draft_key),
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
}

/// Whether the page may use local storage. It can be missing or refused (privacy settings,
/// sandboxed frames), and gloo-storage throws then; the draft then lives as long as the page.
fn has_storage() -> bool {
    web_sys::window().is_some_and(|w| w.local_storage().is_ok_and(|s| s.is_some()))
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

    fn now(&self) -> UnixTime {
        UnixTime((js_sys::Date::now() / 1000.0) as u64)
    }

    /// Through the browser's `atob`: the wasm carries no base64 decoder.
    fn decode_base64url(&self, text: &str) -> Option<Vec<u8>> {
        let mut base64: String = text
            .chars()
            .map(|c| match c {
                '-' => '+',
                '_' => '/',
                c => c,
            })
            .collect();
        while !base64.len().is_multiple_of(4) {
            base64.push('=');
        }
        // A "binary string": one character (U+0000 to U+00FF) for each byte.
        let binary = web_sys::window()?.atob(&base64).ok()?;
        binary.chars().map(|c| u8::try_from(c).ok()).collect()
    }

    fn fetch(&self, request: HttpRequest, done: Box<dyn FnOnce(Result<HttpResponse, FetchError>)>) {
        wasm_bindgen_futures::spawn_local(async move { done(fetch(request).await) });
    }

    fn every(&self, seconds: u32, tick: Box<dyn Fn()>) -> Timer {
        Timer::new(Interval::new(seconds * 1000, tick))
    }

    fn after(&self, seconds: u32, done: Box<dyn FnOnce()>) -> Timer {
        Timer::new(Timeout::new(seconds.min(86_400) * 1000, done))
    }

    fn is_online(&self) -> bool {
        web_sys::window().is_none_or(|w| w.navigator().on_line())
    }

    fn when_online(&self, done: Box<dyn FnOnce()>) -> Timer {
        match web_sys::window() {
            Some(window) => Timer::new(EventListener::once(&window, "online", |_| done())),
            None => Timer::none(),
        }
    }

    fn new_key(&self) -> String {
        hex(random_bytes())
    }

    fn report_error(&self, message: &str) {
        gloo_console::error!(message);
    }

    fn emit(&self, event: WidgetEvent) {
        let Some(element) = self.element.borrow().clone() else {
            return;
        };
        // Bubbling and composed: a listener on any ancestor hears it, out of the shadow root.
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(&js_sys::JSON::parse(&event.detail_json()).unwrap_or_default());
        if let Ok(dom_event) = web_sys::CustomEvent::new_with_event_init_dict(event.name(), &init) {
            // A listener's exception is the page's, reported by the browser; not ours.
            let _ = element.dispatch_event(&dom_event);
        }
    }
}

impl DraftStorage for BrowserHost {
    fn load_draft(&self, slot: DraftSlot) -> Option<String> {
        // The draft's own JSON text, stored as it is: gloo-storage's `get` and `set` would put
        // it through serde_json once more for nothing (the draft store reads and writes it).
        let stored = has_storage()
            .then(|| {
                LocalStorage::raw()
                    .get_item(&self.key_of(slot))
                    .ok()
                    .flatten()
            })
            .flatten();
        stored.or_else(|| self.last_drafts.borrow()[slot as usize].clone())
    }

    fn save_draft(&self, slot: DraftSlot, text: Option<&str>) {
        self.last_drafts.borrow_mut()[slot as usize] = text.map(str::to_owned);
        if !has_storage() {
            return;
        }
        let storage = LocalStorage::raw();
        let key = self.key_of(slot);
        // A full quota must not break typing; the draft then lives as long as the page.
        let _ = match text {
            None => storage.remove_item(&key),
            Some(text) => storage.set_item(&key, text),
        };
    }

    fn owner_secret(&self) -> [u8; 16] {
        if let Some(secret) = self.owner_secret.get() {
            return secret;
        }
        let storage = has_storage().then(LocalStorage::raw);
        let stored = storage
            .as_ref()
            .and_then(|s| s.get_item(OWNER_SECRET_KEY).ok().flatten())
            .and_then(|text| unhex(&text));
        let secret = stored.unwrap_or_else(|| {
            let secret = random_bytes();
            if let Some(storage) = &storage {
                // Refused: the secret lives as long as the page, as the drafts then do.
                let _ = storage.set_item(OWNER_SECRET_KEY, &hex(secret));
            }
            secret
        });
        self.owner_secret.set(Some(secret));
        secret
    }
}

/// 16 random bytes from Web Crypto.
fn random_bytes() -> [u8; 16] {
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
    bytes
}

/// 16 bytes as 32 hexadecimal digits.
fn hex(bytes: [u8; 16]) -> String {
    format!("{:032x}", u128::from_le_bytes(bytes))
}

/// The 16 bytes `hex` wrote; `None` for anything else.
fn unhex(text: &str) -> Option<[u8; 16]> {
    let ok = text.len() == 32 && text.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then(|| u128::from_str_radix(text, 16).ok())
        .flatten()
        .map(u128::to_le_bytes)
}

async fn fetch(request: HttpRequest) -> Result<HttpResponse, FetchError> {
    // The browser's own timer aborts the request (and the body's download): no closure or
    // timer of ours to keep alive or clear.
    let signal = AbortSignal::timeout_with_u32(FETCH_TIMEOUT_MS);
    let builder = match &request.json_body {
        Some(_) => Request::post(&request.url).header("Content-Type", "application/json"),
        None => Request::get(&request.url),
    }
    .abort_signal(Some(&signal));
    let builder = if request.credentials {
        builder.credentials(RequestCredentials::Include)
    } else {
        builder
    };
    let builder = match &request.authorization {
        Some(bearer) => builder.header("Authorization", &format!("Bearer {}", bearer.token())),
        None => builder,
    };
    let answer = async {
        let response = match request.json_body {
            Some(body) => builder.body(body)?,
            None => builder.build()?,
        }
        .send()
        .await?;
        let body = response.text().await?;
        Ok::<_, gloo_net::Error>(HttpResponse {
            status: response.status(),
            retry_after: response.headers().get("Retry-After"),
            body,
        })
    };
    answer.await.map_err(|error| match error {
        _ if signal.aborted() => FetchError::Timeout,
        gloo_net::Error::JsError(error) => FetchError::Network(error.message),
        other => FetchError::Network(other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_owner_secret_is_read_back_as_written_and_nothing_else_is_taken() {
        let bytes = *b"\x00\x01\x02secret byte\xfe\xff";
        let text = hex(bytes);
        assert_eq!(text.len(), 32);
        assert_eq!(unhex(&text), Some(bytes));
        assert_eq!(unhex(&text.to_uppercase()), Some(bytes));
        for bad in [
            String::new(),
            "00".into(),
            text[1..].into(),
            format!("{text}0"),
            format!("+{}", &text[1..]),
            format!("x{}", &text[1..]),
        ] {
            assert_eq!(unhex(&bad), None, "{bad}");
        }
    }
}
