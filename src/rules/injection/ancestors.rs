//! The nodes around an expression: what a call's result is used for, which loop binds a name.
//!
//! The checker walks down and never keeps parents, so a rule that needs them (only when it
//! already has a finding) walks the module again, entering only nodes that contain the target.

use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{Expr, ExprCall, Stmt};
use crate::parse::{Ranged, TextRange};
use crate::semantic::{statement_containing, MAX_NESTING};

#[derive(Debug, Clone, Copy)]
pub enum Node<'a> {
    Stmt(&'a Stmt),
    Expr(&'a Expr),
}

/// The statements and expressions enclosing the first expression `is_target` accepts,
/// outermost first (the target itself is not included). Empty when nothing matches.
pub fn ancestors<'a>(
    body: &'a [Stmt],
    within: TextRange,
    is_target: impl Fn(&'a Expr) -> bool,
) -> Vec<Node<'a>> {
    let mut finder = Finder {
        within,
        is_target,
        stack: Vec::new(),
        found: None,
    };
    finder.visit_body(body);
    finder.found.unwrap_or_default()
}

/// The ancestors of this very call (found by identity, not by range).
pub fn ancestors_of_call<'a>(body: &'a [Stmt], call: &ExprCall) -> Vec<Node<'a>> {
    ancestors(
        body,
        call.range(),
        |expr| matches!(expr, Expr::Call(other) if std::ptr::eq(other, call)),
    )
}

struct Finder<'a, F> {
    within: TextRange,
    is_target: F,
    stack: Vec<Node<'a>>,
    found: Option<Vec<Node<'a>>>,
}

impl<'a, F: Fn(&'a Expr) -> bool> Finder<'a, F> {
    fn enters(&self, range: TextRange) -> bool {
        self.found.is_none() && self.stack.len() < MAX_NESTING && range.contains_range(self.within)
    }
}

impl<'a, F: Fn(&'a Expr) -> bool> Visitor<'a> for Finder<'a, F> {
    fn visit_body(&mut self, body: &'a [Stmt]) {
        // Only the statement that holds the target can lead to it.
        if let Some(index) = statement_containing(body, self.within) {
            self.visit_stmt(&body[index]);
        }
    }

    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if !self.enters(stmt.range()) {
            return;
        }
        self.stack.push(Node::Stmt(stmt));
        visitor::walk_stmt(self, stmt);
        self.stack.pop();
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if !self.enters(expr.range()) {
            return;
        }
        if (self.is_target)(expr) {
            self.found = Some(self.stack.clone());
            return;
        }
        self.stack.push(Node::Expr(expr));
        visitor::walk_expr(self, expr);
        self.stack.pop();
    }
}
