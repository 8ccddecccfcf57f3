//! The widget's view: small function components over the state and the core.

mod app;
mod contact_form;
mod desk_picker;
mod reply_date;
mod text_field;

pub use app::{App, AppProps};
pub use contact_form::{ContactForm, ContactFormProps};
pub use desk_picker::{DeskPicker, DeskPickerProps};
pub use reply_date::{ReplyDate, ReplyDateProps};
pub use text_field::{TextField, TextFieldProps};
