use deskform_core::{Field, FieldProblem, Locale};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::i18n::{strings, Strings};

#[derive(Properties, PartialEq, Debug)]
pub struct TextFieldProps {
    pub field: Field,
    pub locale: Locale,
    pub id_prefix: AttrValue,
    pub value: AttrValue,
    pub problem: Option<FieldProblem>,
    /// Shown but not typed in: the account's identity, or an inquiry on its way.
    #[prop_or_default]
    pub read_only: bool,
    /// The value is the signed-in account's.
    #[prop_or_default]
    pub from_account: bool,
    pub on_edit: Callback<String>,
    pub on_leave: Callback<()>,
    #[prop_or_default]
    pub node_ref: NodeRef,
}

/// One labelled input with its required marker, hint, length and problem, tied together for
/// assistive technology. There is no `maxlength`: a browser would silently cut pasted text, so
/// an over-long value is kept and explained instead.
#[component]
pub fn TextField(props: &TextFieldProps) -> Html {
    let text = strings(props.locale);
    let field = props.field;
    let id = format!("{}-{}", props.id_prefix, field.id());
    let hint_id = format!("{id}-hint");
    let count_id = format!("{id}-count");
    let error_id = format!("{id}-error");

    let hint = (field == Field::Email).then_some(if props.from_account {
        text.account_hint
    } else {
        text.email_hint
    });
    let used = props.value.chars().count();
    // The count is worth showing for long text, and for any field once it is near its limit.
    let show_count = field == Field::Message || used * 10 >= field.max_chars() * 8;
    let mut described_by = Vec::new();
    if hint.is_some() {
        described_by.push(hint_id.clone());
    }
    if show_count {
        described_by.push(count_id.clone());
    }
    if props.problem.is_some() {
        described_by.push(error_id.clone());
    }
    let described_by = (!described_by.is_empty()).then(|| described_by.join(" "));

    let oninput = props.on_edit.reform(move |event: InputEvent| match field {
        Field::Message => event.target_unchecked_into::<HtmlTextAreaElement>().value(),
        _ => event.target_unchecked_into::<HtmlInputElement>().value(),
    });
    // Leaving a field for the Send button shows nothing yet: the submit shows every problem at
    // once. A problem shown on this blur would push the button down between the press and the
    // release of the pointer, and the click would be lost (it happened in Chromium).
    let on_leave = props.on_leave.clone();
    let onblur = Callback::from(move |event: FocusEvent| {
        let to_send = event
            .related_target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|element| element.get_attribute("type").as_deref() == Some("submit"));
        if !to_send {
            on_leave.emit(());
        }
    });
    let invalid = props.problem.map(|_| "true");
    let class = if props.problem.is_some() {
        "deskform-field deskform-invalid"
    } else {
        "deskform-field"
    };

    let input = match field {
        Field::Message => html! {
            <textarea
                id={id.clone()} part="input" name={field.id()} rows="6" required=true readonly={props.read_only}
                aria-invalid={invalid} aria-describedby={described_by}
                value={props.value.clone()} {oninput} {onblur} ref={props.node_ref.clone()}
            />
        },
        _ => {
            let (kind, autocomplete) = match field {
                Field::Email => ("email", "email"),
                Field::Name => ("text", "name"),
                _ => ("text", "off"),
            };
            html! {
                <input
                    type={kind} id={id.clone()} part="input" name={field.id()} autocomplete={autocomplete}
                    required={field.is_required()} readonly={props.read_only} spellcheck={(field == Field::Email).then_some("false")}
                    aria-invalid={invalid} aria-describedby={described_by}
                    value={props.value.clone()} {oninput} {onblur} ref={props.node_ref.clone()}
                />
            }
        }
    };

    html! {
        <div {class} part="field">
            <label for={id}>
                { label(text, field) }
                // A required input says so itself (`required`); the visible marker would repeat it.
                { " " }<span class="deskform-tag" aria-hidden={field.is_required().then_some("true")}>
                    { if field.is_required() { text.required } else { text.optional } }
                </span>
            </label>
            { input }
            if let Some(hint) = hint {
                <p class="deskform-hint" id={hint_id}>{ hint }</p>
            }
            if show_count {
                <p class="deskform-count" id={count_id}>{ (text.char_count)(used, field.max_chars()) }</p>
            }
            if let Some(problem) = props.problem {
                <p class="deskform-error" id={error_id}>{ problem_text(text, problem) }</p>
            }
        </div>
    }
}

fn label(text: &Strings, field: Field) -> &'static str {
    match field {
        Field::Email => text.email,
        Field::Name => text.name,
        Field::Subject => text.subject,
        Field::Message => text.message,
    }
}

fn problem_text(text: &Strings, problem: FieldProblem) -> String {
    match problem {
        FieldProblem::Missing => text.missing.to_owned(),
        FieldProblem::NotAnEmail => text.not_an_email.to_owned(),
        FieldProblem::TooLong { max, chars } => (text.too_long)(max, chars),
    }
}
