//! The statements around a node: which compound statements hold it, and what runs before
//! it in each block. The checker walks top-down and keeps no parents, so this finds them
//! again from the module body.

use crate::parse::ast::{Stmt, Suite};
use crate::parse::TextRange;

/// Deeper nesting than this is not followed (the checker stops at 200 levels too).
const MAX_DEPTH: usize = 200;

/// One block on the way down to a node: the block's statements and the index of the one
/// that holds (or is) the node.
pub struct Level<'a> {
    pub block: &'a [Stmt],
    pub index: usize,
}

impl<'a> Level<'a> {
    /// The statement of this block that holds the node.
    pub fn statement(&self) -> &'a Stmt {
        &self.block[self.index]
    }

    /// The statements of this block that run before it.
    pub fn before(&self) -> &'a [Stmt] {
        &self.block[..self.index]
    }
}

/// The blocks from the module body down to the innermost statement holding `range`.
pub fn levels_to(body: &[Stmt], range: TextRange) -> Vec<Level<'_>> {
    let mut levels = Vec::new();
    let mut block = body;
    while levels.len() < MAX_DEPTH {
        let Some(index) = crate::semantic::statement_containing(block, range) else {
            break;
        };
        levels.push(Level { block, index });
        match child_blocks(&block[index])
            .into_iter()
            .find(|child| crate::semantic::statement_containing(child, range).is_some())
        {
            Some(child) => block = child,
            None => break,
        }
    }
    levels
}

/// The blocks a compound statement holds.
fn child_blocks(stmt: &Stmt) -> Vec<&Suite> {
    match stmt {
        Stmt::FunctionDef(function) => vec![&function.body],
        Stmt::ClassDef(class) => vec![&class.body],
        Stmt::If(node) => std::iter::once(&node.body)
            .chain(node.elif_else_clauses.iter().map(|clause| &clause.body))
            .collect(),
        Stmt::For(node) => vec![&node.body, &node.orelse],
        Stmt::While(node) => vec![&node.body, &node.orelse],
        Stmt::With(node) => vec![&node.body],
        Stmt::Try(node) => std::iter::once(&node.body)
            .chain(node.handlers.iter().map(|handler| {
                let crate::parse::ast::ExceptHandler::ExceptHandler(handler) = handler;
                &handler.body
            }))
            .chain([&node.orelse, &node.finalbody])
            .collect(),
        Stmt::Match(node) => node.cases.iter().map(|case| &case.body).collect(),
        _ => Vec::new(),
    }
}
