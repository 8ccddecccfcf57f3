//! The widget mounted in a real browser page: choose a desk, type, and find the draft again
//! after a reload (a second mount over the same stored draft).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Adds a `[data-deskform]` element with these attributes and mounts the widget into it.
async fn mount(id: &str, attributes: &[(&str, &str)]) -> Element {
    let element = document().create_element("div").unwrap();
    element.set_id(id);
    element.set_attribute("data-deskform", "").unwrap();
    for (name, value) in attributes {
        element.set_attribute(name, value).unwrap();
    }
    document().body().unwrap().append_child(&element).unwrap();
    deskform::embed::mount_all();
    settle().await;
    element
}

/// Lets the browser run pending tasks (fetches, timers), then renders what they changed.
async fn settle() {
    for _ in 0..5 {
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

fn find<T: JsCast>(root: &Element, selector: &str) -> T {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .dyn_into::<T>()
        .unwrap()
}

/// Types into a field as a person does: the value changes and an `input` event bubbles.
async fn type_into(root: &Element, selector: &str, text: &str) {
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

#[wasm_bindgen_test]
async fn choosing_a_desk_shows_its_reply_date() {
    let root = mount(
        "choose",
        &[
            ("data-plan", "business"),
            ("data-locale", "en"),
            ("data-draft-key", "test:choose"),
        ],
    )
    .await;
    assert!(root
        .text_content()
        .unwrap()
        .contains("Choose a desk to see when you can expect a reply."));
    find::<HtmlElement>(&root, "input[value=usage]").click();
    settle().await;
    let date: Element = find(&root, "[data-testid=reply-date]");
    let iso = date.get_attribute("datetime").unwrap();
    assert_eq!(iso.len(), 10, "{iso}");
    assert!(!date.text_content().unwrap().is_empty());
    let region: Element = find(&root, "[aria-live=polite]");
    assert!(region
        .text_content()
        .unwrap()
        .contains("Within 1 business day"));
}

#[wasm_bindgen_test]
async fn a_desk_the_plan_does_not_allow_is_not_offered() {
    let root = mount(
        "hidden",
        &[
            ("data-plan", "free"),
            ("data-locale", "en"),
            ("data-draft-key", "test:hidden"),
        ],
    )
    .await;
    assert!(root.query_selector("input[value=usage]").unwrap().is_none());
    let radios = root.query_selector_all("input[type=radio]").unwrap();
    assert_eq!(radios.length(), 1);
    let more: Element = find(&root, ".deskform-more-desks");
    assert_eq!(
        more.text_content().unwrap(),
        "More desks come with a paid plan. See the plans"
    );
    let link: Element = find(&more, "a");
    assert_eq!(link.get_attribute("href").as_deref(), Some("/pricing"));
    let fieldset: Element = find(&root, "fieldset");
    assert_eq!(fieldset.get_attribute("aria-describedby"), Some(more.id()));

    // The page opts into the upsell view later: the desk appears, locked; and back.
    root.set_attribute("data-locked-desks", "show").unwrap();
    settle().await;
    let usage: HtmlInputElement = find(&root, "input[value=usage]");
    assert!(usage.disabled());
    assert!(root
        .query_selector(".deskform-more-desks")
        .unwrap()
        .is_none());
    root.set_attribute("data-locked-desks", "hide").unwrap();
    settle().await;
    assert!(root.query_selector("input[value=usage]").unwrap().is_none());
    assert!(root
        .query_selector(".deskform-more-desks")
        .unwrap()
        .is_some());
}

#[wasm_bindgen_test]
async fn shown_locked_a_desk_cannot_be_chosen() {
    let root = mount(
        "locked",
        &[
            ("data-plan", "free"),
            ("data-locale", "en"),
            ("data-draft-key", "test:locked"),
            ("data-locked-desks", "show"),
        ],
    )
    .await;
    let usage: HtmlInputElement = find(&root, "input[value=usage]");
    assert!(usage.disabled());
    usage.click();
    settle().await;
    assert!(!usage.checked());
    assert!(root
        .query_selector("[data-testid=reply-date]")
        .unwrap()
        .is_none());
    assert!(root
        .query_selector(".deskform-more-desks")
        .unwrap()
        .is_none());
}

#[wasm_bindgen_test]
async fn the_draft_survives_a_reload() {
    storage().remove_item("test:draft").unwrap();
    let attributes = [
        ("data-plan", "personal"),
        ("data-locale", "ja"),
        ("data-draft-key", "test:draft"),
    ];
    let first = mount("draft-1", &attributes).await;
    find::<HtmlElement>(&first, "input[value=login]").click();
    settle().await;
    type_into(&first, "input[type=email]", "khach@example.vn").await;
    type_into(&first, "textarea", "SMSのコードが届きません。\n二行目").await;

    let stored = storage()
        .get_item("test:draft")
        .unwrap()
        .expect("a stored draft");
    assert!(stored.contains("khach@example.vn"), "{stored}");
    assert!(stored.contains("\"desk\":\"login\""), "{stored}");

    // The page reloads: a new widget over the same storage finds everything again.
    first.remove();
    let second = mount("draft-2", &attributes).await;
    assert!(find::<HtmlInputElement>(&second, "input[value=login]").checked());
    assert_eq!(
        find::<HtmlInputElement>(&second, "input[type=email]").value(),
        "khach@example.vn"
    );
    assert_eq!(
        find::<HtmlTextAreaElement>(&second, "textarea").value(),
        "SMSのコードが届きません。\n二行目"
    );
    assert!(second
        .query_selector("[data-testid=reply-date]")
        .unwrap()
        .is_some());
}

#[wasm_bindgen_test]
async fn a_stored_draft_is_found_and_a_damaged_one_ignored() {
    // Saved an hour ago (drafts carry the time they were saved, and expire after 7 days).
    let saved_at = (js_sys::Date::now() / 1000.0) as u64 - 3600;
    storage()
        .set_item(
            "test:stored",
            &format!(
                r#"{{"saved_at":{saved_at},"desk":"login","email":"khach@example.vn","message":"Xin chào"}}"#
            ),
        )
        .unwrap();
    let attributes = [
        ("data-plan", "personal"),
        ("data-locale", "vi"),
        ("data-draft-key", "test:stored"),
    ];
    let root = mount("stored", &attributes).await;
    assert!(find::<HtmlInputElement>(&root, "input[value=login]").checked());
    assert_eq!(
        find::<HtmlTextAreaElement>(&root, "textarea").value(),
        "Xin chào"
    );
    root.remove();

    storage().set_item("test:stored", "{\"desk\":").unwrap();
    let root = mount("damaged", &attributes).await;
    assert!(!find::<HtmlInputElement>(&root, "input[value=login]").checked());
    assert_eq!(find::<HtmlTextAreaElement>(&root, "textarea").value(), "");
    // What the customer types next replaces it.
    type_into(&root, "textarea", "Mới").await;
    let stored = storage().get_item("test:stored").unwrap().unwrap();
    assert!(stored.contains("\"message\":\"Mới\""), "{stored}");
    assert!(stored.contains("\"saved_at\":"), "{stored}");
}

#[wasm_bindgen_test]
async fn submitting_an_incomplete_form_marks_each_field_and_sends_nothing() {
    storage().remove_item("test:submit").unwrap();
    let root = mount(
        "submit",
        &[("data-locale", "en"), ("data-draft-key", "test:submit")],
    )
    .await;
    type_into(&root, "input[type=email]", "not-an-address").await;
    find::<HtmlElement>(&root, "button[type=submit]").click();
    settle().await;
    let email: HtmlInputElement = find(&root, "input[type=email]");
    assert_eq!(email.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described = email.get_attribute("aria-describedby").unwrap();
    let error_id = described
        .split(' ')
        .find(|id| id.ends_with("-error"))
        .expect("an error id");
    let error = document().get_element_by_id(error_id).unwrap();
    assert!(error.text_content().unwrap().contains("email address"));
    // The desk comes first in the form, so focus goes to it.
    let focused = document().active_element().unwrap();
    assert_eq!(focused.get_attribute("value").as_deref(), Some("login"));
    let status: Element = find(&root, "[role=status]");
    assert_eq!(status.text_content().unwrap(), "Please correct 4 fields.");
    // Nothing typed is lost.
    assert_eq!(email.value(), "not-an-address");
}

#[wasm_bindgen_test]
async fn a_config_that_cannot_be_loaded_shows_a_plain_message_and_no_desks() {
    let root = mount(
        "bad-config",
        &[
            ("data-locale", "en"),
            ("data-config-url", "/no-such-catalog.json"),
            ("data-draft-key", "test:bad"),
        ],
    )
    .await;
    for _ in 0..20 {
        if root
            .query_selector(".deskform-unavailable")
            .unwrap()
            .is_some()
        {
            break;
        }
        settle().await;
    }
    assert!(root
        .text_content()
        .unwrap()
        .contains("The contact form is unavailable right now."));
    assert!(root.query_selector("input[type=radio]").unwrap().is_none());
}

/// Replaces the page's `fetch` with one that answers every request with this status, these
/// headers (a JS object literal) and this body, and keeps each request's body in
/// `window.__deskformSent`. [`real_fetch`] puts the browser's back.
fn fake_fetch(status: u16, headers: &str, body: &str) {
    js_sys::eval(&format!(
        "window.__deskformRealFetch = window.__deskformRealFetch || window.fetch;
         window.__deskformSent = [];
         window.fetch = async (request, init) => {{
           const body = typeof request === 'string' ? init.body : await request.clone().text();
           window.__deskformSent.push(body);
           return new Response({body:?}, {{ status: {status}, headers: {headers} }});
         }};"
    ))
    .unwrap();
}

fn real_fetch() {
    js_sys::eval("window.fetch = window.__deskformRealFetch || window.fetch;").unwrap();
}

/// The bodies the fake `fetch` received.
fn sent() -> Vec<String> {
    let sent = js_sys::eval("window.__deskformSent").unwrap();
    js_sys::Array::from(&sent)
        .iter()
        .map(|body| body.as_string().unwrap())
        .collect()
}

/// A complete inquiry to the login desk, typed as a person types it.
async fn fill_in(root: &Element) {
    find::<HtmlElement>(root, "input[value=login]").click();
    settle().await;
    type_into(root, "input[type=email]", "khach@example.vn").await;
    type_into(root, "input[name=subject]", "SMS").await;
    type_into(root, "textarea", "The code never arrives").await;
}

#[wasm_bindgen_test]
async fn a_robot_filling_the_honeypot_is_sent_as_website_and_never_saved() {
    storage().remove_item("test:honeypot").unwrap();
    fake_fetch(
        201,
        "{'Content-Type': 'application/json'}",
        r#"{"ticket_id":"DF-ABCDEFGHJK","desk":"login","received_at":"2026-11-26T14:30:00Z","due_date":"2026-12-01"}"#,
    );
    let root = mount(
        "honeypot",
        &[
            ("data-locale", "en"),
            ("data-draft-key", "test:honeypot"),
            ("data-submit-url", "/api/inquiries"),
        ],
    )
    .await;
    let honeypot: HtmlInputElement = find(&root, "input[name=website]");
    // Out of the Tab key's way, hidden from assistive technology.
    assert_eq!(honeypot.tab_index(), -1);
    assert_eq!(
        honeypot
            .parent_element()
            .unwrap()
            .get_attribute("aria-hidden")
            .as_deref(),
        Some("true")
    );
    fill_in(&root).await;
    type_into(&root, "input[name=website]", "https://spam.example").await;
    let stored = storage().get_item("test:honeypot").unwrap().unwrap();
    assert!(stored.contains("The code never arrives"), "{stored}");
    assert!(!stored.contains("spam"), "{stored}");

    find::<HtmlElement>(&root, "button[type=submit]").click();
    settle().await;
    real_fetch();
    let sent = sent();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(
        sent[0].ends_with(r#","website":"https://spam.example"}"#),
        "{}",
        sent[0]
    );
    let status: Element = find(&root, "[role=status]");
    assert!(
        status.text_content().unwrap().starts_with("Sent."),
        "{:?}",
        status.text_content()
    );
}

#[wasm_bindgen_test]
async fn too_many_messages_is_said_in_japanese_and_the_text_stays_editable() {
    storage().remove_item("test:limited").unwrap();
    // A proxy's 429: a page of its own, the wait only in the header.
    fake_fetch(
        429,
        "{'Content-Type': 'text/html', 'Retry-After': '90'}",
        "<html><body>Too Many Requests</body></html>",
    );
    let root = mount(
        "limited",
        &[
            ("data-locale", "ja"),
            ("data-draft-key", "test:limited"),
            ("data-submit-url", "/api/inquiries"),
        ],
    )
    .await;
    fill_in(&root).await;
    let sent_before = sent().len();
    find::<HtmlElement>(&root, "button[type=submit]").click();
    settle().await;
    assert_eq!(sent().len(), sent_before + 1);
    assert!(!sent()[0].contains("website"), "{}", sent()[0]);
    let status: Element = find(&root, "[role=status]");
    assert_eq!(
        status.text_content().unwrap(),
        "送信回数が多すぎます。2分後にもう一度お試しください。入力内容は保持されています。"
    );
    let message: HtmlTextAreaElement = find(&root, "textarea");
    assert_eq!(message.value(), "The code never arrives");
    assert!(!message.read_only());
    let send: HtmlElement = find(&root, "button[type=submit]");
    assert_eq!(send.get_attribute("aria-disabled"), None);
    // The send button works again.
    send.click();
    settle().await;
    real_fetch();
    assert_eq!(sent().len(), sent_before + 2);
}
