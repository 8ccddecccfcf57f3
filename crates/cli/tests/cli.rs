//! The `deskform` command as other tools call it: output formats, exit codes, bad input.

use assert_cmd::Command;
use predicates::prelude::*;
use std::io::Write;

fn deskform() -> Command {
    Command::cargo_bin("deskform").unwrap()
}

/// Runs `deskform args…`, expects exit code `code`, and returns stdout.
fn run(args: &[&str], code: i32) -> String {
    let output = deskform().args(args).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(code),
        "deskform {args:?}\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn catalog_file(json: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(json.as_bytes()).unwrap();
    file
}

#[test]
fn holidays_of_a_year_in_japanese_by_default() {
    let out = run(&["holidays", "2026"], 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 18);
    assert_eq!(lines[0], "2026-01-01\t元日");
    // Sunday 3 May is Constitution Memorial Day; its substitute comes after 4 and 5 May.
    assert!(lines.contains(&"2026-05-06\t憲法記念日 振替休日"));
    assert!(lines.contains(&"2026-09-22\t休日"));
    assert_eq!(lines[17], "2026-11-23\t勤労感謝の日");
}

#[test]
fn a_substitute_holiday_names_the_sunday_holiday_in_each_language() {
    for (lang, line) in [
        ("ja", "2026-05-06\t憲法記念日 振替休日\n"),
        (
            "en",
            "2026-05-06\tSubstitute holiday for Constitution Memorial Day\n",
        ),
        ("vi", "2026-05-06\tNghỉ bù Ngày Hiến pháp\n"),
    ] {
        let out = run(&["holidays", "2026", "--lang", lang], 0);
        assert!(out.contains(line), "{lang}: {out}");
    }
}

#[test]
fn holidays_over_a_range_in_each_language() {
    let out = run(&["holidays", "2019", "2021", "--lang", "en"], 0);
    assert!(out.starts_with("2019-01-01\tNew Year's Day\n"));
    assert!(out.contains("2019-05-01\tEnthronement Day\n"));
    assert!(out.contains("2020-07-24\tSports Day\n"));
    assert!(out.ends_with("2021-11-23\tLabour Thanksgiving Day\n"));
    let dates: Vec<&str> = out.lines().map(|l| &l[..10]).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "ascending");
    let vi = run(&["holidays", "2026", "--lang", "vi"], 0);
    assert!(vi.contains("2026-11-23\tNgày Cảm tạ Lao động\n"));
}

#[test]
fn holidays_bad_years() {
    for args in [
        &["holidays", "1954"][..],
        &["holidays", "2026", "2100"],
        &["holidays", "2027", "2026"],
        &["holidays", "twenty"],
        &["holidays", "2026", "--lang", "fr"],
        &["holidays"],
    ] {
        deskform()
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::is_empty().not());
    }
    deskform()
        .args(["holidays", "1954"])
        .assert()
        .stderr(predicate::str::contains("1955–2099"));
}

#[test]
fn desks_for_each_plan_and_signed_out() {
    let table = [
        (
            &["--signed-out"][..],
            "login\tavailable\t2\nusage\tlocked\t1\n",
        ),
        (
            &["--plan", "free"],
            "login\tavailable\t2\nusage\tlocked\t1\n",
        ),
        (
            &["--plan", "personal"],
            "login\tavailable\t2\nusage\tavailable\t1\n",
        ),
        (
            &["--plan", "business"],
            "login\tavailable\t2\nusage\tavailable\t1\n",
        ),
        (
            &["--plan", "enterprise"],
            "login\tavailable\t2\nusage\tavailable\t1\n",
        ),
    ];
    for (viewer, expected) in table {
        let mut args = vec!["desks"];
        args.extend_from_slice(viewer);
        assert_eq!(run(&args, 0), expected, "{viewer:?}");
    }
}

#[test]
fn desks_bad_viewer() {
    deskform()
        .args(["desks", "--plan", "gold"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "deskform: unknown plan \"gold\"; valid plans: free, personal, business, enterprise\n",
        );
    deskform().args(["desks"]).assert().code(2);
    deskform()
        .args(["desks", "--plan", "free", "--signed-out"])
        .assert()
        .code(2);
}

#[test]
fn desks_from_a_config_file() {
    let json = deskform_core::BUILTIN_CATALOG_JSON
        .replace(
            "\"available_to\": \"paid\"",
            "\"available_to\": [\"enterprise\"]",
        )
        .replace(
            "\"reply_within_business_days\": 1",
            "\"reply_within_business_days\": 5",
        );
    let file = catalog_file(&json);
    let path = file.path().to_str().unwrap();
    assert_eq!(
        run(&["desks", "--plan", "business", "--config", path], 0),
        "login\tavailable\t2\nusage\tlocked\t5\n"
    );
    assert_eq!(
        run(&["desks", "--plan", "enterprise", "--config", path], 0),
        "login\tavailable\t2\nusage\tavailable\t5\n"
    );
}

#[test]
fn reply_date_in_desk_time() {
    #[rustfmt::skip]
    let table = [
        // Thursday 23:30 in Vietnam is already Friday in Tokyo.
        ("usage", "2026-11-26T23:30:00+07:00", "2026-11-30\n2026-11-28\tSat\tweekend\n2026-11-29\tSun\tweekend\n"),
        ("usage", "2026-11-26T21:59:59+07:00", "2026-11-27\n"),
        // Monday 23:00 Tokyo → Tuesday.
        ("usage", "2026-11-30T23:00:00+09:00", "2026-12-01\n"),
        ("usage", "2026-11-30T14:00:00Z", "2026-12-01\n"),
        ("usage", "2026-11-30T15:00:00Z", "2026-12-02\n"),
        // Received Saturday → Monday.
        ("usage", "2026-11-28T10:00:00+09:00", "2026-11-30\n2026-11-29\tSun\tweekend\n"),
        ("login", "2026-11-20T12:00:00+09:00", "2026-11-25\n2026-11-21\tSat\tweekend\n2026-11-22\tSun\tweekend\n2026-11-23\tMon\tholiday\tLabour Thanksgiving Day\n"),
    ];
    for (desk, received, expected) in table {
        assert_eq!(
            run(&["reply-date", "--desk", desk, "--received", received], 0),
            expected,
            "{received}"
        );
    }
    let ja = run(
        &[
            "reply-date",
            "--desk",
            "usage",
            "--received",
            "2026-05-01T09:00:00+09:00",
            "--lang",
            "ja",
        ],
        0,
    );
    assert_eq!(
        ja,
        "2026-05-07\n2026-05-02\tSat\tweekend\n2026-05-03\tSun\tholiday\t憲法記念日\n\
         2026-05-04\tMon\tholiday\tみどりの日\n2026-05-05\tTue\tholiday\tこどもの日\n\
         2026-05-06\tWed\tholiday\t憲法記念日 振替休日\n"
    );
}

#[test]
fn reply_date_with_a_closure_from_a_config_file() {
    let json = deskform_core::BUILTIN_CATALOG_JSON.replace(
        "\"holidays\": \"jp\"",
        "\"holidays\": \"jp\", \"closures\": [{\"from\": \"12-29\", \"to\": \"01-03\", \
         \"name\": {\"en\": \"Year-end closure\", \"ja\": \"年末年始休業\"}}]",
    );
    let file = catalog_file(&json);
    let out = run(
        &[
            "reply-date",
            "--desk",
            "usage",
            "--received",
            "2026-12-28T18:00:00+09:00",
            "--config",
            file.path().to_str().unwrap(),
            "--lang",
            "ja",
        ],
        0,
    );
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "2027-01-04",
            "2026-12-29\tTue\tclosure\t年末年始休業",
            "2026-12-30\tWed\tclosure\t年末年始休業",
            "2026-12-31\tThu\tclosure\t年末年始休業",
            "2027-01-01\tFri\tholiday\t元日",
            "2027-01-02\tSat\tclosure\t年末年始休業",
            "2027-01-03\tSun\tclosure\t年末年始休業",
        ]
    );
}

#[test]
fn reply_date_bad_input() {
    let cases: [(&[&str], &str); 6] = [
        (
            &[
                "reply-date",
                "--desk",
                "billing",
                "--received",
                "2026-11-26T10:00:00Z",
            ],
            "unknown desk \"billing\"; the catalog's desks are login, usage",
        ),
        (
            &["reply-date", "--desk", "usage", "--received", "2026-11-26"],
            "invalid --received \"2026-11-26\"",
        ),
        (
            &["reply-date", "--desk", "usage", "--received", "yesterday"],
            "expected RFC 3339",
        ),
        (
            &[
                "reply-date",
                "--desk",
                "usage",
                "--received",
                "2026-02-30T10:00:00Z",
            ],
            "invalid --received",
        ),
        (
            &[
                "reply-date",
                "--desk",
                "usage",
                "--received",
                "2026-11-26T10:00:00Z",
                "--config",
                "/no/such/file.json",
            ],
            "cannot read /no/such/file.json",
        ),
        (
            &["reply-date", "--received", "2026-11-26T10:00:00Z"],
            "--desk",
        ),
    ];
    for (args, message) in cases {
        deskform()
            .args(args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(message));
    }
}

#[test]
fn a_broken_config_is_a_clear_error_everywhere() {
    let file = catalog_file("{\"version\": 1,\n \"plans\": []\n}");
    let path = file.path().to_str().unwrap();
    for args in [
        vec!["desks", "--signed-out", "--config", path],
        vec![
            "reply-date",
            "--desk",
            "login",
            "--received",
            "2026-11-26T10:00:00Z",
            "--config",
            path,
        ],
    ] {
        deskform()
            .args(&args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains("is not a valid catalog"))
            .stderr(predicate::str::contains(
                ":2:11: $.plans: at least one plan is needed",
            ));
    }
}

#[test]
fn catalog_prints_the_builtin_json_which_checks_clean() {
    let json = run(&["catalog"], 0);
    assert_eq!(json, deskform_core::BUILTIN_CATALOG_JSON);
    let file = catalog_file(&json);
    let path = file.path().to_str().unwrap();
    let out = run(&["check", path], 0);
    assert_eq!(out.lines().count(), 1);
    assert_eq!(
        out,
        format!("{path}: ok: 2 desks (login, usage), 4 plans, time zone Asia/Tokyo, holidays jp, 0 closures, 0 extra working days\n")
    );
}

#[test]
fn check_lists_every_problem_with_path_and_position() {
    let json = deskform_core::BUILTIN_CATALOG_JSON
        .replace("\"id\": \"usage\"", "\"id\": \"login\"")
        .replace("\"Asia/Tokyo\"", "\"Asia/Tokio\"")
        .replace(
            "\"reply_within_business_days\": 2",
            "\"reply_within_business_days\": 0",
        );
    let file = catalog_file(&json);
    let path = file.path().to_str().unwrap();
    let out = run(&["check", path], 1);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            format!("{path}:31:37: $.desks[0].reply_within_business_days: expected a whole number of business days from 1 to 60, found 0"),
            format!("{path}:44:13: $.desks[1].id: duplicate desk id `login`"),
            format!("{path}:60:18: $.calendar.time_zone: unknown time zone \"Asia/Tokio\"; use an IANA name such as \"Asia/Tokyo\""),
            format!("{path}: 3 problems"),
        ]
    );
}

#[test]
fn control_characters_in_a_catalog_never_reach_the_terminal() {
    let json = deskform_core::BUILTIN_CATALOG_JSON
        .replacen("\"id\": \"login\"", "\"id\": \"\\u001b[2Jlogin\"", 1)
        .replacen("{", "{\"\\u001b[31mred\": 1, ", 1);
    let file = catalog_file(&json);
    let path = file.path().to_str().unwrap();
    let out = run(&["check", path], 1);
    assert!(!out.contains('\u{1b}'), "{out}");
    assert!(
        out.contains(r#"$["\u001b[31mred"]: unknown field"#),
        "{out}"
    );
    // Structural problems stop reading; the id is checked once the key is gone.
    let json = json.replacen("\"\\u001b[31mred\": 1, ", "", 1);
    let file = catalog_file(&json);
    let path = file.path().to_str().unwrap();
    let out = run(&["check", path], 1);
    assert!(out.contains(r#"invalid id "\u{1b}[2Jlogin""#), "{out}");
    let err = deskform()
        .args(["desks", "--signed-out", "--config", path])
        .output()
        .unwrap();
    let err = String::from_utf8(err.stderr).unwrap();
    assert!(err.contains(r#"invalid id "\u{1b}[2Jlogin""#), "{err}");
    assert!(!err.contains('\u{1b}'), "{err}");
}

#[test]
fn check_bad_files() {
    let not_json = catalog_file("version = 1\n");
    let out = run(&["check", not_json.path().to_str().unwrap()], 1);
    assert!(
        out.contains(":1:1: $: invalid JSON: expected value\n"),
        "{out}"
    );
    let latin1 = catalog_file("");
    std::fs::write(latin1.path(), b"{\"a\": \"caf\xe9\"}").unwrap();
    let out = run(&["check", latin1.path().to_str().unwrap()], 1);
    assert!(
        out.contains(":1:11: $: the file is not UTF-8 text\n"),
        "{out}"
    );
    deskform()
        .args(["check", "/no/such/catalog.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read /no/such/catalog.json",
        ));
    deskform().args(["check"]).assert().code(2);
    let dir = tempfile::tempdir().unwrap();
    deskform()
        .args(["check", dir.path().to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read"));
}

#[test]
fn check_never_reads_more_than_a_catalog_may_have() {
    // An endless file: the command must stop after 1 MiB + 1 byte, not read until memory ends.
    let out = run(&["check", "/dev/zero"], 1);
    assert_eq!(
        out,
        "/dev/zero:1:1: $: the catalog has more than 1048576 bytes, the most that is read\n/dev/zero: 1 problem\n"
    );
    deskform()
        .args(["desks", "--signed-out", "--config", "/dev/zero"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("more than 1048576 bytes"));
}

#[test]
fn reply_date_beyond_the_known_holidays_says_so() {
    deskform()
        .args([
            "reply-date",
            "--desk",
            "usage",
            "--received",
            "2099-12-31T10:00:00+09:00",
        ])
        .assert()
        .code(0)
        .stdout("2100-01-01\n")
        .stderr(predicate::str::contains(
            "Japanese holidays are known for 1955–2099",
        ));
    deskform()
        .args([
            "reply-date",
            "--desk",
            "usage",
            "--received",
            "2099-12-30T10:00:00+09:00",
        ])
        .assert()
        .code(0)
        .stdout("2099-12-31\n")
        .stderr("");
}

#[test]
fn reply_date_now_reads_the_clock() {
    let out = run(&["reply-date", "--desk", "usage", "--received", "now"], 0);
    let due: deskform_core::Date = out.lines().next().unwrap().parse().unwrap();
    // Whatever today is, the due date is a business day after the start of 2026.
    let first = "2026-01-01".parse::<deskform_core::Date>().unwrap();
    assert!(due > first);
    assert!(deskform_core::Catalog::builtin()
        .calendar()
        .is_business_day(due));
}

#[test]
fn schema_is_printed_and_a_catalog_may_point_to_it() {
    let schema = run(&["schema"], 0);
    assert_eq!(schema, deskform_core::CATALOG_SCHEMA_JSON);
    assert!(schema.contains("\"$schema\": \"https://json-schema.org/draft/2020-12/schema\""));
    let json = deskform_core::BUILTIN_CATALOG_JSON.replacen(
        "{",
        "{\n  \"$schema\": \"./catalog.schema.json\",",
        1,
    );
    let file = catalog_file(&json);
    run(&["check", file.path().to_str().unwrap()], 0);
}
