//! What the browser tests share: the document, letting the page settle, finding an element,
//! and typing as a person does. A module of `tests/browser.rs` and `tests/browser_identity.rs`,
//! not a test of its own.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Lets the browser run pending tasks (fetches, timers; a token's renewal and then the post
/// take six rounds), then renders what they changed.
pub async fn settle() {
    for _ in 0..6 {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
        yew::scheduler::flush().await;
    }
}

pub fn find<T: JsCast>(root: &Element, selector: &str) -> T {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .dyn_into::<T>()
        .unwrap()
}

/// Types into a field as a person does: the value changes and an `input` event bubbles.
pub async fn type_into(root: &Element, selector: &str, text: &str) {
    let element: HtmlElement = find(root, selector);
    if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
        input.set_value(text);
    } else {
        element
            .unchecked_ref::<HtmlTextAreaElement>()
            .set_value(text);
    }
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    let event = web_sys::InputEvent::new_with_event_init_dict("input", &init).unwrap();
    element.dispatch_event(&event).unwrap();
    settle().await;
}
