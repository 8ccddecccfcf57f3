//! Mounting: a widget in every `[data-deskform]` element, following its attributes.

use std::cell::RefCell;
use std::rc::Rc;

use deskform_core::Locale;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::browser_host::browser_languages;
use super::BrowserHost;
use crate::components::{App, AppProps, LockedDesks};
use crate::draft::DraftTtl;
use crate::host::HostHandle;

/// One mounted widget: its app, and the observer that passes attribute changes on to it.
struct Mounted {
    _app: Rc<RefCell<yew::AppHandle<App>>>,
    _observer: Option<(web_sys::MutationObserver, Closure<dyn Fn()>)>,
}

// The widgets mounted so far; kept so they live as long as the page.
thread_local! {
    static MOUNTED: RefCell<Vec<Mounted>> = const { RefCell::new(Vec::new()) };
}

/// The attributes the widget reads, and follows when the page changes them.
const ATTRIBUTES: [&str; 6] = [
    "data-plan",
    "data-locale",
    "data-config-url",
    "data-session-url",
    "data-submit-url",
    "data-locked-desks",
];

/// A trimmed, non-empty attribute.
fn attribute(element: &web_sys::Element, name: &str) -> Option<String> {
    element
        .get_attribute(name)
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// `data-draft-ttl`: how long a draft is kept; a value that is not one is reported, and the
/// default used. Read once, when the widget mounts.
fn draft_ttl_of(element: &web_sys::Element) -> DraftTtl {
    let Some(text) = attribute(element, "data-draft-ttl") else {
        return DraftTtl::default();
    };
    text.parse().unwrap_or_else(|error| {
        gloo_console::error!(format!(
            "deskform: data-draft-ttl: \"{text}\": {error}; using the default, {}",
            DraftTtl::DEFAULT_TEXT
        ));
        DraftTtl::default()
    })
}

/// `data-locked-desks`: hide or show the desks the viewer may not use; a value that is neither
/// is reported, and the default used.
fn locked_desks_of(element: &web_sys::Element) -> LockedDesks {
    let Some(text) = attribute(element, "data-locked-desks") else {
        return LockedDesks::default();
    };
    text.parse().unwrap_or_else(|error| {
        gloo_console::error!(format!(
            "deskform: data-locked-desks: \"{text}\": {error}; using the default, {}",
            LockedDesks::DEFAULT_TEXT
        ));
        LockedDesks::default()
    })
}

/// The widget's props from its element's attributes.
fn props_of(
    element: &web_sys::Element,
    host: &HostHandle,
    id_prefix: &yew::AttrValue,
    draft_ttl: DraftTtl,
) -> AppProps {
    let locale = match attribute(element, "data-locale") {
        None => None,
        Some(tag) => match tag.parse::<Locale>() {
            Ok(locale) => Some(locale),
            Err(_) => {
                gloo_console::error!(format!(
                    "deskform: data-locale: unknown locale \"{tag}\"; valid locales: en, ja, vi; using the browser's languages"
                ));
                None
            }
        },
    };
    let locale = locale
        .or_else(|| Locale::negotiate(browser_languages().iter().map(String::as_str)))
        .unwrap_or(Locale::En);
    AppProps {
        host: host.clone(),
        locale,
        plan: attribute(element, "data-plan").map(Into::into),
        // A page that states the plan (even empty: signed out) knows it; the session is not
        // asked then.
        session_url: (!element.has_attribute("data-plan"))
            .then(|| attribute(element, "data-session-url"))
            .flatten()
            .map(Into::into),
        submit_url: attribute(element, "data-submit-url").map(Into::into),
        config_url: attribute(element, "data-config-url").map(Into::into),
        draft_ttl,
        locked_desks: locked_desks_of(element),
        id_prefix: id_prefix.clone(),
    }
}

/// Starts the widget on a page: mounts every `[data-deskform]` element, and gives the page
/// `window.deskform.mount()` for elements it adds later (a single-page app's route change).
pub fn start() {
    if let Some(window) = web_sys::window() {
        let api = js_sys::Object::new();
        // Lives as long as the page.
        let mount = Closure::<dyn Fn()>::new(mount_all).into_js_value();
        let _ = js_sys::Reflect::set(&api, &"mount".into(), &mount);
        let _ = js_sys::Reflect::set(&window, &"deskform".into(), &api);
    }
    mount_all();
}

/// Mounts a widget into every `[data-deskform]` element not yet mounted. A page that changes
/// `data-plan`, `data-locale`, `data-config-url` or `data-locked-desks` later (a sign-in without a reload) sees the
/// widget follow; what the customer typed stays.
pub fn mount_all() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(nodes) = document.query_selector_all("[data-deskform]") else {
        return;
    };
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    let mut index = MOUNTED.with(|m| m.borrow().len());
    for node in 0..nodes.length() {
        let Some(element) = nodes
            .item(node)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        if element.has_attribute("data-deskform-mounted") {
            continue;
        }
        let _ = element.set_attribute("data-deskform-mounted", "");
        // Whatever the host put inside as a fallback ("Loading…", a mailto link) gives way.
        element.set_inner_html("");
        let id_prefix: yew::AttrValue = match element.id() {
            id if !id.is_empty() => format!("{id}-form"),
            _ => format!("deskform-{index}"),
        }
        .into();
        let draft_key = attribute(&element, "data-draft-key")
            .unwrap_or_else(|| format!("deskform:draft:{path}:{id_prefix}"));
        let host = HostHandle::new(BrowserHost::new(draft_key));
        let draft_ttl = draft_ttl_of(&element);
        let props = props_of(&element, &host, &id_prefix, draft_ttl);
        let app = Rc::new(RefCell::new(
            yew::Renderer::<App>::with_root_and_props(element.clone(), props).render(),
        ));

        let follow = {
            let (app, element) = (app.clone(), element.clone());
            Closure::<dyn Fn()>::new(move || {
                app.borrow_mut()
                    .update(props_of(&element, &host, &id_prefix, draft_ttl));
            })
        };
        let observer = web_sys::MutationObserver::new(follow.as_ref().unchecked_ref()).ok();
        let observer = observer.and_then(|observer| {
            let options = web_sys::MutationObserverInit::new();
            options.set_attribute_filter(
                &ATTRIBUTES
                    .iter()
                    .map(|a| JsValue::from_str(a))
                    .collect::<js_sys::Array>(),
            );
            observer.observe_with_options(&element, &options).ok()?;
            Some((observer, follow))
        });
        MOUNTED.with(|m| {
            m.borrow_mut().push(Mounted {
                _app: app,
                _observer: observer,
            })
        });
        index += 1;
    }
}
