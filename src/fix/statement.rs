//! Edits that add whole statements: a guard or an assignment just before the statement
//! that needs it, indented like it and ended with the file's own line break.

use crate::diagnostic::Edit;
use crate::parse::{Ranged, TextRange, TextSize};

/// An edit that puts `lines` (statements without indentation or line break; a line may
/// hold a nested block as `"if x:\n    raise ValueError"`, whose inner lines get the same
/// indentation added) on lines of their own just before `stmt`.
///
/// `None` when `stmt` does not start its line: after `;` or a compound statement's colon
/// (`if ok: return x`), new lines would land outside the block the statement is in.
pub fn insert_before_statement(source: &str, stmt: &impl Ranged, lines: &[String]) -> Option<Edit> {
    let start = stmt.start().to_usize();
    let line_start = source[..start].rfind(['\n', '\r']).map_or(0, |at| at + 1);
    let indent = &source[line_start..start];
    if !indent.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    let line_break = line_break_at(source, start);
    let mut content = String::new();
    for line in lines {
        for part in line.split('\n') {
            // An empty line stays empty: no trailing blanks.
            if !part.is_empty() {
                content.push_str(indent);
            }
            content.push_str(part);
            content.push_str(line_break);
        }
    }
    Some(Edit::insert(TextSize::try_from(line_start).ok()?, content))
}

/// The whole lines `range` fills: from the start of its first line to past the line break
/// of its last, when only blanks come before it and only blanks or a comment after it.
/// `None` when it shares a line with other code (deleting the lines would take that too).
pub fn own_lines(source: &str, range: TextRange) -> Option<TextRange> {
    let start = range.start().to_usize();
    let end = range.end().to_usize();
    let line_start = source
        .get(..start)?
        .rfind(['\n', '\r'])
        .map_or(0, |at| at + 1);
    if !source[line_start..start]
        .chars()
        .all(|c| c == ' ' || c == '\t')
    {
        return None;
    }
    let rest = source.get(end..)?;
    let line_end = rest.find(['\n', '\r']).unwrap_or(rest.len());
    let tail = rest[..line_end].trim_start_matches([' ', '\t']);
    if !tail.is_empty() && !tail.starts_with('#') {
        return None;
    }
    let break_len = match &rest.as_bytes()[line_end..] {
        [b'\r', b'\n', ..] => 2,
        [] => 0,
        _ => 1,
    };
    Some(TextRange::new(
        TextSize::try_from(line_start).ok()?,
        TextSize::try_from(end + line_end + break_len).ok()?,
    ))
}

/// The indentation unit a block nested in the statement at `offset` should use: a tab when
/// the statement's own line is indented with tabs, four spaces otherwise.
pub fn indent_unit(source: &str, offset: TextSize) -> &'static str {
    let at = offset.to_usize().min(source.len());
    let line_start = source[..at]
        .rfind(['\n', '\r'])
        .map_or(0, |found| found + 1);
    if source[line_start..at].contains('\t') {
        "\t"
    } else {
        "    "
    }
}

/// The line break that ends the line holding `offset`; the file's first one when that line
/// is the last (a file without a final newline); `\n` in a one-line file.
pub fn line_break_at(source: &str, offset: usize) -> &'static str {
    let kind = |found: usize| match source.as_bytes()[found] {
        b'\r' if source.as_bytes().get(found + 1) == Some(&b'\n') => "\r\n",
        b'\r' => "\r",
        _ => "\n",
    };
    let offset = offset.min(source.len());
    match source[offset..].find(['\n', '\r']) {
        Some(found) => kind(offset + found),
        None => source.find(['\n', '\r']).map_or("\n", kind),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{TextRange, TextSize};

    fn at(source: &str, text: &str) -> TextRange {
        let start = source.find(text).unwrap();
        TextRange::at(
            TextSize::try_from(start).unwrap(),
            TextSize::try_from(text.len()).unwrap(),
        )
    }

    fn inserted(source: &str, before: &str, lines: &[&str]) -> Option<String> {
        let lines: Vec<String> = lines.iter().map(|line| line.to_string()).collect();
        let edit = insert_before_statement(source, &at(source, before), &lines)?;
        Some(crate::fix::apply_edits(source, &[&edit]))
    }

    #[test]
    fn a_guard_goes_before_the_statement_with_its_indentation() {
        let source = "def f(p):\n    open(p)\n";
        let fixed = inserted(
            source,
            "open(p)",
            &["if \"..\" in p:\n    raise ValueError(p)"],
        );
        assert_eq!(
            fixed.as_deref(),
            Some("def f(p):\n    if \"..\" in p:\n        raise ValueError(p)\n    open(p)\n")
        );
    }

    #[test]
    fn the_files_line_break_is_kept() {
        let source = "def f(p):\r\n\topen(p)\r\n";
        assert_eq!(
            inserted(source, "open(p)", &["check(p)"]).as_deref(),
            Some("def f(p):\r\n\tcheck(p)\r\n\topen(p)\r\n")
        );
        let lone_cr = "x = 1\ropen(p)";
        assert_eq!(
            inserted(lone_cr, "open(p)", &["check(p)"]).as_deref(),
            Some("x = 1\rcheck(p)\ropen(p)")
        );
    }

    #[test]
    fn a_statement_that_does_not_start_its_line_gets_no_edit() {
        assert_eq!(inserted("if ok: open(p)\n", "open(p)", &["check(p)"]), None);
        assert_eq!(inserted("x = 1; open(p)\n", "open(p)", &["check(p)"]), None);
    }

    #[test]
    fn own_lines_take_the_line_break_and_a_trailing_comment() {
        let source = "@exempt  # why\r\ndef f():\r\n    pass\r\n";
        let lines = own_lines(source, at(source, "@exempt")).unwrap();
        assert_eq!(
            &source[lines.start().to_usize()..lines.end().to_usize()],
            "@exempt  # why\r\n"
        );
        let shared = "x = 1; y = 2\n";
        assert_eq!(own_lines(shared, at(shared, "y = 2")), None);
        assert_eq!(own_lines(shared, at(shared, "x = 1")), None);
    }

    #[test]
    fn the_indent_unit_follows_the_line() {
        assert_eq!(indent_unit("\tx = 1\n", TextSize::from(1)), "\t");
        assert_eq!(indent_unit("  x = 1\n", TextSize::from(2)), "    ");
    }
}
