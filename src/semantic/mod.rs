//! What names and values mean.
//!
//! Rules never compare source text: they ask this model what a name refers to
//! (`sp.run` is `subprocess.run` when `import subprocess as sp` is in scope, and is
//! nothing we know when `sp` is a parameter) and what a value is (a constant string,
//! or a string built from parts, some of them dynamic).

pub mod ancestors;
mod bindings;
mod bound_names;
mod call_search;
pub(crate) mod calls;
mod conditions;
pub mod constant;
mod containers;
mod effort;
mod flow;
mod formats;
pub mod known_secrets;
mod literals;
pub mod project;
pub mod settings;
mod sources;
mod strings;
mod taint;
#[cfg(test)]
mod tests;

use rustc_hash::FxHashMap as HashMap;
use std::cell::{Cell, OnceCell, RefCell};
use std::rc::Rc;

use smallvec::SmallVec;

use crate::diagnostic::TraceStep;
use crate::parse::ast::{self, Expr};
use crate::parse::{Ranged, TextRange, TextSize};

use effort::{Effort, Memo};

/// Deeper nesting than CPython accepts (about 200 brackets) is not walked; the user is told.
pub(crate) use bindings::MAX_NESTING;
pub use bound_names::target_name;
pub use call_search::body_has_call;
pub use conditions::names_in;
pub use constant::Constant;
pub use flow::Guards;
pub(crate) use flow::MutationKind;
pub use formats::Formatting;
pub use literals::{literal_text, LiteralKind, LiteralText};
pub use sources::{imports_a_framework, is_route_decorator};
pub use strings::StringPart;
pub use taint::{Cleans, Passage, FROM_ANOTHER_MODULE};

/// How far the model follows a name to its value before it gives up.
const MAX_FOLLOW_DEPTH: usize = 12;

pub type ScopeId = usize;
pub const MODULE_SCOPE: ScopeId = 0;

/// How many lambdas and comprehensions before a value are tried as the scope it is in.
const MAX_EXPRESSION_SCOPES_BACK: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    Module,
    Class,
    Function,
    /// A `lambda`: its parameters, for its one expression.
    Lambda,
    /// A list, set or dict comprehension or a generator expression: its loop targets.
    Comprehension,
}

#[derive(Debug)]
pub struct Scope<'a> {
    pub kind: ScopeKind,
    pub parent: Option<ScopeId>,
    bindings: HashMap<&'a str, Vec<Binding<'a>>>,
    /// The code that opens the scope: its statements are what the data flow walks.
    definition: Option<Definition<'a>>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Definition<'a> {
    Module(&'a [ast::Stmt]),
    Class(&'a ast::StmtClassDef),
    Function(&'a ast::StmtFunctionDef),
    Lambda(&'a ast::ExprLambda),
    /// A comprehension or generator expression.
    Comprehension(&'a Expr),
}

impl Definition<'_> {
    /// The code that opens the scope (`None` for the module, which is everything).
    fn range(&self) -> Option<TextRange> {
        match self {
            Definition::Module(_) => None,
            Definition::Class(class) => Some(class.range),
            Definition::Function(function) => Some(function.range),
            Definition::Lambda(lambda) => Some(lambda.range),
            Definition::Comprehension(expr) => Some(expr.range()),
        }
    }
}

/// The flow facts of one scope, worked out when first needed (see [`flow`]).
enum FlowSlot<'a> {
    NotYet,
    /// Being worked out: a question from inside gets no flow facts (and falls back).
    Working,
    Done(Option<Rc<flow::ScopeFlow<'a>>>),
}

/// One place where a name gets a value.
#[derive(Debug, Clone)]
pub struct Binding<'a> {
    pub kind: BindingKind<'a>,
    /// The range of the name itself (the target, the alias, the parameter).
    pub range: TextRange,
    /// Where the binding takes effect: uses after this offset see it.
    pub effective: TextSize,
    pub scope: ScopeId,
}

#[derive(Debug, Clone)]
pub enum BindingKind<'a> {
    /// `import a.b as c` (`c` is `a.b`) or `from a import b as c` (`c` is `a.b`).
    Import(QualifiedName<'a>),
    /// `name = value` (also each element of `a, b = x, y` and `name: T = value`).
    Assignment(&'a Expr),
    /// `name += value`.
    AugAssign(&'a Expr),
    /// A function parameter, with its default when it has one.
    Parameter {
        function: &'a ast::StmtFunctionDef,
        default: Option<&'a Expr>,
    },
    /// A parameter of a `lambda`.
    LambdaParameter(&'a ast::ExprLambda),
    FunctionDef(&'a ast::StmtFunctionDef),
    ClassDef(&'a ast::StmtClassDef),
    /// `with context as name`.
    WithItem(&'a Expr),
    /// A name in the target of a `for` loop, with the iterable it takes its values from:
    /// `for key, value in request.args.items()`.
    LoopTarget(&'a Expr),
    /// `except ... as name`, a deletion, anything else.
    Other,
}

/// A dotted name as segments: `["subprocess", "run"]`.
///
/// Builtins resolve to `["builtins", name]`; the value a call returns is marked with a
/// `"()"` segment by [`SemanticModel::resolve_value_origin`]; relative imports start with
/// one `"."` segment per dot (`from ..x import y` is `[".", ".", "x", "y"]`).
#[derive(Debug, PartialEq, Eq)]
pub struct QualifiedName<'a>(SmallVec<[&'a str; 4]>);

// SmallVec's own `clone` goes element by element; segments are `Copy`, so one copy does.
impl Clone for QualifiedName<'_> {
    fn clone(&self) -> Self {
        Self(SmallVec::from_slice(&self.0))
    }
}

impl<'a> QualifiedName<'a> {
    pub fn segments(&self) -> &[&'a str] {
        &self.0
    }

    pub fn from_dotted(dotted: &'a str) -> Self {
        Self(dotted.split('.').collect())
    }

    pub(crate) fn from_segments(segments: &[&'a str]) -> Self {
        Self(SmallVec::from_slice(segments))
    }

    fn with(mut self, segment: &'a str) -> Self {
        self.0.push(segment);
        self
    }

    pub fn is_builtin(&self, name: &str) -> bool {
        self.segments() == ["builtins", name]
    }
}

impl std::fmt::Display for QualifiedName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("."))
    }
}

/// The meaning of every name in one module.
pub struct SemanticModel<'a> {
    scopes: Vec<Scope<'a>>,
    /// The scope a function or class body opens, keyed by the statement's start.
    scope_of_definition: HashMap<TextSize, ScopeId>,
    /// The scopes of lambdas and comprehensions, by where they start.
    expression_scopes: Vec<(TextRange, ScopeId)>,
    current_scope: Cell<ScopeId>,
    /// Module-wide yes/no answers rules compute once (see [`SemanticModel::module_fact`]).
    module_facts: RefCell<Vec<(&'static str, bool)>>,
    /// Modules imported anywhere, by their first segment: a cheap "is this in use at all".
    imported_roots: ImportedRoots<'a>,
    /// The module-level names that some import binds, sorted.
    module_imports: Vec<&'a str>,
    /// Whether `pytest` or `unittest` is imported, asked for every statement.
    is_test_module: bool,
    /// Whether the caller knows the module is test code from its path (the CLI's
    /// `Options::test_code`); the browser's snippet never is.
    is_test_file: bool,
    /// Whether the module reads `input()` or `sys.argv`, or decorates route handlers: with
    /// no web framework imported either, nothing in it can be tainted.
    reads_user_input: bool,
    /// The latest name resolved in each mode: every call check asks about the same callee.
    recently_resolved: RefCell<RecentlyResolved<'a>>,
    /// What following values may still cost (see [`effort`]).
    effort: Effort,
    /// Every call by the name it calls, once asked (see [`calls`]).
    call_sites: calls::CallSitesCell<'a>,
    /// What each class's methods assign to `self.name`, once asked.
    attribute_writes: RefCell<HashMap<ScopeId, calls::AttributeWrites<'a>>>,
    /// The flow facts of each scope, by scope id.
    flows: RefCell<Vec<FlowSlot<'a>>>,
    /// The string each binding holds, per way of following names.
    string_memo: Memo<(usize, strings::Follow), Option<Rc<Vec<StringPart<'a>>>>>,
    /// Where the value of each binding came from, per taint query.
    taint_memo: Memo<taint::TaintKey, Option<Rc<Vec<TraceStep>>>>,
    /// The name each value is written to (see [`Self::bound_name`]), once asked.
    bound_names: OnceCell<HashMap<TextRange, &'a str>>,
    /// How each value is formatted into a string (see [`Self::formatting_of`]), once asked.
    formats: OnceCell<HashMap<usize, Formatting<'a>>>,
    /// The `for` loop of each loop target that is a plain name, by the name's range.
    loop_targets: HashMap<TextRange, &'a ast::StmtFor>,
    body: &'a [ast::Stmt],
    /// The project this module is checked in, when there is one (see [`project`]).
    project: Option<&'a project::ProjectModule>,
}

/// The first segment of every module imported anywhere in a module, behind a one-word
/// filter: most questions are about modules that are not imported, and the filter answers
/// nearly all of those without hashing the name.
#[derive(Default)]
pub(crate) struct ImportedRoots<'a> {
    roots: rustc_hash::FxHashSet<&'a str>,
    filter: u64,
}

impl<'a> ImportedRoots<'a> {
    fn filter_bit(module: &str) -> u64 {
        let bytes = module.as_bytes();
        let first = usize::from(bytes.first().copied().unwrap_or(0));
        let last = usize::from(bytes.last().copied().unwrap_or(0));
        1 << ((bytes.len() * 7 + first * 3 + last) % 64)
    }

    pub(crate) fn insert(&mut self, root: &'a str) {
        self.filter |= Self::filter_bit(root);
        self.roots.insert(root);
    }

    pub(crate) fn contains(&self, module: &str) -> bool {
        self.filter & Self::filter_bit(module) != 0 && self.roots.contains(module)
    }
}

/// What a resolution is remembered by: the node (its address), the scope it was asked
/// from, and whether values returned by calls were followed.
#[derive(Clone, Copy, PartialEq, Eq)]
struct ResolutionKey {
    node: usize,
    scope: ScopeId,
    through_calls: bool,
}

/// The latest resolution in each mode (with and without following calls).
#[derive(Default)]
struct RecentlyResolved<'a> {
    entries: [Option<(ResolutionKey, Option<QualifiedName<'a>>)>; 2],
}

impl<'a> RecentlyResolved<'a> {
    fn get(&self, key: ResolutionKey) -> Option<&Option<QualifiedName<'a>>> {
        match &self.entries[usize::from(key.through_calls)] {
            Some((entry, name)) if *entry == key => Some(name),
            _ => None,
        }
    }

    fn insert(&mut self, key: ResolutionKey, name: Option<QualifiedName<'a>>) {
        self.entries[usize::from(key.through_calls)] = Some((key, name));
    }
}

const BUILTINS: &[&str] = &[
    "open",
    "eval",
    "exec",
    "compile",
    "input",
    "__import__",
    "getattr",
    "setattr",
    "print",
    "str",
    "int",
    "bytes",
    "len",
    "format",
    "dict",
    "list",
    "tuple",
    "repr",
];

impl<'a> SemanticModel<'a> {
    pub fn new(body: &'a [ast::Stmt]) -> Self {
        bindings::collect(body)
    }

    /// The model of a module checked in a project: names imported from the project's other
    /// modules are followed to their values through the project's index.
    pub fn in_project(body: &'a [ast::Stmt], project: Option<&'a project::ProjectModule>) -> Self {
        let mut model = bindings::collect(body);
        model.project = project;
        model
    }

    /// Marks the module as test code by its path (`tests/`, `test_*.py`, ...).
    pub(crate) fn set_test_file(&mut self, is_test_file: bool) {
        self.is_test_file = is_test_file;
    }

    /// The constant another project module gives a name: `qualified` as an import binds it
    /// (`app.settings.SECRET`, or `.settings.SECRET` relative to this module). `None`
    /// without a project.
    pub fn project_constant(&self, qualified: &QualifiedName) -> Option<project::Constant<'a>> {
        // Only the command line checks projects (and the browser build leaves this out).
        if !cfg!(feature = "cli") {
            return None;
        }
        let project = self.project?;
        if !self.effort.spend() {
            return None;
        }
        project.constant(qualified.segments())
    }

    /// The function of another project module that a call's function names
    /// (`build_query` with `from .db import build_query`, `db.build_query`), when what it
    /// returns is summarised.
    pub(crate) fn project_function(
        &self,
        func: &'a Expr,
        scope: ScopeId,
    ) -> Option<&'a project::FunctionSummary> {
        self.project_callee(func, scope)
            .filter(|function| function.returns_known)
    }

    /// The function of another project module that a call's function names, whatever it
    /// returns.
    pub(crate) fn project_callee(
        &self,
        func: &'a Expr,
        scope: ScopeId,
    ) -> Option<&'a project::FunctionSummary> {
        // Only the command line checks projects (and the browser build leaves this out).
        if !cfg!(feature = "cli") {
            return None;
        }
        let project = self.project?;
        let qualified = self.resolve_in(func, scope, false, 0)?;
        if !self.effort.spend() {
            return None;
        }
        project.function(qualified.segments())
    }

    /// The constant another project module gives an imported name or a module attribute
    /// (`settings.SECRET` with `from app import settings`), looked up from `scope`.
    pub(crate) fn project_constant_of(
        &self,
        expr: &'a Expr,
        scope: ScopeId,
        depth: usize,
    ) -> Option<project::Constant<'a>> {
        // Only the command line checks projects (and the browser build leaves this out).
        if !cfg!(feature = "cli") {
            return None;
        }
        self.project?;
        let qualified = self.resolve_in(expr, scope, false, depth + 1)?;
        self.project_constant(&qualified)
    }

    pub fn body(&self) -> &'a [ast::Stmt] {
        self.body
    }

    /// True when the module imports a test framework (`pytest`, `unittest`): test code.
    pub fn is_test_module(&self) -> bool {
        self.is_test_module
    }

    /// True when the caller said the module is a test file (its path, see
    /// [`crate::Options::test_code`]): rules that report in tests can still tell fixtures
    /// from findings there.
    pub fn is_test_file(&self) -> bool {
        self.is_test_file
    }

    /// True when some import in the module starts with `module` (`"yaml"`, `"django"`).
    pub fn has_import(&self, module: &str) -> bool {
        self.imported_roots.contains(module)
    }

    /// True when the module imports any of `modules` (see [`Self::has_import`]).
    pub fn has_any_import(&self, modules: &[&str]) -> bool {
        modules.iter().any(|module| self.has_import(module))
    }

    /// The walk moved to another node: the questions about it get a fresh budget.
    pub(crate) fn next_node(&self) {
        self.effort.next_node();
    }

    pub fn current_scope(&self) -> ScopeId {
        self.current_scope.get()
    }

    /// True when the code being checked runs when a function is called, not when the
    /// module or class body runs: inside a function or a lambda, comprehensions included.
    pub fn in_function_body(&self) -> bool {
        let mut scope = &self.scopes[self.current_scope()];
        while scope.kind == ScopeKind::Comprehension {
            let Some(parent) = scope.parent else {
                return false;
            };
            scope = &self.scopes[parent];
        }
        matches!(scope.kind, ScopeKind::Function | ScopeKind::Lambda)
    }

    pub fn scope(&self, id: ScopeId) -> &Scope<'a> {
        &self.scopes[id]
    }

    pub(crate) fn enter_definition(&self, definition_start: TextSize) -> Option<ScopeId> {
        let scope = *self.scope_of_definition.get(&definition_start)?;
        let previous = self.current_scope.replace(scope);
        Some(previous)
    }

    pub(crate) fn restore_scope(&self, scope: ScopeId) {
        self.current_scope.set(scope);
    }

    /// The binding a name use at `at` sees, looking outwards from `scope` the way Python does
    /// (class bodies are not visible from the functions inside them).
    pub fn lookup(&self, name: &str, scope: ScopeId, at: TextSize) -> Option<&Binding<'a>> {
        self.lookup_among(name, scope, at)
            .map(|(binding, _)| binding)
    }

    /// Like [`Self::lookup`], with every binding of the name in the scope that binds it.
    pub(crate) fn lookup_among(
        &self,
        name: &str,
        scope: ScopeId,
        at: TextSize,
    ) -> Option<(&Binding<'a>, &[Binding<'a>])> {
        let mut current = Some(scope);
        let mut is_use_scope = true;
        while let Some(id) = current {
            let scope = &self.scopes[id];
            if is_use_scope || scope.kind != ScopeKind::Class {
                if let Some(bindings) = scope.bindings.get(name) {
                    // The last binding in effect at `at` (they are sorted by `effective`).
                    let in_effect = bindings.partition_point(|binding| binding.effective <= at);
                    let binding = in_effect
                        .checked_sub(1)
                        .map_or_else(|| bindings.last(), |index| bindings.get(index))?;
                    return Some((binding, bindings));
                }
            }
            is_use_scope = false;
            current = scope.parent;
        }
        None
    }

    /// The binding of a `Name` expression in the current scope.
    pub fn binding_of(&self, name: &ast::ExprName) -> Option<&Binding<'a>> {
        self.lookup(name.id.as_str(), self.current_scope(), name.range.start())
    }

    /// The scope an expression is in: the current one, unless the expression lies outside
    /// it (a value inside a helper whose result a rule is looking at), then the innermost
    /// function or class that holds it.
    pub(crate) fn scope_enclosing(&self, range: TextRange) -> ScopeId {
        let holds = |scope: &Scope<'a>| {
            scope
                .definition
                .and_then(|definition| definition.range())
                .is_none_or(|opened| opened.contains_range(range))
        };
        let current = self.current_scope();
        // A lambda or comprehension inside the code being checked.
        if let Some(inner) = self.expression_scope_holding(range) {
            return inner;
        }
        if holds(&self.scopes[current]) {
            return current;
        }
        let length = |scope: &Scope<'a>| {
            scope
                .definition
                .and_then(|definition| definition.range())
                .map_or(TextSize::from(u32::MAX), TextRange::len)
        };
        (0..self.scopes.len())
            .filter(|id| holds(&self.scopes[*id]))
            .min_by_key(|id| length(&self.scopes[*id]))
            .unwrap_or(MODULE_SCOPE)
    }

    /// The scope a lambda or comprehension opens.
    pub(crate) fn scope_opened_by(&self, expr: &Expr) -> Option<ScopeId> {
        self.scope_of_definition.get(&expr.start()).copied()
    }

    /// The innermost lambda or comprehension that holds `range`, looking back over a few.
    fn expression_scope_holding(&self, range: TextRange) -> Option<ScopeId> {
        let after = self
            .expression_scopes
            .partition_point(|(opened, _)| opened.start() <= range.start());
        self.expression_scopes[..after]
            .iter()
            .rev()
            .take(MAX_EXPRESSION_SCOPES_BACK)
            .find(|(opened, _)| opened.contains_range(range))
            .map(|(_, scope)| *scope)
    }

    /// The flow facts of `scope`, worked out on first use; `None` while they are being
    /// worked out or when the budget ran out.
    pub(crate) fn scope_flow(&self, scope: ScopeId) -> Option<Rc<flow::ScopeFlow<'a>>> {
        match self.flows.borrow().get(scope)? {
            FlowSlot::Done(flow) => return flow.clone(),
            FlowSlot::Working => return None,
            FlowSlot::NotYet => {}
        }
        self.flows.borrow_mut()[scope] = FlowSlot::Working;
        let flow = flow::scope_flow(self, scope).map(Rc::new);
        self.flows.borrow_mut()[scope] = FlowSlot::Done(flow.clone());
        flow
    }

    /// The scope whose flow follows `name` at a use in `scope`. A comprehension or lambda
    /// has no flow of its own: for a name it does not bind, the flow of the code around it
    /// (which walks into it) says what reaches.
    pub(super) fn flow_scope_of(&self, name: &str, mut scope: ScopeId) -> Option<ScopeId> {
        while matches!(
            self.scopes[scope].kind,
            ScopeKind::Comprehension | ScopeKind::Lambda
        ) && !self.scopes[scope].bindings.contains_key(name)
        {
            scope = self.scopes[scope].parent?;
        }
        Some(scope)
    }

    /// What reaches the use of a name at `use_start` in `scope`: the bindings of the name in
    /// that very scope that may hold (none when it belongs to an enclosing scope), and the
    /// guards on every path. `None` when the flow is not known.
    pub(crate) fn reach(
        &self,
        name: &str,
        use_start: TextSize,
        scope: ScopeId,
    ) -> Option<(flow::Reach, &[Binding<'a>])> {
        let scope = self.flow_scope_of(name, scope)?;
        let bindings = self.scopes[scope]
            .bindings
            .get(name)
            .map_or(&[][..], Vec::as_slice);
        let flow = self.scope_flow(scope)?;
        let reach = flow.at(use_start)?.clone();
        Some((reach, bindings))
    }

    /// True when every path to this use of `name` checked it against a fixed set of values
    /// (`if col not in COLUMNS: abort(400)`, `if mode == "fast":`): whatever it holds there,
    /// the code chose it.
    pub fn is_allow_listed(&self, name: &ast::ExprName) -> bool {
        self.reach(name.id.as_str(), name.range.start(), self.current_scope())
            .is_some_and(|(reach, _)| reach.guards.contains(flow::Guards::ALLOWED_VALUE))
    }

    /// The bindings that may hold at a use of `name` (see [`Self::reach`]); `None` when
    /// only the binding in effect is known.
    pub(crate) fn reaching_definitions(
        &self,
        name: &ast::ExprName,
        scope: ScopeId,
    ) -> Option<Vec<&Binding<'a>>> {
        let (reach, bindings) = self.reach(name.id.as_str(), name.range.start(), scope)?;
        if reach.bindings.is_empty() {
            return None;
        }
        reach
            .bindings
            .iter()
            .map(|index| bindings.get(usize::try_from(*index).ok()?))
            .collect()
    }

    /// The bindings of `name` that may hold at this use in the current scope: those the data
    /// flow says reach it, or every binding of the name in its scope when the flow does not
    /// know. Empty when the name is bound nowhere.
    pub fn bindings_reaching(&self, name: &ast::ExprName) -> Vec<&Binding<'a>> {
        if let Some(reaching) = self.reaching_definitions(name, self.current_scope()) {
            return reaching;
        }
        self.binding_of(name).map_or_else(Vec::new, |binding| {
            self.bindings_in(binding.scope, name.id.as_str())
                .iter()
                .collect()
        })
    }

    /// The in-place changes that may have been made to what `name` holds before this use
    /// (`items.append(x)`, `d[k] = v`, `fill(items)`), in source order; `None` when there
    /// are too many to follow or the flow is not known.
    pub(crate) fn changes_before(
        &self,
        name: &ast::ExprName,
    ) -> Option<Vec<flow::MutationKind<'a>>> {
        let scope = self.current_scope();
        let (reach, _) = self.reach(name.id.as_str(), name.range.start(), scope)?;
        if reach.overflow {
            return None;
        }
        let flow = self.scope_flow(self.flow_scope_of(name.id.as_str(), scope)?)?;
        let mut changes: Vec<_> = reach
            .mutations
            .iter()
            .filter_map(|index| flow.mutation(*index))
            .collect();
        changes.sort_by_key(|mutation| mutation.range.start());
        Some(changes.into_iter().map(|mutation| mutation.kind).collect())
    }

    /// The value an expression always has in `scope`, when it is a constant.
    pub(crate) fn constant_in(&self, expr: &'a Expr, scope: ScopeId) -> Option<Constant> {
        let names = constant::FlowNames { model: self, scope };
        constant::evaluate(expr, &names, self, scope, 0)
    }

    /// All bindings of `name` in `scope` itself, in the order they take effect (source
    /// order, but for a class name, which takes effect after its body).
    pub fn bindings_in(&self, scope: ScopeId, name: &str) -> &[Binding<'a>] {
        self.scopes[scope]
            .bindings
            .get(name)
            .map_or(&[], Vec::as_slice)
    }

    /// The name the value at `range` is bound to where it is written: the assignment target,
    /// the keyword, the dict key or the parameter whose default it is. `None` for a
    /// positional argument and the like.
    pub fn bound_name(&self, range: TextRange) -> Option<&'a str> {
        self.bound_names
            .get_or_init(|| bound_names::collect(self.body))
            .get(&range)
            .copied()
    }

    /// How `value` is formatted into a string by the expression right around it: an
    /// f-string field with a format spec, or an operand of `%`. `None` for anything else.
    pub fn formatting_of(&self, value: &Expr) -> Option<Formatting<'a>> {
        self.formats
            .get_or_init(|| formats::collect(self.body))
            .get(&formats::key(value))
            .copied()
    }

    /// The `for` loop whose target is exactly the name of `binding` (`for name in ...`).
    pub fn loop_of(&self, binding: &Binding<'a>) -> Option<&'a ast::StmtFor> {
        self.loop_targets
            .get(&binding.range)
            .copied()
            .filter(|for_loop| for_loop.target.is_name_expr())
    }

    /// The `for` loop whose tuple target binds `binding` (`key` in `for key, value in
    /// table.items()`).
    pub fn unpacking_loop_of(&self, binding: &Binding<'a>) -> Option<&'a ast::StmtFor> {
        self.loop_targets
            .get(&binding.range)
            .copied()
            .filter(|for_loop| for_loop.target.is_tuple_expr())
    }

    /// A yes/no fact about the whole module ("is this a settings module?"), computed by the
    /// first rule that asks and remembered for the rest of the walk.
    pub fn module_fact(&self, fact: &'static str, compute: impl FnOnce() -> bool) -> bool {
        if let Some((_, known)) = self
            .module_facts
            .borrow()
            .iter()
            .find(|(name, _)| *name == fact)
        {
            return *known;
        }
        let answer = compute();
        self.module_facts.borrow_mut().push((fact, answer));
        answer
    }

    /// Every name bound at module level, with its bindings in source order.
    pub fn module_bindings(&self) -> impl Iterator<Item = (&'a str, &[Binding<'a>])> + '_ {
        self.scopes[MODULE_SCOPE]
            .bindings
            .iter()
            .map(|(name, bindings)| (*name, bindings.as_slice()))
    }

    /// Every module-level name that an import binds, with all its bindings in source order.
    pub fn module_imports(&self) -> impl Iterator<Item = (&'a str, &[Binding<'a>])> + '_ {
        self.module_imports.iter().filter_map(|name| {
            let bindings = self.scopes[MODULE_SCOPE].bindings.get(name)?;
            Some((*name, bindings.as_slice()))
        })
    }

    /// What an expression names, through imports and aliases: `sp.run` → `subprocess.run`.
    /// `None` for anything that is not an imported or builtin name (a local function,
    /// a parameter, a call result).
    pub fn resolve_qualified_name(&self, expr: &'a Expr) -> Option<QualifiedName<'a>> {
        self.resolve_remembered(expr, false)
    }

    /// Like [`Self::resolve_qualified_name`], but also follows values returned by calls, marked
    /// with a `"()"` segment: with `conn = sqlite3.connect(path)`, `conn.cursor` resolves to
    /// `sqlite3.connect.().cursor`.
    pub fn resolve_value_origin(&self, expr: &'a Expr) -> Option<QualifiedName<'a>> {
        self.resolve_remembered(expr, true)
    }

    fn resolve_remembered(&self, expr: &'a Expr, through_calls: bool) -> Option<QualifiedName<'a>> {
        if !matches!(expr, Expr::Name(_) | Expr::Attribute(_)) {
            return self.resolve_in(expr, self.current_scope(), through_calls, 0);
        }
        let key = ResolutionKey {
            node: std::ptr::from_ref(expr) as usize,
            scope: self.current_scope(),
            through_calls,
        };
        let recent = self.recently_resolved.borrow();
        if let Some(name) = recent.get(key) {
            return name.clone();
        }
        // A name found without following calls is what following them finds too: the
        // modes only differ where a call, an `await` or a `with` stopped the first one.
        let without_calls = ResolutionKey {
            through_calls: false,
            ..key
        };
        let known = match recent.get(without_calls) {
            Some(Some(name)) if through_calls => Some(name.clone()),
            _ => None,
        };
        drop(recent);
        let name = known.or_else(|| self.resolve_in(expr, self.current_scope(), through_calls, 0));
        self.recently_resolved
            .borrow_mut()
            .insert(key, name.clone());
        name
    }

    fn resolve_in(
        &self,
        expr: &'a Expr,
        scope: ScopeId,
        through_calls: bool,
        depth: usize,
    ) -> Option<QualifiedName<'a>> {
        if depth > MAX_FOLLOW_DEPTH {
            self.effort.cut_short();
            return None;
        }
        match expr {
            Expr::Name(name) => {
                let Some((binding, all)) =
                    self.lookup_among(name.id.as_str(), scope, name.range.start())
                else {
                    let builtin = BUILTINS
                        .iter()
                        .find(|builtin| **builtin == name.id.as_str())?;
                    return Some(QualifiedName::from_segments(&["builtins", builtin]));
                };
                // Following a name to its value is bounded by depth and takes one branch:
                // a few steps a question, counted like every other analysis's.
                match &binding.kind {
                    BindingKind::Import(qualified) => Some(qualified.clone()),
                    // Bound once in its scope (see `is_single_assignment`).
                    BindingKind::Assignment(value) if all.len() == 1 && self.effort.spend() => {
                        self.resolve_in(value, binding.scope, through_calls, depth + 1)
                    }
                    BindingKind::WithItem(context) if through_calls && self.effort.spend() => {
                        self.resolve_in(context, binding.scope, through_calls, depth + 1)
                    }
                    _ => None,
                }
            }
            Expr::Attribute(attribute) => {
                let base = self.resolve_in(&attribute.value, scope, through_calls, depth + 1)?;
                Some(base.with(attribute.attr.id.as_str()))
            }
            Expr::Call(call) if through_calls => {
                let function = self.resolve_in(&call.func, scope, through_calls, depth + 1)?;
                Some(function.with("()"))
            }
            // `conn = await asyncpg.connect(dsn)`: the awaited call's result.
            Expr::Await(awaited) if through_calls => {
                self.resolve_in(&awaited.value, scope, through_calls, depth + 1)
            }
            _ => None,
        }
    }

    /// An alias like `run = subprocess.run` is followed only when the name is bound once in
    /// its scope, so a later rebinding cannot make us wrong about which value a use sees.
    fn is_single_assignment(&self, binding: &Binding<'a>, name: &ast::ExprName) -> bool {
        self.bindings_in(binding.scope, name.id.as_str()).len() == 1
    }

    /// The expression last assigned to `name` before this use, when the binding is a plain
    /// assignment or a `with ... as` (the value a local variable holds).
    ///
    /// A name inside the very value it is assigned (`x = [x]`, with no `x` before) does not
    /// hold that value, and rules that follow names from value to value would go round for
    /// ever; following costs a step of the shared budget too, so longer cycles end.
    pub fn assigned_value(&self, name: &ast::ExprName) -> Option<&'a Expr> {
        match self.binding_of(name)?.kind {
            BindingKind::Assignment(value)
                if !value.range().contains_range(name.range) && self.effort.spend() =>
            {
                Some(value)
            }
            _ => None,
        }
    }

    /// The parameter `name` is, with its function, when it is one of a `def`'s parameters
    /// (not `*args` or `**kwargs`).
    pub fn parameter_of(
        &self,
        name: &ast::ExprName,
    ) -> Option<(&'a ast::StmtFunctionDef, &'a ast::Parameter)> {
        let BindingKind::Parameter { function, .. } = self.binding_of(name)?.kind else {
            return None;
        };
        let parameters = &function.parameters;
        let parameter = parameters
            .posonlyargs
            .iter()
            .chain(&parameters.args)
            .chain(&parameters.kwonlyargs)
            .map(|parameter| &parameter.parameter)
            .find(|parameter| parameter.name.id == name.id)?;
        Some((function, parameter))
    }

    /// The compile-time value of a string expression: literals, implicit concatenation,
    /// names assigned once to a constant, and f-strings / `%` / `.format` / `+` whose parts
    /// are all constant. `None` when any part is dynamic.
    pub fn constant_string(&self, expr: &'a Expr) -> Option<String> {
        strings::constant_string(self, expr, self.current_scope(), 0)
    }

    pub fn is_constant_string(&self, expr: &'a Expr) -> bool {
        self.constant_string(expr).is_some()
    }

    /// The parts a string is built from, following local variables and `+=`: literal text
    /// and dynamic expressions, in order. `None` when `expr` is not string-building at all.
    pub fn string_parts(&self, expr: &'a Expr) -> Option<Vec<StringPart<'a>>> {
        strings::string_parts(self, expr, self.current_scope(), strings::Follow::Reaching)
    }

    /// Like [`Self::string_parts`], but a name is followed only when it is assigned exactly
    /// once (never through `+=`), so every literal part is text the expression always
    /// produces: what a rewrite may inline. Other names are dynamic parts.
    pub fn string_parts_assigned_once(&self, expr: &'a Expr) -> Option<Vec<StringPart<'a>>> {
        strings::string_parts(
            self,
            expr,
            self.current_scope(),
            strings::Follow::AssignedOnce,
        )
    }

    /// True when an expression is a literal `True` (directly or through a constant name).
    pub fn is_true(&self, expr: &'a Expr) -> bool {
        match expr {
            Expr::BooleanLiteral(literal) => literal.value,
            Expr::Name(name) => match self.binding_of(name) {
                Some(
                    binding @ Binding {
                        kind: BindingKind::Assignment(value),
                        ..
                    },
                ) if self.is_single_assignment(binding, name) => {
                    matches!(value, Expr::BooleanLiteral(literal) if literal.value)
                }
                // `from .settings import DEBUG`, checked in its project.
                Some(
                    binding @ Binding {
                        kind: BindingKind::Import(qualified),
                        ..
                    },
                ) if self.is_single_assignment(binding, name) => matches!(
                    self.project_constant(qualified),
                    Some(project::Constant::Bool(true))
                ),
                _ => false,
            },
            _ => false,
        }
    }
}

/// The keyword argument `name` of a call.
pub fn keyword<'e>(call: &'e ast::ExprCall, name: &str) -> Option<&'e ast::Keyword> {
    call.arguments.keywords.iter().find(|keyword| {
        keyword
            .arg
            .as_ref()
            .is_some_and(|arg| arg.id.as_str() == name)
    })
}

/// The argument at `position`, or the keyword `name` when it is passed by name.
pub fn argument<'e>(call: &'e ast::ExprCall, position: usize, name: &str) -> Option<&'e Expr> {
    keyword(call, name)
        .map(|keyword| &keyword.value)
        .or_else(|| {
            call.arguments
                .args
                .get(position)
                .filter(|arg| !arg.is_starred_expr())
        })
}

/// Does the call pass arguments we cannot place: `f(*args)` or `f(**options)`?
pub fn spreads_arguments(call: &ast::ExprCall) -> bool {
    call.arguments.args.iter().any(Expr::is_starred_expr)
        || call
            .arguments
            .keywords
            .iter()
            .any(|keyword| keyword.arg.is_none())
}

/// The index of the statement in `block` that holds `range`, found by binary search
/// (statements in a block are in source order and do not overlap).
pub fn statement_containing(block: &[ast::Stmt], range: TextRange) -> Option<usize> {
    let index = block.partition_point(|stmt| stmt.end() < range.end());
    block
        .get(index)
        .filter(|stmt| stmt.range().contains_range(range))
        .map(|_| index)
}

#[cfg(test)]
mod value_origin_tests {
    use crate::parse::{ast, parse_module};

    use super::SemanticModel;

    #[test]
    fn value_origin_follows_awaited_calls_and_with_items() {
        let source = "import asyncpg\nasync def f():\n    conn = await asyncpg.connect(dsn)\n    conn.fetch\n";
        let parsed = parse_module(source);
        let model = SemanticModel::new(&parsed.body);
        let ast::Stmt::FunctionDef(function) = &parsed.body[1] else {
            panic!("the second statement is the function");
        };
        let ast::Stmt::Expr(use_) = &function.body[1] else {
            panic!("the function ends with an expression");
        };
        let previous = model.enter_definition(function.range.start());
        let origin = model
            .resolve_value_origin(&use_.value)
            .map(|name| name.to_string());
        if let Some(previous) = previous {
            model.restore_scope(previous);
        }
        assert_eq!(origin.as_deref(), Some("asyncpg.connect.().fetch"));
    }
}
