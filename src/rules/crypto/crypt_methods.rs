//! The standard library's `crypt` module (Python 3.12 and older): the hashing method a call
//! picks by name, when it is one of the two that no longer protect a password.

use crate::checker::Checker;
use crate::diagnostic::{Edit, Fix};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::semantic::{argument, QualifiedName};

/// `crypt.METHOD_CRYPT` or `crypt.METHOD_MD5` given to `crypt.crypt` or `crypt.mksalt`.
pub struct WeakMethod<'a> {
    /// The method as written (`crypt.METHOD_MD5`).
    pub method: &'a Expr,
    pub message: String,
    pub fix: Option<Fix>,
}

/// The weak method `crypt.crypt(word, salt=...)` or `crypt.mksalt(method)` names, if any.
/// Without a method both pick the strongest the platform has, which is fine.
pub fn weak_method<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    function: &QualifiedName,
) -> Option<WeakMethod<'a>> {
    let method = match function.segments() {
        ["crypt", "crypt"] => argument(call, 1, "salt")?,
        ["crypt", "mksalt"] => argument(call, 0, "method")?,
        _ => return None,
    };
    let name = checker.semantic().resolve_qualified_name(method)?;
    let weakness = match name.segments() {
        ["crypt", "METHOD_CRYPT"] => {
            "traditional DES crypt, which reads only the first 8 characters of a password and salts it with 12 bits"
        }
        ["crypt", "METHOD_MD5"] => "MD5-crypt, a fixed 1,000 rounds of MD5",
        _ => return None,
    };
    let written = checker.text(method);
    let message = format!(
        "`{written}` hashes passwords with {weakness}: GPUs try millions of guesses per second; use Argon2id or bcrypt (`crypt` is gone in Python 3.13)"
    );
    // SHA-512 crypt keeps the same module and format, and old hashes still verify: the
    // salt stored with each one names its method.
    let fix = match method {
        Expr::Attribute(attribute) => Some(Fix::display_only(
            "Use `crypt.METHOD_SHA512` (better still, Argon2id or bcrypt)",
            vec![Edit::replace(attribute.attr.range(), "METHOD_SHA512")],
        )),
        _ => None,
    };
    Some(WeakMethod {
        method,
        message,
        fix,
    })
}
