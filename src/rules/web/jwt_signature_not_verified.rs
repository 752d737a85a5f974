use super::arguments::delete_keyword;
use super::jwt::{
    algorithm_names, implied_algorithm, is_false, pin_algorithms, without_option, JwtCall,
    Operation, OptionRemoval, JWT_MODULES,
};
use super::lists::without_elements;
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::{Ranged, TextRange};
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::keyword;

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
    /// ## Fix safety
    /// Unsafe: the fix turns verification back on. It deletes
    /// `"verify_signature": False` (or the whole `options=` when that is all it holds) or
    /// PyJWT 1's `verify=False`, and when the call gives no `algorithms=` it adds the one
    /// the code shows (see `jwt-algorithm-not-fixed`). It drops `"none"` from a literal
    /// `algorithms` list. Tokens with a missing or wrong signature are refused from then on,
    /// which is the point, but code that decoded tokens from another issuer just to read
    /// them will fail. A call without a key, or whose algorithm cannot be known, gets no fix:
    /// which key to verify with is a decision for you. Unsigned tokens made with
    /// `algorithm="none"` get none either.
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
        fix: FixAvailability::Sometimes,
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
    let (message, fix) = match jwt.operation {
        Operation::Decode if jwt.skips_signature(checker).is_some() => (
            "The token is decoded without checking its signature: anyone can forge its claims",
            verify_fix(checker, &jwt),
        ),
        Operation::Decode if accepts_none(checker, jwt.algorithms()) => (
            "`algorithms` accepts `none`: a token without any signature passes",
            jwt.algorithms().and_then(|algorithms| drop_none_fix(checker, algorithms)),
        ),
        Operation::Encode if is_none_algorithm(checker, jwt.algorithm()) => (
            "The token is made with the `none` algorithm: it carries no signature, so nobody can trust it",
            None,
        ),
        _ => return,
    };
    checker.report(Finding::new(&JWT_SIGNATURE_NOT_VERIFIED, call.range(), message).with_fix(fix));
}

/// Verification back on: `"verify_signature": False` or `verify=False` deleted, and
/// `algorithms=` pinned when the call has none (the argument that went, when it was a
/// keyword, becomes `algorithms=[...]`). `None` without a key to verify with, or when the
/// algorithm is needed and cannot be known.
fn verify_fix<'a>(checker: &Checker<'a>, jwt: &JwtCall<'a>) -> Option<Fix> {
    jwt.key().filter(|key| !key.is_none_literal_expr())?;
    let call = jwt.call;
    let pinned = match jwt.algorithms() {
        Some(_) => None,
        None => Some(format!(
            "algorithms=[\"{}\"]",
            implied_algorithm(checker, jwt)?
        )),
    };
    let skips = |name: &str, value: &Expr| name == "verify_signature" && is_false(value);
    let mut edits = Vec::new();
    let (gone, pin_elsewhere) =
        if let Some(removal) = without_option(checker, call, "verify_signature", skips) {
            match (removal, &pinned) {
                (OptionRemoval::Argument(options), Some(pinned)) => {
                    (Edit::replace(options.range(), pinned.clone()), false)
                }
                (removal, _) => (removal.into_edit(checker, call), pinned.is_some()),
            }
        } else if let Some(verify) = keyword(call, "verify") {
            match &pinned {
                Some(pinned) => (Edit::replace(verify.range(), pinned.clone()), false),
                None => (delete_keyword(checker, call, verify), false),
            }
        } else {
            // PyJWT 1's positional `verify`: `jwt.decode(token, key, False)`.
            let [_, key, verify, ..] = &call.arguments.args[..] else {
                return None;
            };
            let range = TextRange::new(key.end(), verify.end());
            match &pinned {
                Some(pinned) => (Edit::replace(range, format!(", {pinned}")), false),
                None => (Edit::delete(range), false),
            }
        };
    edits.push(gone);
    if pin_elsewhere {
        let algorithm = implied_algorithm(checker, jwt)?;
        edits.push(pin_algorithms(checker, jwt, None, &algorithm)?);
    }
    Some(Fix::unsafe_edits("Verify the signature", edits))
}

/// `["HS256", "none"]` → `["HS256"]`, for a list written at the call.
fn drop_none_fix<'a>(checker: &Checker<'a>, algorithms: &'a Expr) -> Option<Fix> {
    let edit = without_elements(checker, algorithms, |algorithm| {
        !checker
            .semantic()
            .constant_string(algorithm)
            .is_some_and(|name| name.eq_ignore_ascii_case("none"))
    })?;
    Some(Fix::unsafe_edits("Stop accepting `none`", vec![edit]))
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
