use super::jwt::{
    algorithm_names, implied_algorithm, is_hmac, pin_algorithms, JwtCall, Library, Operation,
    JWT_MODULES,
};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Fix, Severity};
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
    /// ## Fix safety
    /// Unsafe: the fix pins `algorithms=` to the one algorithm the code shows: the
    /// `algorithm=` every `jwt.encode` in the module signs with (HS256 when they give none),
    /// else the key's kind: a key written as a string is an HMAC secret (`HS256`), a PEM
    /// key or a key loaded from a `.pem` file is taken for RSA (`RS256`). Tokens signed with
    /// any other algorithm are refused from then on; if the guess is wrong every token is
    /// refused, which fails closed. When nothing shows the algorithm (a key from the
    /// environment, encodes that disagree) there is no fix.
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
        fix: FixAvailability::Sometimes,
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
    let implied = || implied_algorithm(checker, &jwt);
    let pin = |current: Option<&ast::Expr>, algorithm: String| {
        let edit = pin_algorithms(checker, &jwt, current, &algorithm)?;
        Some(Fix::unsafe_edits(
            format!("Accept only `{algorithm}`"),
            vec![edit],
        ))
    };
    let (range, message, confidence, fix) = match jwt.algorithms() {
        None => match jwt.library {
            Library::Jose => (
                call.range(),
                "`jwt.decode` without `algorithms=` accepts whatever algorithm the token names",
                Confidence::High,
                implied().and_then(|algorithm| pin(None, algorithm)),
            ),
            Library::PyJwt => (
                call.range(),
                "`jwt.decode` without `algorithms=`: PyJWT before 2.0 accepts whatever algorithm the token names",
                Confidence::Medium,
                implied().and_then(|algorithm| pin(None, algorithm)),
            ),
        },
        Some(algorithms) if from_token_header(checker, algorithms, 0) => (
            algorithms.range(),
            "The accepted algorithms come from the token's own header: the token chooses how it is checked",
            Confidence::High,
            implied().and_then(|algorithm| pin(Some(algorithms), algorithm)),
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
            // The key must agree with one of the algorithms listed: that one stays.
            let kept = implied().filter(|algorithm| {
                names
                    .iter()
                    .any(|name| name.eq_ignore_ascii_case(algorithm))
            });
            (
                algorithms.range(),
                "`algorithms` mixes HMAC with public-key algorithms: a public key can be misused as an HMAC secret",
                Confidence::Medium,
                kept.and_then(|algorithm| pin(Some(algorithms), algorithm)),
            )
        }
    };
    checker.report(
        Finding::new(&JWT_ALGORITHM_NOT_FIXED, range, message)
            .with_confidence(confidence)
            .with_fix(fix),
    );
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
