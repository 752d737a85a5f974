use super::jwt::{algorithm_names, is_hmac, JwtCall, Operation, JWT_MODULES};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};

declare_rule! {
    /// ## What it does
    /// Flags a JWT signing or verification secret written into the code.
    ///
    /// For example `jwt.encode(payload, "secret", algorithm="HS256")`, or
    /// `jwt.decode(token, SECRET, ...)` where `SECRET` is a constant string (PyJWT and
    /// python-jose).
    ///
    /// Public keys are not secrets: a PEM key, or a key passed to a decode that only accepts
    /// public-key algorithms (`RS256`, `ES256`, `EdDSA`), stays quiet. Private keys in PEM
    /// form are the secrets rules' finding.
    ///
    /// ## Why is this bad?
    /// With HMAC algorithms the same secret signs and verifies. Whoever reads it in the
    /// repository can mint tokens for any user, and a short one (`"secret"`, `"changeme"`)
    /// falls to an offline guessing attack against any single token seen in the wild.
    ///
    /// ## Example
    /// ```python
    /// import jwt
    /// token = jwt.encode({"sub": user_id}, "secret", algorithm="HS256")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import os
    /// import jwt
    /// token = jwt.encode({"sub": user_id}, os.environ["JWT_SECRET"], algorithm="HS256")
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the key is read with `os.environ["JWT_SECRET"]`, which raises `KeyError` until
    /// the variable is set, and tokens signed with the old key stop verifying.
    ///
    /// ## References
    /// CWE-798, CWE-321 · OWASP A02
    pub JWT_HARDCODED_KEY = RuleMeta {
        id: "PV533",
        name: "jwt-hardcoded-key",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[798, 321],
        owasp: Owasp::A02,
        guideline: "jwt",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &JWT_HARDCODED_KEY,
    checks: &[Check::Call(check_call)],
    needs: JWT_MODULES,
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let Some(jwt) = JwtCall::of(checker, call) else {
        return;
    };
    let Some(key) = jwt.key() else {
        return;
    };
    let Some(text) = written_key(checker, key) else {
        return;
    };
    if text.is_empty() || text.trim_start().starts_with("-----BEGIN") || text.starts_with("ssh-") {
        return;
    }
    let algorithms = match jwt.operation {
        Operation::Decode => jwt.algorithms(),
        Operation::Encode => jwt.algorithm(),
    };
    let public_key_only = algorithms
        .and_then(|algorithms| algorithm_names(checker, algorithms))
        .is_some_and(|names| !names.is_empty() && names.iter().all(|name| !is_hmac(name)));
    if public_key_only {
        return;
    }
    let message = match key {
        Expr::Name(name) => format!(
            "`{}` holds a JWT secret written in the code: anyone who reads it can mint tokens",
            name.id.as_str()
        ),
        _ => {
            "The JWT secret is written in the code: anyone who reads it can mint tokens".to_string()
        }
    };
    checker.report(
        Finding::new(&JWT_HARDCODED_KEY, key.range(), message)
            .with_fix(environment_fix(checker, key)),
    );
}

/// The text of a constant string or bytes key.
fn written_key<'a>(checker: &Checker<'a>, key: &'a Expr) -> Option<String> {
    match key {
        Expr::BytesLiteral(bytes) => {
            Some(String::from_utf8_lossy(&bytes.value.bytes().collect::<Vec<u8>>()).into_owned())
        }
        _ => checker.semantic().constant_string(key),
    }
}

/// A literal written at the call → `os.environ["JWT_SECRET"]`; a constant defined elsewhere
/// is left for a human to remove.
fn environment_fix(checker: &Checker, key: &Expr) -> Option<Fix> {
    let encode = match key {
        Expr::StringLiteral(_) => "",
        Expr::BytesLiteral(_) => ".encode()",
        _ => return None,
    };
    let (os, import) = checker.import_module("os", key.start());
    let mut edits = vec![Edit::replace(
        key.range(),
        format!("{os}.environ[\"JWT_SECRET\"]{encode}"),
    )];
    edits.extend(import);
    Some(Fix::unsafe_edits(
        "Read the secret from `os.environ[\"JWT_SECRET\"]`",
        edits,
    ))
}
