//! Rewriting a literal list, tuple or set with some of its elements left out:
//! `["https://app.example.com", "*"]` → `["https://app.example.com"]`.

use crate::checker::Checker;
use crate::diagnostic::Edit;
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;

/// An edit that writes `collection` again with only the elements `keep` accepts, in the same
/// brackets. `None` when it is not a literal list, tuple or set, when it holds a comment or
/// a starred element (the rewrite would lose or misread them), when nothing would be left
/// out, or when nothing would be kept (an empty set has no literal, and an empty allow-list
/// is a decision for the caller).
pub fn without_elements<'a>(
    checker: &Checker<'a>,
    collection: &'a Expr,
    keep: impl Fn(&'a Expr) -> bool,
) -> Option<Edit> {
    let (elts, open, close) = match collection {
        Expr::List(ast::ExprList { elts, .. }) => (elts, "[", "]"),
        Expr::Set(ast::ExprSet { elts, .. }) => (elts, "{", "}"),
        Expr::Tuple(ast::ExprTuple {
            elts,
            parenthesized: true,
            ..
        }) => (elts, "(", ")"),
        _ => return None,
    };
    if checker.text(collection).contains('#') || elts.iter().any(Expr::is_starred_expr) {
        return None;
    }
    let kept: Vec<&str> = elts
        .iter()
        .filter(|element| keep(element))
        .map(|element| checker.text(element))
        .collect();
    if kept.is_empty() || kept.len() == elts.len() {
        return None;
    }
    let one_tuple = if open == "(" && kept.len() == 1 {
        ","
    } else {
        ""
    };
    Some(Edit::replace(
        collection.range(),
        format!("{open}{}{one_tuple}{close}", kept.join(", ")),
    ))
}
