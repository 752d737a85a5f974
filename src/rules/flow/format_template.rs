//! An f-string rewritten as a format template and its arguments, for fixes that move the
//! values out of the string into a builder that escapes them:
//! `f"<b>{name!r}</b>"` → `"<b>{!r}</b>"` and `name`.

use crate::checker::Checker;
use crate::parse::ast::{self, Expr, InterpolatedStringElement, Operator};
use crate::parse::{Ranged, TextSize};

pub struct FormatTemplate {
    /// The new string literal, with its quotes and any prefix other than `f`.
    pub literal: String,
    /// The source text of each value, in order.
    pub arguments: Vec<String>,
}

/// `None` when the f-string cannot be rewritten exactly: implicit concatenation with other
/// literals, `{x=}` debug text, nested replacement fields in a format spec, or a value that
/// would need parentheses as an argument.
pub fn format_template(checker: &Checker, fstring: &ast::ExprFString) -> Option<FormatTemplate> {
    rewrite_fstring(checker, fstring, |interpolation| {
        let mut field = String::from("{");
        match interpolation.conversion {
            ast::ConversionFlag::None => {}
            ast::ConversionFlag::Str => field.push_str("!s"),
            ast::ConversionFlag::Repr => field.push_str("!r"),
            ast::ConversionFlag::Ascii => field.push_str("!a"),
        }
        if let Some(spec) = &interpolation.format_spec {
            let nested = spec
                .elements
                .iter()
                .any(|element| matches!(element, InterpolatedStringElement::Interpolation(_)));
            if nested {
                return None;
            }
            field.push(':');
            field.push_str(checker.text(&**spec));
        }
        field.push('}');
        Some(field)
    })
}

/// The f-string as a plain string literal in which `placeholder` replaces each replacement
/// field (`None` from it cancels the rewrite); the literal text is kept as written.
pub fn rewrite_fstring<'e>(
    checker: &Checker,
    fstring: &'e ast::ExprFString,
    mut placeholder: impl FnMut(&'e ast::InterpolatedElement) -> Option<String>,
) -> Option<FormatTemplate> {
    let [ast::FStringPart::FString(part)] = fstring.value.as_slice() else {
        return None;
    };
    let text = checker.text(part);
    let prefix_len = text.find(['"', '\''])?;
    let prefix: String = text[..prefix_len]
        .chars()
        .filter(|c| !matches!(c, 'f' | 'F'))
        .collect();
    let mut literal = prefix;
    let mut cursor = part.start() + TextSize::try_from(prefix_len).ok()?;
    let mut arguments = Vec::new();
    for element in part.elements.iter() {
        let InterpolatedStringElement::Interpolation(interpolation) = element else {
            continue;
        };
        if interpolation.debug_text.is_some()
            || matches!(
                &*interpolation.expression,
                Expr::Named(_)
                    | Expr::Lambda(_)
                    | Expr::Yield(_)
                    | Expr::YieldFrom(_)
                    | Expr::Starred(_)
            )
        {
            return None;
        }
        literal.push_str(
            checker
                .source()
                .get(cursor.to_usize()..interpolation.start().to_usize())?,
        );
        literal.push_str(&placeholder(interpolation)?);
        arguments.push(checker.text(&*interpolation.expression).to_string());
        cursor = interpolation.end();
    }
    literal.push_str(
        checker
            .source()
            .get(cursor.to_usize()..part.end().to_usize())?,
    );
    Some(FormatTemplate { literal, arguments })
}

/// What a formatted string passes into its template.
pub enum Arguments {
    /// `% values`, as written.
    Percent(String),
    /// Arguments for `.format(...)` / `format_html(template, ...)`.
    Listed(String),
}

/// A string formatted on the spot as its template and its values: an f-string, `"..." % x`,
/// `"...".format(x)` with a literal template, or `"<b>" + x + "</b>"`.
pub fn template_and_arguments(checker: &Checker, value: &Expr) -> Option<(String, Arguments)> {
    match value {
        Expr::FString(fstring) => {
            let template = format_template(checker, fstring)?;
            Some((
                template.literal,
                Arguments::Listed(template.arguments.join(", ")),
            ))
        }
        Expr::BinOp(binop) if binop.op == Operator::Mod && binop.left.is_string_literal_expr() => {
            let values = match &*binop.right {
                Expr::Name(_)
                | Expr::Attribute(_)
                | Expr::Tuple(_)
                | Expr::Call(_)
                | Expr::Subscript(_)
                | Expr::Dict(_) => checker.text(&*binop.right).to_string(),
                other => format!("({})", checker.text(other)),
            };
            let template = checker.text(&*binop.left).to_string();
            Some((template, Arguments::Percent(values)))
        }
        Expr::BinOp(binop) if binop.op == Operator::Add => concatenation_template(checker, value),
        Expr::Call(format) => {
            let Expr::Attribute(method) = &*format.func else {
                return None;
            };
            if method.attr.id.as_str() != "format" || !method.value.is_string_literal_expr() {
                return None;
            }
            let inside = checker.text(&format.arguments);
            let values = inside.get(1..inside.len().checked_sub(1)?)?.trim();
            if values.is_empty() {
                return None;
            }
            Some((
                checker.text(&*method.value).to_string(),
                Arguments::Listed(values.to_string()),
            ))
        }
        _ => None,
    }
}

/// Operands in a chain of `+` beyond this are not rewritten.
const MAX_OPERANDS: usize = 32;

/// `"<b>" + name + "</b>"` → `"<b>{}</b>"` and `name`: the literal operands become the
/// template (braces doubled), every other operand a value. `None` unless at least one
/// operand is a plain string literal and none is an f-string or bytes.
fn concatenation_template(checker: &Checker, value: &Expr) -> Option<(String, Arguments)> {
    let mut operands = Vec::new();
    let mut rest = value;
    while let Expr::BinOp(binop) = rest {
        if binop.op != Operator::Add || operands.len() >= MAX_OPERANDS {
            break;
        }
        operands.push(&*binop.right);
        rest = &binop.left;
    }
    operands.push(rest);
    operands.reverse();
    let mut template = String::new();
    let mut values = Vec::new();
    let mut has_literal = false;
    for operand in operands {
        match operand {
            Expr::StringLiteral(literal) => {
                has_literal = true;
                template.push_str(&literal.value.to_str().replace('{', "{{").replace('}', "}}"));
            }
            Expr::FString(_)
            | Expr::BytesLiteral(_)
            | Expr::Named(_)
            | Expr::Yield(_)
            | Expr::YieldFrom(_)
            | Expr::Starred(_) => return None,
            value => {
                template.push_str("{}");
                values.push(checker.text(value));
            }
        }
    }
    if values.is_empty() || !has_literal {
        return None;
    }
    let literal = serde_json::to_string(&template).ok()?;
    Some((literal, Arguments::Listed(values.join(", "))))
}
