//! Where a response carries the details of an exception: tracebacks, the exception's
//! text, its arguments.

use crate::checker::Checker;
use crate::parse::ast::{self, Expr};
use crate::parse::TextRange;

use super::last_identifier;

/// Exception attributes that hold its message or the data it failed on.
const DETAIL_ATTRIBUTES: &[&str] = &[
    "args",
    "message",
    "msg",
    "strerror",
    "orig",
    "statement",
    "params",
    "filename",
];

/// `except:`, `except Exception`, `except BaseException` (also inside a tuple).
pub fn is_broad(caught: Option<&Expr>) -> bool {
    match caught {
        None => true,
        Some(Expr::Tuple(tuple)) => tuple.elts.iter().any(|elt| is_broad(Some(elt))),
        Some(other) => matches!(last_identifier(other), Some("Exception" | "BaseException")),
    }
}

/// An exception in reach of a response: its name, whether it was caught broadly
/// (`except Exception`), and where it was bound.
#[derive(Debug, Clone, Copy)]
pub struct Caught<'c> {
    pub name: &'c str,
    pub broad: bool,
    pub at: TextRange,
}

/// Exception detail found in a response.
pub struct Leak<'a, 'c> {
    pub expr: &'a Expr,
    /// What it is, for the message: `` `traceback.format_exc()` ``.
    pub what: String,
    /// The exception whose text it is (`None` for a traceback).
    pub caught: Option<Caught<'c>>,
}

/// The first piece of exception detail in `expr`.
pub fn find_leak<'a, 'c>(
    checker: &Checker<'a>,
    expr: &'a Expr,
    exceptions: &[Caught<'c>],
    depth: usize,
) -> Option<Leak<'a, 'c>> {
    if depth > 16 {
        return None;
    }
    let recurse = |inner: &'a Expr| find_leak(checker, inner, exceptions, depth + 1);
    let exception = |inner: &Expr| match inner {
        Expr::Name(name) => exceptions
            .iter()
            .find(|caught| caught.name == name.id.as_str())
            .copied(),
        _ => None,
    };
    // The exception itself, turned into text by a conversion or a format.
    let text_of = |leaked: &'a Expr, inner: &Expr| {
        exception(inner).map(|caught| Leak {
            expr: leaked,
            what: format!("the text of the exception `{}`", caught.name),
            caught: Some(caught),
        })
    };
    match expr {
        Expr::Call(call) => {
            let function = checker.semantic().resolve_qualified_name(&call.func);
            let arguments = || {
                call.arguments
                    .args
                    .iter()
                    .chain(call.arguments.keywords.iter().map(|k| &k.value))
            };
            match function.as_ref().map(|name| name.segments()) {
                Some(["traceback", format]) if format.starts_with("format") => Some(Leak {
                    expr,
                    what: format!("`traceback.{format}()`"),
                    caught: None,
                }),
                Some(["builtins", "str" | "repr" | "format"]) => call
                    .arguments
                    .args
                    .first()
                    .and_then(|first| text_of(expr, first))
                    .or_else(|| call.arguments.args.iter().find_map(recurse)),
                // `"failed: {}".format(e)` turns the exception into text.
                _ if matches!(&*call.func, Expr::Attribute(method) if method.attr.id.as_str() == "format") => {
                    arguments()
                        .find_map(|value| text_of(value, value))
                        .or_else(|| arguments().find_map(recurse))
                }
                _ => arguments().find_map(recurse),
            }
        }
        Expr::FString(fstring) => fstring.value.iter().find_map(|part| match part {
            ast::FStringPart::FString(part) => {
                part.elements.iter().find_map(|element| match element {
                    ast::InterpolatedStringElement::Interpolation(interpolation) => {
                        let value = &*interpolation.expression;
                        text_of(value, value).or_else(|| recurse(value))
                    }
                    ast::InterpolatedStringElement::Literal(_) => None,
                })
            }
            ast::FStringPart::Literal(_) => None,
        }),
        Expr::Attribute(attribute) if DETAIL_ATTRIBUTES.contains(&attribute.attr.id.as_str()) => {
            let caught = exception(&attribute.value)?;
            Some(Leak {
                expr,
                what: format!(
                    "`{}.{}` from the caught exception",
                    caught.name, attribute.attr.id
                ),
                caught: Some(caught),
            })
        }
        Expr::BinOp(binop) if binop.op == ast::Operator::Mod => {
            let formatted: Vec<&'a Expr> = match &*binop.right {
                Expr::Tuple(tuple) => tuple.elts.iter().collect(),
                other => vec![other],
            };
            formatted
                .into_iter()
                .find_map(|value| text_of(value, value))
                .or_else(|| recurse(&binop.left))
                .or_else(|| recurse(&binop.right))
        }
        Expr::BinOp(binop) => recurse(&binop.left).or_else(|| recurse(&binop.right)),
        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
            elts.iter().find_map(recurse)
        }
        Expr::Dict(dict) => dict.items.iter().find_map(|item| recurse(&item.value)),
        _ => None,
    }
}
