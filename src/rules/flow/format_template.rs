//! An f-string rewritten as a format template and its arguments, for fixes that move the
//! values out of the string into a builder that escapes them:
//! `f"<b>{name!r}</b>"` → `"<b>{!r}</b>"` and `name`.

use crate::checker::Checker;
use crate::parse::ast::{self, Expr, InterpolatedStringElement};
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
