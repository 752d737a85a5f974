use super::environment::{
    env_switch_expression, environment_switch, switch_off_by_default, Switch,
};
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::settings::{
    is_app, is_settings_module, keyword_bool, literal_bool, Setting, Site,
};
use crate::semantic::{statement_containing, BindingKind};

declare_rule! {
    /// ## What it does
    /// Flags web applications configured to run in debug mode.
    ///
    /// That is `DEBUG = True` in a Django settings module or a Flask config class,
    /// `app.config["DEBUG"] = True`, `app.debug = True`, `app.run(debug=True)`,
    /// `FastAPI(debug=True)` / `Starlette(debug=True)`, and Werkzeug's debugger
    /// (`run_simple(use_debugger=True)`, `DebuggedApplication`).
    ///
    /// It also flags debug switches read from the environment that are on when the variable
    /// is missing (`os.getenv("DEBUG", "True") == "True"`), and `bool(os.getenv("DEBUG"))`,
    /// which is true for the string `"False"`.
    ///
    /// ## Why is this bad?
    /// Debug mode shows full tracebacks with source code, settings and local variables to
    /// whoever triggers an error. Werkzeug's debugger goes further and offers an interactive
    /// Python console in the browser: code execution for anyone who can reach it or guess
    /// its PIN. Django in debug mode also keeps every SQL query in memory.
    ///
    /// ## Example
    /// ```python
    /// from flask import Flask
    /// app = Flask(__name__)
    /// app.run(debug=True)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import os
    /// from flask import Flask
    /// app = Flask(__name__)
    /// app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: a literal `True` becomes a switch read from the environment that is off
    /// unless the variable is `"1"`: `DJANGO_DEBUG` for a Django settings module,
    /// `FLASK_DEBUG` for Flask's config and `app.run`, `DEBUG` for FastAPI, Starlette and
    /// Werkzeug's `run_simple`, importing `os` when needed. Debug mode then turns off
    /// wherever the variable is not set, development machines included, until it is set
    /// there: tracebacks, the reloader and the debugger stop appearing. A switch read from
    /// the environment that is on when the variable is missing gets an off fallback
    /// (`""` where it is compared, `False` where it is used as it is), and
    /// `bool(os.getenv("DEBUG"))` becomes a comparison with `"1"`, `"true"`, `"yes"` and
    /// `"on"` (any case), so `"False"` and `"0"` mean off. `DebuggedApplication` gets no
    /// fix: whether to keep the wrapper is your call.
    ///
    /// ## References
    /// CWE-489, CWE-215 · OWASP A05
    pub DEBUG_MODE_ENABLED = RuleMeta {
        id: "PV501",
        name: "debug-mode-enabled",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[489, 215],
        owasp: Owasp::A05,
        guideline: "configuration",
        sources: &[Source::Bandit("B201"), Source::Ruff("S201")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &DEBUG_MODE_ENABLED,
    checks: &[
        Check::Setting(check_setting),
        Check::Needs(
            &[
                "flask",
                "quart",
                "fastapi",
                "starlette",
                "werkzeug",
                "flask_socketio",
            ],
            &Check::Call(check_app_call),
        ),
    ],
    needs: &[],
};

/// Apps and servers started in debug mode (in modules that import a web framework).
fn check_app_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let semantic = checker.semantic();
    let function = semantic.resolve_value_origin(&call.func);
    let segments = function.as_ref().map(|name| name.segments());
    let (flag, message, confidence, variable) = match segments {
        Some(["fastapi", "FastAPI"] | ["fastapi", "applications", "FastAPI"])
        | Some(["starlette", "applications", "Starlette"]) => (
            "debug",
            "The app is created with `debug=True`: errors answer with full tracebacks",
            Confidence::High,
            "DEBUG",
        ),
        Some(["werkzeug", "serving", "run_simple"] | ["werkzeug", "run_simple"]) => (
            "use_debugger",
            "`run_simple(use_debugger=True)` serves Werkzeug's debugger, a Python console in the browser",
            Confidence::High,
            "DEBUG",
        ),
        Some(["werkzeug", "debug", "DebuggedApplication"] | ["werkzeug", "DebuggedApplication"]) => {
            checker.report(Finding::new(
                &DEBUG_MODE_ENABLED,
                call.range(),
                "`DebuggedApplication` shows tracebacks and, with `evalex`, a Python console to every visitor",
            ));
            return;
        }
        Some([app @ .., "run"]) if is_app(app) || app == ["flask_socketio", "SocketIO", "()"] => (
            "debug",
            "`run(debug=True)` starts the app with the Werkzeug debugger, a Python console in the browser",
            Confidence::High,
            "FLASK_DEBUG",
        ),
        _ if is_unknown_run(checker, call) => (
            "debug",
            "`run(debug=True)` starts the app with the Werkzeug debugger, a Python console in the browser",
            Confidence::Medium,
            "FLASK_DEBUG",
        ),
        _ => return,
    };
    if let Some((true, keyword)) = keyword_bool(call, flag) {
        checker.report(
            Finding::new(&DEBUG_MODE_ENABLED, keyword.range(), message)
                .with_confidence(confidence)
                .with_fix(environment_fix(checker, &keyword.value, variable)),
        );
    }
}

/// `True` → `os.environ.get("VARIABLE") == "1"`.
fn environment_fix(checker: &Checker, on: &Expr, variable: &str) -> Option<Fix> {
    let (switch, import) = env_switch_expression(checker, on.start(), variable)?;
    let mut edits = vec![Edit::replace(on.range(), switch)];
    edits.extend(import);
    Some(Fix::unsafe_edits(
        format!("Turn debug mode on only when `{variable}` is \"1\""),
        edits,
    ))
}

/// `app.run(...)` in a Flask module where `app` is imported from elsewhere, a parameter, or
/// made by a factory we cannot see into (`app = create_app()`).
fn is_unknown_run(checker: &Checker, call: &ast::ExprCall) -> bool {
    let semantic = checker.semantic();
    let Expr::Attribute(method) = &*call.func else {
        return false;
    };
    let Expr::Name(owner) = &*method.value else {
        return false;
    };
    if method.attr.id.as_str() != "run"
        || !(semantic.has_import("flask") || semantic.has_import("quart"))
    {
        return false;
    }
    let owner_kind = semantic.binding_of(owner).map(|binding| &binding.kind);
    matches!(
        owner_kind,
        Some(
            BindingKind::Import(_)
                | BindingKind::Parameter { .. }
                | BindingKind::Assignment(Expr::Call(_))
        )
    )
}

fn check_setting<'a>(checker: &Checker<'a>, setting: &Setting<'a>) {
    if setting.name != "DEBUG" {
        return;
    }
    if setting.site == Site::Module
        && (!is_settings_module(checker.semantic()) || is_conditional(checker, setting))
    {
        return;
    }
    let Some((message, confidence)) = debug_on(checker, setting.value) else {
        return;
    };
    let confidence = confidence.min(setting.confidence);
    let variable = match setting.site {
        Site::Module | Site::DjangoSettings => "DJANGO_DEBUG",
        Site::ConfigClass | Site::AppConfig | Site::AppAttribute => "FLASK_DEBUG",
    };
    let fix = if literal_bool(setting.value) == Some(true) {
        environment_fix(checker, setting.value, variable)
    } else {
        environment_switch(checker, setting.value)
            .and_then(|switch| switch_off_by_default(checker, setting.value, switch))
            .map(|edits| {
                Fix::unsafe_edits("Make debug mode off unless the variable says on", edits)
            })
    };
    checker.report(
        Finding::new(&DEBUG_MODE_ENABLED, setting.range, message)
            .with_confidence(confidence)
            .with_fix(fix),
    );
}

/// Why this value turns debug mode on, if it does.
fn debug_on<'a>(checker: &Checker<'a>, value: &'a Expr) -> Option<(&'static str, Confidence)> {
    if literal_bool(value) == Some(true) {
        return Some((
            "Debug mode is on: error pages show tracebacks, settings and source code",
            Confidence::High,
        ));
    }
    match environment_switch(checker, value)? {
        Switch::OnWhenUnset => Some((
            "Debug mode is on whenever the environment variable is missing: make the default off",
            Confidence::High,
        )),
        Switch::BoolOfString => Some((
            "`bool()` of an environment string is true for any non-empty value, `\"False\"` and `\"0\"` included",
            Confidence::Medium,
        )),
    }
}

/// A module-level setting nested in an `if`, `try` or `with`: a deliberate choice between
/// environments, not a fixed setting.
fn is_conditional(checker: &Checker, setting: &Setting) -> bool {
    let body = checker.semantic().body();
    statement_containing(body, setting.range)
        .is_some_and(|top| !matches!(body[top], Stmt::Assign(_) | Stmt::AnnAssign(_)))
}
