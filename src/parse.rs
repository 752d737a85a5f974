//! The only module that names the parser crate.
//!
//! Everything else in pyvet sees the syntax tree through the re-exports below, so
//! upgrading the parser touches this file and the semantic layer, not every rule.

pub use ruff_python_ast as ast;
pub use ruff_text_size::{Ranged, TextLen, TextRange, TextSize};

use std::cell::RefCell;

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::visitor::transformer::{self, Transformer};
use ruff_python_parser::{parse_unchecked_source, ParseErrorType};

/// A syntax error found while parsing. Errors are data: the rest of the tree is still analysed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub range: TextRange,
}

/// A parsed module: the (possibly partial) tree, the syntax errors, and where the comments are.
pub struct ParsedModule {
    pub body: Vec<ast::Stmt>,
    pub errors: Vec<SyntaxError>,
    /// Ranges of `#` comments, in source order. Comment text inside string literals is not here.
    pub comments: Vec<TextRange>,
    /// An upper bound on how deep the tree nests, from the tokens (see [`NestingBound`]);
    /// [`free_tree`] uses it to pick the fast way of freeing the tree when that is safe.
    pub nesting_bound: usize,
}

/// Parses a Python module, recovering from errors.
pub fn parse_module(source: &str) -> ParsedModule {
    let parsed = parse_unchecked_source(source, ast::PySourceType::Python);
    let errors = parsed
        .errors()
        .iter()
        .map(|error| SyntaxError {
            message: describe_error(&error.error),
            range: error.location,
        })
        .collect();
    let mut comments = Vec::new();
    let mut nesting = NestingBound::default();
    for token in parsed.tokens().iter() {
        if token.kind() == TokenKind::Comment {
            comments.push(token.range());
        }
        nesting.add(token.kind());
    }
    ParsedModule {
        body: parsed.into_syntax().body.into_iter().collect(),
        errors,
        comments,
        nesting_bound: nesting.bound(),
    }
}

/// Bounds the depth of a tree from its tokens, without walking the tree.
///
/// Inside one logical line every level of expression nesting takes at least one token of
/// that line (a bracket, an operator, a dot, a keyword) and adds at most a few tree levels,
/// and a statement nests inside another only through an indented block (`try` → handler →
/// body is three levels). So the longest logical line plus three per indent level bounds the
/// depth up to a small constant factor, which is all [`free_tree`] needs to know.
#[derive(Default)]
struct NestingBound {
    indent: usize,
    deepest_indent: usize,
    line_tokens: usize,
    longest_line: usize,
}

impl NestingBound {
    fn add(&mut self, kind: TokenKind) {
        match kind {
            TokenKind::Indent => {
                self.indent += 1;
                self.deepest_indent = self.deepest_indent.max(self.indent);
            }
            TokenKind::Dedent => self.indent = self.indent.saturating_sub(1),
            TokenKind::Newline => {
                self.longest_line = self.longest_line.max(self.line_tokens);
                self.line_tokens = 0;
            }
            _ => self.line_tokens += 1,
        }
    }

    fn bound(&self) -> usize {
        self.longest_line.max(self.line_tokens) + 3 * self.deepest_indent
    }
}

fn describe_error(error: &ParseErrorType) -> String {
    let text = error.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Invalid syntax".to_string(),
    }
}

/// Above this bound a tree is freed without recursion; below it, the ordinary way (about
/// twice as fast) is safe on any stack we run on, WebAssembly's 1 MiB included. Only a few
/// dozen of the 1,790 standard library files are above it (large literal tables).
const RECURSIVE_DROP_DEPTH: usize = 1_000;

/// Frees a syntax tree without overflowing the stack, however deep it is.
///
/// Dropping a tree the ordinary way recurses once per level, and a tree can be far deeper
/// than its source looks: `x = 1 + 1 + ... + 1` with 100,000 terms parses in a loop but
/// is 100,000 nested `BinOp`s, enough to overflow a thread's stack when dropped. Deep trees
/// are taken apart instead: every node hands its children to a work list before it is
/// dropped, so each drop is shallow.
pub fn free_tree(body: Vec<ast::Stmt>, nesting_bound: usize) {
    if nesting_bound <= RECURSIVE_DROP_DEPTH {
        drop(body);
        return;
    }
    let children = Children::default();
    children.statements.borrow_mut().extend(body);
    loop {
        // Each `pop` ends its borrow before the walk pushes the popped node's children.
        let statement = children.statements.borrow_mut().pop();
        if let Some(mut statement) = statement {
            transformer::walk_stmt(&children, &mut statement);
            continue;
        }
        let expression = children.expressions.borrow_mut().pop();
        if let Some(mut expression) = expression {
            transformer::walk_expr(&children, &mut expression);
            continue;
        }
        let pattern = children.patterns.borrow_mut().pop();
        if let Some(mut pattern) = pattern {
            transformer::walk_pattern(&children, &mut pattern);
            continue;
        }
        let format_spec = children.format_specs.borrow_mut().pop();
        if let Some(mut format_spec) = format_spec {
            for element in &mut format_spec.elements {
                children.visit_interpolated_string_element(element);
            }
            continue;
        }
        break;
    }
}

/// Takes each child node out of its parent (leaving a leaf in its place) onto a work list.
#[derive(Default)]
struct Children {
    statements: RefCell<Vec<ast::Stmt>>,
    expressions: RefCell<Vec<ast::Expr>>,
    patterns: RefCell<Vec<ast::Pattern>>,
    format_specs: RefCell<Vec<ast::InterpolatedStringFormatSpec>>,
}

impl Transformer for Children {
    fn visit_stmt(&self, statement: &mut ast::Stmt) {
        let leaf = ast::Stmt::Pass(ast::StmtPass {
            node_index: ast::AtomicNodeIndex::default(),
            range: TextRange::default(),
        });
        self.statements
            .borrow_mut()
            .push(std::mem::replace(statement, leaf));
    }

    fn visit_expr(&self, expression: &mut ast::Expr) {
        let leaf = ast::Expr::NoneLiteral(ast::ExprNoneLiteral::default());
        self.expressions
            .borrow_mut()
            .push(std::mem::replace(expression, leaf));
    }

    fn visit_pattern(&self, pattern: &mut ast::Pattern) {
        let leaf = ast::Pattern::MatchStar(ast::PatternMatchStar {
            node_index: ast::AtomicNodeIndex::default(),
            range: TextRange::default(),
            name: None,
        });
        self.patterns
            .borrow_mut()
            .push(std::mem::replace(pattern, leaf));
    }

    fn visit_interpolated_string_element(&self, element: &mut ast::InterpolatedStringElement) {
        if let ast::InterpolatedStringElement::Interpolation(interpolation) = element {
            self.visit_expr(&mut interpolation.expression);
            self.format_specs
                .borrow_mut()
                .extend(interpolation.format_spec.take().map(|spec| *spec));
        }
    }
}
