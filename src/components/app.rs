use std::rc::Rc;

use deskform_core::{Catalog, Locale, Session, Viewer};
use yew::prelude::*;

use super::{ContactForm, LockedDesks};
use crate::draft::{DraftOwner, DraftTtl, Prefill};
use crate::host::{ErrorKind, FetchError, HostHandle, HttpRequest, HttpResponse, WidgetEvent};
use crate::i18n::strings;
use crate::identity::{Bearer, IdentityToken, TokenCell};
use crate::state::Identity;

/// One mounted widget, as the embed edge configures it.
#[derive(Properties, PartialEq, Debug)]
pub struct AppProps {
    pub host: HostHandle,
    pub locale: Locale,
    /// `data-plan`: absent or empty is signed out.
    #[prop_or_default]
    pub plan: Option<AttrValue>,
    /// `identity-token`: a JWT signed by the team's backend. When given, the plan, email and
    /// name come from its claims (read, not verified: the receiver verifies), not from `plan`
    /// nor the session; a token that cannot be read is the signed-out view.
    #[prop_or_default]
    pub identity_token: Option<Bearer>,
    /// How the page names `identity_token`, for the console.
    #[prop_or(AttrValue::Static("identity-token"))]
    pub identity_token_name: AttrValue,
    /// `data-session-url` (when the page gives no `data-plan`): the plan and identity come
    /// from it, and a new identity token when the one held expires.
    #[prop_or_default]
    pub session_url: Option<AttrValue>,
    /// `data-submit-url`: where inquiries are posted; absent, the form says it cannot send.
    #[prop_or_default]
    pub submit_url: Option<AttrValue>,
    /// `data-config-url`: absent is the built-in catalog.
    #[prop_or_default]
    pub config_url: Option<AttrValue>,
    /// `data-draft-ttl`: how long a draft is kept.
    #[prop_or_default]
    pub draft_ttl: DraftTtl,
    /// `data-locked-desks`: the desks the viewer may not use, hidden (the default) or shown
    /// locked.
    #[prop_or_default]
    pub locked_desks: LockedDesks,
    /// Makes element ids unique when a page holds several widgets.
    #[prop_or(AttrValue::Static("deskform"))]
    pub id_prefix: AttrValue,
    /// `theme`: the palette, written as `data-theme` on the widget's root for the stylesheet.
    #[prop_or_default]
    pub theme: Theme,
    /// `prefill` of the mount API: what a new form without a draft starts with.
    #[prop_or_default]
    pub prefill: Option<Rc<Prefill>>,
}

/// The widget's palette.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// The light palette.
    #[default]
    Light,
    Dark,
    /// The visitor's choice (`prefers-color-scheme`).
    Auto,
}

impl Theme {
    /// As the stylesheet's `[data-theme]` selectors write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Light => "light",
            Self::Dark => "dark",
            Self::Auto => "auto",
        }
    }
}

impl std::str::FromStr for Theme {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "light" => Ok(Self::Light),
            "dark" => Ok(Self::Dark),
            "auto" => Ok(Self::Auto),
            _ => Err(format!(
                "unknown theme \"{text}\"; valid themes: light, dark, auto"
            )),
        }
    }
}

/// Where the catalog stands.
#[derive(Clone, Debug, PartialEq)]
enum CatalogState {
    Loading,
    Ready(Rc<Catalog>),
    Failed,
}

/// Where the session stands.
#[derive(Clone, Debug, PartialEq)]
enum SessionState {
    /// The page gives the plan itself (or nothing: signed out).
    FromPage,
    Loading,
    /// Read; with the identity token it gave, if any.
    Ready(Session, Option<IdentityToken>),
    /// The session could not be read: signed out, with a retry.
    Failed,
}

/// Loads the catalog and the session, works out the viewer, and shows the form (or why it
/// cannot).
#[component]
pub fn App(props: &AppProps) -> Html {
    // `_eq`: setting the state the catalog already has (on the first run) renders nothing.
    let catalog = use_state_eq(|| before_fetch(props.config_url.is_some()));

    // The page may change `data-config-url`; only the latest request's answer counts.
    let generation = use_mut_ref(|| 0u32);
    {
        let catalog = catalog.clone();
        let host = props.host.clone();
        use_effect_with(props.config_url.clone(), move |url| {
            let is_newest = newest(&generation);
            catalog.set(before_fetch(url.is_some()));
            if let Some(url) = url.clone() {
                fetch_catalog(&host, url, move |state| {
                    if is_newest() {
                        catalog.set(state);
                    }
                });
            }
        });
    }

    // The page's token, read once for each token it gives; reported at once (during render, so
    // a server render reports it too).
    let page_token = {
        let (host, name) = (props.host.clone(), props.identity_token_name.clone());
        use_memo(props.identity_token.clone(), move |token| {
            let token = token.as_ref()?.token();
            Some(IdentityToken::read(&host, token).inspect_err(|error| {
                host.report_error(&format!(
                    "deskform: {name}: {error}; showing the signed-out view"
                ))
            }))
        })
    };
    // The session is read for the identity unless the page gives a token; its URL still
    // renews the token.
    let session_url = props
        .session_url
        .clone()
        .filter(|_| props.identity_token.is_none());
    // Loading from the first render when there is a session to read: never a signed-out view
    // that then changes.
    let session = use_state_eq(|| match session_url {
        Some(_) => SessionState::Loading,
        None => SessionState::FromPage,
    });
    // Bumped by the retry button: the same URL is asked again.
    let session_try = use_state_eq(|| 0u32);
    {
        let session = session.clone();
        let host = props.host.clone();
        let generation = use_mut_ref(|| 0u32);
        use_effect_with((session_url, *session_try), move |(url, _)| {
            let is_newest = newest(&generation);
            let Some(url) = url.clone() else {
                session.set(SessionState::FromPage);
                return;
            };
            session.set(SessionState::Loading);
            let reporter = host.clone();
            let request = HttpRequest {
                credentials: true,
                ..HttpRequest::get(&url)
            };
            host.fetch(
                request,
                Box::new(move |result| {
                    if is_newest() {
                        session.set(load_session(&reporter, &url, result));
                    }
                }),
            );
        });
    }

    let token_name = props.identity_token_name.clone();
    let (plan, plan_source, identity, token) = match (&*page_token, &*session) {
        // A token the page gives is the identity, whatever `plan` says; one that cannot be
        // read is signed out, never a paid desk.
        (Some(Ok(token)), _) => token_view(token, token_name),
        (Some(Err(_)), _) => (None, token_name, None, None),
        (None, SessionState::Ready(_, Some(token))) => token_view(token, SESSION_URL.into()),
        (None, SessionState::Ready(session, None)) => (
            session.plan.clone().map(AttrValue::from),
            SESSION_URL.into(),
            session.is_signed_in().then(|| Identity {
                name: session.name.clone(),
                email: session.email.clone(),
            }),
            None,
        ),
        (None, SessionState::Failed) => (None, SESSION_URL.into(), None, None),
        _ => (props.plan.clone(), "data-plan".into(), None, None),
    };
    // Kept across renders: a renewed token stays until the page or the session gives another.
    let token_cell = use_memo((), |()| TokenCell::default());
    token_cell.offer(token.as_ref());
    let viewer = match (&*catalog, &*session) {
        (_, SessionState::Loading) => None,
        (CatalogState::Ready(catalog), _) => Some(catalog.viewer(plan.as_deref())),
        _ => None,
    };
    // A plan the catalog does not know is the signed-out view: no account's email and name.
    let identity = identity.filter(|_| !matches!(viewer, Some(Err(_))));
    // No form, and so no draft, is shown before the session is read: a draft never shows
    // under an identity it is not for, even for a moment.
    let draft_owner = match (&identity, &*session) {
        (Some(identity), _) => DraftOwner::Account {
            email: identity.email.clone(),
        },
        (None, SessionState::Failed) => DraftOwner::Unconfirmed,
        (None, _) => DraftOwner::Visitor,
    };
    // `deskform:ready`, once for each form the page can use (a new plan or catalog is a new
    // one): every desk of the catalog, and whether this viewer may use it.
    let ready = match (&*catalog, &viewer) {
        (CatalogState::Ready(catalog), Some(viewer)) => Some(WidgetEvent::Ready {
            locale: props.locale,
            // A plan the catalog does not know is shown signed out, and said so.
            plan: viewer
                .as_ref()
                .ok()
                .and(plan.as_deref())
                .filter(|p| !p.is_empty())
                .map(str::to_owned),
            desks: catalog
                .desks_for(viewer.as_ref().unwrap_or(&Viewer::SignedOut))
                .iter()
                .map(|offer| (offer.desk.id.as_str().to_owned(), offer.is_available()))
                .collect(),
        }),
        _ => None,
    };
    {
        let bad_plan = match &viewer {
            Some(Err(error)) => Some(error.to_string()),
            _ => None,
        };
        let host = props.host.clone();
        // One effect for both (each effect is code every visitor downloads). The bad plan is
        // reported with every new form it is shown as (a new language included), the ready
        // event sent for it.
        use_effect_with(
            (bad_plan, plan_source, ready),
            move |(bad_plan, source, ready)| {
                if let Some(error) = bad_plan {
                    host.report_error(&format!(
                        "deskform: {source}: {error}; showing the signed-out view"
                    ));
                }
                if let Some(event) = ready {
                    host.emit(event.clone());
                }
            },
        );
    }

    let text = strings(props.locale);
    let body = match (&*catalog, viewer) {
        (CatalogState::Ready(catalog), Some(viewer)) => {
            let session_failed = (*session == SessionState::Failed).then(|| {
                let retry = {
                    let session_try = session_try.clone();
                    Callback::from(move |_: MouseEvent| session_try.set(*session_try + 1))
                };
                html! {
                    <div class="deskform-notice deskform-session-failed" part="notice" role="alert">
                        <p>
                            { text.session_failed }
                            if let Some(href) = catalog.links().sign_in.clone() {
                                { text.sentence_gap }<a {href}>{ text.sign_in_again }</a>
                            }
                        </p>
                        <button type="button" class="deskform-secondary" onclick={retry}>{ text.try_again }</button>
                    </div>
                }
            });
            html! {
                <>
                    { for session_failed }
                    <ContactForm
                        // A new viewer, identity, catalog or receiver is a new form (other desks
                        // may be open); the draft comes back from storage, the new owner's.
                        key={format!(
                            "{}|{}|{}|{}",
                            plan.as_deref().unwrap_or_default(),
                            identity.as_ref().map(|i| i.email.as_str()).unwrap_or_default(),
                            props.config_url.as_deref().unwrap_or_default(),
                            props.submit_url.as_deref().unwrap_or_default(),
                        )}
                        host={props.host.clone()}
                        catalog={catalog.clone()}
                        viewer={viewer.unwrap_or(Viewer::SignedOut)}
                        identity={identity.clone()}
                        {draft_owner}
                        draft_ttl={props.draft_ttl}
                        submit_url={props.submit_url.clone()}
                        token={(*token_cell).clone()}
                        session_url={props.session_url.clone()}
                        locale={props.locale}
                        id_prefix={props.id_prefix.clone()}
                        prefill={props.prefill.clone()}
                        locked_desks={props.locked_desks}
                    />
                </>
            }
        }
        (CatalogState::Failed, _) => {
            html! { <p class="deskform-unavailable" part="notice" role="alert">{ text.unavailable }</p> }
        }
        _ => html! { <p class="deskform-loading" role="status">{ text.loading }</p> },
    };
    let title_id = format!("{}-title", props.id_prefix);
    html! {
        <section class="deskform" part="root" data-theme={props.theme.as_str()} lang={props.locale.tag()} aria-labelledby={title_id.clone()}>
            <h2 class="deskform-title" part="title" id={title_id}>{ text.title }</h2>
            { body }
        </section>
    }
}

/// How the console names the session endpoint.
const SESSION_URL: &str = "data-session-url";

/// What a token's claims show: the plan (its source named as `source`), the read-only email
/// and name, and the token to send.
fn token_view(
    token: &IdentityToken,
    source: AttrValue,
) -> (
    Option<AttrValue>,
    AttrValue,
    Option<Identity>,
    Option<IdentityToken>,
) {
    let claims = &token.claims;
    let identity = Identity {
        name: claims.name.clone(),
        email: claims.email.clone(),
    };
    (
        Some(claims.plan.clone().into()),
        source,
        Some(identity),
        Some(token.clone()),
    )
}

/// Starts a new request for a piece of state the page may ask for again (a changed URL, a
/// retry): the returned check says whether this request is still the newest, so only the
/// newest answer counts.
fn newest(generation: &Rc<std::cell::RefCell<u32>>) -> impl Fn() -> bool {
    let current = {
        let mut generation = generation.borrow_mut();
        *generation += 1;
        *generation
    };
    let generation = generation.clone();
    move || *generation.borrow() == current
}

/// The catalog's state before any request: the built-in one, or loading the page's.
fn before_fetch(has_config_url: bool) -> CatalogState {
    if has_config_url {
        CatalogState::Loading
    } else {
        CatalogState::Ready(Rc::new(Catalog::builtin().clone()))
    }
}

/// Fetches and reads the page's catalog, and gives the state to show.
#[cfg(feature = "custom-catalog")]
fn fetch_catalog(host: &HostHandle, url: AttrValue, done: impl FnOnce(CatalogState) + 'static) {
    let checker = host.clone();
    host.fetch(
        HttpRequest::get(&url),
        Box::new(move |result| done(load_catalog(&checker, &url, result))),
    );
}

/// A build without the catalog reader (no `custom-catalog` feature) shows no page catalog, and
/// never the built-in one in its place: the page's desks are not the built-in ones.
#[cfg(not(feature = "custom-catalog"))]
fn fetch_catalog(host: &HostHandle, url: AttrValue, done: impl FnOnce(CatalogState) + 'static) {
    let message = format!(
        "data-config-url {url}: this build of the widget reads no catalog (the lean build; \
         deskform.js loads the full one for a widget with a config URL)"
    );
    host.report_error(&format!("deskform: {message}"));
    host.emit(WidgetEvent::Error {
        kind: ErrorKind::Catalog,
        message,
    });
    done(CatalogState::Failed);
}

/// Turns a fetched catalog into the state to show, reporting the precise problem for the web
/// team; a catalog that fails validation is never shown.
#[cfg(feature = "custom-catalog")]
fn load_catalog(
    host: &HostHandle,
    url: &str,
    fetched: Result<HttpResponse, FetchError>,
) -> CatalogState {
    let body = fetched.and_then(HttpResponse::ok_body);
    let parsed = body.map_err(|e| e.to_string()).and_then(|text| {
        Catalog::from_json_with_zones(&text, &|zone| host.knows_time_zone(zone))
            .map_err(|e| format!("the catalog is invalid:\n{e}"))
    });
    match parsed {
        Ok(catalog) => CatalogState::Ready(Rc::new(catalog)),
        Err(error) => {
            let message = format!("data-config-url {url}: {error}");
            host.report_error(&format!("deskform: {message}"));
            host.emit(WidgetEvent::Error {
                kind: ErrorKind::Catalog,
                message,
            });
            CatalogState::Failed
        }
    }
}

/// Turns a fetched session into the state to show; a failure is reported for the web team and
/// shown as signed out, with a retry.
fn load_session(
    host: &HostHandle,
    url: &str,
    fetched: Result<HttpResponse, FetchError>,
) -> SessionState {
    let body = fetched
        .and_then(HttpResponse::ok_body)
        .map_err(|e| e.to_string());
    let session = body.and_then(|text| {
        Session::from_json(&text).ok_or_else(|| {
            "the answer is not a session ({signed_in, plan, name, email})".to_owned()
        })
    });
    // A token in the answer is read like the page's; one that cannot be read fails the session
    // (signed out, with a retry).
    let session = session.and_then(|mut session| match session.token.take() {
        None => Ok(SessionState::Ready(session, None)),
        Some(token) => IdentityToken::read(host, &token)
            .map(|token| SessionState::Ready(session, Some(token)))
            .map_err(|error| format!("the answer's token: {error}")),
    });
    match session {
        Ok(state) => state,
        Err(error) => {
            let message = format!("data-session-url {url}: {error}; showing the signed-out view");
            host.report_error(&format!("deskform: {message}"));
            host.emit(WidgetEvent::Error {
                kind: ErrorKind::Session,
                message,
            });
            SessionState::Failed
        }
    }
}

/// A build without the catalog reader: `cargo test -p deskform --no-default-features`.
#[cfg(all(test, not(feature = "custom-catalog")))]
mod without_the_reader {
    use std::cell::RefCell;
    use std::rc::Rc;

    use deskform_core::{Date, Locale};

    use super::{fetch_catalog, CatalogState};
    use crate::host::{
        DateStyle, DraftSlot, DraftStorage, ErrorKind, FetchError, Host, HostHandle, HttpRequest,
        HttpResponse, Timer, UnixTime, WidgetEvent,
    };

    /// A page that records what the widget fetches and reports; nothing else is asked of it.
    #[derive(Default)]
    struct Recorder {
        fetched: RefCell<Vec<String>>,
        reported: RefCell<Vec<String>>,
        emitted: RefCell<Vec<WidgetEvent>>,
    }

    impl DraftStorage for Recorder {
        fn load_draft(&self, _: DraftSlot) -> Option<String> {
            unreachable!()
        }
        fn save_draft(&self, _: DraftSlot, _: Option<&str>) {
            unreachable!()
        }
        fn owner_secret(&self) -> [u8; 16] {
            unreachable!()
        }
    }

    impl Host for Recorder {
        fn now(&self) -> UnixTime {
            unreachable!()
        }
        fn today_in(&self, _: &str) -> Date {
            unreachable!()
        }
        fn local_today(&self) -> Date {
            unreachable!()
        }
        fn knows_time_zone(&self, _: &str) -> bool {
            unreachable!()
        }
        fn format_date(&self, _: Date, _: Locale, _: DateStyle) -> String {
            unreachable!()
        }
        fn time_zone_name(&self, _: &str, _: Locale) -> String {
            unreachable!()
        }
        fn fetch(
            &self,
            request: HttpRequest,
            _: Box<dyn FnOnce(Result<HttpResponse, FetchError>)>,
        ) {
            self.fetched.borrow_mut().push(request.url);
        }
        fn every(&self, _: u32, _: Box<dyn Fn()>) -> Timer {
            unreachable!()
        }
        fn after(&self, _: u32, _: Box<dyn FnOnce()>) -> Timer {
            unreachable!()
        }
        fn is_online(&self) -> bool {
            unreachable!()
        }
        fn when_online(&self, _: Box<dyn FnOnce()>) -> Timer {
            unreachable!()
        }
        fn new_key(&self) -> String {
            unreachable!()
        }
        fn decode_base64url(&self, _: &str) -> Option<Vec<u8>> {
            unreachable!()
        }
        fn report_error(&self, message: &str) {
            self.reported.borrow_mut().push(message.to_owned());
        }
        fn emit(&self, event: WidgetEvent) {
            self.emitted.borrow_mut().push(event);
        }
    }

    #[test]
    fn a_config_url_is_reported_and_the_form_is_unavailable_not_the_built_in_catalog() {
        let recorder = Rc::new(Recorder::default());
        let host = HostHandle(recorder.clone());
        let state = Rc::new(RefCell::new(None));
        let given = state.clone();
        fetch_catalog(&host, "/catalog.json".into(), move |s| {
            *given.borrow_mut() = Some(s)
        });
        assert_eq!(*state.borrow(), Some(CatalogState::Failed));
        assert!(recorder.fetched.borrow().is_empty());
        let reported = recorder.reported.borrow();
        assert_eq!(reported.len(), 1);
        assert!(reported[0].contains("data-config-url /catalog.json"));
        assert!(reported[0].contains("the lean build"));
        let emitted = recorder.emitted.borrow();
        assert!(
            matches!(&emitted[..], [WidgetEvent::Error { kind: ErrorKind::Catalog, message }]
                if message.contains("data-config-url /catalog.json")),
            "{emitted:?}"
        );
    }
}
