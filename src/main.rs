//! The widget's entry point: mounts into every `[data-deskform]` element of the page.

fn main() {
    deskform::embed::mount_all();
}
