//! `cargo xtask …`: the project's set-up, demo, test and benchmark commands.
//!
//! Each command installs what it needs first (toolchain components, targets), so that the two
//! README commands work on a fresh machine.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  demo    build the `deskform` command and show the built-in catalog at work
  test    every check and test suite: fmt, clippy, native tests, the core built for wasm
  bench   the core's criterion benchmarks (reply dates, holidays, catalog parsing)
  setup   install the toolchain pieces the other commands need";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => demo(),
        Some("test") => test(),
        Some("bench") => bench(&args[1..]),
        Some("setup") => setup(),
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

type Result<T = ()> = std::result::Result<T, String>;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn step(title: &str) {
    println!("\n==> {title}");
}

/// Runs a command in the workspace root, failing when it fails.
fn run(program: &str, args: &[&str]) -> Result {
    let status = Command::new(program)
        .args(args)
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

/// Runs a command and returns its standard output.
fn output(program: &str, args: &[&str]) -> Result<String> {
    let out = Command::new(program)
        .args(args)
        .current_dir(root())
        .output()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`{program} {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Installs rustfmt, clippy and the wasm target when they are missing.
fn setup() -> Result {
    step("toolchain components");
    let components = output("rustup", &["component", "list", "--installed"])?;
    for component in ["rustfmt", "clippy"] {
        if !components.lines().any(|l| l.starts_with(component)) {
            run("rustup", &["component", "add", component])?;
        }
    }
    let targets = output("rustup", &["target", "list", "--installed"])?;
    if !targets
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        run("rustup", &["target", "add", "wasm32-unknown-unknown"])?;
    }
    println!("rustfmt, clippy and wasm32-unknown-unknown are installed");
    Ok(())
}

fn test() -> Result {
    setup()?;
    step("cargo fmt --check");
    run("cargo", &["fmt", "--all", "--check"])?;
    step("cargo clippy (all targets, warnings are errors)");
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
    step("deskform-core builds for the browser (wasm32, no web APIs needed)");
    run(
        "cargo",
        &[
            "build",
            "--locked",
            "--package",
            "deskform-core",
            "--target",
            "wasm32-unknown-unknown",
            "--release",
        ],
    )?;
    step("benchmarks compile");
    run("cargo", &["bench", "--workspace", "--locked", "--no-run"])?;
    step("native tests: core, command, widget crate");
    let mut total = TestCount::default();
    total.add(run_tests(&["test", "--workspace", "--locked"])?);
    // One closing line over every suite, in the plain form CI reads.
    println!(
        "\ntests: {} passed, {} failed, {} skipped",
        total.passed, total.failed, total.ignored
    );
    if total.passed == 0 {
        return Err("no test ran".into());
    }
    Ok(())
}

#[derive(Debug, Default)]
struct TestCount {
    passed: u64,
    failed: u64,
    ignored: u64,
}

impl TestCount {
    fn add(&mut self, other: TestCount) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.ignored += other.ignored;
    }

    /// Adds the counts of a libtest line such as
    /// `test result: ok. 22 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; …`.
    fn read_line(&mut self, line: &str) {
        let Some(rest) = line.strip_prefix("test result: ") else {
            return;
        };
        for part in rest.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(label), Some(n)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(n) = n.parse::<u64>() else { continue };
            match label {
                "passed" => self.passed += n,
                "failed" => self.failed += n,
                "ignored" => self.ignored += n,
                _ => {}
            }
        }
    }
}

/// Runs `cargo args…`, echoing its output while counting the tests of every suite.
fn run_tests(args: &[&str]) -> Result<TestCount> {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new("cargo")
        .args(args)
        .current_dir(root())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start cargo: {e}"))?;
    let mut count = TestCount::default();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(|e| format!("cannot read cargo's output: {e}"))?;
            println!("{line}");
            count.read_line(&line);
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("cargo did not finish: {e}"))?;
    if status.success() {
        Ok(count)
    } else {
        Err(format!(
            "`cargo {}` failed ({status}): {} failed",
            args.join(" "),
            count.failed
        ))
    }
}

fn bench(extra: &[String]) -> Result {
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
    run("cargo", &args)
}

fn demo() -> Result {
    step("building the deskform command");
    run(
        "cargo",
        &[
            "build",
            "--locked",
            "--release",
            "--package",
            "deskform-cli",
        ],
    )?;
    let exe = root().join("target/release/deskform");
    let exe = exe
        .to_str()
        .ok_or("the target folder's path is not UTF-8")?;
    let deskform = |args: &[&str]| -> Result {
        println!("\n$ deskform {}", args.join(" "));
        run(exe, args)
    };
    println!(
        "\nThe browser widget (demo page on http://127.0.0.1:8080) arrives with the widget issue;\n\
         until then this shows the built-in catalog through the `deskform` command."
    );
    deskform(&["desks", "--signed-out"])?;
    deskform(&["desks", "--plan", "free"])?;
    deskform(&["desks", "--plan", "business"])?;
    deskform(&[
        "reply-date",
        "--desk",
        "usage",
        "--received",
        "2026-11-26T23:30:00+07:00",
    ])?;
    deskform(&[
        "reply-date",
        "--desk",
        "login",
        "--received",
        "2026-11-20T18:00:00+09:00",
        "--lang",
        "ja",
    ])?;
    deskform(&["holidays", "2026", "--lang", "en"])?;
    println!("\nMore: {exe} --help");
    Ok(())
}
