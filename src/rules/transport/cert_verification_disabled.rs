use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};

use super::arguments::{is_false, remove_argument};
use super::clients::{http_call, Library, HTTP_CLIENTS};
use super::tls_context::report_verification_off;

declare_rule! {
    /// ## What it does
    /// Flags HTTP clients told to skip certificate checks: `verify=False` on `requests`
    /// and `httpx` calls, sessions and clients (also `session.verify = False`), and
    /// `ssl=False` / `verify_ssl=False` on `aiohttp` requests and connectors. Aliases,
    /// sessions opened in `with` blocks and `False` held in a constant are all followed.
    ///
    /// ## Why is this bad?
    /// Without verification, TLS still encrypts, but to whoever answers: any machine on the
    /// path (a café hotspot, a compromised router, a proxy) can present its own certificate,
    /// read the traffic, including credentials, and change it.
    ///
    /// ## Example
    /// ```python
    /// import requests
    /// response = requests.get("https://billing.example.com/invoices", verify=False, timeout=10)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import requests
    /// response = requests.get(
    ///     "https://billing.example.com/invoices",
    ///     verify="/etc/ssl/certs/internal-ca.pem",
    ///     timeout=10,
    /// )
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: removing the argument turns verification back on, so a server with a
    /// self-signed or private-CA certificate fails until its CA bundle is configured.
    ///
    /// ## References
    /// CWE-295 · OWASP A02, A07
    pub CERT_VERIFICATION_DISABLED = RuleMeta {
        id: "PV601",
        name: "cert-verification-disabled",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[295],
        owasp: Owasp::A02,
        guideline: "transport-security",
        sources: &[Source::Bandit("B501"), Source::Ruff("S501")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &CERT_VERIFICATION_DISABLED,
    checks: &[
        Check::Needs(HTTP_CLIENTS, &Check::Call(check_call)),
        Check::Stmt(check_assignment),
    ],
    needs: &[],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let Some(http) = http_call(checker, call) else {
        return;
    };
    let names: &[&str] = match http.library {
        Library::Requests | Library::Httpx => &["verify"],
        Library::Aiohttp => &["ssl", "verify_ssl"],
        Library::Urllib => return,
    };
    for keyword in &call.arguments.keywords {
        let Some(name) = keyword.arg.as_ref().map(|arg| arg.id.as_str()) else {
            continue;
        };
        if !names.contains(&name) || !is_false(checker, &keyword.value) {
            continue;
        }
        let message = format!(
            "`{}` with `{name}=False` accepts any certificate, so anyone on the network path can read and change the traffic",
            http.name
        );
        let fix = Fix::unsafe_edits(
            format!("Remove `{name}=False`"),
            vec![remove_argument(call, keyword.range())],
        );
        report_verification_off(
            checker,
            Finding::new(&CERT_VERIFICATION_DISABLED, keyword.range(), message).with_fix(fix),
        );
    }
}

/// `session.verify = False` on a `requests` session.
fn check_assignment<'a>(checker: &Checker<'a>, stmt: &'a Stmt) {
    let Stmt::Assign(assign) = stmt else {
        return;
    };
    let [Expr::Attribute(target)] = &assign.targets[..] else {
        return;
    };
    if target.attr.id.as_str() != "verify" || !is_false(checker, &assign.value) {
        return;
    }
    let is_session = checker
        .semantic()
        .resolve_value_origin(&target.value)
        .is_some_and(|origin| {
            matches!(
                origin.segments(),
                ["requests", "Session" | "session", "()"]
                    | ["requests", "sessions", "Session", "()"]
            )
        });
    if is_session {
        let message = "`verify = False` makes this session accept any certificate, so anyone on the network path can read and change the traffic";
        report_verification_off(
            checker,
            Finding::new(&CERT_VERIFICATION_DISABLED, assign.range(), message),
        );
    }
}
