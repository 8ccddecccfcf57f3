//! `deskform`: Japanese holidays, desks per plan, reply dates and catalog checks from the shell.
//!
//! Other tools call this command: its arguments and output formats are an interface.
//! Exit codes: 0 success; 1 `check` found problems; 2 bad input (arguments, plan, desk,
//! timestamp, or a catalog that cannot be read or used).

mod commands;
#[cfg(feature = "serve")]
mod token;

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
    /// Runs the reference receiver (on 127.0.0.1 unless --bind says otherwise): the demo help
    /// page with the widget, the inquiry API stored in SQLite, and with --demo a sign-in on any
    /// plan. Stops on SIGTERM or Ctrl-C after finishing the requests in flight, waiting for them
    /// at most --shutdown-deadline. Every flag can also be set from its DESKFORM_… environment
    /// variable.
    Serve(ServeArgs),
    #[cfg(feature = "serve")]
    /// Lists the inquiries `deskform serve` stored, one
    /// `TICKET<TAB>RECEIVED_AT<TAB>DESK<TAB>DUE_DATE<TAB>EMAIL<TAB>SUBJECT<TAB>DELIVERY<TAB>ACKNOWLEDGEMENT`
    /// line each, oldest first. DELIVERY (to the helpdesk) is `not forwarded`, `pending…`,
    /// `delivered at … after N attempts` or `failed after N attempts: reason`; ACKNOWLEDGEMENT
    /// (the e-mail to the customer) is `no acknowledgement`, `acknowledged at …` or
    /// `acknowledgement pending…`/`failed…`.
    Inquiries {
        /// The SQLite database file (the one `deskform serve` was given).
        #[arg(
            long,
            env = "DESKFORM_DB",
            value_name = "FILE",
            default_value = "deskform.db"
        )]
        db: PathBuf,
    },
    #[cfg(feature = "serve")]
    /// Prints an identity token (a JWT) for a customer, signed as a team's backend signs them,
    /// for `deskform serve --identity-key` to verify.
    Token(token::TokenArgs),
    #[cfg(feature = "serve")]
    /// Queues an inquiry to be delivered to the helpdesk again now: a failed or pending one,
    /// or one stored while forwarding was off; or, with --failed, every failed one. A running
    /// `deskform serve --forward-url …` picks them up within 5 seconds; otherwise the next one
    /// started does.
    Redeliver {
        /// The inquiry's ticket id (DF-…).
        #[arg(required_unless_present = "failed", conflicts_with = "failed")]
        ticket: Option<String>,
        /// Every inquiry whose delivery failed, instead of one ticket.
        #[arg(long)]
        failed: bool,
        /// The SQLite database file (the one `deskform serve` was given).
        #[arg(
            long,
            env = "DESKFORM_DB",
            value_name = "FILE",
            default_value = "deskform.db"
        )]
        db: PathBuf,
    },
    /// Checks a catalog file: exit 0 with a summary, or 1 listing every problem.
    Check {
        /// The catalog JSON file.
        file: PathBuf,
    },
}

#[cfg(feature = "serve")]
#[derive(Debug, Args)]
struct ServeArgs {
    /// The address to listen on: 127.0.0.1 (this machine only), 0.0.0.0 or :: (every
    /// interface), or one interface's address.
    #[arg(
        long,
        env = "DESKFORM_BIND",
        value_name = "ADDR",
        default_value = "127.0.0.1"
    )]
    bind: std::net::IpAddr,
    /// The port (0 picks a free one; the address is printed on the first line).
    #[arg(long, env = "DESKFORM_PORT", default_value_t = 8080)]
    port: u16,
    /// The SQLite database file (created if missing).
    #[arg(
        long,
        env = "DESKFORM_DB",
        value_name = "FILE",
        default_value = "deskform.db"
    )]
    db: PathBuf,
    /// The built widget and demo page (Trunk's output).
    #[arg(
        long,
        env = "DESKFORM_DIST",
        value_name = "DIR",
        default_value = "dist"
    )]
    dist: PathBuf,
    /// A catalog JSON file to enforce (default: the built-in catalog); served at
    /// /api/catalog for the page's data-config-url.
    #[arg(long, env = "DESKFORM_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    /// A help page's origin (e.g. https://help.example.com) on another host that may call
    /// the API with the visitor's cookies (CORS); repeat for several (comma-separated in the
    /// environment variable).
    #[arg(
        long = "allow-origin",
        env = "DESKFORM_ALLOW_ORIGIN",
        value_name = "ORIGIN",
        value_delimiter = ','
    )]
    allow_origins: Vec<String>,
    /// Adds the demo's sign-in (`POST /demo/sign-in`), which signs anyone in on any plan of
    /// the catalog: for trying the widget only. Without it, /demo/* is 404. Its session's
    /// identity tokens are signed with a secret of the process: it cannot be combined with
    /// --identity-key.
    #[arg(long, env = "DESKFORM_DEMO")]
    demo: bool,
    /// A reverse proxy (an address such as 10.0.0.7, or a network such as 10.0.0.0/8)
    /// whose X-Forwarded-For and X-Forwarded-Proto are believed; repeat for several
    /// (comma-separated in the environment variable). From anyone else those headers are
    /// ignored.
    #[arg(
        long = "trusted-proxy",
        env = "DESKFORM_TRUSTED_PROXY",
        value_name = "ADDR",
        value_delimiter = ',',
        value_parser = deskform_server::parse_trusted_proxy
    )]
    trusted_proxies: Vec<ipnet::IpNet>,
    /// POSTs allowed per client address per minute (429 with Retry-After beyond it); 0 turns
    /// the limit off (load tests).
    #[arg(long, env = "DESKFORM_RATE_LIMIT", value_name = "PER_MINUTE", default_value_t = deskform_server::limits::DEFAULT_RATE_LIMIT)]
    rate_limit: u32,
    /// How long a client may take to send its request headers, or pause while sending a body.
    #[arg(long, env = "DESKFORM_READ_TIMEOUT", value_name = "SECONDS", default_value = "10", value_parser = seconds)]
    read_timeout: std::time::Duration,
    /// After SIGTERM or Ctrl-C, how long the requests in flight get to finish before the
    /// process exits anyway.
    #[arg(long, env = "DESKFORM_SHUTDOWN_DEADLINE", value_name = "SECONDS", default_value = "30", value_parser = seconds)]
    shutdown_deadline: std::time::Duration,
    /// Connections open at once; more wait until one closes (idle and slow ones are closed
    /// after --read-timeout).
    #[arg(long, env = "DESKFORM_MAX_CONNECTIONS", value_name = "N", default_value_t = deskform_server::limits::DEFAULT_MAX_CONNECTIONS, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    max_connections: usize,
    /// Log lines on stderr as text or one JSON object each.
    #[arg(long, env = "DESKFORM_LOG_FORMAT", value_name = "FORMAT", default_value = "text", value_parser = log_format())]
    log_format: deskform_server::LogFormat,
    /// A session unused for this many minutes ends: the visitor is signed out (on a shared
    /// computer, the next person does not find the previous customer signed in).
    #[arg(long, env = "DESKFORM_SESSION_IDLE_MINUTES", value_name = "MINUTES", default_value_t = deskform_server::SessionLimits::default().idle.as_secs() / 60, value_parser = clap::value_parser!(u64).range(1..))]
    session_idle_minutes: u64,
    /// A session ends this many days after sign-in, however much it is used.
    #[arg(long, env = "DESKFORM_SESSION_MAX_DAYS", value_name = "DAYS", default_value_t = deskform_server::SessionLimits::default().absolute.as_secs() / 86_400, value_parser = clap::value_parser!(u64).range(1..))]
    session_max_days: u64,
    /// Verifies an identity token on every post that sends one (`Authorization: Bearer …`):
    /// the HS256 secret's file (one trailing newline is not part of it), or a PEM public key
    /// for EdDSA or RS256. A post without one is signed out. Not with --demo.
    #[arg(long, env = "DESKFORM_IDENTITY_KEY", value_name = "FILE")]
    identity_key: Option<PathBuf>,
    /// The identity tokens' algorithm: HS256, EdDSA or RS256; no other is accepted.
    #[arg(
        long,
        env = "DESKFORM_IDENTITY_ALG",
        value_name = "ALG",
        default_value = "HS256",
        requires = "identity_key"
    )]
    identity_alg: deskform_server::IdentityAlgorithm,
    /// Every identity token's `aud` must name this (needs --identity-key or --demo).
    #[arg(long, env = "DESKFORM_AUDIENCE", value_name = "AUD")]
    audience: Option<String>,
    /// Refuses every post without a valid identity token (401 `missing_token`): signed-out
    /// visitors cannot post at all, the `login` desk included. For products where everyone
    /// signs in first. Needs --identity-key.
    #[arg(long, env = "DESKFORM_REQUIRE_IDENTITY", requires = "identity_key")]
    require_identity: bool,
    // Boxed: the URL and timings would make every other command's value as large.
    #[command(flatten)]
    forward: Box<ForwardArgs>,
}

/// Delivery of every stored inquiry to the team's helpdesk.
#[cfg(feature = "serve")]
#[derive(Debug, Args)]
struct ForwardArgs {
    /// POST every inquiry stored from now on as JSON to this URL (the helpdesk's webhook),
    /// with `Idempotency-Key: <ticket id>`; retried until it answers 2xx.
    #[arg(long, env = "DESKFORM_FORWARD_URL", value_name = "URL", value_parser = deskform_server::parse_forward_url)]
    forward_url: Option<deskform_server::delivery::Uri>,
    /// A file holding the secret that signs each delivery (`Deskform-Signature: t=…,v1=…`,
    /// HMAC-SHA256): at least 32 bytes; one trailing newline is not part of it.
    #[arg(
        long,
        env = "DESKFORM_FORWARD_SECRET",
        value_name = "FILE",
        requires = "forward_url"
    )]
    forward_secret: Option<PathBuf>,
    /// How long one delivery attempt may take, connecting included.
    #[arg(long, env = "DESKFORM_FORWARD_TIMEOUT", value_name = "SECONDS", default_value = "10", value_parser = seconds)]
    forward_timeout: std::time::Duration,
    /// The wait before the first retry; each next one doubles (±20 % jitter).
    #[arg(long, env = "DESKFORM_FORWARD_RETRY_FIRST", value_name = "SECONDS", default_value = "1", value_parser = seconds)]
    forward_retry_first: std::time::Duration,
    /// The longest wait between two attempts.
    #[arg(long, env = "DESKFORM_FORWARD_RETRY_MAX", value_name = "SECONDS", default_value = "600", value_parser = seconds)]
    forward_retry_max: std::time::Duration,
    /// An inquiry still not delivered this long after it was stored (or redelivered) is
    /// marked failed.
    #[arg(long, env = "DESKFORM_FORWARD_GIVE_UP_HOURS", value_name = "HOURS", default_value = "72", value_parser = hours)]
    forward_give_up_hours: std::time::Duration,
    /// Sends each customer whose address is proven (an identity token's, a signed-in
    /// session's; never a signed-out post's) an acknowledgement e-mail (the ticket and the reply
    /// date, in their language), at most one an hour per address, through this SMTP server:
    /// smtp://host:25, smtp://user:password@host:587?tls=required or smtps://host:465. Off by
    /// default.
    #[arg(
        long,
        env = "DESKFORM_SMTP_URL",
        value_name = "URL",
        requires = "smtp_from"
    )]
    smtp_url: Option<String>,
    /// The acknowledgement's sender, such as "Support <support@example.com>".
    #[arg(
        long,
        env = "DESKFORM_SMTP_FROM",
        value_name = "MAILBOX",
        requires = "smtp_url"
    )]
    smtp_from: Option<String>,
    /// Delivery attempts in flight at once.
    #[arg(long, env = "DESKFORM_FORWARD_CONCURRENCY", value_name = "N", default_value_t = deskform_server::delivery::DEFAULT_CONCURRENCY, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=64))]
    forward_concurrency: usize,
}

#[cfg(feature = "serve")]
impl ForwardArgs {
    fn acknowledging(&self) -> Option<deskform_server::Acknowledging> {
        let (url, from) = (self.smtp_url.clone()?, self.smtp_from.clone()?);
        Some(deskform_server::Acknowledging {
            retry: deskform_server::RetryPolicy {
                first_delay: self.forward_retry_first,
                max_delay: self.forward_retry_max.max(self.forward_retry_first),
                give_up_after: self.forward_give_up_hours,
            },
            ..deskform_server::Acknowledging::new(url, from)
        })
    }

    fn forwarding(self) -> Result<Option<deskform_server::Forwarding>, String> {
        let Some(url) = self.forward_url else {
            return Ok(None);
        };
        let secret = self
            .forward_secret
            .as_deref()
            .map(commands::read_forward_secret)
            .transpose()?;
        Ok(Some(deskform_server::Forwarding {
            url,
            secret,
            retry: deskform_server::RetryPolicy {
                first_delay: self.forward_retry_first,
                max_delay: self.forward_retry_max.max(self.forward_retry_first),
                give_up_after: self.forward_give_up_hours,
            },
            timeout: self.forward_timeout,
            concurrency: self.forward_concurrency,
        }))
    }
}

/// `text` or `json`, listed as such in `--help`.
#[cfg(feature = "serve")]
fn log_format() -> impl clap::builder::TypedValueParser<Value = deskform_server::LogFormat> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["text", "json"])
        .try_map(|s| s.parse::<deskform_server::LogFormat>())
}

/// A number of seconds, such as `30` or `0.5`.
#[cfg(feature = "serve")]
fn seconds(text: &str) -> Result<std::time::Duration, String> {
    text.parse::<f64>()
        .ok()
        .and_then(|s| std::time::Duration::try_from_secs_f64(s).ok())
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("expected a number of seconds above 0, not {text:?}"))
}

/// A number of hours, such as `72` or `0.5`.
#[cfg(feature = "serve")]
fn hours(text: &str) -> Result<std::time::Duration, String> {
    text.parse::<f64>()
        .ok()
        .and_then(|h| std::time::Duration::try_from_secs_f64(h * 3600.0).ok())
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("expected a number of hours above 0, not {text:?}"))
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
        Command::Token(args) => token::token(&mut out, args).map(|()| ExitCode::SUCCESS),
        #[cfg(feature = "serve")]
        Command::Inquiries { db } => {
            deskform_server::list_inquiries(&mut out, &db).map(|()| ExitCode::SUCCESS)
        }
        #[cfg(feature = "serve")]
        Command::Redeliver {
            ticket: Some(ticket),
            db,
            ..
        } => deskform_server::redeliver(&mut out, &db, &ticket).map(|()| ExitCode::SUCCESS),
        #[cfg(feature = "serve")]
        Command::Redeliver {
            ticket: None, db, ..
        } => commands::redeliver_failed(&mut out, &db),
        #[cfg(feature = "serve")]
        Command::Serve(args) => {
            drop(out);
            let acknowledge = args.forward.acknowledging();
            let forward = match args.forward.forwarding() {
                Ok(forward) => forward,
                Err(e) => {
                    eprintln!("deskform: {}", commands::printable(&e, true));
                    return ExitCode::from(2);
                }
            };
            commands::catalog_or_builtin(args.config.as_deref()).and_then(|catalog| {
                deskform_server::serve(deskform_server::ServeOptions {
                    bind: args.bind,
                    port: args.port,
                    db: args.db,
                    dist: args.dist,
                    catalog,
                    allow_origins: args.allow_origins,
                    demo: args.demo,
                    trusted_proxies: deskform_server::TrustedProxies(args.trusted_proxies),
                    rate_limit: args.rate_limit,
                    read_timeout: args.read_timeout,
                    max_connections: args.max_connections,
                    shutdown_deadline: args.shutdown_deadline,
                    log_format: args.log_format,
                    sessions: deskform_server::SessionLimits {
                        idle: std::time::Duration::from_secs(args.session_idle_minutes * 60),
                        absolute: std::time::Duration::from_secs(args.session_max_days * 86_400),
                    },
                    identity: deskform_server::IdentityOptions {
                        key_file: args.identity_key,
                        algorithm: args.identity_alg,
                        audience: args.audience,
                        require: args.require_identity,
                    },
                    forward,
                    acknowledge,
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

#[cfg(all(test, feature = "serve"))]
mod tests {
    use super::*;

    /// `deskform serve` with no flags runs as `ServeOptions::default()` says (the README's
    /// table and the library agree with the command).
    #[test]
    fn serve_defaults_are_the_receivers_defaults() {
        let Cli {
            command: Command::Serve(args),
        } = Cli::try_parse_from(["deskform", "serve"]).unwrap()
        else {
            panic!("not serve");
        };
        let defaults = deskform_server::ServeOptions::default();
        assert_eq!(args.bind, defaults.bind);
        assert_eq!(args.port, defaults.port);
        assert_eq!(args.db, defaults.db);
        assert_eq!(args.dist, defaults.dist);
        assert_eq!(args.rate_limit, defaults.rate_limit);
        assert_eq!(args.read_timeout, defaults.read_timeout);
        assert_eq!(args.shutdown_deadline, defaults.shutdown_deadline);
        assert_eq!(args.max_connections, defaults.max_connections);
        assert_eq!(args.log_format, defaults.log_format);
        assert_eq!(
            std::time::Duration::from_secs(args.session_idle_minutes * 60),
            defaults.sessions.idle
        );
        assert_eq!(
            std::time::Duration::from_secs(args.session_max_days * 86_400),
            defaults.sessions.absolute
        );
        assert_eq!(
            deskform_server::IdentityOptions {
                key_file: args.identity_key,
                algorithm: args.identity_alg,
                audience: args.audience,
                require: args.require_identity,
            },
            defaults.identity
        );
        assert!(defaults.forward.is_none());
        assert!(args.forward.forward_url.is_none());
    }

    /// The forwarding flags' defaults are the library's.
    #[test]
    fn forward_defaults_are_the_deliverys_defaults() {
        let Cli {
            command: Command::Serve(args),
        } = Cli::try_parse_from(["deskform", "serve", "--forward-url", "https://h.example/x"])
            .unwrap()
        else {
            panic!("not serve");
        };
        let forwarding = args.forward.forwarding().unwrap().unwrap();
        let defaults = deskform_server::Forwarding::to(forwarding.url.clone());
        assert_eq!(forwarding.retry, defaults.retry);
        assert_eq!(forwarding.timeout, defaults.timeout);
        assert_eq!(forwarding.concurrency, defaults.concurrency);
        assert!(forwarding.secret.is_none());
        // A secret without a URL would sign nothing: refused.
        assert!(Cli::try_parse_from(["deskform", "serve", "--forward-secret", "s"]).is_err());
    }
}
