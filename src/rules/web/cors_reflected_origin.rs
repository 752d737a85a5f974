use super::environment::env_list_expression;
use super::guards::mentions_string;
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::fix::statement::{indent_unit, insert_before_statement, own_lines};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::flow::sanitizers;
use crate::rules::{Check, Rule};
use crate::semantic::MODULE_SCOPE;

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
    /// ## Fix safety
    /// Unsafe: the fix puts the assignment under `if origin in ALLOWED_ORIGINS:`, using the
    /// module's own allow-list (`ALLOWED_ORIGINS`, `CORS_ALLOWED_ORIGINS` or `CORS_ORIGINS`)
    /// or, when it has none, a new `CORS_ALLOWED_ORIGINS` read from the environment variable
    /// of that name (comma-separated) after the imports. Origins not listed no longer get
    /// the header, so browsers refuse them the response: every front end that needs access
    /// must be listed. Only an assignment of a plain variable on a line of its own is
    /// rewritten; header dicts and `headers.set(...)` calls get no fix. Add `Vary: Origin` so
    /// caches keep the answers apart.
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
        fix: FixAvailability::Sometimes,
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
        check_value(checker, &assign.value, || {
            guard_fix(checker, stmt, &assign.value)
        });
    }
}

/// Module-level names that hold the allowed origins, in the order they are preferred.
const ALLOW_LISTS: &[&str] = &["ALLOWED_ORIGINS", "CORS_ALLOWED_ORIGINS", "CORS_ORIGINS"];

/// `headers[...] = origin` put under `if origin in ALLOWED_ORIGINS:`, the allow-list
/// defined from the environment when the module has none. `None` unless the value is a
/// plain name and the assignment fills its own line.
fn guard_fix<'a>(checker: &Checker<'a>, stmt: &'a Stmt, value: &'a Expr) -> Option<Fix> {
    let Expr::Name(origin) = value else {
        return None;
    };
    let source = checker.source();
    own_lines(source, stmt.range())?;
    if checker.text(stmt).contains(['\n', '\r']) {
        return None;
    }
    let semantic = checker.semantic();
    let existing = ALLOW_LISTS.iter().find(|name| {
        semantic
            .lookup(name, semantic.current_scope(), stmt.start())
            .is_some_and(|binding| binding.scope == MODULE_SCOPE)
    });
    let mut edits = Vec::new();
    let allow_list = match existing {
        Some(name) => name.to_string(),
        None => {
            let defined_anywhere = ALLOW_LISTS
                .iter()
                .any(|name| !semantic.bindings_in(MODULE_SCOPE, name).is_empty());
            if defined_anywhere {
                return None;
            }
            let after_imports = semantic.body().iter().find(|top| {
                !matches!(top, Stmt::Import(_) | Stmt::ImportFrom(_))
                    && !matches!(top, Stmt::Expr(expr) if expr.value.is_string_literal_expr())
            })?;
            let (origins, import) = env_list_expression(
                checker,
                after_imports.start(),
                "CORS_ALLOWED_ORIGINS",
                "allowed",
            )?;
            edits.push(insert_before_statement(
                source,
                after_imports,
                // Two blank lines keep a `def` or `class` that follows apart, as PEP 8 asks.
                &[
                    format!("CORS_ALLOWED_ORIGINS = {origins}"),
                    String::new(),
                    String::new(),
                ],
            )?);
            edits.extend(import);
            "CORS_ALLOWED_ORIGINS".to_string()
        }
    };
    edits.push(insert_before_statement(
        source,
        stmt,
        &[format!("if {} in {allow_list}:", origin.id.as_str())],
    )?);
    edits.push(Edit::insert(
        stmt.start(),
        indent_unit(source, stmt.start()),
    ));
    Some(Fix::unsafe_edits(
        format!("Set the header only for origins in `{allow_list}`"),
        edits,
    ))
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
            check_value(checker, value, || None);
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
            check_value(checker, &item.value, || None);
        }
    }
}

fn is_allow_origin<'a>(checker: &Checker<'a>, name: &'a Expr) -> bool {
    checker
        .semantic()
        .constant_string(name)
        .is_some_and(|name| name.eq_ignore_ascii_case(ALLOW_ORIGIN))
}

/// Reports `value` when it is the request's origin unchecked; `fix` makes the fix, asked for
/// only then.
fn check_value<'a>(checker: &Checker<'a>, value: &'a Expr, fix: impl FnOnce() -> Option<Fix>) {
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
            .with_trace(trace)
            .with_fix(fix()),
    );
}
