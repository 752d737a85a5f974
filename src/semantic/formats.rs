//! How each value is put into a string by the expression right around it: as an f-string
//! field with a format spec (`f"{count:d}"`) or as an operand of `%` (`"%d" % count`,
//! `"%s-%d" % (name, count)`). Collected in one walk the first time a rule asks, so a rule
//! that meets the value elsewhere (through the name that holds the string) looks it up
//! instead of searching the module for its parent.

use rustc_hash::FxHashMap as HashMap;

use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{self, Expr, Operator, Stmt};

use super::MAX_NESTING;

/// How a value is formatted into a string.
#[derive(Debug, Clone, Copy)]
pub enum Formatting<'a> {
    /// A field of an f-string, with its format spec: `f"{value:spec}"`.
    Spec(&'a ast::InterpolatedStringFormatSpec),
    /// An operand of `format % ...`: the format, and the value's position among the operands
    /// (0 for the whole right side).
    Percent { format: &'a Expr, position: usize },
}

/// The formatting of every value formatted in the module, by the value's address.
pub(super) fn collect(body: &[Stmt]) -> HashMap<usize, Formatting<'_>> {
    let mut collector = Collector {
        formats: HashMap::default(),
        depth: 0,
    };
    collector.visit_body(body);
    collector.formats
}

/// The key of a value in the table: its address (two nodes may share a range).
pub(super) fn key(value: &Expr) -> usize {
    std::ptr::from_ref(value) as usize
}

struct Collector<'a> {
    formats: HashMap<usize, Formatting<'a>>,
    depth: usize,
}

impl<'a> Visitor<'a> for Collector<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.visit_nested(|collector| visitor::walk_stmt(collector, stmt));
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::FString(fstring) => {
                for element in fstring.value.elements() {
                    if let ast::InterpolatedStringElement::Interpolation(field) = element {
                        if let Some(spec) = &field.format_spec {
                            self.formats
                                .insert(key(&field.expression), Formatting::Spec(spec));
                        }
                    }
                }
            }
            Expr::BinOp(binop) if binop.op == Operator::Mod => {
                let format = &*binop.left;
                let operands = &*binop.right;
                self.formats.insert(
                    key(operands),
                    Formatting::Percent {
                        format,
                        position: 0,
                    },
                );
                if let Expr::Tuple(tuple) = operands {
                    for (position, value) in tuple.elts.iter().enumerate() {
                        self.formats
                            .insert(key(value), Formatting::Percent { format, position });
                    }
                }
            }
            _ => {}
        }
        self.visit_nested(|collector| visitor::walk_expr(collector, expr));
    }
}

impl Collector<'_> {
    /// Deeper than [`MAX_NESTING`] the walk stops too.
    fn visit_nested(&mut self, walk: impl FnOnce(&mut Self)) {
        if self.depth >= MAX_NESTING {
            return;
        }
        self.depth += 1;
        walk(self);
        self.depth -= 1;
    }
}
