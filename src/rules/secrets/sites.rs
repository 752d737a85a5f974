//! Where a hardcoded value sits: the name it is bound to, and whether it is test code.

use crate::checker::Checker;
use crate::diagnostic::{Edit, Fix};
use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::{Ranged, TextRange, TextSize};

/// Nesting deeper than this is not searched (the walk that found the value stops earlier).
const MAX_DEPTH: usize = 200;

/// The name a target gives its value: `x` for `x = ...`, `password` for `self.password = ...`,
/// `SECRET_KEY` for `app.config["SECRET_KEY"] = ...`.
pub fn target_name(target: &Expr) -> Option<&str> {
    match target {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attribute) => Some(attribute.attr.id.as_str()),
        Expr::Subscript(subscript) => match &*subscript.slice {
            Expr::StringLiteral(key) => Some(key.value.to_str()),
            _ => None,
        },
        _ => None,
    }
}

/// The name the value at `range` is bound to: the assignment target, the keyword, the dict
/// key or the parameter whose default it is. `None` for a positional argument and the like.
pub fn bound_name<'a>(checker: &Checker<'a>, range: TextRange) -> Option<&'a str> {
    let mut finder = NameFinder {
        target: range,
        found: None,
        depth: 0,
    };
    finder.visit_body(checker.semantic().body());
    finder.found
}

struct NameFinder<'a> {
    target: TextRange,
    found: Option<&'a str>,
    depth: usize,
}

impl<'a> NameFinder<'a> {
    fn is_target(&self, expr: &Expr) -> bool {
        expr.range() == self.target
    }
}

// Siblings are sorted and disjoint, so the walk goes straight down to the one that holds
// the target (a binary search) instead of asking each: a dict of 100,000 secrets is
// searched 100,000 times, once per secret.
impl<'a> Visitor<'a> for NameFinder<'a> {
    fn visit_body(&mut self, body: &'a [Stmt]) {
        if let Some(stmt) = holding(body, self.target) {
            self.visit_stmt(stmt);
        }
    }

    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.found.is_some() || !stmt.range().contains_range(self.target) {
            return;
        }
        match stmt {
            Stmt::Assign(assign) if self.is_target(&assign.value) => {
                self.found = assign.targets.iter().find_map(target_name);
                return;
            }
            Stmt::AnnAssign(assign)
                if assign.value.as_deref().is_some_and(|v| self.is_target(v)) =>
            {
                self.found = target_name(&assign.target);
                return;
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found.is_some()
            || !expr.range().contains_range(self.target)
            || self.depth > MAX_DEPTH
        {
            return;
        }
        self.depth += 1;
        match expr {
            Expr::Dict(dict) => {
                if let Some(item) = holding(&dict.items, self.target) {
                    match &item.key {
                        Some(Expr::StringLiteral(key)) if self.is_target(&item.value) => {
                            self.found = Some(key.value.to_str());
                        }
                        key => {
                            if let Some(key) = key {
                                self.visit_expr(key);
                            }
                            self.visit_expr(&item.value);
                        }
                    }
                }
            }
            Expr::Call(call) => {
                let keyword = holding(&call.arguments.keywords, self.target);
                match keyword {
                    Some(keyword) if self.is_target(&keyword.value) => {
                        self.found = keyword.arg.as_ref().map(|arg| arg.id.as_str());
                    }
                    _ => {
                        self.visit_expr(&call.func);
                        if let Some(argument) = holding(&call.arguments.args, self.target) {
                            self.visit_expr(argument);
                        }
                        if let Some(keyword) = keyword {
                            self.visit_expr(&keyword.value);
                        }
                    }
                }
            }
            Expr::List(ast::ExprList { elts, .. })
            | Expr::Tuple(ast::ExprTuple { elts, .. })
            | Expr::Set(ast::ExprSet { elts, .. }) => {
                if let Some(element) = holding(elts, self.target) {
                    self.visit_expr(element);
                }
            }
            _ => visitor::walk_expr(self, expr),
        }
        self.depth -= 1;
    }

    fn visit_parameters(&mut self, parameters: &'a ast::Parameters) {
        let lists = [
            &parameters.posonlyargs,
            &parameters.args,
            &parameters.kwonlyargs,
        ];
        let Some(parameter) = lists
            .into_iter()
            .find_map(|list| holding(list, self.target))
        else {
            // In a `*args` or `**kwargs` annotation, or not in the parameters at all.
            visitor::walk_parameters(self, parameters);
            return;
        };
        match parameter.default.as_deref() {
            Some(default) if self.is_target(default) => {
                self.found = Some(parameter.parameter.name.as_str());
            }
            default => {
                if let Some(default) = default {
                    self.visit_expr(default);
                }
                self.visit_parameter(&parameter.parameter);
            }
        }
    }
}

/// The one of `nodes` (sorted and disjoint, like a body or a call's arguments) whose range
/// holds `range`, found by binary search.
fn holding<T: Ranged>(nodes: &[T], range: TextRange) -> Option<&T> {
    let first_reaching = nodes.partition_point(|node| node.end() < range.end());
    nodes
        .get(first_reaching)
        .filter(|node| node.range().contains_range(range))
}

/// True inside a test: a `test*` function, a `setUp`-like method, a method of a `Test*` /
/// `*Test(s|Case)` class, or a `pytest.fixture`. Credentials there are fixtures, not secrets.
pub fn is_test_code(checker: &Checker, at: TextSize) -> bool {
    let semantic = checker.semantic();
    enclosing_statements(semantic.body(), at)
        .into_iter()
        .any(|stmt| match stmt {
            Stmt::FunctionDef(function) => {
                let name = function.name.as_str();
                let is_fixture = function.decorator_list.iter().any(|decorator| {
                    let callee = match &decorator.expression {
                        Expr::Call(call) => &*call.func,
                        other => other,
                    };
                    semantic
                        .resolve_qualified_name(callee)
                        .is_some_and(|qualified| qualified.segments() == ["pytest", "fixture"])
                });
                name.starts_with("test")
                    || matches!(
                        name,
                        "setUp" | "setUpClass" | "setUpTestData" | "asyncSetUp"
                    )
                    || is_fixture
            }
            Stmt::ClassDef(class) => {
                let name = class.name.as_str();
                name.starts_with("Test")
                    || name.ends_with("Test")
                    || name.ends_with("Tests")
                    || name.ends_with("TestCase")
            }
            _ => false,
        })
}

/// True when `expr` is a statement of its own: a docstring or a string used as a comment.
pub fn is_bare_string(checker: &Checker, expr: &Expr) -> bool {
    let statements = enclosing_statements(checker.semantic().body(), expr.start());
    matches!(statements.last(), Some(Stmt::Expr(statement)) if statement.value.range() == expr.range())
}

/// The statements that hold `at`, outermost first.
fn enclosing_statements(body: &[Stmt], at: TextSize) -> Vec<&Stmt> {
    let mut chain = Vec::new();
    let mut body = body;
    while chain.len() < MAX_DEPTH {
        let Some(stmt) = statement_at(body, at) else {
            break;
        };
        chain.push(stmt);
        match child_body_at(stmt, at) {
            Some(inner) => body = inner,
            None => break,
        }
    }
    chain
}

/// The block of a compound statement that holds `at`.
fn child_body_at(stmt: &Stmt, at: TextSize) -> Option<&[Stmt]> {
    let mut blocks: Vec<&[Stmt]> = Vec::new();
    match stmt {
        Stmt::FunctionDef(node) => blocks.push(&node.body),
        Stmt::ClassDef(node) => blocks.push(&node.body),
        Stmt::If(node) => {
            blocks.push(&node.body);
            blocks.extend(node.elif_else_clauses.iter().map(|clause| &clause.body[..]));
        }
        Stmt::For(node) => blocks.extend([&node.body[..], &node.orelse[..]]),
        Stmt::While(node) => blocks.extend([&node.body[..], &node.orelse[..]]),
        Stmt::With(node) => blocks.push(&node.body),
        Stmt::Try(node) => {
            blocks.extend([&node.body[..], &node.orelse[..], &node.finalbody[..]]);
            blocks.extend(node.handlers.iter().map(|handler| match handler {
                ast::ExceptHandler::ExceptHandler(handler) => &handler.body[..],
            }));
        }
        Stmt::Match(node) => blocks.extend(node.cases.iter().map(|case| &case.body[..])),
        _ => {}
    }
    blocks
        .into_iter()
        .find(|block| statement_at(block, at).is_some())
}

/// The statement of `body` whose range contains `at`, found by binary search.
fn statement_at(body: &[Stmt], at: TextSize) -> Option<&Stmt> {
    let first_past = body.partition_point(|stmt| stmt.end() <= at);
    body.get(first_past)
        .filter(|stmt| stmt.range().contains(at))
}

/// A comment between the parts of an implicitly concatenated literal (a fix would lose it).
fn has_comment_inside(checker: &Checker, value: &Expr) -> bool {
    let parts: Vec<TextRange> = match value {
        Expr::StringLiteral(literal) => literal.value.iter().map(Ranged::range).collect(),
        Expr::BytesLiteral(literal) => literal.value.iter().map(Ranged::range).collect(),
        _ => return false,
    };
    parts.windows(2).any(|pair| {
        let gap = checker
            .source()
            .get(pair[0].end().to_usize()..pair[1].start().to_usize())
            .unwrap_or("");
        gap.contains('#')
    })
}

/// `"…"` → `os.environ["NAME"]` (`.encode()` for bytes), importing `os` when needed. `None`
/// when a comment sits between the parts of the literal (the rewrite would lose it).
pub fn environment_fix(
    checker: &Checker,
    value: &Expr,
    variable: &str,
    bytes: bool,
) -> Option<Fix> {
    if has_comment_inside(checker, value) {
        return None;
    }
    let (os, import) = checker.import_module("os", value.start());
    let encode = if bytes { ".encode()" } else { "" };
    let mut edits = vec![Edit::replace(
        value.range(),
        format!("{os}.environ[\"{variable}\"]{encode}"),
    )];
    edits.extend(import);
    Some(Fix::unsafe_edits(
        format!("Read it from the environment variable `{variable}`"),
        edits,
    ))
}

#[cfg(test)]
mod tests {
    use crate::{analyze, Options};

    /// The environment variable each fix reads, in source order.
    fn fix_variables(source: &str) -> Vec<String> {
        analyze(source, &Options::default())
            .findings
            .iter()
            .filter_map(|finding| {
                let edits = &finding.fix.as_ref()?.edits;
                let replacement = edits.iter().find(|edit| !edit.range.is_empty())?;
                Some(replacement.content.clone())
            })
            .collect()
    }

    /// The name search goes straight down to the node holding the value (a binary search
    /// among siblings); it must still find the name through bodies, calls and literals.
    #[test]
    fn bound_names_are_found_through_nested_bodies_and_literals() {
        let key = "sk_live_9t2039bicBTW5ZE9LFaez777";
        let source = format!(
            "x = 1\n\
             class Settings:\n\
             \x20   y = 2\n\
             \x20   def load(self, *, stripe_api_key=\"{key}\"):\n\
             \x20       pass\n\
             \x20       conf = [1, (2, {{\"a\": 3, \"stripe_secret_key\": \"{key}\"}})]\n\
             \x20       setup(f(4), g(5, billing_api_key=\"{key}\"), z=6)\n\
             \x20       payment_token: str = \"{key}\"\n\
             \x20       keys = [0, \"{key}\", 1]\n\
             z = 3\n"
        );
        assert_eq!(
            fix_variables(&source),
            [
                "os.environ[\"STRIPE_API_KEY\"]",
                "os.environ[\"STRIPE_SECRET_KEY\"]",
                "os.environ[\"BILLING_API_KEY\"]",
                "os.environ[\"PAYMENT_TOKEN\"]",
                // No name: the format's usual variable.
                "os.environ[\"STRIPE_SECRET_KEY\"]",
            ]
        );
    }
}
