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
use crate::semantic::ancestors::Node;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CipherUse {
    /// It is assigned to a name on which only `encrypt`, `encryptor`, `encrypt_and_digest`
    /// are called (and its IV, nonce or tag read).
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
/// same function or module.
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
                [Expr::Name(name)] => methods_called_on(checker, name.id.as_str()),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    let encrypts = |method: &&str| method.starts_with("encrypt");
    let harmless = |method: &&str| encrypts(method) || NEUTRAL.contains(method);
    if methods.iter().any(encrypts) && methods.iter().all(harmless) {
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

/// The attributes read on `name` in the enclosing function (or the module): `cipher.encrypt`
/// gives `encrypt`. Nested functions are searched too, which can only add a `decrypt` and
/// so make the answer more careful.
fn methods_called_on<'a>(checker: &Checker<'a>, name: &str) -> Vec<&'a str> {
    let body = match checker.ancestors().enclosing_function() {
        Some(function) => &function.body[..],
        None => checker.semantic().body(),
    };
    let mut finder = AttributeFinder {
        name,
        found: Vec::new(),
    };
    finder.visit_body(body);
    finder.found
}

struct AttributeFinder<'n, 'a> {
    name: &'n str,
    found: Vec<&'a str>,
}

impl<'a> Visitor<'a> for AttributeFinder<'_, 'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Attribute(attribute) if matches!(&*attribute.value, Expr::Name(value) if value.id.as_str() == self.name) =>
            {
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
