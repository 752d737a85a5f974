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
