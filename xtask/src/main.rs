//! `cargo xtask …`: the project's set-up, demo, test, size and benchmark commands.
//!
//! Each command installs what it needs first (see `setup`), so that the two README commands
//! work on a fresh machine.

mod process;
mod setup;
mod size;

use std::process::ExitCode;

use process::{command, output, root, run, run_tests, step, Result, TestCount};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  demo    install what is missing, build the widget and run `deskform serve`: the demo help
          page on http://127.0.0.1:8080 (built-in catalog), inquiries stored in deskform.db
  test    every check and suite: fmt, clippy, native tests (core, command, receiver, widget
          SSR), browser tests (wasm-bindgen-test), the size budget, end-to-end tests
          (Playwright against a real `deskform serve`)
  size    build the release and the floor app (a one-form Yew app on the same stack), print
          each file's raw, gzip -9 and brotli -q 11 bytes and the widget's ratio to the floor
  schema  write crates/core/catalog/catalog.schema.json, generated from the catalog's serde
          types; `schema --check` fails when the checked-in file differs
  bench   the receiver under load, the core's criterion benchmarks, then the widget's startup
          and interaction in Chromium, and its startup against the floor app's
  setup   install the toolchain pieces, Trunk, wasm-bindgen, Chromium and the npm packages";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => demo(),
        Some("test") => test(),
        Some("size") => setup::setup().and_then(|()| size::size()),
        Some("bench") => bench(&args[1..]),
        Some("schema") => schema(&args[1..]),
        Some("setup") => setup::setup(),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        other => {
            eprintln!("{USAGE}");
            if let Some(other) = other {
                eprintln!("\nunknown command {other:?}");
            }
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Cargo arguments that select the widget as the browser runs it.
const WIDGET_FOR_BROWSER: &[&str] = &[
    "--locked",
    "--package",
    "deskform",
    "--target",
    "wasm32-unknown-unknown",
    "--features",
    "csr",
];

fn test() -> Result {
    setup::setup()?;
    step("cargo fmt --check");
    run("cargo", &["fmt", "--all", "--check"])?;
    step("cargo clippy, native (all targets, warnings are errors)");
    run(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    step("the catalog's JSON Schema matches its serde types");
    schema(&["--check".to_owned()])?;
    step("cargo clippy, the widget for the browser");
    run(
        "cargo",
        &[
            &["clippy"],
            WIDGET_FOR_BROWSER,
            &["--all-targets", "--", "-D", "warnings"],
        ]
        .concat(),
    )?;
    step("cargo clippy, the lean widget for the browser (no custom-catalog)");
    run(
        "cargo",
        &[
            "clippy",
            "--locked",
            "--package",
            "deskform",
            "--target",
            "wasm32-unknown-unknown",
            "--no-default-features",
            "--features",
            "csr",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    step("cargo clippy, the floor app for the browser");
    run(
        "cargo",
        &[
            "clippy",
            "--locked",
            "--package",
            "deskform-floor",
            "--target",
            "wasm32-unknown-unknown",
            "--features",
            "csr",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    step("`deskform` without the receiver: builds, and links no axum, tokio or SQLite");
    run(
        "cargo",
        &[
            "clippy",
            "--locked",
            "--package",
            "deskform-cli",
            "--no-default-features",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    lean_command()?;
    step("benchmarks compile");
    run("cargo", &["bench", "--workspace", "--locked", "--no-run"])?;

    let mut total = TestCount::default();
    step("native tests: core, command, widget state and server-side rendering");
    total.add(run_tests(command(
        "cargo",
        &["test", "--workspace", "--locked"],
    ))?);
    step("native tests: the lean widget (without the catalog reader)");
    total.add(run_tests(command(
        "cargo",
        &[
            "test",
            "--locked",
            "--package",
            "deskform",
            "--no-default-features",
            "--lib",
        ],
    ))?);
    step("browser tests: the widget in headless Chromium (wasm-bindgen-test)");
    total.add(run_tests(command(
        "cargo",
        &[
            &["test"],
            WIDGET_FOR_BROWSER,
            &["--test", "browser", "--test", "browser_identity"],
        ]
        .concat(),
    ))?);
    size::build_release()?;
    size::build_floor()?;
    size::report()?;
    step("end-to-end tests: the release build and `deskform serve` in Chromium (Playwright, axe)");
    run("cargo", &["build", "--locked", "--package", "deskform-cli"])?;
    let mut e2e = command("npm", &["test", "--silent"]);
    e2e.current_dir(root().join("e2e"))
        .env("DESKFORM_DIST", root().join("dist"))
        .env("DESKFORM_BIN", deskform_bin())
        .env("DESKFORM_SCREENSHOTS", root().join("target/screenshots"));
    total.add(run_tests(e2e)?);

    // One closing line over every suite, in the plain form CI reads.
    println!(
        "\ntests: {} passed, {} failed, {} skipped",
        total.passed, total.failed, total.skipped
    );
    if total.passed == 0 {
        return Err("no test ran".into());
    }
    Ok(())
}

/// Fails when `deskform-cli --no-default-features` would link the receiver's stack: the
/// calendar and catalog tools stay small and quick to build without it.
fn lean_command() -> Result {
    let tree = output(
        "cargo",
        &[
            "tree",
            "--locked",
            "--package",
            "deskform-cli",
            "--no-default-features",
            "--edges",
            "normal",
            "--prefix",
            "none",
        ],
    )
    .ok_or("cargo tree failed")?;
    let linked: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| ["axum", "tokio", "rusqlite", "deskform-server"].contains(name))
        .collect();
    if linked.is_empty() {
        println!(
            "deskform-cli --no-default-features: {} crates, none of axum, tokio, rusqlite",
            tree.lines().count()
        );
        Ok(())
    } else {
        Err(format!(
            "deskform-cli --no-default-features links {}",
            linked.join(", ")
        ))
    }
}

/// Writes the catalog's JSON Schema, generated from the serde types; with `--check`, fails
/// when the checked-in file differs instead.
fn schema(args: &[String]) -> Result {
    let path = root().join("crates/core/catalog/catalog.schema.json");
    let generated = deskform_core::catalog_json::catalog_schema();
    match args {
        [] => std::fs::write(&path, generated)
            .map_err(|e| format!("cannot write {}: {e}", path.display())),
        [check] if check == "--check" => {
            let checked_in = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            if checked_in == generated {
                Ok(())
            } else {
                Err(format!(
                    "{} differs from the schema the catalog's serde types give; \
                     run `cargo xtask schema` and commit the file",
                    path.display()
                ))
            }
        }
        _ => Err("usage: cargo xtask schema [--check]".into()),
    }
}

/// The `deskform` command as `cargo build --package deskform-cli` leaves it.
fn deskform_bin() -> std::path::PathBuf {
    root().join("target/debug/deskform")
}

fn bench(extra: &[String]) -> Result {
    step("the receiver under load: N concurrent inquiries, exactly N rows (figures only)");
    run(
        "cargo",
        &[
            "bench",
            "--locked",
            "--package",
            "deskform-cli",
            "--bench",
            "load",
        ],
    )?;
    step("criterion benchmarks (figures below; reports in target/criterion)");
    let mut args = vec![
        "bench",
        "--locked",
        "--package",
        "deskform-core",
        "--bench",
        "reply_date",
        "--",
    ];
    args.extend(extra.iter().map(String::as_str));
    run("cargo", &args)?;
    setup::setup()?;
    size::build_release()?;
    size::build_floor()?;
    run("cargo", &["build", "--locked", "--package", "deskform-cli"])?;
    step("the widget in Chromium: first render (against the floor app's), choosing a desk, typing, sending (figures only)");
    let mut startup = command("node", &["bench/startup.mjs"]);
    startup
        .current_dir(root().join("e2e"))
        .env("DESKFORM_DIST", root().join("dist"))
        .env("DESKFORM_FLOOR_DIST", size::floor_dist())
        .env("DESKFORM_BIN", deskform_bin());
    process::run_command(&mut startup)
}

fn demo() -> Result {
    setup::setup()?;
    size::build_release()?;
    step("building the receiver, `deskform serve`");
    run("cargo", &["build", "--locked", "--package", "deskform-cli"])?;
    step("serving the demo help page on http://127.0.0.1:8080 (Ctrl-C stops it)");
    println!(
        "Open http://127.0.0.1:8080 and use the demo bar to sign in signed out or on any plan, in\n\
         English, Japanese or Vietnamese, and send an inquiry. They are stored in deskform.db:\n\
         list them with `target/debug/deskform inquiries`. More: `target/debug/deskform --help`."
    );
    let bin = deskform_bin();
    run(
        &bin.to_string_lossy(),
        &[
            "serve",
            "--port",
            "8080",
            "--db",
            "deskform.db",
            "--dist",
            "dist",
            "--demo",
        ],
    )
}
