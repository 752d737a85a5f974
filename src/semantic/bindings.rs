//! The first pass: every scope and every binding in a module.

use rustc_hash::FxHashMap as HashMap;
use std::cell::{Cell, RefCell};

use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::{Ranged, TextRange, TextSize};

use super::effort::Effort;
use super::{
    Binding, BindingKind, Definition, FlowSlot, ImportedRoots, QualifiedName, Scope, ScopeId,
    ScopeKind, SemanticModel, MODULE_SCOPE,
};

/// Deeper nesting than this is not followed (CPython itself refuses ~200 nested brackets).
pub(crate) const MAX_NESTING: usize = 200;

pub(super) fn collect(body: &[Stmt]) -> SemanticModel<'_> {
    let mut collector = Collector {
        scopes: vec![Scope {
            kind: ScopeKind::Module,
            parent: None,
            bindings: HashMap::default(),
            definition: Some(Definition::Module(body)),
        }],
        scope_of_definition: HashMap::default(),
        expression_scopes: Vec::new(),
        stack: vec![MODULE_SCOPE],
        globals: Vec::new(),
        imported_roots: Default::default(),
        statement_end: TextSize::default(),
        reads_user_input: false,
        loop_targets: HashMap::default(),
        depth: 0,
    };
    collector.visit_body(body);
    // Lookups binary-search each name's bindings by where they take effect. They are
    // collected in that order but for rare cases (a walrus in a decorator binds after the
    // function it decorates); a stable sort keeps source order among equals.
    for scope in &mut collector.scopes {
        for bindings in scope.bindings.values_mut() {
            if !bindings.is_sorted_by_key(|binding| binding.effective) {
                bindings.sort_by_key(|binding| binding.effective);
            }
        }
    }
    // A comprehension's first iterable (and a lambda's defaults) is visited before its own
    // scope opens, so a scope inside them is pushed first.
    collector
        .expression_scopes
        .sort_by_key(|(range, _)| range.start());
    let mut module_imports: Vec<&str> = collector.scopes[MODULE_SCOPE]
        .bindings
        .iter()
        .filter(|(_, bindings)| {
            bindings
                .iter()
                .any(|binding| matches!(binding.kind, BindingKind::Import(_)))
        })
        .map(|(name, _)| *name)
        .collect();
    module_imports.sort_unstable();
    let scope_count = collector.scopes.len();
    SemanticModel {
        module_imports,
        scopes: collector.scopes,
        scope_of_definition: collector.scope_of_definition,
        expression_scopes: collector.expression_scopes,
        current_scope: Cell::new(MODULE_SCOPE),
        module_facts: Default::default(),
        reads_user_input: collector.reads_user_input,
        is_test_module: ["pytest", "unittest"]
            .iter()
            .any(|module| collector.imported_roots.contains(module)),
        is_test_file: false,
        imported_roots: collector.imported_roots,
        recently_resolved: Default::default(),
        effort: Effort::for_module(body.last().map_or(0, |stmt| stmt.end().to_usize())),
        string_memo: Default::default(),
        call_sites: Default::default(),
        attribute_writes: Default::default(),
        flows: RefCell::new(
            std::iter::repeat_with(|| FlowSlot::NotYet)
                .take(scope_count)
                .collect(),
        ),
        taint_memo: Default::default(),
        bound_names: Default::default(),
        formats: Default::default(),
        loop_targets: collector.loop_targets,
        body,
        project: None,
    }
}

struct Collector<'a> {
    scopes: Vec<Scope<'a>>,
    scope_of_definition: HashMap<TextSize, ScopeId>,
    /// Lambdas and comprehensions, in the order they start.
    expression_scopes: Vec<(TextRange, ScopeId)>,
    stack: Vec<ScopeId>,
    /// Names declared `global` in each open function scope.
    globals: Vec<(ScopeId, &'a str)>,
    imported_roots: ImportedRoots<'a>,
    /// End of the statement being visited: where its bindings take effect.
    statement_end: TextSize,
    /// Whether the module reads `input()` or `sys.argv`, or has route handlers.
    reads_user_input: bool,
    /// The `for` loop of each loop target that is a plain name, by the name's range.
    loop_targets: HashMap<TextRange, &'a ast::StmtFor>,
    depth: usize,
}

impl<'a> Collector<'a> {
    fn scope(&self) -> ScopeId {
        *self.stack.last().unwrap_or(&MODULE_SCOPE)
    }

    fn bind(&mut self, name: &'a str, range: TextRange, kind: BindingKind<'a>) {
        let mut scope = self.scope();
        if self.globals.contains(&(scope, name)) {
            scope = MODULE_SCOPE;
        }
        // A walrus in a comprehension binds in the scope around it (PEP 572).
        if matches!(kind, BindingKind::Assignment(_)) {
            while self.scopes[scope].kind == ScopeKind::Comprehension {
                scope = self.scopes[scope].parent.unwrap_or(MODULE_SCOPE);
            }
        }
        let binding = Binding {
            kind,
            range,
            effective: self.statement_end,
            scope,
        };
        self.scopes[scope]
            .bindings
            .entry(name)
            .or_default()
            .push(binding);
    }

    fn open_scope(&mut self, kind: ScopeKind, definition: Definition<'a>) {
        let id = self.scopes.len();
        let definition_start = definition.range().unwrap_or_default().start();
        self.scopes.push(Scope {
            kind,
            parent: Some(self.scope()),
            bindings: HashMap::default(),
            definition: Some(definition),
        });
        self.scope_of_definition.insert(definition_start, id);
        if let Definition::Lambda(_) | Definition::Comprehension(_) = definition {
            self.expression_scopes
                .push((definition.range().unwrap_or_default(), id));
        }
        self.stack.push(id);
    }

    fn close_scope(&mut self) {
        let closed = self.stack.pop();
        self.globals.retain(|(scope, _)| Some(*scope) != closed);
    }

    fn note_import_root(&mut self, module: &'a str) {
        let root = module.split('.').next().unwrap_or(module);
        self.imported_roots.insert(root);
    }

    /// Binds every name in an assignment target; pairs tuple targets with tuple values.
    fn bind_target(&mut self, target: &'a Expr, value: Option<&'a Expr>) {
        match target {
            Expr::Name(name) => {
                let kind = value.map_or(BindingKind::Other, BindingKind::Assignment);
                self.bind(name.id.as_str(), name.range, kind);
            }
            Expr::Tuple(ast::ExprTuple { elts: targets, .. })
            | Expr::List(ast::ExprList { elts: targets, .. })
                if self.depth < MAX_NESTING =>
            {
                let values = match value {
                    Some(Expr::Tuple(ast::ExprTuple { elts, .. }))
                    | Some(Expr::List(ast::ExprList { elts, .. }))
                        if elts.len() == targets.len() =>
                    {
                        Some(elts)
                    }
                    _ => None,
                };
                self.depth += 1;
                for (index, target) in targets.iter().enumerate() {
                    let value = values.and_then(|values| values.get(index));
                    self.bind_target(target, value);
                }
                self.depth -= 1;
            }
            Expr::Starred(starred) if self.depth < MAX_NESTING => {
                self.depth += 1;
                self.bind_target(&starred.value, None);
                self.depth -= 1;
            }
            _ => {}
        }
    }

    /// Binds every name in a `for` target to the iterable its values come from.
    fn bind_loop_target(&mut self, target: &'a Expr, iterable: &'a Expr) {
        match target {
            Expr::Name(name) => self.bind(
                name.id.as_str(),
                name.range,
                BindingKind::LoopTarget(iterable),
            ),
            Expr::Tuple(ast::ExprTuple { elts: targets, .. })
            | Expr::List(ast::ExprList { elts: targets, .. })
                if self.depth < MAX_NESTING =>
            {
                self.depth += 1;
                for target in targets {
                    self.bind_loop_target(target, iterable);
                }
                self.depth -= 1;
            }
            Expr::Starred(starred) if self.depth < MAX_NESTING => {
                self.depth += 1;
                self.bind_loop_target(&starred.value, iterable);
                self.depth -= 1;
            }
            _ => {}
        }
    }

    fn bind_parameters(&mut self, function: &'a ast::StmtFunctionDef) {
        let parameters = &function.parameters;
        let with_defaults = parameters
            .posonlyargs
            .iter()
            .chain(&parameters.args)
            .chain(&parameters.kwonlyargs);
        for parameter in with_defaults {
            self.bind(
                parameter.parameter.name.id.as_str(),
                parameter.parameter.name.range,
                BindingKind::Parameter {
                    function,
                    default: parameter.default.as_deref(),
                },
            );
        }
        for parameter in parameters.vararg.iter().chain(&parameters.kwarg) {
            self.bind(
                parameter.name.id.as_str(),
                parameter.name.range,
                BindingKind::Parameter {
                    function,
                    default: None,
                },
            );
        }
    }

    /// A lambda opens a scope of its own: its parameters hold for its body (from where the
    /// lambda starts) and hide names of the code around it.
    fn visit_lambda(&mut self, lambda: &'a ast::ExprLambda) {
        let outer_end = self.statement_end;
        if let Some(parameters) = &lambda.parameters {
            // Defaults are worked out where the lambda is written.
            for parameter in parameters.iter_non_variadic_params() {
                if let Some(default) = &parameter.default {
                    self.visit_expr(default);
                }
            }
        }
        self.open_scope(ScopeKind::Lambda, Definition::Lambda(lambda));
        self.statement_end = lambda.start();
        for parameter in lambda
            .parameters
            .iter()
            .flat_map(|parameters| parameters.iter())
        {
            let name = parameter.name();
            self.bind(
                name.id.as_str(),
                name.range,
                BindingKind::LambdaParameter(lambda),
            );
        }
        self.visit_expr(&lambda.body);
        self.close_scope();
        self.statement_end = outer_end;
    }

    /// A comprehension opens a scope for its loop targets, each bound to the iterable it
    /// takes its values from. The first iterable is worked out in the scope around it.
    fn visit_comprehension(
        &mut self,
        comprehension: &'a Expr,
        generators: &'a [ast::Comprehension],
        results: &[&'a Expr],
    ) {
        let outer_end = self.statement_end;
        if let Some(first) = generators.first() {
            self.visit_expr(&first.iter);
        }
        self.open_scope(
            ScopeKind::Comprehension,
            Definition::Comprehension(comprehension),
        );
        self.statement_end = comprehension.start();
        for (index, generator) in generators.iter().enumerate() {
            if index > 0 {
                self.visit_expr(&generator.iter);
            }
            self.bind_loop_target(&generator.target, &generator.iter);
            for condition in &generator.ifs {
                self.visit_expr(condition);
            }
        }
        for result in results {
            self.visit_expr(result);
        }
        self.close_scope();
        self.statement_end = outer_end;
    }

    fn visit_import(&mut self, import: &'a ast::StmtImport) {
        for alias in &import.names {
            let module = alias.name.id.as_str();
            self.note_import_root(module);
            match &alias.asname {
                // `import a.b as c`: c is a.b
                Some(asname) => self.bind(
                    asname.id.as_str(),
                    asname.range,
                    BindingKind::Import(QualifiedName::from_dotted(module)),
                ),
                // `import a.b`: binds `a`, which is the module a
                None => {
                    let root = module.split('.').next().unwrap_or(module);
                    self.bind(
                        root,
                        alias.name.range,
                        BindingKind::Import(QualifiedName::from_segments(&[root])),
                    );
                }
            }
        }
    }

    fn visit_import_from(&mut self, import: &'a ast::StmtImportFrom) {
        // One "." segment per dot: `from ..x import y` is `[".", ".", "x", "y"]`.
        let level = usize::try_from(import.level).unwrap_or(usize::MAX);
        let mut base: Vec<&str> = vec!["."; level.min(MAX_NESTING)];
        if let Some(module) = &import.module {
            if import.level == 0 {
                self.note_import_root(module.id.as_str());
            }
            base.extend(module.id.as_str().split('.'));
        }
        for alias in &import.names {
            let member = alias.name.id.as_str();
            if member == "*" {
                continue;
            }
            let bound = alias.asname.as_ref().unwrap_or(&alias.name);
            let mut qualified = QualifiedName::from_segments(&base);
            qualified.0.push(member);
            self.bind(
                bound.id.as_str(),
                bound.range,
                BindingKind::Import(qualified),
            );
        }
    }
}

impl<'a> Visitor<'a> for Collector<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        let outer_end = self.statement_end;
        self.statement_end = stmt.end();
        match stmt {
            Stmt::FunctionDef(function) => {
                // A route handler's parameters come from the client.
                self.reads_user_input |= function.decorator_list.iter().any(|decorator| {
                    let target = match &decorator.expression {
                        Expr::Call(call) => &*call.func,
                        other => other,
                    };
                    matches!(target, Expr::Attribute(attribute)
                        if super::sources::is_route_decorator(attribute.attr.id.as_str()))
                });
                // Decorators, defaults and annotations belong to the enclosing scope.
                for decorator in &function.decorator_list {
                    self.visit_decorator(decorator);
                }
                self.visit_parameters(&function.parameters);
                if let Some(returns) = &function.returns {
                    self.visit_annotation(returns);
                }
                self.statement_end = function.start();
                self.bind(
                    function.name.id.as_str(),
                    function.name.range,
                    BindingKind::FunctionDef(function),
                );
                self.open_scope(ScopeKind::Function, Definition::Function(function));
                self.bind_parameters(function);
                self.visit_body(&function.body);
                self.close_scope();
            }
            Stmt::ClassDef(class) => {
                for decorator in &class.decorator_list {
                    self.visit_decorator(decorator);
                }
                if let Some(arguments) = &class.arguments {
                    self.visit_arguments(arguments);
                }
                self.open_scope(ScopeKind::Class, Definition::Class(class));
                self.visit_body(&class.body);
                self.close_scope();
                self.bind(
                    class.name.id.as_str(),
                    class.name.range,
                    BindingKind::ClassDef(class),
                );
            }
            Stmt::Import(import) => self.visit_import(import),
            Stmt::ImportFrom(import) => self.visit_import_from(import),
            Stmt::Global(global) => {
                let scope = self.scope();
                for name in &global.names {
                    self.globals.push((scope, name.id.as_str()));
                }
            }
            Stmt::Assign(assign) => {
                self.visit_expr(&assign.value);
                for target in &assign.targets {
                    self.bind_target(target, Some(&assign.value));
                    if !target.is_name_expr() {
                        self.visit_expr(target);
                    }
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.visit_expr(value);
                }
                self.bind_target(&assign.target, assign.value.as_deref());
            }
            Stmt::AugAssign(assign) => {
                self.visit_expr(&assign.value);
                if let Expr::Name(name) = &*assign.target {
                    let kind = if assign.op == ast::Operator::Add {
                        BindingKind::AugAssign(&assign.value)
                    } else {
                        BindingKind::Other
                    };
                    self.bind(name.id.as_str(), name.range, kind);
                }
            }
            Stmt::For(for_loop) => {
                match &*for_loop.target {
                    Expr::Name(name) => {
                        self.loop_targets.insert(name.range, for_loop);
                    }
                    Expr::Tuple(tuple) => {
                        for name in tuple.elts.iter().filter_map(Expr::as_name_expr) {
                            self.loop_targets.insert(name.range, for_loop);
                        }
                    }
                    _ => {}
                }
                self.statement_end = for_loop.iter.end();
                self.bind_loop_target(&for_loop.target, &for_loop.iter);
                visitor::walk_stmt(self, stmt);
            }
            Stmt::With(with) => {
                for item in &with.items {
                    self.visit_expr(&item.context_expr);
                    if let Some(target) = &item.optional_vars {
                        self.statement_end = item.end();
                        match &**target {
                            Expr::Name(name) => self.bind(
                                name.id.as_str(),
                                name.range,
                                BindingKind::WithItem(&item.context_expr),
                            ),
                            other => self.bind_target(other, None),
                        }
                    }
                }
                self.visit_body(&with.body);
            }
            Stmt::Try(try_stmt) => {
                for handler in &try_stmt.handlers {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    if let Some(name) = &handler.name {
                        self.bind(name.id.as_str(), name.range, BindingKind::Other);
                    }
                }
                visitor::walk_stmt(self, stmt);
            }
            _ => visitor::walk_stmt(self, stmt),
        }
        self.statement_end = outer_end;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth >= MAX_NESTING {
            return;
        }
        self.depth += 1;
        match expr {
            Expr::Named(named) => self.bind_target(&named.target, Some(&named.value)),
            // `input()`, `sys.argv`: the module may read what a user chose.
            Expr::Name(name) if matches!(name.id.as_str(), "input" | "argv") => {
                self.reads_user_input = true;
            }
            Expr::Attribute(attribute) if attribute.attr.id.as_str() == "argv" => {
                self.reads_user_input = true;
            }
            _ => {}
        }
        match expr {
            Expr::Lambda(lambda) => self.visit_lambda(lambda),
            Expr::ListComp(ast::ExprListComp {
                elt, generators, ..
            })
            | Expr::SetComp(ast::ExprSetComp {
                elt, generators, ..
            })
            | Expr::Generator(ast::ExprGenerator {
                elt, generators, ..
            }) => self.visit_comprehension(expr, generators, &[elt]),
            Expr::DictComp(ast::ExprDictComp {
                key,
                value,
                generators,
                ..
            }) => {
                let results: Vec<&Expr> = key.as_deref().into_iter().chain([&**value]).collect();
                self.visit_comprehension(expr, generators, &results);
            }
            _ => visitor::walk_expr(self, expr),
        }
        self.depth -= 1;
    }

    fn visit_body(&mut self, body: &'a [Stmt]) {
        if self.depth >= MAX_NESTING {
            return;
        }
        self.depth += 1;
        visitor::walk_body(self, body);
        self.depth -= 1;
    }

    // Patterns and f-string format specs nest without passing through `visit_expr`.
    fn visit_pattern(&mut self, pattern: &'a ast::Pattern) {
        if self.depth >= MAX_NESTING {
            return;
        }
        self.depth += 1;
        visitor::walk_pattern(self, pattern);
        self.depth -= 1;
    }

    fn visit_interpolated_string_element(&mut self, element: &'a ast::InterpolatedStringElement) {
        if self.depth >= MAX_NESTING {
            return;
        }
        self.depth += 1;
        visitor::walk_interpolated_string_element(self, element);
        self.depth -= 1;
    }
}
