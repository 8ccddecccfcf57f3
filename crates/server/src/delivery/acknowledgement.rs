//! The acknowledgement e-mail to the customer (`--smtp-url`): the ticket id and the reply date,
//! in the customer's language, to the bare address (never a named mailbox) of a customer who
//! proved it (the submit handler queues none for a signed-out post, the store at most one an
//! hour per address), sent from its own outbox with the same retries as the helpdesk's
//! deliveries. SMTP has no idempotency key: a crash between the server's acceptance and its
//! record may send one twice (the `Message-ID` stays the same, so mail systems can tell).

use std::fmt;
use std::time::Duration;

use deskform_core::{Date, Locale};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::acknowledgement_text::acknowledgement;
use super::policy::{RetryPolicy, Verdict};
use crate::outbox::Due;

/// How long one SMTP exchange may take.
pub const DEFAULT_SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Where and as whom acknowledgements are sent (`deskform serve --smtp-url … --smtp-from …`).
#[derive(Clone)]
pub struct Acknowledging {
    /// `smtp://host:25`, `smtp://user:password@host:587?tls=required`, `smtps://host:465`.
    pub smtp_url: String,
    /// The sender, `Support <support@example.com>` or an address alone.
    pub from: String,
    pub retry: RetryPolicy,
    pub timeout: Duration,
}

impl Acknowledging {
    /// Acknowledgements through `smtp_url` from `from`, with the defaults of `deskform serve`.
    pub fn new(smtp_url: String, from: String) -> Acknowledging {
        Acknowledging {
            smtp_url,
            from,
            retry: RetryPolicy::default(),
            timeout: DEFAULT_SMTP_TIMEOUT,
        }
    }
}

impl fmt::Debug for Acknowledging {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL may hold a password.
        f.debug_struct("Acknowledging")
            .field("from", &self.from)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// A ready SMTP client.
pub(crate) struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// For logs: the server's host and port, never its credentials.
    pub(crate) server: String,
}

impl Mailer {
    pub(crate) fn new(options: &Acknowledging) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&options.smtp_url)
            .map_err(|e| format!("--smtp-url: {e}"))?
            .timeout(Some(options.timeout))
            .build();
        let from: Mailbox = options
            .from
            .parse()
            .map_err(|e| format!("--smtp-from {:?}: {e}", options.from))?;
        let server = options
            .smtp_url
            .parse::<axum::http::Uri>()
            .ok()
            .and_then(|u| u.host().map(str::to_owned))
            .unwrap_or_default();
        Ok(Mailer {
            transport,
            from,
            server,
        })
    }

    /// Sends one acknowledgement and judges the server's answer: a 5xx refusal is final, a 4xx
    /// or a network error is retried.
    pub(crate) async fn send(&self, due: &Due) -> Verdict {
        let inquiry = &due.inquiry;
        let message = match self.message(due) {
            Ok(message) => message,
            Err(reason) => {
                return Verdict::Refused {
                    status: None,
                    reason,
                }
            }
        };
        match self.transport.send(message).await {
            Ok(_) => Verdict::Delivered { status: 250 },
            Err(e) => {
                let status = e.status().and_then(|code| code.to_string().parse().ok());
                if e.is_permanent() {
                    Verdict::Refused {
                        status,
                        reason: format!("the SMTP server refused {}: {e}", inquiry.email),
                    }
                } else {
                    Verdict::Retry {
                        status,
                        after: None,
                        error: super::error_chain(&e),
                    }
                }
            }
        }
    }

    fn message(&self, due: &Due) -> Result<Message, String> {
        let inquiry = &due.inquiry;
        // One plain address, never a mailbox parsed from the text: `"Name" <a@b.co>` would let
        // the sender choose the name the recipient sees.
        let to = inquiry
            .email
            .trim()
            .parse::<Address>()
            .map(|address| Mailbox::new(None, address))
            .map_err(|e| format!("cannot write to {:?}: {e}", inquiry.email))?;
        let locale = inquiry.locale.parse().unwrap_or(Locale::En);
        let due_date: Date = inquiry
            .due_date
            .parse()
            .map_err(|e| format!("the stored due date: {e}"))?;
        let text = acknowledgement(locale, &inquiry.ticket_id, due_date);
        // The same id on every attempt, so a copy sent twice can be recognised.
        let domain = self.from.email.domain().to_owned();
        // Quoted-printable: valid through any SMTP server (7-bit, short lines), whatever the
        // language, and the ASCII parts (the ticket) stay readable in the raw message.
        let body = Body::new_with_encoding(text.body, ContentTransferEncoding::QuotedPrintable)
            .map_err(|_| "the text cannot be encoded".to_owned())?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(text.subject)
            .message_id(Some(format!(
                "<{}.acknowledgement@{domain}>",
                inquiry.ticket_id
            )))
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| format!("cannot build the e-mail: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbox::Forwarded;

    fn due(email: &str) -> Due {
        Due {
            attempts: 0,
            retrying_since: 0,
            inquiry: Forwarded {
                ticket_id: "DF-0123456789".into(),
                desk: "login".into(),
                due_date: "2026-12-01".into(),
                received_at: "2026-11-28T13:00:00Z".into(),
                email: email.into(),
                name: "Mai".into(),
                plan: Some("business".into()),
                customer_id: None,
                subject: "s".into(),
                message: "m".into(),
                locale: "en".into(),
            },
        }
    }

    fn mailer() -> Mailer {
        Mailer::new(&Acknowledging::new(
            "smtp://127.0.0.1:25".into(),
            "Support <support@example.com>".into(),
        ))
        .unwrap()
    }

    /// The recipient is a bare address: whatever was stored, the sender never chooses the name
    /// the recipient's mail program shows beside it.
    #[test]
    fn the_recipient_is_one_plain_address_never_a_named_mailbox() {
        let mailer = mailer();
        let message = mailer.message(&due("victim@example.com")).unwrap();
        let raw = String::from_utf8(message.formatted()).unwrap();
        assert!(raw.contains("\r\nTo: victim@example.com\r\n"), "{raw}");
        for named in [
            "\"FREE-CRYPTO\" <victim@example.com>",
            "\"FREE-CRYPTO\"<victim@example.com>",
            "FREE CRYPTO <victim@example.com>",
            "victim@example.com, other@example.com",
        ] {
            let refused = mailer.message(&due(named));
            assert!(
                refused
                    .as_ref()
                    .is_err_and(|e| e.starts_with("cannot write to")),
                "{named}: {:?}",
                refused.map(|m| String::from_utf8(m.formatted()).unwrap())
            );
        }
    }
}
