use std::fmt;
use std::rc::Rc;
use std::str::FromStr;

use deskform_core::{Availability, Catalog, DeskOffer, Locale, LockReason, Viewer};
use yew::prelude::*;

use crate::i18n::{strings, Strings};

/// `data-locked-desks`: what the form does with the desks the viewer may not use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LockedDesks {
    /// Not shown as choices; one line says how to get more (the specified behaviour).
    #[default]
    Hide,
    /// Shown disabled, with the reason and the link that unlocks them (an upsell).
    Show,
}

impl LockedDesks {
    /// The default as the attribute writes it.
    pub const DEFAULT_TEXT: &'static str = "hide";
}

/// A `data-locked-desks` value that is neither `hide` nor `show`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseLockedDesksError;

impl fmt::Display for ParseLockedDesksError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected hide or show")
    }
}

impl std::error::Error for ParseLockedDesksError {}

impl FromStr for LockedDesks {
    type Err = ParseLockedDesksError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "hide" => Ok(LockedDesks::Hide),
            "show" => Ok(LockedDesks::Show),
            _ => Err(ParseLockedDesksError),
        }
    }
}

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
    /// The desks the viewer may not use: hidden (the default) or shown locked.
    #[prop_or_default]
    pub locked_desks: LockedDesks,
}

/// The viewer's desks as radio buttons. The others are left out, with one line on how to get
/// more, or, with [`LockedDesks::Show`], shown locked with the reason and the way to unlock them.
#[component]
pub fn DeskPicker(props: &DeskPickerProps) -> Html {
    let text = strings(props.locale);
    let prefix = &props.id_prefix;
    let error_id = format!("{prefix}-desk-error");
    let more_id = format!("{prefix}-more-desks");
    let mut offers = props.catalog.desks_for(&props.viewer);
    let more = match props.locked_desks {
        LockedDesks::Show => None,
        LockedDesks::Hide => {
            let more = more_desks(&props.catalog, text, &offers);
            offers.retain(DeskOffer::is_available);
            more
        }
    };
    let first_available = offers.iter().position(DeskOffer::is_available);
    let desks = offers.iter().enumerate().map(|(index, offer)| {
        let node_ref = (Some(index) == first_available).then(|| props.first_ref.clone());
        desk_option(props, text, offer, node_ref.unwrap_or_default())
    });
    let described_by = match (&more, props.desk_missing) {
        (Some(_), true) => Some(format!("{more_id} {error_id}")),
        (Some(_), false) => Some(more_id.clone()),
        (None, true) => Some(error_id.clone()),
        (None, false) => None,
    };
    html! {
        <fieldset class="deskform-desks" part="desks" aria-describedby={described_by}>
            <legend>
                { text.desks_legend }
                { " " }<span class="deskform-tag">{ text.required }</span>
            </legend>
            { for desks }
            if let Some((line, link)) = more {
                <p class="deskform-note deskform-more-desks" id={more_id}>
                    { line }
                    if let Some((href, label)) = link {
                        { text.sentence_gap }<a {href}>{ label }</a>
                    }
                </p>
            }
            if props.desk_missing {
                <p class="deskform-error" id={error_id}>{ text.desk_missing }</p>
            }
        </fieldset>
    }
}

/// The way to more desks, ordered so that the one that opens most is the greatest: signing in
/// may open any of them.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum WayToMore {
    PaidPlan,
    OtherPlans,
    SignIn,
}

/// How to get the desks the viewer may not use, without naming them, and the link there when
/// the catalog has one; `None` when every desk is open. With no desk open, the line first says
/// so.
fn more_desks(
    catalog: &Catalog,
    text: &Strings,
    offers: &[DeskOffer<'_>],
) -> Option<(String, Option<(String, &'static str)>)> {
    let way = offers
        .iter()
        .filter_map(|offer| match &offer.availability {
            Availability::Available => None,
            Availability::Locked(LockReason::SignInNeeded) => Some(WayToMore::SignIn),
            // Desks for named plans may be closed to a viewer who already pays.
            Availability::Locked(LockReason::PlanNeeded(_)) => Some(WayToMore::OtherPlans),
            Availability::Locked(LockReason::PaidPlanNeeded) => Some(WayToMore::PaidPlan),
        })
        .max()?;
    let links = catalog.links();
    let (line, link) = match way {
        WayToMore::SignIn => (text.more_desks_sign_in, (&links.sign_in, text.sign_in_link)),
        WayToMore::OtherPlans => (text.more_desks_plans, (&links.plans, text.plans_link)),
        WayToMore::PaidPlan => (text.more_desks_paid, (&links.plans, text.plans_link)),
    };
    let line = if offers.iter().any(DeskOffer::is_available) {
        line.to_owned()
    } else {
        text.sentences(&[text.no_desk_open, line])
    };
    Some((line, link.0.clone().map(|href| (href, link.1))))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locked_desks_reads_hide_or_show_only() {
        assert_eq!("hide".parse(), Ok(LockedDesks::Hide));
        assert_eq!("show".parse(), Ok(LockedDesks::Show));
        for other in ["", "Show", "disabled", "true", " hide"] {
            assert_eq!(other.parse::<LockedDesks>(), Err(ParseLockedDesksError));
        }
        assert_eq!(LockedDesks::default(), LockedDesks::Hide);
        assert_eq!(
            LockedDesks::DEFAULT_TEXT.parse::<LockedDesks>(),
            Ok(LockedDesks::default())
        );
        assert_eq!(ParseLockedDesksError.to_string(), "expected hide or show");
    }

    /// The line on how to get more desks, by why they are hidden, and whether any is left.
    #[test]
    fn the_line_on_more_desks_follows_why_they_are_hidden() {
        let catalog = Catalog::builtin();
        let en = strings(Locale::En);
        let offer = |availability| DeskOffer {
            desk: catalog.desk("usage").unwrap(),
            availability,
        };
        let open = || offer(Availability::Available);
        let locked = |reason| offer(Availability::Locked(reason));
        let plans = || LockReason::PlanNeeded(vec!["business".parse().unwrap()]);
        let sign_in = Some(("/signin".to_owned(), "Sign in"));
        let pricing = Some(("/pricing".to_owned(), "See the plans"));
        let cases = [
            (vec![open(), open()], None),
            (
                vec![open(), locked(LockReason::SignInNeeded)],
                Some(("Sign in to see every desk for your plan.", sign_in.clone())),
            ),
            (
                vec![open(), locked(LockReason::PaidPlanNeeded)],
                Some(("More desks come with a paid plan.", pricing.clone())),
            ),
            (
                vec![locked(plans()), open(), locked(LockReason::PaidPlanNeeded)],
                Some(("More desks come with other plans.", pricing.clone())),
            ),
            (
                vec![locked(LockReason::SignInNeeded)],
                Some((
                    "No desk is open to you here yet. Sign in to see every desk for your plan.",
                    sign_in,
                )),
            ),
        ];
        for (offers, expected) in cases {
            let expected = expected.map(|(line, link)| (line.to_owned(), link));
            assert_eq!(more_desks(catalog, en, &offers), expected, "{offers:?}");
        }
        // A catalog without links: the line alone.
        let bare = Catalog::from_json(&deskform_core::BUILTIN_CATALOG_JSON.replace(
            r#""links": {
    "sign_in": "/signin",
    "plans": "/pricing"
  }"#,
            r#""links": {}"#,
        ))
        .unwrap();
        assert!(bare.links().plans.is_none());
        let offers = [
            open(),
            DeskOffer {
                desk: bare.desk("usage").unwrap(),
                availability: Availability::Locked(LockReason::PaidPlanNeeded),
            },
        ];
        assert_eq!(
            more_desks(&bare, en, &offers),
            Some(("More desks come with a paid plan.".to_owned(), None))
        );
    }
}
