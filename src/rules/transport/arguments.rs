//! Reading and editing call arguments: `verify=False`, adding `timeout=`.

use crate::checker::Checker;
use crate::diagnostic::Edit;
use crate::parse::ast::{self, Expr};
use crate::parse::{Ranged, TextRange, TextSize};
use crate::semantic::BindingKind;

/// A literal `False`, directly or through a name assigned once.
pub fn is_false<'a>(checker: &Checker<'a>, expr: &'a Expr) -> bool {
    match expr {
        Expr::BooleanLiteral(literal) => !literal.value,
        Expr::Name(name) => {
            let semantic = checker.semantic();
            let Some(binding) = semantic.binding_of(name) else {
                return false;
            };
            let BindingKind::Assignment(Expr::BooleanLiteral(literal)) = binding.kind else {
                return false;
            };
            !literal.value && semantic.bindings_in(binding.scope, name.id.as_str()).len() == 1
        }
        _ => false,
    }
}

/// True when `**kwargs` could pass any keyword.
pub fn has_keyword_splat(call: &ast::ExprCall) -> bool {
    call.arguments
        .keywords
        .iter()
        .any(|keyword| keyword.arg.is_none())
}

/// Every argument's range, in source order.
fn argument_ranges(call: &ast::ExprCall) -> Vec<TextRange> {
    let arguments = &call.arguments;
    let mut ranges: Vec<TextRange> = arguments
        .args
        .iter()
        .map(Ranged::range)
        .chain(arguments.keywords.iter().map(Ranged::range))
        .collect();
    ranges.sort_by_key(|range| range.start());
    ranges
}

/// Deletes one argument with the comma that separates it from its neighbour.
pub fn remove_argument(call: &ast::ExprCall, argument: TextRange) -> Edit {
    let ranges = argument_ranges(call);
    let index = ranges.iter().position(|range| *range == argument);
    let previous = index
        .and_then(|index| index.checked_sub(1))
        .and_then(|index| ranges.get(index));
    let next = index.and_then(|index| ranges.get(index + 1));
    match (previous, next) {
        (Some(previous), _) => Edit::delete(TextRange::new(previous.end(), argument.end())),
        (None, Some(next)) => Edit::delete(TextRange::new(argument.start(), next.start())),
        // The only argument: empty the parentheses (a trailing comma would be left alone).
        (None, None) => {
            let parentheses = call.arguments.range();
            let start = parentheses.start() + TextSize::from(1);
            let end = parentheses
                .end()
                .checked_sub(TextSize::from(1))
                .unwrap_or(start);
            Edit::delete(TextRange::new(
                start.min(end).min(argument.start()),
                end.max(argument.end()),
            ))
        }
    }
}

/// Where the call's `)` is; `None` when the call is not closed (broken code, where the
/// arguments may end inside a character).
fn closing_parenthesis(source: &str, call: &ast::ExprCall) -> Option<TextSize> {
    let end = call.arguments.range().end();
    let closing = end.checked_sub(TextSize::from(1))?;
    (source.as_bytes().get(closing.to_usize()) == Some(&b')')).then_some(closing)
}

/// Adds `keyword=value` after the last argument; in a call written one argument per line
/// with a trailing comma, on a line of its own.
pub fn add_keyword(checker: &Checker, call: &ast::ExprCall, keyword: &str, value: &str) -> Edit {
    let Some(last) = argument_ranges(call).last().copied() else {
        let closing = closing_parenthesis(checker.source(), call);
        return Edit::insert(
            closing.unwrap_or(call.arguments.range().end()),
            format!("{keyword}={value}"),
        );
    };
    let source = checker.source();
    let closing = closing_parenthesis(source, call).unwrap_or(last.end());
    let between = source
        .get(last.end().to_usize()..closing.to_usize())
        .unwrap_or("");
    let line_start = source[..last.start().to_usize()]
        .rfind('\n')
        .map_or(0, |at| at + 1);
    let indent: String = source[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    match between.strip_prefix(',') {
        Some(rest)
            if rest.contains('\n') && rest.trim_start().is_empty()
                || rest.trim_start().starts_with('#') && rest.contains('\n') =>
        {
            let after_comma = last.end() + TextSize::from(1);
            let line_end = rest.find('\n').map_or(0, |at| at);
            let at = after_comma + TextSize::try_from(line_end).unwrap_or_default();
            Edit::insert(at, format!("\n{indent}{keyword}={value},"))
        }
        _ => Edit::insert(last.end(), format!(", {keyword}={value}")),
    }
}
