//! The subcommands. Each writes its output to `out` and returns an error (exit 2) for bad input.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::str::FromStr;

use chrono::DateTime;
use chrono_tz::Tz;
use deskform_core::{
    catalog_json::MAX_CATALOG_BYTES, jp_holidays, Availability, Catalog, Date, HolidaySet, Locale,
    NonBusinessDay, BUILTIN_CATALOG_JSON, CATALOG_SCHEMA_JSON, JP_HOLIDAY_YEARS,
};

/// A message for the person at the terminal; the command exits with 2.
pub type CommandError = String;

type CommandResult = Result<ExitCode, CommandError>;

fn write_failed(e: std::io::Error) -> CommandError {
    format!("cannot write output: {e}")
}

fn is_known_zone(name: &str) -> bool {
    Tz::from_str(name).is_ok()
}

/// A catalog file's bytes, at most one more than a catalog may have: a huge file, a pipe or
/// `/dev/zero` is refused without reading it whole.
fn read_catalog_bytes(path: &Path) -> Result<Vec<u8>, CommandError> {
    use std::io::Read;
    let cannot_read = |e: std::io::Error| format!("cannot read {}: {e}", path.display());
    let file = std::fs::File::open(path).map_err(cannot_read)?;
    let mut bytes = Vec::new();
    file.take(MAX_CATALOG_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    Ok(bytes)
}

/// Reads a catalog file, with every problem listed in the error.
fn read_catalog(path: &Path) -> Result<Catalog, CommandError> {
    let bytes = read_catalog_bytes(path)?;
    Catalog::from_json_bytes_with_zones(&bytes, &is_known_zone).map_err(|e| {
        let problems: Vec<String> = e
            .problems
            .iter()
            .map(|p| format!("  {}:{}", path.display(), printable(&p.to_string(), false)))
            .collect();
        format!(
            "{} is not a valid catalog (check it with `deskform check`):\n{}",
            path.display(),
            problems.join("\n")
        )
    })
}

/// The civil day an instant falls on in a time zone: the desk's day of receipt.
pub(crate) fn day_in_zone<Z: chrono::TimeZone>(
    instant: &DateTime<Z>,
    zone: &Tz,
) -> Result<Date, deskform_core::InvalidDateError> {
    use chrono::Datelike;
    let day = instant.with_timezone(zone).date_naive();
    Date::from_ymd(day.year(), day.month(), day.day())
}

pub(crate) fn catalog_or_builtin(
    config: Option<&Path>,
) -> Result<std::borrow::Cow<'static, Catalog>, CommandError> {
    match config {
        Some(path) => read_catalog(path).map(std::borrow::Cow::Owned),
        None => Ok(std::borrow::Cow::Borrowed(Catalog::builtin())),
    }
}

pub fn holidays(out: &mut impl Write, from: i32, to: Option<i32>, locale: Locale) -> CommandResult {
    let to = to.unwrap_or(from);
    let (first, last) = (*JP_HOLIDAY_YEARS.start(), *JP_HOLIDAY_YEARS.end());
    for year in [from, to] {
        if !JP_HOLIDAY_YEARS.contains(&year) {
            return Err(format!(
                "year {year} is outside {first}–{last}, the years whose holidays are known"
            ));
        }
    }
    if from > to {
        return Err(format!(
            "the first year ({from}) comes after the last ({to})"
        ));
    }
    for year in from..=to {
        for holiday in jp_holidays::holidays_in_year(year).map_err(|e| e.to_string())? {
            writeln!(out, "{}\t{}", holiday.date, holiday.name(locale)).map_err(write_failed)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn desks(out: &mut impl Write, plan: Option<&str>, config: Option<&Path>) -> CommandResult {
    let catalog = catalog_or_builtin(config)?;
    let viewer = catalog.viewer(plan).map_err(|e| e.to_string())?;
    for offer in catalog.desks_for(&viewer) {
        let state = match offer.availability {
            Availability::Available => "available",
            Availability::Locked(_) => "locked",
        };
        writeln!(
            out,
            "{}\t{state}\t{}",
            offer.desk.id,
            offer.desk.reply_within.get()
        )
        .map_err(write_failed)?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn reply_date(
    out: &mut impl Write,
    desk_id: &str,
    received: &str,
    config: Option<&Path>,
    locale: Locale,
) -> CommandResult {
    let catalog = catalog_or_builtin(config)?;
    let desk = catalog.desk(desk_id).ok_or_else(|| {
        let ids: Vec<&str> = catalog.desks().iter().map(|d| d.id.as_str()).collect();
        format!(
            "unknown desk {desk_id:?}; the catalog's desks are {}",
            ids.join(", ")
        )
    })?;
    // The command is an edge: it may read the clock, for people asking "if I wrote now?".
    let instant = if received == "now" {
        chrono::Utc::now().fixed_offset()
    } else {
        DateTime::parse_from_rfc3339(received).map_err(|e| {
            format!("invalid --received {received:?}: {e}; expected RFC 3339 such as 2026-11-26T23:30:00+07:00, or `now`")
        })?
    };
    let zone_name = catalog.calendar().time_zone();
    let zone = Tz::from_str(zone_name)
        .map_err(|_| format!("the catalog's time zone {zone_name:?} is not in the tz database"))?;
    let received_on = day_in_zone(&instant, &zone)
        .map_err(|e| format!("invalid --received {received:?}: {e}"))?;
    let reply = catalog
        .reply_due(desk, received_on)
        .map_err(|e| e.to_string())?;
    let holidays_known = |date: Date| JP_HOLIDAY_YEARS.contains(&date.year());
    if catalog.calendar().holiday_set() == HolidaySet::Jp
        && !(holidays_known(received_on) && holidays_known(reply.due))
    {
        eprintln!(
            "deskform: note: Japanese holidays are known for {}–{}; none are counted outside those years",
            JP_HOLIDAY_YEARS.start(),
            JP_HOLIDAY_YEARS.end()
        );
    }
    writeln!(out, "{}", reply.due).map_err(write_failed)?;
    for skipped in &reply.skipped {
        let weekday = skipped.date.weekday().short_name();
        let (kind, name) = match skipped.reason {
            NonBusinessDay::Weekend(_) => ("weekend", String::new()),
            NonBusinessDay::Holiday(h) => ("holiday", h.name(locale)),
            NonBusinessDay::Closure(c) => ("closure", c.name.get(locale).to_owned()),
        };
        let line = format!("{}\t{weekday}\t{kind}\t{name}", skipped.date);
        writeln!(out, "{}", line.trim_end()).map_err(write_failed)?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn catalog(out: &mut impl Write) -> CommandResult {
    out.write_all(BUILTIN_CATALOG_JSON.as_bytes())
        .map_err(write_failed)?;
    Ok(ExitCode::SUCCESS)
}

pub fn schema(out: &mut impl Write) -> CommandResult {
    out.write_all(CATALOG_SCHEMA_JSON.as_bytes())
        .map_err(write_failed)?;
    Ok(ExitCode::SUCCESS)
}

pub fn check(out: &mut impl Write, path: &Path) -> CommandResult {
    let bytes = read_catalog_bytes(path)?;
    match Catalog::from_json_bytes_with_zones(&bytes, &is_known_zone) {
        Ok(catalog) => {
            let desks: Vec<&str> = catalog.desks().iter().map(|d| d.id.as_str()).collect();
            let calendar = catalog.calendar();
            writeln!(
                out,
                "{}: ok: {} ({}), {}, time zone {}, holidays {}, {}, {}",
                path.display(),
                count(desks.len(), "desk", "desks"),
                desks.join(", "),
                count(catalog.plans().len(), "plan", "plans"),
                calendar.time_zone(),
                match calendar.holiday_set() {
                    HolidaySet::Jp => "jp",
                    HolidaySet::None => "none",
                },
                count(calendar.closures().len(), "closure", "closures"),
                count(
                    calendar.working_dates().len(),
                    "extra working day",
                    "extra working days"
                ),
            )
            .map_err(write_failed)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            for problem in &e.problems {
                let line = printable(&problem.to_string(), false);
                writeln!(out, "{}:{line}", path.display()).map_err(write_failed)?;
            }
            let n = e.problems.len();
            let noun = if n == 1 { "problem" } else { "problems" };
            writeln!(out, "{}: {n} {noun}", path.display()).map_err(write_failed)?;
            Ok(ExitCode::from(1))
        }
    }
}

/// A secret from a file: its bytes less one trailing newline (`\n` or `\r\n`), which an
/// editor or `echo` adds and is not part of it. An empty secret is refused.
#[cfg(feature = "serve")]
pub(crate) fn read_secret(path: &Path) -> Result<Vec<u8>, CommandError> {
    let mut bytes =
        std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.ends_with(b"\n") {
        bytes.pop();
        if bytes.ends_with(b"\r") {
            bytes.pop();
        }
    }
    if bytes.is_empty() {
        return Err(format!("{} holds no secret", path.display()));
    }
    Ok(bytes)
}

/// The `--forward-secret` that signs each delivery: [`read_secret`], at least
/// [`MIN_SECRET_BYTES`](deskform_server::delivery::MIN_SECRET_BYTES) long (a short one can be
/// guessed offline from one signed delivery).
#[cfg(feature = "serve")]
pub(crate) fn read_forward_secret(path: &Path) -> Result<Vec<u8>, CommandError> {
    use deskform_server::delivery::MIN_SECRET_BYTES;
    let secret = read_secret(path)?;
    if secret.len() < MIN_SECRET_BYTES {
        return Err(format!(
            "the --forward-secret in {} is {} bytes; use at least {MIN_SECRET_BYTES} random bytes (for example `openssl rand -hex 32`)",
            path.display(),
            secret.len()
        ));
    }
    Ok(secret)
}

/// `deskform redeliver --failed`: queues every inquiry whose delivery failed to be sent again
/// now, one `TICKET<TAB>queued (was: …)` line each; none is not an error.
#[cfg(feature = "serve")]
pub fn redeliver_failed(out: &mut impl Write, db: &Path) -> CommandResult {
    if !db.is_file() {
        return Err(format!("no database at {}", db.display()));
    }
    let queued =
        deskform_server::outbox::redeliver_failed(db, chrono::Utc::now().timestamp_millis())
            .map_err(|e| format!("cannot update {}: {e}", db.display()))?;
    for (ticket, before) in &queued {
        writeln!(out, "{ticket}\tqueued (was: {before})").map_err(write_failed)?;
    }
    if queued.is_empty() {
        eprintln!("deskform: no failed delivery in {}", db.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// `text` with its control characters written as `\u{1b}`: a catalog's keys and values end
/// up in messages, and a terminal must not run the escape codes a file holds. With
/// `keep_newlines`, line breaks stay (a message of several lines).
pub(crate) fn printable(text: &str, keep_newlines: bool) -> String {
    text.chars()
        .flat_map(|c| {
            let escape = c.is_control() && !(keep_newlines && c == '\n');
            let (escaped, plain) = if escape {
                (Some(c.escape_unicode()), None)
            } else {
                (None, Some(c))
            };
            escaped.into_iter().flatten().chain(plain)
        })
        .collect()
}

/// "1 closure", "2 closures".
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
