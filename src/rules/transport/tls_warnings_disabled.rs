use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity};
use crate::parse::ast;
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, QualifiedName};

declare_rule! {
    /// ## What it does
    /// Flags code that silences the warning urllib3 (and so `requests`) gives for
    /// unverified HTTPS requests: `urllib3.disable_warnings()` with no category or with
    /// `InsecureRequestWarning`, and `warnings.filterwarnings("ignore", ...)` /
    /// `warnings.simplefilter("ignore", ...)` for `InsecureRequestWarning`.
    ///
    /// Silencing other urllib3 warnings by category stays clean.
    ///
    /// ## Why is this bad?
    /// The warning is the only sign that a request went out with verification off. Hiding
    /// it usually sits next to `verify=False`, and it keeps that setting from being
    /// noticed in logs and reviews long after the "temporary" workaround was written.
    ///
    /// ## Example
    /// ```python
    /// import urllib3
    /// urllib3.disable_warnings()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import requests
    /// response = requests.get(url, verify="/etc/ssl/certs/internal-ca.pem", timeout=10)
    /// ```
    ///
    /// ## References
    /// CWE-295, CWE-778 · OWASP A02
    pub TLS_WARNINGS_DISABLED = RuleMeta {
        id: "PV605",
        name: "tls-warnings-disabled",
        severity: Severity::Low,
        confidence: Confidence::High,
        cwe: &[295, 778],
        owasp: Owasp::A02,
        guideline: "transport-security",
        sources: &[],
        fix: FixAvailability::None,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &TLS_WARNINGS_DISABLED,
    checks: &[Check::Callee(check_call)],
    needs: &["urllib3", "requests", "warnings"],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    let semantic = checker.semantic();
    let category = match function.segments() {
        ["urllib3", "disable_warnings"]
        | ["requests", "packages", "urllib3", "disable_warnings"] => {
            match argument(call, 0, "category") {
                None => {
                    report(checker, call, "`urllib3.disable_warnings()` hides every urllib3 warning, including the one for unverified HTTPS requests");
                    return;
                }
                Some(category) => category,
            }
        }
        ["warnings", function @ ("filterwarnings" | "simplefilter")] => {
            let action =
                argument(call, 0, "action").and_then(|action| semantic.constant_string(action));
            if action.as_deref() != Some("ignore") {
                return;
            }
            let position = if *function == "filterwarnings" { 2 } else { 1 };
            let Some(category) = argument(call, position, "category") else {
                return;
            };
            category
        }
        _ => return,
    };
    let hides_insecure_requests = semantic
        .resolve_qualified_name(category)
        .is_some_and(|name| {
            matches!(
                name.segments().last(),
                Some(&("InsecureRequestWarning" | "HTTPWarning" | "SecurityWarning"))
            )
        });
    if hides_insecure_requests {
        report(
            checker,
            call,
            "This hides the warning urllib3 gives for unverified HTTPS requests",
        );
    }
}

fn report(checker: &Checker, call: &ast::ExprCall, what: &str) {
    let message = format!("{what}, so a disabled certificate check goes unnoticed");
    checker.report(Finding::new(&TLS_WARNINGS_DISABLED, call.range(), message));
}
