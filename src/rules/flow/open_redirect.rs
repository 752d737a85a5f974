use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity, TraceStep};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, QualifiedName};

use super::redirect_guard_fix::redirect_guard_fix;
use super::sanitizers;
use super::url_shape::destination_is_fixed;

declare_rule! {
    /// ## What it does
    /// Flags redirects to a URL that the client chose.
    ///
    /// Covered: Flask's (and Quart's, Werkzeug's) `redirect`, Django's `redirect`,
    /// `HttpResponseRedirect` and `HttpResponsePermanentRedirect`, and the
    /// `RedirectResponse` of FastAPI and Starlette.
    ///
    /// Not flagged: a URL made by your router (`url_for`, `reverse`), a path on your site
    /// whose first segment is written out (`f"/users/{uid}"`), a URL whose scheme and host
    /// are fixed text, the address of the current request (`request.url`,
    /// `request.get_full_path()`), and a URL checked before use with Django's
    /// `url_has_allowed_host_and_scheme` (or the older `is_safe_url`), with a same-site
    /// path test (`url.startswith("/") and not url.startswith("//")`), or with its host
    /// against an allow-list (`urlsplit(url).netloc in ALLOWED_HOSTS`).
    ///
    /// ## Why is this bad?
    /// A link to your own domain that lands on someone else's is what phishing needs:
    /// `https://shop.example.com/login?next=https://evil.example` looks trustworthy, the
    /// victim logs in, and is sent on to a copy of your login page that asks again. The
    /// same hole leaks OAuth codes and tokens appended to the redirect, and lets an
    /// attacker get past URL allow-lists that trust your domain. `//evil.example` and
    /// `/\evil.example` leave your site as well as `https://` does.
    ///
    /// ## Example
    /// ```python
    /// from flask import redirect, request
    ///
    /// def login_done():
    ///     return redirect(request.args["next"])
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from flask import redirect, request, url_for
    ///
    /// def login_done():
    ///     target = request.args.get("next", "")
    ///     if not target.startswith("/") or target.startswith("//"):
    ///         target = url_for("home")
    ///     return redirect(target)
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: a check goes before the redirect, and a URL that fails it is replaced by
    /// `"/"`. Django's redirects keep URLs that `url_has_allowed_host_and_scheme` accepts
    /// for the request's own host (and its scheme when the request is HTTPS); other
    /// frameworks keep only a path on this site: it starts with `/`, not `//`, has no
    /// backslash and no control character. Links that sent users to another site on
    /// purpose now land on `/`; put those hosts in an allow-list instead. A URL that is not
    /// a local name is first given one (`target = ...`). The Django check reads the view's
    /// `request` parameter, so it is offered only where that is what `request` means and
    /// the module imports no other `request`. No fix for a URL that names
    /// another site by design (`f"https://{host}/"`), nor where the redirect is inside a
    /// lambda, a comprehension or a condition.
    ///
    /// ## References
    /// CWE-601 · OWASP A01
    pub OPEN_REDIRECT = RuleMeta {
        id: "PV711",
        name: "open-redirect",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[601],
        owasp: Owasp::A01,
        guideline: "input-validation",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &OPEN_REDIRECT,
    checks: &[Check::Callee(check_call)],
    needs: &[
        "flask",
        "quart",
        "werkzeug",
        "django",
        "starlette",
        "fastapi",
    ],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    let Some(parameter) = location_parameter(function.segments()) else {
        return;
    };
    let Some(url) = argument(call, 0, parameter) else {
        return;
    };
    if url.is_string_literal_expr() || is_own_address(checker, url, 0) {
        return;
    }
    let semantic = checker.semantic();
    let Some(mut trace) = semantic.request_taint_with(url, sanitizers::redirect) else {
        return;
    };
    if destination_is_fixed(checker, url, sanitizers::redirect) == Some(true) {
        return;
    }
    let name = checker.text(&*call.func);
    let message = format!(
        "`{name}` sends the client to a URL taken from the request, so a link to your site can forward to any other"
    );
    trace.push(TraceStep {
        message: "the client is redirected there".to_string(),
        range: url.range(),
        elsewhere: None,
    });
    let django = matches!(function.segments(), ["django", ..]);
    let fix = redirect_guard_fix(checker, url, django);
    checker.report(
        Finding::new(&OPEN_REDIRECT, call.range(), message)
            .with_trace(trace)
            .with_fix(fix),
    );
}

/// The parameter a redirect takes its destination in.
fn location_parameter(segments: &[&str]) -> Option<&'static str> {
    match segments {
        ["flask" | "quart", "redirect"] | ["werkzeug", "utils", "redirect"] => Some("location"),
        ["django", "shortcuts", "redirect"] => Some("to"),
        ["django", "http", "HttpResponseRedirect" | "HttpResponsePermanentRedirect"]
        | ["django", "http", "response", "HttpResponseRedirect" | "HttpResponsePermanentRedirect"] => {
            Some("redirect_to")
        }
        ["starlette" | "fastapi", "responses", "RedirectResponse"] => Some("url"),
        _ => None,
    }
}

/// The address of the request being answered: its host is the one the client asked
/// for (`request.url`, `request.base_url`), or its path has leading slashes escaped
/// (Django's `get_full_path()`).
fn is_own_address<'a>(checker: &Checker<'a>, expr: &'a Expr, depth: usize) -> bool {
    if depth > 4 {
        return false;
    }
    let semantic = checker.semantic();
    match expr {
        Expr::Attribute(attribute) => {
            matches!(
                attribute.attr.id.as_str(),
                "url" | "base_url" | "url_root" | "host_url"
            ) && semantic.is_request_object(&attribute.value)
        }
        Expr::Call(call) => matches!(&*call.func, Expr::Attribute(method)
            if matches!(
                method.attr.id.as_str(),
                "get_full_path" | "get_full_path_info" | "build_absolute_uri"
            ) && call.arguments.is_empty()
                && semantic.is_request_object(&method.value)),
        Expr::Name(name) => semantic
            .assigned_value(name)
            .is_some_and(|value| is_own_address(checker, value, depth + 1)),
        _ => false,
    }
}
