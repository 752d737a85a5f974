//! Values that cannot carry SQL, proven from source: numbers, constants, `int(...)`, a
//! choice between constants, a lookup in a constant dict (an allow-list), a run of
//! placeholders (`", ".join("?" * len(ids))`), a loop variable over constant names.

use crate::checker::Checker;
use crate::parse::ast::statement_visitor::{self, StatementVisitor};
use crate::parse::ast::{self, Expr, Operator, Stmt};
use crate::parse::{Ranged, TextRange};
use crate::semantic::{Binding, BindingKind};

/// How many names deep we follow a value to prove it fixed.
const MAX_DEPTH: usize = 8;

/// A value whose text cannot carry SQL: numbers, constants, `int(...)`, a choice between
/// constants, a lookup in a constant table, a run of placeholders (`", ".join("?" * n)`),
/// a loop variable over constant names.
pub fn is_fixed_value<'a>(checker: &Checker<'a>, expr: &'a Expr) -> bool {
    is_fixed(checker, expr, 0)
}

fn is_fixed<'a>(checker: &Checker<'a>, expr: &'a Expr, depth: usize) -> bool {
    let semantic = checker.semantic();
    if depth > MAX_DEPTH {
        return false;
    }
    match expr {
        Expr::NumberLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::NoneLiteral(_)
        | Expr::StringLiteral(_) => true,
        Expr::UnaryOp(unary) => matches!(*unary.operand, Expr::NumberLiteral(_)),
        Expr::If(choice) => {
            is_fixed(checker, &choice.body, depth + 1)
                && is_fixed(checker, &choice.orelse, depth + 1)
        }
        // `"?, " * len(ids)`: repeated constant text.
        Expr::BinOp(binop) if binop.op == Operator::Mult => {
            semantic.is_constant_string(&binop.left) || semantic.is_constant_string(&binop.right)
        }
        Expr::Subscript(subscript) => is_constant_table(checker, &subscript.value, depth),
        Expr::Call(call) => is_fixed_call(checker, call, depth),
        Expr::Name(name) => {
            if semantic.is_constant_string(expr) {
                return true;
            }
            let Some(binding) = semantic.binding_of(name) else {
                return false;
            };
            match binding.kind {
                BindingKind::Assignment(value) if is_single(checker, binding, name) => {
                    is_fixed(checker, value, depth + 1)
                }
                BindingKind::Other => loop_over_constants(checker, binding, depth),
                _ => false,
            }
        }
        _ => semantic.is_constant_string(expr),
    }
}

fn is_fixed_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, depth: usize) -> bool {
    let arguments = &call.arguments.args;
    if let Some(builtin) = builtin_name(checker, &call.func) {
        return match builtin {
            "int" | "float" | "len" | "bool" | "round" | "abs" => true,
            "str" => arguments
                .first()
                .is_some_and(|arg| is_fixed(checker, arg, depth + 1)),
            _ => false,
        };
    }
    let Expr::Attribute(method) = &*call.func else {
        return false;
    };
    match method.attr.id.as_str() {
        // `", ".join(["%s"] * len(ids))`, `",".join("?" for _ in ids)`
        "join" => {
            checker.semantic().is_constant_string(&method.value)
                && arguments.len() == 1
                && is_fixed_sequence(checker, &arguments[0], depth + 1)
        }
        // `SORT_COLUMNS.get(key, "id")`
        "get" => {
            is_constant_table(checker, &method.value, depth)
                && arguments
                    .get(1)
                    .is_none_or(|default| is_fixed(checker, default, depth + 1))
        }
        _ => false,
    }
}

/// A sequence whose items are all fixed.
fn is_fixed_sequence<'a>(checker: &Checker<'a>, expr: &'a Expr, depth: usize) -> bool {
    match expr {
        Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. }) => {
            elts.iter().all(|elt| is_fixed(checker, elt, depth + 1))
        }
        Expr::BinOp(binop) if binop.op == Operator::Mult => {
            is_fixed_sequence(checker, &binop.left, depth + 1)
                || is_fixed_sequence(checker, &binop.right, depth + 1)
        }
        Expr::ListComp(ast::ExprListComp { elt, .. })
        | Expr::Generator(ast::ExprGenerator { elt, .. }) => is_fixed(checker, elt, depth + 1),
        Expr::Call(call) => {
            checker
                .semantic()
                .resolve_qualified_name(&call.func)
                .is_some_and(|name| name.segments() == ["itertools", "repeat"])
                && call
                    .arguments
                    .args
                    .first()
                    .is_some_and(|item| is_fixed(checker, item, depth + 1))
        }
        Expr::Name(name) => match checker.semantic().binding_of(name) {
            Some(
                binding @ Binding {
                    kind: BindingKind::Assignment(value),
                    ..
                },
            ) if is_single(checker, binding, name) => is_fixed_sequence(checker, value, depth + 1),
            _ => false,
        },
        _ => checker.semantic().is_constant_string(expr),
    }
}

/// A name assigned once to a dict literal whose values are all fixed: an allow-list.
fn is_constant_table<'a>(checker: &Checker<'a>, expr: &'a Expr, depth: usize) -> bool {
    let Expr::Name(name) = expr else {
        return false;
    };
    match checker.semantic().binding_of(name) {
        Some(
            binding @ Binding {
                kind: BindingKind::Assignment(Expr::Dict(dict)),
                ..
            },
        ) if is_single(checker, binding, name) => dict
            .items
            .iter()
            .all(|item| item.key.is_some() && is_fixed(checker, &item.value, depth + 1)),
        _ => false,
    }
}

/// `for table in ("users", "groups"):` binds `table` to constants only.
fn loop_over_constants<'a>(checker: &Checker<'a>, binding: &Binding<'a>, depth: usize) -> bool {
    let mut finder = ForFinder {
        target: binding.range,
        found: None,
        depth: 0,
    };
    finder.visit_body(checker.semantic().body());
    finder.found.is_some_and(|for_loop| {
        for_loop.target.range() == binding.range
            && is_fixed_sequence(checker, &for_loop.iter, depth + 1)
    })
}

struct ForFinder<'a> {
    target: TextRange,
    found: Option<&'a ast::StmtFor>,
    depth: usize,
}

impl<'a> StatementVisitor<'a> for ForFinder<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.found.is_some()
            || self.depth >= crate::semantic::MAX_NESTING
            || !stmt.range().contains_range(self.target)
        {
            return;
        }
        if let Stmt::For(for_loop) = stmt {
            if for_loop.target.range().contains_range(self.target) {
                self.found = Some(for_loop);
                return;
            }
        }
        self.depth += 1;
        statement_visitor::walk_stmt(self, stmt);
        self.depth -= 1;
    }
}

fn is_single(checker: &Checker, binding: &Binding, name: &ast::ExprName) -> bool {
    checker
        .semantic()
        .bindings_in(binding.scope, name.id.as_str())
        .len()
        == 1
}

/// The builtin a bare name calls, unless something in scope shadows it.
fn builtin_name<'a>(checker: &Checker<'a>, func: &'a Expr) -> Option<&'a str> {
    let Expr::Name(name) = func else {
        return None;
    };
    checker
        .semantic()
        .binding_of(name)
        .is_none()
        .then_some(name.id.as_str())
}
