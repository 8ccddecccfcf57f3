//! Each language's sentences as a native reader sees them, assembled the way the view assembles
//! them, with dates and zone names as the browser writes them in that language.

use super::*;

const TICKET: &str = "DF-7K2M9Q";

/// A long date and the desk's time-zone name as `Intl` writes them in the language.
fn sample(locale: Locale) -> (&'static str, &'static str) {
    match locale {
        Locale::En => ("Monday, 30 November 2026", "Japan Standard Time"),
        Locale::Ja => ("2026年11月30日月曜日", "日本標準時"),
        Locale::Vi => ("Thứ Hai, 30 tháng 11, 2026", "Giờ Chuẩn Nhật Bản"),
    }
}

/// A short date as `Intl` writes it in the language.
fn short_sample(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "Sat, 28 Nov",
        Locale::Ja => "11月28日(土)",
        Locale::Vi => "Th 7, 28 thg 11",
    }
}

/// A sentence as text, its slots filled as the view fills them (without the markup).
fn plain(sentence: Sentence, date: &str) -> String {
    sentence
        .iter()
        .map(|piece| match *piece {
            Piece::Text(text) | Piece::Strong(text) => text,
            Piece::Date => date,
            Piece::Ticket => TICKET,
        })
        .collect()
}

/// A lock reason followed by its link, as the desk picker shows it.
fn with_link(text: &Strings, sentence: &str, link: &str) -> String {
    format!("{sentence}{}{link}", text.sentence_gap)
}

/// Every text of a language, whole sentences assembled as the components assemble them.
fn every_text(locale: Locale) -> Vec<String> {
    let text = strings(locale);
    let (date, zone) = sample(locale);
    // No `..`: a new field does not compile until it is listed here, and so checked.
    let Strings {
        title,
        loading,
        unavailable,
        desks_legend,
        reply_within,
        locked_sign_in,
        sign_in_link,
        locked_paid,
        locked_plans,
        plan_name,
        plans_link,
        more_desks_sign_in,
        more_desks_paid,
        more_desks_plans,
        no_desk_open,
        and: _,
        list_separator: _,
        sentence_gap: _,
        choose_desk_first,
        expected_reply,
        rule,
        weekends,
        weekdays,
        weekday_plural,
        jp_holidays,
        closure_days,
        skipped_intro,
        skipped_reason_separator,
        weekend_day,
        desk_day_ahead,
        desk_day_behind,
        no_reply_date,
        email,
        name,
        subject,
        message,
        required,
        optional,
        email_hint,
        char_count,
        missing,
        not_an_email,
        too_long,
        desk_missing,
        send,
        sending_not_set_up,
        not_sent,
        fix_problems,
        account_hint,
        session_failed,
        sign_in_again,
        try_again,
        sending,
        sending_now,
        unreachable,
        server_error,
        retrying_in,
        held_offline,
        try_now,
        sent_notice,
        refused_desk,
        sign_in_lost,
        refused_malformed,
        refused_not_found,
        refused_key_conflict,
        too_large,
        refused_media_type,
        refused_elsewhere,
        rate_limited,
        refused_status,
        honeypot_label,
    } = text;
    let plans = text.list(&[plan_name("Business"), plan_name("Enterprise")]);
    let excluded =
        |days: &[&str]| text.list(&days.iter().map(|d| d.to_string()).collect::<Vec<_>>());
    let mut all: Vec<String> = [
        *title,
        loading,
        unavailable,
        desks_legend,
        plans_link,
        choose_desk_first,
        no_reply_date,
        email,
        name,
        subject,
        message,
        required,
        optional,
        email_hint,
        missing,
        not_an_email,
        desk_missing,
        send,
        sending_not_set_up,
        not_sent,
        account_hint,
        try_again,
        sending,
        sending_now,
        held_offline,
        try_now,
        sign_in_lost,
        refused_malformed,
        refused_not_found,
        refused_key_conflict,
        too_large,
        refused_media_type,
        refused_elsewhere,
        honeypot_label,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    all.extend(weekdays.iter().map(|d| d.to_string()));
    all.extend([
        reply_within(1),
        reply_within(2),
        reply_within(12),
        with_link(text, locked_sign_in, sign_in_link),
        with_link(text, locked_paid, plans_link),
        with_link(text, &locked_plans(&plans), plans_link),
        with_link(text, more_desks_sign_in, sign_in_link),
        with_link(text, more_desks_paid, plans_link),
        with_link(text, more_desks_plans, plans_link),
        with_link(
            text,
            &text.sentences(&[no_desk_open, more_desks_sign_in]),
            sign_in_link,
        ),
        text.sentences(&[no_desk_open, more_desks_paid]),
        plain(expected_reply, date),
        rule(1, Some(&excluded(&[weekends, jp_holidays]))),
        rule(
            2,
            Some(&excluded(&[
                &weekday_plural(weekdays[4]),
                &weekday_plural(weekdays[5]),
                closure_days,
            ])),
        ),
        rule(3, None),
        skipped_intro.to_string(),
        format!(
            "{}{skipped_reason_separator}{weekend_day}",
            short_sample(locale)
        ),
        desk_day_ahead(date, zone),
        desk_day_behind(date, zone),
        char_count(12, 150),
        too_long(150, 151),
        fix_problems(1),
        fix_problems(2),
        with_link(text, session_failed, sign_in_again),
        text.sentences(&[unreachable, &retrying_in(1)]),
        text.sentences(&[server_error, &retrying_in(60)]),
        plain(sent_notice, date),
        with_link(
            text,
            &text.sentences(&[refused_desk, locked_sign_in]),
            sign_in_link,
        ),
        text.sentences(&[&fix_problems(2), refused_elsewhere]),
        rate_limited(1),
        rate_limited(3),
        refused_status(451),
    ]);
    all
}

fn is_japanese(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

#[test]
fn lists_in_each_language() {
    let items = |n: usize| (1..=n).map(|i| i.to_string()).collect::<Vec<_>>();
    assert_eq!(strings(Locale::En).list(&items(3)), "1, 2 and 3");
    assert_eq!(strings(Locale::Vi).list(&items(2)), "1 và 2");
    assert_eq!(strings(Locale::Ja).list(&items(3)), "1、2、3");
}

#[test]
fn no_text_is_empty_or_padded() {
    for locale in Locale::ALL {
        for text in every_text(locale) {
            assert!(!text.is_empty(), "{locale}");
            assert_eq!(text.trim(), text, "{locale}");
            assert!(!text.contains("  "), "{locale}: {text}");
        }
    }
}

/// The sent notice once read "お問い合わせ番号： DF-…. 回答予定日: 2026年11月30日 月曜日まで.".
#[test]
fn japanese_has_no_ascii_punctuation_or_spaces_beside_japanese_text() {
    for text in every_text(Locale::Ja) {
        let chars: Vec<char> = text.chars().collect();
        for pair in chars.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            // Parentheses stay: `Intl` writes "11月28日(土)".
            let ascii = |c: char| ".:;,!?".contains(c);
            assert!(
                !(ascii(a) && is_japanese(b) || is_japanese(a) && ascii(b)),
                "{a}{b} in {text}"
            );
            let punctuation = |c: char| "。、：（）".contains(c);
            assert!(
                !(a == ' ' && punctuation(b) || punctuation(a) && b == ' '),
                "a space beside {a}{b} in {text}"
            );
        }
        assert!(
            !text.contains("サインイン"),
            "signing in is ログイン: {text}"
        );
    }
}

#[test]
fn japanese_sentences_as_written() {
    let ja = strings(Locale::Ja);
    let (date, zone) = sample(Locale::Ja);
    assert_eq!(
        plain(ja.expected_reply, date),
        "2026年11月30日月曜日までに回答予定です。"
    );
    assert_eq!(
        plain(ja.sent_notice, date),
        "送信しました。お問い合わせ番号はDF-7K2M9Qです。2026年11月30日月曜日までに回答予定です。"
    );
    assert_eq!(
        ja.sentences(&[ja.unreachable, &(ja.retrying_in)(4)]),
        "サポート窓口に接続できなかったため、まだ送信されていません。入力内容は保持されています。4秒後に再送信します。"
    );
    assert_eq!(
        (ja.desk_day_behind)("2026年11月29日日曜日", zone),
        "サポート窓口（日本標準時）ではまだ2026年11月29日日曜日のため、お問い合わせはこの日の受付となります。"
    );
    assert_eq!(
        with_link(ja, ja.locked_sign_in, ja.sign_in_link),
        "この窓口を利用するにはログインしてください。ログイン"
    );
    let plans = ja.list(&[
        (ja.plan_name)("ビジネス"),
        (ja.plan_name)("エンタープライズプラン"),
    ]);
    assert_eq!(
        (ja.locked_plans)(&plans),
        "ビジネスプラン、エンタープライズプランでご利用いただけます。"
    );
    assert_eq!(
        with_link(ja, ja.more_desks_sign_in, ja.sign_in_link),
        "ご利用のプランの窓口をすべて表示するには、ログインしてください。ログイン"
    );
    assert_eq!(
        with_link(ja, ja.more_desks_paid, ja.plans_link),
        "有料プランでご利用いただける窓口もあります。プランを見る"
    );
    assert_eq!(
        ja.sentences(&[ja.no_desk_open, ja.more_desks_plans]),
        "現在ご利用いただける窓口はありません。ほかのプランでご利用いただける窓口もあります。"
    );
    assert_eq!((ja.char_count)(12, 150), "12/150文字");
    assert_eq!(ja.skipped_intro, "営業日に数えない日：");
}

/// The built-in catalog's desks and the notice say "Thời gian phản hồi: tối đa hai ngày làm
/// việc"; a reply comes "chậm nhất vào" its date, never "trước" (before) it.
#[test]
fn vietnamese_sentences_as_written() {
    let vi = strings(Locale::Vi);
    let (date, zone) = sample(Locale::Vi);
    assert_eq!(
        (vi.reply_within)(2),
        "Thời gian phản hồi: tối đa hai ngày làm việc"
    );
    assert_eq!(
        (vi.reply_within)(1),
        "Thời gian phản hồi: tối đa một ngày làm việc"
    );
    assert_eq!(
        (vi.reply_within)(15),
        "Thời gian phản hồi: tối đa 15 ngày làm việc"
    );
    assert_eq!(
        plain(vi.expected_reply, date),
        "Phản hồi chậm nhất vào Thứ Hai, 30 tháng 11, 2026"
    );
    assert_eq!(
        plain(vi.sent_notice, date),
        "Đã gửi. Mã yêu cầu của bạn là DF-7K2M9Q. Chúng tôi sẽ phản hồi chậm nhất vào Thứ Hai, 30 tháng 11, 2026."
    );
    assert_eq!(
        vi.sentences(&[vi.server_error, &(vi.retrying_in)(4)]),
        "Chưa gửi được: bộ phận hỗ trợ gặp sự cố. Yêu cầu của bạn vẫn được giữ. Sẽ thử lại sau 4 giây."
    );
    assert_eq!(
        (vi.desk_day_behind)("Chủ Nhật, 29 tháng 11, 2026", zone),
        "Ở bộ phận hỗ trợ (Giờ Chuẩn Nhật Bản) vẫn còn là Chủ Nhật, 29 tháng 11, 2026, nên yêu cầu của bạn được tính là nhận vào ngày đó."
    );
    let named = vi.list(&[
        (vi.plan_name)("Gói Kinh doanh"),
        (vi.plan_name)("Gói Doanh nghiệp"),
    ]);
    assert_eq!(
        (vi.locked_plans)(&named),
        "Dành cho Gói Kinh doanh và Gói Doanh nghiệp."
    );
    assert_eq!(
        with_link(vi, vi.more_desks_sign_in, vi.sign_in_link),
        "Hãy đăng nhập để xem mọi bộ phận dành cho gói của bạn. Đăng nhập"
    );
    assert_eq!(
        vi.sentences(&[vi.no_desk_open, vi.more_desks_paid]),
        "Hiện chưa có bộ phận nào dành cho bạn. Có thêm bộ phận dành cho các gói trả phí."
    );
    assert_eq!(
        with_link(vi, vi.more_desks_plans, vi.plans_link),
        "Có thêm bộ phận dành cho các gói khác. Xem các gói"
    );
    let bare = vi.list(&[(vi.plan_name)("Pro"), (vi.plan_name)("Team")]);
    assert_eq!((vi.locked_plans)(&bare), "Dành cho gói Pro và gói Team.");
    for text in every_text(Locale::Vi) {
        assert!(!text.contains("trước"), "{text}");
    }
}

#[test]
fn english_sentences_as_written() {
    let en = strings(Locale::En);
    let (date, _) = sample(Locale::En);
    assert_eq!(
        plain(en.sent_notice, date),
        "Sent. Your ticket number is DF-7K2M9Q. Expected reply by Monday, 30 November 2026."
    );
    assert_eq!(
        en.sentences(&[en.unreachable, &(en.retrying_in)(1)]),
        "Not sent yet: the support desk could not be reached. Your inquiry is kept. Trying again in 1 second."
    );
    assert_eq!(
        with_link(en, en.more_desks_sign_in, en.sign_in_link),
        "Sign in to see every desk for your plan. Sign in"
    );
    assert_eq!(
        with_link(
            en,
            &en.sentences(&[en.no_desk_open, en.more_desks_paid]),
            en.plans_link
        ),
        "No desk is open to you here yet. More desks come with a paid plan. See the plans"
    );
}

/// Every refusal a receiver may answer, as each language says it: no receiver's (English)
/// words reach a ja or vi visitor, only the HTTP status of a refusal the widget has no
/// sentence for.
#[test]
fn refusals_in_every_language() {
    for locale in [Locale::Ja, Locale::Vi] {
        let text = strings(locale);
        let en = strings(Locale::En);
        let pairs = [
            (text.sign_in_lost, en.sign_in_lost),
            (text.refused_malformed, en.refused_malformed),
            (text.refused_not_found, en.refused_not_found),
            (text.refused_key_conflict, en.refused_key_conflict),
            (text.too_large, en.too_large),
            (text.refused_media_type, en.refused_media_type),
            (text.refused_elsewhere, en.refused_elsewhere),
            (text.honeypot_label, en.honeypot_label),
        ];
        let owned = [
            ((text.rate_limited)(2), (en.rate_limited)(2)),
            ((text.refused_status)(418), (en.refused_status)(418)),
        ];
        let all = pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .chain(owned);
        for (sentence, english) in all {
            assert_ne!(sentence, english, "{locale}");
            let latin_words: Vec<&str> = sentence
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| w.len() > 1)
                .collect();
            if locale == Locale::Ja {
                assert!(
                    latin_words.iter().all(|w| *w == "HTTP"),
                    "{latin_words:?} in {sentence}"
                );
            }
        }
    }
    let en = strings(Locale::En);
    assert_eq!(
        (en.rate_limited)(1),
        "Too many messages were sent from here. Please try again in 1 minute. Your text is kept."
    );
    assert_eq!(
        (en.rate_limited)(5),
        "Too many messages were sent from here. Please try again in 5 minutes. Your text is kept."
    );
    assert_eq!(
        (strings(Locale::Ja).rate_limited)(5),
        "送信回数が多すぎます。5分後にもう一度お試しください。入力内容は保持されています。"
    );
    assert_eq!(
        (strings(Locale::Vi).rate_limited)(5),
        "Bạn đã gửi quá nhiều tin nhắn. Vui lòng thử lại sau 5 phút. Nội dung bạn nhập vẫn được giữ."
    );
    assert_eq!(
        (strings(Locale::Ja).refused_status)(451),
        "サポート窓口はお問い合わせを受け付けませんでした（HTTP 451）。入力内容は保持されています。"
    );
}
