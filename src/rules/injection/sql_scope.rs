//! Searches through a function's statements: how often a variable is read (a query variable
//! used once can be rewritten where it is built), and what a list variable is filled with.

use crate::parse::ast::statement_visitor::{self, StatementVisitor};
use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{Expr, ExprContext, Stmt};
use crate::parse::{Ranged, TextSize};
use crate::semantic::MAX_NESTING;

/// How many times `name` is read in the innermost function around `at` (the whole module
/// when there is none), nested functions included. `None` when nested too deeply to count.
pub fn uses_of(body: &[Stmt], name: &str, at: TextSize) -> Option<usize> {
    let mut finder = InnermostFunction { at, body, depth: 0 };
    finder.visit_body(body);
    let mut counter = NameReads {
        name,
        count: 0,
        depth: 0,
        too_deep: false,
    };
    counter.visit_body(finder.body);
    (!counter.too_deep).then_some(counter.count)
}

struct InnermostFunction<'a> {
    at: TextSize,
    body: &'a [Stmt],
    depth: usize,
}

impl<'a> StatementVisitor<'a> for InnermostFunction<'a> {
    fn visit_body(&mut self, body: &'a [Stmt]) {
        // Statements are in source order and do not overlap: the first that ends after `at`
        // is the only one that can hold it.
        let index = body.partition_point(|stmt| stmt.end() <= self.at);
        if let Some(stmt) = body.get(index) {
            self.visit_stmt(stmt);
        }
    }

    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth >= MAX_NESTING || !stmt.range().contains(self.at) {
            return;
        }
        if let Stmt::FunctionDef(function) = stmt {
            self.body = &function.body;
        }
        self.depth += 1;
        statement_visitor::walk_stmt(self, stmt);
        self.depth -= 1;
    }
}

struct NameReads<'n> {
    name: &'n str,
    count: usize,
    depth: usize,
    too_deep: bool,
}

impl<'a> Visitor<'a> for NameReads<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth >= MAX_NESTING {
            self.too_deep = true;
            return;
        }
        self.depth += 1;
        visitor::walk_stmt(self, stmt);
        self.depth -= 1;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth >= MAX_NESTING {
            self.too_deep = true;
            return;
        }
        if let Expr::Name(name) = expr {
            if name.id.as_str() == self.name && name.ctx != ExprContext::Store {
                self.count += 1;
            }
        }
        self.depth += 1;
        visitor::walk_expr(self, expr);
        self.depth -= 1;
    }
}

/// What a list variable is filled with after it is made.
pub struct ListAdditions<'a> {
    /// Items of `name.append(item)` and `name.insert(i, item)`.
    pub items: Vec<&'a Expr>,
    /// Sequences of `name.extend(sequence)`.
    pub sequences: Vec<&'a Expr>,
}

/// Everything put into the list `name` in the innermost function around `at` (the module
/// when there is none). `None` when the list may change another way: passed to a call,
/// aliased, item-assigned, or nested too deeply to tell.
pub fn list_additions<'a>(body: &'a [Stmt], name: &str, at: TextSize) -> Option<ListAdditions<'a>> {
    let mut finder = InnermostFunction { at, body, depth: 0 };
    finder.visit_body(body);
    let mut collector = ListUses {
        name,
        additions: ListAdditions {
            items: Vec::new(),
            sequences: Vec::new(),
        },
        escapes: false,
        depth: 0,
    };
    collector.visit_body(finder.body);
    (!collector.escapes).then_some(collector.additions)
}

struct ListUses<'n, 'a> {
    name: &'n str,
    additions: ListAdditions<'a>,
    /// The list may change in a way we do not follow.
    escapes: bool,
    depth: usize,
}

impl ListUses<'_, '_> {
    fn is_the_list(&self, expr: &Expr) -> bool {
        matches!(expr, Expr::Name(name) if name.id.as_str() == self.name)
    }
}

/// Calls that read a sequence without changing it.
const READS_ONLY: &[&str] = &[
    "join",
    "len",
    "bool",
    "list",
    "tuple",
    "sorted",
    "enumerate",
    "any",
    "all",
    "reversed",
];

impl<'a> Visitor<'a> for ListUses<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth >= MAX_NESTING {
            self.escapes = true;
            return;
        }
        if let Stmt::Assign(assign) = stmt {
            if self.is_the_list(&assign.value) {
                self.escapes = true;
            }
        }
        self.depth += 1;
        visitor::walk_stmt(self, stmt);
        self.depth -= 1;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth >= MAX_NESTING {
            self.escapes = true;
            return;
        }
        match expr {
            Expr::Call(call) => {
                if let Expr::Attribute(method) = &*call.func {
                    if self.is_the_list(&method.value) {
                        let args = &call.arguments.args;
                        match (method.attr.id.as_str(), args.len()) {
                            ("append", 1) => self.additions.items.push(&args[0]),
                            ("insert", 2) => self.additions.items.push(&args[1]),
                            ("extend", 1) => self.additions.sequences.push(&args[0]),
                            (
                                "pop" | "remove" | "clear" | "copy" | "count" | "index" | "sort"
                                | "reverse",
                                _,
                            ) => {}
                            _ => self.escapes = true,
                        }
                    }
                }
                let callee = match &*call.func {
                    Expr::Attribute(method) => method.attr.id.as_str(),
                    Expr::Name(function) => function.id.as_str(),
                    _ => "",
                };
                let passed = call.arguments.args.iter().any(|arg| self.is_the_list(arg))
                    || call
                        .arguments
                        .keywords
                        .iter()
                        .any(|keyword| self.is_the_list(&keyword.value));
                if passed && !READS_ONLY.contains(&callee) {
                    self.escapes = true;
                }
            }
            Expr::Subscript(subscript)
                if self.is_the_list(&subscript.value) && subscript.ctx != ExprContext::Load =>
            {
                self.escapes = true;
            }
            _ => {}
        }
        self.depth += 1;
        visitor::walk_expr(self, expr);
        self.depth -= 1;
    }
}
