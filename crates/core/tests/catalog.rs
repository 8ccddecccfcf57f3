//! The catalog: the built-in policy, desks per viewer, and every way a hand-written file fails.

use deskform_core::{
    Audience, Availability, Catalog, HolidaySet, Locale, LockReason, PlanStatus, Viewer,
    BUILTIN_CATALOG_JSON,
};

fn offers(catalog: &Catalog, plan: Option<&str>) -> Vec<(String, Availability)> {
    let viewer = catalog.viewer(plan).unwrap();
    catalog
        .desks_for(&viewer)
        .into_iter()
        .map(|o| (o.desk.id.to_string(), o.availability))
        .collect()
}

#[test]
fn builtin_catalog_is_the_policy() {
    let catalog = Catalog::builtin();
    let ids: Vec<&str> = catalog.plans().iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["free", "personal", "business", "enterprise"]);
    let paid: Vec<bool> = catalog.plans().iter().map(|p| p.is_paid()).collect();
    assert_eq!(paid, [false, true, true, true]);
    assert_eq!(catalog.plan("personal").unwrap().status, PlanStatus::Legacy);
    assert_eq!(catalog.plan("business").unwrap().status, PlanStatus::Open);

    let login = catalog.desk("login").unwrap();
    assert_eq!(login.audience, Audience::Everyone);
    assert_eq!(login.reply_within.get(), 2);
    let usage = catalog.desk("usage").unwrap();
    assert_eq!(usage.audience, Audience::PaidPlans);
    assert_eq!(usage.reply_within.get(), 1);
    for desk in catalog.desks() {
        for locale in Locale::ALL {
            assert!(
                desk.name.exact(locale).is_some(),
                "{} name in {locale}",
                desk.id
            );
            assert!(
                desk.scope.exact(locale).is_some(),
                "{} scope in {locale}",
                desk.id
            );
        }
    }
    assert_eq!(catalog.calendar().time_zone(), "Asia/Tokyo");
    assert_eq!(catalog.calendar().holiday_set(), HolidaySet::Jp);
    assert!(catalog.links().sign_in.is_some() && catalog.links().plans.is_some());
}

/// The customer notice's own Vietnamese: Business is "Kinh doanh" and Enterprise "Doanh
/// nghiệp", never one plan under the other's name.
#[test]
fn builtin_vietnamese_names_are_the_notices() {
    let catalog = Catalog::builtin();
    let plans: Vec<&str> = catalog
        .plans()
        .iter()
        .map(|p| p.name.get(Locale::Vi))
        .collect();
    assert_eq!(
        plans,
        [
            "Gói Miễn phí",
            "Gói Cá nhân",
            "Gói Kinh doanh",
            "Gói Doanh nghiệp"
        ]
    );
    let desks: Vec<&str> = catalog
        .desks()
        .iter()
        .map(|d| d.name.get(Locale::Vi))
        .collect();
    assert_eq!(
        desks,
        ["Thắc mắc về đăng nhập", "Thắc mắc về sử dụng/chức năng"]
    );
}

#[test]
fn desks_per_viewer() {
    use Availability::*;
    let catalog = Catalog::builtin();
    let table: [(Option<&str>, [Availability; 2]); 6] = [
        (None, [Available, Locked(LockReason::SignInNeeded)]),
        (Some(""), [Available, Locked(LockReason::SignInNeeded)]),
        (
            Some("free"),
            [Available, Locked(LockReason::PaidPlanNeeded)],
        ),
        (Some("personal"), [Available, Available]),
        (Some("business"), [Available, Available]),
        (Some("enterprise"), [Available, Available]),
    ];
    for (plan, expected) in table {
        let got = offers(catalog, plan);
        let ids: Vec<&str> = got.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["login", "usage"], "catalog order for {plan:?}");
        let availability: Vec<Availability> = got.into_iter().map(|(_, a)| a).collect();
        assert_eq!(availability, expected, "plan {plan:?}");
    }
}

#[test]
fn unknown_plan_lists_the_valid_ones_and_unlocks_nothing() {
    let catalog = Catalog::builtin();
    let err = catalog.viewer(Some("gold")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown plan \"gold\"; valid plans: free, personal, business, enterprise"
    );
    // A viewer built by hand with a plan the catalog lacks is treated as signed out.
    let forged = Viewer::SignedIn {
        plan: "gold".parse().unwrap(),
    };
    let offers = catalog.desks_for(&forged);
    assert_eq!(
        offers[1].availability,
        Availability::Locked(LockReason::SignInNeeded)
    );
    assert!(!catalog
        .desk("usage")
        .unwrap()
        .admits(catalog, Some(&"gold".parse().unwrap())));
    assert!(!catalog.desk("usage").unwrap().admits(catalog, None));
    assert!(catalog
        .desk("usage")
        .unwrap()
        .admits(catalog, Some(&"personal".parse().unwrap())));
}

const CUSTOM: &str = r#"{
  "version": 1,
  "default_locale": "ja",
  "plans": [
    {"id": "basic", "paid": false, "name": {"ja": "ベーシック"}},
    {"id": "pro", "paid": true, "name": {"ja": "プロ", "en": "Pro"}},
    {"id": "max", "paid": true, "name": {"ja": "マックス"}}
  ],
  "desks": [
    {"id": "billing", "available_to": "signed_in", "reply_within_business_days": 3,
     "name": {"ja": "請求"}, "scope": {"ja": "請求書と支払い"}},
    {"id": "priority", "available_to": ["max"], "reply_within_business_days": 1,
     "name": {"ja": "優先サポート", "en": "Priority"}, "scope": {"ja": "すべてのご質問"}}
  ],
  "calendar": {
    "time_zone": "Asia/Ho_Chi_Minh",
    "weekend": ["sunday"],
    "holidays": "none",
    "closures": [
      {"from": "12-29", "to": "01-03", "name": {"ja": "年末年始休業", "en": "Year-end closure"}},
      {"from": "2027-02-15", "to": "2027-02-19", "name": {"ja": "テト休業"}}
    ],
    "extra_working_days": ["2027-01-10"]
  }
}"#;

#[test]
fn a_custom_catalog_with_its_own_plans_and_audiences() {
    use Availability::*;
    let catalog = Catalog::from_json(CUSTOM).unwrap();
    assert_eq!(catalog.default_locale(), Locale::Ja);
    let desk = catalog.desk("priority").unwrap();
    assert_eq!(
        desk.name.get(Locale::Vi),
        "優先サポート",
        "falls back to ja"
    );
    assert_eq!(desk.name.get(Locale::En), "Priority");
    assert_eq!(
        offers(&catalog, None),
        [
            ("billing".into(), Locked(LockReason::SignInNeeded)),
            ("priority".into(), Locked(LockReason::SignInNeeded)),
        ]
    );
    assert_eq!(
        offers(&catalog, Some("pro")),
        [
            ("billing".into(), Available),
            (
                "priority".into(),
                Locked(LockReason::PlanNeeded(vec!["max".parse().unwrap()]))
            ),
        ]
    );
    assert_eq!(offers(&catalog, Some("max"))[1].1, Available);
    assert!(catalog.links().sign_in.is_none());
}

/// The problems reported for a catalog, as `line:column path: message` lines.
fn problems(json: &str) -> Vec<String> {
    let err = Catalog::from_json(json).expect_err("catalog should be rejected");
    assert!(!err.problems.is_empty());
    err.problems.iter().map(ToString::to_string).collect()
}

/// The built-in catalog with `from` replaced by `to` (exactly once).
fn builtin_with(from: &str, to: &str) -> String {
    assert_eq!(BUILTIN_CATALOG_JSON.matches(from).count(), 1, "{from}");
    BUILTIN_CATALOG_JSON.replace(from, to)
}

fn assert_one_problem(json: &str, expected: &str) {
    let found = problems(json);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0], expected);
}

#[test]
fn rejects_an_unknown_field_with_a_hint() {
    // An unknown field stops reading (serde), so the missing field it was meant to be is not
    // reported as well.
    assert_eq!(
        problems(&builtin_with("\"reply_within_business_days\": 1", "\"reply_within\": 1")),
        ["46:7: $.desks[1].reply_within: unknown field; did you mean `reply_within_business_days`? \
          expected one of `id`, `name`, `scope`, `available_to`, `reply_within_business_days`"]
    );
    assert_one_problem(
        &builtin_with("\"ja\": \"使い方・設定\"", "\"jp\": \"使い方・設定\""),
        "49:9: $.desks[1].name.jp: unknown field; did you mean `ja`? expected one of `en`, `ja`, `vi`",
    );
}

#[test]
fn rejects_duplicate_desk_ids() {
    assert_one_problem(
        &builtin_with("\"id\": \"usage\"", "\"id\": \"login\""),
        "44:13: $.desks[1].id: duplicate desk id `login`",
    );
}

#[test]
fn rejects_a_desk_naming_an_unknown_plan() {
    assert_one_problem(
        &builtin_with(
            "\"available_to\": \"paid\"",
            "\"available_to\": [\"business\", \"gold\"]",
        ),
        "45:36: $.desks[1].available_to[1]: unknown plan `gold`; the catalog's plans are \
         `free`, `personal`, `business`, `enterprise`",
    );
}

#[test]
fn rejects_reply_times_outside_one_to_sixty() {
    // Numbers are shown as written: "2.0" and "1e0" are not whole numbers of days here.
    for (days, shown) in [
        ("0", "0"),
        ("61", "61"),
        ("1.5", "1.5"),
        ("-1", "-1"),
        ("2.0", "2.0"),
        ("1e0", "1e0"),
        ("99999999999999999999", "99999999999999999999"),
    ] {
        assert_one_problem(
            &builtin_with(
                "\"reply_within_business_days\": 1",
                &format!("\"reply_within_business_days\": {days}"),
            ),
            &format!(
                "46:37: $.desks[1].reply_within_business_days: expected a whole number of \
                 business days from 1 to 60, found {shown}"
            ),
        );
    }
    assert_one_problem(
        &builtin_with(
            "\"reply_within_business_days\": 1",
            "\"reply_within_business_days\": \"1\"",
        ),
        "46:37: $.desks[1].reply_within_business_days: expected a whole number of business \
         days, found a string",
    );
}

#[test]
fn rejects_invalid_dates() {
    let json = builtin_with(
        "\"holidays\": \"jp\"",
        "\"holidays\": \"jp\",\n    \"closures\": [{\"from\": \"2026-02-30\", \"name\": {\"en\": \"x\"}},\n      \
         {\"from\": \"2026-12-29\", \"to\": \"2026-12-01\", \"name\": {\"en\": \"y\"}},\n      \
         {\"from\": \"12-29\", \"to\": \"2027-01-03\", \"name\": {\"en\": \"z\"}}],\n    \
         \"extra_working_days\": [\"2026-13-01\", \"26-01-01\"]",
    );
    assert_eq!(
        problems(&json),
        [
            "63:27: $.calendar.closures[0].from: 2026-02 has no day 30 (or MM-DD for every year)",
            "64:36: $.calendar.closures[1].to: ends before it starts (2026-12-29)",
            "65:16: $.calendar.closures[2]: `from` and `to` must both be dates (YYYY-MM-DD) or \
             both month-days (MM-DD)",
            "66:28: $.calendar.extra_working_days[0]: month 13 is outside 1..=12",
            "66:42: $.calendar.extra_working_days[1]: expected a date as YYYY-MM-DD",
        ]
    );
}

#[test]
fn rejects_an_empty_desk_list() {
    let start = BUILTIN_CATALOG_JSON.find("\"desks\": [").unwrap() + "\"desks\": ".len();
    let end = BUILTIN_CATALOG_JSON.find("\"calendar\"").unwrap();
    let json = format!(
        "{}[],\n  {}",
        &BUILTIN_CATALOG_JSON[..start],
        &BUILTIN_CATALOG_JSON[end..]
    );
    assert_one_problem(&json, "27:12: $.desks: at least one desk is needed");
}

#[test]
fn rejects_a_desk_without_text_in_the_default_locale() {
    assert_one_problem(
        &builtin_with("\"en\": \"Using the product\",\n", ""),
        "47:15: $.desks[1].name.en: missing text for the catalog's default locale `en`",
    );
    // The same catalog read with Japanese as its default is fine: every desk has ja text.
    let ja = builtin_with("\"default_locale\": \"en\"", "\"default_locale\": \"ja\"")
        .replace("\"en\": \"Using the product\",\n", "");
    assert!(Catalog::from_json(&ja).is_ok());
}

#[test]
fn reports_every_problem_at_once_in_document_order() {
    let json = r#"{"version": 2, "plans": [{"id": "Free!", "paid": true, "name": {"en": ""}}],
 "desks": [{"id": "a", "available_to": "nobody", "reply_within_business_days": 0,
            "name": {"ja": "x"}, "scope": {"en": "y"}}],
 "calendar": {"time_zone": "Tokyo time", "weekend": ["monday", "monday"], "holidays": "us"},
 "links": {"sign_in": "javascript:alert(1)"}}"#;
    assert_eq!(
        problems(json),
        [
            "1:13: $.version: unsupported version; this deskform reads catalogs of version 1",
            "1:33: $.plans[0].id: invalid id \"Free!\": use 1 to 32 of a-z, 0-9, `-` and `_`, \
             starting with a letter or digit",
            "1:71: $.plans[0].name.en: text may not be empty",
            "2:40: $.desks[0].available_to: unknown audience \"nobody\"; expected `everyone`, \
             `signed_in`, `paid` or an array of plan ids",
            "2:80: $.desks[0].reply_within_business_days: expected a whole number of business \
             days from 1 to 60, found 0",
            "3:21: $.desks[0].name.en: missing text for the catalog's default locale `en`",
            "4:28: $.calendar.time_zone: \"Tokyo time\" is not an IANA time zone name such as \
             \"Asia/Tokyo\"",
            "4:64: $.calendar.weekend[1]: `monday` is listed twice",
            "4:87: $.calendar.holidays: unknown holiday set \"us\"; expected `jp` or `none`",
            "5:23: $.links.sign_in: \"javascript:alert(1)\" is not a link: use https://… or a \
             path starting with /",
        ]
    );
}

#[test]
fn a_wrong_json_type_or_an_unknown_field_stops_reading_where_it_is() {
    // The same problems, with a string for a boolean and an unknown language: serde stops at
    // the first of these, and the value problems before it are not reported.
    let json = r#"{"version": 2, "plans": [{"id": "Free!", "paid": "no", "name": {"en": ""}}],
 "desks": [{"id": "a", "available_to": "nobody", "reply_within_business_days": 0,
            "name": {"fr": "x"}, "scope": {"en": "y"}}]}"#;
    assert_one_problem(
        json,
        "1:50: $.plans[0].paid: expected true or false, found a string",
    );
    assert_one_problem(
        &json.replace("\"no\"", "true"),
        "3:22: $.desks[0].name.fr: unknown field; expected one of `en`, `ja`, `vi`",
    );
    assert_one_problem(
        &builtin_with("\"desks\": [", "\"desks\": {\"a\": 1}, \"x\": ["),
        "27:12: $.desks: expected an array, found an object",
    );
    // serde would read a struct from an array of its fields in order; a catalog may not.
    assert_one_problem(
        &builtin_with(
            "\"calendar\": {",
            "\"calendar\": [\"Asia/Tokyo\", [], \"jp\"], \"x\": {",
        ),
        "59:15: $.calendar: expected an object, found an array",
    );
    assert_one_problem(
        &builtin_with(
            "\"name\": { \"en\": \"Free\", \"ja\": \"フリー\", \"vi\": \"Gói Miễn phí\" }",
            "\"name\": [\"Free\"]",
        ),
        "8:15: $.plans[0].name: expected an object, found an array",
    );
    assert_one_problem(
        &builtin_with("\"holidays\": \"jp\"", "\"holidays\": [\"jp\"]"),
        "62:17: $.calendar.holidays: expected a string, found an array",
    );
    assert_one_problem(
        &builtin_with("\"id\": \"usage\",", "\"id\": \"usage\", \"id\": \"use\","),
        "44:22: $.desks[1].id: duplicate key \"id\"",
    );
    // serde_json stops at a value's last byte, or just before a value it did not read; either
    // way the problem is shown where the value starts.
    for (written, found) in [
        ("1", "a number"),
        ("null", "null"),
        ("{\"a\": 1}", "an object"),
        ("[false]", "an array"),
        ("\"no\"", "a string"),
    ] {
        assert_one_problem(
            &builtin_with("\"paid\": false", &format!("\"paid\": {written}")),
            &format!("7:15: $.plans[0].paid: expected true or false, found {found}"),
        );
    }
    assert_one_problem(
        &builtin_with(
            "\"available_to\": \"paid\"",
            "\"available_to\": [[\"free\"]]",
        ),
        "45:24: $.desks[1].available_to[0]: expected a string, found an array",
    );
    assert_one_problem(
        &builtin_with("\"available_to\": \"paid\"", "\"available_to\": {}"),
        "45:23: $.desks[1].available_to: expected \"everyone\", \"signed_in\", \"paid\" or an \
         array of plan ids, found an object",
    );
    assert_one_problem(
        &builtin_with(
            "\"weekend\": [\"saturday\", \"sunday\"]",
            "\"weekend\": \"saturday\"",
        ),
        "61:16: $.calendar.weekend: expected an array, found a string",
    );
    assert_one_problem(
        &builtin_with("\"en\": \"Free\"", "\"en\": 5"),
        "8:23: $.plans[0].name.en: expected a string, found a number",
    );
    assert_one_problem(
        &builtin_with("\"en\": \"Free\"", "\"en\": \"Free\", \"en\": \"Gratis\""),
        "8:31: $.plans[0].name.en: duplicate key \"en\"",
    );
    assert_one_problem(
        &builtin_with("\"sign_in\": \"/signin\"", "\"sign_in\": null"),
        "65:16: $.links.sign_in: expected a string, found null",
    );
}

#[test]
fn rejects_what_is_not_json_with_its_position() {
    assert_one_problem(
        "{\n  \"version\": 1,\n}",
        "3:1: $: invalid JSON: trailing comma",
    );
    assert_one_problem("", "1:1: $: invalid JSON: EOF while parsing a value");
    assert_one_problem(
        "{\"version\": 1,\n \"plans\": [",
        "2:12: $: invalid JSON: EOF while parsing a list",
    );
    assert_one_problem(
        &format!("{BUILTIN_CATALOG_JSON} {{}}"),
        "69:2: $: invalid JSON: trailing characters",
    );
    assert_one_problem("[]", "1:1: $: expected an object, found an array");
    let err = Catalog::from_json_bytes(b"{\"version\": \xff}").unwrap_err();
    assert_eq!(err.to_string(), "1:13: $: the file is not UTF-8 text");
    // A byte-order mark is read past, and counted as a column as editors show it.
    let with_bom = format!("\u{feff}{BUILTIN_CATALOG_JSON}");
    assert!(Catalog::from_json(&with_bom).is_ok());
    assert_one_problem(
        &with_bom.replacen("\"version\": 1", "\"version\": 2", 1),
        "2:14: $.version: unsupported version; this deskform reads catalogs of version 1",
    );
    assert_one_problem(
        "\u{feff}{\"version\": 1,}",
        "1:16: $: invalid JSON: trailing comma",
    );
    let huge = " ".repeat(2 * 1024 * 1024);
    let too_large = "1:1: $: the catalog has more than 1048576 bytes, the most that is read";
    assert_eq!(
        Catalog::from_json(&huge).unwrap_err().to_string(),
        too_large
    );
    // A reader that stops one byte past the limit may cut a character in two: still too large.
    let mut cut = "é".repeat(1024 * 1024 / 2).into_bytes();
    cut.push(0xc3);
    assert_eq!(
        Catalog::from_json_bytes(&cut).unwrap_err().to_string(),
        too_large
    );
}

#[test]
fn rejects_missing_fields_naming_them() {
    assert_eq!(
        problems("{}"),
        [
            "1:1: $.version: missing field `version`",
            "1:1: $.plans: missing field `plans`",
            "1:1: $.desks: missing field `desks`",
            "1:1: $.calendar: missing field `calendar`",
        ]
    );
}

#[test]
fn rejects_a_seven_day_weekend_and_contradictory_days() {
    let json = builtin_with(
        "\"weekend\": [\"saturday\", \"sunday\"]",
        "\"weekend\": [\"monday\", \"tuesday\", \"wednesday\", \"thursday\", \"friday\", \"saturday\", \"sunday\"]",
    );
    assert_one_problem(
        &json,
        "61:16: $.calendar.weekend: a weekend of all seven days leaves no business day",
    );
    let json = builtin_with(
        "\"holidays\": \"jp\"",
        "\"holidays\": \"jp\", \"closures\": [{\"from\": \"12-29\", \"to\": \"01-03\", \"name\": {\"en\": \"Year end\"}}], \"extra_working_days\": [\"2027-01-02\"]",
    );
    assert_one_problem(
        &json,
        "62:122: $.calendar.extra_working_days[0]: 2027-01-02 is also inside a closure",
    );
    let json = builtin_with(
        "\"holidays\": \"jp\"",
        "\"holidays\": \"jp\", \"closures\": [{\"from\": \"03-01\", \"to\": \"02-28\", \"name\": {\"en\": \"Closed\"}}]",
    );
    assert_one_problem(
        &json,
        "62:60: $.calendar.closures[0].to: a closure every year may not cover the whole year",
    );
}

#[test]
fn a_file_full_of_problems_lists_the_first_hundred_quickly() {
    // 366 impossible dates on one line: each is a problem found after parsing.
    let days = vec!["\"2027-02-30\""; 366].join(", ");
    let json = builtin_with(
        "\"holidays\": \"jp\"",
        &format!("\"holidays\": \"jp\", \"extra_working_days\": [{days}]"),
    );
    let err = Catalog::from_json(&json).unwrap_err();
    assert_eq!(err.problems.len(), 101);
    assert_eq!(
        err.problems[0].to_string(),
        "62:46: $.calendar.extra_working_days[0]: 2027-02 has no day 30"
    );
    assert_eq!(
        err.problems[99].to_string(),
        "62:1432: $.calendar.extra_working_days[99]: 2027-02 has no day 30"
    );
    assert_eq!(
        err.problems[100].message,
        "266 more problems after this one are not shown"
    );
    // 60,000 unknown fields: reading stops at the first.
    let fields: Vec<String> = (0..60_000).map(|i| format!("\"x{i}\": 0")).collect();
    let json = format!("{{{}}}", fields.join(", "));
    assert_one_problem(&json, "1:2: $.x0: unknown field; expected one of `$schema`, `version`, `default_locale`, `plans`, `desks`, `calendar`, `links`");
}

#[test]
fn a_link_is_checked_whatever_its_characters() {
    // A multi-byte character where "https://" would end once made the check panic.
    assert_one_problem(
        &builtin_with("\"/pricing\"", "\"httpséé\""),
        "66:14: $.links.plans: \"httpséé\" is not a link: use https://… or a path starting with /",
    );
}

#[test]
fn a_long_list_of_plans_for_a_desk_is_one_problem() {
    // 80,000 different plan ids in 1 MiB: each unknown one used to be a problem of its own,
    // with the catalog's plans listed in each message, and each compared with all before it.
    let ids: Vec<String> = (0..80_000).map(|i| format!("\"p{i}\"")).collect();
    let json = builtin_with(
        "\"available_to\": \"paid\"",
        &format!("\"available_to\": [{}]", ids.join(",")),
    );
    assert!(json.len() < deskform_core::catalog_json::MAX_CATALOG_BYTES);
    assert_one_problem(
        &json,
        "45:23: $.desks[1].available_to: at most 50 entries are allowed",
    );
}

#[test]
fn a_link_never_leaves_the_site_through_a_backslash() {
    // Browsers read `/\host` as `//host`: a link to another site, not a path on this one.
    for link in [r"/\\evil.example", r"/\\/evil.example", r"/pricing\\x"] {
        let json = builtin_with("\"/pricing\"", &format!("\"{link}\""));
        let shown = link.replace(r"\\", r"\");
        assert_one_problem(
            &json,
            &format!(
                "66:14: $.links.plans: \"{shown}\" is not a link: use https://… or a path starting with /"
            ),
        );
    }
}
