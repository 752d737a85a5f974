use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::Expr;
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::settings::{literal_bool, Setting};

declare_rule! {
    /// ## What it does
    /// Flags settings that strip `Secure`, `HttpOnly` or `SameSite` from session and CSRF cookies.
    ///
    /// That is `SESSION_COOKIE_SECURE = False`, `CSRF_COOKIE_SECURE = False`,
    /// `SESSION_COOKIE_HTTPONLY = False`, `SESSION_COOKIE_SAMESITE = None` and their
    /// `REMEMBER_COOKIE_*` (Flask-Login) and `CSRF_COOKIE_*` siblings, in a settings module, a
    /// config class, `app.config[...]` or `app.config.update(...)`.
    ///
    /// Config classes named for development or tests are left alone.
    ///
    /// ## Why is this bad?
    /// Without `Secure` the browser also sends the cookie over plain HTTP, where anyone on
    /// the network path can copy the session. Without `HttpOnly` any injected script reads
    /// it. Without `SameSite` it rides along on requests other sites trigger, which is what
    /// cross-site request forgery needs.
    ///
    /// ## Example
    /// ```python
    /// ALLOWED_HOSTS = ["app.example.com"]
    /// SESSION_COOKIE_SECURE = False
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// ALLOWED_HOSTS = ["app.example.com"]
    /// SESSION_COOKIE_SECURE = True
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: with `Secure` the cookie is no longer sent over plain HTTP, so a site served
    /// without TLS (a local setup, say) loses its session; `SameSite="Lax"` stops the cookie
    /// on cross-site POSTs, which breaks flows that relied on them.
    ///
    /// ## References
    /// CWE-614, CWE-1004, CWE-1275 · OWASP A05
    pub INSECURE_COOKIE_SETTING = RuleMeta {
        id: "PV504",
        name: "insecure-cookie-setting",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[614, 1004, 1275],
        owasp: Owasp::A05,
        guideline: "configuration",
        sources: &[],
        fix: FixAvailability::Always,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &INSECURE_COOKIE_SETTING,
    checks: &[Check::Setting(check_setting)],
    needs: &[],
};

/// The cookies whose flags matter: the session, the CSRF token and the remember-me token.
const COOKIES: &[&str] = &["SESSION_COOKIE", "CSRF_COOKIE", "REMEMBER_COOKIE"];

fn check_setting<'a>(checker: &Checker<'a>, setting: &Setting<'a>) {
    let Some((cookie, flag)) = setting.name.rsplit_once('_') else {
        return;
    };
    if !COOKIES.contains(&cookie) {
        return;
    }
    let value = setting.value;
    let (message, replacement, cwe): (String, &str, &'static [u32]) = match flag {
        "SECURE" if literal_bool(value) == Some(false) => (
            format!("`{}` is off: the cookie is also sent over plain HTTP, where it can be copied", setting.name),
            "True",
            &[614],
        ),
        // Django's CSRF cookie is readable by design (JavaScript sends it back in a header).
        "HTTPONLY" if cookie != "CSRF_COOKIE" && literal_bool(value) == Some(false) => (
            format!("`{}` is off: any script on the page can read the cookie", setting.name),
            "True",
            &[1004],
        ),
        "SAMESITE" if matches!(value, Expr::NoneLiteral(_)) || literal_bool(value) == Some(false) => (
            format!("`{}` sets no `SameSite` attribute: the cookie is sent on requests other sites trigger", setting.name),
            "\"Lax\"",
            &[1275],
        ),
        _ => return,
    };
    let fix = Fix::unsafe_edits(
        format!("Set `{}` to `{replacement}`", setting.name),
        vec![Edit::replace(value.range(), replacement)],
    );
    checker.report(
        Finding::new(&INSECURE_COOKIE_SETTING, setting.range, message)
            .with_confidence(setting.confidence)
            .with_cwe(cwe)
            .with_fix(fix),
    );
}
