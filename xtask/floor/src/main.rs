//! The floor: the least a one-form Yew app on the widget's stack weighs and costs to start.
//!
//! `cargo xtask size` and `cargo xtask bench` compare the widget with it. It does what every
//! contact form does once (a select, a text field, a textarea and a button; one fetch of JSON
//! parsed with serde_json, one localStorage read, one chrono date) and nothing the widget's own
//! features need, so the ratio between the two is what those features cost.

use chrono::{Datelike, Days, NaiveDate};
use gloo_net::http::Request;
use gloo_storage::{LocalStorage, Storage};
use serde::Deserialize;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

// The widget's allocator (see the root Cargo.toml), for a like-for-like comparison.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The signed-in account, as `session.json` beside the page gives it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Session {
    signed_in: bool,
    email: Option<String>,
    plan: String,
}

/// A draft a previous visit left in localStorage.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
struct Draft {
    topic: String,
    message: String,
}

const DRAFT_KEY: &str = "deskform-floor.draft.v1";
const TOPICS: [(&str, &str); 2] = [("login", "Signing in"), ("usage", "Using the product")];

/// Today in the browser's time zone; chrono stays clock-free, as in the widget.
fn today() -> Option<NaiveDate> {
    let now = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
}

async fn load_session() -> Result<Session, String> {
    let response = Request::get("session.json")
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let text = response.text().await.map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

#[component]
fn App() -> Html {
    let draft = use_state(|| LocalStorage::get::<Draft>(DRAFT_KEY).unwrap_or_default());
    let topic = use_state(|| draft.topic.clone());
    let email = use_state(String::new);
    let message = use_state(|| draft.message.clone());
    let session = use_state(|| None::<Result<Session, String>>);
    let sent = use_state(|| false);

    {
        let session = session.clone();
        let email = email.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let loaded = load_session().await;
                if let Ok(Session {
                    email: Some(address),
                    ..
                }) = &loaded
                {
                    email.set(address.clone());
                }
                session.set(Some(loaded));
            });
        });
    }

    let on_topic = {
        let topic = topic.clone();
        Callback::from(move |e: Event| {
            topic.set(e.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    let on_email = {
        let email = email.clone();
        Callback::from(move |e: InputEvent| {
            email.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_message = {
        let message = message.clone();
        Callback::from(move |e: InputEvent| {
            message.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let on_submit = {
        let sent = sent.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            sent.set(true);
        })
    };

    let who = match &*session {
        None => html! { <p class="floor-who">{ "Checking your session…" }</p> },
        Some(Ok(s)) if s.signed_in => {
            html! { <p class="floor-who">{ format!("Signed in on the {} plan", s.plan) }</p> }
        }
        Some(Ok(_)) => html! { <p class="floor-who">{ "Signed out" }</p> },
        Some(Err(e)) => {
            html! { <p class="floor-who" role="alert">{ format!("No session: {e}") }</p> }
        }
    };
    let reply_by = today()
        .and_then(|day| day.checked_add_days(Days::new(2)))
        .map(|day| format!("Expected reply by {day} ({})", day.weekday()));

    html! {
        <form class="floor-form" onsubmit={on_submit}>
            { who }
            <label for="floor-topic">{ "Topic" }</label>
            <select id="floor-topic" onchange={on_topic}>
                { for TOPICS.iter().map(|(id, name)| html! {
                    <option value={*id} selected={*topic == *id}>{ *name }</option>
                }) }
            </select>
            <label for="floor-email">{ "Email" }</label>
            <input id="floor-email" type="email" value={(*email).clone()} oninput={on_email} />
            <label for="floor-message">{ "Message" }</label>
            <textarea id="floor-message" value={(*message).clone()} oninput={on_message} />
            <p class="floor-count">{ format!("{} characters", message.chars().count()) }</p>
            if let Some(reply_by) = reply_by {
                <p class="floor-reply">{ reply_by }</p>
            }
            <button type="submit">{ "Send" }</button>
            if *sent {
                <p role="status">{ "Sent" }</p>
            }
        </form>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
