//! The widget's entry point: mounts into every `[data-deskform]` element of the page.

// talc instead of the standard library's dlmalloc: the same job in less wasm.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    deskform::embed::start();
}
