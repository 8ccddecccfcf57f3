//! The full widget (`custom-catalog`): also reads a page's own catalog (`data-config-url`,
//! `configUrl`). The loader loads it only for a page that has one.

fn main() {
    deskform::embed::start();
}
