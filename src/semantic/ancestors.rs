//! What surrounds the node a rule is checking: the statements, clauses, expressions and
//! suites the checker's one walk is inside. The walk keeps them on a stack as it goes down
//! (see `checker.rs`), so a rule asks "which function is this in, under which `if`" without
//! walking the module again.

use crate::parse::ast::{self, Expr, Stmt};

/// A node the walk is inside.
#[derive(Debug, Clone, Copy)]
pub enum Node<'a> {
    Stmt(Statement<'a>),
    /// An `elif` or `else` clause of the `if` just outside: its test and its body.
    Clause(&'a ast::ElifElseClause),
    Expr(&'a Expr),
    /// A keyword argument, between a call and the value passed by name.
    Keyword(&'a ast::Keyword),
    /// A block of statements of the statement or clause just outside.
    Suite(Suite<'a>),
}

/// A statement and where it stands in its block.
#[derive(Debug, Clone, Copy)]
pub struct Statement<'a> {
    pub stmt: &'a Stmt,
    block: &'a [Stmt],
    index: usize,
}

impl<'a> Statement<'a> {
    /// The statement at `index` of `block`.
    pub fn new(block: &'a [Stmt], index: usize) -> Option<Self> {
        Some(Statement {
            stmt: block.get(index)?,
            block,
            index,
        })
    }

    /// The block it is in, itself included.
    pub fn block(&self) -> &'a [Stmt] {
        self.block
    }

    /// The statements of its block that run before it.
    pub fn before(&self) -> &'a [Stmt] {
        self.block.get(..self.index).unwrap_or_default()
    }

    /// The statements of its block that run after it.
    pub fn after(&self) -> &'a [Stmt] {
        self.block.get(self.index + 1..).unwrap_or_default()
    }
}

/// Which block of a compound statement (or clause) holds what is inside it.
#[derive(Debug, Clone, Copy)]
pub enum Suite<'a> {
    /// The body of a function, class, `if` or `elif` / `else` clause, loop, `with` or `try`.
    Body,
    /// The `else` block of a loop or a `try`.
    OrElse,
    /// The body of an `except` clause (its exception type is outside).
    Handler(&'a ast::ExceptHandlerExceptHandler),
    Finally,
    /// The body of a `match` case (its pattern and guard are outside).
    Case(&'a ast::MatchCase),
}

/// The nodes around the node being checked.
#[derive(Clone, Copy)]
pub struct Ancestors<'s, 'a> {
    /// Outermost first; the last is the node being checked.
    nodes: &'s [Node<'a>],
}

impl<'s, 'a> Ancestors<'s, 'a> {
    /// `nodes` from the outermost to the node being checked.
    pub fn new(nodes: &'s [Node<'a>]) -> Self {
        Ancestors { nodes }
    }

    /// The node being checked.
    pub fn current(&self) -> Option<Node<'a>> {
        self.nodes.last().copied()
    }

    /// The nodes around the node being checked, innermost first (itself not included).
    pub fn iter(&self) -> impl Iterator<Item = Node<'a>> + 's {
        let outer = self.nodes.split_last().map_or(&[][..], |(_, outer)| outer);
        outer.iter().rev().copied()
    }

    /// The node just around the node being checked: the expression, keyword, clause or
    /// statement that holds it (suites are skipped).
    pub fn parent(&self) -> Option<Node<'a>> {
        self.iter().find(|node| !matches!(node, Node::Suite(_)))
    }

    /// The statements that hold the node being checked, innermost first; the node itself
    /// comes first when it is a statement.
    pub fn statements(&self) -> impl Iterator<Item = Statement<'a>> + 's {
        self.nodes.iter().rev().filter_map(|node| match node {
            Node::Stmt(statement) => Some(*statement),
            _ => None,
        })
    }

    /// The innermost statement that holds the node being checked (the node itself when it
    /// is a statement).
    pub fn enclosing_statement(&self) -> Option<Statement<'a>> {
        self.statements().next()
    }

    /// The function whose body holds the node being checked, unless the body of a class
    /// inside that function is nearer.
    pub fn enclosing_function(&self) -> Option<&'a ast::StmtFunctionDef> {
        match self.definition()?.1 {
            Stmt::FunctionDef(function) => Some(function),
            _ => None,
        }
    }

    /// The class the node being checked belongs to: the class whose body holds it, or whose
    /// body defines (directly) the method it is in. `None` in a function that is not a method.
    pub fn enclosing_class(&self) -> Option<&'a ast::StmtClassDef> {
        let (at, definition) = self.definition()?;
        match definition {
            Stmt::ClassDef(class) => Some(class),
            // `at` is the function's own statement; a method sits right in a class body.
            Stmt::FunctionDef(_) => match self.nodes.get(..at)? {
                [.., Node::Stmt(outer), Node::Suite(Suite::Body)] => match outer.stmt {
                    Stmt::ClassDef(class) => Some(class),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        }
    }

    /// The call that takes the node being checked as an argument, by position or by
    /// keyword (not as the function it calls).
    pub fn argument_of(&self) -> Option<&'a ast::ExprCall> {
        let Some(Node::Expr(current)) = self.current() else {
            return None;
        };
        let mut outer = self.iter();
        let mut parent = outer.next()?;
        if let Node::Keyword(_) = parent {
            parent = outer.next()?;
        }
        match parent {
            Node::Expr(Expr::Call(call)) if !std::ptr::eq(&*call.func, current) => Some(call),
            _ => None,
        }
    }

    /// The tests of the `if` / `elif` / `while` statements that decide whether the node
    /// being checked runs, innermost first, each with the outcome that leads to it (`true`
    /// in an `if` body, `false` in a later clause), inside the innermost function or class
    /// body.
    pub fn branch_conditions(&self) -> Vec<(&'a Expr, bool)> {
        let scope = self.scope();
        let mut conditions = Vec::new();
        for (at, node) in scope.iter().enumerate().rev() {
            let owner = at.checked_sub(1).and_then(|owner| scope.get(owner));
            match (node, owner) {
                (Node::Suite(Suite::Body), Some(Node::Stmt(statement))) => match statement.stmt {
                    Stmt::If(if_stmt) => conditions.push((&*if_stmt.test, true)),
                    Stmt::While(while_stmt) => conditions.push((&*while_stmt.test, true)),
                    _ => {}
                },
                (Node::Suite(Suite::OrElse), Some(Node::Stmt(statement))) => {
                    if let Stmt::While(while_stmt) = statement.stmt {
                        conditions.push((&*while_stmt.test, false));
                    }
                }
                (Node::Clause(clause), Some(Node::Stmt(statement))) => {
                    let Stmt::If(if_stmt) = statement.stmt else {
                        continue;
                    };
                    let in_body = matches!(scope.get(at + 1), Some(Node::Suite(Suite::Body)));
                    let earlier = if_stmt
                        .elif_else_clauses
                        .iter()
                        .take_while(|other| !std::ptr::eq(*other, *clause));
                    if in_body {
                        conditions.extend(clause.test.as_ref().map(|test| (test, true)));
                    }
                    let earlier: Vec<&Expr> = earlier.filter_map(|c| c.test.as_ref()).collect();
                    conditions.extend(earlier.into_iter().rev().map(|test| (test, false)));
                    conditions.push((&*if_stmt.test, false));
                }
                _ => {}
            }
        }
        conditions
    }

    /// The `except` clauses whose bodies hold the node being checked, innermost first,
    /// inside the innermost function or class body.
    pub fn handlers(&self) -> impl Iterator<Item = &'a ast::ExceptHandlerExceptHandler> + 's {
        self.scope().iter().rev().filter_map(|node| match node {
            Node::Suite(Suite::Handler(handler)) => Some(*handler),
            _ => None,
        })
    }

    /// The statements that run before the node being checked in each block that holds it,
    /// block by block from the innermost, inside the innermost function or class body.
    pub fn earlier_statements(&self) -> impl Iterator<Item = &'a [Stmt]> + 's {
        self.scope().iter().rev().filter_map(|node| match node {
            Node::Stmt(statement) => Some(statement.before()),
            _ => None,
        })
    }

    /// The innermost function or class whose body holds the node being checked, and the
    /// index of its statement in `nodes`.
    fn definition(&self) -> Option<(usize, &'a Stmt)> {
        let at = self.scope_start().checked_sub(2)?;
        match self.nodes.get(at)? {
            Node::Stmt(statement) => Some((at, statement.stmt)),
            _ => None,
        }
    }

    /// The nodes inside the innermost function or class body (all of them at module level).
    fn scope(&self) -> &'s [Node<'a>] {
        self.nodes.get(self.scope_start()..).unwrap_or_default()
    }

    /// Where the nodes inside the innermost function or class body start.
    fn scope_start(&self) -> usize {
        self.nodes
            .windows(2)
            .rposition(|pair| match pair {
                [Node::Stmt(statement), Node::Suite(Suite::Body)] => {
                    matches!(statement.stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_))
                }
                _ => false,
            })
            .map_or(0, |at| at + 2)
    }
}
