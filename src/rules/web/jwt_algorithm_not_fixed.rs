use super::jwt::{algorithm_names, is_hmac, JwtCall, Library, Operation, JWT_MODULES};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::BindingKind;

declare_rule! {
    /// ## What it does
    /// Flags JWT decoding that lets the token pick the algorithm it is checked with.
    ///
    /// That is `jwt.decode` without `algorithms=` (python-jose, and PyJWT before 2.0), an
    /// `algorithms` list taken from the token's own header
    /// (`jwt.get_unverified_header(token)["alg"]`), and a list that mixes HMAC (`HS256`) with
    /// public-key algorithms (`RS256`, `ES256`, `EdDSA`).
    ///
    /// Decoding with the signature check turned off is `jwt-signature-not-verified`'s
    /// finding instead.
    ///
    /// ## Why is this bad?
    /// The classic attack signs a token with HMAC, using your *public* RSA key as the
    /// secret. A verifier that accepts whatever algorithm the token names then checks that
    /// HMAC with the same public key, and the forged token passes. Fixing the list to the one
    /// algorithm you issue with closes the door.
    ///
    /// ## Example
    /// ```python
    /// import jwt
    /// header = jwt.get_unverified_header(token)
    /// claims = jwt.decode(token, public_key, algorithms=[header["alg"]])
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import jwt
    /// claims = jwt.decode(token, public_key, algorithms=["RS256"])
    /// ```
    ///
    /// ## References
    /// CWE-347, CWE-327 · OWASP A02
    pub JWT_ALGORITHM_NOT_FIXED = RuleMeta {
        id: "PV531",
        name: "jwt-algorithm-not-fixed",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[347, 327],
        owasp: Owasp::A02,
        guideline: "jwt",
        sources: &[],
        fix: FixAvailability::None,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &JWT_ALGORITHM_NOT_FIXED,
    checks: &[Check::Call(check_call)],
    needs: JWT_MODULES,
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let Some(jwt) = JwtCall::of(checker, call) else {
        return;
    };
    if jwt.operation != Operation::Decode || jwt.skips_signature(checker).is_some() {
        return;
    }
    let (range, message, confidence) = match jwt.algorithms() {
        None => match jwt.library {
            Library::Jose => (
                call.range(),
                "`jwt.decode` without `algorithms=` accepts whatever algorithm the token names",
                Confidence::High,
            ),
            Library::PyJwt => (
                call.range(),
                "`jwt.decode` without `algorithms=`: PyJWT before 2.0 accepts whatever algorithm the token names",
                Confidence::Medium,
            ),
        },
        Some(algorithms) if from_token_header(checker, algorithms, 0) => (
            algorithms.range(),
            "The accepted algorithms come from the token's own header: the token chooses how it is checked",
            Confidence::High,
        ),
        Some(algorithms) => {
            let Some(names) = algorithm_names(checker, algorithms) else {
                return;
            };
            let hmac = names.iter().any(|name| is_hmac(name));
            let public_key = names
                .iter()
                .any(|name| !is_hmac(name) && !name.eq_ignore_ascii_case("none"));
            if !(hmac && public_key) {
                return;
            }
            (
                algorithms.range(),
                "`algorithms` mixes HMAC with public-key algorithms: a public key can be misused as an HMAC secret",
                Confidence::Medium,
            )
        }
    };
    checker
        .report(Finding::new(&JWT_ALGORITHM_NOT_FIXED, range, message).with_confidence(confidence));
}

/// The expression is built from `get_unverified_header(...)`, directly or through variables.
fn from_token_header<'a>(checker: &Checker<'a>, expr: &'a Expr, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    let next = depth + 1;
    match expr {
        Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. }) => {
            elts.iter().any(|elt| from_token_header(checker, elt, next))
        }
        Expr::Subscript(subscript) => from_token_header(checker, &subscript.value, next),
        Expr::Call(call) => {
            let is_header = checker
                .semantic()
                .resolve_qualified_name(&call.func)
                .is_some_and(|name| {
                    matches!(
                        name.segments(),
                        [
                            "jwt" | "jose",
                            ..,
                            "get_unverified_header" | "get_unverified_headers"
                        ]
                    )
                });
            is_header
                || matches!(&*call.func, Expr::Attribute(method) if from_token_header(checker, &method.value, next))
        }
        Expr::Name(name) => match checker.semantic().binding_of(name).map(|b| &b.kind) {
            Some(BindingKind::Assignment(value)) => from_token_header(checker, value, next),
            _ => false,
        },
        _ => false,
    }
}
