//! The form's state and every change to it, as a reducer. Plain data: no yew, no browser.

use std::rc::Rc;

use deskform_core::{check_field, Date, DeskId, Field, FieldProblem, InquiryFields};
use yew::Reducible;

/// What a customer has typed and chosen; saved so that a reload loses nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    /// The chosen desk's id, as stored (checked against the catalog on restore).
    pub desk: Option<String>,
    pub fields: InquiryFields,
}

impl Draft {
    /// Whether there is nothing worth keeping.
    pub fn is_empty(&self) -> bool {
        self.desk.is_none() && Field::ALL.iter().all(|f| self.fields.get(*f).is_empty())
    }
}

/// What the last press of the submit button led to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// Not pressed since the last edit.
    None,
    /// Some fields need fixing; this many problems.
    Invalid(usize),
    /// The form is complete, but this page cannot send.
    NotSent,
}

/// The state of one widget's form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormState {
    pub draft: Draft,
    /// The desks this viewer may choose; nothing else is ever chosen.
    allowed: Rc<[DeskId]>,
    /// Today at the desk (the catalog's time zone).
    pub desk_today: Date,
    /// Today where the visitor is.
    pub local_today: Date,
    touched: [bool; 4],
    submitted: bool,
    pub outcome: SubmitOutcome,
}

/// A change to the form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    ChooseDesk(String),
    Edit(Field, String),
    /// The customer left a field: its problems may now be shown.
    Leave(Field),
    Submit,
    /// The clock moved on; the dates may have changed.
    Clock {
        desk_today: Date,
        local_today: Date,
    },
}

impl FormState {
    /// A form restored from `draft`; a stored desk the viewer may not use is dropped, the text
    /// is kept.
    pub fn new(
        draft: Option<Draft>,
        allowed: Vec<DeskId>,
        desk_today: Date,
        local_today: Date,
    ) -> Self {
        let mut draft = draft.unwrap_or_default();
        if !draft
            .desk
            .as_deref()
            .is_some_and(|d| allowed.iter().any(|a| a == d))
        {
            draft.desk = None;
        }
        Self {
            draft,
            allowed: allowed.into(),
            desk_today,
            local_today,
            touched: [false; 4],
            submitted: false,
            outcome: SubmitOutcome::None,
        }
    }

    /// The problem to show for a field, if the customer has left it or pressed submit.
    pub fn shown_problem(&self, field: Field) -> Option<FieldProblem> {
        if !(self.submitted || self.touched[field.index()]) {
            return None;
        }
        check_field(field, self.draft.fields.get(field))
    }

    /// Whether to say that no desk is chosen.
    pub fn desk_missing_shown(&self) -> bool {
        self.submitted && self.draft.desk.is_none()
    }

    /// The first field (in form order) with a problem shown, where focus should go.
    pub fn first_shown_problem(&self) -> Option<Field> {
        Field::ALL
            .into_iter()
            .find(|f| self.shown_problem(*f).is_some())
    }

    fn problem_count(&self) -> usize {
        self.draft.fields.problems().len() + usize::from(self.draft.desk.is_none())
    }
}

impl Reducible for FormState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::ChooseDesk(id) => {
                if !next.allowed.iter().any(|a| *a == *id) || next.draft.desk.as_ref() == Some(&id)
                {
                    return self;
                }
                next.draft.desk = Some(id);
                next.outcome = SubmitOutcome::None;
            }
            Action::Edit(field, value) => {
                if next.draft.fields.get(field) == value {
                    return self;
                }
                *next.draft.fields.get_mut(field) = value;
                next.outcome = SubmitOutcome::None;
            }
            Action::Leave(field) => {
                if next.touched[field.index()] {
                    return self;
                }
                next.touched[field.index()] = true;
            }
            Action::Submit => {
                next.submitted = true;
                next.outcome = match next.problem_count() {
                    0 => SubmitOutcome::NotSent,
                    n => SubmitOutcome::Invalid(n),
                };
            }
            Action::Clock {
                desk_today,
                local_today,
            } => {
                if (desk_today, local_today) == (next.desk_today, next.local_today) {
                    return self;
                }
                next.desk_today = desk_today;
                next.local_today = local_today;
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn form(draft: Option<Draft>) -> Rc<FormState> {
        let allowed = vec!["login".parse().unwrap()];
        Rc::new(FormState::new(
            draft,
            allowed,
            date("2026-11-27"),
            date("2026-11-26"),
        ))
    }

    #[test]
    fn a_locked_desk_is_never_chosen() {
        let state = form(None).reduce(Action::ChooseDesk("usage".into()));
        assert_eq!(state.draft.desk, None);
        let state = state.reduce(Action::ChooseDesk("login".into()));
        assert_eq!(state.draft.desk.as_deref(), Some("login"));
    }

    #[test]
    fn a_restored_draft_keeps_its_text_but_not_a_desk_now_locked() {
        let draft = Draft {
            desk: Some("usage".into()),
            fields: InquiryFields {
                message: "my text".into(),
                ..Default::default()
            },
        };
        let state = form(Some(draft));
        assert_eq!(state.draft.desk, None);
        assert_eq!(state.draft.fields.message, "my text");
    }

    #[test]
    fn problems_show_after_leaving_a_field_or_submitting() {
        let state = form(None);
        assert_eq!(state.shown_problem(Field::Email), None);
        let state = state.reduce(Action::Leave(Field::Email));
        assert_eq!(
            state.shown_problem(Field::Email),
            Some(FieldProblem::Missing)
        );
        assert_eq!(state.shown_problem(Field::Subject), None);
        let state = state.reduce(Action::Submit);
        assert_eq!(state.outcome, SubmitOutcome::Invalid(4));
        assert!(state.desk_missing_shown());
        assert_eq!(state.first_shown_problem(), Some(Field::Email));
    }

    #[test]
    fn a_complete_form_is_not_sent_and_says_so() {
        let mut state = form(None).reduce(Action::ChooseDesk("login".into()));
        for (field, value) in [
            (Field::Email, "a@example.com"),
            (Field::Subject, "Reset mail"),
            (Field::Message, "No mail arrives"),
        ] {
            state = state.reduce(Action::Edit(field, value.into()));
        }
        let state = state.reduce(Action::Submit);
        assert_eq!(state.outcome, SubmitOutcome::NotSent);
        assert_eq!(state.draft.fields.email, "a@example.com");
        let state = state.reduce(Action::Edit(Field::Subject, "Reset mail!".into()));
        assert_eq!(state.outcome, SubmitOutcome::None);
    }

    #[test]
    fn the_clock_changes_only_what_changed() {
        let state = form(None);
        let same = state.clone().reduce(Action::Clock {
            desk_today: date("2026-11-27"),
            local_today: date("2026-11-26"),
        });
        assert!(Rc::ptr_eq(&state, &same));
        let next = state.reduce(Action::Clock {
            desk_today: date("2026-11-28"),
            local_today: date("2026-11-28"),
        });
        assert_eq!(next.desk_today, date("2026-11-28"));
    }
}
