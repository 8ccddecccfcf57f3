use std::rc::Rc;

use deskform_core::{Catalog, Locale, Viewer};
use yew::prelude::*;

use super::ContactForm;
use crate::host::HostHandle;
use crate::i18n::strings;

/// One mounted widget, as the embed edge configures it.
#[derive(Properties, PartialEq, Debug)]
pub struct AppProps {
    pub host: HostHandle,
    pub locale: Locale,
    /// `data-plan`: absent or empty is signed out.
    #[prop_or_default]
    pub plan: Option<AttrValue>,
    /// `data-config-url`: absent is the built-in catalog.
    #[prop_or_default]
    pub config_url: Option<AttrValue>,
    /// Makes element ids unique when a page holds several widgets.
    #[prop_or(AttrValue::Static("deskform"))]
    pub id_prefix: AttrValue,
}

/// Where the catalog stands.
#[derive(Clone, Debug, PartialEq)]
enum CatalogState {
    Loading,
    Ready(Rc<Catalog>),
    Failed,
}

/// Loads the catalog, works out the viewer, and shows the form (or why it cannot).
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
            let current = {
                let mut generation = generation.borrow_mut();
                *generation += 1;
                *generation
            };
            catalog.set(before_fetch(url.is_some()));
            if let Some(url) = url.clone() {
                let checker = host.clone();
                host.fetch_text(
                    &url.clone(),
                    Box::new(move |result| {
                        if *generation.borrow() == current {
                            catalog.set(load_catalog(&checker, &url, result));
                        }
                    }),
                );
            }
        });
    }

    let viewer = match &*catalog {
        CatalogState::Ready(catalog) => Some(catalog.viewer(props.plan.as_deref())),
        _ => None,
    };
    {
        let bad_plan = match &viewer {
            Some(Err(error)) => Some(error.to_string()),
            _ => None,
        };
        let host = props.host.clone();
        use_effect_with(bad_plan, move |bad_plan| {
            if let Some(error) = bad_plan {
                host.report_error(&format!(
                    "deskform: data-plan: {error}; showing the signed-out view"
                ));
            }
        });
    }

    let text = strings(props.locale);
    let body = match (&*catalog, viewer) {
        (CatalogState::Ready(catalog), Some(viewer)) => html! {
            <ContactForm
                // A new viewer or catalog is a new form (other desks may be open); the draft
                // comes back from storage.
                key={format!("{}|{}", props.plan.as_deref().unwrap_or_default(), props.config_url.as_deref().unwrap_or_default())}
                host={props.host.clone()}
                catalog={catalog.clone()}
                viewer={viewer.unwrap_or(Viewer::SignedOut)}
                locale={props.locale}
                id_prefix={props.id_prefix.clone()}
            />
        },
        (CatalogState::Failed, _) => {
            html! { <p class="deskform-unavailable" role="alert">{ text.unavailable }</p> }
        }
        _ => html! { <p class="deskform-loading" role="status">{ text.loading }</p> },
    };
    let title_id = format!("{}-title", props.id_prefix);
    html! {
        <section class="deskform" lang={props.locale.tag()} aria-labelledby={title_id.clone()}>
            <h2 class="deskform-title" id={title_id}>{ text.title }</h2>
            { body }
        </section>
    }
}

/// The catalog's state before any request: the built-in one, or loading the page's.
fn before_fetch(has_config_url: bool) -> CatalogState {
    if has_config_url {
        CatalogState::Loading
    } else {
        CatalogState::Ready(Rc::new(Catalog::builtin().clone()))
    }
}

/// Turns a fetched catalog into the state to show, reporting the precise problem for the web
/// team; a catalog that fails validation is never shown.
fn load_catalog(
    host: &HostHandle,
    url: &str,
    fetched: Result<String, crate::host::FetchError>,
) -> CatalogState {
    let parsed = fetched.map_err(|e| e.to_string()).and_then(|text| {
        Catalog::from_json_with_zones(&text, &|zone| host.knows_time_zone(zone))
            .map_err(|e| format!("the catalog is invalid:\n{e}"))
    });
    match parsed {
        Ok(catalog) => CatalogState::Ready(Rc::new(catalog)),
        Err(error) => {
            host.report_error(&format!("deskform: data-config-url {url}: {error}"));
            CatalogState::Failed
        }
    }
}
