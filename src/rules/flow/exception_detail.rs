//! Where a response carries the details of an exception: tracebacks, the exception's
//! text, its arguments.

use crate::checker::Checker;
use crate::parse::ast::{self, Expr};

use super::enclosing::last_identifier;

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

/// The first piece of exception detail in `expr`: where, what, and whether it was caught broadly.
pub fn find_leak<'a>(
    checker: &Checker<'a>,
    expr: &'a Expr,
    exceptions: &[(&str, bool)],
    depth: usize,
) -> Option<(&'a Expr, String, bool)> {
    if depth > 16 {
        return None;
    }
    let recurse = |inner: &'a Expr| find_leak(checker, inner, exceptions, depth + 1);
    let exception = |inner: &Expr| match inner {
        Expr::Name(name) => exceptions
            .iter()
            .find(|(caught, _)| *caught == name.id.as_str())
            .copied(),
        _ => None,
    };
    match expr {
        Expr::Call(call) => {
            let function = checker.semantic().resolve_qualified_name(&call.func);
            match function.as_ref().map(|name| name.segments()) {
                Some(["traceback", format]) if format.starts_with("format") => {
                    Some((expr, format!("`traceback.{format}()`"), true))
                }
                Some(["builtins", "str" | "repr" | "format"]) => {
                    match call.arguments.args.first() {
                        Some(first) if exception(first).is_some() => {
                            let (name, broad) = exception(first)?;
                            Some((expr, format!("the text of the exception `{name}`"), broad))
                        }
                        _ => call.arguments.args.iter().find_map(recurse),
                    }
                }
                _ => {
                    let arguments = || {
                        call.arguments
                            .args
                            .iter()
                            .chain(call.arguments.keywords.iter().map(|k| &k.value))
                    };
                    // `"failed: {}".format(e)` turns the exception into text.
                    if matches!(&*call.func, Expr::Attribute(method) if method.attr.id.as_str() == "format")
                    {
                        for value in arguments() {
                            if let Some((name, broad)) = exception(value) {
                                return Some((
                                    value,
                                    format!("the text of the exception `{name}`"),
                                    broad,
                                ));
                            }
                        }
                    }
                    arguments().find_map(recurse)
                }
            }
        }
        Expr::FString(fstring) => fstring.value.iter().find_map(|part| match part {
            ast::FStringPart::FString(part) => {
                part.elements.iter().find_map(|element| match element {
                    ast::InterpolatedStringElement::Interpolation(interpolation) => {
                        match exception(&interpolation.expression) {
                            Some((name, broad)) => Some((
                                &*interpolation.expression,
                                format!("the text of the exception `{name}`"),
                                broad,
                            )),
                            None => recurse(&interpolation.expression),
                        }
                    }
                    ast::InterpolatedStringElement::Literal(_) => None,
                })
            }
            ast::FStringPart::Literal(_) => None,
        }),
        Expr::Attribute(attribute) if DETAIL_ATTRIBUTES.contains(&attribute.attr.id.as_str()) => {
            let (name, broad) = exception(&attribute.value)?;
            Some((
                expr,
                format!("`{name}.{}` from the caught exception", attribute.attr.id),
                broad,
            ))
        }
        Expr::BinOp(binop) if binop.op == ast::Operator::Mod => {
            let formatted: Vec<&'a Expr> = match &*binop.right {
                Expr::Tuple(tuple) => tuple.elts.iter().collect(),
                other => vec![other],
            };
            for value in formatted {
                if let Some((name, broad)) = exception(value) {
                    return Some((value, format!("the text of the exception `{name}`"), broad));
                }
            }
            recurse(&binop.left).or_else(|| recurse(&binop.right))
        }
        Expr::BinOp(binop) => recurse(&binop.left).or_else(|| recurse(&binop.right)),
        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
            elts.iter().find_map(recurse)
        }
        Expr::Dict(dict) => dict.items.iter().find_map(|item| recurse(&item.value)),
        _ => None,
    }
}
