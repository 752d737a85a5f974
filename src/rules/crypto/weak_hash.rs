use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, QualifiedName};

use super::digest_role::{digest_role, Role};
use super::hash_use::{display_name, hash_call, purpose, HashCall, Library, Purpose, HASH_MODULES};

declare_rule! {
    /// ## What it does
    /// Flags MD5, SHA-1 (and MD4/MD2) digests: `hashlib.md5(...)`, `hashlib.new("sha1")`,
    /// PyCryptodome's `MD5.new()` and pyca/cryptography's `hashes.MD5()` / `hashes.SHA1()`.
    ///
    /// Uses that are clearly not about security stay clean, where Bandit's B324 and Ruff's
    /// S324 flag them: a call with `usedforsecurity=False`; a digest whose result becomes a
    /// name that says *cache*, *etag*, *shard*, *bucket*, *partition*, *path*, *filename*,
    /// *lock* or *gravatar* (or is made in a function named so), or that is reduced modulo a
    /// number (`int(digest, 16) % shards`); a digest of random bytes (`os.urandom`,
    /// `uuid.uuid4()`); a function that only returns the hash object for its parameter (a
    /// factory such as Flask's HMAC `digest_method`, judged where it is used); SHA-1 in
    /// the WebSocket handshake and MD5 in HTTP Digest
    /// authentication, which the protocol chooses; SHA-1 inside HMAC, HOTP/TOTP, MGF1 and
    /// OAEP, which do not rely on collision resistance. A password hashed with MD5 is
    /// reported by `password-weak-hash` instead.
    ///
    /// Confidence is medium when the digest becomes a token, a signature or a key, is
    /// compared, or hashes a value named for a secret; low when nothing says what it is for.
    /// When it guards nothing, say so with `usedforsecurity=False` (Python 3.9+): readers
    /// and linters then know, and FIPS-mode builds of Python keep the call working.
    ///
    /// ## Why is this bad?
    /// Both algorithms have practical collision attacks: anyone can make two different
    /// inputs with the same digest. A signature, an integrity check or a deduplication key
    /// built on them can be forged.
    ///
    /// ## Example
    /// ```python
    /// import hashlib
    /// fingerprint = hashlib.md5(artifact).hexdigest()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import hashlib
    /// fingerprint = hashlib.sha256(artifact).hexdigest()
    /// cache_key = hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the digest changes, so stored digests, cache entries and anything that
    /// compares against the old values stop matching.
    ///
    /// ## References
    /// CWE-327, CWE-328 · OWASP A02
    pub WEAK_HASH = RuleMeta {
        id: "PV401",
        name: "weak-hash",
        severity: Severity::Medium,
        confidence: Confidence::Medium,
        cwe: &[327, 328],
        owasp: Owasp::A02,
        guideline: "cryptography",
        sources: &[
            Source::Bandit("B324"),
            Source::Bandit("B303"),
            Source::Ruff("S324"),
            Source::Ruff("S303"),
        ],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &WEAK_HASH,
    checks: &[Check::Callee(check_call)],
    needs: HASH_MODULES,
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    let Some(hash) = hash_call(checker, call, function) else {
        return;
    };
    if !hash.is_broken() || purpose(checker, &hash) != Purpose::Unknown {
        return;
    }
    if hash.library == Library::Cryptography && inside_mac_or_padding(checker) {
        return;
    }
    let confidence = match digest_role(checker, &hash) {
        Role::Nothing => return,
        Role::Secret => Confidence::Medium,
        Role::Unknown => Confidence::Low,
    };
    let algorithm = display_name(&hash.algorithm);
    let message = format!(
        "{algorithm} has practical collision attacks, so a digest made with it can be forged; use SHA-256, or pass `usedforsecurity=False` when it guards nothing"
    );
    checker.report(
        Finding::new(&WEAK_HASH, call.range(), message)
            .with_confidence(confidence)
            .with_fix(sha256_fix(checker, &hash)),
    );
}

/// SHA-1 and MD5 as the hash inside HMAC, HOTP/TOTP, MGF1 or OAEP: collisions do not break those.
fn inside_mac_or_padding(checker: &Checker) -> bool {
    let Some(outer) = checker.ancestors().argument_of() else {
        return false;
    };
    checker
        .semantic()
        .resolve_qualified_name(&outer.func)
        .is_some_and(|name| {
            matches!(
                name.segments(),
                [
                    "cryptography",
                    ..,
                    "HMAC" | "HOTP" | "TOTP" | "MGF1" | "OAEP"
                ]
            )
        })
}

/// `hashlib.md5(...)` → `hashlib.sha256(...)`, `hashlib.new("md5")` → `hashlib.new("sha256")`,
/// `hashes.SHA1()` → `hashes.SHA256()`.
fn sha256_fix(checker: &Checker, hash: &HashCall) -> Option<Fix> {
    let call = hash.call;
    let mut edits = Vec::new();
    match (hash.library, &*call.func) {
        (Library::Hashlib, Expr::Attribute(attribute)) => {
            edits.push(Edit::replace(attribute.attr.range(), "sha256"));
        }
        (Library::Hashlib, func) => {
            let (hashlib, import) = checker.import_module("hashlib", call.start());
            edits.push(Edit::replace(func.range(), format!("{hashlib}.sha256")));
            edits.extend(import);
        }
        (Library::HashlibNew, _) => {
            let Some(Expr::StringLiteral(name)) = argument(call, 0, "name") else {
                return None;
            };
            let quote = if checker.text(name).starts_with('\'') {
                '\''
            } else {
                '"'
            };
            edits.push(Edit::replace(name.range(), format!("{quote}sha256{quote}")));
        }
        (Library::Cryptography, Expr::Attribute(attribute)) => {
            edits.push(Edit::replace(attribute.attr.range(), "SHA256"));
        }
        _ => return None,
    }
    Some(Fix::unsafe_edits("Use SHA-256", edits))
}
