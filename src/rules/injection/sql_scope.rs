//! How often a variable is read in a function (a query variable used once can be rewritten
//! where it is built).

use crate::parse::ast::statement_visitor::{self, StatementVisitor};
use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{Expr, ExprContext, Stmt};
use crate::parse::{Ranged, TextSize};
use crate::semantic::MAX_NESTING;

/// How many times `name` is read in the innermost function around `at` (the whole module
/// when there is none), nested functions included. `None` when nested too deeply to count.
pub fn uses_of(body: &[Stmt], name: &str, at: TextSize) -> Option<usize> {
    let mut finder = InnermostFunction { at, body, depth: 0 };
    finder.visit_body(body);
    let mut counter = NameReads {
        name,
        count: 0,
        depth: 0,
        too_deep: false,
    };
    counter.visit_body(finder.body);
    (!counter.too_deep).then_some(counter.count)
}

struct InnermostFunction<'a> {
    at: TextSize,
    body: &'a [Stmt],
    depth: usize,
}

impl<'a> StatementVisitor<'a> for InnermostFunction<'a> {
    fn visit_body(&mut self, body: &'a [Stmt]) {
        // Statements are in source order and do not overlap: the first that ends after `at`
        // is the only one that can hold it.
        let index = body.partition_point(|stmt| stmt.end() <= self.at);
        if let Some(stmt) = body.get(index) {
            self.visit_stmt(stmt);
        }
    }

    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth >= MAX_NESTING || !stmt.range().contains(self.at) {
            return;
        }
        if let Stmt::FunctionDef(function) = stmt {
            self.body = &function.body;
        }
        self.depth += 1;
        statement_visitor::walk_stmt(self, stmt);
        self.depth -= 1;
    }
}

struct NameReads<'n> {
    name: &'n str,
    count: usize,
    depth: usize,
    too_deep: bool,
}

impl<'a> Visitor<'a> for NameReads<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth >= MAX_NESTING {
            self.too_deep = true;
            return;
        }
        self.depth += 1;
        visitor::walk_stmt(self, stmt);
        self.depth -= 1;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth >= MAX_NESTING {
            self.too_deep = true;
            return;
        }
        if let Expr::Name(name) = expr {
            if name.id.as_str() == self.name && name.ctx != ExprContext::Store {
                self.count += 1;
            }
        }
        self.depth += 1;
        visitor::walk_expr(self, expr);
        self.depth -= 1;
    }
}
