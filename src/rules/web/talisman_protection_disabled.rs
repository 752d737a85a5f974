use super::arguments::delete_keyword;
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};

declare_rule! {
    /// ## What it does
    /// Flags Flask-Talisman set up with its protections switched off.
    ///
    /// That is `content_security_policy=None`, `force_https=False`,
    /// `strict_transport_security=False` (or a `max_age` of 0), `frame_options=None`,
    /// `x_content_type_options=False`, `session_cookie_secure=False` and
    /// `session_cookie_http_only=False`, on `Talisman(...)` or `talisman.init_app(...)`.
    ///
    /// ## Why is this bad?
    /// Talisman's defaults are what it is there for: HTTPS redirects and HSTS keep traffic
    /// off plain HTTP, a Content-Security-Policy blocks injected scripts, frame options stop
    /// clickjacking, and the session cookie stays off HTTP and away from scripts. Each option
    /// turned off silently removes one of those, while the code still reads as "protected".
    ///
    /// ## Example
    /// ```python
    /// from flask import Flask
    /// from flask_talisman import Talisman
    /// app = Flask(__name__)
    /// Talisman(app, content_security_policy=None, force_https=False)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from flask import Flask
    /// from flask_talisman import Talisman
    /// app = Flask(__name__)
    /// Talisman(app, content_security_policy={"default-src": "'self'"})
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the fix removes the option, so Talisman's default comes back. Its default
    /// policy (`default-src 'self'`) blocks inline scripts and other hosts' resources, and
    /// the HTTPS redirect needs TLS to work.
    ///
    /// ## References
    /// CWE-693, CWE-319, CWE-1021, CWE-614, CWE-1004 · OWASP A05
    pub TALISMAN_PROTECTION_DISABLED = RuleMeta {
        id: "PV540",
        name: "talisman-protection-disabled",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[693, 319, 1021, 614, 1004],
        owasp: Owasp::A05,
        guideline: "security-headers",
        sources: &[],
        fix: FixAvailability::Always,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &TALISMAN_PROTECTION_DISABLED,
    checks: &[Check::Call(check_call)],
    needs: &["flask_talisman"],
};

/// Each option, what turning it off removes, and the weakness that leaves.
const OPTIONS: &[(&str, &str, &[u32])] = &[
    (
        "content_security_policy",
        "no Content-Security-Policy is sent, so injected scripts run",
        &[693],
    ),
    (
        "force_https",
        "plain HTTP requests are served instead of redirected to HTTPS",
        &[319],
    ),
    (
        "strict_transport_security",
        "no HSTS header, so browsers keep trying plain HTTP first",
        &[319],
    ),
    (
        "strict_transport_security_max_age",
        "an HSTS `max-age` of 0 tells browsers to forget HTTPS",
        &[319],
    ),
    (
        "frame_options",
        "no X-Frame-Options, so other sites can frame the pages (clickjacking)",
        &[1021],
    ),
    (
        "x_content_type_options",
        "no `nosniff`, so browsers may run uploads as scripts",
        &[693],
    ),
    (
        "session_cookie_secure",
        "the session cookie is also sent over plain HTTP",
        &[614],
    ),
    (
        "session_cookie_http_only",
        "scripts can read the session cookie",
        &[1004],
    ),
];

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let semantic = checker.semantic();
    let is_talisman = semantic
        .resolve_value_origin(&call.func)
        .is_some_and(|name| {
            matches!(
                name.segments(),
                ["flask_talisman", "Talisman"]
                    | ["flask_talisman", "talisman", "Talisman"]
                    | ["flask_talisman", "Talisman" | "talisman", "()", "init_app"]
                    | ["flask_talisman", "talisman", "Talisman", "()", "init_app"]
            )
        });
    if !is_talisman {
        return;
    }
    for keyword in &call.arguments.keywords {
        let Some(name) = keyword.arg.as_ref().map(|arg| arg.id.as_str()) else {
            continue;
        };
        let Some((_, consequence, cwe)) = OPTIONS.iter().find(|(option, _, _)| *option == name)
        else {
            continue;
        };
        if !is_off(&keyword.value) {
            continue;
        }
        let message = format!("Talisman's `{name}` is switched off: {consequence}");
        let fix = Fix::unsafe_edits(
            format!("Remove `{name}` to keep Talisman's default"),
            vec![delete_keyword(checker, call, keyword)],
        );
        checker.report(
            Finding::new(&TALISMAN_PROTECTION_DISABLED, keyword.range(), message)
                .with_cwe(cwe)
                .with_fix(fix),
        );
    }
}

/// `None`, `False`, `0`, `""` or `{}`.
fn is_off(value: &Expr) -> bool {
    match value {
        Expr::NoneLiteral(_) => true,
        Expr::BooleanLiteral(literal) => !literal.value,
        Expr::NumberLiteral(number) => {
            matches!(&number.value, ast::Number::Int(int) if int.as_i64() == Some(0))
        }
        Expr::StringLiteral(literal) => literal.value.to_str().trim().is_empty(),
        Expr::Dict(dict) => dict.items.is_empty(),
        _ => false,
    }
}
