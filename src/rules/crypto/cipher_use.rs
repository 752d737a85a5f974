//! Whether a cipher object is used to encrypt or to decrypt, which decides how far a fix
//! that changes the mode, the cipher or the IV can go.
//!
//! Changing how new data is encrypted only changes what must be stored (the new IV, nonce
//! or tag), so it is an unsafe fix, as long as the cipher object is kept in a name the
//! code can read them from. Changing how existing data is decrypted breaks reading
//! everything stored so far, and a cipher used once inline loses its nonce: there the
//! rewrite is only shown.

use crate::checker::Checker;
use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::{Ranged, TextRange};
use crate::semantic::ancestors::Node;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CipherUse {
    /// It is assigned to a name in a function, on which one `encrypt`, `encryptor` or
    /// `encrypt_and_digest` call is made (and its IV, nonce or tag read), not in a loop
    /// the assignment is outside of: one object, one message.
    Encrypt,
    /// An encrypting method is called on it right away: `PKCS1_v1_5.new(key).encrypt(m)`.
    /// Whatever it drew at random (an IV, a nonce) is lost with it.
    EncryptInline,
    /// It decrypts, or we cannot see what it does (it is returned or
    /// passed on).
    DecryptOrUnknown,
}

/// How the cipher object that `call` builds is used: the method called on it right away,
/// or the methods called on the name it is assigned to (`cipher = AES.new(...)`) in the
/// same function. A cipher object kept at module or class level, or used for several
/// messages, would reuse the one random IV or nonce a fix gives it (fatal for GCM): that
/// counts as unknown.
pub fn cipher_use<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> CipherUse {
    let ancestors = checker.ancestors();
    let mut around = ancestors.current().into_iter().chain(ancestors.iter());
    let is_call = |node: &Node<'a>| matches!(node, Node::Expr(Expr::Call(found)) if std::ptr::eq(found, call));
    if !around.any(|node| is_call(&node)) {
        return CipherUse::DecryptOrUnknown;
    }
    let methods = match around.find(|node| !matches!(node, Node::Suite(_))) {
        Some(Node::Expr(Expr::Attribute(attribute))) => {
            return if attribute.attr.id.as_str().starts_with("encrypt") {
                CipherUse::EncryptInline
            } else {
                CipherUse::DecryptOrUnknown
            };
        }
        Some(Node::Stmt(statement)) => match statement.stmt {
            Stmt::Assign(assign) if is_value(&assign.value, call) => match &assign.targets[..] {
                [Expr::Name(name)] => match methods_called_on(checker, name.id.as_str(), assign) {
                    Some(methods) => methods,
                    None => return CipherUse::DecryptOrUnknown,
                },
                _ => Vec::new(),
            },
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    let encrypts = |method: &&str| method.starts_with("encrypt");
    let harmless = |method: &&str| encrypts(method) || NEUTRAL.contains(method);
    let one_message = methods.iter().filter(|method| encrypts(method)).count() == 1;
    if one_message && methods.iter().all(harmless) {
        CipherUse::Encrypt
    } else {
        CipherUse::DecryptOrUnknown
    }
}

/// What else an encrypting cipher object is asked for: its IV or nonce, its tag, its settings.
const NEUTRAL: &[&str] = &[
    "iv",
    "IV",
    "nonce",
    "digest",
    "hexdigest",
    "mode",
    "algorithm",
    "block_size",
];

fn is_value(value: &Expr, call: &ast::ExprCall) -> bool {
    matches!(value, Expr::Call(found) if std::ptr::eq(found, call))
}

/// The attributes read on `name` in the enclosing function (`cipher.encrypt` gives
/// `encrypt`; the name passed on whole gives `""`). Nested functions are searched too,
/// which can only add a use and so make the answer more careful. `None` outside a
/// function, or when an attribute is read in a loop that does not also make the object.
fn methods_called_on<'a>(
    checker: &Checker<'a>,
    name: &str,
    assign: &'a ast::StmtAssign,
) -> Option<Vec<&'a str>> {
    let function = checker.ancestors().enclosing_function()?;
    let mut finder = AttributeFinder {
        name,
        assignment: assign.range(),
        loops: Vec::new(),
        in_other_loop: false,
        found: Vec::new(),
    };
    finder.visit_body(&function.body);
    (!finder.in_other_loop).then_some(finder.found)
}

struct AttributeFinder<'n, 'a> {
    name: &'n str,
    assignment: TextRange,
    /// The loops and comprehensions around the node being visited.
    loops: Vec<TextRange>,
    /// An attribute is read in a loop the assignment is not in.
    in_other_loop: bool,
    found: Vec<&'a str>,
}

impl AttributeFinder<'_, '_> {
    fn record_loops(&mut self) {
        if self
            .loops
            .iter()
            .any(|around| !around.contains_range(self.assignment))
        {
            self.in_other_loop = true;
        }
    }
}

impl<'a> Visitor<'a> for AttributeFinder<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        let is_loop = matches!(stmt, Stmt::For(_) | Stmt::While(_));
        if is_loop {
            self.loops.push(stmt.range());
        }
        visitor::walk_stmt(self, stmt);
        if is_loop {
            self.loops.pop();
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_) => {
                self.loops.push(expr.range());
                visitor::walk_expr(self, expr);
                self.loops.pop();
            }
            Expr::Attribute(attribute) if matches!(&*attribute.value, Expr::Name(value) if value.id.as_str() == self.name) =>
            {
                self.record_loops();
                self.found.push(attribute.attr.id.as_str());
            }
            // The name passed on whole: what the callee does with it is not seen.
            Expr::Name(value) if value.id.as_str() == self.name && value.ctx.is_load() => {
                self.found.push("");
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}
