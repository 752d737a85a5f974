//! Strings as values: which parts are fixed text and which come from elsewhere.

use std::rc::Rc;

use crate::parse::ast::{self, Expr, InterpolatedStringElement, Number, Operator};

use super::project::{Constant, Piece};
use super::{BindingKind, ScopeId, SemanticModel, MAX_FOLLOW_DEPTH};

/// One piece of a string being built.
#[derive(Debug, Clone, PartialEq)]
pub enum StringPart<'a> {
    /// Text known before the program runs.
    Literal(String),
    /// A value only known at run time, and the expression that produces it.
    Dynamic(&'a Expr),
}

impl StringPart<'_> {
    pub fn is_dynamic(&self) -> bool {
        matches!(self, StringPart::Dynamic(_))
    }

    /// Bytes of text; a dynamic part counts as one.
    fn size(&self) -> usize {
        match self {
            StringPart::Literal(text) => text.len(),
            StringPart::Dynamic(_) => 1,
        }
    }
}

/// Parts being put together, adjacent literals merged and the size kept as they come, so
/// that a string too big to work out is given up on before it is built (see
/// [`MAX_BUILT_BYTES`]). Too big is a property of the value, not of how far it was
/// followed (following less only leaves more dynamic parts, each smaller than the text it
/// stands for), so it is an answer like any other, remembered, not cut short: `v4 = v3 + v3
/// + ...` with `v3` too big is built of dynamic parts.
#[derive(Default)]
struct Bounded<'a> {
    parts: Vec<StringPart<'a>>,
    size: usize,
}

impl<'a> Bounded<'a> {
    /// Adds `more`, or `None` (the answer cut short) when the whole would be too big.
    fn extend(&mut self, more: impl IntoIterator<Item = StringPart<'a>>) -> Option<()> {
        for part in more {
            self.push(part)?;
        }
        Some(())
    }

    /// Adds the parts of the value `expr`, or `expr` as one dynamic part when they would make
    /// the whole too big: `v4 = v3 + v3 + ...` with `v3` a megabyte is `v3`'s text followed
    /// by unknown parts. `None` when even that does not fit.
    fn add_operand(&mut self, parts: Vec<StringPart<'a>>, expr: &'a Expr) -> Option<()> {
        let size: usize = parts.iter().map(StringPart::size).sum();
        if self.size + size > MAX_BUILT_BYTES || self.parts.len() + parts.len() > MAX_PARTS {
            return self.push(StringPart::Dynamic(expr));
        }
        self.extend(parts)
    }

    fn push(&mut self, part: StringPart<'a>) -> Option<()> {
        self.size += part.size();
        if self.size > MAX_BUILT_BYTES {
            return None;
        }
        let count = self.parts.len();
        match (self.parts.last_mut(), part) {
            (Some(StringPart::Literal(text)), StringPart::Literal(more)) => text.push_str(&more),
            (_, part) if count < MAX_PARTS => self.parts.push(part),
            _ => return None,
        }
        Some(())
    }
}

/// How many operands of one `+` chain, or how many `+=` to one name, are followed.
const MAX_CHAIN: usize = 1000;

/// Assignments reaching one use beyond this many are not each worked out.
const MAX_REACHING: usize = 16;

/// A built string longer than this (in bytes of text, a dynamic part counting as one) is
/// not worked out: `v1 = v0 + v0 + ...` a few levels deep builds gigabytes from a few lines.
const MAX_BUILT_BYTES: usize = 1 << 20;

/// Nor is one with more parts than this.
const MAX_PARTS: usize = 10_000;

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Follow {
    /// Names are followed only when assigned exactly once to a value (constant evaluation).
    AssignedOnce,
    /// Names are followed to the assignment that reaches the use, through `+=` (data flow).
    Reaching,
}

pub(super) fn constant_string<'a>(
    model: &SemanticModel<'a>,
    expr: &'a Expr,
    scope: ScopeId,
    depth: usize,
) -> Option<String> {
    let parts = parts_of(model, expr, scope, depth, Follow::AssignedOnce)?;
    let mut text = String::new();
    for part in parts {
        match part {
            StringPart::Literal(literal) => text.push_str(&literal),
            StringPart::Dynamic(_) => return None,
        }
    }
    Some(text)
}

/// The merged parts of a string-building expression, following names as `follow` says.
pub(super) fn string_parts<'a>(
    model: &SemanticModel<'a>,
    expr: &'a Expr,
    scope: ScopeId,
    follow: Follow,
) -> Option<Vec<StringPart<'a>>> {
    let mut parts = parts_of(model, expr, scope, 0, follow)?;
    merge_literals(&mut parts);
    Some(parts)
}

fn merge_literals(parts: &mut Vec<StringPart<'_>>) {
    let mut merged: Vec<StringPart<'_>> = Vec::with_capacity(parts.len());
    for part in parts.drain(..) {
        match (merged.last_mut(), part) {
            (Some(StringPart::Literal(previous)), StringPart::Literal(next)) => {
                previous.push_str(&next)
            }
            (_, part) => merged.push(part),
        }
    }
    *parts = merged;
}

/// The parts of a string-building expression, or `None` when it does not build a string.
fn parts_of<'a>(
    model: &SemanticModel<'a>,
    expr: &'a Expr,
    scope: ScopeId,
    depth: usize,
    follow: Follow,
) -> Option<Vec<StringPart<'a>>> {
    if depth > MAX_FOLLOW_DEPTH {
        model.effort.cut_short();
        return None;
    }
    if !model.effort.spend() {
        return None;
    }
    built_parts(model, expr, scope, depth, follow)
}

/// [`parts_of`] without the checks on depth and effort.
fn built_parts<'a>(
    model: &SemanticModel<'a>,
    expr: &'a Expr,
    scope: ScopeId,
    depth: usize,
    follow: Follow,
) -> Option<Vec<StringPart<'a>>> {
    match expr {
        Expr::StringLiteral(literal) => Some(vec![StringPart::Literal(
            literal.value.to_str().to_string(),
        )]),
        Expr::FString(fstring) => fstring_parts(model, fstring, scope, depth, follow),
        Expr::BinOp(binop) if binop.op == Operator::Add => {
            // `a + b + c + ...` nests to the left: walk that spine in a loop, so a long
            // concatenation is not cut off by the depth limit (nor deepens the stack).
            let mut operands: Vec<&'a Expr> = vec![&binop.right];
            let mut left: &'a Expr = &binop.left;
            while let Expr::BinOp(inner) = left {
                if inner.op != Operator::Add || operands.len() >= MAX_CHAIN {
                    break;
                }
                operands.push(&inner.right);
                left = &inner.left;
            }
            operands.push(left);
            operands.reverse();
            let built: Vec<_> = operands
                .iter()
                .map(|operand| parts_of(model, operand, scope, depth + 1, follow))
                .collect();
            if built.iter().all(Option::is_none) {
                return None;
            }
            let mut parts = Bounded::default();
            for (expr, built) in operands.into_iter().zip(built) {
                parts.add_operand(
                    built.unwrap_or_else(|| operand(model, expr, scope, depth, follow)),
                    expr,
                )?;
            }
            Some(parts.parts)
        }
        Expr::BinOp(binop) if binop.op == Operator::Mod => {
            let format = parts_of(model, &binop.left, scope, depth + 1, follow)?;
            percent_format(model, format, &binop.right, scope, depth, follow)
        }
        Expr::Call(call) => {
            // `build_query(name)`: what the module's own function returns (one `return`).
            if follow == Follow::Reaching {
                if let Some(local) = model.local_call(call, scope) {
                    let [value] = local.function.returned_values()[..] else {
                        return None;
                    };
                    let inner = local.function.scope(model)?;
                    return parts_of(model, value, inner, depth + 1, follow);
                }
                // A function of another module of the project, by the text it returns.
                if let Some(function) = model.project_function(&call.func, scope) {
                    let mut parts = Bounded::default();
                    for piece in function.template.as_ref()? {
                        match piece {
                            Piece::Text(text) => parts.push(StringPart::Literal(text.clone()))?,
                            Piece::Parameter(index) => match function.argument(call, *index) {
                                Some(argument) => parts.add_operand(
                                    operand(model, argument, scope, depth, follow),
                                    argument,
                                )?,
                                None => parts.push(StringPart::Dynamic(expr))?,
                            },
                        }
                    }
                    return Some(parts.parts);
                }
            }
            let Expr::Attribute(method) = &*call.func else {
                return None;
            };
            match method.attr.id.as_str() {
                "format" => {
                    let format = parts_of(model, &method.value, scope, depth + 1, follow)?;
                    brace_format(model, format, call, scope, depth, follow)
                }
                "join" => joined_parts(model, &method.value, call, scope, depth, follow),
                "replace" => replaced_parts(model, &method.value, call, scope, depth, follow),
                _ => None,
            }
        }
        // `"safe" if LIMIT > 100 else name`: only the branch a constant test leaves.
        Expr::If(choice) => match model.constant_in(&choice.test, scope)?.is_truthy() {
            true => parts_of(model, &choice.body, scope, depth + 1, follow),
            false => parts_of(model, &choice.orelse, scope, depth + 1, follow),
        },
        Expr::Name(name) => {
            let binding = model.lookup(name.id.as_str(), scope, name.range.start())?;
            if follow == Follow::Reaching {
                if let Some(reaching) = model.reaching_definitions(name, scope) {
                    return reaching_parts(model, expr, name, &reaching, binding, depth);
                }
            }
            binding_parts(model, name, binding, depth, follow)
        }
        // `settings.SECRET` with `from app import settings`.
        Expr::Attribute(_) => project_string(model.project_constant_of(expr, scope, depth)),
        _ => None,
    }
}

/// The parts of a name that several assignments may reach. One text when they all give
/// it; else the one with the most values inserted (`cmd = "ls " + arg` on one path, `cmd =
/// "ls"` on another: the first), so a value from any path is seen; and when every path
/// gives fixed text but not the same, the name itself, as a value that is one of those
/// texts.
fn reaching_parts<'a>(
    model: &SemanticModel<'a>,
    expr: &'a Expr,
    name: &'a ast::ExprName,
    reaching: &[&super::Binding<'a>],
    in_effect: &super::Binding<'a>,
    depth: usize,
) -> Option<Vec<StringPart<'a>>> {
    let follow = Follow::Reaching;
    if let [only] = reaching {
        return binding_parts(model, name, only, depth, follow);
    }
    if reaching.len() > MAX_REACHING {
        return None;
    }
    let mut all: Vec<(Vec<StringPart<'a>>, bool)> = Vec::with_capacity(reaching.len());
    for binding in reaching {
        let parts = binding_parts(model, name, binding, depth, follow)?;
        all.push((parts, std::ptr::eq(*binding, in_effect)));
    }
    let dynamic = |parts: &[StringPart]| parts.iter().filter(|part| part.is_dynamic()).count();
    let (first, _) = &all[0];
    if all.iter().all(|(parts, _)| parts == first) {
        return all.swap_remove(0).0.into();
    }
    if all.iter().all(|(parts, _)| dynamic(parts) == 0) {
        return Some(vec![StringPart::Dynamic(expr)]);
    }
    all.into_iter()
        .max_by_key(|(parts, is_in_effect)| (dynamic(parts), *is_in_effect))
        .map(|(parts, _)| parts)
}

/// The parts of the value `binding` gives `name`, remembered per binding.
fn binding_parts<'a>(
    model: &SemanticModel<'a>,
    name: &'a ast::ExprName,
    binding: &super::Binding<'a>,
    depth: usize,
    follow: Follow,
) -> Option<Vec<StringPart<'a>>> {
    let key = (std::ptr::from_ref(binding) as usize, follow);
    let mut remembered = true;
    let value = model
        .string_memo
        .get_or_compute(&model.effort, key, None, || {
            remembered = false;
            let single = model.bindings_in(binding.scope, name.id.as_str()).len() == 1;
            let parts = match (&binding.kind, follow) {
                (BindingKind::Assignment(value), Follow::Reaching) => {
                    parts_of(model, value, binding.scope, depth + 1, follow)
                }
                (BindingKind::Assignment(value), Follow::AssignedOnce) if single => {
                    parts_of(model, value, binding.scope, depth + 1, follow)
                }
                (BindingKind::AugAssign(_), Follow::Reaching) => {
                    augmented_parts(model, name.id.as_str(), binding, depth, follow)
                }
                // `from .settings import SECRET`: the string another module of the
                // project holds, when the module is checked in its project.
                (BindingKind::Import(qualified), Follow::Reaching) => {
                    project_string(model.project_constant(qualified))
                }
                (BindingKind::Import(qualified), Follow::AssignedOnce) if single => {
                    project_string(model.project_constant(qualified))
                }
                _ => None,
            };
            parts.map(Rc::new)
        })?;
    // Copying a remembered string costs in proportion to its size: a name holding a
    // megabyte, used a hundred thousand times, is not copied a hundred thousand times.
    // (Working it out the first time was paid for step by step.)
    let size: usize = value.iter().map(StringPart::size).sum();
    if remembered && !model.effort.spend_for(size) {
        return None;
    }
    Some(value.as_ref().clone())
}

/// The parts of a string constant of another project module.
fn project_string<'a>(constant: Option<Constant>) -> Option<Vec<StringPart<'a>>> {
    match constant? {
        Constant::Str(text) => Some(vec![StringPart::Literal(text.to_string())]),
        Constant::Int(_) | Constant::Bool(_) => None,
    }
}

/// `name += value`: what `name` held before (an assignment, after any number of earlier
/// `+=`), then each added value in order.
fn augmented_parts<'a>(
    model: &SemanticModel<'a>,
    name: &str,
    binding: &super::Binding<'a>,
    depth: usize,
    follow: Follow,
) -> Option<Vec<StringPart<'a>>> {
    if depth > MAX_FOLLOW_DEPTH {
        model.effort.cut_short();
        return None;
    }
    let mut added: Vec<&'a Expr> = Vec::new();
    let mut current = binding;
    let initial = loop {
        let BindingKind::AugAssign(value) = current.kind else {
            return None;
        };
        added.push(value);
        if added.len() > MAX_CHAIN || !model.effort.spend() {
            model.effort.cut_short();
            return None;
        }
        let earlier = model.lookup(name, current.scope, current.range.start())?;
        if std::ptr::eq(earlier, current) {
            return None;
        }
        match earlier.kind {
            BindingKind::Assignment(initial) => break initial,
            BindingKind::AugAssign(_) => current = earlier,
            _ => return None,
        }
    };
    let mut parts = Bounded::default();
    parts.extend(parts_of(model, initial, binding.scope, depth + 1, follow)?)?;
    for value in added.into_iter().rev() {
        parts.add_operand(
            parts_of(model, value, binding.scope, depth + 1, follow)
                .unwrap_or_else(|| vec![StringPart::Dynamic(value)]),
            value,
        )?;
    }
    Some(parts.parts)
}

/// `template.replace(old, new)` with a constant `old`: the template with `new` where its
/// text says `old` (`"... id = '[ID]'".replace("[ID]", user_id)`). A constant `new` is
/// worked out only over a template that is all text: over a value it is an escaping step
/// (`name.replace("'", "''")`), which callers judge by the call itself. A value `new` needs
/// `old` in the template's text, or nothing is put in that we can see.
fn replaced_parts<'a>(
    model: &SemanticModel<'a>,
    template: &'a Expr,
    call: &'a ast::ExprCall,
    scope: ScopeId,
    depth: usize,
    follow: Follow,
) -> Option<Vec<StringPart<'a>>> {
    let [old, new] = &*call.arguments.args else {
        return None;
    };
    if !call.arguments.keywords.is_empty() {
        return None;
    }
    let old = match &parts_of(model, old, scope, depth + 1, follow)?[..] {
        [StringPart::Literal(text)] if !text.is_empty() => text.clone(),
        _ => return None,
    };
    let mut template = parts_of(model, template, scope, depth + 1, follow)?;
    merge_literals(&mut template);
    let inserted = operand(model, new, scope, depth, follow);
    let holds_old =
        |part: &StringPart| matches!(part, StringPart::Literal(text) if text.contains(&old));
    let fits = if inserted.iter().any(StringPart::is_dynamic) {
        template.iter().any(holds_old)
    } else {
        !template.iter().any(StringPart::is_dynamic)
    };
    if !fits {
        return None;
    }
    let mut parts = Bounded::default();
    for part in template {
        let StringPart::Literal(text) = part else {
            parts.push(part)?;
            continue;
        };
        for (index, piece) in text.split(old.as_str()).enumerate() {
            if index > 0 {
                parts.add_operand(inserted.clone(), new)?;
            }
            if !piece.is_empty() {
                parts.push(StringPart::Literal(piece.to_string()))?;
            }
        }
    }
    Some(parts.parts)
}

/// `"sep".join([a, b, ...])` with the items written out: the items with the separator
/// between them. A list built elsewhere is a single dynamic value to the caller.
fn joined_parts<'a>(
    model: &SemanticModel<'a>,
    separator: &'a Expr,
    call: &'a ast::ExprCall,
    scope: ScopeId,
    depth: usize,
    follow: Follow,
) -> Option<Vec<StringPart<'a>>> {
    let [Expr::List(ast::ExprList { elts: items, .. })
    | Expr::Tuple(ast::ExprTuple { elts: items, .. })] = &*call.arguments.args
    else {
        return None;
    };
    if !call.arguments.keywords.is_empty() || items.iter().any(Expr::is_starred_expr) {
        return None;
    }
    let separator = parts_of(model, separator, scope, depth + 1, follow)?;
    let mut parts = Bounded::default();
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            parts.extend(separator.iter().cloned())?;
        }
        parts.add_operand(operand(model, item, scope, depth, follow), item)?;
    }
    Some(parts.parts)
}

/// A value placed into a string: its text when constant, otherwise dynamic.
fn operand<'a>(
    model: &SemanticModel<'a>,
    expr: &'a Expr,
    scope: ScopeId,
    depth: usize,
    follow: Follow,
) -> Vec<StringPart<'a>> {
    if let Some(text) = constant_scalar(expr) {
        return vec![StringPart::Literal(text)];
    }
    parts_of(model, expr, scope, depth + 1, follow)
        .unwrap_or_else(|| vec![StringPart::Dynamic(expr)])
}

/// Numbers, booleans and `None` formatted the way `str()` would.
fn constant_scalar(expr: &Expr) -> Option<String> {
    match expr {
        Expr::NumberLiteral(number) => match &number.value {
            Number::Int(int) => Some(int.to_string()),
            _ => None,
        },
        Expr::BooleanLiteral(literal) => {
            Some(if literal.value { "True" } else { "False" }.to_string())
        }
        Expr::NoneLiteral(_) => Some("None".to_string()),
        _ => None,
    }
}

fn fstring_parts<'a>(
    model: &SemanticModel<'a>,
    fstring: &'a ast::ExprFString,
    scope: ScopeId,
    depth: usize,
    follow: Follow,
) -> Option<Vec<StringPart<'a>>> {
    let mut parts = Bounded::default();
    for part in fstring.value.iter() {
        match part {
            ast::FStringPart::Literal(literal) => {
                parts.push(StringPart::Literal(literal.value.to_string()))?
            }
            ast::FStringPart::FString(fstring) => {
                for element in fstring.elements.iter() {
                    match element {
                        InterpolatedStringElement::Literal(literal) => {
                            parts.push(StringPart::Literal(literal.value.to_string()))?
                        }
                        InterpolatedStringElement::Interpolation(interpolation) => {
                            let plain = interpolation.format_spec.is_none()
                                && interpolation.conversion == ast::ConversionFlag::None
                                && interpolation.debug_text.is_none();
                            if plain {
                                parts.add_operand(
                                    operand(model, &interpolation.expression, scope, depth, follow),
                                    &interpolation.expression,
                                )?;
                            } else {
                                parts.push(StringPart::Dynamic(&interpolation.expression))?;
                            }
                        }
                    }
                }
            }
        }
    }
    Some(parts.parts)
}

/// A placeholder in a format string and what fills it.
enum Slot<'f> {
    Text(String),
    Positional(usize),
    Named(&'f str),
}

/// `"... %s ... %(name)s" % values`.
fn percent_format<'a>(
    model: &SemanticModel<'a>,
    format: Vec<StringPart<'a>>,
    values: &'a Expr,
    scope: ScopeId,
    depth: usize,
    follow: Follow,
) -> Option<Vec<StringPart<'a>>> {
    let mut parts = Bounded::default();
    let mut position = 0;
    let positional: Vec<&'a Expr> = match values {
        Expr::Tuple(tuple) => tuple.elts.iter().collect(),
        other => vec![other],
    };
    for part in format {
        let StringPart::Literal(text) = part else {
            parts.push(part)?;
            continue;
        };
        for slot in split_percent(&text) {
            match slot {
                Slot::Text(text) => parts.push(StringPart::Literal(text))?,
                Slot::Positional(_) => {
                    match positional.get(position) {
                        Some(value) => {
                            parts.add_operand(operand(model, value, scope, depth, follow), value)?
                        }
                        None => parts.push(StringPart::Dynamic(values))?,
                    }
                    position += 1;
                }
                Slot::Named(name) => match dict_value(values, name) {
                    Some(value) => {
                        parts.add_operand(operand(model, value, scope, depth, follow), value)?
                    }
                    None => parts.push(StringPart::Dynamic(values))?,
                },
            }
        }
    }
    Some(parts.parts)
}

fn dict_value<'a>(dict: &'a Expr, key: &str) -> Option<&'a Expr> {
    let Expr::Dict(dict) = dict else {
        return None;
    };
    dict.items.iter().find_map(|item| match &item.key {
        Some(Expr::StringLiteral(literal)) if literal.value.to_str() == key => Some(&item.value),
        _ => None,
    })
}

fn split_percent(text: &str) -> Vec<Slot<'_>> {
    let mut slots = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    let mut index = 0;
    while let Some(at) = rest.find('%') {
        literal.push_str(&rest[..at]);
        let spec = &rest[at + 1..];
        if let Some(after) = spec.strip_prefix('%') {
            literal.push('%');
            rest = after;
            continue;
        }
        let (name, spec) = match spec
            .strip_prefix('(')
            .and_then(|inner| inner.split_once(')'))
        {
            Some((name, after)) => (Some(name), after),
            None => (None, spec),
        };
        let Some(end) = spec.find(|c: char| c.is_ascii_alphabetic() && !"hlL".contains(c)) else {
            literal.push('%');
            rest = &rest[at + 1..];
            continue;
        };
        if !literal.is_empty() {
            slots.push(Slot::Text(std::mem::take(&mut literal)));
        }
        match name {
            Some(name) => slots.push(Slot::Named(name)),
            None => {
                slots.push(Slot::Positional(index));
                index += 1;
            }
        }
        rest = &spec[end + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        slots.push(Slot::Text(literal));
    }
    slots
}

/// `"... {} ... {name}".format(...)`.
fn brace_format<'a>(
    model: &SemanticModel<'a>,
    format: Vec<StringPart<'a>>,
    call: &'a ast::ExprCall,
    scope: ScopeId,
    depth: usize,
    follow: Follow,
) -> Option<Vec<StringPart<'a>>> {
    let mut parts = Bounded::default();
    for part in format {
        let StringPart::Literal(text) = part else {
            parts.push(part)?;
            continue;
        };
        for slot in split_braces(&text) {
            let value = match slot {
                Slot::Text(text) => {
                    parts.push(StringPart::Literal(text))?;
                    continue;
                }
                Slot::Positional(index) => call
                    .arguments
                    .args
                    .get(index)
                    .filter(|arg| !arg.is_starred_expr()),
                Slot::Named(name) => super::keyword(call, name).map(|keyword| &keyword.value),
            };
            match value {
                Some(value) => {
                    parts.add_operand(operand(model, value, scope, depth, follow), value)?
                }
                None => parts.push(StringPart::Dynamic(call_arguments_expr(call)))?,
            }
        }
    }
    Some(parts.parts)
}

/// A placeholder we cannot pair with one argument is filled by "the arguments": the call itself.
fn call_arguments_expr(call: &ast::ExprCall) -> &Expr {
    call.arguments
        .args
        .first()
        .or_else(|| {
            call.arguments
                .keywords
                .first()
                .map(|keyword| &keyword.value)
        })
        .unwrap_or(&call.func)
}

fn split_braces(text: &str) -> Vec<Slot<'_>> {
    let mut slots = Vec::new();
    let mut literal = String::new();
    let mut auto_index = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '{' if chars.peek().map(|(_, next)| *next) == Some('{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek().map(|(_, next)| *next) == Some('}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let Some(close) = text[at..].find('}') else {
                    literal.push_str(&text[at..]);
                    break;
                };
                let field = &text[at + 1..at + close];
                let name = field.split(['!', ':', '.', '[']).next().unwrap_or("");
                if !literal.is_empty() {
                    slots.push(Slot::Text(std::mem::take(&mut literal)));
                }
                if name.is_empty() {
                    slots.push(Slot::Positional(auto_index));
                    auto_index += 1;
                } else if let Ok(index) = name.parse() {
                    slots.push(Slot::Positional(index));
                } else {
                    slots.push(Slot::Named(name));
                }
                while chars
                    .peek()
                    .is_some_and(|(next_at, _)| *next_at <= at + close)
                {
                    chars.next();
                }
            }
            other => literal.push(other),
        }
    }
    if !literal.is_empty() {
        slots.push(Slot::Text(literal));
    }
    slots
}

#[cfg(test)]
mod tests {
    use crate::parse::{ast, parse_module, Ranged};
    use crate::semantic::{SemanticModel, StringPart};

    fn last_value(source: &str) -> (Option<String>, Vec<String>) {
        let parsed = parse_module(source);
        let model = SemanticModel::new(&parsed.body);
        let Some(ast::Stmt::Expr(statement)) = parsed.body.last() else {
            panic!("the last statement must be an expression");
        };
        let constant = model.constant_string(&statement.value);
        // Two rules asking about one node share its budget; these are two nodes' questions.
        model.next_node();
        let parts = model
            .string_parts(&statement.value)
            .unwrap_or_default()
            .iter()
            .map(|part| match part {
                StringPart::Literal(text) => format!("L:{text}"),
                StringPart::Dynamic(expr) => format!("D:{}", &source[expr.range()]),
            })
            .collect();
        (constant, parts)
    }

    #[test]
    fn constant_strings_through_every_kind_of_building() {
        assert_eq!(last_value("'a' 'b'").0.as_deref(), Some("ab"));
        assert_eq!(
            last_value("T = 'users'\nf'SELECT * FROM {T}'").0.as_deref(),
            Some("SELECT * FROM users")
        );
        assert_eq!(last_value("'%s-%d' % ('x', 3)").0.as_deref(), Some("x-3"));
        assert_eq!(
            last_value("'{}/{name}'.format('a', name='b')").0.as_deref(),
            Some("a/b")
        );
        assert_eq!(last_value("A = 'x'\nA + 'y'").0.as_deref(), Some("xy"));
        assert_eq!(last_value("A = 'x'\nA = 'z'\nA + 'y'").0, None);
        assert_eq!(
            last_value("'100%% sure'  % ()").0.as_deref(),
            Some("100% sure")
        );
    }

    #[test]
    fn dynamic_parts_are_named_in_order() {
        let (constant, parts) =
            last_value("q = 'SELECT * FROM t WHERE id = ' + uid\nq += ' AND x = %s' % uid\nq");
        assert_eq!(constant, None);
        assert_eq!(
            parts,
            [
                "L:SELECT * FROM t WHERE id = ",
                "D:uid",
                "L: AND x = ",
                "D:uid"
            ]
        );
        let (_, parts) = last_value("q = \"SELECT * FROM t WHERE name = '{}'\".format(name)\nq");
        assert_eq!(parts, ["L:SELECT * FROM t WHERE name = '", "D:name", "L:'"]);
        let (_, parts) = last_value("q = 'SELECT ' + col\nq += f' WHERE id = {uid}'\nq");
        assert_eq!(parts, ["L:SELECT ", "D:col", "L: WHERE id = ", "D:uid"]);
    }

    #[test]
    fn assigned_once_parts_keep_rebound_names_dynamic() {
        let source = "T = 'users'\nc = 'a'\nc = 'b'\nf'SELECT {c} FROM {T} WHERE id = {uid}'";
        let parsed = parse_module(source);
        let model = SemanticModel::new(&parsed.body);
        let Some(ast::Stmt::Expr(statement)) = parsed.body.last() else {
            panic!("the last statement must be an expression");
        };
        let parts: Vec<String> = model
            .string_parts_assigned_once(&statement.value)
            .unwrap_or_default()
            .iter()
            .map(|part| match part {
                StringPart::Literal(text) => format!("L:{text}"),
                StringPart::Dynamic(expr) => format!("D:{}", &source[expr.range()]),
            })
            .collect();
        assert_eq!(
            parts,
            ["L:SELECT ", "D:c", "L: FROM users WHERE id = ", "D:uid"]
        );
    }

    #[test]
    fn long_concatenations_are_not_cut_off() {
        let source = format!("'SELECT * FROM t WHERE a = ' {}", "+ x ".repeat(40));
        let (_, parts) = last_value(&source);
        assert_eq!(parts.len(), 41);
        assert_eq!(parts[0], "L:SELECT * FROM t WHERE a = ");
        let source = format!("q = 'SELECT 1'\n{}q", "q += ' AND a = ' + a\n".repeat(30));
        let (_, parts) = last_value(&source);
        assert_eq!(parts.len(), 60);
        assert_eq!(parts[0], "L:SELECT 1 AND a = ");
    }

    /// `v1 = v0 + v0 + ...` (`terms` terms) on `levels` levels, then `v<levels>`.
    fn tower(levels: usize, terms: usize) -> String {
        let mut source = String::from("v0 = 'x'\n");
        for level in 1..=levels {
            let below = format!("v{}", level - 1);
            let chain = vec![below.as_str(); terms].join(" + ");
            source.push_str(&format!("v{level} = {chain}\n"));
        }
        source.push_str(&format!("v{levels}"));
        source
    }

    #[test]
    fn a_string_built_past_a_megabyte_is_unknown_not_built() {
        // 100^4 bytes, the 2 KB file that once ran out of memory.
        let (constant, parts) = last_value(&tower(4, 100));
        assert_eq!(constant, None);
        // `v3` (10^6 bytes, from 10^6 paths to `v0`, each name worked out once) is known;
        // `v4` is its text, then 99 more copies of it as unknown parts.
        assert_eq!(parts.len(), 100);
        assert_eq!(parts[0].len(), "L:".len() + 1_000_000);
        assert!(
            parts[1..].iter().all(|part| part == "D:v3"),
            "{:?}",
            &parts[1..3]
        );
        let (constant, parts) = last_value(&tower(3, 100));
        assert_eq!(constant.map(|text| text.len()), Some(1_000_000));
        assert_eq!(
            parts.len(),
            1,
            "adjacent literals are merged as they are built"
        );
    }

    #[test]
    fn joins_of_written_out_items() {
        let (constant, parts) =
            last_value("'\\n'.join(['SELECT *', 'FROM t', 'WHERE id = ' + uid, f'AND a = {a}'])");
        assert_eq!(constant, None);
        assert_eq!(
            parts,
            [
                "L:SELECT *\nFROM t\nWHERE id = ",
                "D:uid",
                "L:\nAND a = ",
                "D:a"
            ]
        );
        assert_eq!(last_value("' '.join(('a', 'b'))").0.as_deref(), Some("a b"));
        assert_eq!(last_value("', '.join(names)").1, Vec::<String>::new());
    }

    #[test]
    fn replaced_placeholders() {
        let (constant, parts) =
            last_value("\"SELECT * FROM t WHERE id = '[ID]' OR p = '[ID]'\".replace('[ID]', uid)");
        assert_eq!(constant, None);
        assert_eq!(
            parts,
            [
                "L:SELECT * FROM t WHERE id = '",
                "D:uid",
                "L:' OR p = '",
                "D:uid",
                "L:'"
            ]
        );
        assert_eq!(
            last_value("T = 'users'\n'SELECT * FROM {t}'.replace('{t}', T)")
                .0
                .as_deref(),
            Some("SELECT * FROM users")
        );
        // Over a value, a constant replacement is an escaping step: the call stays whole.
        assert_eq!(
            last_value("('a = ' + name).replace(\"'\", \"''\")").1,
            Vec::<String>::new()
        );
        // A placeholder the text does not hold puts nothing in that we can see.
        assert_eq!(
            last_value("'SELECT 1'.replace('[ID]', uid)").1,
            Vec::<String>::new()
        );
        assert_eq!(last_value("'a'.replace('', uid)").1, Vec::<String>::new());
    }

    #[test]
    fn consecutive_augmented_assignments_all_count() {
        let (_, parts) = last_value(
            "q = 'SELECT * FROM t WHERE 1'\nq += ' AND a = ' + a\nq += f' AND b = {b}'\nq",
        );
        assert_eq!(
            parts,
            [
                "L:SELECT * FROM t WHERE 1 AND a = ",
                "D:a",
                "L: AND b = ",
                "D:b"
            ]
        );
    }
}
