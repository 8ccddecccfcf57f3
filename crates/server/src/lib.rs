//! deskform's reference receiver, run by `deskform serve`. It serves the built widget and the demo help page,
//! signs demo visitors in on any plan, and stores inquiries in SQLite after checking them again
//! with the core: the plan the browser showed desks for is never trusted.
//!
//! - `GET /api/session` → `{signed_in, plan, name, email}`
//! - `POST /api/inquiries` → 201 receipt, 200 the same receipt for a repeated idempotency key,
//!   400 malformed, 403 desk locked, 409 key reused for another inquiry, 413 over 64 KiB,
//!   415 not `application/json`, 422 invalid fields, 429 rate limited (`Retry-After`), 500.
//!   Every answer is built with the core's [`SubmitReply`] and [`Rejection`], so its status
//!   and body are the ones the widget decodes (`{"error": code, …, "message": …}`; see
//!   `deskform_core::api`). A post whose honeypot (`website`) is filled in gets a normal 201
//!   and is not stored.
//! - `GET /api/inquiries/{ticket_id}` → the inquiry, for the signed-in account that sent it
//! - `POST /demo/sign-in` (`plan`, empty to sign out; `lang`) → cookie, back to the page
//! - `GET /api/catalog` → the catalog this receiver enforces

mod answer;
mod client;
mod store;

use answer::answer;

pub use client::{parse_trusted_proxy, Client, TrustedProxies};

/// A message for the operator; `deskform serve` prints it and exits with 2.
pub type ServeError = String;

use std::borrow::Cow;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path as UrlPath, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{any, get, post};
use axum::{Form, Json, Router};
use chrono::{SecondsFormat, Utc};
use chrono_tz::Tz;
use deskform_core::{
    Catalog, InquiryFields, InquiryRequest, PlanId, Receipt, Rejection, Session, SubmitReply,
};
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

pub use store::{Account, Store};
use store::{NewInquiry, Stored};

/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

const SESSION_COOKIE: &str = "deskform_session";

/// How `deskform serve` was asked to run.
pub struct ServeOptions {
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
}

struct App {
    store: Store,
    catalog: Cow<'static, Catalog>,
    time_zone: Tz,
}

type Shared = State<Arc<App>>;

/// A receiver ready to serve: its router and its state. Tests drive [`Receiver::router`] with
/// `tower::ServiceExt::oneshot`, without a process or a socket (add
/// `axum::extract::connect_info::MockConnectInfo` to give requests a client address).
pub struct Receiver {
    app: Arc<App>,
    router: Router,
    port: u16,
    db: PathBuf,
}

impl Receiver {
    /// Opens the database and builds the routes.
    pub fn new(options: ServeOptions) -> Result<Receiver, ServeError> {
        let cors = match options.allow_origins.as_slice() {
            [] => None,
            origins => Some(cors(origins)?),
        };
        let catalog = options.catalog;
        // The catalog reader checked the zone against chrono-tz already.
        let time_zone = Tz::from_str(catalog.calendar().time_zone())
            .map_err(|e| format!("the catalog's time zone: {e}"))?;
        let store = Store::open(&options.db)
            .map_err(|e| format!("cannot open the database {}: {e}", options.db.display()))?;
        let app = Arc::new(App {
            store,
            catalog,
            time_zone,
        });
        let router = router(app.clone(), &options.dist, cors, options.demo)
            .layer(axum::Extension(options.trusted_proxies));
        Ok(Receiver {
            app,
            router,
            port: options.port,
            db: options.db,
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

/// Runs the server until SIGTERM or Ctrl-C, then finishes every request in flight.
pub fn serve(options: ServeOptions) -> Result<(), ServeError> {
    let receiver = Receiver::new(options)?;
    let Receiver {
        app,
        router,
        port,
        db,
    } = receiver;
    let runtime = tokio::runtime::Runtime::new().map_err(|e| format!("cannot start: {e}"))?;
    runtime.block_on(async move {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|e| format!("cannot listen on {address}: {e}"))?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        // Tests and scripts read this line to learn the port (`--port 0` picks a free one).
        println!(
            "deskform serve: listening on http://{address}/ (database {})",
            db.display()
        );
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(stop_signal())
        .await
        .map_err(|e| format!("the server failed: {e}"))
    })?;
    let stored = app.store.count().map_or_else(
        |e| format!("cannot count the inquiries: {e}"),
        |n| match n {
            1 => "1 inquiry stored".to_owned(),
            n => format!("{n} inquiries stored"),
        },
    );
    println!("deskform serve: stopped after finishing every request in flight; {stored}");
    Ok(())
}

/// `deskform inquiries`: every stored inquiry, one
/// `TICKET<TAB>RECEIVED_AT<TAB>DESK<TAB>DUE_DATE<TAB>EMAIL<TAB>SUBJECT` line each.
pub fn list_inquiries(out: &mut impl std::io::Write, db: &Path) -> Result<(), ServeError> {
    if !db.is_file() {
        return Err(format!("no database at {}", db.display()));
    }
    let store = Store::open(db).map_err(|e| format!("cannot open {}: {e}", db.display()))?;
    let rows = store
        .list()
        .map_err(|e| format!("cannot read {}: {e}", db.display()))?;
    for (receipt, email, subject) in rows {
        // One line each, whatever the subject holds.
        let subject: String = subject
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{email}\t{subject}",
            receipt.ticket_id, receipt.received_at, receipt.desk, receipt.due_date
        )
        .map_err(|e| format!("cannot write output: {e}"))?;
    }
    Ok(())
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

fn router(
    app: Arc<App>,
    dist: &Path,
    cors: Option<tower_http::cors::CorsLayer>,
    demo: bool,
) -> Router {
    if !dist.join("index.html").is_file() {
        eprintln!(
            "deskform serve: no built widget in {} (build it with `cargo xtask demo`); serving the API only",
            dist.display()
        );
    }
    let api = Router::new()
        .route("/api/session", get(session))
        .route("/api/catalog", get(catalog))
        .route("/api/inquiries", post(submit))
        .route("/api/inquiries/{ticket_id}", get(inquiry));
    // Without `--demo` nobody can sign in at all (404), so every visitor is signed out: a real
    // deployment puts its own sign-in in front (issue 10).
    let api = if demo {
        api.route("/demo/sign-in", post(sign_in))
    } else {
        // 404, not the file server's 405 for a POST: there is no such thing here.
        api.route("/demo/{*rest}", any(|| async { StatusCode::NOT_FOUND }))
    };
    let api = api
        // `submit` reads the body itself, to answer 413 with a JSON reason.
        .layer(DefaultBodyLimit::disable())
        .with_state(app);
    let api = match cors {
        Some(cors) => api.layer(cors),
        None => api,
    };
    let pages = Router::new()
        .fallback_service(ServeDir::new(dist))
        .layer(CompressionLayer::new());
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
        .allow_headers([header::CONTENT_TYPE])
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
    eprintln!("deskform serve: {e}");
    answer(SubmitReply::ServerError { status: 500 })
}

/// Runs blocking database work off the async threads.
async fn blocking<T: Send + 'static>(
    app: &Arc<App>,
    work: impl FnOnce(&Store) -> Result<T, rusqlite::Error> + Send + 'static,
) -> Result<T, Response> {
    let app = app.clone();
    match tokio::task::spawn_blocking(move || work(&app.store)).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(internal(e)),
        Err(e) => Err(internal(e)),
    }
}

fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(SESSION_COOKIE)?.strip_prefix('='))
        .map(str::to_owned)
}

/// The signed-in account, if the cookie names a session.
async fn account(app: &Arc<App>, headers: &HeaderMap) -> Result<Option<Account>, Response> {
    let Some(token) = session_token(headers) else {
        return Ok(None);
    };
    blocking(app, move |store| store.session(&token)).await
}

async fn session(State(app): Shared, headers: HeaderMap) -> Response {
    let account = match account(&app, &headers).await {
        Ok(account) => account,
        Err(response) => return response,
    };
    let session = match account {
        Some(account) => Session {
            plan: Some(account.plan),
            name: account.name,
            email: account.email,
        },
        None => Session::default(),
    };
    let mut response = Json(session).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
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

async fn submit(State(app): Shared, headers: HeaderMap, body: axum::body::Body) -> Response {
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
        Err(_) => return too_large(),
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return answer(Rejection::Malformed("the body is not UTF-8".into()));
    };
    let mut request = match InquiryRequest::from_json(text) {
        Ok(request) => request,
        Err(rejection) => return answer(rejection),
    };
    let account = match account(&app, &headers).await {
        Ok(account) => account,
        Err(response) => return response,
    };
    // A signed-in customer writes as their account: the identity is the session's, never the
    // body's.
    if let Some(account) = &account {
        request.fields.email = account.email.clone();
        request.fields.name = account.name.clone();
    }
    let owner = account
        .as_ref()
        .map(|a| a.email.clone())
        .unwrap_or_default();
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
        // A robot filled in the honeypot: it gets the answer a stored inquiry gets (a fresh
        // ticket id, the real due date), so it learns nothing, and nothing is stored.
        return answer(SubmitReply::Created(Receipt {
            ticket_id: new_ticket_id(),
            desk: request.desk.clone(),
            received_at,
            due_date,
        }));
    }
    let result = blocking(&app, move |store| {
        store.insert(
            &NewInquiry {
                request: &request,
                owner: &owner,
                plan: plan.as_deref(),
                received_at: &received_at,
                due_date,
            },
            new_ticket_id,
        )
    })
    .await;
    match result {
        Ok(outcome) => stored(outcome),
        Err(response) => response,
    }
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
    headers: HeaderMap,
    UrlPath(ticket_id): UrlPath<String>,
) -> Response {
    let not_found = || answer(Rejection::NotFound);
    let account = match account(&app, &headers).await {
        Ok(Some(account)) => account,
        Ok(None) => return not_found(),
        Err(response) => return response,
    };
    let found = blocking(&app, move |store| store.inquiry(&ticket_id, &account.email)).await;
    match found {
        Ok(Some(inquiry)) => Json(InquiryBody {
            receipt: inquiry.receipt,
            fields: inquiry.request.fields,
            locale: inquiry.request.locale,
        })
        .into_response(),
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

#[derive(serde::Deserialize)]
struct SignIn {
    #[serde(default)]
    plan: String,
    #[serde(default)]
    lang: String,
}

/// The demo's sign-in: any plan of the catalog, or signed out with an empty plan.
async fn sign_in(State(app): Shared, headers: HeaderMap, Form(form): Form<SignIn>) -> Response {
    let back = match form.lang.as_str() {
        lang @ ("en" | "ja" | "vi") => format!("/?lang={lang}"),
        _ => "/".to_owned(),
    };
    if let Some(token) = session_token(&headers) {
        if let Err(response) = blocking(&app, move |store| store.delete_session(&token)).await {
            return response;
        }
    }
    let cookie = if form.plan.is_empty() {
        format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
    } else {
        let Ok(plan) = app.catalog.plan(&form.plan) else {
            let valid: Vec<&str> = app.catalog.plans().iter().map(|p| p.id.as_str()).collect();
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unknown_plan",
                &format!(
                    "unknown plan \"{}\"; valid plans: {}",
                    form.plan,
                    valid.join(", ")
                ),
            );
        };
        let account = demo_account(&app.catalog, plan.id.as_str());
        let token = new_session_token();
        let now = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
        let created = {
            let token = token.clone();
            blocking(&app, move |store| {
                store.create_session(&token, &account, &now)
            })
            .await
        };
        if let Err(response) = created {
            return response;
        }
        format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000")
    };
    let mut response = Redirect::to(&back).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// The demo customer of a plan: one account per plan, so each plan's tickets stay together.
pub fn demo_account(catalog: &Catalog, plan: &str) -> Account {
    let plan_name = catalog
        .plan(plan)
        .map(|p| p.name.get(deskform_core::Locale::En).to_owned())
        .unwrap_or_else(|_| plan.to_owned());
    Account {
        plan: plan.to_owned(),
        name: format!("{plan_name} customer"),
        email: format!("{plan}.customer@example.com"),
    }
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // The operating system's generator; failing is not something a server can recover from.
    getrandom::fill(&mut bytes).expect("the operating system's random generator failed");
    bytes
}

/// A new session token: 256 random bits, in hex.
fn new_session_token() -> String {
    let bytes: [u8; 32] = random_bytes();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A ticket id people can read out on the phone: `DF-` and ten Crockford base-32 characters
/// (50 random bits; the store retries on the rare collision).
fn new_ticket_id() -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let n = u64::from_le_bytes(random_bytes());
    let mut id = String::from("DF-");
    for i in 0..10 {
        id.push(ALPHABET[((n >> (5 * i)) & 31) as usize] as char);
    }
    id
}
