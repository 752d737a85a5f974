//! Whether a function mentions a header by name (`Access-Control-Allow-Credentials`).

use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{Expr, Stmt};

/// Deeper nesting is not searched (the checker itself stops at 200 levels).
const MAX_DEPTH: usize = 200;

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
