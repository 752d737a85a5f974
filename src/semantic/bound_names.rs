//! The name each value is given where it is written: the assignment target, the keyword,
//! the dict key or the parameter whose default it is. Collected in one walk the first time
//! a rule asks, so asking for each of 100,000 values costs one lookup each, not a walk of
//! the module each.

use rustc_hash::FxHashMap as HashMap;

use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::{Ranged, TextRange};

use super::MAX_NESTING;

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

/// Every named value of a module, by its range. Where two nodes share a range, the outer
/// one's name wins.
pub(super) fn collect(body: &[Stmt]) -> HashMap<TextRange, &str> {
    let mut collector = Collector {
        names: HashMap::default(),
        depth: 0,
    };
    collector.visit_body(body);
    collector.names
}

struct Collector<'a> {
    names: HashMap<TextRange, &'a str>,
    depth: usize,
}

impl<'a> Collector<'a> {
    fn name(&mut self, value: &Expr, name: Option<&'a str>) {
        if let Some(name) = name {
            self.names.entry(value.range()).or_insert(name);
        }
    }
}

impl<'a> Visitor<'a> for Collector<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Assign(assign) => {
                self.name(&assign.value, assign.targets.iter().find_map(target_name));
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.name(value, target_name(&assign.target));
                }
            }
            _ => {}
        }
        self.visit_nested(|collector| visitor::walk_stmt(collector, stmt));
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Dict(dict) => {
                for item in &dict.items {
                    if let Some(Expr::StringLiteral(key)) = &item.key {
                        self.name(&item.value, Some(key.value.to_str()));
                    }
                }
            }
            Expr::Call(call) => {
                for keyword in &call.arguments.keywords {
                    self.name(
                        &keyword.value,
                        keyword.arg.as_ref().map(|arg| arg.id.as_str()),
                    );
                }
            }
            _ => {}
        }
        self.visit_nested(|collector| visitor::walk_expr(collector, expr));
    }

    fn visit_parameters(&mut self, parameters: &'a ast::Parameters) {
        for parameter in parameters.iter_non_variadic_params() {
            if let Some(default) = parameter.default.as_deref() {
                self.name(default, Some(parameter.parameter.name.as_str()));
            }
        }
        visitor::walk_parameters(self, parameters);
    }
}

impl Collector<'_> {
    /// Deeper than [`MAX_NESTING`] the walk that finds values stops too.
    fn visit_nested(&mut self, walk: impl FnOnce(&mut Self)) {
        if self.depth >= MAX_NESTING {
            return;
        }
        self.depth += 1;
        walk(self);
        self.depth -= 1;
    }
}
