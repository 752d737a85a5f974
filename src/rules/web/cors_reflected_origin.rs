use super::guards::mentions_string;
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::flow::sanitizers;
use crate::rules::{Check, Rule};

declare_rule! {
    /// ## What it does
    /// Flags request data copied unchecked into the `Access-Control-Allow-Origin` header.
    ///
    /// Typically `response.headers["Access-Control-Allow-Origin"] = request.headers["Origin"]`;
    /// also through `headers.set(...)`, a Django `response[...]`, or a `headers={...}` dict.
    ///
    /// The copy is fine when it only happens after the value was checked against a list
    /// (`if origin in ALLOWED_ORIGINS:`, or an early `return` when it is not).
    ///
    /// ## Why is this bad?
    /// Echoing the caller's origin allows every origin, written out by hand. Together with
    /// `Access-Control-Allow-Credentials: true` any website can call your API with the
    /// user's cookies and read the answers.
    ///
    /// ## Example
    /// ```python
    /// from flask import request
    /// def allow_cors(response):
    ///     response.headers["Access-Control-Allow-Origin"] = request.headers["Origin"]
    ///     return response
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from flask import request
    /// ALLOWED_ORIGINS = {"https://app.example.com"}
    /// def allow_cors(response):
    ///     origin = request.headers.get("Origin")
    ///     if origin in ALLOWED_ORIGINS:
    ///         response.headers["Access-Control-Allow-Origin"] = origin
    ///         response.headers["Vary"] = "Origin"
    ///     return response
    /// ```
    ///
    /// ## References
    /// CWE-346, CWE-942 · OWASP A05
    pub CORS_REFLECTED_ORIGIN = RuleMeta {
        id: "PV522",
        name: "cors-reflected-origin",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[346, 942],
        owasp: Owasp::A05,
        guideline: "cors",
        sources: &[],
        fix: FixAvailability::None,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &CORS_REFLECTED_ORIGIN,
    checks: &[
        Check::Stmt(check_stmt),
        Check::Call(check_call),
        Check::Dict(check_dict),
    ],
    needs: &[],
};

const ALLOW_ORIGIN: &str = "access-control-allow-origin";

/// `headers["Access-Control-Allow-Origin"] = value`
fn check_stmt<'a>(checker: &Checker<'a>, stmt: &'a Stmt) {
    let Stmt::Assign(assign) = stmt else { return };
    let names_header = assign.targets.iter().any(|target| {
        matches!(target, Expr::Subscript(subscript) if is_allow_origin(checker, &subscript.slice))
    });
    if names_header {
        check_value(checker, &assign.value);
    }
}

/// `headers.set("Access-Control-Allow-Origin", value)` and friends.
fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let Expr::Attribute(method) = &*call.func else {
        return;
    };
    let setter = matches!(
        method.attr.id.as_str(),
        "set" | "add" | "setdefault" | "add_header" | "set_header" | "__setitem__" | "append"
    );
    if let ([name, value, ..], true) = (&call.arguments.args[..], setter) {
        if is_allow_origin(checker, name) {
            check_value(checker, value);
        }
    }
}

/// `{"Access-Control-Allow-Origin": value}`
fn check_dict<'a>(checker: &Checker<'a>, dict: &'a ast::ExprDict) {
    for item in &dict.items {
        if item
            .key
            .as_ref()
            .is_some_and(|key| is_allow_origin(checker, key))
        {
            check_value(checker, &item.value);
        }
    }
}

fn is_allow_origin<'a>(checker: &Checker<'a>, name: &'a Expr) -> bool {
    checker
        .semantic()
        .constant_string(name)
        .is_some_and(|name| name.eq_ignore_ascii_case(ALLOW_ORIGIN))
}

fn check_value<'a>(checker: &Checker<'a>, value: &'a Expr) {
    // `if origin in ALLOWED_ORIGINS:` around the copy, an early `return` when it is not,
    // `origin.endswith(".example.com")`: the data flow's guards.
    let Some(trace) = checker
        .semantic()
        .taint_source_with(value, sanitizers::origin)
    else {
        return;
    };
    let function = checker
        .ancestors()
        .statements()
        .find_map(|statement| match statement.stmt {
            Stmt::FunctionDef(function) => Some(function),
            _ => None,
        });
    let credentials = function.is_some_and(|function| {
        mentions_string(&function.body, "access-control-allow-credentials")
    });
    let (message, confidence) = if credentials {
        ("The response allows whatever origin the request names, with credentials: any site can read it as the user", Confidence::High)
    } else {
        (
            "The response allows whatever origin the request names: any site can read it",
            Confidence::Medium,
        )
    };
    checker.report(
        Finding::new(&CORS_REFLECTED_ORIGIN, value.range(), message)
            .with_confidence(confidence)
            .with_trace(trace),
    );
}
