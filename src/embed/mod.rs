//! The embed edge: the only code that touches the host page, the clock, storage and the
//! network. It reads each widget's options (a `[data-deskform]` element's attributes, or the
//! mount API's object), and gives the components a [`BrowserHost`].

#[cfg(feature = "csr")]
mod api;
mod browser_host;
mod intl;
#[cfg(feature = "csr")]
mod mount;
pub mod options;

#[cfg(feature = "csr")]
pub use api::{mount_element, WidgetHandle};
pub use browser_host::BrowserHost;
#[cfg(feature = "csr")]
pub use mount::{
    mount, mount_all, mounted_count, options_of_object, set_stylesheet, start, unmount, update,
};
