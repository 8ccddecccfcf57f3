//! What a customer writes to a desk, and the rules its fields must meet. The widget checks these
//! as the customer types; whatever receives an inquiry checks them again.

use std::fmt;

/// A field of the inquiry form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Email,
    Name,
    Subject,
    Message,
}

impl Field {
    /// Every field, in form order.
    pub const ALL: [Field; 4] = [Field::Email, Field::Name, Field::Subject, Field::Message];

    /// The field's place in [`Field::ALL`], for tables kept per field.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The field's name in JSON and HTML: `email`, `name`, `subject`, `message`.
    pub const fn id(self) -> &'static str {
        match self {
            Field::Email => "email",
            Field::Name => "name",
            Field::Subject => "subject",
            Field::Message => "message",
        }
    }

    /// Whether the field must be filled in.
    pub const fn is_required(self) -> bool {
        !matches!(self, Field::Name)
    }

    /// The most characters (Unicode scalar values) the field takes.
    pub const fn max_chars(self) -> usize {
        match self {
            // RFC 5321's limit on a forward path, less the angle brackets.
            Field::Email => 254,
            Field::Name => 100,
            Field::Subject => 150,
            Field::Message => 5000,
        }
    }
}

/// Why a field's value is not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldProblem {
    /// A required field is empty or only white space.
    Missing,
    /// Longer than [`Field::max_chars`]; `chars` is the length given.
    TooLong { max: usize, chars: usize },
    /// Not of the shape `local@domain.tld`.
    NotAnEmail,
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing => f.write_str("is required"),
            Self::TooLong { max, chars } => {
                write!(f, "is {chars} characters long; at most {max} are allowed")
            }
            Self::NotAnEmail => f.write_str("is not an email address"),
        }
    }
}

/// The text fields of an inquiry, as typed. In JSON, `{email, name, subject, message}`; a
/// field left out is empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct InquiryFields {
    pub email: String,
    pub name: String,
    pub subject: String,
    pub message: String,
}

impl InquiryFields {
    /// The value of one field.
    pub fn get(&self, field: Field) -> &str {
        match field {
            Field::Email => &self.email,
            Field::Name => &self.name,
            Field::Subject => &self.subject,
            Field::Message => &self.message,
        }
    }

    /// The value of one field, to change it.
    pub fn get_mut(&mut self, field: Field) -> &mut String {
        match field {
            Field::Email => &mut self.email,
            Field::Name => &mut self.name,
            Field::Subject => &mut self.subject,
            Field::Message => &mut self.message,
        }
    }

    /// Every field's problem, in form order; empty when the inquiry may be sent.
    pub fn problems(&self) -> Vec<(Field, FieldProblem)> {
        Field::ALL
            .into_iter()
            .filter_map(|field| check_field(field, self.get(field)).map(|p| (field, p)))
            .collect()
    }
}

/// The problem with one field's value, if any.
pub fn check_field(field: Field, value: &str) -> Option<FieldProblem> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return field.is_required().then_some(FieldProblem::Missing);
    }
    let chars = value.chars().count();
    if chars > field.max_chars() {
        return Some(FieldProblem::TooLong {
            max: field.max_chars(),
            chars,
        });
    }
    if field == Field::Email && !looks_like_email(trimmed) {
        return Some(FieldProblem::NotAnEmail);
    }
    None
}

/// The characters that make an address more than a plain `local@domain`: a display name
/// (`"Name" <a@b.co>`), a comment (`(…)`), a group (`a: b@c.d;`), a list (`,`), quoting or a
/// domain literal. Letting them through would let a sender write what a mailer reads as a
/// name or a second recipient.
const NOT_IN_AN_ADDRESS: &[char] = &['<', '>', '"', '(', ')', ',', ';', ':', '[', ']', '\\'];

/// A deliberately loose check: one `@`, something before it, a dotted domain after it, no
/// spaces, control characters or [`NOT_IN_AN_ADDRESS`] (a plain addr-spec only). The real
/// test of an address is the reply reaching it.
fn looks_like_email(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else {
        return false;
    };
    let clean = |s: &str| {
        !s.is_empty()
            && !s
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || NOT_IN_AN_ADDRESS.contains(&c))
    };
    clean(local)
        && clean(domain)
        && !domain.contains('@')
        && domain.contains('.')
        && domain.split('.').all(|label| !label.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_is_the_place_in_all() {
        for (i, field) in Field::ALL.into_iter().enumerate() {
            assert_eq!(field.index(), i);
        }
    }

    #[test]
    fn required_fields_and_trimming() {
        assert_eq!(check_field(Field::Email, "  "), Some(FieldProblem::Missing));
        assert_eq!(check_field(Field::Subject, ""), Some(FieldProblem::Missing));
        assert_eq!(
            check_field(Field::Message, "\n\t"),
            Some(FieldProblem::Missing)
        );
        assert_eq!(check_field(Field::Name, ""), None);
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        let ja = "あ".repeat(150);
        assert_eq!(check_field(Field::Subject, &ja), None);
        let ja = "あ".repeat(151);
        assert_eq!(
            check_field(Field::Subject, &ja),
            Some(FieldProblem::TooLong {
                max: 150,
                chars: 151
            })
        );
    }

    #[test]
    fn email_shapes() {
        for good in ["a@b.co", "nguyen.van.a+help@example.com.vn", "山田@例え.jp"] {
            assert_eq!(check_field(Field::Email, good), None, "{good}");
        }
        for bad in [
            "a",
            "a@b",
            "@b.co",
            "a@.co",
            "a@b.",
            "a b@c.d",
            "a@b@c.d",
            "a@b..c",
            // A display name, a comment, a group, a list, quoting, a domain literal: what a
            // mailer would read as more than one plain address.
            "\"FREE-CRYPTO\"<victim@example.com>",
            "FREE CRYPTO <victim@example.com>",
            "<victim@example.com>",
            "victim@example.com (FREE-CRYPTO)",
            "a@b.co,c@d.co",
            "a@b.co;c@d.co",
            "list:a@b.co",
            "\"a b\"@c.co",
            "a@[192.0.2.1].co",
            "a\\b@c.co",
            "a\tb@c.co",
            "a@b.co\u{a0}x",
        ] {
            assert_eq!(
                check_field(Field::Email, bad),
                Some(FieldProblem::NotAnEmail),
                "{bad}"
            );
        }
    }

    #[test]
    fn problems_in_form_order() {
        let fields = InquiryFields {
            email: "nope".into(),
            name: String::new(),
            subject: String::new(),
            message: "hello".into(),
        };
        assert_eq!(
            fields.problems(),
            vec![
                (Field::Email, FieldProblem::NotAnEmail),
                (Field::Subject, FieldProblem::Missing)
            ]
        );
    }
}
