//! Values read from a web request, by shape: text the client typed, files it uploaded.

use crate::checker::Checker;
use crate::parse::ast::Expr;

/// How many assignments are followed back to a read.
const MAX_DEPTH: usize = 6;

/// Request attributes whose items are text the client typed.
const TEXT_SOURCES: &[&str] = &[
    "args",
    "form",
    "values",
    "cookies",
    "headers",
    "data",
    "GET",
    "POST",
    "COOKIES",
    "META",
    "body",
    "query_params",
    "path_params",
];

/// A value read from the request as text: `request.args["q"]`, `request.GET.get("q", "")`,
/// `request.form["name"].strip()`, or a variable holding one.
pub fn is_request_text<'a>(checker: &Checker<'a>, expr: &'a Expr, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let semantic = checker.semantic();
    match expr {
        Expr::Attribute(attribute) => {
            TEXT_SOURCES.contains(&attribute.attr.id.as_str())
                && semantic.is_request_object(&attribute.value)
        }
        Expr::Subscript(subscript) => is_request_text(checker, &subscript.value, depth + 1),
        Expr::Call(call) => match &*call.func {
            Expr::Attribute(method) => {
                matches!(
                    method.attr.id.as_str(),
                    "get"
                        | "strip"
                        | "lower"
                        | "upper"
                        | "title"
                        | "capitalize"
                        | "replace"
                        | "decode"
                ) && is_request_text(checker, &method.value, depth + 1)
            }
            _ => false,
        },
        Expr::Name(name) => semantic
            .assigned_value(name)
            .is_some_and(|value| is_request_text(checker, value, depth + 1)),
        _ => false,
    }
}

/// `request.files["doc"]`, `request.files.get("doc")`, or a variable holding one.
pub fn is_uploaded_file<'a>(checker: &Checker<'a>, expr: &'a Expr, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let semantic = checker.semantic();
    match expr {
        Expr::Attribute(attribute) => {
            matches!(attribute.attr.id.as_str(), "files" | "FILES")
                && semantic.is_request_object(&attribute.value)
        }
        Expr::Subscript(subscript) => is_uploaded_file(checker, &subscript.value, depth + 1),
        Expr::Call(call) => matches!(&*call.func, Expr::Attribute(method)
            if matches!(method.attr.id.as_str(), "get" | "getlist")
                && is_uploaded_file(checker, &method.value, depth + 1)),
        Expr::Name(name) => semantic
            .assigned_value(name)
            .is_some_and(|value| is_uploaded_file(checker, value, depth + 1)),
        _ => false,
    }
}
