//! `deskform`: Japanese holidays, desks per plan, reply dates and catalog checks from the shell.
//!
//! Other tools call this command: its arguments and output formats are an interface.
//! Exit codes: 0 success; 1 `check` found problems; 2 bad input (arguments, plan, desk,
//! timestamp, or a catalog that cannot be read or used).

mod commands;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use deskform_core::Locale;

#[derive(Debug, Parser)]
#[command(
    name = "deskform",
    version,
    about = "deskform's catalog, calendar and reply dates"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Japan's national holidays, one `YYYY-MM-DD<TAB>name` line each.
    Holidays {
        /// First year (1955–2099).
        from_year: i32,
        /// Last year (default: the first year).
        to_year: Option<i32>,
        /// Language of the names.
        #[arg(long, value_enum, default_value_t = Lang::Ja)]
        lang: Lang,
    },
    /// The catalog's desks for a viewer, one `ID<TAB>available|locked<TAB>N` line each.
    Desks {
        #[command(flatten)]
        viewer: ViewerArgs,
        /// A catalog JSON file (default: the built-in catalog).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// The reply due date (desk time) for an inquiry; the lines after it explain skipped days.
    ReplyDate {
        /// The desk's id.
        #[arg(long, value_name = "ID")]
        desk: String,
        /// When the inquiry was received: RFC 3339 (e.g. 2026-11-26T23:30:00+07:00) or `now`.
        #[arg(long, value_name = "RFC3339")]
        received: String,
        /// A catalog JSON file (default: the built-in catalog).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Language of the names of skipped days.
        #[arg(long, value_enum, default_value_t = Lang::En)]
        lang: Lang,
    },
    /// Prints the built-in catalog JSON: the starting point for your own.
    Catalog,
    /// Prints the catalog format's JSON Schema, for editors that complete and check as you type.
    Schema,
    #[cfg(feature = "serve")]
    /// Runs the reference receiver on 127.0.0.1: the demo help page with the widget, the
    /// inquiry API stored in SQLite, and with --demo a sign-in on any plan. Stops on SIGTERM or Ctrl-C
    /// after finishing every request in flight.
    Serve {
        /// The port (0 picks a free one; the address is printed on the first line).
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// The SQLite database file (created if missing).
        #[arg(long, value_name = "FILE", default_value = "deskform.db")]
        db: PathBuf,
        /// The built widget and demo page (Trunk's output).
        #[arg(long, value_name = "DIR", default_value = "dist")]
        dist: PathBuf,
        /// A catalog JSON file to enforce (default: the built-in catalog); served at
        /// /api/catalog for the page's data-config-url.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// A help page's origin (e.g. https://help.example.com) on another host that may call
        /// the API with the visitor's cookies (CORS); repeat for several.
        #[arg(long = "allow-origin", value_name = "ORIGIN")]
        allow_origins: Vec<String>,
        /// Adds the demo's sign-in (`POST /demo/sign-in`), which signs anyone in on any plan of
        /// the catalog: for trying the widget only. Without it, /demo/* is 404.
        #[arg(long)]
        demo: bool,
        /// A reverse proxy (an address such as 10.0.0.7, or a network such as 10.0.0.0/8)
        /// whose X-Forwarded-For and X-Forwarded-Proto are believed; repeat for several.
        /// From anyone else those headers are ignored.
        #[arg(long = "trusted-proxy", value_name = "ADDR", value_parser = deskform_server::parse_trusted_proxy)]
        trusted_proxies: Vec<ipnet::IpNet>,
    },
    #[cfg(feature = "serve")]
    /// Lists the inquiries `deskform serve` stored, one
    /// `TICKET<TAB>RECEIVED_AT<TAB>DESK<TAB>DUE_DATE<TAB>EMAIL<TAB>SUBJECT` line each, oldest first.
    Inquiries {
        /// The SQLite database file.
        #[arg(long, value_name = "FILE", default_value = "deskform.db")]
        db: PathBuf,
    },
    /// Checks a catalog file: exit 0 with a summary, or 1 listing every problem.
    Check {
        /// The catalog JSON file.
        file: PathBuf,
    },
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
struct ViewerArgs {
    /// The viewer's plan id.
    #[arg(long, value_name = "PLAN")]
    plan: Option<String>,
    /// The viewer is signed out.
    #[arg(long)]
    signed_out: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Lang {
    Ja,
    En,
    Vi,
}

impl From<Lang> for Locale {
    fn from(lang: Lang) -> Locale {
        match lang {
            Lang::Ja => Locale::Ja,
            Lang::En => Locale::En,
            Lang::Vi => Locale::Vi,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = std::io::stdout().lock();
    let result = match cli.command {
        Command::Holidays {
            from_year,
            to_year,
            lang,
        } => commands::holidays(&mut out, from_year, to_year, lang.into()),
        Command::Desks { viewer, config } => {
            commands::desks(&mut out, viewer.plan.as_deref(), config.as_deref())
        }
        Command::ReplyDate {
            desk,
            received,
            config,
            lang,
        } => commands::reply_date(&mut out, &desk, &received, config.as_deref(), lang.into()),
        Command::Catalog => commands::catalog(&mut out),
        Command::Schema => commands::schema(&mut out),
        Command::Check { file } => commands::check(&mut out, &file),
        #[cfg(feature = "serve")]
        Command::Inquiries { db } => {
            deskform_server::list_inquiries(&mut out, &db).map(|()| ExitCode::SUCCESS)
        }
        #[cfg(feature = "serve")]
        Command::Serve {
            port,
            db,
            dist,
            config,
            allow_origins,
            demo,
            trusted_proxies,
        } => {
            drop(out);
            commands::catalog_or_builtin(config.as_deref()).and_then(|catalog| {
                deskform_server::serve(deskform_server::ServeOptions {
                    port,
                    db,
                    dist,
                    catalog,
                    allow_origins,
                    demo,
                    trusted_proxies: deskform_server::TrustedProxies(trusted_proxies),
                })
                .map(|()| ExitCode::SUCCESS)
            })
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("deskform: {}", commands::printable(&e, true));
            ExitCode::from(2)
        }
    }
}
