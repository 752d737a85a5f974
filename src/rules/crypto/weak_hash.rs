use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::fix::add_keyword_argument;
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, keyword, QualifiedName};

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
    /// Confidence is medium when the digest becomes a token, a signature, a key or an
    /// integrity check (a fingerprint, a checksum), is compared, or hashes a value named for
    /// a secret; low when nothing says what it is for.
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
    /// Where the digest guards something (it becomes a token or a signature, is compared,
    /// hashes a secret, or is asked for with `usedforsecurity=True`), the fix switches to
    /// SHA-256. Unsafe: the digest changes, so stored digests, cache entries and anything
    /// that compares against the old values stop matching.
    ///
    /// Where nothing says what a `hashlib` digest is for, the fix keeps the algorithm and
    /// adds `usedforsecurity=False`: every digest keeps its value. Unsafe all the same: it
    /// records a judgement the rule could not check, so read the call first, and switch to
    /// SHA-256 by hand where the digest is an integrity check or a signature; and Python
    /// before 3.9 rejects the argument with `TypeError`. PyCryptodome and pyca/cryptography
    /// digests of unknown purpose get no fix: they have no such argument, and a stronger
    /// digest would break a protocol that names the weak one. Digests that only name things
    /// (cache keys, lock files) or that a protocol requires are not flagged at all.
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
    let role = digest_role(checker, &hash);
    let confidence = match role {
        Role::Nothing => return,
        Role::Secret => Confidence::Medium,
        Role::Unknown => Confidence::Low,
    };
    // A digest that guards something needs a strong one. One that, as far as the rule can
    // tell, only names data keeps its value and says it guards nothing; where the library
    // has no way to say so (`hashes.SHA1()` in a table of signature algorithms), there is
    // no fix: a stronger digest there would break what the protocol asks for.
    let fix = match role {
        Role::Unknown if keyword(call, "usedforsecurity").is_none() => {
            not_for_security_fix(checker, &hash)
        }
        _ => sha256_fix(checker, &hash),
    };
    let algorithm = display_name(&hash.algorithm);
    let message = format!(
        "{algorithm} has practical collision attacks, so a digest made with it can be forged; use SHA-256, or pass `usedforsecurity=False` when it guards nothing"
    );
    checker.report(
        Finding::new(&WEAK_HASH, call.range(), message)
            .with_confidence(confidence)
            .with_fix(fix),
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

/// `hashlib.md5(data)` → `hashlib.md5(data, usedforsecurity=False)`, for `hashlib` calls
/// that do not say already (`usedforsecurity=True` asks for a strong digest) and pass no
/// `**kwargs` that might.
fn not_for_security_fix(checker: &Checker, hash: &HashCall) -> Option<Fix> {
    let call = hash.call;
    if !matches!(hash.library, Library::Hashlib | Library::HashlibNew)
        || keyword(call, "usedforsecurity").is_some()
        || call
            .arguments
            .keywords
            .iter()
            .any(|keyword| keyword.arg.is_none())
    {
        return None;
    }
    let edit = add_keyword_argument(checker.source(), call, "usedforsecurity=False")?;
    Some(Fix::unsafe_edits(
        "Mark it `usedforsecurity=False` (nothing shows it guards anything)",
        vec![edit],
    ))
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
