//! The widget mounted in a real browser page: choose a desk, type, and find the draft again
//! after a reload (a second mount over the same stored draft).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

mod browser_support;
use browser_support::{document, find, settle, type_into};

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

// The mount API (`<deskform-widget>` and `window.deskform.mount`): a shadow root per widget.

/// A `<deskform-widget>` element added to the page (the loader defines the class; the wasm
/// only needs an element that can hold a shadow root).
fn widget_element(id: &str) -> HtmlElement {
    let element = document().create_element("deskform-widget").unwrap();
    element.set_id(id);
    document().body().unwrap().append_child(&element).unwrap();
    element.dyn_into().unwrap()
}

/// The options object a page passes, from its JSON.
fn options(json: &str) -> wasm_bindgen::JsValue {
    js_sys::JSON::parse(json).unwrap()
}

/// The widget's root inside the element's shadow root.
fn shadow_root_of(element: &Element) -> Element {
    let shadow = element.shadow_root().expect("an open shadow root");
    shadow
        .query_selector(".deskform")
        .unwrap()
        .expect("the widget in the shadow root")
}

/// Every `deskform:*` event dispatched on (or bubbling to) `target`: its type and its detail as
/// JSON, in order.
type Heard = std::rc::Rc<std::cell::RefCell<Vec<(String, String)>>>;

fn listen(target: &web_sys::EventTarget) -> (Heard, Vec<gloo_events::EventListener>) {
    let heard: Heard = Default::default();
    let listeners = ["ready", "desk-change", "submit", "sent", "error"]
        .iter()
        .map(|name| {
            let heard = heard.clone();
            gloo_events::EventListener::new(target, format!("deskform:{name}"), move |event| {
                let event = event.dyn_ref::<web_sys::CustomEvent>().unwrap();
                assert!(event.bubbles() && event.composed());
                let detail = js_sys::JSON::stringify(&event.detail()).unwrap();
                heard
                    .borrow_mut()
                    .push((event.type_(), detail.as_string().unwrap()));
            })
        })
        .collect();
    (heard, listeners)
}

#[wasm_bindgen_test]
async fn the_mount_api_renders_in_a_shadow_root_and_update_keeps_the_text() {
    storage().remove_item("test:api").unwrap();
    deskform::embed::set_stylesheet("/deskform-0123.css");
    let element = widget_element("api");
    let handle = deskform::embed::mount_element(
        element.clone(),
        options(r#"{"plan":"free","locale":"en","draftKey":"test:api","theme":"dark"}"#),
    )
    .unwrap();
    settle().await;
    // Nothing in the page's DOM; the form, its stylesheet link and its theme in the shadow.
    assert_eq!(element.child_element_count(), 0);
    let shadow = element.shadow_root().unwrap();
    let link = shadow.first_element_child().unwrap();
    assert_eq!(link.local_name(), "link");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("/deskform-0123.css")
    );
    let root = shadow_root_of(&element);
    assert_eq!(root.get_attribute("data-theme").as_deref(), Some("dark"));
    // The free plan's desks only (usage is hidden by default).
    assert!(root
        .query_selector("input[type=radio][value=usage]")
        .unwrap()
        .is_none());
    type_into(&root, "textarea", "Typed before the sign-in").await;

    handle.update(options(
        r#"{"plan":"business","locale":"en","theme":"light"}"#,
    ));
    settle().await;
    let root = shadow_root_of(&element);
    assert_eq!(root.get_attribute("data-theme").as_deref(), Some("light"));
    assert!(!find::<HtmlInputElement>(&root, "input[value=usage]").disabled());
    let message: HtmlTextAreaElement = find(&root, "textarea");
    assert_eq!(message.value(), "Typed before the sign-in");
    // The widget's DOM has nothing a `style-src 'self'` policy would block.
    assert!(shadow.query_selector("style, [style]").unwrap().is_none());
    handle.unmount();
}

#[wasm_bindgen_test]
async fn mounting_twice_is_one_form_and_unmount_leaves_nothing_behind() {
    storage().remove_item("test:twice").unwrap();
    let before = deskform::embed::mounted_count();
    let element = widget_element("twice");
    let first = deskform::embed::mount_element(
        element.clone(),
        options(r#"{"locale":"en","draftKey":"test:twice"}"#),
    )
    .unwrap();
    settle().await;
    type_into(&shadow_root_of(&element), "input[name=subject]", "Kept").await;
    let second = deskform::embed::mount_element(
        element.clone(),
        options(r#"{"locale":"ja","draftKey":"test:twice"}"#),
    )
    .unwrap();
    settle().await;
    let shadow = element.shadow_root().unwrap();
    assert_eq!(shadow.query_selector_all("form").unwrap().length(), 1);
    assert_eq!(
        shadow_root_of(&element).get_attribute("lang").as_deref(),
        Some("ja")
    );
    assert_eq!(deskform::embed::mounted_count(), before + 1);

    // Either handle is the widget's.
    second.unmount();
    settle().await;
    assert_eq!(shadow.child_element_count(), 0);
    assert_eq!(deskform::embed::mounted_count(), before);
    first.unmount();

    // Mounted again, it is a new form over the same draft.
    let again = deskform::embed::mount_element(
        element.clone(),
        options(r#"{"locale":"en","draftKey":"test:twice"}"#),
    )
    .unwrap();
    settle().await;
    let subject: HtmlInputElement = find(&shadow_root_of(&element), "input[name=subject]");
    assert_eq!(subject.value(), "Kept");
    again.unmount();

    // A single-page app adding and removing the element: nothing piles up.
    for round in 0..100 {
        let element = widget_element(&format!("spa-{round}"));
        let handle = deskform::embed::mount_element(
            element.clone(),
            options(r#"{"locale":"en","draftKey":"test:spa"}"#),
        )
        .unwrap();
        handle.unmount();
        element.remove();
    }
    settle().await;
    assert_eq!(deskform::embed::mounted_count(), before);
}

/// Yew never removes an app's event listeners, so a widget mounted after another was
/// unmounted renders through the app that one left (in the same `<div>`, where the listeners
/// are), and starts a fresh form all the same.
#[wasm_bindgen_test]
async fn a_widget_mounted_after_another_left_reuses_its_app_and_starts_a_fresh_form() {
    for key in ["test:pool-first", "test:pool-second"] {
        storage().remove_item(key).unwrap();
    }
    let first = widget_element("pool-first");
    let handle = deskform::embed::mount_element(
        first.clone(),
        options(r#"{"locale":"en","plan":"business","draftKey":"test:pool-first"}"#),
    )
    .unwrap();
    settle().await;
    let app_root = first
        .shadow_root()
        .unwrap()
        .query_selector("div")
        .unwrap()
        .unwrap();
    type_into(
        &shadow_root_of(&first),
        "input[name=subject]",
        "Typed in the first",
    )
    .await;
    handle.unmount();
    first.remove();
    settle().await;

    let second = widget_element("pool-second");
    let handle = deskform::embed::mount_element(
        second.clone(),
        options(r#"{"locale":"en","plan":"business","draftKey":"test:pool-second"}"#),
    )
    .unwrap();
    settle().await;
    let shadow = second.shadow_root().unwrap();
    assert!(shadow.query_selector("div").unwrap().unwrap() == app_root);
    assert_eq!(shadow.query_selector_all("form").unwrap().length(), 1);
    let root = shadow_root_of(&second);
    let subject: HtmlInputElement = find(&root, "input[name=subject]");
    assert_eq!(subject.value(), "");
    // The reused listeners reach the new form.
    type_into(&root, "textarea", "Hello").await;
    let count: Element = find(&root, ".deskform-count");
    assert_eq!(
        count.text_content().as_deref(),
        Some("5 of 5000 characters")
    );
    handle.unmount();
    second.remove();
}

#[wasm_bindgen_test]
async fn events_tell_the_page_what_happened_and_never_the_text_or_the_email() {
    storage().remove_item("test:events").unwrap();
    fake_fetch(
        201,
        "{'Content-Type': 'application/json'}",
        r#"{"ticket_id":"DF-ABCDEFGHJK","desk":"login","received_at":"2026-11-26T14:30:00Z","due_date":"2026-12-01"}"#,
    );
    let element = widget_element("events");
    // Heard outside the shadow root, on an ancestor: the events bubble and are composed.
    let (heard, _listeners) = listen(&document().body().unwrap());
    let handle = deskform::embed::mount_element(
        element.clone(),
        options(r#"{"locale":"en","draftKey":"test:events","submitUrl":"/api/inquiries"}"#),
    )
    .unwrap();
    settle().await;
    let root = shadow_root_of(&element);
    fill_in(&root).await;
    let due = find::<Element>(&root, "[data-testid=reply-date]")
        .get_attribute("datetime")
        .unwrap();
    find::<HtmlElement>(&root, "button[type=submit]").click();
    settle().await;
    real_fetch();
    handle.unmount();
    let heard = heard.borrow().clone();
    assert_eq!(
        heard,
        [
            (
                "deskform:ready".to_owned(),
                r#"{"desks":[{"available":true,"id":"login"},{"available":false,"id":"usage"}],"locale":"en","plan":null}"#.to_owned()
            ),
            (
                "deskform:desk-change".to_owned(),
                format!(r#"{{"desk":"login","dueDate":"{due}"}}"#)
            ),
            ("deskform:submit".to_owned(), r#"{"desk":"login"}"#.to_owned()),
            (
                "deskform:sent".to_owned(),
                r#"{"desk":"login","dueDate":"2026-12-01","ticketId":"DF-ABCDEFGHJK"}"#.to_owned()
            ),
        ]
    );
}

#[wasm_bindgen_test]
async fn a_catalog_or_session_that_fails_is_an_error_event_also_on_a_data_deskform_element() {
    let element = document().create_element("div").unwrap();
    let (heard, _listeners) = listen(&element);
    element.set_attribute("data-deskform", "").unwrap();
    element
        .set_attribute("data-config-url", "/no-such-catalog-for-events.json")
        .unwrap();
    element
        .set_attribute("data-draft-key", "test:error-event")
        .unwrap();
    document().body().unwrap().append_child(&element).unwrap();
    deskform::embed::mount_all();
    for _ in 0..20 {
        if !heard.borrow().is_empty() {
            break;
        }
        settle().await;
    }
    let heard = heard.borrow().clone();
    assert_eq!(heard.len(), 1, "{heard:?}");
    assert_eq!(heard[0].0, "deskform:error");
    assert!(
        heard[0].1.starts_with(
            r#"{"kind":"catalog","message":"data-config-url /no-such-catalog-for-events.json: "#
        ),
        "{}",
        heard[0].1
    );
    // Light DOM, as before: no shadow root.
    assert!(element.shadow_root().is_none());
    assert!(element.query_selector(".deskform").unwrap().is_some());

    // A session that cannot be read: an error of its own kind, then the signed-out form.
    let element = widget_element("session-error");
    let (heard, _listeners) = listen(&element);
    let handle = deskform::embed::mount_element(
        element.clone(),
        options(r#"{"locale":"en","sessionUrl":"/no-such-session","draftKey":"test:session"}"#),
    )
    .unwrap();
    for _ in 0..20 {
        if heard.borrow().len() >= 2 {
            break;
        }
        settle().await;
    }
    handle.unmount();
    let heard = heard.borrow().clone();
    let kinds: Vec<&str> = heard.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(kinds, ["deskform:error", "deskform:ready"], "{heard:?}");
    assert!(
        heard[0]
            .1
            .starts_with(r#"{"kind":"session","message":"data-session-url /no-such-session: "#),
        "{}",
        heard[0].1
    );
}

#[wasm_bindgen_test]
async fn a_prefill_fills_an_empty_form_but_never_a_desk_the_viewer_may_not_use() {
    storage().remove_item("test:prefill").unwrap();
    let element = widget_element("prefill");
    let prefill = r#""prefill":{"desk":"usage","subject":"Order 1234","email":"page@example.com","message":"About my order"}"#;
    let handle = deskform::embed::mount_element(
        element.clone(),
        options(&format!(
            r#"{{"locale":"en","draftKey":"test:prefill","lockedDesks":"show",{prefill}}}"#
        )),
    )
    .unwrap();
    settle().await;
    let root = shadow_root_of(&element);
    assert!(!find::<HtmlInputElement>(&root, "input[value=usage]").checked());
    assert_eq!(
        find::<HtmlInputElement>(&root, "input[name=subject]").value(),
        "Order 1234"
    );
    assert_eq!(
        find::<HtmlInputElement>(&root, "input[type=email]").value(),
        "page@example.com"
    );
    assert_eq!(
        find::<HtmlTextAreaElement>(&root, "textarea").value(),
        "About my order"
    );
    handle.unmount();

    // For a plan that has the desk, it is chosen; a draft the customer typed wins over it.
    storage().remove_item("test:prefill").unwrap();
    let handle = deskform::embed::mount_element(
        element.clone(),
        options(&format!(
            r#"{{"plan":"business","locale":"en","draftKey":"test:prefill",{prefill}}}"#
        )),
    )
    .unwrap();
    settle().await;
    let root = shadow_root_of(&element);
    assert!(find::<HtmlInputElement>(&root, "input[value=usage]").checked());
    type_into(&root, "input[name=subject]", "My own words").await;
    handle.unmount();
    let handle = deskform::embed::mount_element(
        element.clone(),
        options(&format!(
            r#"{{"plan":"business","locale":"en","draftKey":"test:prefill",{prefill}}}"#
        )),
    )
    .unwrap();
    settle().await;
    let subject: HtmlInputElement = find(&shadow_root_of(&element), "input[name=subject]");
    assert_eq!(subject.value(), "My own words");
    handle.unmount();
}
