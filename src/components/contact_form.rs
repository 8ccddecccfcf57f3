use std::rc::Rc;

use deskform_core::{Catalog, DeskId, Field, InquiryRequest, Locale, Viewer};
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use super::desk_picker::lock_reason;
use super::{DeskPicker, LockedDesks, ReplyDate, TextField};
use crate::draft::{DraftOwner, DraftStore, DraftTtl, Prefill};
use crate::host::{DateStyle, ErrorKind, HostHandle, HttpRequest, Timer, WidgetEvent};
use crate::i18n::{strings, Piece, Strings};
use crate::identity::{token_to_send, Renewal, TokenCell};
use crate::state::{Action, Failure, FormState, Identity, Refusal, Sending, Start, SubmitOutcome};

/// How often the clock is read, so that the reply date moves on at the desk's midnight.
const CLOCK_SECONDS: u32 = 20;

#[derive(Properties, PartialEq, Debug)]
pub struct ContactFormProps {
    pub host: HostHandle,
    pub catalog: Rc<Catalog>,
    pub viewer: Viewer,
    /// The signed-in customer: email and name are theirs, read-only.
    #[prop_or_default]
    pub identity: Option<Identity>,
    /// Whose draft this form restores and saves. The form is re-created (keyed) when it
    /// changes, so one form never holds two owners' drafts.
    #[prop_or_default]
    pub draft_owner: DraftOwner,
    /// How long a draft is kept (`data-draft-ttl`).
    #[prop_or_default]
    pub draft_ttl: DraftTtl,
    /// Where inquiries are posted (`data-submit-url`).
    #[prop_or_default]
    pub submit_url: Option<AttrValue>,
    /// The identity token each inquiry carries, if any (the renewed one is kept in it).
    #[prop_or_default]
    pub token: TokenCell,
    /// Where a new token is asked for when the one held expires (`data-session-url`).
    #[prop_or_default]
    pub session_url: Option<AttrValue>,
    pub locale: Locale,
    pub id_prefix: AttrValue,
    /// What the form starts with when there is no draft to restore.
    #[prop_or_default]
    pub prefill: Option<Rc<Prefill>>,
    /// `data-locked-desks`: the desks the viewer may not use, hidden or shown locked.
    #[prop_or_default]
    pub locked_desks: LockedDesks,
}

/// The desks, the reply date and the inquiry fields, over one reducer.
#[component]
pub fn ContactForm(props: &ContactFormProps) -> Html {
    let time_zone = props.catalog.calendar().time_zone().to_owned();
    // The draft store, made once per form for the owner it was created for (a later prop never
    // moves the draft to another owner's slot), and whether the draft is as just restored.
    let store = use_mut_ref(|| {
        (
            DraftStore::new(&*props.host, &props.draft_owner, props.draft_ttl),
            true,
        )
    });
    let state = {
        let (host, catalog, viewer) = (&props.host, &props.catalog, &props.viewer);
        let time_zone = time_zone.clone();
        let store = store.clone();
        use_reducer(move || {
            let allowed: Vec<DeskId> = catalog
                .desks_for(viewer)
                .into_iter()
                .filter(|offer| offer.is_available())
                .map(|offer| offer.desk.id.clone())
                .collect();
            FormState::new(Start {
                draft: Prefill::or_stored(
                    props.prefill.as_deref(),
                    store.borrow().0.load(&**host, host.now()),
                ),
                allowed,
                identity: props.identity.clone(),
                can_send: props.submit_url.is_some(),
                online: host.is_online(),
                desk_today: host.today_in(&time_zone),
                local_today: host.local_today(),
            })
        })
    };
    let honeypot_ref = use_node_ref();
    use_sending(props, &state, honeypot_ref.clone());

    {
        let host = props.host.clone();
        // Not on the first render: the draft was just restored, and saving it again would date
        // it anew, so a draft only looked at would never expire. A form that is gone (a new
        // owner) runs no more effects, so nothing is saved for its owner after it.
        use_effect_with(state.draft.clone(), move |draft| {
            let (store, restored) = &mut *store.borrow_mut();
            if !std::mem::take(restored) {
                store.save(&*host, draft, host.now());
            }
        });
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
        let host = props.host.clone();
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
            state.dispatch(Action::Submit {
                key: host.new_key(),
                online: host.is_online(),
            });
            if let Some(element) = target.and_then(|r| r.cast::<HtmlElement>()) {
                let _ = element.focus();
            }
        })
    };

    let text = strings(props.locale);
    let prefix = &props.id_prefix;
    let on_choose = {
        let (state, host, catalog) = (state.clone(), props.host.clone(), props.catalog.clone());
        Callback::from(move |id: String| {
            // `deskform:desk-change`, here rather than in an effect (wasm every visitor pays
            // for): a radio button only changes to a desk the reducer takes (the others are
            // disabled).
            if !state.is_pending() && state.draft.desk.as_deref() != Some(id.as_str()) {
                let due_date = catalog
                    .desk(&id)
                    .and_then(|desk| catalog.reply_due(desk, state.desk_today).ok())
                    .map(|reply| reply.due);
                host.emit(WidgetEvent::DeskChange {
                    desk: id.clone(),
                    due_date,
                });
            }
            state.dispatch(Action::ChooseDesk(id))
        })
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
                read_only={state.is_read_only(field)}
                from_account={state.is_from_account(field)}
                {on_edit}
                {on_leave}
                node_ref={field_refs[field.index()].clone()}
            />
        }
    });
    let note_id = format!("{prefix}-send-note");
    let hp_id = format!("{prefix}-website");
    let sending = state.sending;
    let retry = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::Retry))
    };
    let (status, status_class) = status_line(props, text, &state);
    html! {
        <form class="deskform-form" part="form" novalidate=true {onsubmit}>
            <DeskPicker
                catalog={props.catalog.clone()}
                viewer={props.viewer.clone()}
                locale={props.locale}
                id_prefix={prefix.clone()}
                chosen={state.draft.desk.clone().map(AttrValue::from)}
                desk_missing={state.desk_missing_shown()}
                {on_choose}
                first_ref={first_desk_ref}
                fixed={state.is_pending()}
                locked_desks={props.locked_desks}
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
            // The honeypot: moved off-screen by the stylesheet (robots skip what is
            // `display: none`), hidden from assistive technology and out of the tab order, so
            // only a robot fills it in. Sent with the inquiry, never saved in the draft.
            <div class="deskform-hp" aria-hidden="true">
                <label for={hp_id.clone()}>{ text.honeypot_label }</label>
                <input type="text" id={hp_id} name="website" tabindex="-1" autocomplete="off" ref={honeypot_ref} />
            </div>
            <div class="deskform-actions">
                <button
                    type="submit"
                    class="deskform-send"
                    part="submit"
                    // aria-disabled, not disabled: a disabled button would drop the keyboard
                    // focus that pressed it. The reducer ignores presses while it is on its way.
                    aria-disabled={state.is_pending().then_some("true")}
                    aria-describedby={props.submit_url.is_none().then(|| note_id.clone())}
                >
                    { if matches!(sending, Sending::InFlight { .. } | Sending::Renewing { .. }) { text.sending } else { text.send } }
                </button>
                if props.submit_url.is_none() {
                    <p class="deskform-note" part="notice" id={note_id}>{ text.sending_not_set_up }</p>
                }
            </div>
            <div class={status_class} part="status" role="status">{ status }</div>
            if matches!(sending, Sending::Waiting { .. } | Sending::Held { .. }) {
                <button type="button" class="deskform-secondary deskform-retry" onclick={retry}>{ text.try_now }</button>
            }
        </form>
    }
}

/// Runs the requests, timers and online listener that the sending state asks for, and tells the
/// page where sending stands (`deskform:submit`, `deskform:sent`, `deskform:error`): the desk
/// and dates, never the text nor the email.
#[hook]
fn use_sending(props: &ContactFormProps, state: &UseReducerHandle<FormState>, honeypot: NodeRef) {
    let host = props.host.clone();
    let dispatcher = state.dispatcher();
    // Read when a request goes out, not on every render (every keystroke).
    let (state, submit_url, locale) = (state.clone(), props.submit_url.clone(), props.locale);
    let (token, session_url) = (props.token.clone(), props.session_url.clone());
    use_effect_with(state.sending, move |sending| {
        let guard: Option<Timer> = match *sending {
            Sending::InFlight { attempt } => {
                if attempt == 1 {
                    host.emit(WidgetEvent::Submit {
                        desk: state.draft.desk.clone().unwrap_or_default(),
                    });
                }
                if let Some(url) = submit_url {
                    let body = InquiryRequest {
                        desk: state.draft.desk.clone().unwrap_or_default(),
                        fields: state.draft.fields.clone(),
                        locale: locale.tag().to_owned(),
                        idempotency_key: state.draft.key.clone().unwrap_or_default(),
                        // Read when sent: a robot may set the value without an event.
                        website: honeypot
                            .cast::<HtmlInputElement>()
                            .map(|input| input.value())
                            .unwrap_or_default(),
                    }
                    .to_json();
                    let sender = host.clone();
                    // A token about to expire (the customer typed for long) is renewed first.
                    token_to_send(
                        &host,
                        &token,
                        session_url.as_deref(),
                        Renewal::IfExpiring,
                        Box::new(move |token| {
                            let Ok(authorization) = token else {
                                return dispatcher.dispatch(Action::SignInLost { attempt });
                            };
                            let request = HttpRequest {
                                url: url.to_string(),
                                json_body: Some(body),
                                credentials: true,
                                authorization,
                            };
                            let online = sender.clone();
                            sender.fetch(
                                request,
                                Box::new(move |result| {
                                    dispatcher.dispatch(Action::Answer {
                                        attempt,
                                        result,
                                        online: online.is_online(),
                                    })
                                }),
                            );
                        }),
                    );
                }
                None
            }
            Sending::Renewing { attempt } => {
                token_to_send(
                    &host,
                    &token,
                    session_url.as_deref(),
                    Renewal::Always,
                    Box::new(move |token| {
                        dispatcher.dispatch(match token {
                            Ok(_) => Action::Renewed { attempt },
                            Err(_) => Action::SignInLost { attempt },
                        })
                    }),
                );
                None
            }
            Sending::Waiting {
                seconds, failure, ..
            } => {
                let why = match failure {
                    Failure::Unreachable => "the receiver could not be reached",
                    Failure::ServerError => "the receiver failed",
                };
                host.emit(WidgetEvent::Error {
                    kind: ErrorKind::Submit,
                    message: format!("{why}; sending again in {seconds} s"),
                });
                Some(host.after(
                    seconds,
                    Box::new(move || dispatcher.dispatch(Action::Retry)),
                ))
            }
            Sending::Held { .. } => {
                Some(host.when_online(Box::new(move || dispatcher.dispatch(Action::Online))))
            }
            // Sending ends (Idle after a request) with a receipt or a refusal; a form that
            // starts idle has neither.
            Sending::Idle => {
                match &state.outcome {
                    SubmitOutcome::Sent(receipt) => host.emit(WidgetEvent::Sent {
                        ticket_id: receipt.ticket_id.clone(),
                        desk: receipt.desk.clone(),
                        due_date: receipt.due_date,
                    }),
                    SubmitOutcome::Refused(refusal) => host.emit(WidgetEvent::Error {
                        kind: ErrorKind::Submit,
                        message: refusal.to_string(),
                    }),
                    _ => {}
                }
                None
            }
        };
        move || drop(guard)
    });
}

/// The line under the button: where sending stands, or what the last press led to.
fn status_line(
    props: &ContactFormProps,
    text: &Strings,
    state: &FormState,
) -> (Html, &'static str) {
    const PLAIN: &str = "deskform-outcome";
    const PROBLEM: &str = "deskform-outcome deskform-outcome-problem";
    const WAITING: &str = "deskform-outcome deskform-outcome-waiting";
    const DONE: &str = "deskform-outcome deskform-outcome-sent";
    match state.sending {
        Sending::InFlight { .. } | Sending::Renewing { .. } => {
            return (html! { text.sending_now }, PLAIN)
        }
        Sending::Waiting {
            seconds, failure, ..
        } => {
            let why = match failure {
                Failure::Unreachable => text.unreachable,
                Failure::ServerError => text.server_error,
            };
            return (
                html! { text.sentences(&[why, &(text.retrying_in)(seconds)]) },
                WAITING,
            );
        }
        Sending::Held { .. } => return (html! { text.held_offline }, WAITING),
        Sending::Idle => {}
    }
    match &state.outcome {
        SubmitOutcome::None => (html! {}, PLAIN),
        SubmitOutcome::Invalid(n) => (html! { (text.fix_problems)(*n) }, PROBLEM),
        SubmitOutcome::NotSent => (html! { text.not_sent }, PLAIN),
        SubmitOutcome::Sent(receipt) => {
            let due = props
                .host
                .format_date(receipt.due_date, props.locale, DateStyle::Long);
            let notice = super::sentence(text.sent_notice, |slot| match slot {
                Piece::Ticket => html! {
                    <span class="deskform-ticket" data-testid="ticket-id">{ receipt.ticket_id.clone() }</span>
                },
                _ => html! {
                    <time data-testid="sent-reply-date" datetime={receipt.due_date.to_string()}>{ due.clone() }</time>
                },
            });
            (notice, DONE)
        }
        SubmitOutcome::Refused(refusal) => (
            refusal_notice(&props.catalog, props.locale, refusal),
            PROBLEM,
        ),
        SubmitOutcome::SignInLost => (html! { text.sign_in_lost }, PROBLEM),
    }
}

/// Why the receiver refused, in the customer's language: a sentence for each refusal, never
/// the receiver's own (English) words.
pub fn refusal_notice(catalog: &Catalog, locale: Locale, refusal: &Refusal) -> Html {
    let text = strings(locale);
    let message = match refusal {
        Refusal::Locked(reason) => {
            let (why, link) = lock_reason(catalog, locale, reason);
            return html! {
                <>
                    { text.sentences(&[text.refused_desk, &why]) }
                    if let Some((href, label)) = link {
                        { text.sentence_gap }<a {href}>{ label }</a>
                    }
                </>
            };
        }
        Refusal::Malformed => text.refused_malformed.to_owned(),
        Refusal::Unauthorized(_) => text.sign_in_lost.to_owned(),
        Refusal::NotFound => text.refused_not_found.to_owned(),
        Refusal::KeyConflict => text.refused_key_conflict.to_owned(),
        Refusal::TooLarge => text.too_large.to_owned(),
        Refusal::UnsupportedMediaType => text.refused_media_type.to_owned(),
        Refusal::Fields {
            at_fields,
            elsewhere,
        } => {
            let fix = (*at_fields > 0).then(|| (text.fix_problems)(*at_fields));
            let sentences: Vec<&str> = fix
                .as_deref()
                .into_iter()
                .chain(elsewhere.then_some(text.refused_elsewhere))
                .collect();
            text.sentences(&sentences)
        }
        Refusal::RateLimited { minutes } => (text.rate_limited)(*minutes),
        Refusal::Other { status } => (text.refused_status)(*status),
    };
    html! { message }
}
