use super::environment::env_lookup;
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::settings::{Setting, Site};

declare_rule! {
    /// ## What it does
    /// Flags Django's `ALLOWED_HOSTS` when it accepts any host.
    ///
    /// That is a `"*"` entry, or an environment lookup that falls back to `"*"`
    /// (`os.environ.get("ALLOWED_HOSTS", "*").split(",")`).
    ///
    /// ## Why is this bad?
    /// Django builds absolute URLs (password-reset links, redirects, cache keys) from the
    /// request's `Host` header, and `ALLOWED_HOSTS` is what stops a client from choosing that
    /// header. With `"*"` an attacker asks for a password reset with `Host: evil.example`, and
    /// the victim receives a genuine email whose link carries the reset token to the
    /// attacker's server. Caches keyed on the host can be poisoned the same way.
    ///
    /// ## Example
    /// ```python
    /// DEBUG = False
    /// ALLOWED_HOSTS = ["*"]
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// DEBUG = False
    /// ALLOWED_HOSTS = ["app.example.com", "www.example.com"]
    /// ```
    ///
    /// ## References
    /// CWE-20, CWE-644 · OWASP A05
    pub ALLOWED_HOSTS_WILDCARD = RuleMeta {
        id: "PV503",
        name: "allowed-hosts-wildcard",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[20, 644],
        owasp: Owasp::A05,
        guideline: "configuration",
        sources: &[],
        fix: FixAvailability::None,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &ALLOWED_HOSTS_WILDCARD,
    checks: &[Check::Setting(check_setting)],
    needs: &[],
};

fn check_setting<'a>(checker: &Checker<'a>, setting: &Setting<'a>) {
    if setting.name != "ALLOWED_HOSTS"
        || !matches!(setting.site, Site::Module | Site::DjangoSettings)
    {
        return;
    }
    let (wildcard, message) = match setting.value {
        Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. }) => {
            let Some(wildcard) = elts.iter().find(|host| is_wildcard(checker, host)) else {
                return;
            };
            (
                wildcard,
                "`ALLOWED_HOSTS` accepts any `Host` header, which lets attackers poison reset links and caches",
            )
        }
        value => {
            let Some(default) = split_default(checker, value) else {
                return;
            };
            (
                default,
                "`ALLOWED_HOSTS` falls back to `\"*\"` when the environment variable is missing",
            )
        }
    };
    checker.report(Finding::new(
        &ALLOWED_HOSTS_WILDCARD,
        wildcard.range(),
        message,
    ));
}

fn is_wildcard<'a>(checker: &Checker<'a>, host: &'a Expr) -> bool {
    checker.semantic().constant_string(host).as_deref() == Some("*")
}

/// The `"*"` fallback of `os.environ.get("ALLOWED_HOSTS", "*").split(",")` or of
/// django-environ's `env.list("ALLOWED_HOSTS", default=["*"])`.
fn split_default<'a>(checker: &Checker<'a>, value: &'a Expr) -> Option<&'a Expr> {
    let lookup = match value {
        Expr::Call(ast::ExprCall { func, .. }) => match &**func {
            Expr::Attribute(method) if method.attr.id.as_str() == "split" => &*method.value,
            _ => value,
        },
        _ => return None,
    };
    let default = env_lookup(checker, lookup)?.default?;
    if let Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. }) =
        default
    {
        return elts.iter().find(|host| is_wildcard(checker, host));
    }
    let text = checker.semantic().constant_string(default)?;
    text.split(',')
        .any(|host| host.trim() == "*")
        .then_some(default)
}
