//! Where a hardcoded value sits: the name it is bound to, and whether it is test code.

use crate::checker::Checker;
use crate::diagnostic::{Edit, Fix};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::{Ranged, TextRange, TextSize};

/// Nesting deeper than this is not searched (the walk that found the value stops earlier).
const MAX_DEPTH: usize = 200;

pub use crate::semantic::target_name;

/// The name the value at `range` is bound to: the assignment target, the keyword, the dict
/// key or the parameter whose default it is. `None` for a positional argument and the like.
pub fn bound_name<'a>(checker: &Checker<'a>, range: TextRange) -> Option<&'a str> {
    checker.semantic().bound_name(range)
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

/// The statement of `block` that holds `at`.
fn statement_at(block: &[Stmt], at: TextSize) -> Option<&Stmt> {
    crate::semantic::statement_containing(block, TextRange::empty(at)).map(|index| &block[index])
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

    /// Names come from an index of the whole module (built once); it must find them through
    /// bodies, calls and literals.
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
