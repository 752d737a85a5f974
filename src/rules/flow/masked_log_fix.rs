//! The rewrite of a log call that writes a secret: the value that carries it is replaced by
//! `"<redacted>"`, where the message still formats the same way with a string there.

use crate::checker::Checker;
use crate::diagnostic::{Edit, Fix};
use crate::parse::ast::{self, Expr, Operator};
use crate::parse::{Ranged, TextRange, TextSize};

use super::secret_values::find_secret;

/// What the log shows in place of the secret.
const MASK: &str = "<redacted>";

/// Every secret the log call writes masked: `arguments` are its arguments that are logged,
/// each with its index among the positional ones (`None` for a keyword). `None` when one
/// of the secrets cannot be masked, since the call would still write it.
pub fn masked_log_fix<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    arguments: &[(&'a Expr, Option<usize>)],
) -> Option<Fix> {
    let mut edits = Vec::new();
    for &(argument, index) in arguments {
        for part in parts_of(argument) {
            if let Some((leak, ..)) = find_secret(checker, part, 0) {
                edits.extend(masked_edits(checker, call, argument, index, leak.range())?);
            }
        }
    }
    (!edits.is_empty()).then(|| Fix::unsafe_edits(TITLE, edits))
}

/// The places of an argument that each hold one value: an f-string's placeholders, the
/// values of `%` and `.format`, a dict's values, or the argument itself.
fn parts_of(argument: &Expr) -> Vec<&Expr> {
    match argument {
        Expr::FString(fstring) => fstring
            .value
            .iter()
            .flat_map(|part| match part {
                ast::FStringPart::FString(part) => part.elements.iter().collect(),
                ast::FStringPart::Literal(_) => Vec::new(),
            })
            .filter_map(|element| match element {
                ast::InterpolatedStringElement::Interpolation(interpolation) => {
                    Some(&*interpolation.expression)
                }
                ast::InterpolatedStringElement::Literal(_) => None,
            })
            .collect(),
        Expr::BinOp(binop) if binop.op == Operator::Mod => match &*binop.right {
            Expr::Tuple(tuple) => tuple.elts.iter().collect(),
            single => vec![single],
        },
        Expr::Call(call) if is_format_method(call) => call
            .arguments
            .args
            .iter()
            .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
            .collect(),
        Expr::Dict(dict) => dict.items.iter().map(|item| &item.value).collect(),
        other => vec![other],
    }
}

/// The edits that replace the value holding `leak` in the argument `argument`.
fn masked_edits<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    argument: &'a Expr,
    index: Option<usize>,
    leak: TextRange,
) -> Option<Vec<Edit>> {
    let edit = match (argument, index) {
        // The message itself: the placeholder that holds the secret becomes text.
        (Expr::FString(fstring), Some(0)) => {
            let mask = Edit::replace(interpolation_holding(fstring, leak)?, MASK);
            let mut edits = vec![mask];
            edits.extend(plain_string_prefix(checker, fstring));
            return Some(edits);
        }
        (Expr::BinOp(binop), _) if binop.op == Operator::Mod => {
            let format = checker.semantic().constant_string(&binop.left)?;
            let values: Vec<&Expr> = match &*binop.right {
                Expr::Tuple(tuple) => tuple.elts.iter().collect(),
                single => vec![single],
            };
            let position = values
                .iter()
                .position(|value| value.range().contains_range(leak))?;
            percent_takes_text(&format, position, values.len())?;
            masked(values[position])
        }
        // `"... {}".format(secret)`.
        (Expr::Call(format_call), _) if is_format_method(format_call) => {
            let Expr::Attribute(method) = &*format_call.func else {
                return None;
            };
            let format = checker.semantic().constant_string(&method.value)?;
            let args = &format_call.arguments.args;
            match args
                .iter()
                .position(|value| value.range().contains_range(leak))
            {
                Some(position) => {
                    brace_takes_text(&format, position)?;
                    masked(&args[position])
                }
                None => masked(
                    &format_call
                        .arguments
                        .keywords
                        .iter()
                        .find(|keyword| keyword.value.range().contains_range(leak))?
                        .value,
                ),
            }
        }
        // `extra={"token": token}`: the one field.
        (Expr::Dict(dict), None) => masked(
            dict.items
                .iter()
                .map(|item| &item.value)
                .find(|value| value.range().contains_range(leak))?,
        ),
        _ => mask_whole(checker, call, argument, index)?,
    };
    Some(vec![edit])
}

const TITLE: &str = "Write `<redacted>` to the log instead of the secret";

fn is_format_method(call: &ast::ExprCall) -> bool {
    matches!(&*call.func, Expr::Attribute(method) if method.attr.id.as_str() == "format")
}

fn masked(value: &Expr) -> Edit {
    Edit::replace(value.range(), format!("\"{MASK}\""))
}

/// The whole argument masked: a keyword's value (structlog and loguru fields), a value
/// after the message whose placeholder takes text, or a message that has no values.
fn mask_whole<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    argument: &'a Expr,
    index: Option<usize>,
) -> Option<Edit> {
    let values = call.arguments.args.len().checked_sub(1)?;
    match index {
        None => {}
        Some(0) if values == 0 => {}
        Some(0) => return None,
        Some(position) => {
            if call.arguments.args.iter().any(Expr::is_starred_expr) {
                return None;
            }
            let format = checker
                .semantic()
                .constant_string(call.arguments.args.first()?)?;
            if format.contains('%') {
                percent_takes_text(&format, position - 1, values)?;
            } else {
                brace_takes_text(&format, position - 1)?;
            }
        }
    }
    Some(masked(argument))
}

/// When the placeholder masked was the f-string's only one, the edit that removes its `f`
/// (what is left is a plain string).
fn plain_string_prefix(checker: &Checker, fstring: &ast::ExprFString) -> Option<Edit> {
    let [ast::FStringPart::FString(part)] = fstring.value.as_slice() else {
        return None;
    };
    let placeholders = part
        .elements
        .iter()
        .filter(|element| !matches!(element, ast::InterpolatedStringElement::Literal(_)))
        .count();
    // `{{` is one brace in an f-string and two in a plain string.
    let escaped_brace = part.elements.iter().any(|element| {
        matches!(element, ast::InterpolatedStringElement::Literal(literal)
            if checker.text(literal).contains(['{', '}']))
    });
    if placeholders != 1 || escaped_brace {
        return None;
    }
    let text = checker.text(fstring);
    let prefix = &text[..text.find(['"', '\''])?];
    let at = prefix.find(['f', 'F'])?;
    let start = fstring.start() + TextSize::try_from(at).ok()?;
    Some(Edit::delete(TextRange::at(start, TextSize::from(1))))
}

/// The range of the `{...}` placeholder of a one-part f-string whose value holds `leak`.
fn interpolation_holding(fstring: &ast::ExprFString, leak: TextRange) -> Option<TextRange> {
    fstring.value.iter().find_map(|part| match part {
        ast::FStringPart::FString(part) => part.elements.iter().find_map(|element| match element {
            ast::InterpolatedStringElement::Interpolation(interpolation)
                if interpolation.expression.range().contains_range(leak) =>
            {
                Some(interpolation.range)
            }
            _ => None,
        }),
        ast::FStringPart::Literal(_) => None,
    })
}

/// `Some` when the `%` format takes `count` values by position and the one at `position`
/// is written with `%s`, `%r` or `%a`, which accept a string.
fn percent_takes_text(format: &str, position: usize, count: usize) -> Option<()> {
    let mut conversions = Vec::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        // Flags, width and precision; `*` and `(name)` take values another way.
        let mut conversion = None;
        for next in chars.by_ref() {
            match next {
                '-' | '#' | '0'..='9' | ' ' | '+' | '.' => continue,
                '*' | '(' => return None,
                other => {
                    conversion = Some(other);
                    break;
                }
            }
        }
        match conversion? {
            '%' => {}
            other => conversions.push(other),
        }
    }
    (conversions.len() == count && matches!(conversions.get(position), Some('s' | 'r' | 'a')))
        .then_some(())
}

/// `Some` when every `{}` field of a `str.format` / loguru message that takes the value at
/// `position` has no format spec (`{:d}` would refuse a string).
fn brace_takes_text(format: &str, position: usize) -> Option<()> {
    let mut automatic = 0;
    let mut rest = format;
    while let Some(open) = rest.find(['{', '}']) {
        let after = &rest[open + 1..];
        if after.starts_with(&rest[open..open + 1]) {
            rest = &after[1..];
            continue;
        }
        if &rest[open..open + 1] == "}" {
            return None;
        }
        let close = after.find('}')?;
        let field = &after[..close];
        let (name, spec) = match field.split_once(':') {
            Some((name, spec)) => (name, Some(spec)),
            None => (field, None),
        };
        let name = name.split('!').next().unwrap_or("");
        let refers = if name.is_empty() {
            automatic += 1;
            automatic - 1 == position
        } else {
            name.parse::<usize>().ok() == Some(position)
        };
        if refers && spec.is_some() {
            return None;
        }
        rest = &after[close + 1..];
    }
    Some(())
}
