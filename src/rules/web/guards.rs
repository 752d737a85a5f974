//! Whether a value is checked before it is used: `if origin in ALLOWED:` around the use,
//! an earlier `if ...: return` that mentions it, or `x if check(x) else default`.

use crate::checker::Checker;
use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{self, Expr, Stmt};
use crate::semantic::BindingKind;

/// Deeper nesting is not searched (the checker itself stops at 200 levels).
const MAX_DEPTH: usize = 200;

/// True when a condition that mentions `value` (part of the node being checked) decides
/// whether the code using it runs.
pub fn is_checked_first<'a>(checker: &Checker<'a>, value: &'a Expr) -> bool {
    let subject = Subject::of(checker, value);
    if let Expr::If(conditional) = value {
        if subject.is_mentioned_in(checker, &conditional.test) {
            return true;
        }
    }
    checker.ancestors().statements().any(|statement| {
        let around = match statement.stmt {
            Stmt::If(node) => std::iter::once(&*node.test)
                .chain(
                    node.elif_else_clauses
                        .iter()
                        .filter_map(|c| c.test.as_ref()),
                )
                .any(|test| subject.is_mentioned_in(checker, test)),
            Stmt::While(node) => subject.is_mentioned_in(checker, &node.test),
            _ => false,
        };
        around
            || statement.before().iter().any(|earlier| match earlier {
                Stmt::If(node) => exits(&node.body) && subject.is_mentioned_in(checker, &node.test),
                _ => false,
            })
    })
}

/// True when `body` holds the string literal `text` (compared without case).
pub fn mentions_string(body: &[Stmt], text: &str) -> bool {
    let mut finder = StringFinder {
        text,
        found: false,
        depth: 0,
    };
    finder.visit_body(body);
    finder.found
}

/// What a check must mention to be about this value: its local variables, or its text.
struct Subject<'a> {
    locals: Vec<&'a str>,
    text: &'a str,
}

impl<'a> Subject<'a> {
    fn of(checker: &Checker<'a>, value: &'a Expr) -> Self {
        let mut names = NameCollector::default();
        names.visit_expr(value);
        let locals = names
            .names
            .into_iter()
            .filter(|name| {
                matches!(
                    checker.semantic().binding_of(name).map(|b| &b.kind),
                    Some(
                        BindingKind::Assignment(_)
                            | BindingKind::WithItem(_)
                            | BindingKind::LoopTarget(_)
                            | BindingKind::Other
                    )
                )
            })
            .map(|name| name.id.as_str())
            .collect();
        Subject {
            locals,
            text: checker.text(value),
        }
    }

    fn is_mentioned_in(&self, checker: &Checker, test: &Expr) -> bool {
        let mut names = NameCollector::default();
        names.visit_expr(test);
        names
            .names
            .iter()
            .any(|name| self.locals.contains(&name.id.as_str()))
            || checker.text(test).contains(self.text)
    }
}

#[derive(Default)]
struct NameCollector<'a> {
    names: Vec<&'a ast::ExprName>,
    depth: usize,
}

impl<'a> Visitor<'a> for NameCollector<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth > MAX_DEPTH {
            return;
        }
        if let Expr::Name(name) = expr {
            self.names.push(name);
        }
        self.depth += 1;
        visitor::walk_expr(self, expr);
        self.depth -= 1;
    }
}

/// A block that leaves early: ends in `return`, `raise` or `abort(...)`.
fn exits(body: &[Stmt]) -> bool {
    match body.last() {
        Some(Stmt::Return(_) | Stmt::Raise(_)) => true,
        Some(Stmt::Expr(statement)) => matches!(&*statement.value, Expr::Call(call)
            if matches!(&*call.func, Expr::Name(name) if name.id.as_str() == "abort")),
        _ => false,
    }
}

struct StringFinder<'t> {
    text: &'t str,
    found: bool,
    depth: usize,
}

impl<'a> Visitor<'a> for StringFinder<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth > MAX_DEPTH || self.found {
            return;
        }
        self.depth += 1;
        visitor::walk_stmt(self, stmt);
        self.depth -= 1;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth > MAX_DEPTH || self.found {
            return;
        }
        if let Expr::StringLiteral(literal) = expr {
            self.found |= literal.value.to_str().eq_ignore_ascii_case(self.text);
        }
        self.depth += 1;
        visitor::walk_expr(self, expr);
        self.depth -= 1;
    }
}
