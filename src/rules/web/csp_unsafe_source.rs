use super::csp::Policy;
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::settings::{Setting, Site};
use crate::semantic::{keyword, MODULE_SCOPE};

declare_rule! {
    /// ## What it does
    /// Flags a Content-Security-Policy whose script sources defeat it.
    ///
    /// That is `'unsafe-inline'` (without a nonce or hash), `'unsafe-eval'`, or a source that
    /// matches any host (`*`, `https:`, `data:`) in `script-src`, or in `default-src` when there
    /// is no `script-src`.
    ///
    /// The policy is read where it is set: a `Content-Security-Policy` header (assigned,
    /// passed to `headers.set(...)` or written in a headers dict), Flask-Talisman's
    /// `content_security_policy=`, Django 6's `SECURE_CSP`, and django-csp's `CSP_SCRIPT_SRC` /
    /// `CSP_DEFAULT_SRC` / `CONTENT_SECURITY_POLICY` settings.
    ///
    /// ## Why is this bad?
    /// A CSP is there to stop scripts an attacker manages to inject. `'unsafe-inline'` allows
    /// exactly the inline `<script>` and `onerror=` handlers an injection produces,
    /// `'unsafe-eval'` lets injected strings become code, and a wildcard lets the attacker
    /// load a script from their own host. The header is sent, but it protects nothing.
    ///
    /// ## Example
    /// ```python
    /// def add_headers(response):
    ///     response.headers["Content-Security-Policy"] = "default-src * 'unsafe-inline'"
    ///     return response
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def add_headers(response):
    ///     response.headers["Content-Security-Policy"] = "default-src 'self'; object-src 'none'"
    ///     return response
    /// ```
    ///
    /// ## References
    /// CWE-693, CWE-79 · OWASP A05
    pub CSP_UNSAFE_SOURCE = RuleMeta {
        id: "PV542",
        name: "csp-unsafe-source",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[693, 79],
        owasp: Owasp::A05,
        guideline: "security-headers",
        sources: &[],
        fix: FixAvailability::None,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &CSP_UNSAFE_SOURCE,
    checks: &[
        Check::Stmt(check_stmt),
        Check::Setting(check_setting),
        Check::Call(check_call),
        Check::Dict(check_dict),
    ],
    needs: &[],
};

const HEADER: &str = "content-security-policy";

fn check_stmt<'a>(checker: &Checker<'a>, stmt: &'a Stmt) {
    if let Stmt::Assign(assign) = stmt {
        let names_header = assign.targets.iter().any(|target| {
            matches!(target, Expr::Subscript(subscript) if is_header(checker, &subscript.slice))
        });
        if names_header {
            check_header(checker, &assign.value);
        }
    }
}

/// django-csp's and Django's own CSP settings.
fn check_setting<'a>(checker: &Checker<'a>, setting: &Setting<'a>) {
    if !matches!(setting.site, Site::Module | Site::DjangoSettings) {
        return;
    }
    let policy = match (setting.name, setting.value) {
        ("SECURE_CSP", Expr::Dict(dict)) => Policy::from_dict(checker, dict),
        ("CONTENT_SECURITY_POLICY", Expr::Dict(dict)) => {
            let Some(Expr::Dict(directives)) = dict_value(checker, dict, "DIRECTIVES") else {
                return;
            };
            Policy::from_dict(checker, directives)
        }
        ("CSP_SCRIPT_SRC", sources) => single_directive(checker, "script-src", sources),
        ("CSP_DEFAULT_SRC", sources) => {
            let has_script_src = !checker
                .semantic()
                .bindings_in(MODULE_SCOPE, "CSP_SCRIPT_SRC")
                .is_empty();
            if has_script_src {
                return;
            }
            single_directive(checker, "default-src", sources)
        }
        _ => return,
    };
    report(checker, &policy, setting.value);
}

/// `headers.set("Content-Security-Policy", value)` and Talisman's `content_security_policy=`.
fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    if let Expr::Attribute(method) = &*call.func {
        let setter = matches!(
            method.attr.id.as_str(),
            "set" | "add" | "setdefault" | "add_header" | "set_header" | "__setitem__" | "append"
        );
        if let ([name, value, ..], true) = (&call.arguments.args[..], setter) {
            if is_header(checker, name) {
                check_header(checker, value);
            }
        }
    }
    let semantic = checker.semantic();
    if !semantic.has_import("flask_talisman") {
        return;
    }
    let Some(policy) = keyword(call, "content_security_policy").map(|k| &k.value) else {
        return;
    };
    let is_talisman = semantic
        .resolve_value_origin(&call.func)
        .is_some_and(|name| name.segments().first() == Some(&"flask_talisman"));
    match policy {
        Expr::Dict(dict) if is_talisman => {
            report(checker, &Policy::from_dict(checker, dict), policy)
        }
        other if is_talisman => check_header(checker, other),
        _ => {}
    }
}

/// `{"Content-Security-Policy": "..."}`
fn check_dict<'a>(checker: &Checker<'a>, dict: &'a ast::ExprDict) {
    for item in &dict.items {
        if item.key.as_ref().is_some_and(|key| is_header(checker, key)) {
            check_header(checker, &item.value);
        }
    }
}

fn is_header<'a>(checker: &Checker<'a>, name: &'a Expr) -> bool {
    checker
        .semantic()
        .constant_string(name)
        .is_some_and(|name| name.eq_ignore_ascii_case(HEADER))
}

fn check_header<'a>(checker: &Checker<'a>, value: &'a Expr) {
    if let Some(policy) = Policy::from_header(checker, value) {
        report(checker, &policy, value);
    }
}

fn single_directive<'a>(checker: &Checker<'a>, name: &str, sources: &'a Expr) -> Policy {
    let mut policy = Policy::default();
    policy.add(checker, name, sources);
    policy
}

fn report(checker: &Checker, policy: &Policy, value: &Expr) {
    let Some((directive, problems)) = policy.script_problems() else {
        return;
    };
    let message = format!(
        "The Content-Security-Policy's `{directive}` lets injected scripts through: {}",
        problems.join("; ")
    );
    checker.report(Finding::new(&CSP_UNSAFE_SOURCE, value.range(), message));
}

fn dict_value<'a>(checker: &Checker<'a>, dict: &'a ast::ExprDict, key: &str) -> Option<&'a Expr> {
    dict.items.iter().find_map(|item| {
        let name = checker.semantic().constant_string(item.key.as_ref()?)?;
        (name == key).then_some(&item.value)
    })
}
