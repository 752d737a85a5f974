use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::fix::statement::own_lines;
use crate::parse::ast::{self, Stmt};
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
    /// ## Fix safety
    /// The fix deletes the call when it is a statement of its own on its own lines (or
    /// writes `pass` in its place when the block would be left empty). It is unsafe:
    /// the warnings show again, on every unverified request, in logs and on the console,
    /// which is the point but may surprise whoever reads them. A call inside an expression or
    /// sharing its line with other code is left alone.
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
        fix: FixAvailability::Sometimes,
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
    let fix = removal(checker, call)
        .map(|edit| Fix::unsafe_edits("Remove the call, so the warnings show again", vec![edit]));
    checker.report(Finding::new(&TLS_WARNINGS_DISABLED, call.range(), message).with_fix(fix));
}

/// Deletes the statement that is only this call, with its line; `pass` in its place when
/// the block could otherwise end up empty. `None` when the call is part of something larger or shares its
/// line with other code.
fn removal(checker: &Checker, call: &ast::ExprCall) -> Option<Edit> {
    let statement = checker.ancestors().enclosing_statement()?;
    let Stmt::Expr(expression) = statement.stmt else {
        return None;
    };
    if expression.value.range() != call.range() {
        return None;
    }
    let lines = own_lines(checker.source(), statement.stmt.range())?;
    // The first statement of a block becomes `pass` when every other statement could be
    // deleted by this fix too, so fixing them all never leaves the block empty.
    let in_module = checker.ancestors().statements().nth(1).is_none();
    let rest_may_go = statement
        .after()
        .iter()
        .all(|other| matches!(other, Stmt::Expr(other) if other.value.is_call_expr()));
    if statement.before().is_empty() && rest_may_go && !in_module {
        return Some(Edit::replace(statement.stmt.range(), "pass"));
    }
    Some(Edit::delete(lines))
}
