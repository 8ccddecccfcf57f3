use super::{Piece, Strings};

// Full-width punctuation throughout (「。」「、」「：」「（）」), no space after 「。」, the date
// before まで; signing in is ログイン, as in the customer notice.
pub(super) static STRINGS: Strings = Strings {
    title: "サポートへのお問い合わせ",
    loading: "お問い合わせフォームを読み込んでいます…",
    unavailable: "現在お問い合わせフォームをご利用いただけません。しばらくしてからもう一度お試しください。",
    desks_legend: "お問い合わせの内容",
    reply_within: |n| format!("{n}営業日以内に回答"),
    locked_sign_in: "この窓口を利用するにはログインしてください。",
    sign_in_link: "ログイン",
    locked_paid: "有料プランでご利用いただけます。",
    locked_plans: |plans| format!("{plans}でご利用いただけます。"),
    plan_name: |name| {
        if name.ends_with("プラン") {
            name.to_owned()
        } else {
            format!("{name}プラン")
        }
    },
    plans_link: "プランを見る",
    and: "、",
    list_separator: "、",
    sentence_gap: "",
    choose_desk_first: "窓口を選ぶと、回答予定日が表示されます。",
    expected_reply: &[Piece::Date, Piece::Text("までに回答予定です。")],
    rule: |n, excluded| match excluded {
        Some(excluded) => format!("{n}営業日以内（{excluded}を除く）。"),
        None => format!("{n}日以内（休業日なし）。"),
    },
    weekends: "土日",
    weekdays: ["月曜日", "火曜日", "水曜日", "木曜日", "金曜日", "土曜日", "日曜日"],
    weekday_plural: |day| day.to_string(),
    jp_holidays: "日本の祝日",
    closure_days: "窓口の休業日",
    skipped_intro: "営業日に数えない日：",
    skipped_reason_separator: "：",
    weekend_day: "週末",
    desk_day_behind: |date, zone| {
        format!("サポート窓口（{zone}）ではまだ{date}のため、お問い合わせはこの日の受付となります。")
    },
    desk_day_ahead: |date, zone| {
        format!("サポート窓口（{zone}）ではすでに{date}のため、お問い合わせはこの日の受付となります。")
    },
    no_reply_date: "この窓口は現在、回答予定日を表示できません。",
    email: "メールアドレス",
    name: "お名前",
    subject: "件名",
    message: "お問い合わせ内容",
    required: "必須",
    optional: "任意",
    email_hint: "このアドレスに回答をお送りします。",
    char_count: |used, max| format!("{used}/{max}文字"),
    missing: "入力してください。",
    not_an_email: "name@example.com のような形式でメールアドレスを入力してください。",
    too_long: |max, chars| format!("{max}文字以内にしてください（現在{chars}文字）。"),
    desk_missing: "窓口を選んでください。",
    send: "送信",
    sending_not_set_up: "このページでは送信がまだ設定されていません。入力内容はこのブラウザーの外には送られません。",
    not_sent: "このページでは送信が設定されていないため、お問い合わせは送信されていません。下書きはこのブラウザーに保存されています。",
    fix_problems: |n| format!("{n}件の項目を修正してください。"),
    account_hint: "アカウントのメールアドレスです。こちらに回答をお送りします。",
    session_failed: "ログイン状態を確認できなかったため、どなたでも使える窓口のみを表示しています。",
    sign_in_again: "ログイン",
    try_again: "再試行",
    sending: "送信中…",
    sending_now: "お問い合わせを送信しています…",
    unreachable: "サポート窓口に接続できなかったため、まだ送信されていません。入力内容は保持されています。",
    server_error: "サポート窓口で問題が発生したため、まだ送信されていません。入力内容は保持されています。",
    retrying_in: |n| format!("{n}秒後に再送信します。"),
    held_offline: "オフラインです。入力内容は保持され、オンラインに戻ると送信されます。",
    try_now: "今すぐ再送信",
    sent_notice: &[
        Piece::Strong("送信しました。"),
        Piece::Text("お問い合わせ番号は"),
        Piece::Ticket,
        Piece::Text("です。"),
        Piece::Date,
        Piece::Text("までに回答予定です。"),
    ],
    refused_desk: "お客様のアカウントでは、この窓口にお問い合わせいただけません。",
    refused_malformed: "サポート窓口でお問い合わせを読み取れませんでした。ページを再読み込みして、もう一度送信してください。入力内容は保持されています。",
    refused_not_found: "このページに設定されたサポート窓口の送信先が見つからないため、送信されていません。入力内容は保持されています。しばらくしてからもう一度お試しください。",
    refused_key_conflict: "このフォームからは別のお問い合わせがすでに届いています。新しいお問い合わせとして送るには、もう一度送信してください。入力内容は保持されています。",
    too_large: "お問い合わせが大きすぎて送信できません。お問い合わせ内容を短くしてください。",
    refused_media_type: "このページが送る形式をサポート窓口が受け付けませんでした。ページを再読み込みして、もう一度送信してください。入力内容は保持されています。",
    refused_elsewhere: "このページが送る情報の一部をサポート窓口が受け付けませんでした。ページを再読み込みして、もう一度送信してください。入力内容は保持されています。",
    rate_limited: |n| format!("送信回数が多すぎます。{n}分後にもう一度お試しください。入力内容は保持されています。"),
    refused_status: |status| format!("サポート窓口はお問い合わせを受け付けませんでした（HTTP {status}）。入力内容は保持されています。"),
    honeypot_label: "この欄は空欄のままにしてください",
};
