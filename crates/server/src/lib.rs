//! deskform's reference receiver, run by `deskform serve`. It serves the built widget and the demo help page,
//! signs demo visitors in on any plan, and stores inquiries in SQLite after checking them again
//! with the core: the plan the browser showed desks for is never trusted.
//!
//! - `GET /api/session` → `{signed_in, plan, name, email, token?}` (`token`: an identity token
//!   for the signed-in customer, when this receiver can sign one; see [`identity`])
//! - `POST /api/inquiries` → 201 receipt, 200 the same receipt for a repeated idempotency key,
//!   400 malformed, 401 identity token refused (`reason`), 403 desk locked, 409 key reused for another inquiry, 413 over 64 KiB,
//!   415 not `application/json`, 422 invalid fields, 429 rate limited (`Retry-After`), 500.
//!   Every answer is built with the core's [`SubmitReply`] and [`Rejection`], so its status
//!   and body are the ones the widget decodes (`{"error": code, …, "message": …}`; see
//!   `deskform_core::api`). A post whose honeypot (`website`) is filled in gets a normal 201
//!   and is not stored.
//! - `GET /api/inquiries/{ticket_id}` → the inquiry, for the signed-in account that sent it
//! - `POST /demo/sign-in` (`plan`, empty to sign out; `lang`) → cookie, back to the page
//! - `GET /api/catalog` → the catalog this receiver enforces
//! - `GET /healthz` → 200 when the database answers, 503 when not
//!
//! With [`ServeOptions::forward`], every inquiry stored is also delivered to the team's
//! helpdesk by a background task, from an outbox in the same database (see [`delivery`]).
//!
//! Every route: bodies up to 64 KiB, read and answered in time, POSTs rate-limited per client
//! address (see [`limits`]); one access log line each on stderr (see [`logging`]).

mod answer;
mod client;
mod clock;
mod connections;
pub mod delivery;
pub mod identity;
pub mod limits;
pub mod logging;
pub mod outbox;
mod session;
mod store;

use answer::answer;

pub use client::{parse_trusted_proxy, Client, TrustedProxies};
pub use clock::{Clock, ManualClock};
pub use delivery::{parse_forward_url, Acknowledging, Forwarding, RetryPolicy};
pub use identity::{IdentityAlgorithm, IdentityOptions};
pub use limits::MAX_BODY_BYTES;
pub use logging::LogFormat;
pub use outbox::{AcknowledgementState, DeliveryState, Forwarded, Redelivered};
pub use session::{demo_account, SessionLimits};

/// A message for the operator; `deskform serve` prints it and exits with 2.
pub type ServeError = String;

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path as UrlPath, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use chrono::{SecondsFormat, Utc};
use chrono_tz::Tz;
use deskform_core::{
    Catalog, InquiryFields, InquiryRequest, PlanId, Receipt, Rejection, SubmitReply,
};
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

use limits::RateLimit;

use session::SessionCookie;
pub use store::{Account, Listed, SessionRow, Store, StoreError, StoreResult};
use store::{NewInquiry, Stored};

/// How `deskform serve` was asked to run. `..ServeOptions::default()` fills in the defaults of
/// `deskform serve`.
pub struct ServeOptions {
    /// The address to listen on (`127.0.0.1` by default; `0.0.0.0` or `::` for every interface).
    pub bind: IpAddr,
    pub port: u16,
    pub db: PathBuf,
    pub dist: PathBuf,
    /// The catalog to enforce and serve at `/api/catalog` (the caller read and checked it).
    pub catalog: Cow<'static, Catalog>,
    /// Origins of help pages on other hosts that may call the API with the visitor's cookies.
    pub allow_origins: Vec<String>,
    /// Routes `POST /demo/sign-in`, which signs anyone in on any plan: for trying the widget,
    /// never for a deployed receiver.
    pub demo: bool,
    /// Proxies whose `X-Forwarded-For`/`-Proto` are believed (`--trusted-proxy`).
    pub trusted_proxies: TrustedProxies,
    /// POSTs allowed per client address per minute; 0 for no limit.
    pub rate_limit: u32,
    /// How long a client may take to send its headers, or pause while sending its body.
    pub read_timeout: Duration,
    /// After SIGTERM, how long requests in flight get to finish before the process exits anyway.
    pub shutdown_deadline: Duration,
    /// Connections open at once; more wait in the listen queue.
    pub max_connections: usize,
    pub log_format: LogFormat,
    /// When sessions end.
    pub sessions: SessionLimits,
    /// How posts prove who the customer is (`--identity-key`, `--identity-alg`, `--audience`).
    pub identity: IdentityOptions,
    /// Where every stored inquiry is delivered (`--forward-url`); `None` keeps them here only.
    pub forward: Option<Forwarding>,
    /// The acknowledgement e-mail to the customer (`--smtp-url`), for proven addresses only, at
    /// most one an hour each; off when `None`.
    pub acknowledge: Option<Acknowledging>,
}

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 8080,
            db: PathBuf::from("deskform.db"),
            dist: PathBuf::from("dist"),
            catalog: Cow::Borrowed(Catalog::builtin()),
            allow_origins: Vec::new(),
            demo: false,
            trusted_proxies: TrustedProxies::default(),
            rate_limit: limits::DEFAULT_RATE_LIMIT,
            read_timeout: limits::DEFAULT_READ_TIMEOUT,
            max_connections: limits::DEFAULT_MAX_CONNECTIONS,
            shutdown_deadline: limits::DEFAULT_SHUTDOWN_DEADLINE,
            log_format: LogFormat::default(),
            sessions: SessionLimits::default(),
            identity: IdentityOptions::default(),
            forward: None,
            acknowledge: None,
        }
    }
}

struct App {
    store: Store,
    /// The exclusive lock on `<db>.lock`, held while the receiver lives (the OS lets go of it
    /// when the process ends, however it ends): one receiver per database.
    _db_lock: std::fs::File,
    catalog: Cow<'static, Catalog>,
    time_zone: Tz,
    /// The time sessions are counted in.
    clock: Clock,
    sessions: SessionLimits,
    /// The honeypot's answers: see [`honeypot_receipt`].
    honeypot: Honeypot,
    /// The identity token checks, when there is a key (or the demo's own).
    tokens: Option<identity::Tokens>,
    /// With forwarding on: told of every inquiry stored, to deliver it at once.
    forward_wake: Option<Arc<tokio::sync::Notify>>,
    /// The same for acknowledgements.
    acknowledge_wake: Option<Arc<tokio::sync::Notify>>,
}

/// What a robot that filled in the honeypot is told, kept only in memory: a key it sends
/// again gets the same ticket with 200, as a real repeat would, so trying twice does not give
/// the trap away. At most [`Honeypot::KEYS`] keys are remembered (then they start over).
struct Honeypot {
    /// Makes the tickets unguessable from the keys (random per process).
    secret: [u8; 32],
    seen: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl Honeypot {
    const KEYS: usize = 10_000;

    fn new() -> Honeypot {
        Honeypot {
            secret: random_bytes(),
            seen: Default::default(),
        }
    }

    /// The ticket for a key, and whether the key was seen before.
    fn ticket(&self, key: &str) -> (String, bool) {
        use sha2::{Digest, Sha256};
        let digest = Sha256::new()
            .chain_update(self.secret)
            .chain_update(key.as_bytes())
            .finalize();
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() >= Self::KEYS && !seen.contains(key) {
            seen.clear();
        }
        let repeated = !seen.insert(key.to_owned());
        (ticket_id(u64::from_le_bytes(first)), repeated)
    }
}

type Shared = State<Arc<App>>;

/// A receiver ready to serve: its router and its state. Tests drive [`Receiver::router`] with
/// `tower::ServiceExt::oneshot`, without a process or a socket (add
/// `axum::extract::connect_info::MockConnectInfo` to give requests a client address).
pub struct Receiver {
    app: Arc<App>,
    router: Router,
    rate_limit: Option<RateLimit>,
    address: SocketAddr,
    db: PathBuf,
    read_timeout: Duration,
    shutdown_deadline: Duration,
    max_connections: usize,
    forwarding: Option<Arc<Forwarding>>,
    mailer: Option<(delivery::acknowledgement::Mailer, Acknowledging)>,
}

impl Receiver {
    /// Opens the database and builds the routes.
    pub fn new(options: ServeOptions) -> Result<Receiver, ServeError> {
        Receiver::with_clock(options, Clock::system())
    }

    /// The same, with sessions timed by `clock` (a [`ManualClock`]'s, in tests).
    pub fn with_clock(options: ServeOptions, clock: Clock) -> Result<Receiver, ServeError> {
        let cors = match options.allow_origins.as_slice() {
            [] => None,
            origins => Some(cors(origins)?),
        };
        let catalog = options.catalog;
        // The catalog reader checked the zone against chrono-tz already.
        let time_zone = Tz::from_str(catalog.calendar().time_zone())
            .map_err(|e| format!("the catalog's time zone: {e}"))?;
        let tokens = identity::Tokens::configure(&options.identity, options.demo)?;
        let mailer = options
            .acknowledge
            .map(|a| delivery::acknowledgement::Mailer::new(&a).map(|m| (m, a)))
            .transpose()?;
        let db_lock = lock_database(&options.db)?;
        let store = Store::open(&options.db)
            .map_err(|e| format!("cannot open the database {}: {e}", options.db.display()))?;
        let app = Arc::new(App {
            store,
            _db_lock: db_lock,
            catalog,
            time_zone,
            clock,
            sessions: options.sessions,
            honeypot: Honeypot::new(),
            tokens,
            forward_wake: options
                .forward
                .as_ref()
                .map(|_| Arc::new(tokio::sync::Notify::new())),
            acknowledge_wake: mailer
                .as_ref()
                .map(|_| Arc::new(tokio::sync::Notify::new())),
        });
        let rate_limit = RateLimit::per_minute(options.rate_limit);
        let router = router(app.clone(), &options.dist, options.demo);
        // Outermost last: the access log sees every answer, the 429s and 408s included.
        let router = router
            .layer(RequestBodyTimeoutLayer::new(options.read_timeout))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                limits::REQUEST_TIMEOUT,
            ));
        let router = match &rate_limit {
            Some(limit) => router.layer(axum::middleware::from_fn_with_state(
                limit.clone(),
                limits::limit_posts,
            )),
            None => router,
        };
        // Outside the limits: a 429 or a 408 carries the CORS headers too, so a widget on an
        // allowed origin can read it (and its `Retry-After`) instead of seeing a network error.
        let router = match cors {
            Some(cors) => router.layer(cors),
            None => router,
        };
        let router = router
            .layer(axum::middleware::from_fn(logging::access_log))
            .layer(axum::Extension(options.trusted_proxies));
        Ok(Receiver {
            app,
            router,
            rate_limit,
            address: SocketAddr::new(options.bind, options.port),
            db: options.db,
            read_timeout: options.read_timeout,
            shutdown_deadline: options.shutdown_deadline,
            max_connections: options.max_connections,
            forwarding: options.forward.map(Arc::new),
            mailer,
        })
    }

    /// The routes, for serving or for driving in tests.
    pub fn router(&self) -> Router {
        self.router.clone()
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.app.store
    }
}

/// `<db>.lock`, beside the database.
pub fn lock_file(db: &Path) -> PathBuf {
    let mut path = db.as_os_str().to_owned();
    path.push(".lock");
    PathBuf::from(path)
}

/// Takes the exclusive advisory lock on [`lock_file`] (creating it), so that a second receiver
/// on the same database, whose delivery worker would deliver every pending inquiry again,
/// refuses to start. `deskform inquiries` and `redeliver` do not take it: they work beside a
/// running receiver.
fn lock_database(db: &Path) -> Result<std::fs::File, ServeError> {
    let path = lock_file(db);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| format!("cannot open the lock file {}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(format!(
            "{} is in use by another deskform serve (lock file {}); one receiver per database",
            db.display(),
            path.display()
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(format!("cannot lock {}: {e}", path.display())),
    }
}

/// Runs the server until SIGTERM or Ctrl-C, then finishes the requests in flight, waiting for
/// them at most the shutdown deadline.
pub fn serve(options: ServeOptions) -> Result<(), ServeError> {
    logging::init(options.log_format);
    let receiver = Receiver::new(options)?;
    let Receiver {
        app,
        router,
        rate_limit,
        address,
        db,
        read_timeout,
        shutdown_deadline,
        max_connections,
        forwarding,
        mailer,
    } = receiver;
    let runtime = tokio::runtime::Runtime::new().map_err(|e| format!("cannot start: {e}"))?;
    let worker_app = app.clone();
    let stopped = runtime.block_on(async move {
        let app = worker_app;
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|e| format!("cannot listen on {address}: {e}"))?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        // Tests and scripts read this line to learn the port (`--port 0` picks a free one).
        // `SocketAddr` writes an IPv6 address in brackets, as a URL wants it.
        println!(
            "deskform serve: listening on http://{address}/ (database {})",
            db.display()
        );
        if let Some(limit) = &rate_limit {
            limit.spawn_forgetting();
        }
        // One stop for the connections and the delivery task, each bounded by the deadline.
        let (stop, stopped) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            stop_signal().await;
            let _ = stop.send(true);
        });
        let mut deliveries = Vec::new();
        if let (Some(forwarding), Some(wake)) = (forwarding, &app.forward_wake) {
            tracing::info!(
                to = %delivery::helpdesk::origin(&forwarding.url),
                signed = forwarding.secret.is_some(),
                "forwarding inquiries"
            );
            let pace = delivery::Pace {
                retry: forwarding.retry.clone(),
                concurrency: forwarding.concurrency,
                deadline: shutdown_deadline,
            };
            deliveries.push(tokio::spawn(delivery::run(
                app.clone(),
                Arc::new(delivery::Courier::helpdesk(forwarding)),
                pace,
                wake.clone(),
                stopped.clone(),
            )));
        }
        if let (Some((mailer, options)), Some(wake)) = (mailer, &app.acknowledge_wake) {
            tracing::info!(server = %mailer.server, "acknowledging inquiries by e-mail");
            let pace = delivery::Pace {
                retry: options.retry,
                concurrency: 2,
                deadline: shutdown_deadline,
            };
            deliveries.push(tokio::spawn(delivery::run(
                app.clone(),
                Arc::new(delivery::Courier::Mail(mailer)),
                pace,
                wake.clone(),
                stopped.clone(),
            )));
        }
        let mut stop_connections = stopped;
        let connections = connections::run(
            listener,
            router,
            read_timeout,
            shutdown_deadline,
            max_connections,
            async move {
                let _ = stop_connections.wait_for(|stopped| *stopped).await;
            },
        )
        .await;
        for delivery in deliveries {
            let _ = delivery.await;
        }
        Ok::<_, ServeError>(connections)
    })?;
    // Whatever is still running (a stalled connection's task) is dropped; a database write in
    // progress gets a moment (at most a second past the deadline) to commit or roll back.
    runtime.shutdown_timeout(Duration::from_secs(1));
    let stored = app.store.count().map_or_else(
        |e| format!("cannot count the inquiries: {e}"),
        |n| match n {
            1 => "1 inquiry stored".to_owned(),
            n => format!("{n} inquiries stored"),
        },
    );
    match stopped {
        connections::Stopped::Finished => {
            println!("deskform serve: stopped after finishing every request in flight; {stored}");
        }
        connections::Stopped::DeadlinePassed => println!(
            "deskform serve: stopped at the shutdown deadline ({} s), dropping the connections still open; {stored}",
            shutdown_deadline.as_secs_f64()
        ),
    }
    Ok(())
}

/// `deskform inquiries`: every stored inquiry, one
/// `TICKET<TAB>RECEIVED_AT<TAB>DESK<TAB>DUE_DATE<TAB>EMAIL<TAB>SUBJECT<TAB>DELIVERY<TAB>ACKNOWLEDGEMENT`
/// line each (see [`DeliveryState`]'s `Display`).
pub fn list_inquiries(out: &mut impl std::io::Write, db: &Path) -> Result<(), ServeError> {
    if !db.is_file() {
        return Err(format!("no database at {}", db.display()));
    }
    let rows =
        Store::list_read_only(db).map_err(|e| format!("cannot read {}: {e}", db.display()))?;
    for Listed {
        receipt,
        email,
        subject,
        delivery,
        acknowledgement,
    } in rows
    {
        // One line each, whatever the subject holds.
        let subject: String = subject
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{email}\t{subject}\t{delivery}\t{acknowledgement}",
            receipt.ticket_id, receipt.received_at, receipt.desk, receipt.due_date
        )
        .map_err(|e| format!("cannot write output: {e}"))?;
    }
    Ok(())
}

/// `deskform redeliver TICKET`: queues a failed or pending inquiry (or one stored while
/// forwarding was off) to be sent now; a running receiver picks it up within
/// [`delivery::POLL_INTERVAL`].
pub fn redeliver(out: &mut impl std::io::Write, db: &Path, ticket: &str) -> Result<(), ServeError> {
    if !db.is_file() {
        return Err(format!("no database at {}", db.display()));
    }
    let done = outbox::redeliver(db, ticket, Utc::now().timestamp_millis())
        .map_err(|e| format!("cannot update {}: {e}", db.display()))?;
    match done {
        Redelivered::Queued(before) => writeln!(out, "{ticket}\tqueued (was: {before})")
            .map_err(|e| format!("cannot write output: {e}")),
        Redelivered::AlreadyDelivered(state) => {
            Err(format!("{ticket} was {state}; it is not sent again"))
        }
        Redelivered::NoSuchInquiry => Err(format!("no inquiry {ticket} in {}", db.display())),
    }
}

async fn stop_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = terminate => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    println!("deskform serve: stopping; finishing the requests in flight");
}

/// The Content-Security-Policy of the pages the receiver serves from `dist/` (the demo page):
/// the strict policy the README gives for embedding pages, but for the demo bar's sign-in form
/// (`form-action 'self'`), and no framing by other sites. It has no effect on the widget's
/// files themselves when another origin's page loads them.
pub const PAGES_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'self'";

fn router(app: Arc<App>, dist: &Path, demo: bool) -> Router {
    if !dist.join("index.html").is_file() {
        tracing::warn!(
            "no built widget in {} (build it with `cargo xtask demo`); serving the API only",
            dist.display()
        );
    }
    let api = Router::new()
        .route("/api/session", get(session::current))
        .route("/api/catalog", get(catalog))
        .route("/api/inquiries/{ticket_id}", get(inquiry))
        .route("/healthz", get(health));
    // Without `--demo` nobody can sign in at all (404), so every visitor is signed out: a real
    // deployment puts its own sign-in in front (issue 10).
    let api = if demo {
        api.route("/demo/sign-in", post(session::demo_sign_in))
    } else {
        // 404, not the file server's 405 for a POST: there is no such thing here.
        api.route("/demo/{*rest}", any(|| async { StatusCode::NOT_FOUND }))
    };
    let api = api
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .with_state(app.clone());
    // `submit` reads the body itself, up to the same limit, to answer 413 with a JSON reason.
    let api = Router::new()
        .route("/api/inquiries", post(submit))
        .layer(DefaultBodyLimit::disable())
        .with_state(app)
        .merge(api);
    let pages = Router::new()
        .fallback_service(ServeDir::new(dist))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(PAGES_CSP),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES));
    api.merge(pages)
}

/// CORS for help pages served from other origins: only the origins named, with cookies, for
/// the API's methods and the JSON content type.
fn cors(origins: &[String]) -> Result<tower_http::cors::CorsLayer, ServeError> {
    use axum::http::Method;
    use tower_http::cors::{AllowOrigin, CorsLayer};
    let origins = origins
        .iter()
        .map(|origin| {
            let trimmed = origin.trim_end_matches('/');
            let valid = (trimmed.starts_with("https://") || trimmed.starts_with("http://"))
                && !trimmed["https://".len().min(trimmed.len())..].contains('/');
            HeaderValue::from_str(trimmed)
                .ok()
                .filter(|_| valid)
                .ok_or_else(|| {
                    format!("--allow-origin {origin:?}: expected an origin such as https://help.example.com")
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_credentials(true)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
        // A 429's wait, for a widget on another origin (the body says it too).
        .expose_headers([header::RETRY_AFTER]))
}

/// A refusal with a code of its own (the demo's `unknown_plan`): `{"error": code, "message": …}`.
fn error(status: StatusCode, code: &str, message: &str) -> Response {
    answer(Rejection::Other {
        status: status.as_u16(),
        code: code.to_owned(),
        message: message.to_owned(),
    })
}

fn internal(e: impl std::fmt::Display) -> Response {
    // Through `tracing`, so that it is a JSON line like the others under `--log-format json`.
    tracing::error!(error = %e, "internal error");
    answer(SubmitReply::ServerError { status: 500 })
}

/// Runs blocking database work off the async threads.
async fn blocking<T: Send + 'static>(
    app: &Arc<App>,
    work: impl FnOnce(&Store) -> StoreResult<T> + Send + 'static,
) -> Result<T, Response> {
    let app = app.clone();
    match tokio::task::spawn_blocking(move || work(&app.store)).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(internal(e)),
        Err(e) => Err(internal(e)),
    }
}

/// The catalog as this receiver read and enforces it.
async fn catalog(State(app): Shared) -> Response {
    Json(app.catalog.as_ref()).into_response()
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"))
}

async fn submit(
    State(app): Shared,
    headers: HeaderMap,
    cookie: SessionCookie,
    body: axum::body::Body,
) -> Response {
    // Who the customer is, first: a token that is there and wrong is refused whatever the body.
    let token_identity = match token_identity(&app, &headers) {
        Ok(identity) => identity,
        Err(problem) => return answer(Rejection::Unauthorized(problem)),
    };
    if !is_json(&headers) {
        return answer(Rejection::UnsupportedMediaType);
    }
    let too_large = || {
        answer(Rejection::TooLarge {
            max_bytes: Some(MAX_BODY_BYTES),
        })
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        return too_large();
    }
    let bytes: Bytes = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(e) if limits::is_too_large(&e) => return too_large(),
        // Stalled past the read timeout (or cut off: then nobody reads this).
        Err(_) => return answer(SubmitReply::ServerError { status: 408 }),
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return answer(Rejection::Malformed("the body is not UTF-8".into()));
    };
    let mut request = match InquiryRequest::from_json(text) {
        Ok(request) => request,
        Err(rejection) => return answer(rejection),
    };
    // A token's customer, else the session's, else nobody (signed out).
    let (account, token_sub) = match token_identity {
        Some(identity) => (
            Some(Account {
                plan: identity.plan,
                name: identity.name,
                email: identity.email,
            }),
            Some(identity.sub),
        ),
        None => match session::account(&app, &cookie).await {
            Ok(account) => (account, None),
            Err(response) => return response,
        },
    };
    // A signed-in customer writes as their account: the identity is the token's or the
    // session's, never the body's.
    if let Some(account) = &account {
        request.fields.email = account.email.clone();
        request.fields.name = account.name.clone();
    }
    let owner = account
        .as_ref()
        .map(|a| a.email.clone())
        .unwrap_or_default();
    // Whether the email is proven the customer's (a verified token's or a session's), not typed.
    let proven = account.is_some();
    let plan = account.map(|a| a.plan);

    let request = Arc::new(request);
    // A repeat of a stored inquiry is answered first, before the plan is checked: its ticket
    // stands even if the plan changed since. `insert` checks again inside its transaction.
    let repeated = {
        let (request, owner) = (request.clone(), owner.clone());
        blocking(&app, move |store| {
            store.repeated(&request.idempotency_key, &owner, &request)
        })
        .await
    };
    match repeated {
        Ok(Some(previous)) => return stored(previous),
        Ok(None) => {}
        Err(response) => return response,
    }

    let plan_id = plan.as_deref().and_then(|p| p.parse::<PlanId>().ok());
    let desk = match app.catalog.check_inquiry(plan_id.as_ref(), &request) {
        Ok(desk) => desk,
        Err(rejection) => return answer(rejection),
    };
    let now = Utc::now();
    let received_on = day_in_zone(&now, &app.time_zone);
    let due_date = match received_on.map(|day| app.catalog.reply_due(desk, day)) {
        Ok(Ok(reply)) => reply.due,
        _ => return internal("no business day within four years of today"),
    };
    let received_at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
    if !request.website.is_empty() {
        // A robot filled in the honeypot: it gets the answer a stored inquiry gets (a ticket
        // id, the real due date; 200 and the same ticket for a repeated key), so it learns
        // nothing, and nothing is stored. The log says so, without a word of the post, so an
        // operator can see whether real customers are caught (an autofill of `website`).
        let (ticket_id, repeated) = app.honeypot.ticket(&request.idempotency_key);
        tracing::info!(desk = %request.desk, repeated, "honeypot filled in: answered as stored, not stored");
        let receipt = Receipt {
            ticket_id,
            desk: request.desk.clone(),
            received_at,
            due_date,
        };
        return answer(if repeated {
            SubmitReply::Repeated(receipt)
        } else {
            SubmitReply::Created(receipt)
        });
    }
    let forward = app.forward_wake.is_some();
    // Only to an address the customer proved is theirs (a verified token's, a signed-in
    // session's): a signed-out post's address is whatever the sender typed, and acknowledging
    // it would let anyone make this server mail anyone. The store also sends at most one per
    // address an hour.
    let acknowledge = app.acknowledge_wake.is_some() && proven;
    let result = blocking(&app, move |store| {
        store.insert(
            &NewInquiry {
                request: &request,
                owner: &owner,
                plan: plan.as_deref(),
                token_sub: token_sub.as_deref(),
                received_at: &received_at,
                due_date,
                forward_from: forward.then(|| Utc::now().timestamp_millis()),
                acknowledge_from: acknowledge.then(|| Utc::now().timestamp_millis()),
            },
            new_ticket_id,
        )
    })
    .await;
    if let Ok(Stored::Created(_)) = &result {
        for wake in [&app.forward_wake, &app.acknowledge_wake]
            .into_iter()
            .flatten()
        {
            wake.notify_one();
        }
    }
    match result {
        Ok(outcome) => stored(outcome),
        Err(response) => response,
    }
}

/// The customer a post's `Authorization: Bearer …` names. No header, or another scheme
/// (`Basic …` from a site behind HTTP basic auth): `None` (the session's customer, or signed
/// out), unless `--require-identity` asks for one (then `missing_token`). A header when this
/// receiver checks no tokens: ignored, as before tokens existed. A Bearer scheme without a
/// token, or a token that fails a check: the problem, for a 401.
fn token_identity(
    app: &App,
    headers: &HeaderMap,
) -> Result<Option<identity::Identity>, deskform_core::TokenProblem> {
    let Some(tokens) = &app.tokens else {
        return Ok(None);
    };
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| identity::bearer(value.as_bytes()));
    let token = match bearer {
        Some(token) => token?,
        // `--require-identity`: no signed-out posts.
        None if tokens.required => return Err(deskform_core::TokenProblem::MissingToken),
        None => return Ok(None),
    };
    match tokens.verify(token, app.clock.unix_seconds(), &app.catalog) {
        Ok(identity) => Ok(Some(identity)),
        Err(problem) => {
            // The reason only: the token is a credential, never logged.
            tracing::info!(reason = problem.code(), "identity token refused");
            Err(problem)
        }
    }
}

/// `GET /healthz`: 200 when the database answers within two seconds, 503 when it does not.
async fn health(State(app): Shared) -> Response {
    let ping =
        tokio::time::timeout(Duration::from_secs(2), blocking(&app, |store| store.ping())).await;
    let (status, state) = match ping {
        Ok(Ok(())) => (StatusCode::OK, "ok"),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
    };
    let mut response = (status, Json(Health { status: state })).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The answer of `GET /healthz`.
#[derive(serde::Serialize)]
struct Health {
    /// `ok` or `unavailable`.
    status: &'static str,
}

/// The civil day an instant falls on in a time zone: the desk's day of receipt.
fn day_in_zone<Z: chrono::TimeZone>(
    instant: &chrono::DateTime<Z>,
    zone: &Tz,
) -> Result<deskform_core::Date, deskform_core::InvalidDateError> {
    use chrono::Datelike;
    let day = instant.with_timezone(zone).date_naive();
    deskform_core::Date::from_ymd(day.year(), day.month(), day.day())
}

fn stored(outcome: Stored) -> Response {
    answer(match outcome {
        Stored::Created(receipt) => SubmitReply::Created(receipt),
        Stored::Repeated(receipt) => SubmitReply::Repeated(receipt),
        Stored::KeyConflict => SubmitReply::Refused(Rejection::IdempotencyConflict),
    })
}

async fn inquiry(
    State(app): Shared,
    cookie: SessionCookie,
    UrlPath(ticket_id): UrlPath<String>,
) -> Response {
    let not_found = || answer(Rejection::NotFound);
    let account = match session::account(&app, &cookie).await {
        Ok(Some(account)) => account,
        Ok(None) => return not_found(),
        Err(response) => return response,
    };
    let found = blocking(&app, move |store| store.inquiry(&ticket_id, &account.email)).await;
    match found {
        Ok(Some(inquiry)) => {
            let mut response = Json(InquiryBody {
                receipt: inquiry.receipt,
                fields: inquiry.request.fields,
                locale: inquiry.request.locale,
            })
            .into_response();
            // A customer's words: never kept by a browser's or a proxy's cache.
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Ok(None) => not_found(),
        Err(response) => response,
    }
}

/// A stored inquiry for its owner: the receipt's members, then the inquiry's.
#[derive(serde::Serialize)]
struct InquiryBody {
    #[serde(flatten)]
    receipt: Receipt,
    #[serde(flatten)]
    fields: InquiryFields,
    locale: String,
}

pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // The operating system's generator; failing is not something a server can recover from.
    getrandom::fill(&mut bytes).expect("the operating system's random generator failed");
    bytes
}

/// A ticket id people can read out on the phone: `DF-` and ten Crockford base-32 characters
/// (50 random bits; the store retries on the rare collision).
fn new_ticket_id() -> String {
    ticket_id(u64::from_le_bytes(random_bytes()))
}

/// The ticket id of 50 of `n`'s bits.
fn ticket_id(n: u64) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut id = String::from("DF-");
    for i in 0..10 {
        id.push(ALPHABET[((n >> (5 * i)) & 31) as usize] as char);
    }
    id
}
