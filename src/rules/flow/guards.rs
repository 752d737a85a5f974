//! Checks that make a tainted value safe to use before it reaches a sink.
//!
//! A guard is an `if` whose test checks the value and whose body ends the request
//! (`if parts.hostname not in ALLOWED_HOSTS: abort(400)`), or an `if` whose body holds the
//! sink (`if candidate.is_relative_to(BASE): return send_file(candidate)`). What counts as a
//! check depends on the sink: a host allow-list for URLs, a containment test for paths.

use crate::checker::Checker;
use crate::parse::ast::{CmpOp, Expr, Stmt};
use crate::semantic::{BindingKind, MAX_NESTING};

use super::last_identifier;

/// What a guard must establish about the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    /// The URL's host (or the whole URL) is in an allow-list.
    AllowedHost,
    /// The path stays inside a base directory (or the name is in an allow-list).
    ContainedPath,
}

/// How far assignments are followed to find the names a value is built from.
const MAX_NAME_DEPTH: usize = 6;

/// True when a guard for `value`, used by the node being checked, runs before it.
pub fn is_guarded<'a>(checker: &Checker<'a>, value: &'a Expr, guard: Guard) -> bool {
    let mut names = Vec::new();
    collect_tainted_names(checker, value, 0, &mut names);
    if names.is_empty() {
        return false;
    }
    let around = checker.ancestors();
    if around
        .branch_conditions()
        .into_iter()
        .any(|(test, _)| checks(checker, test, &names, guard, 0))
    {
        return true;
    }
    around.earlier_statements().any(|earlier| {
        earlier.iter().any(|stmt| match stmt {
            Stmt::If(if_stmt) => {
                always_exits(&if_stmt.body) && checks(checker, &if_stmt.test, &names, guard, 0)
            }
            _ => false,
        })
    })
}

/// True when a block ends the request or the loop iteration: `return`, `raise`, `continue`,
/// `break`, or a call to `abort(...)` / `sys.exit(...)`.
fn always_exits(body: &[Stmt]) -> bool {
    match body.last() {
        Some(Stmt::Return(_) | Stmt::Raise(_) | Stmt::Continue(_) | Stmt::Break(_)) => true,
        Some(Stmt::Expr(statement)) => match &*statement.value {
            Expr::Call(call) => matches!(
                last_identifier(&call.func),
                Some("abort" | "exit" | "_exit" | "abort_with")
            ),
            _ => false,
        },
        _ => false,
    }
}

/// The tainted variables `value` is built from, following assignments.
fn collect_tainted_names<'a>(
    checker: &Checker<'a>,
    value: &'a Expr,
    depth: usize,
    names: &mut Vec<&'a str>,
) {
    if depth > MAX_NAME_DEPTH {
        return;
    }
    let semantic = checker.semantic();
    for expr in names_in(value) {
        let Expr::Name(name) = expr else {
            continue;
        };
        let identifier = name.id.as_str();
        if names.contains(&identifier) || semantic.taint_source_of(expr).is_none() {
            continue;
        }
        names.push(identifier);
        if let Some(binding) = semantic.binding_of(name) {
            if let BindingKind::Assignment(assigned)
            | BindingKind::AugAssign(assigned)
            | BindingKind::WithItem(assigned) = binding.kind
            {
                collect_tainted_names(checker, assigned, depth + 1, names);
            }
        }
    }
}

/// Every `Name` expression inside `expr`, `expr` included.
pub fn names_in(expr: &Expr) -> Vec<&Expr> {
    use crate::parse::ast::visitor::{self, Visitor};
    struct Names<'n> {
        found: Vec<&'n Expr>,
        depth: usize,
    }
    impl<'n> Visitor<'n> for Names<'n> {
        fn visit_expr(&mut self, expr: &'n Expr) {
            if self.depth >= MAX_NESTING {
                return;
            }
            if expr.is_name_expr() {
                self.found.push(expr);
            }
            self.depth += 1;
            visitor::walk_expr(self, expr);
            self.depth -= 1;
        }
    }
    let mut names = Names {
        found: Vec::new(),
        depth: 0,
    };
    names.visit_expr(expr);
    names.found
}

/// True when `test` checks one of `names` the way `guard` requires.
fn checks<'a>(
    checker: &Checker<'a>,
    test: &'a Expr,
    names: &[&'a str],
    guard: Guard,
    depth: usize,
) -> bool {
    if depth > MAX_NAME_DEPTH * 4 {
        return false;
    }
    // A name in the test refers to the value when it is one of `names` or is derived from
    // one (`host = urlsplit(url).hostname` checks `url`).
    let mentions = |expr: &'a Expr| {
        names_in(expr).into_iter().any(|name| {
            let mut derived = Vec::new();
            collect_tainted_names(checker, name, 0, &mut derived);
            derived.iter().any(|derived| names.contains(derived))
        })
    };
    match test {
        Expr::BoolOp(boolop) => boolop
            .values
            .iter()
            .any(|value| checks(checker, value, names, guard, depth + 1)),
        Expr::UnaryOp(unary) => checks(checker, &unary.operand, names, guard, depth + 1),
        Expr::Compare(compare) => {
            let membership = compare
                .ops
                .iter()
                .all(|op| matches!(op, CmpOp::In | CmpOp::NotIn));
            if membership && mentions(&compare.left) && !compare.comparators.iter().any(&mentions) {
                // `host not in ALLOWED_HOSTS`, `name in REPORTS`.
                return true;
            }
            let sides = std::iter::once(&*compare.left).chain(compare.comparators.iter());
            let sides: Vec<&Expr> = sides.collect();
            match guard {
                Guard::AllowedHost => sides.iter().any(|side| is_host_of(side) && mentions(side)),
                Guard::ContainedPath => sides.iter().any(|side| {
                    matches!(side, Expr::Call(call)
                        if last_identifier(&call.func) == Some("commonpath") && mentions(side))
                }),
            }
        }
        Expr::Call(call) => {
            let function = last_identifier(&call.func).unwrap_or("");
            let receiver_mentions =
                matches!(&*call.func, Expr::Attribute(method) if mentions(&method.value));
            let arguments_mention = call.arguments.args.iter().any(&mentions);
            if is_validator_name(function) && (arguments_mention || receiver_mentions) {
                return true;
            }
            match guard {
                Guard::AllowedHost => {
                    function == "endswith"
                        && matches!(&*call.func, Expr::Attribute(method) if is_host_of(&method.value))
                        && receiver_mentions
                }
                Guard::ContainedPath => function == "is_relative_to" && receiver_mentions,
            }
        }
        _ => false,
    }
}

/// `parts.hostname`, `parsed.netloc`, `url.host`.
fn is_host_of(expr: &Expr) -> bool {
    matches!(expr, Expr::Attribute(attribute)
        if matches!(attribute.attr.id.as_str(), "hostname" | "netloc" | "host"))
}

/// `is_allowed_url(...)`, `validate_host(...)`, `is_safe_path(...)`.
fn is_validator_name(function: &str) -> bool {
    let lowered = function.to_ascii_lowercase();
    ["allow", "valid", "safe", "trust", "permit", "whitelist"]
        .iter()
        .any(|word| lowered.contains(word))
}
