//! The only module that names the parser crate.
//!
//! Everything else in pyvet sees the syntax tree through the re-exports below, so
//! upgrading the parser touches this file and the semantic layer, not every rule.

pub use ruff_python_ast as ast;
pub use ruff_text_size::{Ranged, TextLen, TextRange, TextSize};

use ruff_python_ast::token::TokenKind;
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
    let comments = parsed
        .tokens()
        .iter()
        .filter(|token| token.kind() == TokenKind::Comment)
        .map(|token| token.range())
        .collect();
    ParsedModule {
        body: parsed.into_syntax().body.into_iter().collect(),
        errors,
        comments,
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
