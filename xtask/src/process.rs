//! Running programs from the workspace root, and counting the tests they report.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

pub fn step(title: &str) {
    println!("\n==> {title}");
}

/// A command in the workspace root, with the project's tools first on PATH and Trunk offline.
pub fn command(program: &str, args: &[&str]) -> Command {
    let mut command = Command::new(program);
    command.args(args).current_dir(root());
    let mut path = vec![root().join("e2e/node_modules/.bin"), cargo_bin()];
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    if let Ok(path) = std::env::join_paths(path) {
        command.env("PATH", path);
    }
    command
        .env("TRUNK_OFFLINE", "true")
        .env("TRUNK_SKIP_VERSION_CHECK", "true");
    command
}

/// Where `cargo install` puts programs.
pub fn cargo_bin() -> PathBuf {
    match std::env::var_os("CARGO_HOME") {
        Some(home) => PathBuf::from(home).join("bin"),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo/bin"),
    }
}

/// Runs a command, failing when it fails.
pub fn run(program: &str, args: &[&str]) -> Result {
    run_command(&mut command(program, args))
}

pub fn run_command(command: &mut Command) -> Result {
    let status = command
        .status()
        .map_err(|e| format!("cannot start {:?}: {e}", command.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed ({status})"))
    }
}

/// Runs a command and returns its standard output, or None when it cannot start or fails.
pub fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = command(program, args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Tests counted over every suite.
#[derive(Debug, Default)]
pub struct TestCount {
    pub passed: u64,
    pub failed: u64,
    pub skipped: u64,
}

impl TestCount {
    pub fn add(&mut self, other: TestCount) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
    }

    /// Adds the counts of a line from libtest (`test result: ok. 22 passed; 0 failed;
    /// 1 ignored; …`) or from node's TAP reporter (`# pass 12`, `# fail 0`, `# skipped 0`).
    pub fn read_line(&mut self, line: &str) {
        if let Some(rest) = line.strip_prefix("test result: ") {
            for part in rest.split(';') {
                let mut words = part.split_whitespace().rev();
                let (Some(label), Some(n)) = (words.next(), words.next()) else {
                    continue;
                };
                let Ok(n) = n.parse::<u64>() else { continue };
                match label {
                    "passed" => self.passed += n,
                    "failed" => self.failed += n,
                    "ignored" => self.skipped += n,
                    _ => {}
                }
            }
        } else if let Some(rest) = line.strip_prefix("# ") {
            let mut words = rest.split_whitespace();
            let (Some(label), Some(n), None) = (words.next(), words.next(), words.next()) else {
                return;
            };
            let Ok(n) = n.parse::<u64>() else { return };
            match label {
                "pass" => self.passed += n,
                "fail" | "cancelled" => self.failed += n,
                "skipped" | "todo" => self.skipped += n,
                _ => {}
            }
        }
    }
}

/// Runs a test suite, echoing its output while counting its tests.
pub fn run_tests(mut command: Command) -> Result<TestCount> {
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {:?}: {e}", command.get_program()))?;
    let mut count = TestCount::default();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(|e| format!("cannot read the suite's output: {e}"))?;
            println!("{line}");
            count.read_line(line.trim_start());
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("the suite did not finish: {e}"))?;
    if status.success() {
        Ok(count)
    } else {
        Err(format!(
            "{command:?} failed ({status}): {} failed",
            count.failed
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_libtest_and_tap_lines() {
        let mut count = TestCount::default();
        for line in [
            "test result: ok. 22 passed; 1 failed; 2 ignored; 0 measured; 0 filtered out; finished in 0.1s",
            "# tests 5",
            "# pass 4",
            "# fail 1",
            "# skipped 1",
            "# Subtest: pass 3 things",
        ] {
            count.read_line(line);
        }
        assert_eq!((count.passed, count.failed, count.skipped), (26, 2, 3));
    }
}
