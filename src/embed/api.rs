//! The mount API: what the widget's wasm-bindgen module exports to the loader (`deskform.js`)
//! and to pages.
//!
//! # The contract with the loader
//!
//! The module (Trunk's hashed `deskform-widget-*.js` glue) exports:
//!
//! - `mount(element, options) -> WidgetHandle`: renders the widget in `element`'s **open shadow
//!   root** (the one it has, else a new one). Whatever the shadow root holds but `<link>`
//!   elements (a fallback) gives way. Mounting an element already mounted updates it and gives a
//!   handle to the same widget: never a second form. Throws if the element cannot hold a shadow
//!   root.
//! - `WidgetHandle.update(options)`: new options, as a changed attribute; the typed text stays.
//! - `WidgetHandle.unmount()`: destroys the app, empties the shadow root and drops every
//!   listener and timer of the widget; the element may be mounted again.
//! - `setStylesheet(url)`: the URL of the widget's (hashed) CSS, linked as the first child of
//!   every shadow root, present and future: a `<link rel="stylesheet">`, which a
//!   `style-src 'self'` policy allows. The widget's DOM has no `<style>` element and no `style=`
//!   attribute.
//! - `mountAll()`: mounts the `[data-deskform]` elements not yet mounted (what
//!   `window.deskform.mount()` without arguments did before the loader).
//!
//! `options` is a plain object with camelCase members, each a string (anything else is
//! ignored); an absent one is the default:
//! `plan` (absent: signed out unless `sessionUrl`; present, even empty, the session is not
//! asked), `identityToken` (the customer's JWT, signed by the team's backend: its claims,
//! read but not verified, outrank `plan`; sent as `Authorization: Bearer …` and renewed through
//! `sessionUrl`; see [`crate::identity`]), `locale` (`en` | `ja` | `vi`; absent: the browser's
//! languages), `sessionUrl`,
//! `submitUrl`, `configUrl`, `draftKey` (read at mount; default: the page's path and the
//! element's id), `draftTtl` (`7d`, `12h`, …; read at mount), `theme` (`light` | `dark` |
//! `auto`, default `auto`: `data-theme` on the widget's root), `lockedDesks` (`show`: the
//! locked desks' upsell view), and `prefill`: `{desk, subject, message, email, name}`, what a
//! new form starts with when there is no draft to restore (a desk the viewer may not use is
//! ignored; a signed-in identity's email and name always win). A bad value is reported in the
//! console and its default used.
//!
//! The widget tells the page what happens with `CustomEvent`s on the mounted element (and on a
//! `[data-deskform]` element), `bubbles` and `composed`, whose `detail` is a plain object; see
//! [`crate::host::WidgetEvent`]: `deskform:ready` `{locale, plan, desks: [{id, available}]}`,
//! `deskform:desk-change` `{desk, dueDate}`, `deskform:submit` `{desk}`, `deskform:sent`
//! `{ticketId, desk, dueDate}`, `deskform:error` `{kind, message}` (`catalog` | `session`,
//! also when no identity token fit to send can be had | `submit`). Dates are `YYYY-MM-DD`. No
//! event carries the message text, the email or the identity token.
//!
//! When the page has `window.deskform` (the loader made it) the wasm adds nothing to it; the
//! loader calls these exports. `[data-deskform]` elements are mounted at start as before (light
//! DOM, no shadow root).

use wasm_bindgen::prelude::*;
use web_sys::Element;

use super::mount::{self, options_of_object};

/// A mounted widget, for the page to update or remove.
#[wasm_bindgen]
#[derive(Debug)]
pub struct WidgetHandle {
    element: Element,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// New options; what the customer typed stays. A widget already unmounted is left alone.
    pub fn update(&self, options: JsValue) {
        if !mount::update(&self.element, &options_of_object(&options)) {
            gloo_console::error!("deskform: update() on an unmounted widget; mount it again");
        }
    }

    /// Removes the widget and everything it holds.
    pub fn unmount(&self) {
        mount::unmount(&self.element);
    }
}

/// Mounts a widget in `element`'s open shadow root, or updates the one there.
#[wasm_bindgen(js_name = mount)]
pub fn mount_element(
    element: web_sys::HtmlElement,
    options: JsValue,
) -> Result<WidgetHandle, JsError> {
    let element: Element = element.into();
    mount::mount(&element, &options_of_object(&options)).map_err(|e| JsError::new(&e))?;
    Ok(WidgetHandle { element })
}

/// The URL of the widget's stylesheet, linked in every shadow root.
#[wasm_bindgen(js_name = setStylesheet)]
pub fn set_stylesheet(url: &str) {
    mount::set_stylesheet(url);
}

/// Mounts the `[data-deskform]` elements not yet mounted.
#[wasm_bindgen(js_name = mountAll)]
pub fn mount_all() {
    mount::mount_all();
}
