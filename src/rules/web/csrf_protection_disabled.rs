use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::{Ranged, TextRange, TextSize};
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::settings::{literal_bool, Setting, Site};
use crate::semantic::MODULE_SCOPE;

declare_rule! {
    /// ## What it does
    /// Flags CSRF protection switched off for a whole application.
    ///
    /// That is Flask-WTF's `WTF_CSRF_ENABLED = False` (or `WTF_CSRF_CHECK_DEFAULT = False`, which
    /// protects only views marked by hand), and a Django `MIDDLEWARE` list that uses sessions but
    /// leaves out `django.middleware.csrf.CsrfViewMiddleware`.
    ///
    /// Test modules (those importing `pytest` or `unittest`) and config classes named for
    /// tests or development are left alone: turning the check off there is normal.
    ///
    /// ## Why is this bad?
    /// Every form and state-changing endpoint authenticated by a session cookie becomes
    /// reachable from any other website the user visits: a hidden form can post to your
    /// `/account/email` and the request arrives with the user's cookies attached.
    ///
    /// ## Example
    /// ```python
    /// from flask import Flask
    /// app = Flask(__name__)
    /// app.config["WTF_CSRF_ENABLED"] = False
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from flask import Flask
    /// from flask_wtf.csrf import CSRFProtect
    /// app = Flask(__name__)
    /// csrf = CSRFProtect(app)
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: with the check on, every POST without a valid token is refused, so forms and
    /// scripts that do not send one yet stop working.
    ///
    /// ## References
    /// CWE-352 · OWASP A01
    pub CSRF_PROTECTION_DISABLED = RuleMeta {
        id: "PV511",
        name: "csrf-protection-disabled",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[352],
        owasp: Owasp::A01,
        guideline: "csrf",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &CSRF_PROTECTION_DISABLED,
    checks: &[Check::Setting(check_setting)],
    needs: &[],
};

/// Middleware that shows the app keeps users logged in with a cookie.
const SESSION_MIDDLEWARE: &[&str] = &[
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
];

fn check_setting<'a>(checker: &Checker<'a>, setting: &Setting<'a>) {
    match setting.name {
        "WTF_CSRF_ENABLED" | "WTF_CSRF_CHECK_DEFAULT"
            if literal_bool(setting.value) == Some(false) =>
        {
            let (message, confidence) = if setting.name == "WTF_CSRF_ENABLED" {
                (
                    "`WTF_CSRF_ENABLED` is off: no form or POST endpoint checks a CSRF token",
                    Confidence::High,
                )
            } else {
                ("`WTF_CSRF_CHECK_DEFAULT` is off: only views marked with `csrf.protect()` check a CSRF token", Confidence::Medium)
            };
            let fix = Fix::unsafe_edits(
                format!("Set `{}` to `True`", setting.name),
                vec![Edit::replace(setting.value.range(), "True")],
            );
            checker.report(
                Finding::new(&CSRF_PROTECTION_DISABLED, setting.range, message)
                    .with_confidence(confidence.min(setting.confidence))
                    .with_fix(fix),
            );
        }
        "MIDDLEWARE" | "MIDDLEWARE_CLASSES"
            if matches!(setting.site, Site::Module | Site::DjangoSettings) =>
        {
            check_middleware(checker, setting);
        }
        _ => {}
    }
}

/// A literal middleware list with sessions and without the CSRF middleware, that is not
/// added to later in the module.
fn check_middleware<'a>(checker: &Checker<'a>, setting: &Setting<'a>) {
    let semantic = checker.semantic();
    let (Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. })) =
        setting.value
    else {
        return;
    };
    let Some(entries) = elts
        .iter()
        .map(|entry| semantic.constant_string(entry))
        .collect::<Option<Vec<String>>>()
    else {
        return;
    };
    let uses_sessions = entries
        .iter()
        .any(|entry| SESSION_MIDDLEWARE.contains(&entry.as_str()));
    let has_csrf = entries
        .iter()
        .any(|entry| entry.to_ascii_lowercase().contains("csrf"));
    if !uses_sessions || has_csrf || is_extended(checker, setting.name) {
        return;
    }
    let name = TextRange::at(
        setting.range.start(),
        TextSize::try_from(setting.name.len()).unwrap_or_default(),
    );
    let message = format!(
        "`{}` has no `CsrfViewMiddleware`: no view checks a CSRF token, though users log in with a cookie",
        setting.name
    );
    checker.report(Finding::new(&CSRF_PROTECTION_DISABLED, name, message));
}

/// `MIDDLEWARE` is bound again, extended with `+=`, or changed with `append` / `insert` /
/// `extend` somewhere at module level.
fn is_extended(checker: &Checker, name: &str) -> bool {
    let semantic = checker.semantic();
    if semantic.bindings_in(MODULE_SCOPE, name).len() > 1 {
        return true;
    }
    semantic.body().iter().any(|stmt| {
        let Stmt::Expr(ast::StmtExpr { value, .. }) = stmt else {
            return false;
        };
        let Expr::Call(call) = &**value else {
            return false;
        };
        matches!(&*call.func, Expr::Attribute(method)
            if matches!(&*method.value, Expr::Name(owner) if owner.id.as_str() == name)
                && matches!(method.attr.id.as_str(), "append" | "insert" | "extend"))
    })
}
