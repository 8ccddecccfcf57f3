//! Mounting: a widget in every `[data-deskform]` element (light DOM, following its attributes),
//! and in any element the page hands to [`mount`] (an open shadow root, following the options
//! of [`update`]). Every mounted widget is in one registry keyed by its element, so mounting an
//! element twice updates the one widget, and [`unmount`] frees all it holds.
//!
//! A widget in a shadow root renders through an app taken from a pool, not a new one: Yew 0.23
//! never removes an app's delegated event listeners (its `dom_bundle/subtree_root.rs`: "The
//! registry is never dropped in production"), so every new app left 4 listeners, and its root,
//! on the page for good: a single-page app that re-adds `<deskform-widget>` on each render grew
//! without end. An unmounted widget's app renders nothing and waits, with its root `<div>` (the
//! element its listeners are on), for the next widget to mount; that widget's [`App`] is a new
//! one (its own key), so nothing of the one before is kept but the app and the `<div>`. The
//! pool holds at most as many apps as were ever mounted at once.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use deskform_core::Locale;
use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, ShadowRoot};
use yew::prelude::*;
use yew::virtual_dom::VChild;

use super::browser_host::browser_languages;
use super::options::{attribute_name, MountOptions, OPTION_NAMES};
use super::BrowserHost;
use crate::components::{App, AppProps, LockedDesks, Theme};
use crate::draft::{DraftTtl, Prefill};
use crate::host::HostHandle;

/// The root component of every app: the widget's [`App`], or nothing while the app waits in
/// the pool.
#[derive(Properties, PartialEq)]
struct SlotProps {
    app: Option<VChild<App>>,
}

#[function_component]
fn Slot(props: &SlotProps) -> Html {
    props.app.clone().map(Html::from).unwrap_or_default()
}

/// One mounted widget.
struct Mounted {
    element: Element,
    app: RefCell<Option<yew::AppHandle<Slot>>>,
    /// What the app renders in: the element (`[data-deskform]`), or a `<div>` in its shadow
    /// root.
    root: Element,
    /// Its [`App`]'s key: a new one on every mount, so a pooled app starts a fresh [`App`].
    key: u32,
    host: Rc<BrowserHost>,
    id_prefix: yew::AttrValue,
    /// Read once, when the widget mounts.
    draft_ttl: DraftTtl,
    /// Where its options come from, which says how they are named in messages and which theme
    /// is the default.
    source: Source,
    /// The shadow root it renders in (mounted through the API).
    shadow: Option<ShadowRoot>,
    /// The observer that passes a `[data-deskform]` element's attribute changes on.
    observer: Option<(web_sys::MutationObserver, Closure<dyn Fn()>)>,
}

/// Where a widget's options come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    /// A `[data-deskform]` element's `data-*` attributes: light DOM, the light theme by default
    /// (as before themes).
    Attributes,
    /// The mount API's options object (`<deskform-widget>` included): a shadow root, `auto`.
    Options,
}

thread_local! {
    /// Every mounted widget; an entry leaves on [`unmount`].
    static MOUNTED: RefCell<Vec<Rc<Mounted>>> = const { RefCell::new(Vec::new()) };
    /// How many `[data-deskform]` widgets were mounted: the next one's id prefix.
    static LIGHT_MOUNTS: Cell<u32> = const { Cell::new(0) };
    /// The URL of the widget's stylesheet, linked in every shadow root.
    static STYLESHEET: RefCell<Option<String>> = const { RefCell::new(None) };
    /// The apps of unmounted shadow-root widgets, rendering nothing, with their root `<div>`.
    static POOL: RefCell<Vec<(Element, yew::AppHandle<Slot>)>> = const { RefCell::new(Vec::new()) };
    /// The key of the next widget's [`App`].
    static NEXT_KEY: Cell<u32> = const { Cell::new(0) };
}

/// The widget mounted on `element`, if any. The registry is never borrowed while yew or the
/// page runs: a listener may mount or unmount from inside an event.
fn mounted(element: &Element) -> Option<Rc<Mounted>> {
    MOUNTED.with(|m| m.borrow().iter().find(|w| w.element == *element).cloned())
}

impl Mounted {
    /// The app's props for these options.
    fn props(&self, options: &MountOptions) -> AppProps {
        let name = |option: &str| match self.source {
            Source::Attributes => attribute_name(option),
            Source::Options => option.to_owned(),
        };
        let locale = MountOptions::given(&options.locale).and_then(|tag| {
            tag.parse::<Locale>()
                .inspect_err(|_| {
                    gloo_console::error!(format!(
                        "deskform: {}: unknown locale \"{tag}\"; valid locales: en, ja, vi; using the browser's languages",
                        name("locale")
                    ))
                })
                .ok()
        });
        let locale = locale
            .or_else(|| Locale::negotiate(browser_languages().iter().map(String::as_str)))
            .unwrap_or(Locale::En);
        let default_theme = match self.source {
            Source::Attributes => Theme::Light,
            Source::Options => Theme::Auto,
        };
        let theme = options.theme_or(default_theme).unwrap_or_else(|error| {
            gloo_console::error!(format!("deskform: {}: {error}", name("theme")));
            default_theme
        });
        let text = |value: &Option<String>| MountOptions::given(value).map(yew::AttrValue::from);
        AppProps {
            host: HostHandle(self.host.clone()),
            locale,
            plan: text(&options.plan),
            identity_token: options.identity_token.clone(),
            identity_token_name: name("identityToken").into(),
            // A page that states the plan (even empty: signed out) knows it; the session is not
            // asked then. A page's token outranks its plan; the session renews the token.
            session_url: (options.plan.is_none() || options.identity_token.is_some())
                .then(|| text(&options.session_url))
                .flatten(),
            submit_url: text(&options.submit_url),
            config_url: text(&options.config_url),
            draft_ttl: self.draft_ttl,
            id_prefix: self.id_prefix.clone(),
            theme,
            locked_desks: locked_desks_of(options, &name("lockedDesks")),
            prefill: options.prefill.clone().map(Rc::new),
        }
    }

    /// What the app renders for these options: this widget's [`App`].
    fn slot(&self, options: &MountOptions) -> SlotProps {
        SlotProps {
            app: Some(VChild::new(self.props(options), Some(self.key.into()))),
        }
    }

    /// Renders the widget with new options; what the customer typed stays.
    fn update(&self, options: &MountOptions) {
        let slot = self.slot(options);
        if let Some(app) = self.app.borrow_mut().as_mut() {
            app.update(slot);
        }
    }
}

/// `draftTtl`: how long a draft is kept; a value that is not one is reported, and the default
/// used.
fn draft_ttl_of(options: &MountOptions, option_name: &str) -> DraftTtl {
    let Some(text) = MountOptions::given(&options.draft_ttl) else {
        return DraftTtl::default();
    };
    text.parse().unwrap_or_else(|error| {
        gloo_console::error!(format!(
            "deskform: {option_name}: \"{text}\": {error}; using the default, {}",
            DraftTtl::DEFAULT_TEXT
        ));
        DraftTtl::default()
    })
}

/// `lockedDesks`: hide or show the desks the viewer may not use; a value that is neither is
/// reported, and the default used.
fn locked_desks_of(options: &MountOptions, option_name: &str) -> LockedDesks {
    let Some(text) = MountOptions::given(&options.locked_desks) else {
        return LockedDesks::default();
    };
    text.parse().unwrap_or_else(|error| {
        gloo_console::error!(format!(
            "deskform: {option_name}: \"{text}\": {error}; using the default, {}",
            LockedDesks::DEFAULT_TEXT
        ));
        LockedDesks::default()
    })
}

/// The page's path, which scopes the default draft key.
fn page_path() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default()
}

/// Mounts a widget on `root` (the element itself, or a container in its shadow root) and
/// registers it; `pooled` is the app that rendered in `root` before, if any.
fn mount_into(
    element: &Element,
    (root, pooled): (Element, Option<yew::AppHandle<Slot>>),
    shadow: Option<ShadowRoot>,
    options: &MountOptions,
    source: Source,
    id_prefix: yew::AttrValue,
) -> Rc<Mounted> {
    let draft_key = MountOptions::given(&options.draft_key)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("deskform:draft:{}:{id_prefix}", page_path()));
    let draft_ttl = draft_ttl_of(
        options,
        match source {
            Source::Attributes => "data-draft-ttl",
            Source::Options => "draftTtl",
        },
    );
    let mut widget = Mounted {
        element: element.clone(),
        app: RefCell::new(None),
        root,
        key: NEXT_KEY.with(|k| k.replace(k.get().wrapping_add(1))),
        host: Rc::new(BrowserHost::new(draft_key, Some(element.clone()))),
        id_prefix,
        draft_ttl,
        source,
        shadow,
        observer: None,
    };
    if source == Source::Attributes {
        widget.observer = observe_attributes(element);
    }
    let slot = widget.slot(options);
    let app = match pooled {
        Some(mut app) => {
            app.update(slot);
            app
        }
        None => yew::Renderer::<Slot>::with_root_and_props(widget.root.clone(), slot).render(),
    };
    *widget.app.get_mut() = Some(app);
    let widget = Rc::new(widget);
    MOUNTED.with(|m| m.borrow_mut().push(widget.clone()));
    widget
}

/// The options a `[data-deskform]` element's attributes give.
fn options_of_attributes(element: &Element) -> MountOptions {
    MountOptions::read(&|name| element.get_attribute(&attribute_name(name)))
}

/// Follows a `[data-deskform]` element's attributes: a change re-renders its widget.
fn observe_attributes(element: &Element) -> Option<(web_sys::MutationObserver, Closure<dyn Fn()>)> {
    let follow = {
        let element = element.clone();
        Closure::<dyn Fn()>::new(move || {
            if cfg!(not(feature = "custom-catalog"))
                && element.has_attribute("data-config-url")
                && hand_over(&element)
            {
                return;
            }
            if let Some(widget) = mounted(&element) {
                widget.update(&options_of_attributes(&element));
            }
        })
    };
    let observer = web_sys::MutationObserver::new(follow.as_ref().unchecked_ref()).ok()?;
    let options = web_sys::MutationObserverInit::new();
    options.set_attribute_filter(
        &OPTION_NAMES
            .iter()
            .map(|name| JsValue::from(attribute_name(name)))
            .collect::<js_sys::Array>(),
    );
    observer.observe_with_options(element, &options).ok()?;
    Some((observer, follow))
}

/// The lean build reads no page catalog: a `[data-deskform]` element that is given one is
/// handed to the full build. Unmounted here, it is mounted again by the loader's
/// `window.deskform.mount()`, which loads the full build for it; what the customer typed comes
/// back from the draft. False on a page without the loader: the widget stays and says it cannot
/// read the catalog.
fn hand_over(element: &Element) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let api = Reflect::get(&window, &"deskform".into()).unwrap_or_default();
    let has_loader = Reflect::has(&api, &"version".into()).unwrap_or(false);
    let Ok(mount) =
        Reflect::get(&api, &"mount".into()).and_then(|m| m.dyn_into::<js_sys::Function>())
    else {
        return false;
    };
    if !has_loader {
        return false;
    }
    let element = element.clone();
    // Not from inside the observer's callback: unmounting drops that callback.
    wasm_bindgen_futures::spawn_local(async move {
        unmount(&element);
        let _ = mount.call0(&api);
    });
    true
}

/// Starts the widget on a page: mounts every `[data-deskform]` element. A page without the
/// loader (`deskform.js`) also gets `window.deskform.mount()` for `[data-deskform]` elements
/// it adds later; when the loader has made `window.deskform`, it is the loader's, and nothing
/// is added to it.
pub fn start() {
    if let Some(window) = web_sys::window() {
        let taken = Reflect::has(&window, &"deskform".into()).unwrap_or(false);
        if !taken {
            let api = js_sys::Object::new();
            // Lives as long as the page.
            let mount = Closure::<dyn Fn()>::new(mount_all).into_js_value();
            let _ = Reflect::set(&api, &"mount".into(), &mount);
            let _ = Reflect::set(&window, &"deskform".into(), &api);
        }
    }
    mount_all();
}

/// Mounts a widget into every `[data-deskform]` element not yet mounted (in the lean build,
/// those without `data-config-url`). A page that changes
/// its `data-*` attributes later (a sign-in without a reload) sees the widget follow; what the
/// customer typed stays.
pub fn mount_all() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(nodes) = document.query_selector_all("[data-deskform]") else {
        return;
    };
    for node in 0..nodes.length() {
        let Some(element) = nodes.item(node).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        if element.has_attribute("data-deskform-mounted") || mounted(&element).is_some() {
            continue;
        }
        // The lean build reads no page catalog: such an element is the full build's, which the
        // loader loads for it.
        if cfg!(not(feature = "custom-catalog")) && element.has_attribute("data-config-url") {
            continue;
        }
        let _ = element.set_attribute("data-deskform-mounted", "");
        // Whatever the host put inside as a fallback ("Loading…", a mailto link) gives way.
        element.set_inner_html("");
        let index = LIGHT_MOUNTS.with(|n| n.replace(n.get() + 1));
        let id_prefix = match element.id() {
            id if !id.is_empty() => format!("{id}-form"),
            _ => format!("deskform-{index}"),
        };
        let options = options_of_attributes(&element);
        mount_into(
            &element,
            (element.clone(), None),
            None,
            &options,
            Source::Attributes,
            id_prefix.into(),
        );
    }
}

/// Mounts a widget in `element`'s open shadow root (made if the element has none), or updates
/// the widget already there.
pub fn mount(element: &Element, options: &MountOptions) -> Result<(), String> {
    if let Some(widget) = mounted(element) {
        widget.update(options);
        return Ok(());
    }
    let shadow = match element.shadow_root() {
        Some(shadow) => shadow,
        None => element
            .attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
            .map_err(|_| format!("<{}> cannot hold a shadow root", element.local_name()))?,
    };
    // The loader's fallback gives way; its stylesheet links stay (no flash of unstyled form).
    let children = shadow.children();
    for index in (0..children.length()).rev() {
        if let Some(child) = children.item(index) {
            if child.local_name() != "link" {
                child.remove();
            }
        }
    }
    if let Some(url) = STYLESHEET.with(|s| s.borrow().clone()) {
        link_stylesheet(&shadow, &url);
    }
    let (root, pooled) = match POOL.with(|p| p.borrow_mut().pop()) {
        Some((root, app)) => (root, Some(app)),
        None => {
            let document = element
                .owner_document()
                .ok_or("the element is not in a document")?;
            let root = document
                .create_element("div")
                .map_err(|_| "cannot make the widget's root")?;
            (root, None)
        }
    };
    shadow
        .append_child(&root)
        .map_err(|_| "cannot fill the shadow root")?;
    // Ids are scoped by the shadow root; the element's id keeps drafts apart when a page
    // holds several widgets without a draft key.
    let id_prefix = match element.id() {
        id if !id.is_empty() => format!("{id}-form"),
        _ => "deskform".to_owned(),
    };
    mount_into(
        element,
        (root, pooled),
        Some(shadow),
        options,
        Source::Options,
        id_prefix.into(),
    );
    Ok(())
}

/// How many widgets are mounted (for tests: an unmounted widget leaves nothing behind).
#[doc(hidden)]
pub fn mounted_count() -> usize {
    MOUNTED.with(|m| m.borrow().len())
}

/// Renders the widget on `element` with new options; whether it was mounted.
pub fn update(element: &Element, options: &MountOptions) -> bool {
    match mounted(element) {
        Some(widget) => {
            widget.update(options);
            true
        }
        None => false,
    }
}

/// Destroys the widget on `element`: its [`App`], its listeners and timers, and what it put
/// in the shadow root; the element may be mounted again. A shadow-root widget's app, idle,
/// goes to the pool with its root `<div>`.
pub fn unmount(element: &Element) {
    let widget = MOUNTED.with(|m| {
        let mut m = m.borrow_mut();
        let index = m.iter().position(|w| w.element == *element)?;
        Some(m.swap_remove(index))
    });
    let Some(widget) = widget else {
        return;
    };
    // Nothing more reaches the page from this widget (a late answer, a timer).
    widget.host.forget_element();
    if let Some((observer, _)) = &widget.observer {
        observer.disconnect();
    }
    let app = widget.app.borrow_mut().take();
    match (&widget.shadow, app) {
        (Some(shadow), Some(mut app)) => {
            app.update(SlotProps { app: None });
            shadow.set_inner_html("");
            POOL.with(|p| p.borrow_mut().push((widget.root.clone(), app)));
        }
        (Some(shadow), None) => shadow.set_inner_html(""),
        (None, app) => {
            if let Some(app) = app {
                app.destroy();
            }
            let _ = element.remove_attribute("data-deskform-mounted");
        }
    }
}

/// Links the widget's stylesheet in every shadow root, now and from now on.
pub fn set_stylesheet(url: &str) {
    STYLESHEET.with(|s| *s.borrow_mut() = Some(url.to_owned()));
    let shadows: Vec<ShadowRoot> =
        MOUNTED.with(|m| m.borrow().iter().filter_map(|w| w.shadow.clone()).collect());
    for shadow in shadows {
        link_stylesheet(&shadow, url);
    }
}

/// A `<link rel="stylesheet">` to `url` first in `shadow`, unless one is there: a link passes a
/// `style-src 'self'` policy, where a `<style>` element would not.
fn link_stylesheet(shadow: &ShadowRoot, url: &str) {
    let links = shadow.children();
    let linked = (0..links.length())
        .filter_map(|i| links.item(i))
        .any(|l| l.local_name() == "link" && l.get_attribute("href").as_deref() == Some(url));
    if linked {
        return;
    }
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(link) = document.create_element("link") {
        let _ = link.set_attribute("rel", "stylesheet");
        let _ = link.set_attribute("href", url);
        let _ = shadow.prepend_with_node_1(&link);
    }
}

/// The options of the mount API's object: every option that is a string, and `prefill` when
/// it is an object. (Not numbers: formatting a float would cost the wasm 11 KB.)
pub fn options_of_object(object: &JsValue) -> MountOptions {
    let text_of =
        |object: &JsValue, name: &str| Reflect::get(object, &name.into()).ok()?.as_string();
    if !object.is_object() {
        return MountOptions::default();
    }
    let mut options = MountOptions::read(&|name| text_of(object, name));
    options.prefill = Reflect::get(object, &"prefill".into())
        .ok()
        .filter(JsValue::is_object)
        .map(|prefill| Prefill::read(&|name| text_of(&prefill, name)));
    options
}
