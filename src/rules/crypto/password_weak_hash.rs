use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::ancestors::Node;
use crate::semantic::argument;

use super::crypt_methods::weak_method;
use super::digest_role::protocol_requires;
use super::hash_use::{display_name, hash_call, password_in, purpose, HashCall, Purpose};
use super::pbkdf2;

declare_rule! {
    /// ## What it does
    /// Flags passwords hashed with a fast digest (MD5, SHA-1, SHA-256, SHA-512, BLAKE2, ...),
    /// whether the data is named like a password (`hashlib.sha256(password.encode())`,
    /// `h.update(pw)`) or the result is stored as one (`user.password_hash = ...`), and
    /// PBKDF2 with too few iterations or a constant salt.
    ///
    /// The standard library's `crypt` module (Python 3.12 and older) hashes nothing but
    /// passwords, so `crypt.crypt(word, crypt.METHOD_CRYPT)` and `crypt.METHOD_MD5` (or a
    /// salt made by `crypt.mksalt` with either) are reported whatever the names say. Its
    /// SHA-256, SHA-512 and Blowfish (bcrypt) methods, and no method at all (the strongest
    /// the platform has), stay clean.
    ///
    /// MD5 inside HTTP Digest authentication (a class or function named for it) is left
    /// alone: the protocol fixes the hash of `user:realm:password`. PBKDF2 findings are
    /// medium severity: the hash is slow, only tuned too low, and raising it means
    /// migrating stored hashes.
    ///
    /// ## Why is this bad?
    /// Fast hashes are built to be fast: one GPU tries billions of guesses per second, so a
    /// leaked table of them gives up most passwords in hours, salted or not. Password
    /// hashing needs a deliberately slow, memory-hard function with a random salt per
    /// password. PBKDF2 is acceptable only with a high iteration count (OWASP: 600,000 for
    /// SHA-256, 1,300,000 for SHA-1, 210,000 for SHA-512) and a random salt.
    ///
    /// ## Example
    /// ```python
    /// import hashlib
    /// user.password_hash = hashlib.sha256(password.encode()).hexdigest()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from argon2 import PasswordHasher
    /// user.password_hash = PasswordHasher().hash(password)
    /// ```
    ///
    /// ## Fix safety
    /// Display-only: stored hashes must be migrated (verify the old hash at the next
    /// login, then store the new one), which no rewrite of one line can do. The
    /// suggestion uses argon2-cffi's `PasswordHasher`, or raises the PBKDF2 iteration count.
    ///
    /// ## References
    /// CWE-916, CWE-759, CWE-760 · OWASP A02
    pub PASSWORD_WEAK_HASH = RuleMeta {
        id: "PV402",
        name: "password-weak-hash",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[916, 759, 760],
        owasp: Owasp::A02,
        guideline: "authentication",
        sources: &[Source::Bandit("B324"), Source::Ruff("S324")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &PASSWORD_WEAK_HASH,
    checks: &[Check::Call(check_call)],
    needs: &["hashlib", "Crypto", "Cryptodome", "cryptography", "crypt"],
};

/// A fast digest of a password: too little work per guess, and no salt that makes each
/// hash its own.
const FAST_HASH: &[u32] = &[916, 759];

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let function = checker.semantic().resolve_qualified_name(&call.func);
    let hash = function
        .as_ref()
        .and_then(|function| hash_call(checker, call, function));
    if let Some(hash) = hash {
        // HTTP Digest authentication fixes MD5 over `user:realm:password` (RFC 7616 allows
        // SHA-256, but the peer chooses): the protocol's weakness, not this code's.
        if let (Purpose::Password(name), false) =
            (purpose(checker, &hash), protocol_requires(checker))
        {
            let message = format!(
                "`{name}` is hashed with fast {}, which attackers can brute-force at billions of guesses per second; use Argon2id or bcrypt",
                display_name(&hash.algorithm)
            );
            let fix = argon2_fix(checker, &hash);
            checker.report(
                Finding::new(&PASSWORD_WEAK_HASH, call.range(), message)
                    .with_cwe(FAST_HASH)
                    .with_fix(fix),
            );
        }
        return;
    }
    if let Some(password) = update_with_password(checker, call) {
        let message = format!(
            "`{password}` is fed to a fast hash, which attackers can brute-force at billions of guesses per second; use Argon2id or bcrypt"
        );
        checker
            .report(Finding::new(&PASSWORD_WEAK_HASH, call.range(), message).with_cwe(FAST_HASH));
        return;
    }
    let Some(function) = function else {
        return;
    };
    if let Some(weak) = weak_method(checker, call, &function) {
        let finding = Finding::new(&PASSWORD_WEAK_HASH, weak.method.range(), weak.message)
            .with_cwe(&[916])
            .with_fix(weak.fix);
        checker.report(finding);
        return;
    }
    // A slow hash tuned too low, or salted with a constant, is weaker than it should be, not
    // broken: fixing it means migrating stored hashes, so it is medium, not high.
    for problem in pbkdf2::problems(checker, call, &function) {
        let mut finding = Finding::new(&PASSWORD_WEAK_HASH, problem.range, problem.message)
            .with_cwe(problem.cwe)
            .with_severity(Severity::Medium);
        if let Some((range, replacement)) = problem.replacement {
            let title = format!("Use {replacement} iterations (stored hashes must be migrated)");
            finding = finding.with_fix(Fix::display_only(
                title,
                vec![Edit::replace(range, replacement)],
            ));
        }
        checker.report(finding);
    }
}

/// `digest.update(password)` on a fast hash object.
fn update_with_password<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<&'a str> {
    let Expr::Attribute(method) = &*call.func else {
        return None;
    };
    if method.attr.id.as_str() != "update" {
        return None;
    }
    let origin = checker.semantic().resolve_value_origin(&call.func)?;
    let is_fast_hash = matches!(
        origin.segments(),
        ["hashlib", _, "()", "update"]
            | ["Crypto" | "Cryptodome", "Hash", _, "new", "()", "update"]
            | [
                "cryptography",
                "hazmat",
                "primitives",
                "hashes",
                "Hash",
                "()",
                "update"
            ]
    );
    if !is_fast_hash || origin.segments()[1].starts_with("pbkdf2") {
        return None;
    }
    password_in(checker, argument(call, 0, "data")?, 0)
}

/// `hashlib.md5(password.encode()).hexdigest()` → `argon2.PasswordHasher().hash(password)`.
fn argon2_fix(checker: &Checker, hash: &HashCall) -> Option<Fix> {
    let data = hash.data?;
    let mut outer = checker.ancestors().iter();
    let (Some(Node::Expr(Expr::Attribute(method))), Some(Node::Expr(Expr::Call(digest)))) =
        (outer.next(), outer.next())
    else {
        return None;
    };
    if !matches!(method.attr.id.as_str(), "hexdigest" | "digest") || !digest.arguments.is_empty() {
        return None;
    }
    // `password.encode()`: argon2 takes the str itself.
    let password = match data {
        Expr::Call(encode) if encode.arguments.is_empty() => match &*encode.func {
            Expr::Attribute(attribute) if attribute.attr.id.as_str() == "encode" => {
                &*attribute.value
            }
            _ => data,
        },
        _ => data,
    };
    let (argon2, import) = checker.import_module("argon2", hash.call.start());
    let mut edits = vec![Edit::replace(
        digest.range(),
        format!("{argon2}.PasswordHasher().hash({})", checker.text(password)),
    )];
    edits.extend(import);
    Some(Fix::display_only(
        "Hash the password with Argon2id (argon2-cffi)",
        edits,
    ))
}
