//! Turning a TLS context's checks back on: `verify_mode = CERT_NONE` and `check_hostname =
//! False` are one setting in two parts, and fixing only one can crash.
//!
//! With `check_hostname = True`, `ctx.verify_mode = CERT_NONE` raises `ValueError` ("Cannot set
//! verify_mode to CERT_NONE when check_hostname is enabled"). So the fix for `check_hostname`
//! also rewrites every `verify_mode = CERT_NONE` of the same context in the same scope, and
//! gives up when one of them sets a value it cannot read.

use crate::checker::Checker;
use crate::diagnostic::Edit;
use crate::parse::ast::comparable::ComparableExpr;
use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{Expr, Stmt};
use crate::parse::Ranged;

use super::tls_context::is_cert_none;

/// The edits that make `value` (assigned to `verify_mode`) `CERT_REQUIRED`: `ssl.CERT_NONE` →
/// `ssl.CERT_REQUIRED` in place, a name imported from `ssl` → `ssl.CERT_REQUIRED` with the
/// import it needs. `None` when `value` is not `CERT_NONE`.
pub fn verify_mode_edits<'a>(checker: &Checker<'a>, value: &'a Expr) -> Option<Vec<Edit>> {
    if !is_cert_none(checker, value) {
        return None;
    }
    match value {
        Expr::Attribute(constant) => {
            Some(vec![Edit::replace(constant.attr.range(), "CERT_REQUIRED")])
        }
        _ => {
            let (ssl, import) = checker.import_module("ssl", value.start());
            let mut edits = vec![Edit::replace(value.range(), format!("{ssl}.CERT_REQUIRED"))];
            edits.extend(import);
            Some(edits)
        }
    }
}

/// The edits that turn `context.check_hostname = False` (whose `False` is `value`) on: `True`,
/// and `CERT_REQUIRED` for each `context.verify_mode = CERT_NONE` in the same scope. `None`
/// when one of those assignments sets something that might be `CERT_NONE` but is not known
/// to be (a parameter, a number): the fix would crash there.
pub fn check_hostname_edits<'a>(
    checker: &Checker<'a>,
    context: &'a Expr,
    value: &'a Expr,
) -> Option<Vec<Edit>> {
    // `if not server_hostname: ctx.check_hostname = False`: with no host name to check,
    // `True` makes the handshake raise instead.
    let without_host_name = checker
        .ancestors()
        .branch_conditions()
        .iter()
        .any(|(test, _)| reads_host_name(test, 0));
    if without_host_name {
        return None;
    }
    let mut edits = vec![Edit::replace(value.range(), "True")];
    for mode in verify_modes_of(checker, context) {
        if let Some(more) = verify_mode_edits(checker, mode) {
            edits.extend(more);
        } else if !is_verifying_mode(checker, mode) {
            return None;
        }
    }
    Some(edits)
}

/// `test` reads a name that says it holds a host name (`server_hostname`, `self.host`).
fn reads_host_name(test: &Expr, depth: usize) -> bool {
    let host_named = |name: &str| {
        let name = name.to_ascii_lowercase();
        name.ends_with("hostname") || name.ends_with("host")
    };
    if depth > 8 {
        return false;
    }
    match test {
        Expr::Name(name) => host_named(name.id.as_str()),
        Expr::Attribute(attribute) => host_named(attribute.attr.as_str()),
        Expr::UnaryOp(unary) => reads_host_name(&unary.operand, depth + 1),
        Expr::BoolOp(bool_op) => bool_op
            .values
            .iter()
            .any(|value| reads_host_name(value, depth + 1)),
        Expr::Compare(compare) => std::iter::once(&*compare.left)
            .chain(compare.comparators.iter())
            .any(|operand| reads_host_name(operand, depth + 1)),
        _ => false,
    }
}

/// `ssl.CERT_REQUIRED` or `ssl.CERT_OPTIONAL`, however imported: these go with host names.
fn is_verifying_mode<'a>(checker: &Checker<'a>, value: &'a Expr) -> bool {
    checker
        .semantic()
        .resolve_qualified_name(value)
        .is_some_and(|name| {
            matches!(
                name.segments(),
                ["ssl", "CERT_REQUIRED" | "CERT_OPTIONAL"]
                    | ["ssl", "VerifyMode", "CERT_REQUIRED" | "CERT_OPTIONAL"]
            )
        })
}

/// The values assigned to `context.verify_mode` in the function (or module) body that holds
/// the node being checked, nested functions and classes left out.
fn verify_modes_of<'a>(checker: &Checker<'a>, context: &'a Expr) -> Vec<&'a Expr> {
    struct Finder<'a> {
        context: ComparableExpr<'a>,
        values: Vec<&'a Expr>,
    }
    impl<'a> Visitor<'a> for Finder<'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::Assign(assign) => {
                    for target in &assign.targets {
                        if let Expr::Attribute(attribute) = target {
                            if attribute.attr.as_str() == "verify_mode"
                                && ComparableExpr::from(&*attribute.value) == self.context
                            {
                                self.values.push(&assign.value);
                            }
                        }
                    }
                }
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, _: &'a Expr) {}
    }
    let body: &'a [Stmt] = match checker.ancestors().enclosing_function() {
        Some(function) => &function.body,
        None => checker.semantic().body(),
    };
    let mut finder = Finder {
        context: ComparableExpr::from(context),
        values: Vec::new(),
    };
    finder.visit_body(body);
    finder.values
}
