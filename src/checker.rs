//! The one walk over the tree that serves every rule.

use std::cell::RefCell;

use crate::diagnostic::{Edit, Finding, TraceStep};
use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::{Ranged, SyntaxError, TextRange, TextSize};
use crate::rules::{Check, Rule};
use crate::semantic::ancestors::{Ancestors, Node, Statement, Suite};
use crate::semantic::project::ProjectModule;
use crate::semantic::settings::{settings_in_call, settings_in_stmt, Setting};
use crate::semantic::{literal_text, LiteralText, QualifiedName, SemanticModel, MAX_NESTING};

#[cfg(test)]
mod tests;

/// What a rule sees while it checks: the source, the semantic model, and where to report.
pub struct Checker<'a> {
    source: &'a str,
    semantic: SemanticModel<'a>,
    findings: RefCell<Vec<Finding>>,
    /// The nodes the walk is inside, outermost first; the last is the node being checked.
    stack: Vec<Node<'a>>,
    /// Where each module-level name starts being an imported module, by (name, module),
    /// worked out once per module: a file that imports `yaml` ten thousand times and has as
    /// many fixes needing it would otherwise read every import for every fix.
    pub(crate) import_starts:
        RefCell<std::collections::HashMap<(String, String), Option<TextSize>>>,
}

impl<'a> Checker<'a> {
    pub fn source(&self) -> &'a str {
        self.source
    }

    pub fn semantic(&self) -> &SemanticModel<'a> {
        &self.semantic
    }

    /// The source text of a node.
    pub fn text(&self, node: &impl Ranged) -> &'a str {
        let range = node.range();
        self.source
            .get(range.start().to_usize()..range.end().to_usize())
            .unwrap_or("")
    }

    /// The nodes around the node being checked: its statement, function, class, branches.
    pub fn ancestors(&self) -> Ancestors<'_, 'a> {
        Ancestors::new(&self.stack)
    }

    /// Records a finding; it belongs to the statement (or `elif` / `else` clause) being
    /// walked.
    pub fn report(&self, mut finding: Finding) {
        // Code that never runs (after a `return`, in a branch a constant rules out) does
        // nothing, insecure or not.
        let scope = self.semantic.current_scope();
        if self
            .semantic
            .scope_flow(scope)
            .is_some_and(|flow| flow.is_unreachable(finding.range))
        {
            return;
        }
        let header = self.stack.iter().rev().find_map(|node| match node {
            Node::Stmt(statement) => Some(Header::Statement(statement.stmt)),
            Node::Clause(clause) => Some(Header::Clause(clause)),
            _ => None,
        });
        // A finding outside every statement (in a comment) is suppressed on its own line.
        finding.statement = header.map_or(finding.range, |header| header.range(self.source));
        if let Some(origin) = self.origin_in_words(&finding.trace) {
            finding.message.push_str(&origin);
        }
        self.findings.borrow_mut().push(finding);
    }

    /// Where a traced value comes from, in words, for the end of a message: "; the data
    /// comes from `request.args` on line 12, through `build_query`". `None` when the trace
    /// does not start at an untrusted source.
    fn origin_in_words(&self, trace: &[TraceStep]) -> Option<String> {
        // Steps in another file come first; the first step here says where they lead.
        let source = trace.iter().find(|step| step.elsewhere.is_none())?;
        // "`name` is passed to `run` in app/views.py on line 12, where the data comes from
        // `request.args`": the source is in another module.
        if let Some((passed, origin)) = source
            .message
            .split_once(crate::semantic::FROM_ANOTHER_MODULE)
        {
            let (_, helper_and_place) = passed.split_once(" is passed to ")?;
            let (helper, place) = helper_and_place.rsplit_once("` ")?;
            return Some(format!(
                "; the data comes from {origin} {place}, through {helper}`"
            ));
        }
        if !SOURCE_PHRASES
            .iter()
            .any(|phrase| source.message.contains(phrase))
        {
            return None;
        }
        let text = crate::location::excerpt(self.source, source.range);
        let line = crate::location::line_number(self.source, source.range.start());
        let mut helpers: Vec<&str> = Vec::new();
        for step in trace.iter().filter(|step| step.elsewhere.is_none()) {
            // "it is passed to `helper` as `name`", "`helper` returns it".
            let helper = match step.message.strip_prefix("it is passed to `") {
                Some(rest) => rest.split('`').next(),
                None => step
                    .message
                    .strip_suffix("` returns it")
                    .and_then(|rest| rest.strip_prefix('`')),
            };
            let Some(helper) = helper else {
                continue;
            };
            if !helpers.contains(&helper) {
                helpers.push(helper);
            }
        }
        let through = match &helpers[..] {
            [] => String::new(),
            helpers => format!(", through `{}`", helpers.join("`, `")),
        };
        Some(format!(
            "; the data comes from `{text}` on line {line}{through}"
        ))
    }

    /// The name to use for `module` at `at`, and the edit that imports it when it is not
    /// imported yet: `import module`, once, after the docstring and `__future__` imports,
    /// under an alias (`import os as _os`) when `os` means something else at `at`.
    pub fn import_module(&self, module: &str, at: TextSize) -> (String, Option<Edit>) {
        crate::fix::import_module(self, module, at)
    }

    /// Like [`Self::import_module`] for one name of a module: `from module import member`.
    pub fn import_member(
        &self,
        module: &str,
        member: &str,
        at: TextSize,
    ) -> (String, Option<Edit>) {
        crate::fix::import_member(self, module, member, at)
    }
}

/// How the data flow words the first step of a trace that starts at an untrusted source.
const SOURCE_PHRASES: &[&str] = &[
    "is read from the request",
    "comes from the command line",
    "reads what the user types",
    "is a parameter of the route handler",
];

/// Runs the enabled rules over one module.
pub(crate) fn check_module<'a>(
    source: &'a str,
    body: &'a [Stmt],
    comments: &[TextRange],
    enabled: &[&'static Rule],
    notices: &mut Vec<SyntaxError>,
    project: Option<&'a ProjectModule>,
    test_file: bool,
) -> Vec<Finding> {
    let mut semantic = SemanticModel::in_project(body, project);
    semantic.set_test_file(test_file);
    let checks = Dispatch::new(enabled, &semantic);
    let mut walker = Walker::new(source, semantic, checks, None);
    for comment in comments {
        for check in &walker.checks.comment {
            check(&walker.checker, *comment);
        }
    }
    walker.visit_body(body);
    if let Some(at) = walker.too_deep {
        notices.push(SyntaxError {
            message: format!(
                "Nesting deeper than {MAX_NESTING} levels: the innermost part was not analysed"
            ),
            range: TextRange::empty(at),
        });
    }
    walker.checker.findings.into_inner()
}

/// A node the walk reached, for an observer of the walk (see [`observe_module`]).
#[derive(Clone, Copy)]
pub enum Visited<'a> {
    Stmt(&'a Stmt),
    Expr(&'a Expr),
}

/// What [`observe_module`] shows each node to.
pub(crate) type Observer<'a> = dyn FnMut(&Checker<'a>, Visited<'a>) + 'a;

/// Walks one module the way the rules see it (scopes entered, names resolvable from where
/// each node is) and shows every statement and expression to `observe`; no rule runs.
pub(crate) fn observe_module<'a>(source: &'a str, body: &'a [Stmt], observe: &mut Observer<'a>) {
    let semantic = SemanticModel::new(body);
    let checks = Dispatch::new(&[], &semantic);
    Walker::new(source, semantic, checks, Some(observe)).visit_body(body);
}

impl<'a, 'o> Walker<'a, 'o> {
    fn new(
        source: &'a str,
        semantic: SemanticModel<'a>,
        checks: Dispatch,
        observe: Option<&'o mut Observer<'a>>,
    ) -> Self {
        Walker {
            checker: Checker {
                source,
                semantic,
                findings: RefCell::new(Vec::new()),
                stack: Vec::with_capacity(64),
                import_starts: RefCell::default(),
            },
            checks,
            depth: 0,
            too_deep: None,
            observe,
        }
    }
}

type StmtCheck = for<'a> fn(&Checker<'a>, &'a Stmt);
type ExprCheck = for<'a> fn(&Checker<'a>, &'a Expr);
type CallCheck = for<'a> fn(&Checker<'a>, &'a ast::ExprCall);
type CalleeCheck = for<'a> fn(&Checker<'a>, &'a ast::ExprCall, &QualifiedName<'a>);
type DictCheck = for<'a> fn(&Checker<'a>, &'a ast::ExprDict);
type CompareCheck = for<'a> fn(&Checker<'a>, &'a ast::ExprCompare);
type LiteralCheck = for<'a> fn(&Checker<'a>, &'a Expr, &LiteralText<'a>);
type SettingCheck = for<'a> fn(&Checker<'a>, &Setting<'a>);
type CommentCheck = for<'a> fn(&Checker<'a>, TextRange);

/// The enabled rules' checks sorted by the node kind they want, so each node only meets
/// the checks that asked for it.
struct Dispatch {
    stmt: Vec<StmtCheck>,
    expr: Vec<ExprCheck>,
    call: Vec<CallCheck>,
    callee: Vec<CalleeCheck>,
    dict: Vec<DictCheck>,
    compare: Vec<CompareCheck>,
    literal: Vec<LiteralCheck>,
    setting: Vec<SettingCheck>,
    comment: Vec<CommentCheck>,
}

impl Dispatch {
    /// The checks of the enabled rules that can fire in this module.
    fn new(enabled: &[&'static Rule], semantic: &SemanticModel) -> Self {
        let mut dispatch = Dispatch {
            stmt: Vec::new(),
            expr: Vec::new(),
            call: Vec::new(),
            callee: Vec::new(),
            dict: Vec::new(),
            compare: Vec::new(),
            literal: Vec::new(),
            setting: Vec::new(),
            comment: Vec::new(),
        };
        let applicable = enabled.iter().filter(|rule| rule.applies(semantic));
        for check in applicable.flat_map(|rule| rule.checks) {
            dispatch.add(check, semantic);
        }
        dispatch
    }

    fn add(&mut self, check: &Check, semantic: &SemanticModel) {
        match check {
            Check::Stmt(check) => self.stmt.push(*check),
            Check::Expr(check) => self.expr.push(*check),
            Check::Call(check) => self.call.push(*check),
            Check::Callee(check) => self.callee.push(*check),
            Check::Dict(check) => self.dict.push(*check),
            Check::Compare(check) => self.compare.push(*check),
            Check::Literal(check) => self.literal.push(*check),
            Check::Setting(check) => self.setting.push(*check),
            Check::Comment(check) => self.comment.push(*check),
            Check::Needs(modules, check) => {
                if semantic.has_any_import(modules) {
                    self.add(check, semantic);
                }
            }
        }
    }
}

struct Walker<'a, 'o> {
    checker: Checker<'a>,
    checks: Dispatch,
    depth: usize,
    too_deep: Option<TextSize>,
    /// Shown every node after the rules' checks (the lessons' requirements, see `lesson`).
    observe: Option<&'o mut Observer<'a>>,
}

impl<'a> Walker<'a, '_> {
    fn run_stmt_checks(&mut self, stmt: &'a Stmt) {
        self.checker.semantic.next_node();
        if let Some(observe) = &mut self.observe {
            observe(&self.checker, Visited::Stmt(stmt));
        }
        for check in &self.checks.stmt {
            check(&self.checker, stmt);
        }
        if !self.checks.setting.is_empty() {
            self.run_setting_checks(settings_in_stmt(self.checker.semantic(), stmt));
        }
    }

    fn run_setting_checks(&self, settings: Vec<Setting<'a>>) {
        for setting in &settings {
            for check in &self.checks.setting {
                check(&self.checker, setting);
            }
        }
    }

    fn run_expr_checks(&mut self, expr: &'a Expr) {
        self.checker.semantic.next_node();
        if let Some(observe) = &mut self.observe {
            observe(&self.checker, Visited::Expr(expr));
        }
        for check in &self.checks.expr {
            check(&self.checker, expr);
        }
        match expr {
            Expr::Call(call) => {
                for check in &self.checks.call {
                    check(&self.checker, call);
                }
                if !self.checks.callee.is_empty() {
                    let semantic = self.checker.semantic();
                    if let Some(function) = semantic.resolve_qualified_name(&call.func) {
                        for check in &self.checks.callee {
                            check(&self.checker, call, &function);
                        }
                    }
                }
                if !self.checks.setting.is_empty() {
                    self.run_setting_checks(settings_in_call(self.checker.semantic(), call));
                }
            }
            Expr::Dict(dict) => {
                for check in &self.checks.dict {
                    check(&self.checker, dict);
                }
            }
            Expr::Compare(compare) => {
                for check in &self.checks.compare {
                    check(&self.checker, compare);
                }
            }
            Expr::StringLiteral(_) | Expr::BytesLiteral(_) | Expr::FString(_)
                if !self.checks.literal.is_empty() =>
            {
                if let Some(literal) = literal_text(expr) {
                    for check in &self.checks.literal {
                        check(&self.checker, expr, &literal);
                    }
                }
            }
            _ => {}
        }
    }

    /// Runs `walk` one level deeper, unless that is deeper than we follow (then `at` says
    /// where, for the notice; it is only worked out then).
    fn nested(&mut self, at: impl FnOnce() -> TextSize, walk: impl FnOnce(&mut Self)) {
        if self.depth >= MAX_NESTING {
            self.too_deep.get_or_insert_with(at);
            return;
        }
        self.depth += 1;
        walk(self);
        self.depth -= 1;
    }

    /// Runs `walk` with `node` on the ancestor stack.
    fn inside(&mut self, node: Node<'a>, walk: impl FnOnce(&mut Self)) {
        self.checker.stack.push(node);
        walk(self);
        self.checker.stack.pop();
    }

    /// Walks a block of statements of the statement or clause on top of the stack.
    fn visit_suite(&mut self, suite: Suite<'a>, body: &'a [Stmt]) {
        self.inside(Node::Suite(suite), |walker| walker.visit_body(body));
    }
}

/// The statement a finding belongs to, for suppression comments; its range is only worked
/// out for statements that get a finding.
#[derive(Clone, Copy)]
enum Header<'a> {
    Statement(&'a Stmt),
    Clause(&'a ast::ElifElseClause),
}

impl Header<'_> {
    /// The lines a suppression comment may sit on: a simple statement whole, a compound
    /// statement or a clause up to the end of its header (the comment after the colon
    /// included).
    fn range(self, source: &str) -> TextRange {
        match self {
            Header::Statement(stmt) => header_range(source, stmt),
            Header::Clause(clause) => match clause.body.first() {
                Some(first) => trimmed(source, clause.start(), first.start()),
                None => clause.range(),
            },
        }
    }
}

fn header_range(source: &str, stmt: &Stmt) -> TextRange {
    let body_start = match stmt {
        Stmt::FunctionDef(node) => node.body.first().map(Ranged::start),
        Stmt::ClassDef(node) => node.body.first().map(Ranged::start),
        Stmt::If(node) => node.body.first().map(Ranged::start),
        Stmt::For(node) => node.body.first().map(Ranged::start),
        Stmt::While(node) => node.body.first().map(Ranged::start),
        Stmt::With(node) => node.body.first().map(Ranged::start),
        Stmt::Try(node) => node.body.first().map(Ranged::start),
        Stmt::Match(node) => node.cases.first().map(Ranged::start),
        _ => None,
    };
    match body_start {
        Some(body_start) if body_start > stmt.start() => trimmed(source, stmt.start(), body_start),
        _ => stmt.range(),
    }
}

fn trimmed(source: &str, start: TextSize, end: TextSize) -> TextRange {
    let text = source.get(start.to_usize()..end.to_usize()).unwrap_or("");
    let kept = text.trim_end().len();
    TextRange::at(start, TextSize::try_from(kept).unwrap_or_default())
}

impl<'a> Visitor<'a> for Walker<'a, '_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Some(statement) = Statement::new(std::slice::from_ref(stmt), 0) {
            self.visit_statement(statement);
        }
    }

    fn visit_elif_else_clause(&mut self, clause: &'a ast::ElifElseClause) {
        self.inside(Node::Clause(clause), |walker| {
            if let Some(test) = &clause.test {
                walker.visit_expr(test);
            }
            walker.visit_suite(Suite::Body, &clause.body);
        });
    }

    fn visit_except_handler(&mut self, handler: &'a ast::ExceptHandler) {
        let ast::ExceptHandler::ExceptHandler(handler) = handler;
        if let Some(type_) = &handler.type_ {
            self.visit_expr(type_);
        }
        self.visit_suite(Suite::Handler(handler), &handler.body);
    }

    fn visit_match_case(&mut self, case: &'a ast::MatchCase) {
        self.visit_pattern(&case.pattern);
        if let Some(guard) = &case.guard {
            self.visit_expr(guard);
        }
        self.visit_suite(Suite::Case(case), &case.body);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        self.nested(
            || expr.start(),
            |walker| {
                walker.inside(Node::Expr(expr), |walker| {
                    walker.run_expr_checks(expr);
                    // A lambda or a comprehension opens a scope of its own.
                    let opens_scope = matches!(
                        expr,
                        Expr::Lambda(_)
                            | Expr::ListComp(_)
                            | Expr::SetComp(_)
                            | Expr::DictComp(_)
                            | Expr::Generator(_)
                    );
                    let outer = opens_scope
                        .then(|| walker.checker.semantic.enter_definition(expr.start()))
                        .flatten();
                    visitor::walk_expr(walker, expr);
                    if let Some(outer) = outer {
                        walker.checker.semantic.restore_scope(outer);
                    }
                });
            },
        );
    }

    fn visit_keyword(&mut self, keyword: &'a ast::Keyword) {
        self.inside(Node::Keyword(keyword), |walker| {
            visitor::walk_keyword(walker, keyword);
        });
    }

    fn visit_body(&mut self, body: &'a [Stmt]) {
        let at = || body.first().map(Ranged::start).unwrap_or_default();
        self.nested(at, |walker| {
            for index in 0..body.len() {
                if let Some(statement) = Statement::new(body, index) {
                    walker.visit_statement(statement);
                }
            }
        });
    }

    // Patterns and f-string format specs nest without passing through `visit_expr`.
    fn visit_pattern(&mut self, pattern: &'a ast::Pattern) {
        self.nested(
            || pattern.start(),
            |walker| visitor::walk_pattern(walker, pattern),
        );
    }

    fn visit_interpolated_string_element(&mut self, element: &'a ast::InterpolatedStringElement) {
        self.nested(
            || element.start(),
            |walker| visitor::walk_interpolated_string_element(walker, element),
        );
    }
}

impl<'a> Walker<'a, '_> {
    /// Walks a statement (its checks first, then what it holds) with it on the stack, and
    /// each block it holds as a suite of its own.
    fn visit_statement(&mut self, statement: Statement<'a>) {
        let stmt = statement.stmt;
        self.inside(Node::Stmt(statement), |walker| {
            walker.run_stmt_checks(stmt);
            match stmt {
                Stmt::FunctionDef(function) => {
                    for decorator in &function.decorator_list {
                        walker.visit_decorator(decorator);
                    }
                    walker.visit_parameters(&function.parameters);
                    if let Some(returns) = &function.returns {
                        walker.visit_annotation(returns);
                    }
                    walker.in_definition(stmt.start(), &function.body);
                }
                Stmt::ClassDef(class) => {
                    for decorator in &class.decorator_list {
                        walker.visit_decorator(decorator);
                    }
                    if let Some(arguments) = &class.arguments {
                        walker.visit_arguments(arguments);
                    }
                    walker.in_definition(stmt.start(), &class.body);
                }
                Stmt::If(node) => {
                    walker.visit_expr(&node.test);
                    walker.visit_suite(Suite::Body, &node.body);
                    for clause in &node.elif_else_clauses {
                        walker.visit_elif_else_clause(clause);
                    }
                }
                Stmt::For(node) => {
                    walker.visit_expr(&node.iter);
                    walker.visit_expr(&node.target);
                    walker.visit_suite(Suite::Body, &node.body);
                    walker.visit_suite(Suite::OrElse, &node.orelse);
                }
                Stmt::While(node) => {
                    walker.visit_expr(&node.test);
                    walker.visit_suite(Suite::Body, &node.body);
                    walker.visit_suite(Suite::OrElse, &node.orelse);
                }
                Stmt::With(node) => {
                    for item in &node.items {
                        walker.visit_with_item(item);
                    }
                    walker.visit_suite(Suite::Body, &node.body);
                }
                Stmt::Try(node) => {
                    walker.visit_suite(Suite::Body, &node.body);
                    for handler in &node.handlers {
                        walker.visit_except_handler(handler);
                    }
                    walker.visit_suite(Suite::OrElse, &node.orelse);
                    walker.visit_suite(Suite::Finally, &node.finalbody);
                }
                _ => visitor::walk_stmt(walker, stmt),
            }
        });
    }

    fn in_definition(&mut self, start: TextSize, body: &'a [Stmt]) {
        let outer = self.checker.semantic.enter_definition(start);
        self.visit_suite(Suite::Body, body);
        if let Some(outer) = outer {
            self.checker.semantic.restore_scope(outer);
        }
    }
}
