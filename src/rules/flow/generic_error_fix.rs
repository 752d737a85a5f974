//! The rewrite of a response that carries exception detail: the detail becomes a generic
//! message, and the exception goes to the log on the line before, so nothing is lost to the
//! people who run the service.

use crate::checker::Checker;
use crate::diagnostic::{Edit, Fix};
use crate::fix::statement::insert_before_statement;
use crate::parse::ast::{Expr, Stmt};
use crate::parse::{Ranged, TextRange};

/// What the client reads instead of the detail.
const GENERIC_MESSAGE: &str = "\"request failed\"";

/// `return {"error": str(e)}, 500` → `logging.exception("request failed")` and
/// `return {"error": "request failed"}, 500`. `sent` is the value the statement hands to the
/// client, `leak` the detail found in it. In an error handler outside any `except`, the
/// exception is its parameter `handled` and is logged with `exc_info=`.
pub fn generic_error_fix<'a>(
    checker: &Checker<'a>,
    stmt: &Stmt,
    sent: &'a Expr,
    leak: TextRange,
    handled: Option<&str>,
) -> Option<Fix> {
    let message = message_holding(checker, sent, leak, 0)?;
    let (logging, import) = checker.import_module("logging", stmt.start());
    let log = match handled {
        Some(exception) => format!("{logging}.error({GENERIC_MESSAGE}, exc_info={exception})"),
        None => format!("{logging}.exception({GENERIC_MESSAGE})"),
    };
    let guard = insert_before_statement(checker.source(), stmt, &[log])?;
    let mut edits = vec![guard, Edit::replace(message.range(), GENERIC_MESSAGE)];
    edits.extend(import);
    Some(Fix::unsafe_edits(
        "Log the exception and answer with a generic message",
        edits,
    ))
}

/// The part of `sent` that is the text holding the leak: containers (tuples, lists, dict
/// values) and response builders (`jsonify(error=...)`, `JsonResponse({...})`) are entered;
/// the first value that is neither is the message (`str(e)`, `f"failed: {e}"`,
/// `"failed: %s" % e`, `e.args`, `traceback.format_exc()`).
fn message_holding<'a>(
    checker: &Checker<'a>,
    sent: &'a Expr,
    leak: TextRange,
    depth: usize,
) -> Option<&'a Expr> {
    if depth > 16 || !sent.range().contains_range(leak) {
        return None;
    }
    if sent.range() == leak {
        return Some(sent);
    }
    let inner: Vec<&Expr> = match sent {
        Expr::Tuple(tuple) => tuple.elts.iter().collect(),
        Expr::List(list) => list.elts.iter().collect(),
        Expr::Dict(dict) => dict.items.iter().map(|item| &item.value).collect(),
        Expr::Call(call) if is_response_builder(checker, &call.func) => call
            .arguments
            .args
            .iter()
            .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
            .collect(),
        _ => return Some(sent),
    };
    inner
        .into_iter()
        .find_map(|value| message_holding(checker, value, leak, depth + 1))
}

/// A call that wraps the message rather than making it: not a text conversion (`str`,
/// `repr`, `format`, `"...".format(...)`).
fn is_response_builder<'a>(checker: &Checker<'a>, function: &'a Expr) -> bool {
    if matches!(function, Expr::Attribute(method) if method.attr.id.as_str() == "format") {
        return false;
    }
    !checker
        .semantic()
        .resolve_qualified_name(function)
        .is_some_and(|name| matches!(name.segments(), ["builtins", "str" | "repr" | "format"]))
}
