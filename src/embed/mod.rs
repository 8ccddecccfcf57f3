//! The embed edge: the only code that touches the host page, the clock, storage and the
//! network. It reads each `[data-deskform]` element's attributes, and gives the components a
//! [`BrowserHost`].

mod browser_host;
mod intl;
#[cfg(feature = "csr")]
mod mount;

pub use browser_host::BrowserHost;
#[cfg(feature = "csr")]
pub use mount::{mount_all, start};
