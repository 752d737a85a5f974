//! The one walk over the tree that serves every rule.

use std::cell::{Cell, RefCell};

use crate::diagnostic::{Edit, Finding};
use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::{Ranged, SyntaxError, TextRange, TextSize};
use crate::rules::{Check, Rule};
use crate::semantic::project::ProjectModule;
use crate::semantic::settings::{settings_in_call, settings_in_stmt, Setting};
use crate::semantic::{literal_text, LiteralText, QualifiedName, SemanticModel, MAX_NESTING};

/// What a rule sees while it checks: the source, the semantic model, and where to report.
pub struct Checker<'a> {
    source: &'a str,
    semantic: SemanticModel<'a>,
    findings: RefCell<Vec<Finding>>,
    /// The statement (or `elif` / `else` clause) being walked.
    statement: Cell<Option<Header<'a>>>,
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

    /// Records a finding; it belongs to the statement being walked.
    pub fn report(&self, mut finding: Finding) {
        finding.statement = self
            .statement
            .get()
            .map_or_else(TextRange::default, |header| header.range(self.source));
        self.findings.borrow_mut().push(finding);
    }

    /// The name to use for `module` at `at`, and the edit that imports it when it is not
    /// imported yet: `import module`, once, after the docstring and `__future__` imports.
    pub fn import_module(&self, module: &str, at: TextSize) -> (String, Option<Edit>) {
        crate::fix::import_module(self, module, at)
    }
}

/// Runs the enabled rules over one module.
pub(crate) fn check_module<'a>(
    source: &'a str,
    body: &'a [Stmt],
    enabled: &[&'static Rule],
    notices: &mut Vec<SyntaxError>,
    project: Option<&'a ProjectModule>,
) -> Vec<Finding> {
    let checker = Checker {
        source,
        semantic: SemanticModel::in_project(body, project),
        findings: RefCell::new(Vec::new()),
        statement: Cell::new(None),
    };
    let mut walker = Walker {
        checker: &checker,
        checks: Dispatch::new(enabled, &checker.semantic),
        depth: 0,
        too_deep: None,
    };
    walker.visit_body(body);
    if let Some(at) = walker.too_deep {
        notices.push(SyntaxError {
            message: format!(
                "Nesting deeper than {MAX_NESTING} levels: the innermost part was not analysed"
            ),
            range: TextRange::empty(at),
        });
    }
    checker.findings.into_inner()
}

type StmtCheck = for<'a> fn(&Checker<'a>, &'a Stmt);
type ExprCheck = for<'a> fn(&Checker<'a>, &'a Expr);
type CallCheck = for<'a> fn(&Checker<'a>, &'a ast::ExprCall);
type CalleeCheck = for<'a> fn(&Checker<'a>, &'a ast::ExprCall, &QualifiedName<'a>);
type DictCheck = for<'a> fn(&Checker<'a>, &'a ast::ExprDict);
type CompareCheck = for<'a> fn(&Checker<'a>, &'a ast::ExprCompare);
type LiteralCheck = for<'a> fn(&Checker<'a>, &'a Expr, &LiteralText<'a>);
type SettingCheck = for<'a> fn(&Checker<'a>, &Setting<'a>);

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
            Check::Needs(modules, check) => {
                if semantic.has_any_import(modules) {
                    self.add(check, semantic);
                }
            }
        }
    }
}

struct Walker<'c, 'a> {
    checker: &'c Checker<'a>,
    checks: Dispatch,
    depth: usize,
    too_deep: Option<TextSize>,
}

impl<'a> Walker<'_, 'a> {
    fn run_stmt_checks(&self, stmt: &'a Stmt) {
        self.checker.semantic.next_node();
        for check in &self.checks.stmt {
            check(self.checker, stmt);
        }
        if !self.checks.setting.is_empty() {
            self.run_setting_checks(settings_in_stmt(self.checker.semantic(), stmt));
        }
    }

    fn run_setting_checks(&self, settings: Vec<Setting<'a>>) {
        for setting in &settings {
            for check in &self.checks.setting {
                check(self.checker, setting);
            }
        }
    }

    fn run_expr_checks(&self, expr: &'a Expr) {
        self.checker.semantic.next_node();
        for check in &self.checks.expr {
            check(self.checker, expr);
        }
        match expr {
            Expr::Call(call) => {
                for check in &self.checks.call {
                    check(self.checker, call);
                }
                if !self.checks.callee.is_empty() {
                    let semantic = self.checker.semantic();
                    if let Some(function) = semantic.resolve_qualified_name(&call.func) {
                        for check in &self.checks.callee {
                            check(self.checker, call, &function);
                        }
                    }
                }
                if !self.checks.setting.is_empty() {
                    self.run_setting_checks(settings_in_call(self.checker.semantic(), call));
                }
            }
            Expr::Dict(dict) => {
                for check in &self.checks.dict {
                    check(self.checker, dict);
                }
            }
            Expr::Compare(compare) => {
                for check in &self.checks.compare {
                    check(self.checker, compare);
                }
            }
            Expr::StringLiteral(_) | Expr::BytesLiteral(_) | Expr::FString(_)
                if !self.checks.literal.is_empty() =>
            {
                if let Some(literal) = literal_text(expr) {
                    for check in &self.checks.literal {
                        check(self.checker, expr, &literal);
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

    fn with_statement(&mut self, header: Header<'a>, walk: impl FnOnce(&mut Self)) {
        let outer = self.checker.statement.replace(Some(header));
        walk(self);
        self.checker.statement.set(outer);
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

impl<'a> Visitor<'a> for Walker<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.with_statement(Header::Statement(stmt), |walker| {
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
                _ => visitor::walk_stmt(walker, stmt),
            }
        });
    }

    fn visit_elif_else_clause(&mut self, clause: &'a ast::ElifElseClause) {
        self.with_statement(Header::Clause(clause), |walker| {
            visitor::walk_elif_else_clause(walker, clause)
        });
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        self.nested(
            || expr.start(),
            |walker| {
                walker.run_expr_checks(expr);
                visitor::walk_expr(walker, expr);
            },
        );
    }

    fn visit_body(&mut self, body: &'a [Stmt]) {
        let at = || body.first().map(Ranged::start).unwrap_or_default();
        self.nested(at, |walker| visitor::walk_body(walker, body));
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

impl<'a> Walker<'_, 'a> {
    fn in_definition(&mut self, start: TextSize, body: &'a [Stmt]) {
        let outer = self.checker.semantic.enter_definition(start);
        self.visit_body(body);
        if let Some(outer) = outer {
            self.checker.semantic.restore_scope(outer);
        }
    }
}
