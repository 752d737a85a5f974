use super::environment::{env_list_expression, env_lookup};
use super::lists::without_elements;
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
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
    /// ## Fix safety
    /// Unsafe: a list that names hosts besides `"*"` keeps them and loses the `"*"`; a list
    /// of only `"*"` becomes the hosts listed in the environment variable
    /// `DJANGO_ALLOWED_HOSTS` (comma-separated, empty entries left out); a `"*"` fallback of
    /// an environment lookup is dropped. Requests for any host not listed are answered with
    /// 400 from then on, so the variable must be set where the site runs. A list held in a
    /// variable defined elsewhere gets no fix.
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
        fix: FixAvailability::Sometimes,
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
    let (wildcard, message, fix) = match setting.value {
        Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. }) => {
            let Some(wildcard) = elts.iter().find(|host| is_wildcard(checker, host)) else {
                return;
            };
            (
                wildcard,
                "`ALLOWED_HOSTS` accepts any `Host` header, which lets attackers poison reset links and caches",
                list_fix(checker, setting.value),
            )
        }
        value => {
            let Some((wildcard, default)) = split_default(checker, value) else {
                return;
            };
            (
                wildcard,
                "`ALLOWED_HOSTS` falls back to `\"*\"` when the environment variable is missing",
                fallback_fix(checker, default),
            )
        }
    };
    checker.report(Finding::new(&ALLOWED_HOSTS_WILDCARD, wildcard.range(), message).with_fix(fix));
}

/// The list without its `"*"`, or, when that is all it holds, the hosts named in the
/// environment.
fn list_fix<'a>(checker: &Checker<'a>, hosts: &'a Expr) -> Option<Fix> {
    if let Some(edit) = without_elements(checker, hosts, |host| !is_wildcard(checker, host)) {
        return Some(Fix::unsafe_edits("Remove `\"*\"`", vec![edit]));
    }
    let elts = match hosts {
        Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. }) => elts,
        _ => return None,
    };
    if checker.text(hosts).contains('#') || !elts.iter().all(|host| is_wildcard(checker, host)) {
        return None;
    }
    let (hosts_read, import) =
        env_list_expression(checker, hosts.start(), "DJANGO_ALLOWED_HOSTS", "host")?;
    let mut edits = vec![Edit::replace(hosts.range(), hosts_read)];
    edits.extend(import);
    Some(Fix::unsafe_edits(
        "Read the allowed hosts from `DJANGO_ALLOWED_HOSTS`",
        edits,
    ))
}

/// The fallback without `"*"`: `"localhost, *"` → `"localhost"`, `"*"` → `""`, `["*"]` →
/// `[]`.
fn fallback_fix<'a>(checker: &Checker<'a>, default: &'a Expr) -> Option<Fix> {
    let edit = match default {
        Expr::StringLiteral(_) => {
            let text = checker.semantic().constant_string(default)?;
            let kept: Vec<&str> = text
                .split(',')
                .map(str::trim)
                .filter(|host| *host != "*" && !host.is_empty())
                .collect();
            let plain = |host: &&str| {
                host.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
            };
            if !kept.iter().all(plain) {
                return None;
            }
            Edit::replace(default.range(), format!("\"{}\"", kept.join(",")))
        }
        _ => without_elements(checker, default, |host| !is_wildcard(checker, host))
            .unwrap_or_else(|| Edit::replace(default.range(), "[]")),
    };
    Some(Fix::unsafe_edits("Drop the `\"*\"` fallback", vec![edit]))
}

fn is_wildcard<'a>(checker: &Checker<'a>, host: &'a Expr) -> bool {
    checker.semantic().constant_string(host).as_deref() == Some("*")
}

/// The `"*"` fallback of `os.environ.get("ALLOWED_HOSTS", "*").split(",")` or of
/// django-environ's `env.list("ALLOWED_HOSTS", default=["*"])`.
/// Returns the `"*"` and the fallback it is in.
fn split_default<'a>(checker: &Checker<'a>, value: &'a Expr) -> Option<(&'a Expr, &'a Expr)> {
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
        let wildcard = elts.iter().find(|host| is_wildcard(checker, host))?;
        return Some((wildcard, default));
    }
    let text = checker.semantic().constant_string(default)?;
    text.split(',')
        .any(|host| host.trim() == "*")
        .then_some((default, default))
}
