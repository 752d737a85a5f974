//! Where a value came from: does it carry data an attacker controls?
//!
//! A value is tainted when it is read from a request, or is a parameter of a route handler
//! (each framework's sources are in [`super::sources`]), or comes from `input()` or
//! `sys.argv`; and when it is built from a tainted value (f-strings, `+`, `%`, `.format`,
//! method calls on it, containers, local variables, the names a `for` loop binds).
//! Converting to a number or a boolean ends the taint.
//!
//! What makes a value harmless depends on where it goes: `markupsafe.escape` makes text safe
//! for HTML and not for a file path, `os.path.basename` the other way round. Rules pass their
//! own sanitizers to [`SemanticModel::taint_source_with`].

use crate::diagnostic::TraceStep;
use crate::parse::ast::{self, Expr};
use crate::parse::{Ranged, TextSize};

use std::rc::Rc;

use super::calls::{Callee, LocalCall};
use super::constant::FlowNames;
use super::{sources, Binding, BindingKind, Guards, ScopeId, SemanticModel, MAX_FOLLOW_DEPTH};

/// Calls whose result no longer carries attacker-chosen text.
const SANITIZERS: &[&str] = &[
    "int",
    "float",
    "bool",
    "len",
    "abs",
    "round",
    "hash",
    "id",
    "isinstance",
    "callable",
];

/// Methods whose result is a boolean or a number, whatever text they are called on.
const SCALAR_METHODS: &[&str] = &[
    "startswith",
    "endswith",
    "isdigit",
    "isdecimal",
    "isnumeric",
    "isalpha",
    "isalnum",
    "isascii",
    "isidentifier",
    "islower",
    "isupper",
    "isspace",
    "count",
    "find",
    "rfind",
    "index",
    "rindex",
    "is_relative_to",
    "exists",
    "is_file",
    "is_dir",
];

/// A place where a value may stop carrying untrusted text for one kind of sink.
#[derive(Debug, Clone, Copy)]
pub enum Passage<'p> {
    /// A call, by the qualified name of its function, resolved through imports and through
    /// the values calls return: `markupsafe.escape`, `markupsafe.Markup.().format`.
    Call(&'p [&'p str]),
    /// An attribute read on a tainted value: `path.name`.
    Attribute(&'p str),
    /// A check the value passed on every path to the sink: one of [`Guards`]'
    /// `CONTAINED_PATH`, `ALLOWED_HOST`, `QUOTED_LITERAL`, `MATCHED`, `WEB_SCHEME`. (`ALLOWED_VALUE` cleans for
    /// every sink and is not asked.)
    Checked(Guards),
}

/// The rule-specific part of a taint query: which passages make a value harmless, and
/// whether only web requests count as sources (not `input()` or `sys.argv`).
#[derive(Clone, Copy)]
struct Query {
    cleans: Cleans,
    web_only: bool,
    /// Set while a function's body is read for a call of it (see [`super::calls`]).
    within: Option<Within>,
}

/// A function's body read on behalf of a call: its parameters are the call's arguments,
/// not values of their own. With `parameter`, only that parameter is a source (the question
/// is whether it reaches what the function returns); without, only real sources count.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Within {
    /// The function, by address.
    function: usize,
    /// The parameter's name, by where it starts.
    parameter: Option<TextSize>,
}

impl Query {
    /// False while only a parameter is being followed: real sources are not what is asked.
    fn counts_sources(&self) -> bool {
        self.within.is_none_or(|within| within.parameter.is_none())
    }

    fn key(&self) -> usize {
        self.within.map_or(0, |within| {
            within.function
                ^ within
                    .parameter
                    .map_or(1, |start| (start.to_usize() << 1) | 1)
                    .rotate_left(32)
        })
    }
}

/// Says which passages make a value harmless for one kind of sink. A plain function, so
/// that answers can be remembered per sanitizer set (see [`TaintKey`]).
pub type Cleans = for<'p> fn(Passage<'p>) -> bool;

/// What a binding's taint is remembered by: the binding (its address), whether only web
/// requests count, and the sanitizers (the function's address).
pub(super) type TaintKey = (usize, bool, usize, usize);

impl<'a> SemanticModel<'a> {
    /// The steps from an untrusted source to `expr`, source first; `None` when the value
    /// is not known to carry untrusted data.
    pub fn taint_source_of(&self, expr: &'a Expr) -> Option<Vec<TraceStep>> {
        self.taint_source_with(expr, |_| false)
    }

    /// Like [`Self::taint_source_of`], with the sanitizers of one kind of sink: the value is
    /// clean when every path from a source goes through a passage `cleans` accepts.
    pub fn taint_source_with(&self, expr: &'a Expr, cleans: Cleans) -> Option<Vec<TraceStep>> {
        self.trace_taint(expr, cleans, false)
    }

    /// Like [`Self::taint_source_with`], counting only web requests as sources: for sinks
    /// where the person at the keyboard (`input()`, `sys.argv`) may choose freely, such as
    /// the file a command-line tool opens.
    pub fn request_taint_with(&self, expr: &'a Expr, cleans: Cleans) -> Option<Vec<TraceStep>> {
        self.trace_taint(expr, cleans, true)
    }

    fn trace_taint(
        &self,
        expr: &'a Expr,
        cleans: Cleans,
        web_only: bool,
    ) -> Option<Vec<TraceStep>> {
        let scope = self.scope_enclosing(expr.range());
        self.trace_taint_from(expr, scope, cleans, web_only)
    }

    /// The taint of `expr`, read in `scope`.
    pub(super) fn trace_taint_from(
        &self,
        expr: &'a Expr,
        scope: ScopeId,
        cleans: Cleans,
        web_only: bool,
    ) -> Option<Vec<TraceStep>> {
        // A module with no way in for untrusted data, that no web module imports:
        // nothing to follow.
        if !self.reads_user_input
            && !sources::is_web_module(self)
            && !self.may_be_called_from_a_view()
        {
            return None;
        }
        let query = Query {
            cleans,
            web_only,
            within: None,
        };
        let scope = self.expression_scope_holding(expr.range()).unwrap_or(scope);
        // Code that never runs passes nothing on.
        if self
            .scope_flow(scope)
            .is_some_and(|flow| flow.is_unreachable(expr.range()))
        {
            return None;
        }
        let mut steps = taint_in(self, &query, expr, scope, 0)?;
        steps.dedup();
        Some(steps)
    }

    /// True when a web module of the project imports this one or one of its functions
    /// (only the command line checks projects).
    fn may_be_called_from_a_view(&self) -> bool {
        cfg!(feature = "cli")
            && self.project.is_some_and(|project| {
                self.module_fact("called-from-a-view", || project.may_be_called_from_a_view())
            })
    }

    /// True when `expr` is a web request object: `request` imported from Flask and friends,
    /// a view's `request` parameter, or `self.request` in a class-based view.
    pub fn is_request_object(&self, expr: &'a Expr) -> bool {
        sources::is_request(self, expr, self.current_scope())
    }

    /// Flask's or Quart's `session`, or the `session` of a Django or Starlette request:
    /// what the server keeps about a client between requests.
    pub fn is_session_object(&self, expr: &'a Expr) -> bool {
        if let Expr::Attribute(attribute) = expr {
            if attribute.attr.id.as_str() == "session" && self.is_request_object(&attribute.value) {
                return true;
            }
        }
        self.resolve_qualified_name(expr)
            .is_some_and(|name| matches!(name.segments(), ["flask" | "quart", "session"]))
    }
}

fn taint_in<'a>(
    model: &SemanticModel<'a>,
    query: &Query,
    expr: &'a Expr,
    scope: ScopeId,
    depth: usize,
) -> Option<Vec<TraceStep>> {
    if depth > MAX_FOLLOW_DEPTH {
        model.effort.cut_short();
        return None;
    }
    if !model.effort.spend() {
        return None;
    }
    let next = depth + 1;
    let cleans = query.cleans;
    let taint_in = |expr: &'a Expr, scope: ScopeId| taint_in(model, query, expr, scope, next);
    // What an element read of a known container gives: the first tainted value it may be.
    let element_taint = |container: &ast::ExprName, values: Vec<&'a Expr>| {
        values.into_iter().find_map(|value| {
            let mut steps = taint_in(value, scope)?;
            steps.push(step(format!("`{}` holds it", container.id.as_str()), value));
            Some(steps)
        })
    };
    match expr {
        Expr::Attribute(attribute) => {
            if let Some(message) = sources::request_read(model, attribute, scope) {
                if !query.counts_sources() {
                    return None;
                }
                return Some(vec![step(message, expr)]);
            }
            // `self.name` in a method: what any method of the class assigns to it.
            if let Some(class_scope) = model.class_of_receiver(&attribute.value, scope) {
                let name = attribute.attr.id.as_str();
                return model
                    .attribute_writes(class_scope, name)
                    .into_iter()
                    .find_map(|(value, method_scope)| {
                        let mut steps = taint_in(value, method_scope)?;
                        steps.push(step(format!("`self.{name}` holds it"), value));
                        Some(steps)
                    });
            }
            if cleans(Passage::Attribute(attribute.attr.id.as_str())) {
                return None;
            }
            taint_in(&attribute.value, scope)
        }
        Expr::Subscript(subscript) => {
            if is_sys_argv(model, &subscript.value, scope) {
                if query.web_only || !query.counts_sources() {
                    return None;
                }
                return Some(vec![step(
                    "`sys.argv` comes from the command line".to_string(),
                    expr,
                )]);
            }
            // `d["a"]`, `items[2]`: the element, when the container is known.
            if let Some((container, values)) = model.element_read(expr, scope) {
                return element_taint(container, values);
            }
            taint_in(&subscript.value, scope)
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
                    if query.web_only || !query.counts_sources() {
                        return None;
                    }
                    return Some(vec![step(
                        "`input()` reads what the user types".to_string(),
                        expr,
                    )]);
                }
            }
            if let Some(local) = model.local_call(call, scope) {
                return returned_taint(model, query, call, local, scope, next);
            }
            // A function of another module of the project: the arguments it returns.
            if let Some(function) = model.project_function(&call.func, scope) {
                let name = match &*call.func {
                    Expr::Attribute(attribute) => attribute.attr.id.as_str(),
                    Expr::Name(name) => name.id.as_str(),
                    _ => "it",
                };
                return function.returned.iter().find_map(|index| {
                    let argument = function.argument(call, *index)?;
                    let mut steps = taint_in(argument, scope)?;
                    steps.push(step(format!("it is passed to `{name}`"), argument));
                    steps.push(step(format!("`{name}` returns it"), expr));
                    Some(steps)
                });
            }
            // `d.get("a")`, `items.pop()`, `config.get("db", "user")` on a known container.
            if let Some((container, values)) = model.element_read(expr, scope) {
                return element_taint(container, values);
            }
            let through_calls = model.resolve_in(&call.func, scope, true, 0);
            if through_calls.is_some_and(|name| cleans(Passage::Call(name.segments()))) {
                return None;
            }
            // A method on a tainted value (`.strip()`, `.get("q")`) keeps the taint, and so
            // does a call that takes one (`str(x)`, `" ".join(parts)`).
            if let Expr::Attribute(method) = &*call.func {
                if SCALAR_METHODS.contains(&method.attr.id.as_str()) {
                    return None;
                }
                // `request.get_json()` reads the request; `name.strip()` keeps what `name` holds.
                if let Some(steps) = taint_in(&call.func, scope) {
                    return Some(steps);
                }
            }
            if function.is_none() && !matches!(&*call.func, Expr::Attribute(_)) {
                // An unknown local function: we do not know what it returns.
                return None;
            }
            // `FEEDS.get(name)` on a clean mapping returns one of its values: only the default
            // can bring request data in.
            if let Expr::Attribute(method) = &*call.func {
                if matches!(method.attr.id.as_str(), "get" | "pop" | "setdefault") {
                    return call
                        .arguments
                        .args
                        .get(1)
                        .and_then(|default| taint_in(default, scope));
                }
            }
            call.arguments
                .args
                .iter()
                .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
                .find_map(|argument| taint_in(argument, scope))
        }
        Expr::Name(name) => taint_of_name(model, query, name, scope, next),
        Expr::FString(fstring) => fstring.value.iter().find_map(|part| match part {
            ast::FStringPart::FString(fstring) => {
                fstring.elements.iter().find_map(|element| match element {
                    ast::InterpolatedStringElement::Interpolation(interpolation) => {
                        taint_in(&interpolation.expression, scope)
                    }
                    ast::InterpolatedStringElement::Literal(_) => None,
                })
            }
            ast::FStringPart::Literal(_) => None,
        }),
        Expr::BinOp(binop) => {
            // `a + b + c + ...` nests to the left: walk that spine in a loop, so a long chain
            // costs one level of depth, not one per operand.
            let mut operands: Vec<&'a Expr> = vec![&binop.right];
            let mut left: &'a Expr = &binop.left;
            while let Expr::BinOp(inner) = left {
                if inner.op != binop.op {
                    break;
                }
                operands.push(&inner.right);
                left = &inner.left;
            }
            operands.push(left);
            operands
                .into_iter()
                .rev()
                .find_map(|operand| taint_in(operand, scope))
        }
        Expr::If(conditional) => {
            let names = FlowNames { model, scope };
            match super::constant::evaluate(&conditional.test, &names, model, scope, next) {
                // The branch that cannot run does not count.
                Some(test) if test.is_truthy() => taint_in(&conditional.body, scope),
                Some(_) => taint_in(&conditional.orelse, scope),
                None => taint_in(&conditional.body, scope)
                    .or_else(|| taint_in(&conditional.orelse, scope)),
            }
        }
        Expr::BoolOp(boolop) => boolop
            .values
            .iter()
            .find_map(|value| taint_in(value, scope)),
        Expr::Tuple(ast::ExprTuple { elts, .. })
        | Expr::List(ast::ExprList { elts, .. })
        | Expr::Set(ast::ExprSet { elts, .. }) => {
            elts.iter().find_map(|value| taint_in(value, scope))
        }
        Expr::Dict(dict) => dict
            .items
            .iter()
            .find_map(|item| taint_in(&item.value, scope)),
        // `[x.strip() for x in request.args.getlist("tag")]`: what each element holds, in
        // the comprehension's scope, where `x` takes its values from the iterable.
        Expr::ListComp(ast::ExprListComp { elt, .. })
        | Expr::SetComp(ast::ExprSetComp { elt, .. })
        | Expr::Generator(ast::ExprGenerator { elt, .. }) => match model.scope_opened_by(expr) {
            Some(inner) => taint_in(elt, inner),
            None => comprehension_iterables(expr).find_map(|iterable| taint_in(iterable, scope)),
        },
        Expr::DictComp(ast::ExprDictComp { key, value, .. }) => match model.scope_opened_by(expr) {
            Some(inner) => taint_in(value, inner)
                .or_else(|| key.as_deref().and_then(|key| taint_in(key, inner))),
            None => comprehension_iterables(expr).find_map(|iterable| taint_in(iterable, scope)),
        },
        Expr::Await(awaited) => taint_in(&awaited.value, scope),
        Expr::Starred(starred) => taint_in(&starred.value, scope),
        _ => None,
    }
}

/// The iterables of a comprehension's loops.
fn comprehension_iterables(expr: &Expr) -> impl Iterator<Item = &Expr> {
    let generators = match expr {
        Expr::ListComp(ast::ExprListComp { generators, .. })
        | Expr::SetComp(ast::ExprSetComp { generators, .. })
        | Expr::Generator(ast::ExprGenerator { generators, .. })
        | Expr::DictComp(ast::ExprDictComp { generators, .. }) => &generators[..],
        _ => &[],
    };
    generators.iter().map(|generator| &generator.iter)
}

/// The taint of what a name holds: of any binding that may reach this use (remembered per
/// binding and query), unless a guard for the query's sink holds on every path to it.
fn taint_of_name<'a>(
    model: &SemanticModel<'a>,
    query: &Query,
    name: &'a ast::ExprName,
    scope: ScopeId,
    depth: usize,
) -> Option<Vec<TraceStep>> {
    let identifier = name.id.as_str();
    if let Some((reach, bindings)) = model.reach(identifier, name.range.start(), scope) {
        if is_guarded(reach.guards, query.cleans) {
            return None;
        }
        if !reach.bindings.is_empty() {
            // A container known element by element: what it may hold now.
            if let Some(container) = model.container_at(name, scope) {
                return container.values().into_iter().find_map(|value| {
                    let mut steps = taint_in(model, query, value, scope, depth + 1)?;
                    steps.push(step(format!("`{identifier}` holds it"), value));
                    Some(steps)
                });
            }
            let assigned = reach.bindings.iter().find_map(|index| {
                if is_guarded(reach.guards_of(*index), query.cleans) {
                    return None;
                }
                let binding = bindings.get(usize::try_from(*index).ok()?)?;
                remembered_taint(model, query, identifier, binding, depth)
            });
            if assigned.is_some() || (reach.mutations.is_empty() && !reach.overflow) {
                return assigned;
            }
            // What was put into the object in place: `parts.append(name)`.
            let flow = model.scope_flow(scope)?;
            let added = |mutation: &super::flow::Mutation<'a>| {
                let mut steps = taint_in(model, query, mutation.kind.added()?, scope, depth + 1)?;
                steps.push(TraceStep {
                    message: format!("`{identifier}` holds it"),
                    range: mutation.range,
                    elsewhere: None,
                });
                Some(steps)
            };
            if !reach.overflow {
                return reach
                    .mutations
                    .iter()
                    .find_map(|index| added(flow.mutation(*index)?));
            }
            // Too many changes to follow one by one: any made through the name, worked out
            // once for the scope (remembered under the first binding, marked apart).
            let first = bindings.get(usize::try_from(*reach.bindings.first()?).ok()?)?;
            let key = (
                std::ptr::from_ref(first) as usize | 1,
                query.web_only,
                query.cleans as usize,
                query.key(),
            );
            return model
                .taint_memo
                .get_or_compute(&model.effort, key, None, || {
                    flow.mutations_of(identifier).find_map(added).map(Rc::new)
                })
                .map(|steps| steps.as_ref().clone());
        }
    }
    let binding = model.lookup(identifier, scope, name.range.start())?;
    remembered_taint(model, query, identifier, binding, depth)
}

/// True when `guards` make a value harmless for the query's sink.
fn is_guarded(guards: Guards, cleans: Cleans) -> bool {
    guards.contains(Guards::ALLOWED_VALUE)
        || [
            Guards::CONTAINED_PATH,
            Guards::ALLOWED_HOST,
            Guards::QUOTED_LITERAL,
            Guards::MATCHED,
            Guards::WEB_SCHEME,
        ]
        .into_iter()
        .any(|guard| guards.contains(guard) && cleans(Passage::Checked(guard)))
}

fn remembered_taint<'a>(
    model: &SemanticModel<'a>,
    query: &Query,
    identifier: &str,
    binding: &Binding<'a>,
    depth: usize,
) -> Option<Vec<TraceStep>> {
    let key = (
        std::ptr::from_ref(binding) as usize,
        query.web_only,
        query.cleans as usize,
        query.key(),
    );
    let steps = model
        .taint_memo
        .get_or_compute(&model.effort, key, None, || {
            taint_of_binding(model, query, identifier, binding, depth).map(Rc::new)
        })?;
    Some(steps.as_ref().clone())
}

fn taint_of_binding<'a>(
    model: &SemanticModel<'a>,
    query: &Query,
    identifier: &str,
    binding: &Binding<'a>,
    depth: usize,
) -> Option<Vec<TraceStep>> {
    match &binding.kind {
        BindingKind::AugAssign(value) => {
            // `s += part`: what `s` held before, or the part.
            let mut steps = model
                .reach(identifier, binding.range.start(), binding.scope)
                .and_then(|(reach, bindings)| {
                    reach.bindings.iter().find_map(|index| {
                        let earlier = bindings.get(usize::try_from(*index).ok()?)?;
                        remembered_taint(model, query, identifier, earlier, depth + 1)
                    })
                })
                .or_else(|| taint_in(model, query, value, binding.scope, depth))?;
            steps.push(TraceStep {
                message: format!("`{identifier}` holds it"),
                range: binding.range,
                elsewhere: None,
            });
            Some(steps)
        }
        BindingKind::Assignment(value) | BindingKind::WithItem(value) => {
            let mut steps = taint_in(model, query, value, binding.scope, depth)?;
            steps.push(TraceStep {
                message: format!("`{identifier}` holds it"),
                range: binding.range,
                elsewhere: None,
            });
            Some(steps)
        }
        BindingKind::Parameter { function, .. }
            if query.within.is_some_and(|within| {
                within.function == std::ptr::from_ref(*function) as usize
            }) =>
        {
            // The function is read on behalf of a call: only the parameter being followed
            // is a source.
            let within = query.within?;
            (within.parameter == Some(binding.range.start())).then(|| {
                vec![TraceStep {
                    message: format!(
                        "`{identifier}` is a parameter of `{}`",
                        function.name.id.as_str()
                    ),
                    range: binding.range,
                    elsewhere: None,
                }]
            })
        }
        // `for name in request.form.keys()`: each name is one of the iterable's items.
        BindingKind::LoopTarget(iterable) => {
            let mut steps = taint_in(model, query, iterable, binding.scope, depth)?;
            steps.push(TraceStep {
                message: format!("`{identifier}` takes its values from it"),
                range: binding.range,
                elsewhere: None,
            });
            Some(steps)
        }
        BindingKind::Parameter { function, default }
            if sources::is_route_handler(model, function, binding.scope)
                && sources::is_client_parameter(function, identifier, *default) =>
        {
            Some(vec![TraceStep {
                message: format!(
                    "`{identifier}` is a parameter of the route handler `{}`",
                    function.name.id.as_str()
                ),
                range: binding.range,
                elsewhere: None,
            }])
        }
        BindingKind::Parameter { function, .. }
            if !sources::is_route_handler(model, function, binding.scope) =>
        {
            passed_by_callers(model, query, identifier, Callee::Function(function), depth)
                .or_else(|| passed_from_project(model, query, identifier, function, binding))
        }
        BindingKind::LambdaParameter(lambda) => {
            let address = std::ptr::from_ref(*lambda) as usize;
            if let Some(within) = query.within.filter(|within| within.function == address) {
                return (within.parameter == Some(binding.range.start())).then(|| {
                    vec![TraceStep {
                        message: format!("`{identifier}` is a parameter of the lambda"),
                        range: binding.range,
                        elsewhere: None,
                    }]
                });
            }
            // `run = lambda command: ...`: what the calls of `run` pass.
            let name = model.bound_name(lambda.range)?;
            passed_by_callers(
                model,
                query,
                identifier,
                Callee::Lambda { lambda, name },
                depth,
            )
        }
        _ => None,
    }
}

/// The taint a parameter of a plain function gets from the calls of it in the module: the
/// first caller that passes tainted data.
fn passed_by_callers<'a>(
    model: &SemanticModel<'a>,
    query: &Query,
    parameter: &str,
    function: Callee<'a>,
    depth: usize,
) -> Option<Vec<TraceStep>> {
    let name = match function {
        Callee::Function(definition) if function.name() == "__init__" => {
            model.class_names_of(definition).unwrap_or("__init__")
        }
        _ => function.name(),
    };
    model
        .callers_of(function)
        .into_iter()
        .find_map(|(call, scope, local)| {
            if local.is_receiver(parameter) {
                return None;
            }
            let argument = local.argument(call, parameter)?;
            let mut steps = taint_in(model, query, argument, scope, depth + 1)?;
            steps.push(step(
                format!("it is passed to `{name}` as `{parameter}`"),
                argument,
            ));
            Some(steps)
        })
}

/// How the first step of a trace says that its source is in another module:
/// "`name` is passed to `run` in app/views.py on line 12, where the data comes from
/// `request.args`".
pub const FROM_ANOTHER_MODULE: &str = ", where the data comes from ";

/// The taint a parameter of a top-level function gets from calls in other modules of the
/// project: the steps in the calling module (each with its file and place there), then one
/// step at the parameter that names the caller and the source in words.
fn passed_from_project<'a>(
    model: &SemanticModel<'a>,
    query: &Query,
    parameter: &str,
    function: &'a ast::StmtFunctionDef,
    binding: &Binding<'a>,
) -> Option<Vec<TraceStep>> {
    if !cfg!(feature = "cli") || query.within.is_some() {
        return None;
    }
    let project = model.project?;
    let scope = model.scope_of_function(function)?;
    if model.scopes[scope].parent != Some(super::MODULE_SCOPE) {
        return None;
    }
    let name = function.name.id.as_str();
    let passed = project.passed_in(name, parameter, query.web_only, query.cleans)?;
    let mut steps = passed.steps.clone();
    steps.push(TraceStep {
        message: format!(
            "`{parameter}` is passed to `{name}` {}{FROM_ANOTHER_MODULE}`{}`",
            passed.place(),
            passed.origin
        ),
        range: binding.range,
        elsewhere: None,
    });
    Some(steps)
}

/// The taint of what a call of a function of this module returns: a source read inside it,
/// or an argument that reaches its return value. A function that returns only constants
/// (or sanitised values) gives a clean result.
fn returned_taint<'a>(
    model: &SemanticModel<'a>,
    query: &Query,
    call: &'a ast::ExprCall,
    local: LocalCall<'a>,
    scope: ScopeId,
    depth: usize,
) -> Option<Vec<TraceStep>> {
    let function = local.function;
    let function_scope = function.scope(model)?;
    let returns = function.returned_values();
    let name = function.name();
    let address = function.address();
    let inside = |parameter: Option<TextSize>| {
        let inner = Query {
            within: Some(Within {
                function: address,
                parameter,
            }),
            ..*query
        };
        returns.iter().find_map(|value| {
            let mut steps = taint_in(model, &inner, value, function_scope, depth + 1)?;
            steps.push(step(format!("`{name}` returns it"), *value));
            Some(steps)
        })
    };
    if query.counts_sources() {
        if let Some(steps) = inside(None) {
            return Some(steps);
        }
    }
    for parameter in function.parameters() {
        let parameter_name = parameter.parameter.name.id.as_str();
        if local.is_receiver(parameter_name) {
            continue;
        }
        let Some(argument) = local.argument(call, parameter_name) else {
            continue;
        };
        let Some(mut steps) = taint_in(model, query, argument, scope, depth + 1) else {
            continue;
        };
        let Some(through) = inside(Some(parameter.parameter.name.range.start())) else {
            continue;
        };
        steps.push(step(
            format!("it is passed to `{name}` as `{parameter_name}`"),
            argument,
        ));
        steps.extend(through.into_iter().skip(1));
        return Some(steps);
    }
    None
}

fn is_sys_argv<'a>(model: &SemanticModel<'a>, expr: &'a Expr, scope: ScopeId) -> bool {
    model
        .resolve_in(expr, scope, false, 0)
        .is_some_and(|name| name.segments() == ["sys", "argv"])
}

fn step(message: String, node: &impl Ranged) -> TraceStep {
    TraceStep {
        message,
        range: node.range(),
        elsewhere: None,
    }
}

#[cfg(test)]
mod tests {
    use crate::parse::{ast, parse_module};
    use crate::semantic::{Passage, SemanticModel};

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
        let source = "import django\ndef view(request):\n    request.GET['q']";
        assert_eq!(trace(source).unwrap(), ["`GET` is read from the request"]);
        // Without a web framework, `request` is some other request (an HTTP client's).
        assert!(trace("import requests\ndef send(request):\n    request.url").is_none());
    }

    #[test]
    fn numbers_constants_and_unknown_functions_are_clean() {
        assert!(trace("from flask import request\nint(request.args['n'])").is_none());
        assert!(trace("name = 'fixed'\nf'{name}'").is_none());
        assert!(trace("def helper(x): return x\nhelper(1)").is_none());
        assert!(trace("class request: args = 1\nrequest.args").is_none());
        assert!(trace("import sys\nsys.argv[1]").is_some());
        assert!(trace("from flask import request\nrequest.get_data(as_text=True)").is_some());
        let lookup =
            "from flask import request\nFEEDS = {'a': 'https://a'}\nFEEDS.get(request.args['f'])";
        assert!(trace(lookup).is_none());
    }

    #[test]
    fn boolean_methods_and_comprehensions() {
        let source = "from flask import request\nrequest.args['u'].startswith('https://')";
        assert!(trace(source).is_none());
        let source = "from flask import request\n[t.strip() for t in request.args.getlist('t')]";
        assert_eq!(
            trace(source).unwrap(),
            [
                "`args` is read from the request",
                "`t` takes its values from it"
            ]
        );
        let source = "from flask import request\n[int(t) for t in request.args.getlist('t')]";
        assert!(trace(source).is_none());
    }

    #[test]
    fn loop_names_take_the_taint_of_what_they_loop_over() {
        let source =
            "from flask import request\nfor key, value in request.args.items():\n    pass\nvalue";
        assert_eq!(
            trace(source).unwrap(),
            [
                "`args` is read from the request",
                "`value` takes its values from it"
            ]
        );
        assert!(trace("for name in ['a', 'b']:\n    pass\nname").is_none());
    }

    #[test]
    fn clients_of_aiohttp_and_tornado_have_no_web_requests() {
        let relay = "def relay(request):\n    request.url";
        assert!(trace(&format!("import aiohttp\n{relay}")).is_none());
        assert!(trace(&format!("import tornado.httpclient\n{relay}")).is_none());
        assert!(trace(&format!("from aiohttp import web\n{relay}")).is_some());
        assert!(trace(&format!("import aiohttp.web\n{relay}")).is_some());
        assert!(trace(&format!("from tornado.web import RequestHandler\n{relay}")).is_some());
        // Flask's request has no `match_info`: only aiohttp's does.
        assert!(trace("from flask import request\nrequest.match_info").is_none());
        assert!(trace("from flask import request\nrequest.query_string").is_some());
    }

    #[test]
    fn class_based_views_and_fastapi_parameters() {
        let source = "from django.views import View\nclass V(View):\n    def get(self, request):\n        self.request.GET['q']";
        let parsed = parse_module(source);
        let model = SemanticModel::new(&parsed.body);
        let ast::Stmt::ClassDef(class) = &parsed.body[1] else {
            unreachable!()
        };
        model.enter_definition(class.range.start());
        let ast::Stmt::FunctionDef(method) = &class.body[0] else {
            unreachable!()
        };
        model.enter_definition(method.range.start());
        let ast::Stmt::Expr(statement) = &method.body[0] else {
            unreachable!()
        };
        assert!(model.taint_source_of(&statement.value).is_some());

        let route = "@app.get('/i')\ndef items(q: str, db: Session = Depends(get_db), request: Request = None):\n";
        assert!(trace(&format!("{route}    q")).is_some());
        assert!(trace(&format!("{route}    db")).is_none());
        assert!(trace(&format!("{route}    request")).is_none());
        let patched = "@mock.patch('os.remove')\ndef test_it(remove):\n    remove";
        assert!(trace(&format!("import unittest.mock as mock\n{patched}")).is_none());
    }

    #[test]
    fn rule_sanitizers_end_the_taint() {
        let source = "import os\nfrom flask import request\nos.path.basename(request.args['f'])";
        let parsed = parse_module(source);
        let model = SemanticModel::new(&parsed.body);
        let Some(ast::Stmt::Expr(statement)) = parsed.body.last() else {
            unreachable!()
        };
        let basename: crate::semantic::Cleans =
            |passage: Passage| matches!(passage, Passage::Call(["os", "path", "basename"]));
        assert!(model
            .taint_source_with(&statement.value, basename)
            .is_none());
        assert!(model.taint_source_of(&statement.value).is_some());
        assert!(model
            .request_taint_with(&statement.value, |_| false)
            .is_some());
    }

    #[test]
    fn taint_through_names_built_from_themselves_is_followed_once() {
        let chain = |first: &str, levels: usize, terms: usize| {
            let mut source = format!("from flask import request\nv0 = {first}\n");
            for level in 1..=levels {
                let below = format!("v{}", level - 1);
                let chain = vec![below.as_str(); terms].join(" + ");
                source.push_str(&format!("v{level} = {chain}\n"));
            }
            source.push_str(&format!("v{levels}"));
            source
        };
        // Six levels of 30 terms: 30^6 paths to a clean `v0`, once ran for minutes.
        assert!(trace(&chain("'x'", 6, 30)).is_none());
        let steps = trace(&chain("request.args['q']", 4, 30)).unwrap();
        assert_eq!(steps.first().unwrap(), "`args` is read from the request");
        assert_eq!(steps.last().unwrap(), "`v4` holds it");
    }

    #[test]
    fn web_only_queries_skip_the_command_line() {
        let source = "import sys\nopen(sys.argv[1] + input())";
        let parsed = parse_module(source);
        let model = SemanticModel::new(&parsed.body);
        let Some(ast::Stmt::Expr(statement)) = parsed.body.last() else {
            unreachable!()
        };
        assert!(model.taint_source_of(&statement.value).is_some());
        assert!(model
            .request_taint_with(&statement.value, |_| false)
            .is_none());
    }
}
