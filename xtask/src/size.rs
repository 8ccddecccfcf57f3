//! `cargo xtask size`: the release build as a visitor's browser receives it.

use std::path::{Path, PathBuf};

use crate::process::{command, root, run, step, Result};

/// The most the widget (wasm + JS + its stylesheet) may weigh, brotli-compressed.
pub const BUDGET_BROTLI: u64 = 150_000;
/// What we aim for.
pub const AIM_BROTLI: u64 = 90_000;

/// Builds the release into `dist/` with Trunk.
pub fn build_release() -> Result {
    step("release build (trunk build --release, offline)");
    run("trunk", &["build", "--release"])
}

struct FileSize {
    name: String,
    raw: u64,
    gzip: u64,
    brotli: u64,
    widget: bool,
}

pub fn size() -> Result {
    build_release()?;
    report()
}

/// Prints every file of `dist/` with its raw, gzip -9 and brotli -q 11 bytes, and fails when
/// the widget is over budget.
pub fn report() -> Result {
    let dist = root().join("dist");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dist)
        .map_err(|e| format!("cannot read {}: {e}", dist.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    let sizes = files
        .iter()
        .map(|path| measure(path))
        .collect::<Result<Vec<_>>>()?;

    step("what the demo page loads (bytes)");
    println!(
        "{:<44} {:>10} {:>10} {:>10}  part",
        "file", "raw", "gzip -9", "brotli -q 11"
    );
    for file in &sizes {
        let part = if file.widget { "widget" } else { "demo page" };
        println!(
            "{:<44} {:>10} {:>10} {:>10}  {part}",
            file.name, file.raw, file.gzip, file.brotli
        );
    }
    let total = |widget_only: bool, pick: fn(&FileSize) -> u64| -> u64 {
        sizes
            .iter()
            .filter(|f| f.widget || !widget_only)
            .map(pick)
            .sum()
    };
    for (label, widget_only) in [
        ("widget total (wasm + js + css)", true),
        ("page total (with the demo page)", false),
    ] {
        println!(
            "{label:<44} {:>10} {:>10} {:>10}",
            total(widget_only, |f| f.raw),
            total(widget_only, |f| f.gzip),
            total(widget_only, |f| f.brotli)
        );
    }
    let widget = total(true, |f| f.brotli);
    println!(
        "\nwidget brotli total: {widget} bytes ({:.1} KB); budget {} KB, aim {} KB",
        widget as f64 / 1000.0,
        BUDGET_BROTLI / 1000,
        AIM_BROTLI / 1000
    );
    if widget > BUDGET_BROTLI {
        return Err(format!(
            "the widget is {widget} bytes brotli, over the {BUDGET_BROTLI}-byte budget"
        ));
    }
    Ok(())
}

fn measure(path: &Path) -> Result<FileSize> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned();
    let raw = std::fs::metadata(path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .len();
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
        widget: name.ends_with(".wasm")
            || name.ends_with(".js")
            || name.starts_with("deskform-") && name.ends_with(".css")
            || name == "deskform.css",
        name,
    })
}
