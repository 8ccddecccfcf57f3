//! The customer's draft, and where it is kept: in the browser's storage so that a reload loses
//! nothing, for one owner only, for a limited time.
//!
//! # Whose draft
//!
//! A widget keeps at most two drafts, in two [`DraftSlot`]s:
//! - the **visitor's** (nobody signed in, or a page that states the plan itself): what was typed,
//!   the email and name included;
//! - the **account's** (a signed-in customer, known from `data-session-url`): only what the
//!   customer typed (desk, subject, message, the send in progress). The account's email and name
//!   are never stored: they come from the session each time.
//!
//! The account's draft carries an owner tag, and is shown only to the same account. The tag is
//! SipHash-2-4 (128 bits) of the account's email, keyed with a random 128-bit secret made for
//! this browser on first use and kept in its storage (see [`DraftStorage::owner_secret`]).
//! SipHash is a keyed pseudorandom function, small in wasm and synchronous (the Web Crypto
//! digests are asynchronous, which a form restored in its first render cannot wait for); the
//! random key means the tag is not the email, cannot be looked up in a table made elsewhere,
//! and differs from one browser to the next. Someone who can read this browser's storage holds
//! the key too and could test a guessed address: no tag the widget can check by itself offline
//! prevents that. What protects a customer on a shared computer is that the account's draft
//! does not outlive their leaving it: the next load of the form under anyone else (another
//! account, or signed out) removes it, and every draft expires ([`DraftTtl`]).
//!
//! Scoping is strict: the account's draft is shown only to its owner, and the visitor's draft
//! only when nobody is signed in. The visitor's draft is not removed when someone signs in
//! (it belongs to the person who uses the browser signed out), only not shown. When the
//! session cannot be read ([`DraftOwner::Unconfirmed`]) the form is the visitor's, but the
//! account's draft is kept, not shown: the session may answer on the retry, and a failing
//! network must not destroy a customer's text.
//!
//! # In what order
//!
//! The session arrives after the first render. Until it has, the widget shows a placeholder and
//! no form (`App`), so a draft is restored once, under the owner the session names, and never
//! shows for a moment under another. The form is keyed by the identity: a new owner is a new
//! form, with its own [`DraftStore`] made when the form is (a later prop never moves a draft to
//! another owner's slot). The old form runs no more effects once it is gone (yew skips the
//! `rendered` step of a destroyed component), so nothing is saved for the previous owner after
//! the new one's load removed their draft.
//!
//! # When
//!
//! A stored draft says when it was saved (the host's clock, passed in). One older than the
//! page's [`DraftTtl`] (or dated that far in the future: a clock set wrong) is removed and not
//! shown; so is one with no date, as the widget stored before it had one (those could hold a
//! signed-in customer's email and name).

use std::fmt;
use std::str::FromStr;

use deskform_core::{Field, InquiryFields};
use serde::{Deserialize, Serialize};
use siphasher::sip128::{Hasher128, SipHasher24};

use crate::host::{DraftSlot, DraftStorage, UnixTime};

/// What a customer has typed and chosen, and where sending it stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    /// The chosen desk's id, as stored (checked against the catalog on restore).
    pub desk: Option<String>,
    pub fields: InquiryFields,
    /// The idempotency key of this draft, from its first send on.
    pub key: Option<String>,
    /// A send was started and not yet answered: a reload resumes it with the same key.
    pub pending: bool,
}

impl Draft {
    /// Whether there is nothing worth keeping.
    pub fn is_empty(&self) -> bool {
        !self.pending
            && self.desk.is_none()
            && Field::ALL.iter().all(|f| self.fields.get(*f).is_empty())
    }
}

/// What a page fills a new form with (`prefill` of the mount API): used only when there is no
/// draft to restore. A desk the viewer may not use is dropped and a signed-in customer's email
/// and name replace these, as for any draft ([`crate::state::FormState::new`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prefill {
    pub desk: Option<String>,
    pub fields: InquiryFields,
}

impl Prefill {
    /// Reads `desk` and the fields by name; `get` answers `None` for an absent one.
    pub fn read(get: &dyn Fn(&str) -> Option<String>) -> Self {
        let mut fields = InquiryFields::default();
        for field in Field::ALL {
            *fields.get_mut(field) = get(field.id()).unwrap_or_default();
        }
        Self {
            desk: get("desk").filter(|d| !d.trim().is_empty()),
            fields,
        }
    }

    /// The draft a new form starts from: the stored one when there is one worth keeping,
    /// else this.
    pub fn or_stored(prefill: Option<&Self>, stored: Option<Draft>) -> Option<Draft> {
        stored.filter(|d| !d.is_empty()).or_else(|| {
            prefill.map(|p| Draft {
                desk: p.desk.clone(),
                fields: p.fields.clone(),
                ..Draft::default()
            })
        })
    }
}

/// How long a stored draft is kept after its last change (`data-draft-ttl`).
///
/// Written as a whole number and a unit, `s`, `m`, `h` or `d`: `7d`, `12h`, `30m`, `90s`; at
/// most 365 days. `0` keeps no draft at all (and removes one stored before). The default is
/// 7 days ([`DraftTtl::DEFAULT_TEXT`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DraftTtl {
    seconds: u32,
}

impl DraftTtl {
    /// No draft is stored.
    pub const NEVER: DraftTtl = DraftTtl { seconds: 0 };
    /// The default, as `data-draft-ttl` writes it (for messages: no formatter in the wasm).
    pub const DEFAULT_TEXT: &'static str = "7d";
    const MAX_SECONDS: u32 = 365 * DAY;

    /// How many seconds a draft is kept; 0 is not at all.
    pub fn seconds(self) -> u32 {
        self.seconds
    }

    /// Whether a draft saved at `saved` is still kept at `now`.
    fn keeps(self, saved: UnixTime, now: UnixTime) -> bool {
        saved.0.abs_diff(now.0) < u64::from(self.seconds)
    }
}

const DAY: u32 = 86_400;

impl Default for DraftTtl {
    fn default() -> Self {
        Self { seconds: 7 * DAY }
    }
}

/// Why a `data-draft-ttl` value is not a [`DraftTtl`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseDraftTtlError {
    /// Not a whole number followed by a unit.
    NotADuration,
    /// Over 365 days.
    TooLong,
}

impl fmt::Display for ParseDraftTtlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotADuration => f.write_str(
                "expected a whole number and a unit (s, m, h or d), like 7d, 12h or 30m, or 0 to keep no draft",
            ),
            Self::TooLong => f.write_str("a draft is kept at most 365d"),
        }
    }
}

impl std::error::Error for ParseDraftTtlError {}

impl FromStr for DraftTtl {
    type Err = ParseDraftTtlError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text == "0" {
            return Ok(Self::NEVER);
        }
        let split = text.len().saturating_sub(1);
        let (number, unit) = (text.get(..split), text.get(split..));
        let unit_seconds = match unit {
            Some("s") => 1,
            Some("m") => 60,
            Some("h") => 3600,
            Some("d") => DAY,
            _ => return Err(ParseDraftTtlError::NotADuration),
        };
        let number = number.unwrap_or_default();
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ParseDraftTtlError::NotADuration);
        }
        // The digits by hand: `u32::from_str` would add its own parser to the wasm.
        let seconds = number
            .bytes()
            .try_fold(0u32, |n, digit| {
                n.checked_mul(10)?.checked_add(u32::from(digit - b'0'))
            })
            .and_then(|n| n.checked_mul(unit_seconds))
            .filter(|s| *s <= Self::MAX_SECONDS)
            .ok_or(ParseDraftTtlError::TooLong)?;
        Ok(Self { seconds })
    }
}

/// Whose draft a form keeps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum DraftOwner {
    /// Nobody is signed in, or the page states the plan itself and no identity.
    #[default]
    Visitor,
    /// The session could not be read: the form is the visitor's, and a signed-in customer's
    /// stored draft is kept (not shown), since it may be theirs once the session answers.
    Unconfirmed,
    /// The signed-in account with this email.
    Account { email: String },
}

/// The owner tag of an account's draft: SipHash-2-4 of the email under the browser's secret,
/// as 32 hexadecimal digits.
fn owner_tag(secret: &[u8; 16], email: &str) -> String {
    let mut hasher = SipHasher24::new_with_key(secret);
    std::hash::Hasher::write(&mut hasher, email.as_bytes());
    format!("{:032x}", hasher.finish128().as_u128())
}

/// The draft as stored: one flat object (`owner` for an account's draft, `saved_at`, `desk`,
/// the fields by id, `key`, `pending`). Missing and unknown members are allowed: an older or
/// newer widget may have saved it. A flat struct with two conversions, not `#[serde(flatten)]`
/// of the core's `InquiryFields`: flatten reads every member through serde's buffered
/// `Content`, code every visitor would download.
#[derive(Default, Serialize, Deserialize)]
#[serde(default)]
struct StoredDraft {
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<String>,
    saved_at: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    desk: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    email: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    subject: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    #[serde(skip_serializing_if = "is_false")]
    pending: bool,
}

fn is_false(value: &bool) -> bool {
    !value
}

impl StoredDraft {
    fn new(draft: Draft, owner: Option<String>, saved: UnixTime) -> Self {
        let Draft {
            desk,
            fields:
                InquiryFields {
                    email,
                    name,
                    subject,
                    message,
                },
            key,
            pending,
        } = draft;
        Self {
            owner,
            saved_at: Some(saved.0),
            desk,
            email,
            name,
            subject,
            message,
            key,
            pending,
        }
    }

    fn into_draft(self) -> Draft {
        let Self {
            desk,
            email,
            name,
            subject,
            message,
            key,
            pending,
            ..
        } = self;
        Draft {
            desk,
            fields: InquiryFields {
                email,
                name,
                subject,
                message,
            },
            key,
            pending,
        }
    }
}

/// Whose draft a form keeps, as the store checks it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Scope {
    Visitor,
    Unconfirmed,
    /// An account, by its owner tag.
    Account(String),
}

/// What to do with a stored draft.
enum Verdict {
    Show(Draft),
    /// Someone else's, and still theirs to find.
    Keep,
    Remove,
}

/// One form's drafts: restores the draft of its owner, saves what is typed in the owner's slot,
/// and removes what must not stay (expired, unreadable, another account's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftStore {
    scope: Scope,
    ttl: DraftTtl,
}

impl DraftStore {
    /// The store of a form kept by `owner`, keeping drafts for `ttl`.
    pub fn new<S: DraftStorage + ?Sized>(storage: &S, owner: &DraftOwner, ttl: DraftTtl) -> Self {
        let scope = match owner {
            DraftOwner::Visitor => Scope::Visitor,
            DraftOwner::Unconfirmed => Scope::Unconfirmed,
            DraftOwner::Account { email } => {
                Scope::Account(owner_tag(&storage.owner_secret(), email))
            }
        };
        Self { scope, ttl }
    }

    /// The slot this form's draft is saved in.
    fn slot(&self) -> DraftSlot {
        match self.scope {
            Scope::Account(_) => DraftSlot::Account,
            Scope::Visitor | Scope::Unconfirmed => DraftSlot::Visitor,
        }
    }

    /// The owner's draft at `now`, if one is stored; removes on the way what must not stay: an
    /// expired or unreadable draft, and another account's (or any, with a TTL of 0).
    pub fn load<S: DraftStorage + ?Sized>(&self, storage: &S, now: UnixTime) -> Option<Draft> {
        let mut shown = None;
        for slot in [DraftSlot::Visitor, DraftSlot::Account] {
            let Some(text) = storage.load_draft(slot) else {
                continue;
            };
            match self.judge(slot, &text, now) {
                Verdict::Show(draft) => shown = Some(draft),
                Verdict::Keep => {}
                Verdict::Remove => storage.save_draft(slot, None),
            }
        }
        shown
    }

    fn judge(&self, slot: DraftSlot, text: &str, now: UnixTime) -> Verdict {
        let Some(stored) = deskform_core::api::read_object::<StoredDraft>(text) else {
            return Verdict::Remove;
        };
        if !stored
            .saved_at
            .is_some_and(|saved| self.ttl.keeps(UnixTime(saved), now))
        {
            return Verdict::Remove;
        }
        match (slot, &self.scope, &stored.owner) {
            // A tagged draft in the visitor's slot is nobody's to show.
            (DraftSlot::Visitor, _, Some(_)) => Verdict::Remove,
            (DraftSlot::Visitor, Scope::Account(_), None) => Verdict::Keep,
            (DraftSlot::Visitor, _, None) => Verdict::Show(stored.into_draft()),
            (DraftSlot::Account, Scope::Account(tag), Some(owner)) if owner == tag => {
                let mut draft = stored.into_draft();
                // Never stored so; the session's identity fills them.
                draft.fields.email.clear();
                draft.fields.name.clear();
                Verdict::Show(draft)
            }
            (DraftSlot::Account, Scope::Unconfirmed, Some(_)) => Verdict::Keep,
            (DraftSlot::Account, _, _) => Verdict::Remove,
        }
    }

    /// The stored text of `draft` saved at `now`; `None` when nothing is to be kept. For an
    /// account, the email and name (the session's) are left out.
    pub fn to_text(&self, draft: &Draft, now: UnixTime) -> Option<String> {
        let mut draft = draft.clone();
        let owner = match &self.scope {
            Scope::Account(tag) => {
                draft.fields.email.clear();
                draft.fields.name.clear();
                Some(tag.clone())
            }
            Scope::Visitor | Scope::Unconfirmed => None,
        };
        if self.ttl == DraftTtl::NEVER || draft.is_empty() {
            return None;
        }
        serde_json::to_string(&StoredDraft::new(draft, owner, now)).ok()
    }

    /// Saves `draft` at `now` in the owner's slot; an empty draft (or any, with a TTL of 0)
    /// removes the stored one.
    pub fn save<S: DraftStorage + ?Sized>(&self, storage: &S, draft: &Draft, now: UnixTime) {
        let text = self.to_text(draft, now);
        storage.save_draft(self.slot(), text.as_deref());
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;

    #[test]
    fn a_prefill_fills_only_a_form_without_a_draft_worth_keeping() {
        let given = [
            ("desk", "login"),
            ("subject", "Order 12"),
            ("email", "a@example.com"),
        ];
        let prefill = Prefill::read(&|name| {
            given
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        });
        assert_eq!(prefill.desk.as_deref(), Some("login"));
        assert_eq!(prefill.fields.subject, "Order 12");
        assert_eq!(prefill.fields.message, "");
        let filled = Prefill::or_stored(Some(&prefill), None).unwrap();
        assert_eq!(filled.desk.as_deref(), Some("login"));
        assert_eq!(filled.fields.email, "a@example.com");
        assert_eq!(filled.key, None);
        // An empty stored draft is nothing worth keeping; a typed one wins.
        let empty = Some(Draft::default());
        assert_eq!(Prefill::or_stored(Some(&prefill), empty), Some(filled));
        let typed = Draft {
            fields: InquiryFields {
                message: "typed".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        assert_eq!(
            Prefill::or_stored(Some(&prefill), Some(typed.clone())),
            Some(typed)
        );
        assert_eq!(Prefill::or_stored(None, None), None);
        assert_eq!(Prefill::read(&|_| Some(" ".into())).desk, None);
    }

    /// A browser's storage: the two slots and a fixed secret.
    #[derive(Default)]
    struct Memory {
        visitor: RefCell<Option<String>>,
        account: RefCell<Option<String>>,
        secret: [u8; 16],
    }

    impl Memory {
        fn slot(&self, slot: DraftSlot) -> &RefCell<Option<String>> {
            match slot {
                DraftSlot::Visitor => &self.visitor,
                DraftSlot::Account => &self.account,
            }
        }

        fn text(&self, slot: DraftSlot) -> Option<String> {
            self.slot(slot).borrow().clone()
        }

        /// Everything stored, as one text to search.
        fn everything(&self) -> String {
            format!("{:?} {:?}", self.visitor.borrow(), self.account.borrow())
        }
    }

    impl DraftStorage for Memory {
        fn load_draft(&self, slot: DraftSlot) -> Option<String> {
            self.text(slot)
        }
        fn save_draft(&self, slot: DraftSlot, text: Option<&str>) {
            *self.slot(slot).borrow_mut() = text.map(str::to_owned);
        }
        fn owner_secret(&self) -> [u8; 16] {
            self.secret
        }
    }

    const NOW: UnixTime = UnixTime(1_795_000_000);
    const HOUR: u64 = 3600;

    fn later(seconds: u64) -> UnixTime {
        UnixTime(NOW.0 + seconds)
    }

    fn account(email: &str) -> DraftOwner {
        DraftOwner::Account {
            email: email.into(),
        }
    }

    fn store(storage: &Memory, owner: DraftOwner) -> DraftStore {
        DraftStore::new(storage, &owner, DraftTtl::default())
    }

    /// What a signed-in customer's form holds: the session's identity and what they typed.
    fn signed_in_draft() -> Draft {
        Draft {
            desk: Some("usage".into()),
            fields: InquiryFields {
                email: "business.customer@example.com".into(),
                name: "Business customer".into(),
                subject: "Export".into(),
                message: "How do I export a note?".into(),
            },
            key: Some("key-0123456789abcdef".into()),
            pending: true,
        }
    }

    fn typed(subject: &str) -> Draft {
        Draft {
            fields: InquiryFields {
                email: "visitor@example.com".into(),
                subject: subject.into(),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    #[test]
    fn an_accounts_draft_stores_what_was_typed_and_never_the_identity() {
        let storage = Memory::default();
        let mine = store(&storage, account("business.customer@example.com"));
        mine.save(&storage, &signed_in_draft(), NOW);
        let text = storage.text(DraftSlot::Account).expect("stored");
        assert!(!text.contains("example.com"), "{text}");
        assert!(!text.contains("Business customer"), "{text}");
        assert!(
            !text.contains("\"email\"") && !text.contains("\"name\""),
            "{text}"
        );
        let tag = owner_tag(&[0; 16], "business.customer@example.com");
        assert_eq!(
            text,
            format!(
                r#"{{"owner":"{tag}","saved_at":1795000000,"desk":"usage","subject":"Export","message":"How do I export a note?","key":"key-0123456789abcdef","pending":true}}"#
            )
        );
        assert_eq!(storage.text(DraftSlot::Visitor), None);

        // Restored for the same account: what was typed, and the identity left to the session.
        let restored = mine.load(&storage, later(HOUR)).expect("restored");
        assert_eq!(restored.fields.subject, "Export");
        assert_eq!(restored.fields.email, "");
        assert_eq!(restored.fields.name, "");
        assert_eq!(restored.key.as_deref(), Some("key-0123456789abcdef"));
        assert!(restored.pending);
    }

    #[test]
    fn an_accounts_draft_with_only_the_identity_is_not_stored() {
        let storage = Memory::default();
        let mine = store(&storage, account("business.customer@example.com"));
        let identity_only = Draft {
            fields: InquiryFields {
                email: "business.customer@example.com".into(),
                name: "Business customer".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        mine.save(&storage, &typed("x"), NOW);
        mine.save(&storage, &identity_only, NOW);
        assert_eq!(storage.everything(), "None None");
    }

    #[test]
    fn the_owner_tag_is_not_the_email_and_depends_on_the_browsers_secret() {
        let a = owner_tag(&[0; 16], "a@example.com");
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(!a.contains("example"));
        assert_ne!(a, owner_tag(&[0; 16], "b@example.com"));
        assert_ne!(a, owner_tag(&[1; 16], "a@example.com"));
        assert_eq!(a, owner_tag(&[0; 16], "a@example.com"));
    }

    #[test]
    fn another_account_sees_nothing_and_the_draft_is_removed() {
        let storage = Memory::default();
        store(&storage, account("business.customer@example.com")).save(
            &storage,
            &signed_in_draft(),
            NOW,
        );
        let other = store(&storage, account("free.customer@example.com"));
        assert_eq!(other.load(&storage, later(1)), None);
        assert_eq!(storage.text(DraftSlot::Account), None);
    }

    #[test]
    fn signed_out_sees_nothing_of_the_account_and_its_draft_is_removed() {
        let storage = Memory::default();
        store(&storage, account("business.customer@example.com")).save(
            &storage,
            &signed_in_draft(),
            NOW,
        );
        let visitor = store(&storage, DraftOwner::Visitor);
        assert_eq!(visitor.load(&storage, later(1)), None);
        assert_eq!(storage.everything(), "None None");
        // Signing in again as the same account finds nothing: the sign-out removed it.
        let again = store(&storage, account("business.customer@example.com"));
        assert_eq!(again.load(&storage, later(2)), None);
    }

    #[test]
    fn an_unread_session_keeps_the_accounts_draft_without_showing_it() {
        let storage = Memory::default();
        let mine = store(&storage, account("business.customer@example.com"));
        mine.save(&storage, &signed_in_draft(), NOW);
        let unconfirmed = store(&storage, DraftOwner::Unconfirmed);
        assert_eq!(unconfirmed.load(&storage, later(1)), None);
        // What is typed meanwhile is the visitor's.
        unconfirmed.save(&storage, &typed("meanwhile"), later(2));
        assert!(storage
            .text(DraftSlot::Visitor)
            .unwrap()
            .contains("meanwhile"));
        // The session answers on the retry: the customer's draft is there.
        let restored = mine.load(&storage, later(3)).expect("kept");
        assert_eq!(restored.fields.subject, "Export");
        // And the visitor's, kept too, is not shown to the account.
        assert!(storage.text(DraftSlot::Visitor).is_some());
    }

    #[test]
    fn the_visitors_draft_is_not_shown_to_an_account_but_kept_for_the_visitor() {
        let storage = Memory::default();
        let visitor = store(&storage, DraftOwner::Visitor);
        visitor.save(&storage, &typed("signed out"), NOW);
        let text = storage.text(DraftSlot::Visitor).unwrap();
        assert_eq!(
            text,
            r#"{"saved_at":1795000000,"email":"visitor@example.com","subject":"signed out"}"#
        );
        let mine = store(&storage, account("business.customer@example.com"));
        assert_eq!(mine.load(&storage, later(1)), None);
        assert_eq!(storage.text(DraftSlot::Visitor), Some(text));
        assert_eq!(visitor.load(&storage, later(2)), Some(typed("signed out")));
    }

    #[test]
    fn a_draft_expires_after_the_ttl_and_is_removed() {
        let storage = Memory::default();
        let ttl: DraftTtl = "12h".parse().unwrap();
        let visitor = DraftStore::new(&storage, &DraftOwner::Visitor, ttl);
        visitor.save(&storage, &typed("fresh"), NOW);
        assert_eq!(
            visitor.load(&storage, later(12 * HOUR - 1)),
            Some(typed("fresh"))
        );
        assert_eq!(visitor.load(&storage, later(12 * HOUR)), None);
        assert_eq!(storage.text(DraftSlot::Visitor), None);

        // The default: 7 days.
        let mine = store(&storage, account("a@example.com"));
        mine.save(&storage, &signed_in_draft(), NOW);
        assert!(mine.load(&storage, later(7 * 24 * HOUR - 1)).is_some());
        assert_eq!(mine.load(&storage, later(7 * 24 * HOUR)), None);
        assert_eq!(storage.everything(), "None None");
    }

    #[test]
    fn a_draft_dated_beyond_the_ttl_in_the_future_is_removed() {
        let storage = Memory::default();
        let visitor = store(&storage, DraftOwner::Visitor);
        visitor.save(&storage, &typed("from the future"), later(8 * 24 * HOUR));
        assert_eq!(visitor.load(&storage, NOW), None);
        assert_eq!(storage.everything(), "None None");
    }

    #[test]
    fn a_ttl_of_0_stores_nothing_and_removes_what_was_stored() {
        let storage = Memory::default();
        store(&storage, DraftOwner::Visitor).save(&storage, &typed("before"), NOW);
        store(&storage, account("a@example.com")).save(&storage, &signed_in_draft(), NOW);
        let never = DraftStore::new(&storage, &DraftOwner::Visitor, DraftTtl::NEVER);
        assert_eq!(never.load(&storage, NOW), None);
        assert_eq!(storage.everything(), "None None");
        never.save(&storage, &typed("typed"), NOW);
        assert_eq!(storage.everything(), "None None");
    }

    #[test]
    fn drafts_without_a_date_unreadable_or_misplaced_are_removed() {
        for (slot, text) in [
            // What the widget stored before drafts had an owner and a date: it may hold a
            // signed-in customer's identity.
            (
                DraftSlot::Visitor,
                r#"{"desk":"login","email":"business.customer@example.com","name":"Business customer","subject":"","message":"Hi"}"#,
            ),
            (DraftSlot::Visitor, "not json"),
            (DraftSlot::Visitor, "null"),
            (DraftSlot::Visitor, r#"{"saved_at":"yesterday"}"#),
            (
                DraftSlot::Visitor,
                r#"{"saved_at":1795000000,"pending":"yes"}"#,
            ),
            // The members in order, as serde would read a struct from an array: not a draft.
            (DraftSlot::Visitor, r#"[null,1795000000,"login"]"#),
            // An account's draft in the visitor's slot, or one without an owner in the account's.
            (
                DraftSlot::Visitor,
                r#"{"owner":"00","saved_at":1795000000,"subject":"Hi"}"#,
            ),
            (
                DraftSlot::Account,
                r#"{"saved_at":1795000000,"subject":"Hi"}"#,
            ),
        ] {
            for owner in [
                DraftOwner::Visitor,
                DraftOwner::Unconfirmed,
                account("a@example.com"),
            ] {
                let storage = Memory::default();
                storage.save_draft(slot, Some(text));
                assert_eq!(
                    store(&storage, owner.clone()).load(&storage, NOW),
                    None,
                    "{text}"
                );
                assert_eq!(storage.everything(), "None None", "{text} {owner:?}");
            }
        }
    }

    #[test]
    fn a_stored_draft_may_lack_members_or_have_others() {
        let storage = Memory::default();
        storage.save_draft(
            DraftSlot::Visitor,
            Some(r#"{"saved_at":1795000000,"subject":"Hi","theme":"dark"}"#),
        );
        let draft = store(&storage, DraftOwner::Visitor).load(&storage, NOW);
        assert_eq!(
            draft,
            Some(Draft {
                fields: InquiryFields {
                    subject: "Hi".into(),
                    ..Default::default()
                },
                ..Default::default()
            })
        );
    }

    #[test]
    fn an_empty_draft_removes_the_stored_one() {
        let storage = Memory::default();
        let visitor = store(&storage, DraftOwner::Visitor);
        visitor.save(&storage, &typed("x"), NOW);
        visitor.save(&storage, &Draft::default(), NOW);
        assert_eq!(storage.everything(), "None None");
    }

    #[test]
    fn the_ttl_is_a_number_and_a_unit() {
        for (text, seconds) in [
            ("0", 0),
            ("0d", 0),
            ("90s", 90),
            ("30m", 1800),
            ("12h", 43_200),
            ("7d", 604_800),
            ("365d", 31_536_000),
        ] {
            assert_eq!(
                text.parse::<DraftTtl>().map(DraftTtl::seconds),
                Ok(seconds),
                "{text}"
            );
        }
        for text in [
            "", "7", "d", "7 d", "7days", "+7d", "-1d", "1.5h", "7D", "１d", "7dd",
        ] {
            assert_eq!(
                text.parse::<DraftTtl>(),
                Err(ParseDraftTtlError::NotADuration),
                "{text}"
            );
        }
        for text in ["366d", "99999999999d", "4294967296s"] {
            assert_eq!(
                text.parse::<DraftTtl>(),
                Err(ParseDraftTtlError::TooLong),
                "{text}"
            );
        }
        assert_eq!(DraftTtl::DEFAULT_TEXT.parse(), Ok(DraftTtl::default()));
        assert_eq!(
            ParseDraftTtlError::NotADuration.to_string(),
            "expected a whole number and a unit (s, m, h or d), like 7d, 12h or 30m, or 0 to keep no draft"
        );
    }
}
