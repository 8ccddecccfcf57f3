//! The lean widget (no `custom-catalog`): mounts into every `[data-deskform]` element of the
//! page that has no `data-config-url`, and takes the loader's widgets that need none.

fn main() {
    deskform::embed::start();
}
