use super::Strings;

pub(super) static STRINGS: Strings = Strings {
    title: "Contact support",
    loading: "Loading the contact form…",
    unavailable: "The contact form is unavailable right now. Please try again later.",
    desks_legend: "What do you need help with?",
    reply_within: |n| match n {
        1 => "Reply within 1 business day".into(),
        n => format!("Reply within {n} business days"),
    },
    locked_sign_in: "Sign in to use this desk.",
    sign_in_link: "Sign in",
    locked_paid: "Available on paid plans.",
    locked_plans: |plans| format!("Available on the {plans} plans."),
    plans_link: "See the plans",
    and: " and ",
    list_separator: ", ",
    choose_desk_first: "Choose a desk to see when you can expect a reply.",
    expected_reply: ("Expected reply by ", ""),
    rule: |n, excluded| {
        let days = match n {
            1 => "Within 1 business day".to_string(),
            n => format!("Within {n} business days"),
        };
        match excluded {
            Some(excluded) => format!("{days}; {excluded} excluded."),
            None => format!("{days}; every day counts."),
        }
    },
    weekends: "weekends",
    weekdays: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    weekday_plural: |day| format!("{day}s"),
    jp_holidays: "Japanese public holidays",
    closure_days: "the desk's closure days",
    skipped_intro: "Not counted:",
    weekend_day: "weekend",
    desk_day_behind: |date, zone| {
        format!("It is still {date} at the support desk ({zone}), so your message counts as received on that day.")
    },
    desk_day_ahead: |date, zone| {
        format!("It is already {date} at the support desk ({zone}), so your message counts as received on that day.")
    },
    no_reply_date: "This desk cannot give a reply date right now.",
    email: "Email",
    name: "Name",
    subject: "Subject",
    message: "Message",
    required: "required",
    optional: "optional",
    email_hint: "We reply to this address.",
    char_count: |used, max| format!("{used} of {max} characters"),
    missing: "Please fill this in.",
    not_an_email: "Please enter an email address, like name@example.com.",
    too_long: |max, chars| format!("Please shorten this to {max} characters; it has {chars}."),
    desk_missing: "Please choose a desk.",
    send: "Send",
    sending_not_set_up: "Sending is not set up on this page yet: nothing you type leaves this browser.",
    not_sent: "Your message was not sent, because sending is not set up on this page yet. Your draft is kept in this browser.",
    fix_problems: |n| match n {
        1 => "Please correct 1 field.".into(),
        n => format!("Please correct {n} fields."),
    },
    account_hint: "From your account: we reply to this address.",
    session_failed: "We could not check whether you are signed in, so only the desks open to everyone are shown.",
    sign_in_again: "Sign in",
    try_again: "Try again",
    sending: "Sending…",
    sending_now: "Sending your inquiry…",
    unreachable: "Not sent yet: the support desk could not be reached. Your inquiry is kept.",
    server_error: "Not sent yet: the support desk had a problem. Your inquiry is kept.",
    retrying_in: |n| match n {
        1 => "Trying again in 1 second.".into(),
        n => format!("Trying again in {n} seconds."),
    },
    held_offline: "You are offline. Your inquiry is kept and will be sent when you are back online.",
    try_now: "Try now",
    sent: "Sent.",
    ticket: "Your ticket number is",
    refused_desk: "The support desk did not accept this desk for your account.",
    refused_because: |why| format!("The support desk did not accept the inquiry ({why}). Your text is kept."),
    too_large: "The inquiry is too large to send. Please shorten the message.",
};
