//! Installs everything the other commands need, skipping what is already there: toolchain
//! pieces, Trunk, the wasm-bindgen CLI matching Cargo.lock, Chromium with its driver, brotli,
//! and the npm packages (wasm-opt, Playwright, axe).

use std::path::Path;

use crate::process::{cargo_bin, command, output, root, run, run_command, step, Result};

const TRUNK_VERSION: &str = "0.21.14";

pub fn setup() -> Result {
    rust_toolchain()?;
    debian_packages()?;
    trunk()?;
    wasm_bindgen_cli()?;
    npm_packages()?;
    step("crates for offline builds (cargo fetch)");
    run("cargo", &["fetch", "--locked"])
}

fn rust_toolchain() -> Result {
    step("Rust toolchain: rustfmt, clippy, wasm32-unknown-unknown");
    let components = output("rustup", &["component", "list", "--installed"]).unwrap_or_default();
    for component in ["rustfmt", "clippy"] {
        if !components.lines().any(|l| l.starts_with(component)) {
            run("rustup", &["component", "add", component])?;
        }
    }
    let targets = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        run("rustup", &["target", "add", "wasm32-unknown-unknown"])?;
    }
    println!("ok");
    Ok(())
}

/// The Debian packages, and a file each installs.
const DEBIAN_PACKAGES: [(&str, &str); 4] = [
    ("chromium", "/usr/bin/chromium"),
    ("chromium-driver", "/usr/bin/chromedriver"),
    ("brotli", "/usr/bin/brotli"),
    // So that screenshots of the Japanese widget show Japanese, not boxes.
    (
        "fonts-noto-cjk",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    ),
];

fn debian_packages() -> Result {
    step("Chromium, ChromeDriver, brotli and CJK fonts (Debian packages)");
    let missing: Vec<&str> = DEBIAN_PACKAGES
        .iter()
        .filter(|(_, file)| !Path::new(file).exists())
        .map(|(package, _)| *package)
        .collect();
    if missing.is_empty() {
        println!("ok");
        return Ok(());
    }
    let root_user = output("id", &["-u"]).is_some_and(|id| id.trim() == "0");
    let sudo: &[&str] = if root_user { &[] } else { &["sudo", "-n"] };
    let apt = |args: &[&str]| {
        let all: Vec<&str> = sudo
            .iter()
            .chain(["apt-get"].iter())
            .chain(args)
            .copied()
            .collect();
        let mut cmd = command(all[0], &all[1..]);
        cmd.env("DEBIAN_FRONTEND", "noninteractive");
        run_command(&mut cmd)
    };
    apt(&["update"])?;
    let install = ["install", "-y", "--no-install-recommends"];
    apt(&[&install[..], &missing].concat())
}

fn trunk() -> Result {
    step(&format!("Trunk {TRUNK_VERSION}"));
    if output("trunk", &["--version"]).is_some_and(|v| v.trim() == format!("trunk {TRUNK_VERSION}"))
    {
        println!("ok");
        return Ok(());
    }
    // Trunk only orchestrates the build (the widget itself is still built in release), so it is
    // compiled with the dev profile and no debug info: 4 minutes on 2 cores instead of 10.
    println!("installing (about 4 minutes on 2 cores)");
    tool_install(&["--locked", "trunk", "--version", TRUNK_VERSION])
}

/// `cargo install --debug` without debug info: the build tools only orchestrate, so their own
/// speed does not matter, and the release profile would triple their compile time.
fn tool_install(args: &[&str]) -> Result {
    let all: Vec<&str> = ["install", "--debug"].iter().chain(args).copied().collect();
    let mut cmd = command("cargo", &all);
    cmd.env("CARGO_PROFILE_DEV_DEBUG", "false");
    run_command(&mut cmd)
}

/// The wasm-bindgen CLI must be the exact version the widget links (pinned in Cargo.toml).
fn wasm_bindgen_cli() -> Result {
    let version = locked_version("wasm-bindgen")?;
    step(&format!(
        "wasm-bindgen CLI {version} (the version in Cargo.lock)"
    ));
    let have = |program: &str| {
        output(program, &["--version"])
            .is_some_and(|v| v.split_whitespace().nth(1) == Some(version.as_str()))
    };
    if have("wasm-bindgen") && have("wasm-bindgen-test-runner") {
        println!("ok");
        return Ok(());
    }
    // Its own lockfile pins a crate the registry lacks, so no --locked (see shared/TOOLCHAIN.md).
    tool_install(&["--force", "wasm-bindgen-cli", "--version", &version])?;
    if !cargo_bin().join("wasm-bindgen").exists() {
        return Err("wasm-bindgen was installed, but not into cargo's bin folder".into());
    }
    Ok(())
}

fn npm_packages() -> Result {
    step("npm packages: binaryen (wasm-opt), playwright-core, @axe-core/playwright");
    let e2e = root().join("e2e");
    let installed = e2e.join("node_modules/.package-lock.json");
    let up_to_date = match (
        std::fs::metadata(&installed),
        std::fs::metadata(e2e.join("package-lock.json")),
    ) {
        (Ok(installed), Ok(lock)) => installed.modified().ok() >= lock.modified().ok(),
        _ => false,
    };
    if up_to_date && e2e.join("node_modules/.bin/wasm-opt").exists() {
        println!("ok");
        return Ok(());
    }
    let mut npm = command("npm", &["ci", "--no-audit", "--no-fund"]);
    npm.current_dir(&e2e);
    run_command(&mut npm)
}

/// The version of a package in Cargo.lock.
fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == format!("name = \"{package}\"") {
            if let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(version.trim_end_matches('"').to_owned());
            }
        }
    }
    Err(format!("{package} is not in Cargo.lock"))
}
