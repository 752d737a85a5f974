//! Constant evaluation: the value an expression always has, when it can be known without
//! running the program.
//!
//! `7 * 18 + num > 200` with `num = 106` is `True`, so `"safe" if 7 * 18 + num > 200 else
//! param` is always `"safe"`, and the branch that uses `param` never runs. The data flow
//! prunes such branches (see [`super::flow`]); rules ask [`SemanticModel::constant_in`].
//!
//! What is evaluated: `None`, booleans, ints, floats and strings; tuples, lists, sets and
//! dicts of those; arithmetic, comparisons, boolean operators, `not`, `in` / `not in`,
//! conditional expressions, `len()`, indexing and slicing; and names whose every reaching
//! assignment has the same constant value. Anything else is unknown (`None`).

use crate::parse::ast::{self, CmpOp, Expr, Number, Operator, UnaryOp};
use crate::parse::Ranged;

use super::{BindingKind, ScopeId, SemanticModel, MAX_FOLLOW_DEPTH};

/// Strings and containers built by evaluation stay below this size; larger ones are unknown.
const MAX_SIZE: usize = 1 << 16;

/// A value known at analysis time.
#[derive(Debug, Clone, PartialEq)]
pub enum Constant {
    None,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    /// A tuple or a list: both index and compare element by element.
    Sequence(Vec<Constant>),
    Set(Vec<Constant>),
    Dict(Vec<(Constant, Constant)>),
}

impl Constant {
    /// Python's truth value.
    pub fn is_truthy(&self) -> bool {
        match self {
            Constant::None => false,
            Constant::Bool(value) => *value,
            Constant::Int(value) => *value != 0,
            Constant::Float(value) => *value != 0.0,
            Constant::Str(text) => !text.is_empty(),
            Constant::Sequence(items) | Constant::Set(items) => !items.is_empty(),
            Constant::Dict(items) => !items.is_empty(),
        }
    }

    fn number(&self) -> Option<f64> {
        match self {
            Constant::Bool(value) => Some(f64::from(u8::from(*value))),
            #[allow(clippy::cast_precision_loss)]
            Constant::Int(value) => Some(*value as f64),
            Constant::Float(value) => Some(*value),
            _ => None,
        }
    }

    fn integer(&self) -> Option<i128> {
        match self {
            Constant::Bool(value) => Some(i128::from(*value)),
            Constant::Int(value) => Some(*value),
            _ => None,
        }
    }

    /// Python's `==` for the values evaluated here (`1 == 1.0 == True`).
    fn equals(&self, other: &Constant) -> bool {
        match (self.number(), other.number()) {
            (Some(left), Some(right)) => left == right,
            _ => self == other,
        }
    }

    fn size(&self) -> usize {
        match self {
            Constant::Str(text) => text.len(),
            Constant::Sequence(items) | Constant::Set(items) => items.len(),
            Constant::Dict(items) => items.len(),
            _ => 1,
        }
    }

    /// The elements `in` looks through: a dict's keys, a string's... nothing (see `contains`).
    fn contains(&self, needle: &Constant) -> Option<bool> {
        match (self, needle) {
            (Constant::Str(haystack), Constant::Str(needle)) => Some(haystack.contains(needle)),
            (Constant::Sequence(items) | Constant::Set(items), needle) => {
                Some(items.iter().any(|item| item.equals(needle)))
            }
            (Constant::Dict(items), needle) => {
                Some(items.iter().any(|(key, _)| key.equals(needle)))
            }
            _ => None,
        }
    }
}

/// Where evaluation finds the value of a name.
pub(super) trait NameValues<'a> {
    fn value_of(&self, name: &'a ast::ExprName, depth: usize) -> Option<Constant>;
}

/// Evaluates `expr`; names are asked of `names`.
pub(super) fn evaluate<'a>(
    expr: &'a Expr,
    names: &dyn NameValues<'a>,
    model: &SemanticModel<'a>,
    scope: ScopeId,
    depth: usize,
) -> Option<Constant> {
    if depth > MAX_FOLLOW_DEPTH * 4 || !model.effort.spend() {
        return None;
    }
    let next = depth + 1;
    let eval = |expr: &'a Expr| evaluate(expr, names, model, scope, next);
    let value = match expr {
        Expr::NoneLiteral(_) => Constant::None,
        Expr::BooleanLiteral(literal) => Constant::Bool(literal.value),
        Expr::NumberLiteral(number) => match &number.value {
            Number::Int(int) => Constant::Int(i128::from(int.as_i64()?)),
            Number::Float(float) => Constant::Float(*float),
            Number::Complex { .. } => return None,
        },
        Expr::StringLiteral(literal) => Constant::Str(literal.value.to_str().to_string()),
        Expr::Name(name) => match names.value_of(name, next) {
            Some(value) => value,
            None if model.has_import("stat") => {
                library_constant(model.resolve_in(expr, scope, false, next)?.segments())?
            }
            None => return None,
        },
        // `stat.S_IRWXO`: a constant of the standard library.
        Expr::Attribute(_) if model.has_import("stat") => {
            library_constant(model.resolve_in(expr, scope, false, next)?.segments())?
        }
        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
            Constant::Sequence(elements(elts, eval)?)
        }
        Expr::Set(set) => Constant::Set(elements(&set.elts, eval)?),
        Expr::Dict(dict) => {
            if dict.items.len() > MAX_SIZE {
                return None;
            }
            let mut items = Vec::with_capacity(dict.items.len());
            for item in &dict.items {
                items.push((eval(item.key.as_ref()?)?, eval(&item.value)?));
            }
            Constant::Dict(items)
        }
        Expr::UnaryOp(unary) => {
            let operand = eval(&unary.operand)?;
            match unary.op {
                UnaryOp::Not => Constant::Bool(!operand.is_truthy()),
                UnaryOp::USub => match operand {
                    Constant::Float(value) => Constant::Float(-value),
                    other => Constant::Int(other.integer()?.checked_neg()?),
                },
                UnaryOp::UAdd => match operand {
                    Constant::Float(value) => Constant::Float(value),
                    other => Constant::Int(other.integer()?),
                },
                UnaryOp::Invert => Constant::Int(!operand.integer()?),
            }
        }
        Expr::BinOp(binop) => arithmetic(binop.op, eval(&binop.left)?, eval(&binop.right)?)?,
        Expr::BoolOp(boolop) => {
            // `a and b` is the first falsy operand (or the last); `or` the first truthy one.
            let wants = boolop.op == ast::BoolOp::Or;
            let mut last = None;
            for value in &boolop.values {
                let value = eval(value)?;
                if value.is_truthy() == wants {
                    return Some(value);
                }
                last = Some(value);
            }
            last?
        }
        Expr::Compare(compare) => {
            let mut left = eval(&compare.left)?;
            for (op, right) in compare.ops.iter().zip(compare.comparators.iter()) {
                let right = eval(right)?;
                if !comparison(*op, &left, &right)? {
                    return Some(Constant::Bool(false));
                }
                left = right;
            }
            Constant::Bool(true)
        }
        Expr::If(conditional) => {
            if eval(&conditional.test)?.is_truthy() {
                eval(&conditional.body)?
            } else {
                eval(&conditional.orelse)?
            }
        }
        Expr::Subscript(subscript) => {
            let container = eval(&subscript.value)?;
            match &*subscript.slice {
                Expr::Slice(slice) => sliced(&container, slice, eval)?,
                index => indexed(&container, &eval(index)?)?,
            }
        }
        Expr::Call(call) => {
            let [argument] = &call.arguments.args[..] else {
                return None;
            };
            if !call.arguments.keywords.is_empty()
                || !model
                    .resolve_in(&call.func, scope, false, next)
                    .is_some_and(|name| name.is_builtin("len"))
            {
                return None;
            }
            let counted = match eval(argument)? {
                Constant::Str(text) => text.chars().count(),
                Constant::Sequence(items) | Constant::Set(items) => items.len(),
                Constant::Dict(items) => items.len(),
                _ => return None,
            };
            Constant::Int(i128::try_from(counted).ok()?)
        }
        _ => return None,
    };
    (value.size() <= MAX_SIZE).then_some(value)
}

/// The standard library's permission bits: `stat.S_IRWXU`, `stat.S_IWOTH`, ...
fn library_constant(segments: &[&str]) -> Option<Constant> {
    let ["stat", name] = segments else {
        return None;
    };
    let bits = match *name {
        "S_ISUID" => 0o4000,
        "S_ISGID" => 0o2000,
        "S_ISVTX" => 0o1000,
        "S_IRWXU" => 0o700,
        "S_IRUSR" | "S_IREAD" => 0o400,
        "S_IWUSR" | "S_IWRITE" => 0o200,
        "S_IXUSR" | "S_IEXEC" => 0o100,
        "S_IRWXG" => 0o70,
        "S_IRGRP" => 0o40,
        "S_IWGRP" => 0o20,
        "S_IXGRP" => 0o10,
        "S_IRWXO" => 0o7,
        "S_IROTH" => 0o4,
        "S_IWOTH" => 0o2,
        "S_IXOTH" => 0o1,
        _ => return None,
    };
    Some(Constant::Int(bits))
}

fn elements<'a>(
    elts: &'a [Expr],
    eval: impl Fn(&'a Expr) -> Option<Constant>,
) -> Option<Vec<Constant>> {
    if elts.len() > MAX_SIZE || elts.iter().any(Expr::is_starred_expr) {
        return None;
    }
    elts.iter().map(eval).collect()
}

fn arithmetic(op: Operator, left: Constant, right: Constant) -> Option<Constant> {
    match (&left, &right) {
        (Constant::Str(left), Constant::Str(right)) if op == Operator::Add => {
            return Some(Constant::Str(format!("{left}{right}")));
        }
        (Constant::Sequence(left), Constant::Sequence(right)) if op == Operator::Add => {
            return Some(Constant::Sequence([&left[..], &right[..]].concat()));
        }
        (Constant::Str(text), count) | (count, Constant::Str(text)) if op == Operator::Mult => {
            let count = usize::try_from(count.integer()?.max(0)).ok()?;
            if text.len().saturating_mul(count) > MAX_SIZE {
                return None;
            }
            return Some(Constant::Str(text.repeat(count)));
        }
        _ => {}
    }
    if let (Some(left), Some(right)) = (left.integer(), right.integer()) {
        let value = match op {
            Operator::Add => left.checked_add(right)?,
            Operator::Sub => left.checked_sub(right)?,
            Operator::Mult => left.checked_mul(right)?,
            Operator::FloorDiv => left.checked_div_euclid(right).filter(|_| right > 0)?,
            Operator::Mod => left.checked_rem_euclid(right).filter(|_| right > 0)?,
            Operator::Pow => left.checked_pow(u32::try_from(right).ok()?)?,
            Operator::BitAnd => left & right,
            Operator::BitOr => left | right,
            Operator::BitXor => left ^ right,
            Operator::LShift => left.checked_shl(u32::try_from(right).ok()?)?,
            Operator::RShift => left.checked_shr(u32::try_from(right).ok()?)?,
            Operator::Div => {
                return (right != 0).then(|| {
                    #[allow(clippy::cast_precision_loss)]
                    Constant::Float(left as f64 / right as f64)
                })
            }
            Operator::MatMult => return None,
        };
        return Some(Constant::Int(value));
    }
    let (left, right) = (left.number()?, right.number()?);
    let value = match op {
        Operator::Add => left + right,
        Operator::Sub => left - right,
        Operator::Mult => left * right,
        Operator::Div if right != 0.0 => left / right,
        _ => return None,
    };
    value.is_finite().then_some(Constant::Float(value))
}

fn comparison(op: CmpOp, left: &Constant, right: &Constant) -> Option<bool> {
    let ordered = |compare: fn(std::cmp::Ordering) -> bool| -> Option<bool> {
        let ordering = match (left, right) {
            (Constant::Str(left), Constant::Str(right)) => left.cmp(right),
            _ => left.number()?.partial_cmp(&right.number()?)?,
        };
        Some(compare(ordering))
    };
    match op {
        CmpOp::Eq => Some(left.equals(right)),
        CmpOp::NotEq => Some(!left.equals(right)),
        CmpOp::Lt => ordered(std::cmp::Ordering::is_lt),
        CmpOp::LtE => ordered(std::cmp::Ordering::is_le),
        CmpOp::Gt => ordered(std::cmp::Ordering::is_gt),
        CmpOp::GtE => ordered(std::cmp::Ordering::is_ge),
        CmpOp::In => right.contains(left),
        CmpOp::NotIn => right.contains(left).map(|found| !found),
        CmpOp::Is | CmpOp::IsNot => {
            // Only identities Python guarantees: `None`, `True` and `False`.
            let singleton = |value: &Constant| matches!(value, Constant::None | Constant::Bool(_));
            if !singleton(left) && !singleton(right) {
                return None;
            }
            let same = left == right;
            Some(if op == CmpOp::Is { same } else { !same })
        }
    }
}

/// `container[index]` for a sequence, a string or a dict.
fn indexed(container: &Constant, index: &Constant) -> Option<Constant> {
    let position = |len: usize| -> Option<usize> {
        let index = index.integer()?;
        let len = i128::try_from(len).ok()?;
        let index = if index < 0 { index + len } else { index };
        usize::try_from(index).ok().filter(|_| index < len)
    };
    match container {
        Constant::Sequence(items) => items.get(position(items.len())?).cloned(),
        Constant::Str(text) => {
            let chars: Vec<char> = text.chars().collect();
            chars
                .get(position(chars.len())?)
                .map(|c| Constant::Str(c.to_string()))
        }
        Constant::Dict(items) => items
            .iter()
            .rev()
            .find(|(key, _)| key.equals(index))
            .map(|(_, value)| value.clone()),
        _ => None,
    }
}

/// `container[lower:upper]` (no step) for a sequence or a string.
fn sliced<'a>(
    container: &Constant,
    slice: &'a ast::ExprSlice,
    eval: impl Fn(&'a Expr) -> Option<Constant>,
) -> Option<Constant> {
    if slice.step.is_some() {
        return None;
    }
    let bound = |bound: Option<&'a Expr>, len: usize, default: usize| -> Option<usize> {
        let Some(bound) = bound else {
            return Some(default);
        };
        let value = eval(bound)?.integer()?;
        let len_signed = i128::try_from(len).ok()?;
        let value = if value < 0 { value + len_signed } else { value };
        usize::try_from(value.clamp(0, len_signed)).ok()
    };
    match container {
        Constant::Sequence(items) => {
            let lower = bound(slice.lower.as_deref(), items.len(), 0)?;
            let upper = bound(slice.upper.as_deref(), items.len(), items.len())?;
            Some(Constant::Sequence(
                items.get(lower..upper.max(lower)).unwrap_or(&[]).to_vec(),
            ))
        }
        Constant::Str(text) => {
            let chars: Vec<char> = text.chars().collect();
            let lower = bound(slice.lower.as_deref(), chars.len(), 0)?;
            let upper = bound(slice.upper.as_deref(), chars.len(), chars.len())?;
            Some(Constant::Str(
                chars
                    .get(lower..upper.max(lower))
                    .unwrap_or(&[])
                    .iter()
                    .collect(),
            ))
        }
        _ => None,
    }
}

/// Names followed through the data flow: the value every assignment that reaches the use
/// gives it (see [`super::flow`]), or for a name of an enclosing scope, its one assignment.
pub(super) struct FlowNames<'m, 'a> {
    pub(super) model: &'m SemanticModel<'a>,
    pub(super) scope: ScopeId,
}

impl<'a> NameValues<'a> for FlowNames<'_, 'a> {
    fn value_of(&self, name: &'a ast::ExprName, depth: usize) -> Option<Constant> {
        let model = self.model;
        let (binding, all) =
            model.lookup_among(name.id.as_str(), self.scope, name.range.start())?;
        let values: Vec<(&'a Expr, ScopeId)> = match model.reaching_definitions(name, self.scope) {
            Some(reaching) if !reaching.is_empty() => reaching
                .iter()
                .map(|binding| match binding.kind {
                    BindingKind::Assignment(value) => Some((value, binding.scope)),
                    _ => None,
                })
                .collect::<Option<_>>()?,
            _ => match &binding.kind {
                BindingKind::Assignment(value) if all.len() == 1 => vec![(value, binding.scope)],
                // A constant of another module of the project (command line only).
                BindingKind::Import(qualified) => {
                    return match model.project_constant(qualified)? {
                        super::project::Constant::Str(text) => {
                            Some(Constant::Str(text.to_string()))
                        }
                        super::project::Constant::Int(value) => {
                            Some(Constant::Int(i128::from(value)))
                        }
                        super::project::Constant::Bool(value) => Some(Constant::Bool(value)),
                    };
                }
                _ => return None,
            },
        };
        let mut result: Option<Constant> = None;
        for (value, scope) in values {
            if value.range().contains_range(name.range) {
                return None;
            }
            let names = FlowNames { model, scope };
            let value = evaluate(value, &names, model, scope, depth)?;
            match &result {
                Some(known) if *known != value => return None,
                _ => result = Some(value),
            }
        }
        result
    }
}
