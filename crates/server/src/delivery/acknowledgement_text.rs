//! The acknowledgement e-mail's words, one function per language. It holds only what the
//! receiver made (the ticket id and the reply date), never what the sender typed: anyone can
//! post the form with anyone's address, so the e-mail must not carry their text to a stranger.

use deskform_core::{Date, Locale};

/// An e-mail's subject and plain-text body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub subject: String,
    pub body: String,
}

/// The acknowledgement of ticket `ticket`, due by `due`, in `locale`.
pub fn acknowledgement(locale: Locale, ticket: &str, due: Date) -> Text {
    match locale {
        Locale::En => en(ticket, due),
        Locale::Ja => ja(ticket, due),
        Locale::Vi => vi(ticket, due),
    }
}

fn en(ticket: &str, due: Date) -> Text {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let date = format!(
        "{} {}, {}",
        MONTHS[(due.month() - 1) as usize],
        due.day(),
        due.year()
    );
    Text {
        subject: format!("We received your inquiry ({ticket})"),
        body: format!(
            "Thank you for contacting us.\n\n\
             We received your inquiry; its ticket number is {ticket}.\n\
             We will reply by {date}.\n\n\
             If you did not write to us, you can ignore this e-mail.\n"
        ),
    }
}

fn ja(ticket: &str, due: Date) -> Text {
    let date = format!("{}年{}月{}日", due.year(), due.month(), due.day());
    Text {
        subject: format!("お問い合わせを受け付けました（{ticket}）"),
        body: format!(
            "お問い合わせいただきありがとうございます。\n\n\
             お問い合わせを受け付けました。受付番号は {ticket} です。\n\
             {date}までにご回答いたします。\n\n\
             お心当たりのない場合は、このメールを破棄してください。\n"
        ),
    }
}

fn vi(ticket: &str, due: Date) -> Text {
    let date = format!(
        "ngày {} tháng {} năm {}",
        due.day(),
        due.month(),
        due.year()
    );
    Text {
        subject: format!("Chúng tôi đã nhận được yêu cầu của bạn ({ticket})"),
        body: format!(
            "Cảm ơn bạn đã liên hệ với chúng tôi.\n\n\
             Chúng tôi đã nhận được yêu cầu của bạn; mã phiếu là {ticket}.\n\
             Chúng tôi sẽ trả lời trước {date}.\n\n\
             Nếu bạn không gửi yêu cầu này, bạn có thể bỏ qua email này.\n"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_names_the_ticket_and_the_date_its_way() {
        let due = Date::from_ymd(2026, 12, 1).unwrap();
        let en = acknowledgement(Locale::En, "DF-0123456789", due);
        assert_eq!(en.subject, "We received your inquiry (DF-0123456789)");
        assert!(
            en.body.contains("We will reply by December 1, 2026."),
            "{}",
            en.body
        );
        let ja = acknowledgement(Locale::Ja, "DF-0123456789", due);
        assert!(
            ja.body.contains("2026年12月1日までにご回答いたします"),
            "{}",
            ja.body
        );
        assert!(ja.subject.contains("DF-0123456789"));
        let vi = acknowledgement(Locale::Vi, "DF-0123456789", due);
        assert!(
            vi.body.contains("trước ngày 1 tháng 12 năm 2026"),
            "{}",
            vi.body
        );
        for text in [en, ja, vi] {
            assert!(text.body.contains("DF-0123456789"));
        }
    }
}
