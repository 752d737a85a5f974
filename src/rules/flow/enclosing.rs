//! What surrounds a node: the function it is in, the `if` tests that lead to it, the
//! statements that run before it in each enclosing block, the `except` handlers around it.
//!
//! The checker walks down and keeps no parents, so a rule that needs them (usually only once
//! it already has a finding) descends again from the module, entering only the statements
//! that contain the node.

use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::{Ranged, TextRange};
use crate::semantic::MAX_NESTING;

#[derive(Default)]
pub struct Enclosing<'a> {
    /// The innermost function containing the node.
    pub function: Option<&'a ast::StmtFunctionDef>,
    /// The class whose body defines that function (a method), or that contains the node.
    pub class: Option<&'a ast::StmtClassDef>,
    /// Inside the innermost function (or module, or class), each enclosing block with the
    /// index of the statement containing the node, outermost first.
    pub blocks: Vec<(&'a [Stmt], usize)>,
    /// Tests of the `if` / `elif` / `while` statements whose bodies contain the node.
    pub conditions: Vec<&'a Expr>,
    /// The `except` clauses containing the node, outermost first.
    pub handlers: Vec<&'a ast::ExceptHandlerExceptHandler>,
}

/// The surroundings of the node at `range` in the module `body`.
pub fn enclosing(body: &[Stmt], range: TextRange) -> Enclosing<'_> {
    let mut found = Enclosing::default();
    let mut block = body;
    for _ in 0..MAX_NESTING {
        // Statements in a block are in source order: a binary search finds the one that
        // holds `range` without scanning a module of thousands of statements.
        let index = block.partition_point(|stmt| stmt.end() < range.end());
        if !block
            .get(index)
            .is_some_and(|stmt| stmt.range().contains_range(range))
        {
            break;
        }
        found.blocks.push((block, index));
        let Some(inner) = step_into(&block[index], range, &mut found) else {
            break;
        };
        block = inner;
    }
    found
}

fn contains(body: &[Stmt], range: TextRange) -> bool {
    match (body.first(), body.last()) {
        (Some(first), Some(last)) => first.start() <= range.start() && range.end() <= last.end(),
        _ => false,
    }
}

/// The block of `stmt` that holds `range`, recording what entering it means.
fn step_into<'a>(
    stmt: &'a Stmt,
    range: TextRange,
    found: &mut Enclosing<'a>,
) -> Option<&'a [Stmt]> {
    match stmt {
        Stmt::FunctionDef(function) if contains(&function.body, range) => {
            let class = found
                .class
                .filter(|_| found.function.is_none() && is_method(found));
            *found = Enclosing {
                function: Some(function),
                class,
                ..Enclosing::default()
            };
            Some(&function.body)
        }
        Stmt::ClassDef(class) if contains(&class.body, range) => {
            *found = Enclosing {
                class: Some(class),
                ..Enclosing::default()
            };
            Some(&class.body)
        }
        Stmt::If(if_stmt) => {
            if contains(&if_stmt.body, range) {
                found.conditions.push(&if_stmt.test);
                return Some(&if_stmt.body);
            }
            let clause = if_stmt
                .elif_else_clauses
                .iter()
                .position(|clause| contains(&clause.body, range))?;
            found.conditions.push(&if_stmt.test);
            for earlier in &if_stmt.elif_else_clauses[..=clause] {
                found.conditions.extend(earlier.test.as_ref());
            }
            Some(&if_stmt.elif_else_clauses[clause].body)
        }
        Stmt::While(while_stmt) if contains(&while_stmt.body, range) => {
            found.conditions.push(&while_stmt.test);
            Some(&while_stmt.body)
        }
        Stmt::While(while_stmt) => Some(&while_stmt.orelse[..]).filter(|b| contains(b, range)),
        Stmt::For(for_stmt) => [&for_stmt.body, &for_stmt.orelse]
            .into_iter()
            .find(|body| contains(body, range))
            .map(|body| &body[..]),
        Stmt::With(with) => Some(&with.body[..]).filter(|body| contains(body, range)),
        Stmt::Try(try_stmt) => {
            for handler in &try_stmt.handlers {
                let ast::ExceptHandler::ExceptHandler(handler) = handler;
                if contains(&handler.body, range) {
                    found.handlers.push(handler);
                    return Some(&handler.body);
                }
            }
            [&try_stmt.body, &try_stmt.orelse, &try_stmt.finalbody]
                .into_iter()
                .find(|body| contains(body, range))
                .map(|body| &body[..])
        }
        Stmt::Match(match_stmt) => match_stmt
            .cases
            .iter()
            .find(|case| contains(&case.body, range))
            .map(|case| &case.body[..]),
        _ => None,
    }
}

/// True when the function about to be entered is defined directly in the class body.
fn is_method(found: &Enclosing) -> bool {
    found.blocks.len() == 1
}

/// The last identifier of a dotted name: `abort` for `flask.abort`.
pub fn last_identifier(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attribute) => Some(attribute.attr.id.as_str()),
        _ => None,
    }
}
