//! Identity tokens between real processes: `deskform token` mints, `deskform serve
//! --identity-key` verifies, for HS256 (the key from the environment), EdDSA and RS256; a bad
//! token is a 401 with its reason and stores nothing; a key that cannot be used, or one given
//! with `--demo`, stops the start; the demo's session hands out a token that stands on its own.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use support::*;

fn keys() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/tests/keys")
}

/// `deskform token` with `args`: its exit code, stdout and stderr.
fn deskform(args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_deskform"))
        .args(args)
        .env_remove("DESKFORM_IDENTITY_KEY")
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn mint(args: &[&str]) -> String {
    let (code, out, err) = deskform(&[&["token"], args].concat());
    assert_eq!(code, Some(0), "{err}");
    assert!(err.is_empty(), "{err}");
    let token = out.strip_suffix('\n').expect("one line");
    assert_eq!(token.split('.').count(), 3, "{token}");
    token.to_owned()
}

fn post_with(server: &Server, authorization: &str, body: &Value) -> Reply {
    let body = body.to_string();
    server.send(
        &format!(
            "POST /api/inquiries HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nAuthorization: {authorization}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        ),
        body.as_bytes(),
    )
}

/// Every stored inquiry: (email, name, plan, token_sub).
fn rows(db: &Path) -> Vec<(String, String, Option<String>, Option<String>)> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut statement = c
        .prepare("SELECT email, name, plan, token_sub FROM inquiries ORDER BY rowid")
        .unwrap();
    statement
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_minted_token_is_accepted_and_its_customer_is_stored_for_every_algorithm() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret");
    std::fs::write(&secret, "0123456789abcdef0123456789abcdef\r\n").unwrap();
    let secret = secret.to_str().unwrap().to_owned();
    let (ed_private, ed_public) = (keys().join("ed25519.pem"), keys().join("ed25519.pub.pem"));
    let (rsa_private, rsa_public) = (keys().join("rsa.pem"), keys().join("rsa.pub.pem"));
    let cases = [
        ("HS256", secret.clone(), secret.clone()),
        (
            "EdDSA",
            ed_private.to_str().unwrap().to_owned(),
            ed_public.to_str().unwrap().to_owned(),
        ),
        (
            "RS256",
            rsa_private.to_str().unwrap().to_owned(),
            rsa_public.to_str().unwrap().to_owned(),
        ),
    ];
    for (alg, private, public) in &cases {
        let (_db_dir, db) = temp_db();
        // The flags from the environment, as every other flag.
        let server = Server::start_with_env(
            &db,
            &[],
            &[
                ("DESKFORM_IDENTITY_KEY", public),
                ("DESKFORM_IDENTITY_ALG", alg),
                ("DESKFORM_AUDIENCE", "help.example.com"),
            ],
        );
        let token = mint(&[
            "--key",
            private,
            "--alg",
            alg,
            "--plan",
            "business",
            "--email",
            "mai@customer.example",
            "--name",
            "Mai",
            "--sub",
            "cust-0042",
            "--aud",
            "help.example.com",
            "--ttl",
            "30m",
        ]);
        let reply = post_with(&server, &format!("Bearer {token}"), &inquiry("usage", 1));
        assert_eq!(reply.status, 201, "{alg}: {}", reply.body);
        // The body said nguyen.an@example.com; the token's customer is stored.
        assert_eq!(
            rows(&db),
            vec![(
                "mai@customer.example".into(),
                "Mai".into(),
                Some("business".into()),
                Some("cust-0042".into())
            )],
            "{alg}"
        );

        // Without the audience, or signed for a free plan, or tampered with: refused.
        let no_audience = mint(&[
            "--key",
            private,
            "--alg",
            alg,
            "--plan",
            "business",
            "--email",
            "mai@customer.example",
        ]);
        let reply = post_with(
            &server,
            &format!("Bearer {no_audience}"),
            &inquiry("usage", 2),
        );
        assert_eq!(reply.status, 401, "{alg}: {}", reply.body);
        assert_eq!(reply.json()["error"], "unauthorized");
        assert_eq!(reply.json()["reason"], "missing_claim");
        let free = mint(&[
            "--key",
            private,
            "--alg",
            alg,
            "--plan",
            "free",
            "--email",
            "f@customer.example",
            "--aud",
            "help.example.com",
        ]);
        let reply = post_with(&server, &format!("Bearer {free}"), &inquiry("usage", 3));
        assert_eq!(reply.status, 403, "{alg}: {}", reply.body);
        assert_eq!(reply.json()["error"], "desk_locked");
        let mut tampered = token.clone();
        tampered.pop();
        tampered.push(if token.ends_with('A') { 'B' } else { 'A' });
        let reply = post_with(&server, &format!("Bearer {tampered}"), &inquiry("usage", 4));
        assert_eq!(reply.status, 401, "{alg}: {}", reply.body);
        assert!(
            ["bad_signature", "malformed"].contains(&reply.json()["reason"].as_str().unwrap()),
            "{alg}: {}",
            reply.body
        );
        assert_eq!(server.stored(), 1, "{alg}");
        // The access log never holds the token.
        let signature = token.rsplit('.').next().unwrap();
        assert!(!server.log().contains(signature), "{}", server.log());
    }
}

#[test]
fn the_token_command_refuses_what_no_receiver_would_accept() {
    let secret = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(secret.path(), "0123456789abcdef0123456789abcdef").unwrap();
    let key = secret.path().to_str().unwrap();
    let base = ["token", "--key", key, "--email", "a@customer.example"];
    let refused = |extra: &[&str], expected: &str| {
        let (code, out, err) = deskform(&[&base[..], extra].concat());
        assert_eq!(code, Some(2), "{extra:?}: {err}");
        assert!(out.is_empty());
        assert!(err.contains(expected), "{extra:?}: {err}");
    };
    refused(&["--plan", "business", "--ttl", "3h"], "at most 2h");
    refused(&["--plan", "business", "--ttl", "7201s"], "at most 2h");
    refused(&["--plan", "platinum"], "unknown plan \"platinum\"");
    refused(
        &["--plan", "business", "--alg", "none"],
        "unknown algorithm",
    );
    refused(
        &["--plan", "business", "--alg", "RS256"],
        "not a PEM RS256 private key",
    );
    let (code, _, err) = deskform(&[
        "token",
        "--key",
        "/no/such/key",
        "--plan",
        "free",
        "--email",
        "a@customer.example",
    ]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("cannot read the key file /no/such/key"),
        "{err}"
    );
    // Two hours exactly is fine.
    mint(&[&base[1..], &["--plan", "business", "--ttl", "2h"]].concat());
}

#[test]
fn a_key_that_cannot_be_used_stops_serve_with_one_line() {
    let (_dir, db) = temp_db();
    let start = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_deskform"))
            .args(["serve", "--port", "0", "--dist", "no-such-dist", "--db"])
            .arg(&db)
            .args(args)
            .env_remove("DESKFORM_IDENTITY_KEY")
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let ed_public = keys().join("ed25519.pub.pem");
    let ed_public = ed_public.to_str().unwrap();
    let secret = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(secret.path(), "0123456789abcdef0123456789abcdef").unwrap();
    let secret = secret.path().to_str().unwrap();
    for (args, expected) in [
        // The demo signs in anyone on any plan: never with the team's secret.
        (
            vec!["--demo", "--identity-key", secret],
            "--demo cannot be combined with --identity-key",
        ),
        (
            vec![
                "--identity-key",
                ed_public,
                "--identity-alg",
                "EdDSA",
                "--demo",
            ],
            "--demo cannot be combined with --identity-key",
        ),
        (
            vec!["--identity-key", "/no/such/key"],
            "cannot read the key file /no/such/key",
        ),
        (
            vec!["--identity-key", ed_public, "--identity-alg", "RS256"],
            "is not a PEM RS256 public key",
        ),
        (
            vec!["--identity-key", ed_public],
            "holds a PEM key, not an HS256 secret",
        ),
        (
            vec!["--audience", "help.example.com"],
            "--audience needs --identity-key",
        ),
    ] {
        let (code, stderr) = start(&args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    assert!(!db.exists(), "nothing was started");
}

#[test]
fn the_demo_session_hands_out_a_token_that_stands_on_its_own() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db);
    let cookie = server.sign_in("business");
    let session = server.get(Some(&cookie), "/api/session").json();
    let token = session["token"].as_str().expect("a token").to_owned();
    // Posted without the cookie: the token alone says who.
    let reply = post_with(&server, &format!("Bearer {token}"), &inquiry("usage", 1));
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(
        rows(&db),
        vec![(
            "business.customer@example.com".into(),
            "Business customer".into(),
            Some("business".into()),
            Some("business.customer@example.com".into())
        )]
    );
    // Another process's demo secret is not this one's.
    let (_dir2, db2) = temp_db();
    let other = Server::start(&db2);
    let reply = post_with(&other, &format!("Bearer {token}"), &inquiry("usage", 2));
    assert_eq!(reply.status, 401, "{}", reply.body);
    assert_eq!(reply.json()["reason"], "bad_signature");
    assert_eq!(other.stored(), 0);
}

/// The code block of `language` in the README's "Identity tokens" section.
fn readme_snippet(language: &str) -> String {
    let readme = include_str!("../../../README.md");
    let section = readme
        .split("### Identity tokens")
        .nth(1)
        .expect("the README has an Identity tokens section");
    let start = section
        .find(&format!("```{language}\n"))
        .unwrap_or_else(|| panic!("no {language} block"))
        + language.len()
        + 4;
    let length = section[start..].find("```").unwrap();
    section[start..start + length].to_owned()
}

/// Runs `program` on a script (when the machine has it): its stdout's last line.
fn run_script(program: &str, file: &Path, env: &[(&str, &str)]) -> Option<String> {
    let output = match Command::new(program)
        .arg(file)
        .envs(env.iter().copied())
        .output()
    {
        Ok(output) => output,
        Err(e) => {
            println!("{program} not found ({e}): its README snippet is not run here");
            return None;
        }
    };
    assert!(
        output.status.success(),
        "{program}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let out = String::from_utf8(output.stdout).unwrap();
    Some(out.lines().last().unwrap().to_owned())
}

/// The README's Node (node:crypto) and Python (PyJWT) snippets mint tokens a real receiver
/// accepts, each run where its language is installed (Node is, for the e2e suite).
#[test]
fn the_readmes_snippets_mint_tokens_the_receiver_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let secret = "readme-snippet-secret-0123456789abcdef";
    let secret_file = dir.path().join("secret.txt");
    std::fs::write(&secret_file, format!("{secret}\n")).unwrap();
    let (_db_dir, db) = temp_db();
    let server = Server::start_with(&db, &["--identity-key", secret_file.to_str().unwrap()]);

    let node = dir.path().join("mint.mjs");
    std::fs::write(&node, readme_snippet("js")).unwrap();
    let python = dir.path().join("mint.py");
    let python_use = r#"
import os
print(identity_token({"id": "cust-py", "email": "py@example.com", "name": "Py", "plan": "enterprise"},
                     os.environ["DESKFORM_IDENTITY_SECRET"]))
"#;
    std::fs::write(&python, readme_snippet("python") + python_use).unwrap();
    let python_has_jwt = Command::new("python3")
        .args(["-c", "import jwt"])
        .status()
        .is_ok_and(|s| s.success());
    if !python_has_jwt {
        println!("python3 with PyJWT not found: the README's Python snippet is not run here");
    }
    let env = [("DESKFORM_IDENTITY_SECRET", secret)];
    let mut expected = Vec::new();
    for (n, (program, file, customer)) in [
        (
            "node",
            &node,
            ("mai@example.com", "Mai", "business", "cust-0042"),
        ),
        (
            "python3",
            &python,
            ("py@example.com", "Py", "enterprise", "cust-py"),
        ),
    ]
    .into_iter()
    .enumerate()
    {
        if program == "python3" && !python_has_jwt {
            continue;
        }
        let Some(token) = run_script(program, file, &env) else {
            continue;
        };
        let reply = post_with(&server, &format!("Bearer {token}"), &inquiry("usage", n));
        assert_eq!(reply.status, 201, "{program}: {}", reply.body);
        let (email, name, plan, sub) = customer;
        expected.push((
            email.into(),
            name.into(),
            Some(plan.into()),
            Some(sub.into()),
        ));
    }
    assert_eq!(rows(&db), expected);
}
