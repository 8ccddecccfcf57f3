//! From the catalog file as written to a [`Catalog`]: every value checked, every problem
//! collected with the path it is about (positions are found afterwards, see [`super::spans`]).
//!
//! Each method reports what is wrong and returns `None`, so that checking goes on and one run
//! finds every problem in a file.

use std::fmt;

use serde_json::value::RawValue;

use super::format::{AudienceFile, CatalogFile, DeskFile, PlanFile, Texts};
use super::spans::JsonPath;
use super::{MAX_DESKS, MAX_NAME_CHARS, MAX_PLANS, MAX_SCOPE_CHARS};
use crate::calendar::BusinessDays;
use crate::catalog::{Catalog, Links};
use crate::desk::{Audience, Desk};
use crate::id::{DeskId, PlanId};
use crate::locale::{Locale, LocalizedText};
use crate::plan::{Paid, Plan, PlanStatus};

/// One problem: where to point, the path to show, and what is wrong.
#[derive(Clone, Debug)]
pub(super) struct Found {
    pub at: JsonPath,
    pub path: JsonPath,
    pub message: String,
}

pub(super) struct Checker<'z> {
    pub problems: Vec<Found>,
    pub is_known_zone: &'z dyn Fn(&str) -> bool,
}

pub(super) fn quoted_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a person would call the kind of this JSON value, for error messages.
pub(super) fn kind_of(raw: &RawValue) -> &'static str {
    match raw.get().as_bytes().first() {
        Some(b'"') => "a string",
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

impl Checker<'_> {
    /// A problem with the value at `path`.
    pub fn report(&mut self, path: &JsonPath, message: impl Into<String>) {
        self.report_at(path, path.clone(), message);
    }

    /// A problem shown with `path`, pointing at the value at `at`.
    pub fn report_at(&mut self, at: &JsonPath, path: JsonPath, message: impl Into<String>) {
        self.problems.push(Found {
            at: at.clone(),
            path,
            message: message.into(),
        });
    }

    /// The member `key` of the object at `object`, or a problem if it is missing.
    pub fn required<'f, T>(
        &mut self,
        value: &'f Option<T>,
        object: &JsonPath,
        key: &str,
    ) -> Option<&'f T> {
        if value.is_none() {
            self.report_at(object, object.key(key), format!("missing field `{key}`"));
        }
        value.as_ref()
    }

    /// `text` parsed with `parse`, or its error as a problem.
    pub fn parsed<T, E: fmt::Display>(
        &mut self,
        text: &str,
        path: &JsonPath,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        parse(text)
            .map_err(|e| self.report(path, e.to_string()))
            .ok()
    }

    /// `items`, if there are at most `max`.
    pub fn limited<'i, T>(
        &mut self,
        items: &'i [T],
        path: &JsonPath,
        max: usize,
    ) -> Option<&'i [T]> {
        if items.len() > max {
            self.report(path, format!("at most {max} entries are allowed"));
            return None;
        }
        Some(items)
    }

    pub fn catalog(&mut self, file: &CatalogFile) -> Option<Catalog> {
        let root = JsonPath::default();
        if let Some(version) = self.required(&file.version, &root, "version") {
            if version.get() != "1" {
                self.report(
                    &root.key("version"),
                    "unsupported version; this deskform reads catalogs of version 1",
                );
            }
        }
        let default_locale = match &file.default_locale {
            Some(tag) => self.parsed(tag, &root.key("default_locale"), str::parse::<Locale>),
            None => Some(Locale::En),
        };
        // Keep checking the rest against English so that one slip does not hide the others.
        let locale = default_locale.unwrap_or(Locale::En);
        let plans = self
            .required(&file.plans, &root, "plans")
            .and_then(|plans| self.plans(plans, locale));
        let desks = self
            .required(&file.desks, &root, "desks")
            .and_then(|desks| self.desks(desks, locale, plans.as_deref()));
        let calendar = self
            .required(&file.calendar, &root, "calendar")
            .and_then(|calendar| self.calendar(calendar, &root.key("calendar"), locale));
        let links = self.links(&file.links, &root.key("links"));
        Some(Catalog {
            default_locale: default_locale?,
            plans: plans?,
            desks: desks?,
            calendar: calendar?,
            links: links?,
        })
    }

    /// A non-empty list of at most `max` entries with an `id` each; duplicate ids are
    /// reported whether or not the entries are otherwise valid.
    fn entries<F, T>(
        &mut self,
        items: &[F],
        path: &JsonPath,
        (singular, max): (&str, usize),
        id_of: impl Fn(&F) -> Option<&String>,
        mut check: impl FnMut(&mut Self, &F, &JsonPath) -> Option<T>,
    ) -> Option<Vec<T>> {
        let items = self.limited(items, path, max)?;
        if items.is_empty() {
            self.report(path, format!("at least one {singular} is needed"));
            return None;
        }
        let mut seen: Vec<&str> = Vec::new();
        let mut entries = Vec::new();
        let mut complete = true;
        for (i, item) in items.iter().enumerate() {
            let path = path.index(i);
            if let Some(id) = id_of(item) {
                if seen.contains(&id.as_str()) {
                    self.report(&path.key("id"), format!("duplicate {singular} id `{id}`"));
                    complete = false;
                }
                seen.push(id);
            }
            match check(self, item, &path) {
                Some(entry) => entries.push(entry),
                None => complete = false,
            }
        }
        complete.then_some(entries)
    }

    fn plans(&mut self, plans: &[PlanFile], locale: Locale) -> Option<Vec<Plan>> {
        let path = JsonPath::default().key("plans");
        self.entries(
            plans,
            &path,
            ("plan", MAX_PLANS),
            |plan| plan.id.as_ref(),
            |checker, plan, path| checker.plan(plan, path, locale),
        )
    }

    fn plan(&mut self, plan: &PlanFile, path: &JsonPath, locale: Locale) -> Option<Plan> {
        let id = self
            .required(&plan.id, path, "id")
            .and_then(|id| self.parsed(id, &path.key("id"), str::parse::<PlanId>));
        let name = self
            .required(&plan.name, path, "name")
            .and_then(|name| self.text(name, &path.key("name"), locale, MAX_NAME_CHARS));
        let paid = self.required(&plan.paid, path, "paid");
        Some(Plan {
            id: id?,
            name: name?,
            paid: if *paid? { Paid::Paid } else { Paid::Free },
            status: if plan.legacy {
                PlanStatus::Legacy
            } else {
                PlanStatus::Open
            },
        })
    }

    fn desks(
        &mut self,
        desks: &[DeskFile],
        locale: Locale,
        plans: Option<&[Plan]>,
    ) -> Option<Vec<Desk>> {
        let path = JsonPath::default().key("desks");
        self.entries(
            desks,
            &path,
            ("desk", MAX_DESKS),
            |desk| desk.id.as_ref(),
            |checker, desk, path| checker.desk(desk, path, locale, plans),
        )
    }

    fn desk(
        &mut self,
        desk: &DeskFile,
        path: &JsonPath,
        locale: Locale,
        plans: Option<&[Plan]>,
    ) -> Option<Desk> {
        let id = self
            .required(&desk.id, path, "id")
            .and_then(|id| self.parsed(id, &path.key("id"), str::parse::<DeskId>));
        let name = self
            .required(&desk.name, path, "name")
            .and_then(|name| self.text(name, &path.key("name"), locale, MAX_NAME_CHARS));
        let scope = self
            .required(&desk.scope, path, "scope")
            .and_then(|scope| self.text(scope, &path.key("scope"), locale, MAX_SCOPE_CHARS));
        let audience = self
            .required(&desk.available_to, path, "available_to")
            .and_then(|audience| self.audience(audience, &path.key("available_to"), plans));
        let reply_within = self
            .required(
                &desk.reply_within_business_days,
                path,
                "reply_within_business_days",
            )
            .and_then(|days| self.business_days(days, &path.key("reply_within_business_days")));
        Some(Desk {
            id: id?,
            name: name?,
            scope: scope?,
            audience: audience?,
            reply_within: reply_within?,
        })
    }

    fn business_days(&mut self, days: &RawValue, path: &JsonPath) -> Option<BusinessDays> {
        let kind = kind_of(days);
        if kind != "a number" {
            self.report(
                path,
                format!("expected a whole number of business days, found {kind}"),
            );
            return None;
        }
        // Shown as written: "2.0" and "1e0" are not whole numbers of days here.
        let n = days.get();
        let days = n.parse::<u32>().ok().and_then(BusinessDays::new);
        if days.is_none() {
            self.report(
                path,
                format!(
                    "expected a whole number of business days from 1 to {}, found {n}",
                    BusinessDays::MAX
                ),
            );
        }
        days
    }

    fn audience(
        &mut self,
        audience: &AudienceFile,
        path: &JsonPath,
        plans: Option<&[Plan]>,
    ) -> Option<Audience> {
        const WORDS: [&str; 3] = ["everyone", "signed_in", "paid"];
        let ids = match audience {
            AudienceFile::Word(word) => {
                return match word.as_str() {
                    "everyone" => Some(Audience::Everyone),
                    "signed_in" => Some(Audience::SignedIn),
                    "paid" if plans.is_some_and(|plans| !plans.iter().any(Plan::is_paid)) => {
                        self.report(
                            path,
                            "no plan of the catalog is paid, so no one could use this desk",
                        );
                        None
                    }
                    "paid" => Some(Audience::PaidPlans),
                    _ => {
                        self.report(
                            path,
                            format!(
                                "unknown audience \"{word}\"; expected {} or an array of plan ids",
                                quoted_list(&WORDS)
                            ),
                        );
                        None
                    }
                };
            }
            AudienceFile::Plans(ids) => ids,
        };
        if ids.is_empty() {
            self.report(path, "list at least one plan, or use \"signed_in\"");
            return None;
        }
        // No more than the catalog may have plans: a longer list repeats or names unknown
        // plans, and a problem for each of thousands would take long to list.
        let ids = self.limited(ids, path, MAX_PLANS)?;
        let mut checked: Vec<PlanId> = Vec::new();
        let mut complete = true;
        for (i, id) in ids.iter().enumerate() {
            let path = path.index(i);
            let Some(id) = self.parsed(id, &path, str::parse::<PlanId>) else {
                complete = false;
                continue;
            };
            if let Some(plans) = plans {
                if !plans.iter().any(|p| p.id == id) {
                    let valid: Vec<&str> = plans.iter().map(|p| p.id.as_str()).collect();
                    self.report(
                        &path,
                        format!(
                            "unknown plan `{id}`; the catalog's plans are {}",
                            quoted_list(&valid)
                        ),
                    );
                    complete = false;
                }
            }
            if checked.contains(&id) {
                self.report(&path, format!("plan `{id}` is listed twice"));
                complete = false;
            }
            checked.push(id);
        }
        complete.then_some(Audience::Plans(checked))
    }

    /// A text in up to three languages, with the default locale's required.
    pub fn text(
        &mut self,
        texts: &Texts,
        path: &JsonPath,
        locale: Locale,
        max_chars: usize,
    ) -> Option<LocalizedText> {
        let mut valid: Vec<(Locale, &str)> = Vec::new();
        for lang in Locale::ALL {
            let Some(text) = texts.get(lang) else {
                continue;
            };
            let path = path.key(lang.tag());
            let text = text.trim();
            if text.is_empty() {
                self.report(&path, "text may not be empty");
            } else if text.chars().count() > max_chars {
                self.report(&path, format!("text is longer than {max_chars} characters"));
            } else {
                valid.push((lang, text));
            }
        }
        let Some(&(_, fallback)) = valid.iter().find(|(l, _)| *l == locale) else {
            if texts.get(locale).is_none() {
                self.report_at(
                    path,
                    path.key(locale.tag()),
                    format!("missing text for the catalog's default locale `{locale}`"),
                );
            }
            return None;
        };
        Some(
            valid
                .into_iter()
                .filter(|(l, _)| *l != locale)
                .fold(LocalizedText::new(locale, fallback), |t, (l, s)| {
                    t.with(l, s)
                }),
        )
    }

    fn links(&mut self, links: &Links, path: &JsonPath) -> Option<Links> {
        let mut link = |key: &str, url: &Option<String>| match url {
            None => Some(None),
            Some(url) => self.parsed(url, &path.key(key), check_link).map(Some),
        };
        let sign_in = link("sign_in", &links.sign_in);
        let plans = link("plans", &links.plans);
        Some(Links {
            sign_in: sign_in?,
            plans: plans?,
        })
    }
}

/// A link the widget may put in `href`: `https://…`, `http://…` or a path on the host (`/…`).
/// Anything else, `javascript:` above all, is refused.
fn check_link(url: &str) -> Result<String, String> {
    let web = ["https://", "http://"].iter().any(|scheme| {
        url.len() > scheme.len()
            && url
                .get(..scheme.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
    });
    let path = url.starts_with('/') && !url.starts_with("//");
    // Browsers read `\` as `/` in a link: `/\host` would lead to another site.
    if (web || path)
        && url.len() <= 2048
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    {
        Ok(url.to_owned())
    } else {
        Err(format!(
            "\"{url}\" is not a link: use https://… or a path starting with /"
        ))
    }
}
