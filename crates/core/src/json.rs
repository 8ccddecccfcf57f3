//! A strict JSON (RFC 8259) reader that remembers where each value starts, so that every problem
//! in a hand-written catalog can be reported at its line and column.
//!
//! Written here rather than taken from serde_json: it keeps positions for validation errors,
//! rejects duplicate keys, and costs the widget's wasm a few kilobytes instead of tens.

use std::fmt;

/// Deeper nesting than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 64;

/// A JSON value and the byte offset where it starts.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Json {
    pub value: JsonValue,
    pub at: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum JsonValue {
    Null,
    Bool(bool),
    /// A number as written (already checked against JSON's grammar). Kept as text: the
    /// catalog only needs whole numbers, and float parsing would cost the widget ~15 KB.
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<Member>),
}

/// One `"key": value` of an object.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Member {
    pub key: String,
    pub key_at: usize,
    pub value: Json,
}

impl JsonValue {
    /// What a person would call this kind of value, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            JsonValue::Null => "null",
            JsonValue::Bool(_) => "a boolean",
            JsonValue::Number(_) => "a number",
            JsonValue::String(_) => "a string",
            JsonValue::Array(_) => "an array",
            JsonValue::Object(_) => "an object",
        }
    }
}

/// Text that is not JSON, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct JsonSyntaxError {
    pub at: usize,
    pub message: String,
}

/// A 1-based line and column (counted in characters) in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` in `text`.
    pub fn of(text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Position {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
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

    /// The position of byte `offset`, which must not be before the previous one asked for.
    pub fn advance_to(&mut self, offset: usize) -> Position {
        if offset < self.offset {
            return Position::of(self.text, offset);
        }
        let mut end = offset.min(self.text.len());
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
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

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Appends `text` to `out` as a JSON string literal.
pub(crate) fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let n = c as u32;
                out.push_str("\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(HEX[((n >> shift) & 0xf) as usize] as char);
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Parses `text` as one JSON value (a leading byte-order mark is allowed).
pub(crate) fn parse(text: &str) -> Result<Json, JsonSyntaxError> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut reader = Reader {
        bytes: text.as_bytes(),
        pos: start,
        depth: 0,
    };
    reader.skip_whitespace();
    let value = reader.value()?;
    reader.skip_whitespace();
    if reader.pos < reader.bytes.len() {
        return Err(reader.error("unexpected text after the end of the JSON value"));
    }
    Ok(value)
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

impl Reader<'_> {
    fn error(&self, message: impl Into<String>) -> JsonSyntaxError {
        JsonSyntaxError {
            at: self.pos,
            message: message.into(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn expect(&mut self, byte: u8, message: &str) -> Result<(), JsonSyntaxError> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(message))
        }
    }

    fn value(&mut self) -> Result<Json, JsonSyntaxError> {
        let at = self.pos;
        let value = match self.peek() {
            None => return Err(self.error("unexpected end of input; expected a value")),
            Some(b'{') => self.object()?,
            Some(b'[') => self.array()?,
            Some(b'"') => JsonValue::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => JsonValue::Number(self.number()?),
            Some(b't') => self.literal("true", JsonValue::Bool(true))?,
            Some(b'f') => self.literal("false", JsonValue::Bool(false))?,
            Some(b'n') => self.literal("null", JsonValue::Null)?,
            Some(b'\'') => return Err(self.error("strings must use double quotes")),
            Some(_) => return Err(self.error("expected a value")),
        };
        Ok(Json { value, at })
    }

    fn literal(&mut self, word: &str, value: JsonValue) -> Result<JsonValue, JsonSyntaxError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn nest(&mut self) -> Result<(), JsonSyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("nested deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    fn array(&mut self) -> Result<JsonValue, JsonSyntaxError> {
        self.nest()?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                self.skip_whitespace();
                items.push(self.value()?);
                self.skip_whitespace();
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        self.skip_whitespace();
                        if self.peek() == Some(b']') {
                            return Err(self.error("trailing comma before `]`"));
                        }
                    }
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.error("expected `,` or `]` after an array item")),
                }
            }
        }
        self.depth -= 1;
        Ok(JsonValue::Array(items))
    }

    fn object(&mut self) -> Result<JsonValue, JsonSyntaxError> {
        self.nest()?;
        self.pos += 1;
        let mut members: Vec<Member> = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                self.skip_whitespace();
                let key_at = self.pos;
                if self.peek() != Some(b'"') {
                    return Err(self.error("expected a key in double quotes"));
                }
                let key = self.string()?;
                self.skip_whitespace();
                self.expect(b':', "expected `:` after the key")?;
                self.skip_whitespace();
                let value = self.value()?;
                members.push(Member { key, key_at, value });
                self.skip_whitespace();
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        self.skip_whitespace();
                        if self.peek() == Some(b'}') {
                            return Err(self.error("trailing comma before `}`"));
                        }
                    }
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.error("expected `,` or `}` after a value")),
                }
            }
        }
        Self::reject_duplicate_keys(&members)?;
        self.depth -= 1;
        Ok(JsonValue::Object(members))
    }

    /// Reports the first key (in document order) that repeats an earlier one.
    fn reject_duplicate_keys(members: &[Member]) -> Result<(), JsonSyntaxError> {
        // Group equal keys by hash, then compare the keys within each (tiny) group.
        let mut order: Vec<usize> = (0..members.len()).collect();
        crate::order::sort_by_key(&mut order, |&i| crate::order::text_key(&members[i].key));
        let mut repeat: Option<usize> = None;
        let mut group_start = 0;
        for end in 1..=order.len() {
            let key_at = |i: usize| crate::order::text_key(&members[order[i]].key);
            if end < order.len() && key_at(end) == key_at(group_start) {
                continue;
            }
            let group = &order[group_start..end];
            for (n, &later) in group.iter().enumerate() {
                if group[..n]
                    .iter()
                    .any(|&earlier| members[earlier].key == members[later].key)
                {
                    repeat = Some(repeat.map_or(later, |r| r.min(later)));
                }
            }
            group_start = end;
        }
        match repeat {
            Some(i) => Err(JsonSyntaxError {
                at: members[i].key_at,
                message: format!("duplicate key \"{}\"", members[i].key),
            }),
            None => Ok(()),
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonSyntaxError> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + 4)
            .filter(|d| d.iter().all(u8::is_ascii_hexdigit))
            .ok_or_else(|| self.error("expected four hex digits after `\\u`"))?;
        let code = digits
            .iter()
            .fold(0, |n, &d| n * 16 + (d as char).to_digit(16).unwrap_or(0));
        self.pos += 4;
        Ok(code)
    }

    fn string(&mut self) -> Result<String, JsonSyntaxError> {
        self.pos += 1; // the opening quote
        let mut out = String::new();
        loop {
            // Copy the run of plain characters in one go.
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // The input is a &str and the run stops only at ASCII bytes: a valid boundary.
            out.push_str(std::str::from_utf8(&self.bytes[run_start..self.pos]).unwrap_or_default());
            match self.peek() {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let escape = self.peek();
                    self.pos += 1;
                    match escape {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => out.push(self.unicode_escape()?),
                        _ => {
                            self.pos -= 1;
                            return Err(self.error("unknown escape sequence"));
                        }
                    }
                }
                Some(_) => {
                    return Err(self.error("control character in a string; escape it (e.g. \\n)"))
                }
            }
        }
    }

    fn unicode_escape(&mut self) -> Result<char, JsonSyntaxError> {
        let high = self.hex4()?;
        let code = match high {
            0xD800..=0xDBFF => {
                if !self.bytes[self.pos..].starts_with(b"\\u") {
                    return Err(self.error("unpaired surrogate in `\\u` escape"));
                }
                self.pos += 2;
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(self.error("unpaired surrogate in `\\u` escape"));
                }
                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error("unpaired surrogate in `\\u` escape")),
            _ => high,
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid `\\u` escape"))
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<String, JsonSyntaxError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        match self.digits() {
            0 => return Err(self.error("expected digits in a number")),
            n if n > 1 && self.bytes[int_start] == b'0' => {
                self.pos = int_start;
                return Err(self.error("numbers may not have leading zeros"));
            }
            _ => {}
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.error("expected digits after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("expected digits in the exponent"));
            }
        }
        // Only ASCII digits, signs, '.', 'e' were consumed, so this is valid UTF-8.
        Ok(String::from_utf8_lossy(&self.bytes[start..self.pos]).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> (Position, String) {
        let e = parse(text).unwrap_err();
        (Position::of(text, e.at), e.message)
    }

    #[test]
    fn reads_values_with_their_positions() {
        let text = "\u{feff}{\n  \"a\": [1, -2.5e1, true, null],\n  \"b\": \"x\\u00e9\\ud83d\\ude00\\n\"\n}";
        let json = parse(text).unwrap();
        let JsonValue::Object(members) = json.value else {
            panic!("not an object")
        };
        assert_eq!(members[0].key, "a");
        assert_eq!(
            Position::of(text, members[0].key_at),
            Position { line: 2, column: 3 }
        );
        let JsonValue::Array(items) = &members[0].value.value else {
            panic!("not an array")
        };
        assert_eq!(items[1].value, JsonValue::Number("-2.5e1".into()));
        assert_eq!(
            Position::of(text, items[1].at),
            Position {
                line: 2,
                column: 12
            }
        );
        assert_eq!(members[1].value.value, JsonValue::String("xé😀\n".into()));
    }

    #[test]
    fn reports_syntax_errors_where_they_are() {
        assert_eq!(err("{\"a\": 1,}").0, Position { line: 1, column: 9 });
        assert_eq!(err("{\"a\": 1, \"a\": 2}").1, "duplicate key \"a\"");
        // The first repeat in document order, among many keys and several repeats.
        let many: String = (0..200).map(|i| format!("\"k{i}\": {i}, ")).collect();
        let text = format!("{{{many}\"z\": 0, \"k150\": 1, \"k3\": 2, \"z\": 3}}");
        assert_eq!(err(&text).1, "duplicate key \"k150\"");
        assert_eq!(
            err("{\"a\": 1, \"a\": 2}").0,
            Position {
                line: 1,
                column: 10
            }
        );
        assert_eq!(err("[1 2]").0, Position { line: 1, column: 4 });
        assert_eq!(err("\n  'x'").0, Position { line: 2, column: 3 });
        assert_eq!(err("日本\"").0, Position { line: 1, column: 1 });
        assert_eq!(err("[\"日本\n\"]").0, Position { line: 1, column: 5 });
        for bad in [
            "",
            "01",
            "1.",
            "-",
            "1e",
            "\"\\x\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "[",
            "{",
            "{\"a\"}",
            "tru",
            "nul",
            "[1,]",
            "1 2",
            "{1: 2}",
            "\"abc",
            "NaN",
            "Infinity",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn refuses_deep_nesting_without_overflowing() {
        let deep = "[".repeat(100_000);
        assert!(err(&deep).1.contains("nested deeper"));
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
    }

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
}
