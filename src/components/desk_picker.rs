use std::rc::Rc;

use deskform_core::{Availability, Catalog, DeskOffer, Locale, LockReason, Viewer};
use yew::prelude::*;

use crate::i18n::{strings, Strings};

#[derive(Properties, PartialEq, Debug)]
pub struct DeskPickerProps {
    pub catalog: Rc<Catalog>,
    pub viewer: Viewer,
    pub locale: Locale,
    pub id_prefix: AttrValue,
    pub chosen: Option<AttrValue>,
    /// Say that a desk must be chosen.
    #[prop_or_default]
    pub desk_missing: bool,
    pub on_choose: Callback<String>,
    /// The first desk that can be chosen, to move focus to.
    #[prop_or_default]
    pub first_ref: NodeRef,
    /// An inquiry is on its way: the choice is fixed until it is answered.
    #[prop_or_default]
    pub fixed: bool,
}

/// Every desk of the catalog as a radio button: the viewer's desks to choose, the others shown
/// locked with the reason and the way to unlock them.
#[component]
pub fn DeskPicker(props: &DeskPickerProps) -> Html {
    let text = strings(props.locale);
    let prefix = &props.id_prefix;
    let error_id = format!("{prefix}-desk-error");
    let offers = props.catalog.desks_for(&props.viewer);
    let first_available = offers.iter().position(DeskOffer::is_available);
    let desks = offers.iter().enumerate().map(|(index, offer)| {
        let node_ref = (Some(index) == first_available).then(|| props.first_ref.clone());
        desk_option(props, text, offer, node_ref.unwrap_or_default())
    });
    html! {
        <fieldset class="deskform-desks" part="desks" aria-describedby={props.desk_missing.then(|| error_id.clone())}>
            <legend>
                { text.desks_legend }
                { " " }<span class="deskform-tag">{ text.required }</span>
            </legend>
            { for desks }
            if props.desk_missing {
                <p class="deskform-error" id={error_id}>{ text.desk_missing }</p>
            }
        </fieldset>
    }
}

fn desk_option(
    props: &DeskPickerProps,
    text: &Strings,
    offer: &DeskOffer<'_>,
    node_ref: NodeRef,
) -> Html {
    let desk = offer.desk;
    let locale = props.locale;
    let id = format!("{}-desk-{}", props.id_prefix, desk.id.as_str());
    let scope_id = format!("{id}-scope");
    let lock_id = format!("{id}-lock");
    let lock = match &offer.availability {
        Availability::Available => None,
        Availability::Locked(reason) => Some(lock_reason(&props.catalog, locale, reason)),
    };
    let described_by = match lock {
        Some(_) => format!("{scope_id} {lock_id}"),
        None => scope_id.clone(),
    };
    let checked = props.chosen.as_deref() == Some(desk.id.as_str());
    let onchange = {
        let id = desk.id.as_str().to_owned();
        props.on_choose.reform(move |_: Event| id.clone())
    };
    let class = classes!(
        "deskform-desk",
        lock.is_some().then_some("deskform-locked"),
        checked.then_some("deskform-chosen")
    );
    html! {
        <div {class} part="desk">
            <input
                type="radio"
                id={id.clone()}
                name={format!("{}-desk", props.id_prefix)}
                value={desk.id.as_str().to_owned()}
                {checked}
                disabled={lock.is_some() || (props.fixed && !checked)}
                aria-describedby={described_by}
                {onchange}
                ref={node_ref}
            />
            <label for={id}>{ desk.name.get(locale).to_owned() }</label>
            <p class="deskform-desk-scope" id={scope_id}>
                { desk.scope.get(locale).to_owned() }
                <span class="deskform-desk-time">{ (text.reply_within)(desk.reply_within.get()) }</span>
            </p>
            if let Some((reason, link)) = lock {
                <p class="deskform-lock" id={lock_id}>
                    { reason }
                    if let Some((href, label)) = link {
                        { text.sentence_gap }<a {href}>{ label }</a>
                    }
                </p>
            }
        </div>
    }
}

/// The reason a desk is locked, and the link that unlocks it when the catalog has one.
pub(crate) fn lock_reason(
    catalog: &Catalog,
    locale: Locale,
    reason: &LockReason,
) -> (String, Option<(String, &'static str)>) {
    let text = strings(locale);
    let links = catalog.links();
    match reason {
        LockReason::SignInNeeded => (
            text.locked_sign_in.to_owned(),
            links.sign_in.clone().map(|href| (href, text.sign_in_link)),
        ),
        LockReason::PaidPlanNeeded => (
            text.locked_paid.to_owned(),
            links.plans.clone().map(|href| (href, text.plans_link)),
        ),
        LockReason::PlanNeeded(plans) => {
            let names: Vec<String> = plans
                .iter()
                .map(|id| match catalog.plan(id.as_str()) {
                    Ok(plan) => (text.plan_name)(plan.name.get(locale)),
                    Err(_) => (text.plan_name)(id.as_str()),
                })
                .collect();
            (
                (text.locked_plans)(&text.list(&names)),
                links.plans.clone().map(|href| (href, text.plans_link)),
            )
        }
    }
}
