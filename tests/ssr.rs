//! The widget rendered natively on the server renderer, as a visitor would first see it: the
//! desks per plan, why locked desks are locked, the reply date for a fixed day, each language.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::rc::Rc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use deskform::components::{App, AppProps, LockedDesks, Theme};
use deskform::draft::Prefill;
use deskform::host::{
    DateStyle, DraftSlot, DraftStorage, FetchError, Host, HostHandle, HttpRequest, HttpResponse,
    Timer, UnixTime, WidgetEvent,
};
use deskform_core::{Date, Locale};
use yew::LocalServerRenderer;

/// The host's clock: 2026-11-25 12:00 UTC.
const NOW: UnixTime = UnixTime(1_795_608_000);

thread_local! {
    /// What the widget reported to the console on this test's thread.
    static REPORTED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// The stored drafts (the visitor's, the account's), shared with the test that reads them.
type Drafts = Rc<RefCell<[Option<String>; 2]>>;

/// A page with a fixed clock, plain ISO dates and stored drafts.
struct FixedHost {
    desk_today: Date,
    local_today: Date,
    drafts: Drafts,
}

impl FixedHost {
    /// Today at the desk and at the visitor's, and a stored visitor's draft with this desk
    /// chosen.
    fn handle(desk_today: &str, local_today: &str, desk: Option<&str>) -> HostHandle {
        let draft = desk.map(|desk| format!(r#"{{"saved_at":{},"desk":"{desk}"}}"#, NOW.0));
        Self::with_text(desk_today, local_today, draft)
    }

    /// Today at the desk and at the visitor's, and this text stored as the visitor's draft.
    fn with_text(desk_today: &str, local_today: &str, draft: Option<String>) -> HostHandle {
        HostHandle::new(Self::with_drafts(
            desk_today,
            local_today,
            Rc::new(RefCell::new([draft, None])),
        ))
    }

    fn with_drafts(desk_today: &str, local_today: &str, drafts: Drafts) -> Self {
        FixedHost {
            desk_today: date(desk_today),
            local_today: date(local_today),
            drafts,
        }
    }
}

impl DraftStorage for FixedHost {
    fn load_draft(&self, slot: DraftSlot) -> Option<String> {
        self.drafts.borrow()[slot as usize].clone()
    }
    fn save_draft(&self, slot: DraftSlot, text: Option<&str>) {
        self.drafts.borrow_mut()[slot as usize] = text.map(str::to_owned);
    }
    fn owner_secret(&self) -> [u8; 16] {
        *b"a fixed secret!!"
    }
}

impl Host for FixedHost {
    fn now(&self) -> UnixTime {
        NOW
    }
    fn today_in(&self, _time_zone: &str) -> Date {
        self.desk_today
    }
    fn local_today(&self) -> Date {
        self.local_today
    }
    fn knows_time_zone(&self, time_zone: &str) -> bool {
        time_zone.contains('/')
    }
    fn format_date(&self, date: Date, _locale: Locale, style: DateStyle) -> String {
        match style {
            DateStyle::Long => format!("{} {date}", date.weekday().short_name()),
            DateStyle::Short => format!("{}-{}", date.month(), date.day()),
        }
    }
    fn time_zone_name(&self, time_zone: &str, _locale: Locale) -> String {
        format!("zone {time_zone}")
    }
    fn fetch(
        &self,
        _request: HttpRequest,
        _done: Box<dyn FnOnce(Result<HttpResponse, FetchError>)>,
    ) {
    }
    fn every(&self, _seconds: u32, _tick: Box<dyn Fn()>) -> Timer {
        Timer::none()
    }
    fn after(&self, _seconds: u32, _done: Box<dyn FnOnce()>) -> Timer {
        Timer::none()
    }
    fn is_online(&self) -> bool {
        true
    }
    fn when_online(&self, _done: Box<dyn FnOnce()>) -> Timer {
        Timer::none()
    }
    fn new_key(&self) -> String {
        "fixed-key-0123456789".into()
    }
    fn decode_base64url(&self, text: &str) -> Option<Vec<u8>> {
        URL_SAFE_NO_PAD.decode(text).ok()
    }
    // Effects, which emit events, do not run on the server renderer (the browser tests listen
    // to the events); what is reported during render is kept.
    fn report_error(&self, message: &str) {
        REPORTED.with(|r| r.borrow_mut().push(message.to_owned()));
    }
    fn emit(&self, _event: WidgetEvent) {}
}

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

struct View {
    plan: Option<&'static str>,
    identity_token: Option<String>,
    locale: Locale,
    desk: Option<&'static str>,
    /// The stored draft's text, in place of a draft with `desk` chosen.
    draft_text: Option<&'static str>,
    desk_today: &'static str,
    local_today: &'static str,
    config_url: Option<&'static str>,
    session_url: Option<&'static str>,
    submit_url: Option<&'static str>,
    theme: Theme,
    prefill: Option<Prefill>,
    locked_desks: LockedDesks,
}

impl Default for View {
    fn default() -> Self {
        View {
            plan: None,
            identity_token: None,
            locale: Locale::En,
            desk: None,
            draft_text: None,
            desk_today: "2026-11-25",
            local_today: "2026-11-25",
            config_url: None,
            session_url: None,
            submit_url: None,
            theme: Theme::Light,
            prefill: None,
            locked_desks: LockedDesks::Hide,
        }
    }
}

async fn render(view: View) -> String {
    let props = AppProps {
        host: match view.draft_text {
            Some(text) => {
                FixedHost::with_text(view.desk_today, view.local_today, Some(text.into()))
            }
            None => FixedHost::handle(view.desk_today, view.local_today, view.desk),
        },
        locale: view.locale,
        plan: view.plan.map(Into::into),
        identity_token: view.identity_token.map(Into::into),
        identity_token_name: "data-identity-token".into(),
        config_url: view.config_url.map(Into::into),
        session_url: view.session_url.map(Into::into),
        submit_url: view.submit_url.map(Into::into),
        draft_ttl: Default::default(),
        locked_desks: view.locked_desks,
        id_prefix: "df".into(),
        theme: view.theme,
        prefill: view.prefill.map(Rc::new),
    };
    LocalServerRenderer::<App>::with_props(props)
        .hydratable(false)
        .render()
        .await
}

/// The `<input>` tag of a desk's radio button.
fn radio<'h>(html: &'h str, desk: &str) -> &'h str {
    let needle = format!("id=\"df-desk-{desk}\"");
    let at = html
        .find(&needle)
        .unwrap_or_else(|| panic!("no radio for {desk} in {html}"));
    let start = html[..at].rfind("<input").unwrap();
    let end = start + html[start..].find('>').unwrap();
    &html[start..=end]
}

/// The text of the element with this id (its first text node).
fn text_of<'h>(html: &'h str, id: &str) -> Option<&'h str> {
    let at = html.find(&format!("id=\"{id}\""))?;
    let start = at + html[at..].find('>')? + 1;
    let end = start + html[start..].find('<')?;
    Some(html[start..end].trim())
}

/// The whole text of the first element with this class, its tags left out.
fn text_in(html: &str, class: &str) -> String {
    let at = html
        .find(&format!("class=\"{class}\""))
        .unwrap_or_else(|| panic!("no {class} in {html}"));
    let start = html[..at].rfind('<').unwrap();
    let tag: String = html[start + 1..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    let inner = &html[start..];
    let inner = &inner[inner.find('>').unwrap() + 1..inner.find(&format!("</{tag}>")).unwrap()];
    let mut text = String::new();
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// The upsell view a page opts into: desks the viewer may not use shown disabled.
const SHOW: LockedDesks = LockedDesks::Show;

#[tokio::test]
async fn signed_out_sees_only_login_and_a_line_to_sign_in_for_more() {
    let html = render(View::default()).await;
    assert!(!radio(&html, "login").contains("disabled"), "{html}");
    assert!(!html.contains("df-desk-usage"), "{html}");
    assert!(!html.contains("Using the product"), "{html}");
    assert!(!html.contains("deskform-lock"), "{html}");
    assert!(
        html.contains("<fieldset part=\"desks\" aria-describedby=\"df-more-desks\""),
        "{html}"
    );
    assert_eq!(
        text_of(&html, "df-more-desks"),
        Some("Sign in to see every desk for your plan.")
    );
    assert!(html.contains("<a href=\"/signin\">Sign in</a>"));
    assert!(html.contains(
        "<legend>What do you need help with? <span class=\"deskform-tag\">required</span>"
    ));
}

#[tokio::test]
async fn shown_locked_signed_out_sees_a_locked_usage_desk_with_a_sign_in_link() {
    let html = render(View {
        locked_desks: SHOW,
        ..View::default()
    })
    .await;
    assert!(!radio(&html, "login").contains("disabled"), "{html}");
    assert!(radio(&html, "usage").contains("disabled"));
    assert!(radio(&html, "usage")
        .contains("aria-describedby=\"df-desk-usage-scope df-desk-usage-lock\""));
    assert_eq!(
        text_of(&html, "df-desk-usage-lock"),
        Some("Sign in to use this desk.")
    );
    assert!(html.contains("<a href=\"/signin\">Sign in</a>"));
    assert!(!html.contains("df-more-desks"), "{html}");
    assert!(!html.contains("part=\"desks\" aria-describedby"), "{html}");
}

#[tokio::test]
async fn the_free_plan_sees_login_and_that_more_desks_come_with_a_paid_plan() {
    let html = render(View {
        plan: Some("free"),
        ..View::default()
    })
    .await;
    assert!(!radio(&html, "login").contains("disabled"));
    assert!(!html.contains("df-desk-usage"), "{html}");
    assert_eq!(
        text_in(&html, "deskform-note deskform-more-desks"),
        "More desks come with a paid plan. See the plans"
    );
    assert!(html.contains("<a href=\"/pricing\">See the plans</a>"));

    let shown = render(View {
        plan: Some("free"),
        locked_desks: SHOW,
        ..View::default()
    })
    .await;
    assert!(!radio(&shown, "login").contains("disabled"));
    assert!(radio(&shown, "usage").contains("disabled"));
    assert_eq!(
        text_of(&shown, "df-desk-usage-lock"),
        Some("Available on paid plans.")
    );
    assert!(shown.contains("<a href=\"/pricing\">See the plans</a>"));
    assert!(!shown.contains("df-more-desks"), "{shown}");
}

#[tokio::test]
async fn every_paid_plan_may_use_both_desks() {
    for locked_desks in [LockedDesks::Hide, SHOW] {
        for plan in ["personal", "business", "enterprise"] {
            let html = render(View {
                plan: Some(plan),
                locked_desks,
                ..View::default()
            })
            .await;
            for desk in ["login", "usage"] {
                assert!(!radio(&html, desk).contains("disabled"), "{plan} {desk}");
            }
            assert!(!html.contains("deskform-lock"), "{plan}");
            assert!(!html.contains("more-desks"), "{plan}");
        }
    }
}

#[tokio::test]
async fn an_unknown_plan_gets_the_signed_out_view_never_a_paid_desk() {
    for plan in ["gold", "Business", "enterprise-plus", "paid"] {
        let html = render(View {
            plan: Some(plan),
            ..View::default()
        })
        .await;
        assert!(!html.contains("df-desk-usage"), "{plan}");
        assert_eq!(
            text_of(&html, "df-more-desks"),
            Some("Sign in to see every desk for your plan."),
            "{plan}"
        );
        let shown = render(View {
            plan: Some(plan),
            locked_desks: SHOW,
            ..View::default()
        })
        .await;
        assert!(radio(&shown, "usage").contains("disabled"), "{plan}");
        assert_eq!(
            text_of(&shown, "df-desk-usage-lock"),
            Some("Sign in to use this desk."),
            "{plan}"
        );
    }
}

#[tokio::test]
async fn a_draft_for_a_desk_now_hidden_or_locked_keeps_its_text_not_the_desk() {
    for locked_desks in [LockedDesks::Hide, SHOW] {
        let html = render(View {
            plan: Some("free"),
            draft_text: Some(
                r#"{"saved_at":1795608000,"desk":"usage","message":"Written on a paid plan"}"#,
            ),
            locked_desks,
            ..View::default()
        })
        .await;
        assert!(!html.contains("checked"), "{locked_desks:?}: {html}");
        assert!(html.contains("Written on a paid plan"), "{html}");
        assert!(html.contains("Choose a desk to see when you can expect a reply."));
        assert_eq!(
            html.contains("df-desk-usage"),
            locked_desks == SHOW,
            "{locked_desks:?}"
        );
    }
}

#[tokio::test]
async fn a_stored_draft_is_restored_and_a_damaged_one_ignored() {
    let html = render(View {
        plan: Some("business"),
        draft_text: Some(
            r#"{"saved_at":1795608000,"desk":"usage","email":"khach@example.vn","message":"SMSのコードが届きません","key":"key-0123456789abcdef"}"#,
        ),
        ..View::default()
    })
    .await;
    assert!(radio(&html, "usage").contains("checked"), "{html}");
    assert!(html.contains("value=\"khach@example.vn\""), "{html}");
    assert!(html.contains("SMSのコードが届きません"), "{html}");

    for damaged in [
        r#"{"saved_at":1795608000,"desk":"usage","email":"#,
        r#"{"saved_at":1795608000,"desk":"usage","pending":"yes"}"#,
        // Stored before drafts had a date: it may hold a signed-in customer's identity.
        r#"{"desk":"usage","email":"khach@example.vn"}"#,
        // Over 7 days old.
        r#"{"saved_at":1795003200,"desk":"usage"}"#,
        "null",
        "<html>",
    ] {
        let html = render(View {
            plan: Some("business"),
            draft_text: Some(damaged),
            ..View::default()
        })
        .await;
        assert!(!radio(&html, "usage").contains("checked"), "{damaged}");
        assert!(
            html.contains("Choose a desk to see when you can expect a reply."),
            "{damaged}"
        );
    }
}

#[tokio::test]
async fn vietnam_thursday_night_is_friday_in_tokyo() {
    // 2026-11-26T23:30+07:00 is Friday 01:30 in Tokyo: usage is due Monday the 30th.
    let html = render(View {
        plan: Some("business"),
        desk: Some("usage"),
        desk_today: "2026-11-27",
        local_today: "2026-11-26",
        ..View::default()
    })
    .await;
    assert!(radio(&html, "usage").contains("checked"));
    assert!(html.contains(
        "Expected reply by <time data-testid=\"reply-date\" datetime=\"2026-11-30\">Mon 2026-11-30</time>"
    ));
    assert!(html.contains("Within 1 business day; weekends and Japanese public holidays excluded."));
    assert!(html.contains("<time datetime=\"2026-11-28\">11-28</time> — weekend"));
    assert!(html.contains("<time datetime=\"2026-11-29\">11-29</time> — weekend"));
    assert!(html.contains(
        "It is already Fri 2026-11-27 at the support desk (zone Asia/Tokyo), so your message counts as received on that day."
    ));
}

#[tokio::test]
async fn auckland_monday_morning_is_still_sunday_in_tokyo() {
    // 2026-11-30T02:00+13:00 is Sunday 22:00 in Tokyo: received Sunday, usage due Monday.
    let html = render(View {
        plan: Some("business"),
        desk: Some("usage"),
        desk_today: "2026-11-29",
        local_today: "2026-11-30",
        ..View::default()
    })
    .await;
    assert!(html.contains("datetime=\"2026-11-30\""));
    assert!(html.contains(
        "It is still Sun 2026-11-29 at the support desk (zone Asia/Tokyo), so your message counts as received on that day."
    ));
}

#[tokio::test]
async fn the_same_day_says_nothing_about_time_zones() {
    let html = render(View {
        plan: Some("business"),
        desk: Some("usage"),
        desk_today: "2026-11-26",
        local_today: "2026-11-26",
        ..View::default()
    })
    .await;
    assert!(html.contains("datetime=\"2026-11-27\""));
    assert!(!html.contains("deskform-desk-day"));
    assert!(!html.contains("deskform-skipped"));
}

#[tokio::test]
async fn holidays_are_named_in_the_visitors_language() {
    // Received Friday 20 November 2026; Monday the 23rd is Labour Thanksgiving Day: the login
    // desk (2 business days) answers by Wednesday the 25th.
    let cases = [
        (
            Locale::En,
            " — Labour Thanksgiving Day",
            "2 business days",
            "Expected reply by Wed 2026-11-25",
        ),
        (
            Locale::Ja,
            "：勤労感謝の日",
            "2営業日以内",
            "Wed 2026-11-25までに回答予定です。",
        ),
        (
            Locale::Vi,
            " — Ngày Cảm tạ Lao động",
            "hai ngày làm việc",
            "Phản hồi chậm nhất vào Wed 2026-11-25",
        ),
    ];
    for (locale, holiday, rule, expected) in cases {
        let html = render(View {
            locale,
            desk: Some("login"),
            desk_today: "2026-11-20",
            local_today: "2026-11-20",
            ..View::default()
        })
        .await;
        assert!(
            html.contains(&format!("lang=\"{}\"", locale.tag())),
            "{locale}"
        );
        assert!(html.contains("datetime=\"2026-11-25\""), "{locale}");
        assert!(
            html.contains(&format!(
                "<time datetime=\"2026-11-23\">11-23</time>{holiday}"
            )),
            "{locale}: {html}"
        );
        assert!(html.contains(rule), "{locale}: {html}");
        assert_eq!(text_in(&html, "deskform-reply-date"), expected, "{locale}");
    }
}

#[tokio::test]
async fn every_language_labels_the_whole_form() {
    let cases = [
        (
            Locale::En,
            [
                "Contact support",
                "Email",
                "Subject",
                "Message",
                "Send",
                "required",
            ],
        ),
        (
            Locale::Ja,
            [
                "サポートへのお問い合わせ",
                "メールアドレス",
                "件名",
                "お問い合わせ内容",
                "送信",
                "必須",
            ],
        ),
        (
            Locale::Vi,
            [
                "Liên hệ bộ phận hỗ trợ",
                "Email",
                "Tiêu đề",
                "Nội dung",
                "Gửi",
                "bắt buộc",
            ],
        ),
    ];
    for (locale, texts) in cases {
        let html = render(View {
            locale,
            ..View::default()
        })
        .await;
        for text in texts {
            assert!(html.contains(text), "{locale}: {text}");
        }
        for field in ["email", "name", "subject", "message"] {
            assert!(
                html.contains(&format!("<label for=\"df-{field}\">")),
                "{locale} {field}"
            );
        }
    }
}

#[tokio::test]
async fn the_submit_button_says_sending_is_not_set_up() {
    let html = render(View::default()).await;
    assert!(html.contains("aria-describedby=\"df-send-note\""));
    assert_eq!(
        text_of(&html, "df-send-note"),
        Some("Sending is not set up on this page yet: nothing you type leaves this browser.")
    );
    assert!(!html.to_lowercase().contains("ticket"));
}

#[tokio::test]
async fn a_config_url_shows_loading_not_the_built_in_desks() {
    let html = render(View {
        config_url: Some("/catalog.json"),
        ..View::default()
    })
    .await;
    assert!(html.contains("Loading the contact form…"));
    assert!(!html.contains("type=\"radio\""));
}

/// A web team's catalog: Friday and Saturday off, no national holidays, a closure, desks for
/// some plans only.
const GULF_CATALOG: &str = r#"{
  "version": 1,
  "plans": [
    { "id": "basic", "paid": false, "name": { "en": "Basic", "ja": "ベーシック" } },
    { "id": "pro", "paid": true, "name": { "en": "Pro" } },
    { "id": "team", "paid": true, "name": { "en": "Team" } }
  ],
  "desks": [
    { "id": "general", "available_to": "everyone", "reply_within_business_days": 2,
      "name": { "en": "General" }, "scope": { "en": "Anything." } },
    { "id": "billing", "available_to": ["pro", "team"], "reply_within_business_days": 1,
      "name": { "en": "Billing" }, "scope": { "en": "Invoices." } }
  ],
  "calendar": {
    "time_zone": "Asia/Dubai",
    "weekend": ["friday", "saturday"],
    "holidays": "none",
    "closures": [{ "from": "2026-12-02", "to": "2026-12-03", "name": { "en": "National Day", "ja": "ナショナルデー" } }]
  },
  "links": { "plans": "https://example.com/plans" }
}"#;

async fn render_form(locale: Locale, plan: Option<&str>, desk: &str, today: &str) -> String {
    render_catalog(GULF_CATALOG, locale, plan, desk, today, LockedDesks::Hide).await
}

/// The form over this catalog, with a visitor's draft for `desk`.
async fn render_catalog(
    catalog: &str,
    locale: Locale,
    plan: Option<&str>,
    desk: &str,
    today: &str,
    locked_desks: LockedDesks,
) -> String {
    use deskform::components::{ContactForm, ContactFormProps};
    let catalog = deskform_core::Catalog::from_json(catalog).unwrap();
    let viewer = catalog.viewer(plan).unwrap();
    let props = ContactFormProps {
        host: FixedHost::handle(today, today, Some(desk)),
        catalog: std::rc::Rc::new(catalog),
        viewer,
        identity: None,
        draft_owner: Default::default(),
        draft_ttl: Default::default(),
        submit_url: None,
        token: Default::default(),
        session_url: None,
        locale,
        id_prefix: "df".into(),
        prefill: None,
        locked_desks,
    };
    LocalServerRenderer::<ContactForm>::with_props(props)
        .hydratable(false)
        .render()
        .await
}

#[tokio::test]
async fn a_custom_calendar_states_its_own_rule_and_closures() {
    // Received Tuesday 1 December 2026: the 2nd and 3rd are closed, Friday and Saturday are
    // the weekend; Sunday the 6th is the first business day, Monday the 7th the second.
    let html = render_form(Locale::En, Some("basic"), "general", "2026-12-01").await;
    assert!(html.contains("datetime=\"2026-12-07\""), "{html}");
    assert!(html.contains(
        "Within 2 business days; Fridays, Saturdays and the desk's closure days excluded."
    ));
    assert!(html.contains("<time datetime=\"2026-12-02\">12-2</time> — National Day"));
    assert!(html.contains("<time datetime=\"2026-12-04\">12-4</time> — weekend"));
    let ja = render_form(Locale::Ja, Some("basic"), "general", "2026-12-01").await;
    assert!(
        ja.contains("2営業日以内（金曜日、土曜日、窓口の休業日を除く）。"),
        "{ja}"
    );
    assert!(ja.contains("</time>：ナショナルデー"), "{ja}");
}

#[tokio::test]
async fn a_desk_for_some_plans_names_them_and_links_to_the_plans() {
    let shown = |locale| {
        render_catalog(
            GULF_CATALOG,
            locale,
            Some("basic"),
            "general",
            "2026-12-01",
            SHOW,
        )
    };
    let html = shown(Locale::En).await;
    assert!(radio(&html, "billing").contains("disabled"));
    assert_eq!(
        text_of(&html, "df-desk-billing-lock"),
        Some("Available on the Pro and Team plans.")
    );
    assert!(html.contains("<a href=\"https://example.com/plans\">See the plans</a>"));
    // Japanese falls back to the catalog's default text where it has none of its own.
    let ja = shown(Locale::Ja).await;
    assert_eq!(
        text_of(&ja, "df-desk-billing-lock"),
        Some("Proプラン、Teamプランでご利用いただけます。")
    );
    let vi = shown(Locale::Vi).await;
    assert_eq!(
        text_in(&vi, "deskform-lock"),
        "Dành cho gói Pro và gói Team. Xem các gói"
    );
    let team = render_form(Locale::En, Some("team"), "billing", "2026-12-01").await;
    assert!(!radio(&team, "billing").contains("disabled"));
    assert!(
        team.contains("datetime=\"2026-12-06\""),
        "1 business day after the closure and the weekend"
    );
}

/// Desks for named plans may be closed to a viewer who already pays: the line says other
/// plans, not a paid one.
#[tokio::test]
async fn hidden_desks_for_some_plans_come_with_other_plans() {
    for (locale, line) in [
        (
            Locale::En,
            "More desks come with other plans. See the plans",
        ),
        (
            Locale::Ja,
            "ほかのプランでご利用いただける窓口もあります。プランを見る",
        ),
        (
            Locale::Vi,
            "Có thêm bộ phận dành cho các gói khác. Xem các gói",
        ),
    ] {
        let html = render_form(locale, Some("basic"), "general", "2026-12-01").await;
        assert!(!html.contains("df-desk-billing"), "{html}");
        assert!(!html.contains("Billing"), "{html}");
        assert_eq!(text_in(&html, "deskform-note deskform-more-desks"), line);
        assert!(html.contains("<a href=\"https://example.com/plans\">"));
    }
}

/// A catalog whose only desk needs signing in, and one whose only desk needs a paid plan.
fn closed_catalog(available_to: &str, links: &str) -> String {
    format!(
        r#"{{
  "version": 1,
  "plans": [
    {{ "id": "basic", "paid": false, "name": {{ "en": "Basic" }} }},
    {{ "id": "pro", "paid": true, "name": {{ "en": "Pro" }} }}
  ],
  "desks": [
    {{ "id": "members", "available_to": {available_to}, "reply_within_business_days": 2,
      "name": {{ "en": "Members" }}, "scope": {{ "en": "For members." }} }}
  ],
  "calendar": {{ "time_zone": "Asia/Tokyo", "weekend": ["saturday", "sunday"], "holidays": "none" }},
  "links": {links}
}}"#
    )
}

/// No desk left to choose: the form says so and how to get one, instead of an empty choice.
#[tokio::test]
async fn with_no_desk_left_the_form_says_so_and_how_to_get_one() {
    let cases = [
        (
            closed_catalog("\"signed_in\"", r#"{ "sign_in": "/login" }"#),
            None,
            "No desk is open to you here yet. Sign in to see every desk for your plan. Sign in",
            Some("<a href=\"/login\">Sign in</a>"),
        ),
        (
            closed_catalog("\"paid\"", "{}"),
            Some("basic"),
            "No desk is open to you here yet. More desks come with a paid plan.",
            None,
        ),
    ];
    for (catalog, plan, line, link) in cases {
        let html = render_catalog(
            &catalog,
            Locale::En,
            plan,
            "members",
            "2026-11-25",
            LockedDesks::Hide,
        )
        .await;
        assert!(!html.contains("type=\"radio\""), "{html}");
        assert_eq!(text_in(&html, "deskform-note deskform-more-desks"), line);
        match link {
            Some(link) => assert!(html.contains(link), "{html}"),
            None => assert!(!html.contains("<a "), "{html}"),
        }
        // Shown locked, the desk itself says why, as before.
        let shown = render_catalog(&catalog, Locale::En, plan, "members", "2026-11-25", SHOW).await;
        assert!(radio(&shown, "members").contains("disabled"), "{shown}");
        assert!(!shown.contains("more-desks"), "{shown}");
    }
    let ja = render_catalog(
        &closed_catalog("\"signed_in\"", r#"{ "sign_in": "/login" }"#),
        Locale::Ja,
        None,
        "members",
        "2026-11-25",
        LockedDesks::Hide,
    )
    .await;
    assert_eq!(
        text_in(&ja, "deskform-note deskform-more-desks"),
        "現在ご利用いただける窓口はありません。ご利用のプランの窓口をすべて表示するには、ログインしてください。ログイン"
    );
}

/// An identity token with these claims, as a team's backend signs it: the widget does not
/// check the signature, so any will do.
fn token(claims: &str) -> String {
    format!(
        "{}.{}.c2lnbmF0dXJl",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims)
    )
}

/// A token for a customer on `plan`, valid for an hour.
fn token_for(plan: &str) -> String {
    token(&format!(
        r#"{{"sub":"7","email":"bao@example.com","name":"Bảo","plan":"{plan}","iat":{},"exp":{}}}"#,
        NOW.0,
        NOW.0 + 3600
    ))
}

/// The start tag of the element with this id.
fn tag<'h>(html: &'h str, id: &str) -> &'h str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no {id} in {html}"));
    let start = html[..at].rfind('<').unwrap();
    &html[start..start + html[start..].find('>').unwrap()]
}

fn reported() -> Vec<String> {
    REPORTED.with(|r| r.borrow_mut().drain(..).collect())
}

#[tokio::test]
async fn a_tokens_claims_show_the_plans_desks_and_the_read_only_identity() {
    // The page's token is the identity: it outranks `plan`, and the session is not read for
    // it (no placeholder; its URL only renews the token).
    let html = render(View {
        plan: Some("free"),
        identity_token: Some(token_for("business")),
        session_url: Some("/api/session"),
        ..View::default()
    })
    .await;
    assert!(!html.contains("Loading"), "{html}");
    assert!(!radio(&html, "usage").contains("disabled"), "{html}");
    let email = tag(&html, "df-email");
    assert!(email.contains("readonly"), "{email}");
    assert!(email.contains("value=\"bao@example.com\""), "{email}");
    let name = tag(&html, "df-name");
    assert!(name.contains("readonly"), "{name}");
    assert!(name.contains("value=\"Bảo\""), "{name}");
    assert!(html.contains("From your account"), "{html}");
    assert!(
        !html.contains("c2lnbmF0dXJl"),
        "the token is not in the page"
    );
    assert_eq!(reported(), Vec::<String>::new());

    let free = render(View {
        plan: Some("business"),
        identity_token: Some(token_for("free")),
        ..View::default()
    })
    .await;
    assert!(!free.contains("df-desk-usage"), "{free}");
    assert!(tag(&free, "df-email").contains("readonly"));
}

#[tokio::test]
async fn a_token_that_cannot_be_read_is_the_signed_out_view_and_one_console_line() {
    for bad in [
        "not-a-token".to_owned(),
        "a.%%%.c".to_owned(),
        token("{}"),
        token(r#"{"email":"x@example.com","plan":"business"}"#),
    ] {
        // The page's `plan` never stands in for a token it cannot read: no paid desk.
        let html = render(View {
            plan: Some("business"),
            identity_token: Some(bad.clone()),
            ..View::default()
        })
        .await;
        assert!(!html.contains("df-desk-usage"), "{bad}: {html}");
        assert_eq!(
            text_of(&html, "df-more-desks"),
            Some("Sign in to see every desk for your plan."),
            "{bad}"
        );
        assert!(!tag(&html, "df-email").contains("readonly"), "{bad}");
        let reported = reported();
        assert_eq!(reported.len(), 1, "{bad}: {reported:?}");
        assert!(
            reported[0].starts_with("deskform: data-identity-token: the token"),
            "{reported:?}"
        );
        assert!(
            reported[0].ends_with("; showing the signed-out view"),
            "{reported:?}"
        );
        assert!(!reported[0].contains(&bad), "never the token itself");
    }
}

#[tokio::test]
async fn a_token_for_a_plan_the_catalog_does_not_know_is_the_signed_out_view() {
    let html = render(View {
        identity_token: Some(token_for("platinum")),
        locked_desks: SHOW,
        ..View::default()
    })
    .await;
    assert!(radio(&html, "usage").contains("disabled"), "{html}");
    assert_eq!(
        text_of(&html, "df-desk-usage-lock"),
        Some("Sign in to use this desk.")
    );
    // Not signed in as anyone: the fields are the visitor's to fill.
    assert!(!tag(&html, "df-email").contains("readonly"), "{html}");
    assert!(!html.contains("bao@example.com"), "{html}");
}

#[tokio::test]
async fn while_the_session_loads_a_placeholder_shows_not_the_signed_out_view() {
    let html = render(View {
        session_url: Some("/api/session"),
        ..View::default()
    })
    .await;
    assert!(html.contains("Loading the contact form"), "{html}");
    assert!(!html.contains("df-desk-login"), "{html}");
}

#[tokio::test]
async fn a_page_with_a_receiver_does_not_say_sending_is_not_set_up() {
    let without = render(View::default()).await;
    assert!(without.contains("Sending is not set up"), "{without}");
    let with = render(View {
        submit_url: Some("/api/inquiries"),
        ..View::default()
    })
    .await;
    assert!(!with.contains("Sending is not set up"), "{with}");
    assert!(with.contains(">Send<"), "{with}");
}

/// The form of a signed-in Business customer (`email`) over these stored drafts.
async fn render_signed_in(email: &str, drafts: &Drafts, prefill: Option<Prefill>) -> String {
    use deskform::components::{ContactForm, ContactFormProps};
    use deskform::draft::DraftOwner;
    use deskform::state::Identity;
    let catalog = deskform_core::Catalog::builtin().clone();
    let props = ContactFormProps {
        host: HostHandle::new(FixedHost::with_drafts(
            "2026-11-25",
            "2026-11-25",
            drafts.clone(),
        )),
        viewer: catalog.viewer(Some("business")).unwrap(),
        catalog: std::rc::Rc::new(catalog),
        identity: Some(Identity {
            name: "Business customer".into(),
            email: email.into(),
        }),
        draft_owner: DraftOwner::Account {
            email: email.into(),
        },
        draft_ttl: Default::default(),
        submit_url: Some("/api/inquiries".into()),
        token: Default::default(),
        session_url: None,
        locale: Locale::En,
        id_prefix: "df".into(),
        prefill: prefill.map(Rc::new),
        locked_desks: LockedDesks::Hide,
    };
    LocalServerRenderer::<ContactForm>::with_props(props)
        .hydratable(false)
        .render()
        .await
}

/// Stores what `email`'s form would save for a draft to the usage desk with this message.
fn store_account_draft(drafts: &Drafts, email: &str, message: &str) {
    use deskform::draft::{Draft, DraftOwner, DraftStore};
    let host = FixedHost::with_drafts("2026-11-25", "2026-11-25", drafts.clone());
    let owner = DraftOwner::Account {
        email: email.into(),
    };
    let draft = Draft {
        desk: Some("usage".into()),
        fields: deskform_core::InquiryFields {
            email: email.into(),
            name: "Business customer".into(),
            message: message.into(),
            ..Default::default()
        },
        ..Default::default()
    };
    DraftStore::new(&host, &owner, Default::default()).save(&host, &draft, NOW);
}

#[tokio::test]
async fn a_signed_in_customer_writes_as_their_account() {
    let drafts: Drafts = Default::default();
    store_account_draft(&drafts, "business.customer@example.com", "My export fails");
    let stored = drafts.borrow()[DraftSlot::Account as usize]
        .clone()
        .unwrap();
    assert!(!stored.contains("example.com"), "{stored}");
    assert!(!stored.contains("Business customer"), "{stored}");

    let html = render_signed_in("business.customer@example.com", &drafts, None).await;
    let tag = |id: &str| {
        let at = html.find(&format!("id=\"df-{id}\"")).unwrap();
        let start = html[..at].rfind('<').unwrap();
        html[start..start + html[start..].find('>').unwrap()].to_owned()
    };
    let email = tag("email");
    assert!(email.contains("readonly"), "{email}");
    assert!(
        email.contains("value=\"business.customer@example.com\""),
        "{email}"
    );
    assert!(tag("name").contains("readonly"));
    assert!(!tag("subject").contains("readonly"));
    assert!(html.contains("From your account"), "{html}");
    // Their own draft comes back.
    assert!(radio(&html, "usage").contains("checked"), "{html}");
    assert!(html.contains("My export fails"), "{html}");
}

#[tokio::test]
async fn another_accounts_draft_is_not_shown_and_is_removed() {
    let drafts: Drafts = Default::default();
    store_account_draft(
        &drafts,
        "personal.customer@example.com",
        "Someone else's words",
    );
    let html = render_signed_in("business.customer@example.com", &drafts, None).await;
    assert!(!html.contains("Someone else"), "{html}");
    assert!(!radio(&html, "usage").contains("checked"), "{html}");
    assert_eq!(*drafts.borrow(), [None, None]);
}

#[tokio::test]
async fn the_signed_out_visitors_draft_is_not_shown_to_an_account_but_kept() {
    let visitor = r#"{"saved_at":1795608000,"desk":"usage","email":"visitor@example.com","message":"Typed signed out"}"#;
    let drafts: Drafts = Rc::new(RefCell::new([Some(visitor.into()), None]));
    let html = render_signed_in("business.customer@example.com", &drafts, None).await;
    assert!(!html.contains("Typed signed out"), "{html}");
    assert!(!html.contains("visitor@example.com"), "{html}");
    assert!(!radio(&html, "usage").contains("checked"), "{html}");
    assert_eq!(*drafts.borrow(), [Some(visitor.to_owned()), None]);
}

#[tokio::test]
async fn signed_out_an_accounts_draft_is_not_shown_and_is_removed() {
    let drafts: Drafts = Default::default();
    store_account_draft(&drafts, "business.customer@example.com", "My export fails");
    let props = AppProps {
        host: HostHandle::new(FixedHost::with_drafts(
            "2026-11-25",
            "2026-11-25",
            drafts.clone(),
        )),
        locale: Locale::En,
        plan: None,
        identity_token: None,
        identity_token_name: "identity-token".into(),
        session_url: None,
        submit_url: None,
        config_url: None,
        draft_ttl: Default::default(),
        locked_desks: LockedDesks::Hide,
        id_prefix: "df".into(),
        theme: Theme::Light,
        prefill: None,
    };
    let html = LocalServerRenderer::<App>::with_props(props)
        .hydratable(false)
        .render()
        .await;
    assert!(
        html.contains("df-desk-login"),
        "the signed-out form: {html}"
    );
    assert!(!html.contains("My export fails"), "{html}");
    assert_eq!(*drafts.borrow(), [None, None]);
}

/// What a visitor reads in one language: the line on more desks (signed out), the desks' lines
/// and the lock (signed out, desks shown locked), then the reply date, the rule and the desk's
/// day for a Business customer in Auckland on Monday morning, still Sunday in Tokyo.
async fn read_aloud(locale: Locale) -> Vec<String> {
    let hidden = render(View {
        locale,
        ..View::default()
    })
    .await;
    let signed_out = render(View {
        locale,
        locked_desks: SHOW,
        ..View::default()
    })
    .await;
    let auckland = render(View {
        locale,
        plan: Some("business"),
        desk: Some("usage"),
        desk_today: "2026-11-29",
        local_today: "2026-11-30",
        ..View::default()
    })
    .await;
    let desk = |id: &str| {
        let at = signed_out.find(&format!("id=\"df-desk-{id}\"")).unwrap();
        text_in(&signed_out[at..], "deskform-desk-time")
    };
    vec![
        text_in(&hidden, "deskform-note deskform-more-desks"),
        desk("login"),
        desk("usage"),
        text_in(&signed_out, "deskform-lock"),
        text_in(&auckland, "deskform-reply-date"),
        text_in(&auckland, "deskform-rule"),
        text_in(&auckland, "deskform-desk-day"),
    ]
}

/// The sent notice and the retry notices are not reachable on the server renderer; the i18n
/// unit tests assert them.
#[tokio::test]
async fn japanese_reads_as_a_native_writes_it() {
    assert_eq!(
        read_aloud(Locale::Ja).await,
        [
            "ご利用のプランの窓口をすべて表示するには、ログインしてください。ログイン",
            "2営業日以内に回答",
            "1営業日以内に回答",
            "この窓口を利用するにはログインしてください。ログイン",
            "Mon 2026-11-30までに回答予定です。",
            "1営業日以内（土日、日本の祝日を除く）。",
            "サポート窓口（zone Asia/Tokyo）ではまだSun 2026-11-29のため、お問い合わせはこの日の受付となります。",
        ]
    );
}

#[tokio::test]
async fn vietnamese_reads_as_the_notice_writes_it() {
    assert_eq!(
        read_aloud(Locale::Vi).await,
        [
            "Hãy đăng nhập để xem mọi bộ phận dành cho gói của bạn. Đăng nhập",
            "Thời gian phản hồi: tối đa hai ngày làm việc",
            "Thời gian phản hồi: tối đa một ngày làm việc",
            "Hãy đăng nhập để dùng bộ phận này. Đăng nhập",
            "Phản hồi chậm nhất vào Mon 2026-11-30",
            "Tối đa một ngày làm việc, không tính cuối tuần và ngày lễ của Nhật Bản.",
            "Ở bộ phận hỗ trợ (zone Asia/Tokyo) vẫn còn là Sun 2026-11-29, nên yêu cầu của bạn được tính là nhận vào ngày đó.",
        ]
    );
    let html = render(View {
        locale: Locale::Vi,
        locked_desks: SHOW,
        ..View::default()
    })
    .await;
    assert!(html.contains("<label for=\"df-desk-login\">Thắc mắc về đăng nhập</label>"));
    assert!(html.contains("<label for=\"df-desk-usage\">Thắc mắc về sử dụng/chức năng</label>"));
}

#[derive(yew::Properties, PartialEq)]
struct NoticeProps {
    locale: Locale,
    refusal: deskform::state::Refusal,
}

/// The refusal as the form's status line shows it.
#[yew::component]
fn Notice(props: &NoticeProps) -> yew::Html {
    let catalog = deskform_core::Catalog::builtin();
    yew::html! {
        <p class="notice">{ deskform::components::refusal_notice(catalog, props.locale, &props.refusal) }</p>
    }
}

async fn refusal_text(locale: Locale, refusal: deskform::state::Refusal) -> String {
    let html = LocalServerRenderer::<Notice>::with_props(NoticeProps { locale, refusal })
        .hydratable(false)
        .render()
        .await;
    text_in(&html, "notice")
}

/// Every refusal a receiver answers, in every language: the widget's own sentences, never the
/// receiver's English message (a refusal the widget does not know shows only its status).
#[tokio::test]
async fn every_refusal_is_said_in_the_visitors_language() {
    use deskform::state::Refusal;
    use deskform_core::LockReason;
    let cases: [(Refusal, [&str; 3]); 12] = [
        (
            Refusal::Malformed,
            [
                "The support desk could not read the inquiry. Please reload the page and send it again. Your text is kept.",
                "サポート窓口でお問い合わせを読み取れませんでした。ページを再読み込みして、もう一度送信してください。入力内容は保持されています。",
                "Bộ phận hỗ trợ không đọc được yêu cầu. Vui lòng tải lại trang và gửi lại. Nội dung bạn nhập vẫn được giữ.",
            ],
        ),
        (
            Refusal::Locked(LockReason::SignInNeeded),
            [
                "The support desk did not accept this desk for your account. Sign in to use this desk. Sign in",
                "お客様のアカウントでは、この窓口にお問い合わせいただけません。この窓口を利用するにはログインしてください。ログイン",
                "Tài khoản của bạn không thể gửi yêu cầu đến bộ phận này. Hãy đăng nhập để dùng bộ phận này. Đăng nhập",
            ],
        ),
        (
            Refusal::NotFound,
            [
                "Not sent: the support desk's address on this page was not found. Your text is kept. Please try again later.",
                "このページに設定されたサポート窓口の送信先が見つからないため、送信されていません。入力内容は保持されています。しばらくしてからもう一度お試しください。",
                "Chưa gửi được: không tìm thấy địa chỉ của bộ phận hỗ trợ trên trang này. Nội dung bạn nhập vẫn được giữ. Vui lòng thử lại sau.",
            ],
        ),
        (
            Refusal::KeyConflict,
            [
                "The support desk already has a different inquiry from this form. Press Send to send this one as a new inquiry. Your text is kept.",
                "このフォームからは別のお問い合わせがすでに届いています。新しいお問い合わせとして送るには、もう一度送信してください。入力内容は保持されています。",
                "Bộ phận hỗ trợ đã nhận một yêu cầu khác từ biểu mẫu này. Hãy nhấn Gửi để gửi yêu cầu này như một yêu cầu mới. Nội dung bạn nhập vẫn được giữ.",
            ],
        ),
        (
            Refusal::TooLarge,
            [
                "The inquiry is too large to send. Please shorten the message.",
                "お問い合わせが大きすぎて送信できません。お問い合わせ内容を短くしてください。",
                "Yêu cầu quá lớn để gửi. Vui lòng rút gọn nội dung.",
            ],
        ),
        (
            Refusal::UnsupportedMediaType,
            [
                "The support desk did not accept the format this page sends. Please reload the page and send again. Your text is kept.",
                "このページが送る形式をサポート窓口が受け付けませんでした。ページを再読み込みして、もう一度送信してください。入力内容は保持されています。",
                "Bộ phận hỗ trợ không chấp nhận định dạng mà trang này gửi. Vui lòng tải lại trang và gửi lại. Nội dung bạn nhập vẫn được giữ.",
            ],
        ),
        (
            Refusal::Fields {
                at_fields: 2,
                elsewhere: false,
            },
            [
                "Please correct 2 fields.",
                "2件の項目を修正してください。",
                "Vui lòng sửa 2 mục.",
            ],
        ),
        (
            Refusal::Fields {
                at_fields: 1,
                elsewhere: true,
            },
            [
                "Please correct 1 field. The support desk did not accept some details this page sends. Please reload the page and send again. Your text is kept.",
                "1件の項目を修正してください。このページが送る情報の一部をサポート窓口が受け付けませんでした。ページを再読み込みして、もう一度送信してください。入力内容は保持されています。",
                "Vui lòng sửa 1 mục. Bộ phận hỗ trợ không chấp nhận một số thông tin mà trang này gửi. Vui lòng tải lại trang và gửi lại. Nội dung bạn nhập vẫn được giữ.",
            ],
        ),
        (
            Refusal::Fields {
                at_fields: 0,
                elsewhere: true,
            },
            [
                "The support desk did not accept some details this page sends. Please reload the page and send again. Your text is kept.",
                "このページが送る情報の一部をサポート窓口が受け付けませんでした。ページを再読み込みして、もう一度送信してください。入力内容は保持されています。",
                "Bộ phận hỗ trợ không chấp nhận một số thông tin mà trang này gửi. Vui lòng tải lại trang và gửi lại. Nội dung bạn nhập vẫn được giữ.",
            ],
        ),
        (
            Refusal::RateLimited { minutes: 1 },
            [
                "Too many messages were sent from here. Please try again in 1 minute. Your text is kept.",
                "送信回数が多すぎます。1分後にもう一度お試しください。入力内容は保持されています。",
                "Bạn đã gửi quá nhiều tin nhắn. Vui lòng thử lại sau 1 phút. Nội dung bạn nhập vẫn được giữ.",
            ],
        ),
        (
            Refusal::RateLimited { minutes: 3 },
            [
                "Too many messages were sent from here. Please try again in 3 minutes. Your text is kept.",
                "送信回数が多すぎます。3分後にもう一度お試しください。入力内容は保持されています。",
                "Bạn đã gửi quá nhiều tin nhắn. Vui lòng thử lại sau 3 phút. Nội dung bạn nhập vẫn được giữ.",
            ],
        ),
        (
            Refusal::Other { status: 451 },
            [
                "The support desk did not accept the inquiry (HTTP 451). Your text is kept.",
                "サポート窓口はお問い合わせを受け付けませんでした（HTTP 451）。入力内容は保持されています。",
                "Bộ phận hỗ trợ không nhận yêu cầu (HTTP 451). Nội dung bạn nhập vẫn được giữ.",
            ],
        ),
    ];
    for (refusal, expected) in cases {
        for (locale, expected) in [Locale::En, Locale::Ja, Locale::Vi]
            .into_iter()
            .zip(expected)
        {
            assert_eq!(
                refusal_text(locale, refusal.clone()).await,
                expected,
                "{locale} {refusal:?}"
            );
        }
    }
}

/// The honeypot: in the form for robots, off-screen and hidden from assistive technology for
/// people, and never reached with the Tab key.
#[tokio::test]
async fn the_honeypot_is_hidden_from_people_and_the_tab_key() {
    for (locale, label) in [
        (Locale::En, "Leave this field empty"),
        (Locale::Ja, "この欄は空欄のままにしてください"),
        (Locale::Vi, "Để trống mục này"),
    ] {
        let html = render(View {
            locale,
            submit_url: Some("/api/inquiries"),
            ..View::default()
        })
        .await;
        let wrapper = html
            .find("<div aria-hidden=\"true\" class=\"deskform-hp\">")
            .unwrap_or_else(|| panic!("no hidden honeypot in {html}"));
        let inside = &html[wrapper..wrapper + html[wrapper..].find("</div>").unwrap()];
        assert!(
            inside.contains(&format!("<label for=\"df-website\">{label}</label>")),
            "{inside}"
        );
        let input = &inside[inside.find("<input").unwrap()..];
        for attribute in [
            "type=\"text\"",
            "id=\"df-website\"",
            "name=\"website\"",
            "tabindex=\"-1\"",
            "autocomplete=\"off\"",
        ] {
            assert!(input.contains(attribute), "{attribute} in {input}");
        }
        assert!(!input.contains("value="), "{input}");
        // No other control is taken out of the tab order.
        assert_eq!(html.matches("tabindex=\"-1\"").count(), 1, "{html}");
    }
}

#[tokio::test]
async fn the_theme_is_written_on_the_root_and_the_main_pieces_have_parts() {
    for theme in [Theme::Light, Theme::Dark, Theme::Auto] {
        let html = render(View {
            theme,
            ..View::default()
        })
        .await;
        let root = format!("<section part=\"root\" data-theme=\"{}\"", theme.as_str());
        assert!(html.starts_with(&root), "{html}");
    }
    let html = render(View::default()).await;
    for part in [
        "form",
        "desks",
        "desk",
        "field",
        "input",
        "submit",
        "reply-date",
        "status",
        "title",
    ] {
        assert!(html.contains(&format!("part=\"{part}\"")), "no part {part}");
    }
    // Nothing the stylesheet cannot reach under a strict policy (`style-src 'self'`).
    assert!(!html.contains("style="), "{html}");
    assert!(!html.contains("<style"), "{html}");
}

#[tokio::test]
async fn a_prefill_fills_a_new_form_but_not_a_locked_desk_nor_over_a_draft() {
    let prefill = |desk: &str| Prefill {
        desk: Some(desk.into()),
        fields: deskform_core::InquiryFields {
            email: "page@example.com".into(),
            subject: "Order 1234".into(),
            ..Default::default()
        },
    };
    let html = render(View {
        plan: Some("business"),
        prefill: Some(prefill("usage")),
        ..View::default()
    })
    .await;
    assert!(radio(&html, "usage").contains("checked"), "{html}");
    assert!(html.contains("value=\"Order 1234\""), "{html}");
    assert!(html.contains("value=\"page@example.com\""), "{html}");

    // Signed out, usage is not the viewer's: the desk is ignored (hidden, or shown locked and
    // not chosen), the text is kept.
    let html = render(View {
        prefill: Some(prefill("usage")),
        ..View::default()
    })
    .await;
    assert!(!html.contains("df-desk-usage"), "{html}");
    assert!(html.contains("value=\"Order 1234\""), "{html}");
    let html = render(View {
        prefill: Some(prefill("usage")),
        locked_desks: SHOW,
        ..View::default()
    })
    .await;
    assert!(!radio(&html, "usage").contains("checked"), "{html}");
    assert!(html.contains("value=\"Order 1234\""), "{html}");

    // A stored draft is the customer's: the page's prefill does not replace it.
    let html = render(View {
        plan: Some("business"),
        desk: Some("login"),
        draft_text: Some(r#"{"saved_at":1795608000,"desk":"login","subject":"Mine"}"#),
        prefill: Some(prefill("usage")),
        ..View::default()
    })
    .await;
    assert!(radio(&html, "login").contains("checked"), "{html}");
    assert!(html.contains("value=\"Mine\""), "{html}");
    assert!(!html.contains("Order 1234"), "{html}");
}

#[tokio::test]
async fn a_prefill_never_replaces_a_signed_in_identity() {
    let drafts: Drafts = Default::default();
    let prefill = Prefill {
        desk: Some("usage".into()),
        fields: deskform_core::InquiryFields {
            email: "page@example.com".into(),
            name: "Page".into(),
            subject: "Export".into(),
            ..Default::default()
        },
    };
    let html = render_signed_in("business.customer@example.com", &drafts, Some(prefill)).await;
    assert!(
        html.contains("value=\"business.customer@example.com\""),
        "{html}"
    );
    assert!(!html.contains("page@example.com"), "{html}");
    assert!(!html.contains("value=\"Page\""), "{html}");
    assert!(html.contains("value=\"Export\""), "{html}");
    assert!(radio(&html, "usage").contains("checked"), "{html}");
}
