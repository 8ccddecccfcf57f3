use std::rc::Rc;

use deskform_core::{Catalog, DeskId, Field, Locale, Viewer};
use web_sys::HtmlElement;
use yew::prelude::*;

use super::{DeskPicker, ReplyDate, TextField};
use crate::host::HostHandle;
use crate::i18n::strings;
use crate::state::{Action, FormState, SubmitOutcome};

/// How often the clock is read, so that the reply date moves on at the desk's midnight.
const CLOCK_SECONDS: u32 = 20;

#[derive(Properties, PartialEq, Debug)]
pub struct ContactFormProps {
    pub host: HostHandle,
    pub catalog: Rc<Catalog>,
    pub viewer: Viewer,
    pub locale: Locale,
    pub id_prefix: AttrValue,
}

/// The desks, the reply date and the inquiry fields, over one reducer.
#[component]
pub fn ContactForm(props: &ContactFormProps) -> Html {
    let time_zone = props.catalog.calendar().time_zone().to_owned();
    let state = {
        let (host, catalog, viewer) = (&props.host, &props.catalog, &props.viewer);
        let time_zone = time_zone.clone();
        use_reducer(move || {
            let allowed: Vec<DeskId> = catalog
                .desks_for(viewer)
                .into_iter()
                .filter(|offer| offer.is_available())
                .map(|offer| offer.desk.id.clone())
                .collect();
            FormState::new(
                host.load_draft(),
                allowed,
                host.today_in(&time_zone),
                host.local_today(),
            )
        })
    };

    {
        let host = props.host.clone();
        use_effect_with(state.draft.clone(), move |draft| host.save_draft(draft));
    }
    {
        let host = props.host.clone();
        let dispatcher = state.dispatcher();
        use_effect_with(time_zone, move |time_zone| {
            let time_zone = time_zone.clone();
            let clock = host.clone();
            let timer = host.every(
                CLOCK_SECONDS,
                Box::new(move || {
                    dispatcher.dispatch(Action::Clock {
                        desk_today: clock.today_in(&time_zone),
                        local_today: clock.local_today(),
                    })
                }),
            );
            move || drop(timer)
        });
    }

    let field_refs: [NodeRef; 4] = [
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    ];
    let first_desk_ref = use_node_ref();

    let onsubmit = {
        let state = state.clone();
        let field_refs = field_refs.clone();
        let first_desk_ref = first_desk_ref.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            // Focus goes to the first problem in form order: the desk comes first.
            let target = if state.draft.desk.is_none() {
                Some(first_desk_ref.clone())
            } else {
                state
                    .draft
                    .fields
                    .problems()
                    .first()
                    .map(|(field, _)| field_refs[field.index()].clone())
            };
            state.dispatch(Action::Submit);
            if let Some(element) = target.and_then(|r| r.cast::<HtmlElement>()) {
                let _ = element.focus();
            }
        })
    };

    let text = strings(props.locale);
    let prefix = &props.id_prefix;
    let on_choose = {
        let state = state.clone();
        Callback::from(move |id: String| state.dispatch(Action::ChooseDesk(id)))
    };
    let fields = Field::ALL.into_iter().map(|field| {
        let on_edit = {
            let state = state.clone();
            Callback::from(move |value: String| state.dispatch(Action::Edit(field, value)))
        };
        let on_leave = {
            let state = state.clone();
            Callback::from(move |()| state.dispatch(Action::Leave(field)))
        };
        html! {
            <TextField
                key={field.id()}
                {field}
                locale={props.locale}
                id_prefix={prefix.clone()}
                value={AttrValue::from(state.draft.fields.get(field).to_owned())}
                problem={state.shown_problem(field)}
                {on_edit}
                {on_leave}
                node_ref={field_refs[field.index()].clone()}
            />
        }
    });
    let note_id = format!("{prefix}-send-note");
    let outcome = match state.outcome {
        SubmitOutcome::None => String::new(),
        SubmitOutcome::Invalid(n) => (text.fix_problems)(n),
        SubmitOutcome::NotSent => text.not_sent.to_owned(),
    };
    let outcome_class = match state.outcome {
        SubmitOutcome::Invalid(_) => "deskform-outcome deskform-outcome-problem",
        _ => "deskform-outcome",
    };

    html! {
        <form class="deskform-form" novalidate=true {onsubmit}>
            <DeskPicker
                catalog={props.catalog.clone()}
                viewer={props.viewer.clone()}
                locale={props.locale}
                id_prefix={prefix.clone()}
                chosen={state.draft.desk.clone().map(AttrValue::from)}
                desk_missing={state.desk_missing_shown()}
                {on_choose}
                first_ref={first_desk_ref}
            />
            <ReplyDate
                host={props.host.clone()}
                catalog={props.catalog.clone()}
                desk={state.draft.desk.clone().map(AttrValue::from)}
                desk_today={state.desk_today}
                local_today={state.local_today}
                locale={props.locale}
            />
            { for fields }
            <div class="deskform-actions">
                <button type="submit" class="deskform-send" aria-describedby={note_id.clone()}>{ text.send }</button>
                <p class="deskform-note" id={note_id}>{ text.sending_not_set_up }</p>
            </div>
            <p class={outcome_class} role="status">{ outcome }</p>
        </form>
    }
}
