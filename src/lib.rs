//! deskform: the support contact form widget.
//!
//! The widget itself (Yew components, the embed edge) arrives with the widget issue; until then
//! this crate re-exports the domain it will be built on.

pub use deskform_core as core;
