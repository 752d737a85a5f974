use super::arguments::delete_keyword;
use super::jwt::{is_false, without_option, JwtCall, Operation, JWT_MODULES};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Fix, Severity};
use crate::parse::ast;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::keyword;

declare_rule! {
    /// ## What it does
    /// Flags JWT decoding that turns off the expiry, audience or issuer check.
    ///
    /// That is `options={"verify_exp": False}` and likewise `verify_nbf`, `verify_iat`,
    /// `verify_aud` and `verify_iss` (PyJWT and python-jose), and PyJWT 1's
    /// `verify_expiration=False`, while the signature is still verified.
    ///
    /// ## Why is this bad?
    /// The signature says who issued a token, the claims say for what and until when.
    /// Without the expiry check a token stolen a year ago still works, and a token cannot
    /// be made to end; without the audience or issuer check a token your identity provider
    /// minted for another service is accepted by yours.
    ///
    /// ## Example
    /// ```python
    /// import jwt
    /// claims = jwt.decode(token, key, algorithms=["HS256"], options={"verify_exp": False})
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import jwt
    /// claims = jwt.decode(token, key, algorithms=["HS256"], options={"require": ["exp"]})
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the fix deletes the option that turns the check off (`"verify_exp": False`,
    /// PyJWT 1's `verify_expiration=False`), or the whole `options=` when it holds nothing
    /// else, so the library's default check runs again. Tokens that passed before now fail:
    /// expired ones, and with `verify_aud` tokens carrying an `aud` claim until the call
    /// passes `audience=`. Options kept in a variable get no fix (other calls may share it).
    ///
    /// ## References
    /// CWE-613, CWE-345 · OWASP A07
    pub JWT_CLAIM_CHECK_DISABLED = RuleMeta {
        id: "PV532",
        name: "jwt-claim-check-disabled",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[613, 345],
        owasp: Owasp::A07,
        guideline: "jwt",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &JWT_CLAIM_CHECK_DISABLED,
    checks: &[Check::Call(check_call)],
    needs: JWT_MODULES,
};

/// Each option, what switching it off lets through, and how sure we are that it matters.
const CLAIM_CHECKS: &[(&str, &str, Confidence)] = &[
    (
        "verify_exp",
        "expired tokens are accepted forever",
        Confidence::High,
    ),
    (
        "verify_nbf",
        "tokens are accepted before they become valid",
        Confidence::High,
    ),
    (
        "verify_iat",
        "tokens issued in the future are accepted",
        Confidence::Medium,
    ),
    (
        "verify_aud",
        "tokens minted for other services are accepted",
        Confidence::Medium,
    ),
    (
        "verify_iss",
        "tokens from any issuer are accepted",
        Confidence::Medium,
    ),
];

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let Some(jwt) = JwtCall::of(checker, call) else {
        return;
    };
    if jwt.operation != Operation::Decode || jwt.skips_signature(checker).is_some() {
        return;
    }
    for (option, consequence, confidence) in CLAIM_CHECKS {
        let Some((range, value)) = jwt.option(checker, option) else {
            continue;
        };
        if is_false(value) {
            let message = format!("`{option}` is off: {consequence}");
            let fix = without_option(checker, call, option, is_disabled_check).map(|removal| {
                let edit = removal.into_edit(checker, call);
                Fix::unsafe_edits(format!("Remove `{option}`"), vec![edit])
            });
            checker.report(
                Finding::new(&JWT_CLAIM_CHECK_DISABLED, range, message)
                    .with_confidence(*confidence)
                    .with_fix(fix),
            );
        }
    }
    if let Some(keyword) = keyword(call, "verify_expiration").filter(|k| is_false(&k.value)) {
        let fix = Fix::unsafe_edits(
            "Remove `verify_expiration=False`",
            vec![delete_keyword(checker, call, keyword)],
        );
        checker.report(
            Finding::new(
                &JWT_CLAIM_CHECK_DISABLED,
                crate::parse::Ranged::range(keyword),
                "`verify_expiration` is off: expired tokens are accepted forever",
            )
            .with_fix(fix),
        );
    }
}

/// An option this rule reports: a claim check set to `False`.
fn is_disabled_check(name: &str, value: &ast::Expr) -> bool {
    is_false(value) && CLAIM_CHECKS.iter().any(|(option, ..)| *option == name)
}
