//! Which functions answer web requests, and in which framework: what they return goes to
//! the client.

use crate::checker::Checker;
use crate::parse::ast::{self, Expr};
use crate::semantic::is_route_decorator;

/// Decorator methods that register an error handler.
const ERROR_DECORATORS: &[&str] = &["errorhandler", "app_errorhandler", "exception_handler"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framework {
    /// Flask, Quart, Bottle: a returned string is sent as `text/html`.
    Flask,
    /// FastAPI, Starlette: a returned value is serialised as JSON.
    FastApi,
    /// Django and Django REST framework: views return response objects.
    Django,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewKind {
    Route,
    ErrorHandler,
}

#[derive(Debug, Clone, Copy)]
pub struct View {
    pub kind: ViewKind,
    pub framework: Framework,
}

/// What kind of view `function` is, if it is one: decorated as a route or an error handler,
/// or a Django view (its first parameter, after `self`, is `request`). A view defined inside
/// a test function is none: it answers only that test's client and is never deployed.
pub fn view_of<'a>(
    checker: &Checker<'a>,
    function: &'a ast::StmtFunctionDef,
    is_method: bool,
) -> Option<View> {
    if is_defined_in_a_test(checker, function) {
        return None;
    }
    for decorator in &function.decorator_list {
        let target = match &decorator.expression {
            Expr::Call(call) => &*call.func,
            other => other,
        };
        let Expr::Attribute(attribute) = target else {
            continue;
        };
        let method = attribute.attr.id.as_str();
        let kind = if is_route_decorator(method) {
            ViewKind::Route
        } else if ERROR_DECORATORS.contains(&method) {
            ViewKind::ErrorHandler
        } else {
            continue;
        };
        let owner = checker.semantic().resolve_value_origin(&attribute.value);
        let framework = match owner.as_ref().map(|owner| owner.segments()) {
            Some(["unittest" | "mock", ..]) => continue,
            Some(["flask" | "quart" | "bottle" | "sanic", ..]) => Framework::Flask,
            Some(["fastapi" | "starlette", ..]) => Framework::FastApi,
            _ => guess_framework(checker)?,
        };
        return Some(View { kind, framework });
    }
    let first = function
        .parameters
        .posonlyargs
        .iter()
        .chain(&function.parameters.args)
        .nth(usize::from(is_method))?;
    (first.parameter.name.id.as_str() == "request").then_some(View {
        kind: ViewKind::Route,
        framework: Framework::Django,
    })
}

/// `function` is nested in a `test*` function (pytest's and unittest's naming).
fn is_defined_in_a_test(checker: &Checker, function: &ast::StmtFunctionDef) -> bool {
    checker.ancestors().statements().any(|statement| {
        matches!(statement.stmt, ast::Stmt::FunctionDef(outer)
            if outer.range != function.range && outer.name.id.as_str().starts_with("test"))
    })
}

/// The framework of a module whose app object we cannot follow (imported from elsewhere).
fn guess_framework(checker: &Checker) -> Option<Framework> {
    let semantic = checker.semantic();
    if semantic.has_any_import(&["flask", "quart", "bottle", "sanic"]) {
        Some(Framework::Flask)
    } else if semantic.has_import("fastapi") || semantic.has_import("starlette") {
        Some(Framework::FastApi)
    } else if semantic.has_import("django") || semantic.has_import("rest_framework") {
        Some(Framework::Django)
    } else {
        None
    }
}

/// The parameter an error handler receives the exception in: the first one (Flask), or the
/// one after the request (FastAPI / Starlette `handler(request, exc)`).
pub fn exception_parameter(function: &ast::StmtFunctionDef) -> Option<&ast::Identifier> {
    let mut parameters = function
        .parameters
        .posonlyargs
        .iter()
        .chain(&function.parameters.args)
        .map(|parameter| &parameter.parameter.name)
        .filter(|name| name.id.as_str() != "self");
    let first = parameters.next()?;
    if first.id.as_str() == "request" {
        return parameters.next();
    }
    Some(first)
}
