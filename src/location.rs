//! Byte offsets inside the engine; lines and columns only at the edges.
//!
//! The CLI counts columns in Unicode characters, the browser in UTF-16 code units
//! (what JavaScript strings and CodeMirror use). Both are 1-based.

use crate::parse::{TextRange, TextSize};

/// How a message quotes the code at `range`: its first line, cut after 48 characters.
pub fn excerpt(source: &str, range: TextRange) -> String {
    let text = source
        .get(range.start().to_usize()..range.end().to_usize())
        .unwrap_or_default();
    let text = text.lines().next().unwrap_or_default();
    match text.char_indices().nth(48) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// The 1-based line of `offset`, counted without building a [`LineIndex`] (for one lookup).
pub fn line_number(source: &str, offset: TextSize) -> usize {
    let before = source.get(..offset.to_usize()).unwrap_or_default();
    before.bytes().filter(|byte| *byte == b'\n').count() + 1
}

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct LineColumn {
    pub line: usize,
    pub column: usize,
}

/// Line starts of one source text, for converting byte offsets.
pub struct LineIndex<'src> {
    source: &'src str,
    line_starts: Vec<usize>,
}

impl<'src> LineIndex<'src> {
    pub fn new(source: &'src str) -> Self {
        let mut line_starts = vec![0];
        let bytes = source.as_bytes();
        for index in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            // `\r\n` is one line break: it ends at the `\n`.
            if bytes[index] == b'\n' || bytes.get(index + 1) != Some(&b'\n') {
                line_starts.push(index + 1);
            }
        }
        Self {
            source,
            line_starts,
        }
    }

    /// The 0-based line that holds `offset`.
    pub fn line_of(&self, offset: TextSize) -> usize {
        let offset = self.clamp(offset);
        self.line_starts.partition_point(|&start| start <= offset) - 1
    }

    /// Byte range of the 0-based line `line`, without its line break.
    pub fn line_range(&self, line: usize) -> TextRange {
        let start = self.line_starts[line.min(self.line_starts.len() - 1)];
        let mut end = self
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.source.len());
        let text = &self.source.as_bytes()[start..end];
        if text.ends_with(b"\r\n") {
            end -= 2;
        } else if text.ends_with(b"\n") || text.ends_with(b"\r") {
            end -= 1;
        }
        TextRange::new(to_size(start), to_size(end))
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 1-based line and column counted in Unicode characters (the CLI's positions).
    pub fn char_position(&self, offset: TextSize) -> LineColumn {
        let (line, prefix) = self.line_prefix(offset);
        LineColumn {
            line: line + 1,
            column: prefix.chars().count() + 1,
        }
    }

    /// 1-based line and column counted in UTF-16 code units (the browser's positions).
    pub fn utf16_position(&self, offset: TextSize) -> LineColumn {
        let (line, prefix) = self.line_prefix(offset);
        LineColumn {
            line: line + 1,
            column: utf16_len(prefix) + 1,
        }
    }

    /// 0-based offset in UTF-16 code units from the start of the source.
    pub fn utf16_offset(&self, offset: TextSize) -> usize {
        let (line, prefix) = self.line_prefix(offset);
        let line_start = self.line_starts[line];
        utf16_len(&self.source[..line_start]) + utf16_len(prefix)
    }

    fn line_prefix(&self, offset: TextSize) -> (usize, &'src str) {
        let offset = self.clamp(offset);
        let line = self.line_of(TextSize::from(offset as u32));
        let start = self.line_starts[line];
        (line, &self.source[start..offset])
    }

    /// Clamps to the source and backs up to a character boundary.
    fn clamp(&self, offset: TextSize) -> usize {
        let mut offset = usize::from(offset).min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

/// A range as the browser counts it: 1-based lines, 1-based columns and 0-based offsets,
/// all in UTF-16 code units, so `source.slice(start, end)` in JavaScript is the ranged text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Utf16Range {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub start: usize,
    pub end: usize,
}

/// Converts byte ranges to [`Utf16Range`]s. Unlike [`LineIndex::utf16_offset`], which counts
/// from the start of the source each time, this counts each line once, up front.
pub struct Utf16Index<'src> {
    lines: LineIndex<'src>,
    /// The UTF-16 offset of each line start.
    line_starts: Vec<usize>,
    /// An ASCII source counts the same in bytes and in UTF-16 code units.
    ascii: bool,
}

impl<'src> Utf16Index<'src> {
    pub fn new(source: &'src str) -> Self {
        let lines = LineIndex::new(source);
        if source.is_ascii() {
            let line_starts = lines.line_starts.clone();
            return Self {
                lines,
                line_starts,
                ascii: true,
            };
        }
        let mut line_starts = Vec::with_capacity(lines.line_starts.len());
        let mut offset = 0;
        let mut previous = 0;
        for &start in &lines.line_starts {
            offset += utf16_len(&source[previous..start]);
            line_starts.push(offset);
            previous = start;
        }
        Self {
            lines,
            line_starts,
            ascii: false,
        }
    }

    pub fn range(&self, range: TextRange) -> Utf16Range {
        let (line, column, start) = self.position(range.start());
        let (end_line, end_column, end) = self.position(range.end());
        Utf16Range {
            line,
            column,
            end_line,
            end_column,
            start,
            end,
        }
    }

    /// 1-based line, 1-based column and 0-based offset of one byte offset.
    fn position(&self, offset: TextSize) -> (usize, usize, usize) {
        let (line, prefix) = self.lines.line_prefix(offset);
        let column = if self.ascii {
            prefix.len()
        } else {
            utf16_len(prefix)
        };
        (line + 1, column + 1, self.line_starts[line] + column)
    }
}

/// The length of `text` in UTF-16 code units: one per character, two for a character
/// outside the Basic Multilingual Plane (four UTF-8 bytes, lead byte 0xF0 and above).
/// Counted on bytes, without decoding characters.
pub fn utf16_len(text: &str) -> usize {
    if text.is_ascii() {
        return text.len();
    }
    text.bytes()
        .map(|byte| usize::from(byte & 0xC0 != 0x80) + usize::from(byte >= 0xF0))
        .sum()
}

pub(crate) fn to_size(offset: usize) -> TextSize {
    TextSize::try_from(offset).unwrap_or(TextSize::from(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_utf16_units() {
        let source = "x = 1\ns = \"é😀\"; eval(s)\n";
        let index = LineIndex::new(source);
        let eval_at = TextSize::try_from(source.find("eval").unwrap()).unwrap();
        assert_eq!(
            index.char_position(eval_at),
            LineColumn {
                line: 2,
                column: 11
            }
        );
        assert_eq!(
            index.utf16_position(eval_at),
            LineColumn {
                line: 2,
                column: 12
            }
        );
        let js_string: Vec<u16> = source.encode_utf16().collect();
        let start = index.utf16_offset(eval_at);
        assert_eq!(
            String::from_utf16_lossy(&js_string[start..start + 4]),
            "eval"
        );
    }

    #[test]
    fn utf16_ranges_slice_javascript_strings() {
        let source = "s = \"é😀\"\r\nt = \"😀\"; eval(s)\n";
        let index = Utf16Index::new(source);
        let start = source.find("eval").unwrap();
        let range = TextRange::new(to_size(start), to_size(start + "eval(s)".len()));
        let utf16 = index.range(range);
        assert_eq!(
            (utf16.line, utf16.column, utf16.end_line, utf16.end_column),
            (2, 11, 2, 18)
        );
        let js_string: Vec<u16> = source.encode_utf16().collect();
        assert_eq!(
            String::from_utf16_lossy(&js_string[utf16.start..utf16.end]),
            "eval(s)"
        );
        let lines = LineIndex::new(source);
        assert_eq!(utf16.start, lines.utf16_offset(range.start()));
        assert_eq!(
            index.range(TextRange::empty(to_size(999))).end,
            js_string.len()
        );
    }

    #[test]
    fn utf16_lengths_match_javascript() {
        for text in ["", "ascii", "é", "naïve — ok", "😀", "a😀b\u{10FFFF}ü中"] {
            assert_eq!(utf16_len(text), text.encode_utf16().count(), "{text}");
        }
    }

    #[test]
    fn handles_crlf_and_offsets_past_the_end() {
        let source = "a\r\nb\rc";
        let index = LineIndex::new(source);
        assert_eq!(index.line_count(), 3);
        assert_eq!(
            index.char_position(TextSize::from(5)),
            LineColumn { line: 3, column: 1 }
        );
        assert_eq!(
            index.char_position(TextSize::from(99)),
            LineColumn { line: 3, column: 2 }
        );
        assert_eq!(
            index.line_range(0),
            TextRange::new(TextSize::from(0), TextSize::from(1))
        );
    }
}
