//! The widget's view: small function components over the state and the core.

use yew::{html, Html};

use crate::i18n::{Piece, Sentence};

mod app;
mod contact_form;
mod desk_picker;
mod reply_date;
mod text_field;

pub use app::{App, AppProps, Theme};
pub use contact_form::{refusal_notice, ContactForm, ContactFormProps};
pub use desk_picker::{DeskPicker, DeskPickerProps, LockedDesks, ParseLockedDesksError};
pub use reply_date::{ReplyDate, ReplyDateProps};
pub use text_field::{TextField, TextFieldProps};

/// A sentence of [`crate::i18n`] as markup; `fill` gives the markup of its date and ticket.
fn sentence(pieces: Sentence, fill: impl Fn(Piece) -> Html) -> Html {
    pieces
        .iter()
        .map(|piece| match *piece {
            Piece::Text(text) => html! { text },
            Piece::Strong(text) => html! { <strong>{ text }</strong> },
            slot => fill(slot),
        })
        .collect()
}
