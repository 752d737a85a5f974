//! The module's own functions as the data flow sees them: which function a call runs, which
//! argument lands in which parameter, what a function returns, and every place a function
//! is called from.
//!
//! The taint of a call to a local function is worked out from its body, per call: an
//! argument that reaches the return value carries its taint through (`build_query(name)`),
//! a source read inside carries its own (`def search_term(): return request.args["q"]`),
//! and a helper that returns a constant is clean. A parameter of a plain function is
//! tainted when some caller passes tainted data, so a sink inside a helper is reported with
//! the trace back to the request.

use std::cell::OnceCell;

use rustc_hash::FxHashMap as HashMap;

use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::Ranged;

use super::{BindingKind, ScopeId, ScopeKind, SemanticModel, MAX_NESTING};

/// Every call in the module whose function is a plain name or an attribute, by that name.
#[derive(Default)]
pub(super) struct CallSites<'a> {
    by_name: HashMap<&'a str, Vec<(&'a ast::ExprCall, ScopeId)>>,
}

/// A call of a function defined in this module.
#[derive(Clone, Copy)]
pub(super) struct LocalCall<'a> {
    pub(super) function: Callee<'a>,
    /// `self.method(...)` or `Class(...)`: the first parameter is bound, not passed.
    pub(super) bound: bool,
}

/// A function of this module: a `def`, or a `lambda` assigned to a name.
#[derive(Clone, Copy)]
pub(super) enum Callee<'a> {
    Function(&'a ast::StmtFunctionDef),
    Lambda {
        lambda: &'a ast::ExprLambda,
        /// The name it is assigned to, which calls use.
        name: &'a str,
    },
}

impl<'a> Callee<'a> {
    /// The name calls use.
    pub(super) fn name(&self) -> &'a str {
        match self {
            Callee::Function(function) => function.name.id.as_str(),
            Callee::Lambda { name, .. } => name,
        }
    }

    /// Tells functions apart (and keys what is remembered about them).
    pub(super) fn address(&self) -> usize {
        match self {
            Callee::Function(function) => std::ptr::from_ref(*function) as usize,
            Callee::Lambda { lambda, .. } => std::ptr::from_ref(*lambda) as usize,
        }
    }

    /// The parameters, in order: positional ones first, then keyword-only ones.
    pub(super) fn parameters(&self) -> impl Iterator<Item = &'a ast::ParameterWithDefault> {
        let parameters = match self {
            Callee::Function(function) => Some(&*function.parameters),
            Callee::Lambda { lambda, .. } => lambda.parameters.as_deref(),
        };
        parameters.into_iter().flat_map(|parameters| {
            parameters
                .posonlyargs
                .iter()
                .chain(&parameters.args)
                .chain(&parameters.kwonlyargs)
        })
    }

    /// The values it returns: each `return` of a function, a lambda's expression.
    pub(super) fn returned_values(&self) -> Vec<&'a Expr> {
        match self {
            Callee::Function(function) => returned_values(function),
            Callee::Lambda { lambda, .. } => vec![&*lambda.body],
        }
    }

    /// The scope its body opens.
    pub(super) fn scope(&self, model: &SemanticModel<'a>) -> Option<ScopeId> {
        match self {
            Callee::Function(function) => model.scope_of_function(function),
            Callee::Lambda { lambda, .. } => {
                model.scope_of_definition.get(&lambda.start()).copied()
            }
        }
    }
}

impl<'a> SemanticModel<'a> {
    /// The function defined in this module that `call` runs: `helper(...)`,
    /// `self.helper(...)` inside a method, `Class(...)` (its `__init__`).
    pub(super) fn local_call(
        &self,
        call: &'a ast::ExprCall,
        scope: ScopeId,
    ) -> Option<LocalCall<'a>> {
        match &*call.func {
            Expr::Name(name) => match self
                .lookup(name.id.as_str(), scope, name.range.start())?
                .kind
            {
                BindingKind::FunctionDef(function) => Some(LocalCall {
                    function: Callee::Function(function),
                    bound: false,
                }),
                // `run = lambda command: ...`, assigned once.
                BindingKind::Assignment(Expr::Lambda(lambda))
                    if self
                        .lookup_among(name.id.as_str(), scope, name.range.start())
                        .is_some_and(|(_, all)| all.len() == 1) =>
                {
                    Some(LocalCall {
                        function: Callee::Lambda {
                            lambda,
                            name: name.id.as_str(),
                        },
                        bound: false,
                    })
                }
                BindingKind::ClassDef(class) => {
                    let class_scope = *self.scope_of_definition.get(&class.start())?;
                    let function = self.method_of(class_scope, "__init__")?;
                    Some(LocalCall {
                        function: Callee::Function(function),
                        bound: true,
                    })
                }
                _ => None,
            },
            Expr::Attribute(attribute) => {
                let class_scope = self.class_of_receiver(&attribute.value, scope)?;
                let function = self.method_of(class_scope, attribute.attr.id.as_str())?;
                Some(LocalCall {
                    function: Callee::Function(function),
                    bound: true,
                })
            }
            _ => None,
        }
    }

    /// The class scope of a method's `self` (or `cls`): its first parameter.
    pub(super) fn class_of_receiver(&self, receiver: &'a Expr, scope: ScopeId) -> Option<ScopeId> {
        let Expr::Name(name) = receiver else {
            return None;
        };
        let binding = self.lookup(name.id.as_str(), scope, name.range.start())?;
        let BindingKind::Parameter { function, .. } = binding.kind else {
            return None;
        };
        let first = function
            .parameters
            .posonlyargs
            .iter()
            .chain(&function.parameters.args)
            .next()?;
        if first.parameter.name.range != binding.range {
            return None;
        }
        let class_scope = self.scopes[binding.scope].parent?;
        (self.scopes[class_scope].kind == ScopeKind::Class).then_some(class_scope)
    }

    /// The method `name` defined in a class body (the last definition).
    fn method_of(&self, class_scope: ScopeId, name: &str) -> Option<&'a ast::StmtFunctionDef> {
        self.bindings_in(class_scope, name)
            .iter()
            .rev()
            .find_map(|binding| match binding.kind {
                BindingKind::FunctionDef(function) => Some(function),
                _ => None,
            })
    }

    /// The scope a function's body opens.
    pub(super) fn scope_of_function(&self, function: &'a ast::StmtFunctionDef) -> Option<ScopeId> {
        self.scope_of_definition.get(&function.start()).copied()
    }

    /// Every call of `function` in the module, with the scope it is made from.
    pub(super) fn callers_of(
        &self,
        function: Callee<'a>,
    ) -> Vec<(&'a ast::ExprCall, ScopeId, LocalCall<'a>)> {
        let sites = self.call_sites.get_or_init(|| collect_call_sites(self));
        let name = function.name();
        let mut callers = Vec::new();
        let class = match function {
            Callee::Function(function) if name == "__init__" => self.class_names_of(function),
            _ => None,
        };
        let candidates = sites
            .by_name
            .get(name)
            .into_iter()
            .chain(class.and_then(|class| sites.by_name.get(class)))
            .flatten();
        for (call, scope) in candidates {
            if !self.effort.spend() {
                break;
            }
            if let Some(local) = self.local_call(call, *scope) {
                if local.function.address() == function.address() {
                    callers.push((*call, *scope, local));
                }
            }
        }
        callers
    }

    /// What each call of `function` in the module passes as `parameter` (`None` where a
    /// call leaves it to its default); `None` when nothing calls it here, or a call spreads
    /// `*args` / `**kwargs` that may fill it.
    pub fn arguments_passed_to(
        &self,
        function: &'a ast::StmtFunctionDef,
        parameter: &str,
    ) -> Option<Vec<Option<&'a Expr>>> {
        let callers = self.callers_of(Callee::Function(function));
        if callers.is_empty() {
            return None;
        }
        callers
            .into_iter()
            .map(|(call, _, local)| {
                let spread = call.arguments.args.iter().any(Expr::is_starred_expr)
                    || call.arguments.keywords.iter().any(|k| k.arg.is_none());
                (!spread).then(|| local.argument(call, parameter))
            })
            .collect()
    }

    /// Every call in the module whose function is a name or an attribute, with the scope it
    /// is made in, in no particular order.
    pub(super) fn named_calls(&self) -> Vec<(&'a ast::ExprCall, ScopeId)> {
        let sites = self.call_sites.get_or_init(|| collect_call_sites(self));
        sites.by_name.values().flatten().copied().collect()
    }

    /// The name of the class whose method `function` is.
    pub(super) fn class_names_of(&self, function: &'a ast::StmtFunctionDef) -> Option<&'a str> {
        let scope = self.scope_of_function(function)?;
        let class_scope = self.scopes[scope].parent?;
        match self.scopes[class_scope].definition? {
            super::Definition::Class(class) => Some(class.name.id.as_str()),
            _ => None,
        }
    }
}

impl<'a> LocalCall<'a> {
    /// The argument of `call` that lands in the parameter named `name`.
    pub(super) fn argument(&self, call: &'a ast::ExprCall, name: &str) -> Option<&'a Expr> {
        let position = self
            .function
            .parameters()
            .position(|parameter| parameter.parameter.name.id.as_str() == name)
            .filter(|position| *position < self.positional_count())
            .and_then(|position| position.checked_sub(usize::from(self.bound)));
        passed_argument(call, position, name)
    }

    /// How many parameters can be passed by position.
    fn positional_count(&self) -> usize {
        let parameters = match self.function {
            Callee::Function(function) => Some(&*function.parameters),
            Callee::Lambda { lambda, .. } => lambda.parameters.as_deref(),
        };
        parameters.map_or(0, |parameters| {
            parameters.posonlyargs.len() + parameters.args.len()
        })
    }

    /// True when `name` is the parameter a bound call fills in itself (`self`, `cls`).
    pub(super) fn is_receiver(&self, name: &str) -> bool {
        self.bound
            && self
                .function
                .parameters()
                .next()
                .is_some_and(|first| first.parameter.name.id.as_str() == name)
    }
}

/// What `call` passes for the parameter `name`: by keyword, or else at `position` among the
/// positional arguments (unless an unpacked `*args` comes first, which moves them).
pub(crate) fn passed_argument<'e>(
    call: &'e ast::ExprCall,
    position: Option<usize>,
    name: &str,
) -> Option<&'e Expr> {
    if let Some(keyword) = super::keyword(call, name) {
        return Some(&keyword.value);
    }
    let position = position?;
    let before = &call.arguments.args[..position.min(call.arguments.args.len())];
    if before.iter().any(Expr::is_starred_expr) {
        return None;
    }
    call.arguments
        .args
        .get(position)
        .filter(|argument| !argument.is_starred_expr())
}

/// The values a function returns (not those of functions defined inside it).
pub(crate) fn returned_values(function: &ast::StmtFunctionDef) -> Vec<&Expr> {
    struct Returns<'r> {
        found: Vec<&'r Expr>,
        depth: usize,
    }
    impl<'r> Visitor<'r> for Returns<'r> {
        fn visit_stmt(&mut self, stmt: &'r Stmt) {
            if self.depth >= MAX_NESTING {
                return;
            }
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::Return(ret) => self.found.extend(ret.value.as_deref()),
                _ => {
                    self.depth += 1;
                    visitor::walk_stmt(self, stmt);
                    self.depth -= 1;
                }
            }
        }
        fn visit_expr(&mut self, _: &'r Expr) {}
    }
    let mut returns = Returns {
        found: Vec::new(),
        depth: 0,
    };
    returns.visit_body(&function.body);
    returns.found
}

/// The assignments `self.name = value` in the methods of a class, by attribute name.
pub(super) type AttributeWrites<'a> = HashMap<&'a str, Vec<(&'a Expr, ScopeId)>>;

impl<'a> SemanticModel<'a> {
    /// What the methods of the class assign to `self.name`, with each method's scope.
    pub(super) fn attribute_writes(
        &self,
        class_scope: ScopeId,
        name: &str,
    ) -> Vec<(&'a Expr, ScopeId)> {
        let mut cache = self.attribute_writes.borrow_mut();
        let writes = cache
            .entry(class_scope)
            .or_insert_with(|| collect_attribute_writes(self, class_scope));
        writes.get(name).cloned().unwrap_or_default()
    }
}

fn collect_attribute_writes<'a>(
    model: &SemanticModel<'a>,
    class_scope: ScopeId,
) -> AttributeWrites<'a> {
    let mut writes = AttributeWrites::default();
    let Some(super::Definition::Class(class)) = model.scopes[class_scope].definition else {
        return writes;
    };
    for stmt in &class.body {
        let Stmt::FunctionDef(method) = stmt else {
            continue;
        };
        let Some(scope) = model.scope_of_function(method) else {
            continue;
        };
        let Some(receiver) = method
            .parameters
            .posonlyargs
            .iter()
            .chain(&method.parameters.args)
            .next()
        else {
            continue;
        };
        let receiver = receiver.parameter.name.id.as_str();
        let mut finder = AttributeAssignments {
            receiver,
            scope,
            writes: &mut writes,
            depth: 0,
        };
        finder.visit_body(&method.body);
    }
    writes
}

struct AttributeAssignments<'w, 'a> {
    receiver: &'a str,
    scope: ScopeId,
    writes: &'w mut AttributeWrites<'a>,
    depth: usize,
}

impl<'a> Visitor<'a> for AttributeAssignments<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth >= MAX_NESTING {
            return;
        }
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    self.note(target, &assign.value);
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.note(&assign.target, value);
                }
            }
            Stmt::AugAssign(assign) => self.note(&assign.target, &assign.value),
            _ => {
                self.depth += 1;
                visitor::walk_stmt(self, stmt);
                self.depth -= 1;
            }
        }
    }
    fn visit_expr(&mut self, _: &'a Expr) {}
}

impl<'a> AttributeAssignments<'_, 'a> {
    fn note(&mut self, target: &'a Expr, value: &'a Expr) {
        if let Expr::Attribute(attribute) = target {
            if matches!(&*attribute.value, Expr::Name(owner) if owner.id.as_str() == self.receiver)
            {
                self.writes
                    .entry(attribute.attr.id.as_str())
                    .or_default()
                    .push((value, self.scope));
            }
        }
    }
}

fn collect_call_sites<'a>(model: &SemanticModel<'a>) -> CallSites<'a> {
    struct Collector<'m, 'a> {
        model: &'m SemanticModel<'a>,
        sites: CallSites<'a>,
        scope: ScopeId,
        depth: usize,
    }
    impl<'a> Visitor<'a> for Collector<'_, 'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if self.depth >= MAX_NESTING {
                return;
            }
            self.depth += 1;
            let inner = match stmt {
                Stmt::FunctionDef(function) => {
                    self.model.scope_of_definition.get(&function.start())
                }
                Stmt::ClassDef(class) => self.model.scope_of_definition.get(&class.start()),
                _ => None,
            };
            match inner {
                Some(inner) => {
                    // Decorators, defaults and bases belong to the outer scope; close enough
                    // for finding callers, which only needs the body's scope right.
                    let outer = std::mem::replace(&mut self.scope, *inner);
                    visitor::walk_stmt(self, stmt);
                    self.scope = outer;
                }
                None => visitor::walk_stmt(self, stmt),
            }
            self.depth -= 1;
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if self.depth >= MAX_NESTING {
                return;
            }
            if let Expr::Call(call) = expr {
                let name = match &*call.func {
                    Expr::Name(name) => Some(name.id.as_str()),
                    Expr::Attribute(attribute) => Some(attribute.attr.id.as_str()),
                    _ => None,
                };
                if let Some(name) = name {
                    self.sites
                        .by_name
                        .entry(name)
                        .or_default()
                        .push((call, self.scope));
                }
            }
            self.depth += 1;
            visitor::walk_expr(self, expr);
            self.depth -= 1;
        }
    }
    let mut collector = Collector {
        model,
        sites: CallSites::default(),
        scope: super::MODULE_SCOPE,
        depth: 0,
    };
    collector.visit_body(model.body);
    collector.sites
}

/// Lazily built per module.
pub(super) type CallSitesCell<'a> = OnceCell<CallSites<'a>>;
