//! Editing a call's argument list.

use crate::checker::Checker;
use crate::diagnostic::Edit;
use crate::parse::ast;
use crate::parse::{Ranged, TextRange, TextSize};

/// Deletes one keyword argument with the comma that separates it from its neighbour:
/// `Talisman(app, force_https=False)` → `Talisman(app)`. An argument on a line of its own
/// goes with its whole line (its trailing comma and comment included).
pub fn delete_keyword(checker: &Checker, call: &ast::ExprCall, keyword: &ast::Keyword) -> Edit {
    if let Some(line) = own_line(checker.source(), keyword.range()) {
        return Edit::delete(line);
    }
    let mut arguments: Vec<TextRange> = call
        .arguments
        .args
        .iter()
        .map(Ranged::range)
        .chain(call.arguments.keywords.iter().map(Ranged::range))
        .collect();
    arguments.sort_by_key(|range| range.start());
    let index = arguments
        .iter()
        .position(|range| *range == keyword.range())
        .unwrap_or_default();
    let range = match (index.checked_sub(1), arguments.get(index + 1)) {
        (Some(previous), _) => TextRange::new(arguments[previous].end(), keyword.end()),
        (None, Some(next)) => TextRange::new(keyword.start(), next.start()),
        (None, None) => keyword.range(),
    };
    Edit::delete(range)
}

/// The whole line of an argument that sits alone on it, followed by nothing but its comma
/// and a comment.
fn own_line(source: &str, range: TextRange) -> Option<TextRange> {
    let start = range.start().to_usize();
    let end = range.end().to_usize();
    let line_start = source.get(..start)?.rfind('\n')? + 1;
    if !source.get(line_start..start)?.trim().is_empty() {
        return None;
    }
    let rest = source.get(end..)?;
    let line_end = rest.find('\n')?;
    let tail = rest[..line_end].trim();
    let tail = tail.strip_prefix(',').unwrap_or(tail).trim_start();
    if !tail.is_empty() && !tail.starts_with('#') {
        return None;
    }
    Some(TextRange::new(
        TextSize::try_from(line_start).ok()?,
        TextSize::try_from(end + line_end + 1).ok()?,
    ))
}

/// Appends arguments after `last`, the call's last argument: inline (`, secure=True`), or one
/// per line when the call already puts its arguments on lines of their own and ends them
/// with a comma.
pub fn append_arguments(
    source: &str,
    call: &ast::ExprCall,
    last: TextRange,
    arguments: &[String],
) -> Edit {
    let after = source
        .get(last.end().to_usize()..call.end().to_usize())
        .unwrap_or("");
    let trailing_comma = after.trim_start().starts_with(',');
    match (trailing_comma, after.find('\n')) {
        (true, Some(newline)) => {
            let line_start = source[..last.start().to_usize()]
                .rfind('\n')
                .map_or(0, |at| at + 1);
            let indent: String = source[line_start..]
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            let lines: String = arguments
                .iter()
                .map(|argument| format!("\n{indent}{argument},"))
                .collect();
            let at = last.end() + TextSize::try_from(newline).unwrap_or_default();
            Edit::insert(at, lines)
        }
        _ => Edit::insert(last.end(), format!(", {}", arguments.join(", "))),
    }
}
