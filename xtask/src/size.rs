//! `cargo xtask size`: the release build as a visitor's browser receives it, beside the floor
//! app (`xtask/floor/`), the least a one-form Yew app on the same stack weighs.

use std::path::{Path, PathBuf};

use crate::process::{command, root, run, step, Result};

/// The most the widget a page with the built-in catalog loads (the loader, the lean build's
/// wasm and JS, the stylesheet) may weigh, brotli-compressed: what most visitors pay.
pub const BUDGET_BROTLI: u64 = 150_000;
/// The same for a page with its own catalog (`config-url`), which loads the full build instead.
pub const BUDGET_FULL_BROTLI: u64 = 175_000;
/// What we aim for: the widget at most this many times the floor app, brotli against brotli.
/// A ratio, because it holds across machines and toolchains where absolute bytes do not.
pub const AIM_FLOOR_RATIO: f64 = 1.5;
/// The floor app's page, which Trunk builds with the root `Trunk.toml` and the workspace's
/// release profile, as it builds the widget.
const FLOOR_PAGE: &str = "xtask/floor/index.html";

/// Where the floor app is built: never in `dist/`, so it is never shipped.
pub fn floor_dist() -> PathBuf {
    root().join("target/floor-dist")
}

/// Builds the release into `dist/` with Trunk.
pub fn build_release() -> Result {
    step("release build (trunk build --release, offline)");
    run("trunk", &["build", "--release"])
}

/// Builds the floor app into `target/floor-dist/`, with the same profile and wasm-opt level.
pub fn build_floor() -> Result {
    step("the floor app: one form on the same stack, same profile and wasm-opt (trunk build --release)");
    let dist = floor_dist();
    let dist = dist.to_str().ok_or("the target path is not UTF-8")?;
    run("trunk", &["build", "--release", "--dist", dist, FLOOR_PAGE])
}

struct FileSize {
    name: String,
    raw: u64,
    gzip: u64,
    brotli: u64,
    /// The Subresource Integrity value: `sha384-` and the base64 digest.
    sri: String,
}

pub fn size() -> Result {
    build_release()?;
    build_floor()?;
    report()
}

/// Prints every file of `dist/` and of the floor app with its raw, gzip -9 and brotli -q 11
/// bytes and the widget's ratio to the floor, and fails when the widget is over budget.
pub fn report() -> Result {
    let sizes = measure_dir(&root().join("dist"))?;
    step("what the demo page loads (bytes)");
    print_files(&sizes, is_widget, "widget", "demo page");
    print_total(
        &sizes,
        "widget total, lean build (built-in catalog)",
        is_lean,
    );
    print_total(
        &sizes,
        "widget total, full build (a page's catalog)",
        is_full,
    );
    print_total(&sizes, "page total (the demo page, lean build)", |name| {
        !is_widget(name) || is_lean(name)
    });

    step("Subresource Integrity of the widget's files (<script integrity=…>, <link integrity=…>)");
    for file in sizes.iter().filter(|f| is_widget(&f.name)) {
        println!("{:<44} {}", file.name, file.sri);
    }

    let floor_sizes = measure_dir(&floor_dist())?;
    step("the floor app: a one-form Yew app on the same stack (bytes)");
    print_files(&floor_sizes, is_app, "floor app", "its page");
    print_total(&floor_sizes, "floor total (wasm + js + css)", is_app);

    let widget = brotli_total(&sizes, is_lean);
    let full = brotli_total(&sizes, is_full);
    let floor = brotli_total(&floor_sizes, is_app);
    println!(
        "\nwidget brotli total, lean build: {widget} bytes ({:.1} KB); budget {} KB",
        widget as f64 / 1000.0,
        BUDGET_BROTLI / 1000,
    );
    println!(
        "widget brotli total, full build: {full} bytes ({:.1} KB); budget {} KB; the catalog reader costs {} bytes",
        full as f64 / 1000.0,
        BUDGET_FULL_BROTLI / 1000,
        full as i64 - widget as i64,
    );
    println!(
        "floor brotli total: {floor} bytes ({:.1} KB)",
        floor as f64 / 1000.0
    );
    println!("{}", floor_comparison(widget, floor)?);
    if widget > BUDGET_BROTLI {
        return Err(format!(
            "the lean widget is {widget} bytes brotli, over the {BUDGET_BROTLI}-byte budget"
        ));
    }
    if full > BUDGET_FULL_BROTLI {
        return Err(format!(
            "the full widget is {full} bytes brotli, over the {BUDGET_FULL_BROTLI}-byte budget"
        ));
    }
    Ok(())
}

/// The full build's own files (wasm and glue): `deskform-widget-full-…`.
fn is_full_build(name: &str) -> bool {
    name.starts_with("deskform-widget-full")
}

/// What a page with the built-in catalog loads: every widget file but the full build's.
fn is_lean(name: &str) -> bool {
    is_widget(name) && !is_full_build(name)
}

/// What a page with its own catalog loads: the loader, the stylesheet and the full build.
fn is_full(name: &str) -> bool {
    is_widget(name) && (is_full_build(name) || !name.starts_with("deskform-widget"))
}

/// The widget's files among what the demo page loads: the loader (`deskform.js`), its wasm,
/// its JS and its stylesheet (not the demo page's own script).
fn is_widget(name: &str) -> bool {
    name.ends_with(".wasm")
        || name.starts_with("deskform") && name.ends_with(".js")
        || name.starts_with("deskform-") && name.ends_with(".css")
        || name == "deskform.css"
}

/// The Subresource Integrity value of some bytes: `sha384-` and the base64 of the digest.
fn sri(bytes: &[u8]) -> String {
    use base64ct::Encoding as _;
    use sha2::Digest as _;
    format!(
        "sha384-{}",
        base64ct::Base64::encode_string(&sha2::Sha384::digest(bytes))
    )
}

/// The floor app's own files (its page and the JSON it fetches are data, like the demo page).
fn is_app(name: &str) -> bool {
    [".wasm", ".js", ".css"]
        .iter()
        .any(|end| name.ends_with(end))
}

fn brotli_total(sizes: &[FileSize], counted: impl Fn(&str) -> bool) -> u64 {
    sizes
        .iter()
        .filter(|f| counted(&f.name))
        .map(|f| f.brotli)
        .sum()
}

/// The line that says how many floors the widget weighs, and the aim.
fn floor_comparison(widget: u64, floor: u64) -> Result<String> {
    if floor == 0 {
        return Err("the floor app has no wasm, JS or CSS in target/floor-dist".into());
    }
    Ok(format!(
        "widget {widget} B brotli = {:.2} × the floor ({floor} B); aim ≤ {AIM_FLOOR_RATIO} ×",
        widget as f64 / floor as f64
    ))
}

fn print_files(sizes: &[FileSize], counted: fn(&str) -> bool, part: &str, other: &str) {
    println!(
        "{:<44} {:>10} {:>10} {:>10}  part",
        "file", "raw", "gzip -9", "brotli -q 11"
    );
    for file in sizes {
        let part = if counted(&file.name) { part } else { other };
        println!(
            "{:<44} {:>10} {:>10} {:>10}  {part}",
            file.name, file.raw, file.gzip, file.brotli
        );
    }
}

fn print_total(sizes: &[FileSize], label: &str, counted: impl Fn(&str) -> bool) {
    let total = |pick: fn(&FileSize) -> u64| -> u64 {
        sizes.iter().filter(|f| counted(&f.name)).map(pick).sum()
    };
    println!(
        "{label:<44} {:>10} {:>10} {:>10}",
        total(|f| f.raw),
        total(|f| f.gzip),
        total(|f| f.brotli)
    );
}

/// Every file of a Trunk output directory, by name.
fn measure_dir(dist: &Path) -> Result<Vec<FileSize>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dist)
        .map_err(|e| format!("cannot read {}: {e}", dist.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files.iter().map(|path| measure(path)).collect()
}

fn measure(path: &Path) -> Result<FileSize> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned();
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let raw = bytes.len() as u64;
    let path_text = path.to_str().ok_or("dist path is not UTF-8")?;
    let compressed = |program: &str, args: &[&str]| -> Result<u64> {
        let mut all = args.to_vec();
        all.push(path_text);
        let out = command(program, &all)
            .output()
            .map_err(|e| format!("cannot start {program}: {e} (run `cargo xtask setup`)"))?;
        if !out.status.success() {
            return Err(format!("{program} failed on {name}"));
        }
        Ok(out.stdout.len() as u64)
    };
    Ok(FileSize {
        gzip: compressed("gzip", &["-9", "-c", "-n"])?,
        brotli: compressed("brotli", &["-q", "11", "-c"])?,
        raw,
        sri: sri(&bytes),
        name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_widget_and_the_floor_by_their_own_files() {
        let widget: Vec<_> = [
            "deskform-widget-1a2b_bg.wasm",
            "deskform-widget-1a2b.js",
            "deskform.js",
            "deskform-3c4d.css",
            "demo.js",
            "help-page-5e6f.css",
            "index.html",
        ]
        .into_iter()
        .filter(|name| is_widget(name))
        .collect();
        assert_eq!(
            widget,
            [
                "deskform-widget-1a2b_bg.wasm",
                "deskform-widget-1a2b.js",
                "deskform.js",
                "deskform-3c4d.css"
            ]
        );
        let floor: Vec<_> = [
            "deskform-floor-9a_bg.wasm",
            "deskform-floor-9a.js",
            "index.html",
            "session.json",
        ]
        .into_iter()
        .filter(|name| is_app(name))
        .collect();
        assert_eq!(floor, ["deskform-floor-9a_bg.wasm", "deskform-floor-9a.js"]);
    }

    #[test]
    fn the_lean_and_the_full_build_each_count_the_loader_and_the_stylesheet() {
        let files = [
            "deskform-widget-1a2b_bg.wasm",
            "deskform-widget-1a2b.js",
            "deskform-widget-full-5e6f_bg.wasm",
            "deskform-widget-full-5e6f.js",
            "deskform.js",
            "deskform-3c4d.css",
            "demo.js",
        ];
        let lean: Vec<_> = files.into_iter().filter(|n| is_lean(n)).collect();
        let full: Vec<_> = files.into_iter().filter(|n| is_full(n)).collect();
        assert_eq!(
            lean,
            [
                "deskform-widget-1a2b_bg.wasm",
                "deskform-widget-1a2b.js",
                "deskform.js",
                "deskform-3c4d.css"
            ]
        );
        assert_eq!(
            full,
            [
                "deskform-widget-full-5e6f_bg.wasm",
                "deskform-widget-full-5e6f.js",
                "deskform.js",
                "deskform-3c4d.css"
            ]
        );
    }

    #[test]
    fn sri_is_sha384_in_base64() {
        // `printf abc | openssl dgst -sha384 -binary | openssl base64 -A`
        assert_eq!(
            sri(b"abc"),
            "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
        );
    }

    #[test]
    fn says_how_many_floors_the_widget_weighs() {
        assert_eq!(
            floor_comparison(111_664, 48_300).as_deref(),
            Ok("widget 111664 B brotli = 2.31 × the floor (48300 B); aim ≤ 1.5 ×")
        );
        assert!(floor_comparison(111_664, 0).is_err());
    }
}
