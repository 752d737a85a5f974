use super::jwt::{algorithm_names, JwtCall, Operation, JWT_MODULES};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};

declare_rule! {
    /// ## What it does
    /// Flags JWTs decoded without checking their signature, and JWTs made without one.
    ///
    /// That is `jwt.decode(token, options={"verify_signature": False})` (PyJWT and python-jose),
    /// PyJWT 1's `jwt.decode(token, verify=False)`, an `algorithms` list that accepts `"none"`,
    /// and `jwt.encode(..., algorithm="none")`.
    ///
    /// ## Why is this bad?
    /// A JWT is only a base64-encoded claim until its signature is verified. Anyone can
    /// write `{"sub": "admin"}` into a token; code that trusts the decoded claims without the
    /// check lets every client become every user. The `none` algorithm is the same hole as
    /// a feature: a token that says it needs no signature.
    ///
    /// ## Example
    /// ```python
    /// import jwt
    /// claims = jwt.decode(token, options={"verify_signature": False})
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import jwt
    /// claims = jwt.decode(token, key, algorithms=["HS256"])
    /// ```
    ///
    /// ## References
    /// CWE-347, CWE-345 · OWASP A02
    pub JWT_SIGNATURE_NOT_VERIFIED = RuleMeta {
        id: "PV530",
        name: "jwt-signature-not-verified",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[347, 345],
        owasp: Owasp::A02,
        guideline: "jwt",
        sources: &[],
        fix: FixAvailability::None,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &JWT_SIGNATURE_NOT_VERIFIED,
    checks: &[Check::Call(check_call)],
    needs: JWT_MODULES,
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let Some(jwt) = JwtCall::of(checker, call) else {
        return;
    };
    let message = match jwt.operation {
        Operation::Decode if jwt.skips_signature(checker).is_some() => {
            "The token is decoded without checking its signature: anyone can forge its claims"
        }
        Operation::Decode if accepts_none(checker, jwt.algorithms()) => {
            "`algorithms` accepts `none`: a token without any signature passes"
        }
        Operation::Encode if is_none_algorithm(checker, jwt.algorithm()) => {
            "The token is made with the `none` algorithm: it carries no signature, so nobody can trust it"
        }
        _ => return,
    };
    checker.report(Finding::new(
        &JWT_SIGNATURE_NOT_VERIFIED,
        call.range(),
        message,
    ));
}

fn accepts_none<'a>(checker: &Checker<'a>, algorithms: Option<&'a Expr>) -> bool {
    algorithms
        .and_then(|algorithms| algorithm_names(checker, algorithms))
        .is_some_and(|names| names.iter().any(|name| name.eq_ignore_ascii_case("none")))
}

/// `algorithm="none"`, or `algorithm=None`, which PyJWT also turns into `none`.
fn is_none_algorithm<'a>(checker: &Checker<'a>, algorithm: Option<&'a Expr>) -> bool {
    match algorithm {
        Some(Expr::NoneLiteral(_)) => true,
        Some(algorithm) => checker
            .semantic()
            .constant_string(algorithm)
            .is_some_and(|name| name.eq_ignore_ascii_case("none")),
        None => false,
    }
}
