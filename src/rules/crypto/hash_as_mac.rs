use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr, Operator};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::QualifiedName;

use super::hash_use::{display_name, hash_call, HashCall, Library, HASH_MODULES};
use super::names::{is_secret_name, name_of, words};

declare_rule! {
    /// ## What it does
    /// Flags a MAC built by hashing a secret followed by the message:
    /// `hashlib.sha256(secret + message)`, `hashlib.md5(f"{api_key}{params}".encode())`,
    /// with MD5, SHA-1, SHA-256 or SHA-512. The first part must be named like a key or a
    /// secret (`secret`, `key`, `signing_key`, `api_key`, `SECRET_KEY`).
    ///
    /// ## Why is this bad?
    /// These hashes process data block by block and their digest *is* their internal
    /// state. Whoever sees `H(secret + message)` can continue hashing from it and compute
    /// a valid digest for `message + padding + anything`, without knowing the secret
    /// (a length-extension attack). HMAC is built to prevent exactly this.
    ///
    /// ## Example
    /// ```python
    /// import hashlib
    /// signature = hashlib.sha256(secret + payload).hexdigest()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import hashlib
    /// import hmac
    /// signature = hmac.new(secret, payload, hashlib.sha256).hexdigest()
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the MAC values change, so signatures already issued or expected by the
    /// other side stop matching. Only `hashlib.<name>(secret + message)` is rewritten.
    ///
    /// ## References
    /// CWE-328, CWE-327 · OWASP A02
    pub HASH_AS_MAC = RuleMeta {
        id: "PV410",
        name: "hash-as-mac",
        severity: Severity::Medium,
        confidence: Confidence::Medium,
        cwe: &[328, 327],
        owasp: Owasp::A02,
        guideline: "cryptography",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &HASH_AS_MAC,
    checks: &[Check::Callee(check_call)],
    needs: HASH_MODULES,
};

/// Hashes whose digest is their full state (SHA-224/384 and SHA-3 are not extendable).
const EXTENDABLE: &[&str] = &["md5", "sha1", "sha256", "sha512"];

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    let Some(hash) = hash_call(checker, call, function) else {
        return;
    };
    if !EXTENDABLE.contains(&hash.algorithm.as_str()) {
        return;
    }
    let Some(data) = hash.data else {
        return;
    };
    let Some((key, message)) = key_prefix(data) else {
        return;
    };
    let Some(name) = name_of(strip_encode(key)).filter(|name| is_mac_key_name(name)) else {
        return;
    };
    let message_text = format!(
        "Hashing `{name}` followed by the message with {} lets anyone extend the message and compute a valid digest; use `hmac.new`",
        display_name(&hash.algorithm)
    );
    let fix = message.and_then(|message| hmac_fix(checker, &hash, key, message));
    checker.report(Finding::new(&HASH_AS_MAC, call.range(), message_text).with_fix(fix));
}

/// The leftmost part (as written, `.encode()` included) of `key + message`, `(key + message).encode()` or `f"{key}{message}"`,
/// and the message when the data is exactly `key + message`.
fn key_prefix(data: &Expr) -> Option<(&Expr, Option<&Expr>)> {
    match data {
        Expr::BinOp(binop) if binop.op == Operator::Add => {
            let mut left = &*binop.left;
            while let Expr::BinOp(inner) = left {
                if inner.op != Operator::Add {
                    return None;
                }
                left = &inner.left;
            }
            let message = std::ptr::eq(left, &*binop.left).then_some(&*binop.right);
            Some((left, message))
        }
        Expr::Call(call) if call.arguments.is_empty() => match &*call.func {
            Expr::Attribute(method) if method.attr.id.as_str() == "encode" => {
                key_prefix(&method.value).map(|(key, _)| (key, None))
            }
            _ => None,
        },
        Expr::FString(fstring) => {
            let mut elements = fstring.value.elements();
            let first = elements.next()?.as_interpolation()?;
            elements.next()?;
            Some((&*first.expression, None))
        }
        _ => None,
    }
}

fn strip_encode(expr: &Expr) -> &Expr {
    match expr {
        Expr::Call(call) => match &*call.func {
            Expr::Attribute(method) if method.attr.id.as_str() == "encode" => &method.value,
            _ => expr,
        },
        _ => expr,
    }
}

/// `secret`, `key`, `SECRET_KEY`, `signing_key`, `api_key`; not `cache_key` or `sort_key`.
fn is_mac_key_name(name: &str) -> bool {
    let words = words(name);
    let head = words.last().map(String::as_str);
    name.eq_ignore_ascii_case("key")
        || (is_secret_name(name) && matches!(head, Some("key" | "secret")))
        || head == Some("secret")
}

/// `hashlib.sha256(secret + message)` → `hmac.new(secret, message, hashlib.sha256)`.
fn hmac_fix(checker: &Checker, hash: &HashCall, key: &Expr, message: &Expr) -> Option<Fix> {
    let arguments = &hash.call.arguments;
    if hash.library != Library::Hashlib
        || arguments.args.len() != 1
        || !arguments.keywords.is_empty()
    {
        return None;
    }
    let (hmac, hmac_import) = checker.import_module("hmac", hash.call.start());
    let (hashlib, hashlib_import) = checker.import_module("hashlib", hash.call.start());
    let replacement = format!(
        "{hmac}.new({}, {}, {hashlib}.{})",
        checker.text(key),
        checker.text(message),
        hash.algorithm
    );
    let mut edits = vec![Edit::replace(hash.call.range(), replacement)];
    edits.extend(hmac_import);
    edits.extend(hashlib_import);
    Some(Fix::unsafe_edits("Use HMAC", edits))
}
