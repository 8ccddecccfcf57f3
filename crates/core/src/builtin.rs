//! The built-in catalog as Rust data, so the widget neither embeds its JSON text nor runs the
//! catalog reader to get it. `catalog/builtin.json` stays the source web teams copy (and that
//! `deskform catalog` prints); the test below holds the two equal.
//!
//! Tables and two loops rather than one call per entry: the loops are the code the widget
//! carries, whatever the number of plans and desks.

use crate::calendar::{BusinessCalendar, BusinessDays};
use crate::catalog::{Catalog, Links};
use crate::desk::{Audience, Desk};
use crate::id::{DeskId, PlanId};
use crate::locale::{Locale, LocalizedText};
use crate::plan::{Paid, Plan, PlanStatus};

/// A text in English (the default locale, so the fallback), Japanese and Vietnamese.
type Text = [&'static str; 3];

/// id, paid, status, name.
const PLANS: [(&str, Paid, PlanStatus, Text); 4] = [
    (
        "free",
        Paid::Free,
        PlanStatus::Open,
        ["Free", "フリー", "Gói Miễn phí"],
    ),
    (
        "personal",
        Paid::Paid,
        PlanStatus::Legacy,
        ["Personal", "パーソナル", "Gói Cá nhân"],
    ),
    (
        "business",
        Paid::Paid,
        PlanStatus::Open,
        ["Business", "ビジネス", "Gói Kinh doanh"],
    ),
    (
        "enterprise",
        Paid::Paid,
        PlanStatus::Open,
        ["Enterprise", "エンタープライズ", "Gói Doanh nghiệp"],
    ),
];

/// id, available to, reply within business days, name, scope.
const DESKS: [(&str, Audience, u32, Text, Text); 2] = [
    (
        "login",
        Audience::Everyone,
        2,
        ["Trouble signing in", "ログインできない", "Thắc mắc về đăng nhập"],
        [
            "You cannot log in, the password-reset email or the SMS code has not arrived, or two-step verification fails. Sign-in trouble only.",
            "ログインできない、パスワード再設定メールやSMS認証コードが届かない、2段階認証がうまくいかない場合。ログインのお問い合わせのみ受け付けます。",
            "Không đăng nhập được, không nhận được email đặt lại mật khẩu hoặc mã SMS, hay xác minh hai bước không thành công. Chỉ dành cho thắc mắc về đăng nhập.",
        ],
    ),
    (
        "usage",
        Audience::PaidPlans,
        1,
        ["Using the product", "使い方・設定", "Thắc mắc về sử dụng/chức năng"],
        [
            "How to use the product, settings, and questions about features.",
            "製品の使い方、設定、機能についてのご質問。",
            "Cách sử dụng sản phẩm, cài đặt và câu hỏi về tính năng.",
        ],
    ),
];

fn text([en, ja, vi]: &Text) -> LocalizedText {
    LocalizedText::new(Locale::En, *en)
        .with(Locale::Ja, *ja)
        .with(Locale::Vi, *vi)
}

/// The catalog `catalog/builtin.json` describes.
pub(crate) fn catalog() -> Catalog {
    Catalog {
        default_locale: Locale::En,
        plans: PLANS
            .iter()
            .map(|(id, paid, status, name)| Plan {
                id: PlanId::known(id),
                name: text(name),
                paid: *paid,
                status: *status,
            })
            .collect(),
        desks: DESKS
            .iter()
            .map(|(id, audience, days, name, scope)| Desk {
                id: DeskId::known(id),
                name: text(name),
                scope: text(scope),
                audience: audience.clone(),
                reply_within: BusinessDays::new(*days).expect("a built-in reply time is in range"),
            })
            .collect(),
        calendar: BusinessCalendar::japan(),
        links: Links {
            sign_in: Some("/signin".to_owned()),
            plans: Some("/pricing".to_owned()),
        },
    }
}

#[cfg(test)]
mod tests {
    use crate::{Catalog, BUILTIN_CATALOG_JSON};

    /// Editing `catalog/builtin.json` means editing the tables above to match, and the other
    /// way: ids included, which `PlanId::known` and `DeskId::known` do not check.
    #[test]
    fn the_builtin_data_is_what_the_builtin_json_reads_as() {
        let read = Catalog::from_json(BUILTIN_CATALOG_JSON).unwrap();
        assert_eq!(super::catalog(), read);
        assert_eq!(Catalog::builtin(), &read);
    }
}
