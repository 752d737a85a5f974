//! Where client data enters a web application, framework by framework.
//!
//! Each framework is one table ([`Framework`]) in its own file: the modules that mark a web
//! module, the names importable as the current request, what on a request object holds
//! what the client sent, the decorators that make a function a route and the parameters
//! the framework fills in itself. Taint asks the questions below; adding a framework is
//! adding a table to [`FRAMEWORKS`].
//!
//! A parameter named `request` is a web request only in a module that imports a framework
//! (the server side of it, for aiohttp and Tornado, whose clients have requests too); what
//! any framework's request holds then counts. The request a framework exports
//! (`from flask import request`) holds what that framework's table says.

mod aiohttp;
mod django;
mod flask;
mod others;
mod starlette;
mod tornado;

use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::Ranged;

use super::{BindingKind, ScopeId, ScopeKind, SemanticModel, MAX_NESTING};

/// What one web framework contributes to taint.
pub(super) struct Framework {
    /// The key its "is the server side imported" answer is remembered by.
    fact: &'static str,
    /// Top-level modules whose import makes this framework present.
    modules: &'static [&'static str],
    /// When the package is also a client (aiohttp, tornado): the dotted modules of its
    /// server side, one of which must be imported too (`aiohttp.web`).
    server_modules: &'static [&'static str],
    /// Importable names that are the current request: `flask.request`.
    request_globals: &'static [&'static [&'static str]],
    /// Attributes and methods of a request object that hold what the client sent.
    request_data: &'static [&'static str],
    /// Decorator methods that make a function a route (`@app.get(...)`): its parameters
    /// come from the URL.
    route_decorators: &'static [&'static str],
    /// Parameter defaults the framework fills in, not the client: `Depends(get_db)`.
    injected_defaults: &'static [&'static str],
    /// Parameter annotations that are framework objects, not client text: `Request`.
    framework_annotations: &'static [&'static str],
    /// Base classes of request handlers that read the request through `self`.
    handler_bases: &'static [&'static [&'static str]],
    /// Methods and attributes of such a handler that return client data:
    /// `self.get_argument("q")`.
    handler_reads: &'static [&'static str],
    /// Methods of such a handler whose parameters are the URL's groups: `def get(self, slug)`.
    handler_verbs: &'static [&'static str],
}

impl Framework {
    const NONE: Framework = Framework {
        fact: "",
        modules: &[],
        server_modules: &[],
        request_globals: &[],
        request_data: &[],
        route_decorators: &[],
        injected_defaults: &[],
        framework_annotations: &[],
        handler_bases: &[],
        handler_reads: &[],
        handler_verbs: &[],
    };
}

const FRAMEWORKS: &[&Framework] = &[
    &flask::FLASK,
    &django::DJANGO,
    &starlette::STARLETTE,
    &aiohttp::AIOHTTP,
    &tornado::TORNADO,
    &others::BOTTLE,
    &others::SANIC,
    &others::PYRAMID,
    &others::FALCON,
];

/// True when `method` registers a route in some framework: `@app.route(...)`,
/// `@router.get(...)`.
pub fn is_route_decorator(method: &str) -> bool {
    FRAMEWORKS
        .iter()
        .any(|framework| framework.route_decorators.contains(&method))
}

/// True when a module's source may read untrusted data: it mentions a web framework's
/// module, `input(` or `argv`. A cheap test on the text, for choosing which modules to parse.
pub fn may_read_untrusted_data(source: &str) -> bool {
    source.contains("argv")
        || source.contains("input(")
        || FRAMEWORKS
            .iter()
            .flat_map(|framework| framework.modules)
            .any(|module| source.contains(module))
}

/// What a web request object belongs to.
enum Request {
    /// The current request a framework exports: `from flask import request`.
    Global(&'static Framework),
    /// A view's `request` parameter or `self.request` in a web module.
    Local,
}

/// True when `framework` is imported in the module (its server side, for a package that
/// is a client too).
fn is_imported(model: &SemanticModel, framework: &Framework) -> bool {
    framework
        .modules
        .iter()
        .any(|module| model.has_import(module))
        && (framework.server_modules.is_empty()
            || model.module_fact(framework.fact, || {
                imports_any(model.body(), framework.server_modules, 0)
            }))
}

/// True when the module imports a web framework: a parameter named `request` is a web
/// request there (elsewhere it is an HTTP client's request, a test fixture, ...).
pub(crate) fn is_web_module(model: &SemanticModel) -> bool {
    FRAMEWORKS
        .iter()
        .any(|framework| is_imported(model, framework))
}

/// True when `expr` is a web request object: `request` imported from Flask and friends,
/// a view's `request` parameter, or `self.request` in a method (Django's class-based views
/// and Tornado's handlers keep the request there).
pub(super) fn is_request<'a>(model: &SemanticModel<'a>, expr: &'a Expr, scope: ScopeId) -> bool {
    request_of(model, expr, scope).is_some()
}

fn request_of<'a>(model: &SemanticModel<'a>, expr: &'a Expr, scope: ScopeId) -> Option<Request> {
    if let Expr::Attribute(attribute) = expr {
        let is_self_request = attribute.attr.id.as_str() == "request"
            && matches!(&*attribute.value, Expr::Name(owner) if owner.id.as_str() == "self"
            && matches!(
                model.lookup("self", scope, owner.range.start()).map(|binding| &binding.kind),
                Some(BindingKind::Parameter { .. })
            ));
        return (is_self_request && is_web_module(model)).then_some(Request::Local);
    }
    let Expr::Name(name) = expr else {
        return None;
    };
    match &model
        .lookup(name.id.as_str(), scope, name.range.start())?
        .kind
    {
        BindingKind::Import(qualified) => FRAMEWORKS
            .iter()
            .find(|framework| {
                framework
                    .request_globals
                    .iter()
                    .any(|global| *global == qualified.segments())
            })
            .map(|framework| Request::Global(framework)),
        BindingKind::Parameter { .. } => (matches!(name.id.as_str(), "request" | "req")
            && is_web_module(model))
        .then_some(Request::Local),
        _ => None,
    }
}

/// What reading `attribute` takes from the client, as a trace message: `request.args`,
/// `await request.post()` (the method is read here, the call keeps its taint), or
/// `self.get_argument` in a Tornado handler. `None` for anything else.
pub(super) fn request_read<'a>(
    model: &SemanticModel<'a>,
    attribute: &'a ast::ExprAttribute,
    scope: ScopeId,
) -> Option<String> {
    let read = attribute.attr.id.as_str();
    if let Some(message) = handler_read(model, attribute, scope) {
        return Some(message);
    }
    if !FRAMEWORKS
        .iter()
        .any(|framework| framework.request_data.contains(&read))
    {
        return None;
    }
    let reads = match request_of(model, &attribute.value, scope)? {
        Request::Global(framework) => framework.request_data.contains(&read),
        // Checked above: some framework's request has it.
        Request::Local => true,
    };
    reads.then(|| format!("`{read}` is read from the request"))
}

/// `self.get_argument` (and friends) in a method of a request handler class.
fn handler_read<'a>(
    model: &SemanticModel<'a>,
    attribute: &'a ast::ExprAttribute,
    scope: ScopeId,
) -> Option<String> {
    let Expr::Name(owner) = &*attribute.value else {
        return None;
    };
    if owner.id.as_str() != "self" {
        return None;
    }
    let read = attribute.attr.id.as_str();
    let framework = FRAMEWORKS.iter().find(|framework| {
        framework.handler_reads.contains(&read) && is_imported(model, framework)
    })?;
    let binding = model.lookup("self", scope, owner.range.start())?;
    if !matches!(binding.kind, BindingKind::Parameter { .. }) {
        return None;
    }
    let (class, defined_in) = class_of_method(model, binding.scope)?;
    is_subclass(model, class, defined_in, framework.handler_bases, 0)
        .then(|| format!("`{read}` is read from the request"))
}

/// A function decorated with `@app.route(...)`, `@router.get(...)` and the like (not
/// `@mock.patch(...)`, which shares a method name with the HTTP verbs), or a verb method of
/// a request handler class (`def get(self, slug)` in Tornado). `scope` is the function's own.
pub(super) fn is_route_handler<'a>(
    model: &SemanticModel<'a>,
    function: &'a ast::StmtFunctionDef,
    scope: ScopeId,
) -> bool {
    let decorated = function.decorator_list.iter().any(|decorator| {
        let target = match &decorator.expression {
            Expr::Call(call) => &*call.func,
            other => other,
        };
        let Expr::Attribute(attribute) = target else {
            return false;
        };
        is_route_decorator(attribute.attr.id.as_str())
            && !model
                .resolve_in(&attribute.value, scope, false, 0)
                .is_some_and(|owner| matches!(owner.segments(), ["unittest" | "mock", ..]))
    });
    if decorated {
        return true;
    }
    let verb = function.name.id.as_str();
    let Some(framework) = FRAMEWORKS
        .iter()
        .find(|framework| framework.handler_verbs.contains(&verb) && is_imported(model, framework))
    else {
        return false;
    };
    class_of_method(model, scope).is_some_and(|(class, defined_in)| {
        is_subclass(model, class, defined_in, framework.handler_bases, 0)
    })
}

/// A route handler parameter the client fills in: not `self`, not a FastAPI dependency
/// (`db = Depends(get_db)`, `Annotated[Session, Depends(...)]`), not a framework object.
pub(super) fn is_client_parameter(
    function: &ast::StmtFunctionDef,
    name: &str,
    default: Option<&Expr>,
) -> bool {
    // The request object itself is not data; what is read from it is (see `request_read`).
    if matches!(name, "self" | "cls" | "request") {
        return false;
    }
    if default.is_some_and(is_injected) {
        return false;
    }
    let annotation = function
        .parameters
        .iter_non_variadic_params()
        .find(|parameter| parameter.parameter.name.id.as_str() == name)
        .and_then(|parameter| parameter.parameter.annotation.as_deref());
    match annotation {
        Some(Expr::Subscript(subscript)) => match &*subscript.slice {
            Expr::Tuple(tuple) => !tuple.elts.iter().skip(1).any(is_injected),
            _ => true,
        },
        Some(annotation) => !last_name(annotation).is_some_and(|name| {
            FRAMEWORKS
                .iter()
                .any(|framework| framework.framework_annotations.contains(&name))
        }),
        None => true,
    }
}

/// `Depends(...)`, `fastapi.Security(...)`.
fn is_injected(expr: &Expr) -> bool {
    matches!(expr, Expr::Call(call) if last_name(&call.func).is_some_and(|name| {
        FRAMEWORKS
            .iter()
            .any(|framework| framework.injected_defaults.contains(&name))
    }))
}

/// The last identifier of a dotted name: `Depends` for `fastapi.Depends`.
fn last_name(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attribute) => Some(attribute.attr.id.as_str()),
        _ => None,
    }
}

/// The class whose body defines the function of `function_scope`, and the scope the class
/// statement is in.
fn class_of_method<'a>(
    model: &SemanticModel<'a>,
    function_scope: ScopeId,
) -> Option<(&'a ast::StmtClassDef, ScopeId)> {
    let class_scope = model.scopes[function_scope].parent?;
    if model.scopes[class_scope].kind != ScopeKind::Class {
        return None;
    }
    let outer = model.scopes[class_scope].parent?;
    model.scopes[outer]
        .bindings
        .values()
        .flatten()
        .find_map(|binding| match binding.kind {
            BindingKind::ClassDef(class)
                if model.scope_of_definition.get(&class.start()) == Some(&class_scope) =>
            {
                Some((class, outer))
            }
            _ => None,
        })
}

/// True when `class` derives from one of `bases`, directly or through classes of the module
/// (`class BaseHandler(tornado.web.RequestHandler)`, then `class Page(BaseHandler)`).
fn is_subclass<'a>(
    model: &SemanticModel<'a>,
    class: &'a ast::StmtClassDef,
    scope: ScopeId,
    bases: &[&[&str]],
    depth: usize,
) -> bool {
    if depth > 4 {
        return false;
    }
    class.bases().iter().any(|base| {
        if model
            .resolve_in(base, scope, false, 0)
            .is_some_and(|name| bases.iter().any(|wanted| *wanted == name.segments()))
        {
            return true;
        }
        let Expr::Name(name) = base else {
            return false;
        };
        match model.lookup(name.id.as_str(), scope, name.range.start()) {
            Some(binding) => match binding.kind {
                BindingKind::ClassDef(parent) if !std::ptr::eq(parent, class) => {
                    is_subclass(model, parent, binding.scope, bases, depth + 1)
                }
                _ => false,
            },
            None => false,
        }
    })
}

/// True when some import in `body` (at any depth) names one of the dotted `modules` or a
/// module inside one: `import aiohttp.web`, `from aiohttp import web`,
/// `from aiohttp.web import Request`.
fn imports_any(body: &[Stmt], modules: &[&str], depth: usize) -> bool {
    if depth > MAX_NESTING {
        return false;
    }
    let within = |dotted: &str| {
        modules.iter().any(|module| {
            dotted
                .strip_prefix(module)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        })
    };
    let inner = |body: &[Stmt]| imports_any(body, modules, depth + 1);
    body.iter().any(|stmt| match stmt {
        Stmt::Import(import) => import
            .names
            .iter()
            .any(|alias| within(alias.name.id.as_str())),
        Stmt::ImportFrom(import) if import.level == 0 => {
            let Some(from) = import.module.as_ref().map(|module| module.id.as_str()) else {
                return false;
            };
            within(from)
                || import.names.iter().any(|alias| {
                    modules.iter().any(|module| {
                        module
                            .strip_prefix(from)
                            .and_then(|rest| rest.strip_prefix('.'))
                            .is_some_and(|rest| rest == alias.name.id.as_str())
                    })
                })
        }
        Stmt::FunctionDef(function) => inner(&function.body),
        Stmt::ClassDef(class) => inner(&class.body),
        Stmt::If(if_stmt) => {
            inner(&if_stmt.body)
                || if_stmt
                    .elif_else_clauses
                    .iter()
                    .any(|clause| inner(&clause.body))
        }
        Stmt::Try(try_stmt) => {
            inner(&try_stmt.body)
                || try_stmt.handlers.iter().any(|handler| {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    inner(&handler.body)
                })
                || inner(&try_stmt.orelse)
                || inner(&try_stmt.finalbody)
        }
        Stmt::With(with) => inner(&with.body),
        Stmt::For(for_loop) => inner(&for_loop.body) || inner(&for_loop.orelse),
        Stmt::While(while_loop) => inner(&while_loop.body) || inner(&while_loop.orelse),
        _ => false,
    })
}
