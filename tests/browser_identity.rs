//! Identity tokens in a real browser: the claims read through `atob` (UTF-8 names included),
//! the `Authorization` header on the inquiry, the token renewed through the session endpoint
//! when it expired while the customer typed, and what happens when it cannot be.
//!
//! `fetch` is replaced by a script that answers each path from a queue and records every
//! request (its method, path, `Authorization` header and body). The widget does not verify
//! tokens, so the signature here is any text.
#![cfg(target_arch = "wasm32")]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

mod browser_support;
use browser_support::{document, find, settle, type_into};

const SIGNATURE: &str = "c2lnbmF0dXJlLWZvci10ZXN0cw";
const RECEIPT: &str = r#"{"ticket_id":"DF-ABCDEFGHJK","desk":"usage","received_at":"2026-11-26T14:30:00Z","due_date":"2026-12-01"}"#;

fn now() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

/// A Business customer's token expiring at `exp` (seconds since the epoch).
fn token(email: &str, exp: u64) -> String {
    let claims = format!(
        r#"{{"sub":"7","email":"{email}","name":"Bảo Trần","plan":"business","iat":{},"exp":{exp}}}"#,
        exp.saturating_sub(3600)
    );
    format!(
        "{}.{}.{SIGNATURE}",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims)
    )
}

fn session(token: Option<&str>) -> String {
    match token {
        Some(token) => format!(
            r#"{{"signed_in":true,"plan":"business","name":"Bảo Trần","email":"bao@example.com","token":"{token}"}}"#
        ),
        None => r#"{"signed_in":false,"plan":null,"name":null,"email":null}"#.into(),
    }
}

/// Replaces `fetch`: each path is answered from its queue (`[status, body]`), in order; a path
/// with none left fails as a network error would.
fn fake_fetch(answers: &[(&str, u16, &str)]) {
    let queues = js_sys::Object::new();
    for (path, status, body) in answers {
        let queue = js_sys::Reflect::get(&queues, &(*path).into()).unwrap();
        let queue = if queue.is_undefined() {
            let queue = js_sys::Array::new();
            js_sys::Reflect::set(&queues, &(*path).into(), &queue).unwrap();
            queue
        } else {
            queue.unchecked_into()
        };
        queue.push(&js_sys::Array::of2(&(*status).into(), &(*body).into()));
    }
    js_sys::Reflect::set(&web_sys::window().unwrap(), &"__answers".into(), &queues).unwrap();
    js_sys::eval(
        "window.__realFetch = window.__realFetch || window.fetch;
         window.__requests = [];
         window.fetch = async (request) => {
           const path = new URL(request.url).pathname;
           const body = request.method === 'POST' ? await request.clone().text() : null;
           window.__requests.push([request.method, path, request.headers.get('Authorization'), body]);
           const answer = (window.__answers[path] || []).shift();
           if (!answer) throw new TypeError('no answer for ' + path);
           return new Response(answer[1], { status: answer[0], headers: { 'Content-Type': 'application/json' } });
         };",
    )
    .unwrap();
}

/// Every request so far: method, path, `Authorization` header, body.
fn requests() -> Vec<(String, String, Option<String>, Option<String>)> {
    let all = js_sys::eval("window.__requests").unwrap();
    js_sys::Array::from(&all)
        .iter()
        .map(|r| {
            let r = js_sys::Array::from(&r);
            (
                r.get(0).as_string().unwrap(),
                r.get(1).as_string().unwrap(),
                r.get(2).as_string(),
                r.get(3).as_string(),
            )
        })
        .collect()
}

/// The `deskform:error` details the element dispatched, as `kind: message`.
fn errors(root: &Element) -> Vec<String> {
    let list = js_sys::Reflect::get(root, &"__errors".into()).unwrap();
    js_sys::Array::from(&list)
        .iter()
        .map(|d| {
            let get = |name: &str| {
                js_sys::Reflect::get(&d, &name.into())
                    .unwrap()
                    .as_string()
                    .unwrap()
            };
            format!("{}: {}", get("kind"), get("message"))
        })
        .collect()
}

/// Adds a `[data-deskform]` element with these attributes, listening for its errors, and
/// mounts the widget into it.
async fn mount(id: &str, attributes: &[(&str, &str)]) -> Element {
    let element = document().create_element("div").unwrap();
    element.set_id(id);
    element.set_attribute("data-deskform", "").unwrap();
    element.set_attribute("data-locale", "en").unwrap();
    element
        .set_attribute("data-draft-key", &format!("test:{id}"))
        .unwrap();
    for (name, value) in attributes {
        element.set_attribute(name, value).unwrap();
    }
    js_sys::Reflect::set(&element, &"__errors".into(), &js_sys::Array::new()).unwrap();
    let listen = js_sys::Function::new_with_args(
        "element",
        "element.addEventListener('deskform:error', (e) => element.__errors.push(e.detail));",
    );
    listen
        .call1(&wasm_bindgen::JsValue::NULL, &element)
        .unwrap();
    document().body().unwrap().append_child(&element).unwrap();
    deskform::embed::mount_all();
    settle().await;
    element
}

/// Chooses the usage desk (a paid plan's), types an inquiry and presses Send.
async fn write_and_send(root: &Element) {
    find::<HtmlElement>(root, "input[value=usage]").click();
    settle().await;
    type_into(root, "input[name=subject]", "Export").await;
    type_into(root, "textarea", "The CSV export stops at 1000 rows").await;
    find::<HtmlElement>(root, "button[type=submit]").click();
    settle().await;
}

fn status(root: &Element) -> String {
    find::<Element>(root, "[role=status]")
        .text_content()
        .unwrap()
}

/// No token, nor any part of one, is kept in the browser's storage.
fn assert_no_token_stored() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    for index in 0..storage.length().unwrap() {
        let key = storage.key(index).unwrap().unwrap();
        let value = storage.get_item(&key).unwrap().unwrap_or_default();
        assert!(!value.contains(SIGNATURE), "{key}: {value}");
        assert!(!value.contains("eyJ"), "{key}: {value}");
    }
}

#[wasm_bindgen_test]
async fn a_token_that_expired_while_typing_is_renewed_before_the_inquiry_goes() {
    let expired = token("bao@example.com", now() - 10);
    let fresh = token("bao@example.com", now() + 3600);
    fake_fetch(&[
        ("/api/session", 200, &session(Some(&fresh))),
        ("/api/inquiries", 201, RECEIPT),
    ]);
    let root = mount(
        "renewed",
        &[
            ("data-identity-token", &expired),
            ("data-session-url", "/api/session"),
            ("data-submit-url", "/api/inquiries"),
        ],
    )
    .await;
    // The claims, read through atob: the paid desk, the account's email and (UTF-8) name.
    let email: HtmlInputElement = find(&root, "input[type=email]");
    assert_eq!(email.value(), "bao@example.com");
    assert!(email.read_only());
    let name: HtmlInputElement = find(&root, "input[name=name]");
    assert_eq!(name.value(), "Bảo Trần");
    assert!(
        requests().is_empty(),
        "the session is not read for the view"
    );

    write_and_send(&root).await;
    let requests = requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(
        (requests[0].0.as_str(), requests[0].1.as_str()),
        ("GET", "/api/session")
    );
    assert_eq!(requests[0].2, None);
    assert_eq!(
        (requests[1].0.as_str(), requests[1].1.as_str()),
        ("POST", "/api/inquiries")
    );
    assert_eq!(requests[1].2, Some(format!("Bearer {fresh}")));
    assert!(
        !requests[1].3.as_deref().unwrap().contains(SIGNATURE),
        "the body has no token"
    );
    assert!(status(&root).starts_with("Sent."), "{}", status(&root));
    assert_eq!(errors(&root), Vec::<String>::new());
    assert_no_token_stored();
}

#[wasm_bindgen_test]
async fn a_401_renews_the_token_once_and_sends_the_same_inquiry_again() {
    let held = token("bao@example.com", now() + 3000);
    let fresh = token("bao@example.com", now() + 3600);
    let refused =
        r#"{"error":"unauthorized","reason":"expired","message":"the identity token has expired"}"#;
    fake_fetch(&[
        ("/api/inquiries", 401, refused),
        ("/api/session", 200, &session(Some(&fresh))),
        ("/api/inquiries", 201, RECEIPT),
    ]);
    let root = mount(
        "unauthorized",
        &[
            ("data-identity-token", &held),
            ("data-session-url", "/api/session"),
            ("data-submit-url", "/api/inquiries"),
        ],
    )
    .await;
    write_and_send(&root).await;
    let requests = requests();
    let seen: Vec<(&str, &str, Option<&str>)> = requests
        .iter()
        .map(|r| (r.0.as_str(), r.1.as_str(), r.2.as_deref()))
        .collect();
    let (held_header, fresh_header) = (format!("Bearer {held}"), format!("Bearer {fresh}"));
    assert_eq!(
        seen,
        [
            ("POST", "/api/inquiries", Some(held_header.as_str())),
            ("GET", "/api/session", None),
            ("POST", "/api/inquiries", Some(fresh_header.as_str())),
        ]
    );
    assert_eq!(
        requests[0].3, requests[2].3,
        "the same inquiry, the same key"
    );
    assert!(status(&root).starts_with("Sent."), "{}", status(&root));
}

#[wasm_bindgen_test]
async fn when_the_session_gives_no_new_token_nothing_is_sent_and_the_text_stays() {
    let expired = token("bao@example.com", now() + 30);
    fake_fetch(&[("/api/session", 200, &session(None))]);
    let root = mount(
        "lost",
        &[
            ("data-identity-token", &expired),
            ("data-session-url", "/api/session"),
            ("data-submit-url", "/api/inquiries"),
        ],
    )
    .await;
    write_and_send(&root).await;
    let requests = requests();
    assert_eq!(requests.len(), 1, "no inquiry is posted: {requests:?}");
    assert_eq!(requests[0].1, "/api/session");
    assert_eq!(
        status(&root),
        "We could not confirm that you are signed in, so the message was not sent. Please sign in again, then press Send. Your text is kept."
    );
    let message: HtmlTextAreaElement = find(&root, "textarea");
    assert_eq!(message.value(), "The CSV export stops at 1000 rows");
    assert!(!message.read_only());
    let errors = errors(&root);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(
            "session: data-session-url /api/session: the answer has no identity token"
        ),
        "{errors:?}"
    );
    assert_no_token_stored();
}

#[wasm_bindgen_test]
async fn a_page_token_without_a_session_url_asks_the_page_and_a_fresh_one_sends() {
    let expired = token("bao@example.com", now() - 1);
    let fresh = token("bao@example.com", now() + 3600);
    fake_fetch(&[("/api/inquiries", 201, RECEIPT)]);
    let root = mount(
        "page-token",
        &[
            ("data-identity-token", &expired),
            ("data-submit-url", "/api/inquiries"),
            ("data-locale", "ja"),
        ],
    )
    .await;
    write_and_send(&root).await;
    assert!(requests().is_empty());
    assert_eq!(
        status(&root),
        "ログイン状態を確認できなかったため、送信していません。もう一度ログインしてから送信してください。入力内容は保持されています。"
    );
    let errors = errors(&root);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("session: "), "{errors:?}");
    assert!(errors[0].contains("pass a fresh token"), "{errors:?}");
    // The page passes a fresh token: the same customer, so the form and the text stay.
    root.set_attribute("data-identity-token", &fresh).unwrap();
    settle().await;
    let message: HtmlTextAreaElement = find(&root, "textarea");
    assert_eq!(message.value(), "The CSV export stops at 1000 rows");
    find::<HtmlElement>(&root, "button[type=submit]").click();
    settle().await;
    let requests = requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].2, Some(format!("Bearer {fresh}")));
    assert!(
        status(&root).starts_with("送信しました"),
        "{}",
        status(&root)
    );
}

#[wasm_bindgen_test]
async fn the_sessions_token_is_the_identity_and_goes_with_the_inquiry() {
    let given = token("bao@example.com", now() + 900);
    fake_fetch(&[
        ("/api/session", 200, &session(Some(&given))),
        ("/api/inquiries", 201, RECEIPT),
    ]);
    let root = mount(
        "session-token",
        &[
            ("data-session-url", "/api/session"),
            ("data-submit-url", "/api/inquiries"),
        ],
    )
    .await;
    let email: HtmlInputElement = find(&root, "input[type=email]");
    assert_eq!(email.value(), "bao@example.com");
    assert!(email.read_only());
    write_and_send(&root).await;
    let requests = requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(requests[0].1, "/api/session");
    assert_eq!(requests[1].2, Some(format!("Bearer {given}")));
    assert!(status(&root).starts_with("Sent."), "{}", status(&root));
    assert_no_token_stored();
}

#[wasm_bindgen_test]
async fn a_session_token_that_cannot_be_read_is_the_signed_out_view_with_a_retry() {
    fake_fetch(&[("/api/session", 200, &session(Some("not-a-token")))]);
    let root = mount(
        "session-bad-token",
        &[
            ("data-session-url", "/api/session"),
            ("data-submit-url", "/api/inquiries"),
        ],
    )
    .await;
    assert!(root.query_selector("input[value=usage]").unwrap().is_none());
    assert!(root
        .query_selector(".deskform-session-failed")
        .unwrap()
        .is_some());
    let email: HtmlInputElement = find(&root, "input[type=email]");
    assert!(!email.read_only());
    let errors = errors(&root);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(
            "session: data-session-url /api/session: the answer's token: the token is not a JWT"
        ),
        "{errors:?}"
    );
}
