//! What a view's code says about how its requests are authenticated: by the session cookie
//! (it reads `request.user`, `session`, `current_user`), or by something a browser does not
//! add on its own (an HMAC signature, an `Authorization` header).

use crate::diagnostic::Confidence;
use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{self, Expr, Stmt};

/// Deeper nesting is not searched (the checker itself stops at 200 levels).
const MAX_DEPTH: usize = 200;

/// What a view's body says about how it is authenticated.
#[derive(Default)]
pub struct Evidence {
    /// It checks a signature or reads the `Authorization` header.
    pub authenticates_otherwise: bool,
    /// It touches the logged-in user or the session.
    uses_session: bool,
    depth: usize,
}

impl Evidence {
    pub fn of(body: &[Stmt], decorators: &[ast::Decorator]) -> Self {
        let mut evidence = Evidence::default();
        evidence.visit_body(body);
        for decorator in decorators {
            evidence.visit_expr(&decorator.expression);
        }
        evidence
    }

    pub fn confidence(&self) -> Confidence {
        if self.uses_session {
            Confidence::High
        } else {
            Confidence::Medium
        }
    }
}

impl<'a> Visitor<'a> for Evidence {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth > MAX_DEPTH || self.authenticates_otherwise {
            return;
        }
        self.depth += 1;
        visitor::walk_stmt(self, stmt);
        self.depth -= 1;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth > MAX_DEPTH || self.authenticates_otherwise {
            return;
        }
        match expr {
            Expr::StringLiteral(literal) => {
                let text = literal.value.to_str().to_ascii_lowercase();
                if text.contains("authorization") || text.contains("signature") {
                    self.authenticates_otherwise = true;
                }
            }
            Expr::Attribute(attribute) => {
                let attr = attribute.attr.id.as_str();
                if matches!(attr, "compare_digest" | "construct_event") || is_verification(attr) {
                    self.authenticates_otherwise = true;
                }
                if matches!(attr, "user" | "session") {
                    self.uses_session = true;
                }
            }
            Expr::Name(name) => {
                let id = name.id.as_str();
                if id == "compare_digest" || is_verification(id) {
                    self.authenticates_otherwise = true;
                }
                if matches!(id, "current_user" | "session" | "login_required" | "login") {
                    self.uses_session = true;
                }
            }
            _ => {}
        }
        self.depth += 1;
        visitor::walk_expr(self, expr);
        self.depth -= 1;
    }
}

/// `verify_signature`, `verify_webhook`, `validate_signature`, `check_hmac`...
fn is_verification(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("verify") || name.contains("signature") || name.contains("hmac")
}
