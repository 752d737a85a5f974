//! The lines a statement stands on, for fixes that delete it or add a statement after it.

use crate::parse::{TextRange, TextSize};

/// A statement alone on its lines: nothing but indentation before it and at most a comment
/// after it.
pub(crate) struct OwnLines<'s> {
    /// Where its first line starts.
    pub start: TextSize,
    /// Where its last line ends, before the line break.
    pub end: TextSize,
    /// The indentation of its first line.
    pub indent: &'s str,
    /// The line break after it (`"\n"` at the end of the file, for text added after it).
    pub line_break: &'s str,
}

impl OwnLines<'_> {
    /// The whole lines, their line break included.
    pub fn with_break(&self, source: &str) -> TextRange {
        let rest = &source[self.end.to_usize()..];
        let length = if rest.starts_with("\r\n") {
            2
        } else if rest.is_empty() {
            0
        } else {
            1
        };
        TextRange::new(self.start, self.end + TextSize::from(length))
    }
}

/// The lines `range` stands on, or `None` when it shares them with other code (`a; b`,
/// `if x: b`).
pub(crate) fn own_lines(source: &str, range: TextRange) -> Option<OwnLines<'_>> {
    let start = range.start().to_usize();
    let end = range.end().to_usize();
    let line_start = source[..start].rfind(['\n', '\r']).map_or(0, |at| at + 1);
    let line_end = source[end..]
        .find(['\n', '\r'])
        .map_or(source.len(), |at| end + at);
    let indent = &source[line_start..start];
    let trailing = source[end..line_end].trim_start();
    if !indent.trim().is_empty() || !(trailing.is_empty() || trailing.starts_with('#')) {
        return None;
    }
    let rest = &source[line_end..];
    let line_break = if rest.starts_with("\r\n") {
        "\r\n"
    } else if rest.starts_with('\r') {
        "\r"
    } else {
        "\n"
    };
    Some(OwnLines {
        start: TextSize::try_from(line_start).ok()?,
        end: TextSize::try_from(line_end).ok()?,
        indent,
        line_break,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range_of(source: &str, text: &str) -> TextRange {
        let start = source.find(text).unwrap();
        TextRange::new(
            TextSize::try_from(start).unwrap(),
            TextSize::try_from(start + text.len()).unwrap(),
        )
    }

    #[test]
    fn a_statement_owns_its_lines_up_to_a_comment() {
        let source = "if x:\r\n    quiet()  # why\r\n    go()\r\n";
        let lines = own_lines(source, range_of(source, "quiet()")).unwrap();
        assert_eq!(lines.indent, "    ");
        assert_eq!(lines.line_break, "\r\n");
        let whole = lines.with_break(source);
        assert_eq!(&source[whole], "    quiet()  # why\r\n");
    }

    #[test]
    fn a_statement_sharing_its_line_owns_nothing() {
        let source = "quiet(); go()\nif x: quiet()\n";
        assert!(own_lines(source, range_of(source, "quiet()")).is_none());
        let second = source.rfind("quiet()").unwrap();
        let range = TextRange::new(
            TextSize::try_from(second).unwrap(),
            TextSize::try_from(second + 7).unwrap(),
        );
        assert!(own_lines(source, range).is_none());
        let last = "go()";
        let at_end = own_lines(last, range_of(last, "go()")).unwrap();
        assert_eq!(&last[at_end.with_break(last)], "go()");
    }
}
