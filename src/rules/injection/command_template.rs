//! A command string as it is written at the call: its literal text and the values inserted
//! into it, kept only when every value is inserted the way `str()` converts it (`{x}`, `%s`,
//! `{}` — not `{x!r}`, `%05d` or `{x:>8}`), so the text the shell received can be rebuilt
//! word by word.

use crate::checker::Checker;
use crate::parse::ast::{self, Expr, Operator};

use super::shell_words::Piece;

/// A value inserted into a command template.
#[derive(Debug, Clone, Copy)]
pub struct Inserted<'a> {
    pub expr: &'a Expr,
    /// The text inserted was `str(expr)`; otherwise `expr` itself (a `+` operand, already a str).
    pub converted: bool,
}

/// The command's literal text and inserted values, as written (names are not followed,
/// except to constants).
pub fn template<'a>(
    checker: &Checker<'a>,
    expr: &'a Expr,
    depth: usize,
) -> Option<Vec<Piece<Inserted<'a>>>> {
    let semantic = checker.semantic();
    if let Some(text) = semantic.constant_string(expr) {
        return Some(vec![Piece::Text(text)]);
    }
    if depth > 32 {
        return None;
    }
    match expr {
        Expr::FString(fstring) => {
            let mut pieces = Vec::new();
            for part in fstring.value.iter() {
                match part {
                    ast::FStringPart::Literal(literal) => {
                        pieces.push(Piece::Text(literal.value.to_string()))
                    }
                    ast::FStringPart::FString(fstring) => {
                        for element in fstring.elements.iter() {
                            match element {
                                ast::InterpolatedStringElement::Literal(literal) => {
                                    pieces.push(Piece::Text(literal.value.to_string()))
                                }
                                ast::InterpolatedStringElement::Interpolation(value) => {
                                    let plain = value.format_spec.is_none()
                                        && value.conversion == ast::ConversionFlag::None
                                        && value.debug_text.is_none();
                                    if !plain {
                                        return None;
                                    }
                                    pieces.push(inserted(checker, &value.expression, true));
                                }
                            }
                        }
                    }
                }
            }
            Some(pieces)
        }
        Expr::BinOp(binop) if binop.op == Operator::Add => {
            let left = template(checker, &binop.left, depth + 1);
            let right = template(checker, &binop.right, depth + 1);
            if left.is_none() && right.is_none() {
                return None;
            }
            let mut pieces = left.unwrap_or_else(|| vec![inserted(checker, &binop.left, false)]);
            pieces.extend(right.unwrap_or_else(|| vec![inserted(checker, &binop.right, false)]));
            Some(pieces)
        }
        Expr::BinOp(binop) if binop.op == Operator::Mod => {
            let format = semantic.constant_string(&binop.left)?;
            let (positional, named): (Vec<&Expr>, Vec<(&str, &Expr)>) = match &*binop.right {
                Expr::Tuple(tuple) => (tuple.elts.iter().collect(), Vec::new()),
                Expr::Dict(dict) => (Vec::new(), dict_items(dict)?),
                single => (vec![single], Vec::new()),
            };
            fill(checker, &percent_slots(&format)?, &positional, &named)
        }
        Expr::Call(_) if joined_list(checker, expr).is_some() => {
            let (separator, elements) = joined_list(checker, expr)?;
            let mut pieces = Vec::new();
            for (index, element) in elements.iter().enumerate() {
                if index > 0 {
                    pieces.push(Piece::Text(separator.clone()));
                }
                // `join` accepts only strings: an item is inserted as it is.
                match template(checker, element, depth + 1) {
                    Some(element) => pieces.extend(element),
                    None => pieces.push(inserted(checker, element, false)),
                }
            }
            Some(pieces)
        }
        Expr::Call(call) => {
            let Expr::Attribute(method) = &*call.func else {
                return None;
            };
            if method.attr.id.as_str() != "format" {
                return None;
            }
            let format = semantic.constant_string(&method.value)?;
            if call.arguments.args.iter().any(Expr::is_starred_expr)
                || call.arguments.keywords.iter().any(|k| k.arg.is_none())
            {
                return None;
            }
            let positional: Vec<&Expr> = call.arguments.args.iter().collect();
            let named: Vec<(&str, &Expr)> = call
                .arguments
                .keywords
                .iter()
                .filter_map(|k| Some((k.arg.as_ref()?.id.as_str(), &k.value)))
                .collect();
            fill(checker, &brace_slots(&format)?, &positional, &named)
        }
        _ => None,
    }
}

/// `" ".join(["convert", src, "out.png"])`: the separator and the listed items.
pub fn joined_list<'a>(checker: &Checker<'a>, expr: &'a Expr) -> Option<(String, &'a [Expr])> {
    let Expr::Call(call) = expr else {
        return None;
    };
    let Expr::Attribute(method) = &*call.func else {
        return None;
    };
    if method.attr.id.as_str() != "join" || !call.arguments.keywords.is_empty() {
        return None;
    }
    let separator = checker.semantic().constant_string(&method.value)?;
    let elements = match call.arguments.args.as_ref() {
        [Expr::List(list)] => &list.elts,
        [Expr::Tuple(tuple)] => &tuple.elts,
        _ => return None,
    };
    if elements.iter().any(Expr::is_starred_expr) {
        return None;
    }
    Some((separator, elements))
}

fn inserted<'a>(checker: &Checker<'a>, expr: &'a Expr, converted: bool) -> Piece<Inserted<'a>> {
    if let Some(text) = checker.semantic().constant_string(expr) {
        return Piece::Text(text);
    }
    if let Expr::NumberLiteral(ast::ExprNumberLiteral {
        value: ast::Number::Int(int),
        ..
    }) = expr
    {
        return Piece::Text(int.to_string());
    }
    Piece::Value(Inserted { expr, converted })
}

fn dict_items(dict: &ast::ExprDict) -> Option<Vec<(&str, &Expr)>> {
    dict.items
        .iter()
        .map(|item| match &item.key {
            Some(Expr::StringLiteral(key)) => Some((key.value.to_str(), &item.value)),
            _ => None,
        })
        .collect()
}

enum Slot {
    Text(String),
    Positional(usize),
    Named(String),
}

fn fill<'a>(
    checker: &Checker<'a>,
    slots: &[Slot],
    positional: &[&'a Expr],
    named: &[(&str, &'a Expr)],
) -> Option<Vec<Piece<Inserted<'a>>>> {
    let positions = slots
        .iter()
        .filter(|slot| matches!(slot, Slot::Positional(_)))
        .count();
    if positions != positional.len() {
        return None;
    }
    slots
        .iter()
        .map(|slot| match slot {
            Slot::Text(text) => Some(Piece::Text(text.clone())),
            Slot::Positional(index) => Some(inserted(checker, positional.get(*index)?, true)),
            Slot::Named(name) => {
                let value = named.iter().find(|(key, _)| key == name)?.1;
                Some(inserted(checker, value, true))
            }
        })
        .collect()
}

/// `%s`, `%(name)s` and `%%` only: any other conversion formats differently from `str()`.
fn percent_slots(format: &str) -> Option<Vec<Slot>> {
    let mut slots = Vec::new();
    let mut text = String::new();
    let mut rest = format;
    let mut index = 0;
    while let Some(at) = rest.find('%') {
        text.push_str(&rest[..at]);
        let spec = &rest[at + 1..];
        if let Some(after) = spec.strip_prefix('%') {
            text.push('%');
            rest = after;
            continue;
        }
        slots.push(Slot::Text(std::mem::take(&mut text)));
        if let Some(after) = spec.strip_prefix('s') {
            slots.push(Slot::Positional(index));
            index += 1;
            rest = after;
        } else {
            let (name, after) = spec.strip_prefix('(')?.split_once(')')?;
            slots.push(Slot::Named(name.to_string()));
            rest = after.strip_prefix('s')?;
        }
    }
    text.push_str(rest);
    slots.push(Slot::Text(text));
    Some(slots)
}

/// The conversion character of the `position`-th positional `%` placeholder (`d` in `%05d`).
pub fn percent_conversion(format: &str, position: usize) -> Option<char> {
    let mut rest = format;
    let mut index = 0;
    while let Some(at) = rest.find('%') {
        let spec = &rest[at + 1..];
        if let Some(after) = spec.strip_prefix('%') {
            rest = after;
            continue;
        }
        let end = spec.find(|c: char| c.is_ascii_alphabetic() && !"hlL".contains(c))?;
        if spec.starts_with('(') {
            return None;
        }
        if index == position {
            return spec[end..].chars().next();
        }
        index += 1;
        rest = &spec[end + 1..];
    }
    None
}

/// `{}`, `{0}`, `{name}`, `{{` and `}}` only: conversions, specs and lookups change the text.
fn brace_slots(format: &str) -> Option<Vec<Slot>> {
    let mut slots = Vec::new();
    let mut text = String::new();
    let mut chars = format.chars().peekable();
    let mut automatic = 0;
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                text.push('}');
            }
            '{' => {
                let field: String = chars.by_ref().take_while(|c| *c != '}').collect();
                slots.push(Slot::Text(std::mem::take(&mut text)));
                if field.is_empty() {
                    slots.push(Slot::Positional(automatic));
                    automatic += 1;
                } else if let Ok(index) = field.parse() {
                    slots.push(Slot::Positional(index));
                } else if field.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    slots.push(Slot::Named(field));
                } else {
                    return None;
                }
            }
            '}' => return None,
            c => text.push(c),
        }
    }
    slots.push(Slot::Text(text));
    Some(slots)
}

#[cfg(test)]
mod tests {
    use super::{brace_slots, percent_conversion, percent_slots, Slot};

    fn shape(slots: Option<Vec<Slot>>) -> Option<String> {
        slots.map(|slots| {
            slots
                .iter()
                .map(|slot| match slot {
                    Slot::Text(text) => text.clone(),
                    Slot::Positional(index) => format!("<{index}>"),
                    Slot::Named(name) => format!("<{name}>"),
                })
                .collect()
        })
    }

    #[test]
    fn only_str_conversions_are_kept() {
        assert_eq!(
            shape(percent_slots("a %s %(n)s 100%%")).as_deref(),
            Some("a <0> <n> 100%")
        );
        assert_eq!(shape(percent_slots("%d")), None);
        assert_eq!(shape(percent_slots("%r")), None);
        assert_eq!(
            shape(brace_slots("{} {x} {{}} {1}")).as_deref(),
            Some("<0> <x> {} <1>")
        );
        assert_eq!(shape(brace_slots("{!r}")), None);
        assert_eq!(shape(brace_slots("{:>5}")), None);
        assert_eq!(shape(brace_slots("{0.name}")), None);
        assert_eq!(shape(brace_slots("}")), None);
        assert_eq!(percent_conversion("kill -%s %05d", 1), Some('d'));
        assert_eq!(percent_conversion("100%% %x", 0), Some('x'));
        assert_eq!(percent_conversion("%(pid)d", 0), None);
    }
}
