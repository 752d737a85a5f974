//! Where a value came from: does it carry data an attacker controls?
//!
//! A value is tainted when it is read from a request (Flask, Django, Starlette/FastAPI),
//! from `input()` or `sys.argv`, or is a parameter of a route handler; and when it is built
//! from a tainted value (f-strings, `+`, `%`, `.format`, method calls on it, containers,
//! local variables). Converting to a number or a boolean ends the taint.

use crate::diagnostic::TraceStep;
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;

use super::{BindingKind, ScopeId, SemanticModel, MAX_FOLLOW_DEPTH};

/// Attributes of a web request object that hold what the client sent.
const REQUEST_DATA: &[&str] = &[
    // Flask / Werkzeug
    "args",
    "form",
    "values",
    "json",
    "data",
    "cookies",
    "headers",
    "files",
    "get_json",
    "get_data",
    "stream",
    "full_path",
    "path",
    "url",
    "query_string",
    "view_args",
    // Django
    "GET",
    "POST",
    "COOKIES",
    "META",
    "FILES",
    "body",
    "read",
    // Starlette / FastAPI
    "query_params",
    "path_params",
];

/// Calls whose result no longer carries attacker-chosen text.
const SANITIZERS: &[&str] = &["int", "float", "bool", "len", "abs", "round", "hash", "id"];

/// Decorator names that make a function a route handler (its parameters come from the URL).
const ROUTE_DECORATORS: &[&str] = &[
    "route",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "api_route",
    "websocket",
];

impl<'a> SemanticModel<'a> {
    /// The steps from an untrusted source to `expr`, source first; `None` when the value
    /// is not known to carry untrusted data.
    pub fn taint_source_of(&self, expr: &'a Expr) -> Option<Vec<TraceStep>> {
        let mut steps = taint_in(self, expr, self.current_scope(), 0)?;
        steps.dedup();
        Some(steps)
    }
}

fn taint_in<'a>(
    model: &SemanticModel<'a>,
    expr: &'a Expr,
    scope: ScopeId,
    depth: usize,
) -> Option<Vec<TraceStep>> {
    if depth > MAX_FOLLOW_DEPTH {
        return None;
    }
    let next = depth + 1;
    match expr {
        Expr::Attribute(attribute) => {
            if REQUEST_DATA.contains(&attribute.attr.id.as_str())
                && is_request(model, &attribute.value, scope)
            {
                return Some(vec![step(
                    format!("`{}` is read from the request", attribute.attr.id.as_str()),
                    expr,
                )]);
            }
            taint_in(model, &attribute.value, scope, next)
        }
        Expr::Subscript(subscript) => {
            if is_sys_argv(model, &subscript.value, scope) {
                return Some(vec![step(
                    "`sys.argv` comes from the command line".to_string(),
                    expr,
                )]);
            }
            taint_in(model, &subscript.value, scope, next)
        }
        Expr::Call(call) => {
            let function = model.resolve_in(&call.func, scope, false, 0);
            if let Some(function) = &function {
                let segments = function.segments();
                if segments.len() == 2
                    && segments[0] == "builtins"
                    && SANITIZERS.contains(&segments[1])
                {
                    return None;
                }
                if segments == ["builtins", "input"] {
                    return Some(vec![step(
                        "`input()` reads what the user types".to_string(),
                        expr,
                    )]);
                }
            }
            // A method on a tainted value (`.strip()`, `.get("q")`) keeps the taint, and so
            // does a call that takes one (`str(x)`, `" ".join(parts)`).
            if let Expr::Attribute(method) = &*call.func {
                if let Some(steps) = taint_in(model, &method.value, scope, next) {
                    return Some(steps);
                }
            }
            if function.is_none() && !matches!(&*call.func, Expr::Attribute(_)) {
                // An unknown local function: we do not know what it returns.
                return None;
            }
            call.arguments
                .args
                .iter()
                .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
                .find_map(|argument| taint_in(model, argument, scope, next))
        }
        Expr::Name(name) => taint_of_name(model, name, scope, next),
        Expr::FString(fstring) => fstring.value.iter().find_map(|part| match part {
            ast::FStringPart::FString(fstring) => {
                fstring.elements.iter().find_map(|element| match element {
                    ast::InterpolatedStringElement::Interpolation(interpolation) => {
                        taint_in(model, &interpolation.expression, scope, next)
                    }
                    ast::InterpolatedStringElement::Literal(_) => None,
                })
            }
            ast::FStringPart::Literal(_) => None,
        }),
        Expr::BinOp(binop) => taint_in(model, &binop.left, scope, next)
            .or_else(|| taint_in(model, &binop.right, scope, next)),
        Expr::If(conditional) => taint_in(model, &conditional.body, scope, next)
            .or_else(|| taint_in(model, &conditional.orelse, scope, next)),
        Expr::BoolOp(boolop) => boolop
            .values
            .iter()
            .find_map(|value| taint_in(model, value, scope, next)),
        Expr::Tuple(ast::ExprTuple { elts, .. })
        | Expr::List(ast::ExprList { elts, .. })
        | Expr::Set(ast::ExprSet { elts, .. }) => elts
            .iter()
            .find_map(|value| taint_in(model, value, scope, next)),
        Expr::Dict(dict) => dict
            .items
            .iter()
            .find_map(|item| taint_in(model, &item.value, scope, next)),
        Expr::Await(awaited) => taint_in(model, &awaited.value, scope, next),
        Expr::Starred(starred) => taint_in(model, &starred.value, scope, next),
        _ => None,
    }
}

fn taint_of_name<'a>(
    model: &SemanticModel<'a>,
    name: &'a ast::ExprName,
    scope: ScopeId,
    depth: usize,
) -> Option<Vec<TraceStep>> {
    let binding = model.lookup(name.id.as_str(), scope, name.range.start())?;
    let identifier = name.id.as_str();
    match &binding.kind {
        BindingKind::Assignment(value)
        | BindingKind::AugAssign(value)
        | BindingKind::WithItem(value) => {
            let mut steps = taint_in(model, value, binding.scope, depth)?;
            steps.push(TraceStep {
                message: format!("`{identifier}` holds it"),
                range: binding.range,
            });
            Some(steps)
        }
        BindingKind::Parameter { function, .. } if is_route_handler(function) => {
            Some(vec![TraceStep {
                message: format!(
                    "`{identifier}` is a parameter of the route handler `{}`",
                    function.name.id.as_str()
                ),
                range: binding.range,
            }])
        }
        _ => None,
    }
}

/// `request` imported from Flask/Quart/Starlette, or a view function's `request` parameter.
fn is_request<'a>(model: &SemanticModel<'a>, expr: &'a Expr, scope: ScopeId) -> bool {
    let Expr::Name(name) = expr else {
        return false;
    };
    match model
        .lookup(name.id.as_str(), scope, name.range.start())
        .map(|binding| &binding.kind)
    {
        Some(BindingKind::Import(qualified)) => matches!(
            qualified.segments(),
            [
                "flask" | "quart" | "werkzeug" | "sanic" | "bottle",
                "request"
            ]
        ),
        Some(BindingKind::Parameter { .. }) => matches!(name.id.as_str(), "request" | "req"),
        _ => false,
    }
}

fn is_sys_argv<'a>(model: &SemanticModel<'a>, expr: &'a Expr, scope: ScopeId) -> bool {
    model
        .resolve_in(expr, scope, false, 0)
        .is_some_and(|name| name.segments() == ["sys", "argv"])
}

/// A function decorated with `@app.route(...)`, `@router.get(...)` and the like.
fn is_route_handler(function: &ast::StmtFunctionDef) -> bool {
    function.decorator_list.iter().any(|decorator| {
        let target = match &decorator.expression {
            Expr::Call(call) => &*call.func,
            other => other,
        };
        matches!(target, Expr::Attribute(attribute) if ROUTE_DECORATORS.contains(&attribute.attr.id.as_str()))
    })
}

fn step(message: String, node: &impl Ranged) -> TraceStep {
    TraceStep {
        message,
        range: node.range(),
    }
}

#[cfg(test)]
mod tests {
    use crate::parse::{ast, parse_module};
    use crate::semantic::SemanticModel;

    /// The trace messages for the last expression statement: at module level, or inside the
    /// last function when the module ends with one.
    fn trace(source: &str) -> Option<Vec<String>> {
        let parsed = parse_module(source);
        let model = SemanticModel::new(&parsed.body);
        let (body, scope_start) = match parsed.body.last() {
            Some(ast::Stmt::FunctionDef(function)) => {
                (&function.body[..], Some(function.range.start()))
            }
            _ => (&parsed.body[..], None),
        };
        if let Some(start) = scope_start {
            model.enter_definition(start);
        }
        let Some(ast::Stmt::Expr(statement)) = body.last() else {
            panic!("the last statement must be an expression");
        };
        model
            .taint_source_of(&statement.value)
            .map(|steps| steps.into_iter().map(|step| step.message).collect())
    }

    #[test]
    fn flask_request_data_flows_through_variables_and_strings() {
        let source = "from flask import request\nname = request.args.get('name')\nquery = f\"SELECT {name.strip()}\"\nquery";
        assert_eq!(
            trace(source).unwrap(),
            [
                "`args` is read from the request",
                "`name` holds it",
                "`query` holds it"
            ]
        );
    }

    #[test]
    fn route_parameters_and_django_requests_are_sources() {
        let source = "@app.route('/u/<uid>')\ndef show(uid):\n    'x' + uid";
        assert_eq!(
            trace(source).unwrap(),
            ["`uid` is a parameter of the route handler `show`"]
        );
        let source = "def view(request):\n    request.GET['q']";
        assert_eq!(trace(source).unwrap(), ["`GET` is read from the request"]);
    }

    #[test]
    fn numbers_constants_and_unknown_functions_are_clean() {
        assert!(trace("from flask import request\nint(request.args['n'])").is_none());
        assert!(trace("name = 'fixed'\nf'{name}'").is_none());
        assert!(trace("def helper(x): return x\nhelper(1)").is_none());
        assert!(trace("class request: args = 1\nrequest.args").is_none());
        assert!(trace("import sys\nsys.argv[1]").is_some());
    }
}
