//! Values known before the program runs: key sizes, iteration counts, fixed IVs, `False`.

use crate::parse::ast::{self, Expr, Number, Operator, UnaryOp};
use crate::semantic::{BindingKind, SemanticModel};

/// How far a constant is followed through names and arithmetic.
const MAX_DEPTH: usize = 8;

/// The value a name use sees when the name is assigned exactly once in its scope.
pub fn single_assignment<'a>(
    semantic: &SemanticModel<'a>,
    name: &ast::ExprName,
) -> Option<&'a Expr> {
    let binding = semantic.binding_of(name)?;
    let BindingKind::Assignment(value) = binding.kind else {
        return None;
    };
    (semantic.bindings_in(binding.scope, name.id.as_str()).len() == 1).then_some(value)
}

/// An integer known at compile time: `1024`, `KEY_BITS` assigned once, `2 ** 10`, `100_000 * 6`.
pub fn constant_int<'a>(semantic: &SemanticModel<'a>, expr: &'a Expr) -> Option<i64> {
    constant_int_at(semantic, expr, 0)
}

fn constant_int_at<'a>(semantic: &SemanticModel<'a>, expr: &'a Expr, depth: usize) -> Option<i64> {
    if depth > MAX_DEPTH {
        return None;
    }
    match expr {
        Expr::NumberLiteral(ast::ExprNumberLiteral {
            value: Number::Int(int),
            ..
        }) => int.as_i64(),
        Expr::UnaryOp(unary) if unary.op == UnaryOp::USub => {
            constant_int_at(semantic, &unary.operand, depth + 1)?.checked_neg()
        }
        Expr::BinOp(binop) => {
            let left = constant_int_at(semantic, &binop.left, depth + 1)?;
            let right = constant_int_at(semantic, &binop.right, depth + 1)?;
            match binop.op {
                Operator::Add => left.checked_add(right),
                Operator::Sub => left.checked_sub(right),
                Operator::Mult => left.checked_mul(right),
                Operator::Pow => left.checked_pow(u32::try_from(right).ok()?),
                Operator::LShift => left.checked_shl(u32::try_from(right).ok()?),
                _ => None,
            }
        }
        Expr::Name(name) => {
            constant_int_at(semantic, single_assignment(semantic, name)?, depth + 1)
        }
        _ => None,
    }
}

/// Bytes fixed in the source: a literal, `b"\x00" * 16`, `bytes(16)`, `"...".encode()`,
/// `bytes.fromhex("...")`, or a name assigned once to one of these.
pub fn is_constant_bytes<'a>(semantic: &SemanticModel<'a>, expr: &'a Expr) -> bool {
    constant_bytes_at(semantic, expr, 0)
}

fn constant_bytes_at<'a>(semantic: &SemanticModel<'a>, expr: &'a Expr, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match expr {
        Expr::BytesLiteral(_) | Expr::StringLiteral(_) => true,
        Expr::List(list) => list
            .elts
            .iter()
            .all(|elt| constant_int_at(semantic, elt, depth + 1).is_some()),
        Expr::BinOp(binop) => match binop.op {
            Operator::Mult => {
                (constant_bytes_at(semantic, &binop.left, depth + 1)
                    && constant_int_at(semantic, &binop.right, depth + 1).is_some())
                    || (constant_bytes_at(semantic, &binop.right, depth + 1)
                        && constant_int_at(semantic, &binop.left, depth + 1).is_some())
            }
            Operator::Add => {
                constant_bytes_at(semantic, &binop.left, depth + 1)
                    && constant_bytes_at(semantic, &binop.right, depth + 1)
            }
            _ => false,
        },
        Expr::Call(call) => {
            let arguments = &call.arguments;
            let only_constant_arguments = arguments.keywords.is_empty()
                && arguments.args.iter().all(|arg| {
                    constant_int_at(semantic, arg, depth + 1).is_some()
                        || constant_bytes_at(semantic, arg, depth + 1)
                });
            if !only_constant_arguments {
                return false;
            }
            match &*call.func {
                // `("0" * 16).encode()`, `bytes.fromhex("00" * 16)`
                Expr::Attribute(method) => match method.attr.id.as_str() {
                    "encode" => constant_bytes_at(semantic, &method.value, depth + 1),
                    "fromhex" => semantic
                        .resolve_qualified_name(&method.value)
                        .is_some_and(|name| name.is_builtin("bytes")),
                    _ => false,
                },
                // `bytes(16)`, `bytearray(16)`, `bytes([0] * 16)`
                func => {
                    semantic.resolve_qualified_name(func).is_some_and(|name| {
                        name.is_builtin("bytes") || name.segments() == ["builtins", "bytearray"]
                    }) || matches!(func, Expr::Name(name) if name.id.as_str() == "bytearray"
                        && semantic.binding_of(name).is_none())
                }
            }
        }
        Expr::Name(name) => single_assignment(semantic, name)
            .is_some_and(|value| constant_bytes_at(semantic, value, depth + 1)),
        _ => false,
    }
}

/// A literal `False`, directly or through a name assigned once.
pub fn is_false<'a>(semantic: &SemanticModel<'a>, expr: &'a Expr) -> bool {
    match expr {
        Expr::BooleanLiteral(literal) => !literal.value,
        Expr::Name(name) => single_assignment(semantic, name)
            .is_some_and(|value| matches!(value, Expr::BooleanLiteral(literal) if !literal.value)),
        _ => false,
    }
}
