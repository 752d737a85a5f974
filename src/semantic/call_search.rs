//! Whether a block of statements makes some call: the question "does this function call
//! the factory", "does this module `pickle.dump` into that file", asked of code that is not
//! the node being checked.

use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{self, Expr, Stmt};

use super::bindings::MAX_NESTING;

/// True when some call in `body` (nested calls and nested blocks included) satisfies `wanted`.
pub fn body_has_call<'a>(body: &'a [Stmt], wanted: impl FnMut(&'a ast::ExprCall) -> bool) -> bool {
    let mut search = CallSearch {
        wanted,
        found: false,
        depth: 0,
    };
    search.visit_body(body);
    search.found
}

struct CallSearch<F> {
    wanted: F,
    found: bool,
    depth: usize,
}

impl<'a, F: FnMut(&'a ast::ExprCall) -> bool> Visitor<'a> for CallSearch<F> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if !self.found && self.depth < MAX_NESTING {
            self.depth += 1;
            visitor::walk_stmt(self, stmt);
            self.depth -= 1;
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found || self.depth >= MAX_NESTING {
            return;
        }
        if let Expr::Call(call) = expr {
            self.found = (self.wanted)(call);
        }
        self.depth += 1;
        visitor::walk_expr(self, expr);
        self.depth -= 1;
    }
}
