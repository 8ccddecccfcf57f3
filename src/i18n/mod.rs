//! Every string the widget shows, one module per language. Components never hold text of their
//! own: they ask [`strings`] for the visitor's locale.
//!
//! A sentence is written whole in each language, with its parameters where that language puts
//! them: a function for plain text, a [`Sentence`] where the view puts markup (a `<time>`, the
//! ticket number) inside it. Components never build a sentence out of fragments.

mod en;
mod ja;
mod vi;

use deskform_core::{Locale, Weekday};

/// A part of a [`Sentence`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Text as it is.
    Text(&'static str),
    /// Text that stands out, e.g. "Sent.".
    Strong(&'static str),
    /// The date, written by the host and marked up by the view.
    Date,
    /// The ticket number, marked up by the view.
    Ticket,
}

/// A sentence whose date and ticket the view fills in, in the order the language puts them.
pub type Sentence = &'static [Piece];

/// The widget's text in one language.
#[derive(Debug)]
pub struct Strings {
    /// Heading of the widget.
    pub title: &'static str,
    /// Shown while a catalog loads.
    pub loading: &'static str,
    /// Shown when the catalog could not be loaded or is invalid.
    pub unavailable: &'static str,
    /// Legend of the desk fieldset.
    pub desks_legend: &'static str,
    /// "Reply within N business days", under each desk.
    pub reply_within: fn(u32) -> String,
    pub locked_sign_in: &'static str,
    pub sign_in_link: &'static str,
    pub locked_paid: &'static str,
    /// Locked to other plans; the argument lists their names, each from [`Self::plan_name`].
    pub locked_plans: fn(&str) -> String,
    /// A plan's name from the catalog as it reads inside a sentence.
    pub plan_name: fn(&str) -> String,
    pub plans_link: &'static str,
    /// Under the desks when a signed-out visitor's desks are hidden; the sign-in link follows.
    pub more_desks_sign_in: &'static str,
    /// Under the desks when a free plan's desks are hidden; the plans link follows.
    pub more_desks_paid: &'static str,
    /// Under the desks when desks for other plans are hidden; the plans link follows.
    pub more_desks_plans: &'static str,
    /// Before the line on how to get more desks, when no desk is left to choose.
    pub no_desk_open: &'static str,
    /// Joins the last two items of a list ("A and B").
    pub and: &'static str,
    /// Separates the other items of a list.
    pub list_separator: &'static str,
    /// Between two sentences, or a sentence and the link after it (Japanese needs no space
    /// after 「。」).
    pub sentence_gap: &'static str,
    /// Before a desk is chosen, in the reply region.
    pub choose_desk_first: &'static str,
    /// "Expected reply by <date>", in the reply region.
    pub expected_reply: Sentence,
    /// The rule: business days, then what is excluded (already a list).
    pub rule: fn(u32, Option<&str>) -> String,
    pub weekends: &'static str,
    /// Weekday names, Monday first.
    pub weekdays: [&'static str; 7],
    /// Several weekdays as a closed set, e.g. "Fridays".
    pub weekday_plural: fn(&'static str) -> String,
    pub jp_holidays: &'static str,
    pub closure_days: &'static str,
    /// Before the list of days that are not counted.
    pub skipped_intro: &'static str,
    /// In that list, between a day and why it is not counted.
    pub skipped_reason_separator: &'static str,
    pub weekend_day: &'static str,
    /// The desk's day is later than the visitor's: (desk's date, time zone name).
    pub desk_day_ahead: fn(&str, &str) -> String,
    /// The desk's day is earlier than the visitor's: (desk's date, time zone name).
    pub desk_day_behind: fn(&str, &str) -> String,
    pub no_reply_date: &'static str,
    pub email: &'static str,
    pub name: &'static str,
    pub subject: &'static str,
    pub message: &'static str,
    pub required: &'static str,
    pub optional: &'static str,
    pub email_hint: &'static str,
    /// Characters used of the maximum.
    pub char_count: fn(usize, usize) -> String,
    pub missing: &'static str,
    pub not_an_email: &'static str,
    pub too_long: fn(usize, usize) -> String,
    pub desk_missing: &'static str,
    pub send: &'static str,
    /// Under the button, always: sending is not set up.
    pub sending_not_set_up: &'static str,
    /// After a complete form is submitted while sending is not set up.
    pub not_sent: &'static str,
    /// After a submit with problems.
    pub fix_problems: fn(usize) -> String,
    /// Under a read-only email: it is the account's.
    pub account_hint: &'static str,
    /// The session could not be read; a sign-in link follows.
    pub session_failed: &'static str,
    pub sign_in_again: &'static str,
    /// Ask for the session again.
    pub try_again: &'static str,
    /// The button while a request is out.
    pub sending: &'static str,
    /// The status line while a request is out.
    pub sending_now: &'static str,
    /// The receiver could not be reached (network, timeout).
    pub unreachable: &'static str,
    /// The receiver failed (5xx).
    pub server_error: &'static str,
    /// When the next try goes, in seconds; follows [`Self::unreachable`] or
    /// [`Self::server_error`].
    pub retrying_in: fn(u32) -> String,
    /// Offline: held until online.
    pub held_offline: &'static str,
    /// Send again at once.
    pub try_now: &'static str,
    /// Stored: the ticket number and the reply date.
    pub sent_notice: Sentence,
    /// The receiver refused the desk; the lock reason follows.
    pub refused_desk: &'static str,
    /// The receiver could not read the inquiry (400).
    pub refused_malformed: &'static str,
    /// The sign-in could not be confirmed (the identity token expired and was not renewed, or
    /// the receiver refused it, 401): nothing was sent.
    pub sign_in_lost: &'static str,
    /// Nothing answers at the page's receiver address (404).
    pub refused_not_found: &'static str,
    /// The idempotency key was used for another inquiry (409): the next send is a new one.
    pub refused_key_conflict: &'static str,
    /// Over the receiver's size limit (413).
    pub too_large: &'static str,
    /// The receiver does not take the widget's format (415).
    pub refused_media_type: &'static str,
    /// Problems with what the page sends, not with a field (422); may follow
    /// [`Self::fix_problems`].
    pub refused_elsewhere: &'static str,
    /// Too many inquiries from here (429): try again in this many minutes.
    pub rate_limited: fn(u32) -> String,
    /// Any other refusal, with its HTTP status.
    pub refused_status: fn(u16) -> String,
    /// The label of the honeypot field, which only robots see (or people whose browser did
    /// not load the stylesheet).
    pub honeypot_label: &'static str,
}

/// The strings for a locale.
pub fn strings(locale: Locale) -> &'static Strings {
    match locale {
        Locale::En => &en::STRINGS,
        Locale::Ja => &ja::STRINGS,
        Locale::Vi => &vi::STRINGS,
    }
}

impl Strings {
    /// A weekday's name.
    pub fn weekday(&self, day: Weekday) -> &'static str {
        self.weekdays[day.monday_index() as usize]
    }

    /// Items joined as a list: "A", "A and B", "A, B and C".
    pub fn list(&self, items: &[String]) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{}{}{last}", init.join(self.list_separator), self.and),
        }
    }

    /// Sentences one after the other, as the language separates them.
    pub fn sentences(&self, sentences: &[&str]) -> String {
        sentences.join(self.sentence_gap)
    }
}

#[cfg(test)]
mod tests;
