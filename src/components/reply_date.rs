use std::rc::Rc;

use deskform_core::{BusinessCalendar, Catalog, Date, HolidaySet, Locale, NonBusinessDay, Weekend};
use yew::prelude::*;

use crate::host::{DateStyle, HostHandle};
use crate::i18n::{strings, Strings};

#[derive(Properties, PartialEq, Debug)]
pub struct ReplyDateProps {
    pub host: HostHandle,
    pub catalog: Rc<Catalog>,
    /// The chosen desk's id.
    pub desk: Option<AttrValue>,
    /// The day of receipt: today in the desk's time zone.
    pub desk_today: Date,
    /// Today where the visitor is.
    pub local_today: Date,
    pub locale: Locale,
}

/// When to expect a reply from the chosen desk, the rule behind it, and the days it skips; a
/// live region, so that a screen reader hears the date when the desk or the day changes.
#[component]
pub fn ReplyDate(props: &ReplyDateProps) -> Html {
    let text = strings(props.locale);
    let desk = props.desk.as_deref().and_then(|id| props.catalog.desk(id));
    let body = match desk {
        None => html! { <p class="deskform-reply-prompt">{ text.choose_desk_first }</p> },
        Some(desk) => match props.catalog.reply_due(desk, props.desk_today) {
            Err(_) => html! { <p class="deskform-reply-date">{ text.no_reply_date }</p> },
            Ok(reply) => {
                let host = &props.host;
                let locale = props.locale;
                let calendar = props.catalog.calendar();
                let skipped = reply.skipped.iter().map(|day| {
                    let reason = match day.reason {
                        NonBusinessDay::Weekend(_) => text.weekend_day.to_owned(),
                        NonBusinessDay::Holiday(holiday) => holiday.name(locale),
                        NonBusinessDay::Closure(closure) => closure.name.get(locale).to_owned(),
                    };
                    html! {
                        <li>
                            <time datetime={day.date.to_string()}>{ host.format_date(day.date, locale, DateStyle::Short) }</time>
                            { text.skipped_reason_separator }{ reason }
                        </li>
                    }
                });
                let desk_day = (props.desk_today != props.local_today).then(|| {
                    let date = host.format_date(props.desk_today, locale, DateStyle::Long);
                    let zone = host.time_zone_name(calendar.time_zone(), locale);
                    let say = if props.desk_today > props.local_today {
                        text.desk_day_ahead
                    } else {
                        text.desk_day_behind
                    };
                    say(&date, &zone)
                });
                html! {
                    <>
                        <p class="deskform-reply-date">
                            { super::sentence(text.expected_reply, |_| html! {
                                <time data-testid="reply-date" datetime={reply.due.to_string()}>
                                    { host.format_date(reply.due, locale, DateStyle::Long) }
                                </time>
                            }) }
                        </p>
                        <p class="deskform-rule">{ rule(text, calendar, desk.reply_within.get()) }</p>
                        if !reply.skipped.is_empty() {
                            <div class="deskform-skipped">
                                { text.skipped_intro }
                                <ul>{ for skipped }</ul>
                            </div>
                        }
                        if let Some(desk_day) = desk_day {
                            <p class="deskform-desk-day">{ desk_day }</p>
                        }
                    </>
                }
            }
        },
    };
    html! {
        <div class="deskform-reply" part="reply-date" aria-live="polite">{ body }</div>
    }
}

/// "Within 1 business day; weekends and Japanese public holidays excluded."
pub(crate) fn rule(text: &Strings, calendar: &BusinessCalendar, days: u32) -> String {
    let mut excluded = Vec::new();
    let weekend = calendar.weekend();
    if weekend == Weekend::SATURDAY_SUNDAY {
        excluded.push(text.weekends.to_owned());
    } else {
        excluded.extend(
            weekend
                .days()
                .map(|day| (text.weekday_plural)(text.weekday(day))),
        );
    }
    if calendar.holiday_set() == HolidaySet::Jp {
        excluded.push(text.jp_holidays.to_owned());
    }
    if !calendar.closures().is_empty() {
        excluded.push(text.closure_days.to_owned());
    }
    let excluded = (!excluded.is_empty()).then(|| text.list(&excluded));
    (text.rule)(days, excluded.as_deref())
}
