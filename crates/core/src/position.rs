//! Lines and columns in a JSON text, as people count them: 1-based, columns in characters.

use std::fmt;

/// A 1-based line and column (counted in characters) in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` in `text`.
    pub fn of(text: &str, offset: usize) -> Position {
        let before = &text[..floor_char_boundary(text, offset)];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Position {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// `offset`, or the start of the character it falls in, within `text`.
fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Positions of many byte offsets, given in ascending order, in one pass over the text.
pub(crate) struct PositionCursor<'t> {
    text: &'t str,
    offset: usize,
    position: Position,
}

impl<'t> PositionCursor<'t> {
    pub fn new(text: &'t str) -> Self {
        PositionCursor {
            text,
            offset: 0,
            position: Position { line: 1, column: 1 },
        }
    }

    /// The position of byte `offset`, which should not be before the previous one asked for.
    pub fn advance_to(&mut self, offset: usize) -> Position {
        if offset < self.offset {
            return Position::of(self.text, offset);
        }
        let end = floor_char_boundary(self.text, offset);
        for c in self.text[self.offset.min(end)..end].chars() {
            if c == '\n' {
                self.position = Position {
                    line: self.position.line + 1,
                    column: 1,
                };
            } else {
                self.position.column += 1;
            }
        }
        self.offset = self.offset.max(end);
        self.position
    }
}

/// The byte offset in `text` of a serde_json error found while reading `text`.
///
/// serde_json counts columns in bytes and points at the last byte it read; at the end of the
/// input the offset is the end of the text, so a truncated document is reported where it stops.
pub(crate) fn error_offset(text: &str, error: &serde_json::Error) -> usize {
    if error.classify() == serde_json::error::Category::Eof {
        return text.len();
    }
    let line_start = if error.line() <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(error.line() - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    (line_start + error.column().saturating_sub(1)).min(text.len())
}

/// A serde_json error's message without the " at line L column C" it ends with.
pub(crate) fn error_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    match text.strip_suffix(&suffix) {
        Some(message) => message.to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_agrees_with_one_by_one_positions() {
        let text = "a\né\n日本語 x\n\nlast";
        let mut cursor = PositionCursor::new(text);
        for offset in [0, 1, 2, 3, 4, 5, 9, 12, 14, 15, 16, 19, 40] {
            assert_eq!(
                cursor.advance_to(offset),
                Position::of(text, offset),
                "{offset}"
            );
        }
        assert_eq!(cursor.advance_to(1), Position::of(text, 1));
    }

    #[test]
    fn positions_never_split_a_character() {
        let text = "é";
        assert_eq!(Position::of(text, 1), Position { line: 1, column: 1 });
        assert_eq!(Position::of(text, 99), Position { line: 1, column: 2 });
    }

    fn syntax_error(text: &str) -> (Position, String) {
        let error = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
        (
            Position::of(text, error_offset(text, &error)),
            error_message(&error),
        )
    }

    #[test]
    fn serde_json_errors_are_placed_in_characters() {
        assert_eq!(
            syntax_error("{\"a\": 1,}"),
            (Position { line: 1, column: 9 }, "trailing comma".into())
        );
        assert_eq!(syntax_error("[1 2]").0, Position { line: 1, column: 4 });
        assert_eq!(syntax_error("\n  'x'").0, Position { line: 2, column: 3 });
        // Columns count characters, not the bytes serde_json counts.
        assert_eq!(
            syntax_error("[\"日本\", x]").0,
            Position { line: 1, column: 8 }
        );
        assert_eq!(
            syntax_error("{\"a\": [1,"),
            (
                Position {
                    line: 1,
                    column: 10
                },
                "EOF while parsing a value".into()
            )
        );
        assert_eq!(syntax_error("").0, Position { line: 1, column: 1 });
    }
}
