//! deskform: the support contact form widget.
//!
//! Data flows one way: the host page → [`embed`] (attributes, clock, storage, network) →
//! props, [`state`], the stored [`draft`] and the [`identity`] token → `deskform-core` → the
//! [`components`]. Only `embed` touches the page;
//! components reach the browser through the [`host::Host`] trait, so they render natively too.

pub mod components;
pub mod draft;
pub mod embed;
pub mod host;
pub mod i18n;
pub mod identity;
pub mod state;

pub use deskform_core as core;

// talc instead of the standard library's dlmalloc: the same job in less wasm. Here, not in the
// binaries, so both builds (`deskform-widget`, `deskform-widget-full`) have it.
#[cfg(all(
    target_arch = "wasm32",
    not(target_feature = "atomics"),
    feature = "csr"
))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
