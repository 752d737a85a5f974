//! The parameterised rewrite of a query expression: the same SQL with placeholders in the
//! driver's style, and the values that move out of it. When a person has to decide (a table
//! name, a statement that takes no parameters), the error says what to change.

use crate::checker::Checker;
use crate::parse::ast::visitor::{self, Visitor};
use crate::parse::ast::{self, Expr, InterpolatedStringElement};
use crate::parse::{Ranged, TextRange};
use crate::semantic::{StringPart, MAX_NESTING};

use super::sql_placeholders::{place, Piece, Role, ValuePiece};
use super::sql_python::{python_string, sql_text, Segment};
use super::sql_query::{code_text, values_phrase};
use super::sql_sinks::ParamStyle;
use super::sql_values::is_fixed_value;

/// A query expression rewritten with placeholders.
pub struct Rewritten<'a> {
    /// The new Python string literal.
    pub literal: String,
    /// Each parameter's value as source text, with the name a named style gives it.
    pub values: Vec<(String, String)>,
    /// The values that move out of the text, for titles and checks.
    pub moved: Vec<&'a Expr>,
}

/// What the rewritten text is: a whole statement, or a condition inside one (`extra(where=)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqlShape {
    Statement,
    Condition,
}

/// Rewrites the string `target` builds with `style` placeholders, or says why a person
/// has to do it.
pub fn rewrite_query<'a>(
    checker: &Checker<'a>,
    target: &'a Expr,
    style: ParamStyle,
    shape: SqlShape,
) -> Result<Rewritten<'a>, String> {
    let parts = checker
        .semantic()
        .string_parts_assigned_once(target)
        .ok_or("Pass the values as query parameters instead of building the SQL text")?;
    let placed = place(&parts, |value| is_fixed_value(checker, value));
    if let Some((value, role)) = placed.roles.iter().find(|(_, role)| *role != Role::Value) {
        let value = code_text(checker.text(*value));
        return Err(match role {
            Role::Identifier => format!(
                "Check {value} against a fixed list of names: table and column names cannot be query parameters"
            ),
            Role::List => format!(
                "Write one placeholder per item (`\", \".join(\"?\" * len(items))`) and pass the items behind {value} as query parameters"
            ),
            _ => format!(
                "Keep the SQL text constant (clauses with placeholders) and pass the values behind {value} as query parameters"
            ),
        });
    }
    let moved: Vec<&Expr> = placed.roles.iter().map(|(value, _)| *value).collect();
    if placed.unbalanced {
        return Err(format!(
            "Build this SQL from constant text and pass {} as query parameters",
            values_phrase(checker, &moved)
        ));
    }
    if shape == SqlShape::Statement && !placed.takes_parameters() {
        return Err(format!(
            "Check {} against a fixed list: `{}` statements take no query parameters",
            values_phrase(checker, &moved),
            placed.statement()
        ));
    }
    let formatted = formatted_values(target).ok_or("The query is too deeply nested to rewrite")?;
    for part in &parts {
        if let StringPart::Dynamic(value) = part {
            if !target.range().contains_range(value.range()) {
                return Err(format!(
                    "Build the SQL with placeholders where {} is added, and pass it as a query parameter",
                    code_text(checker.text(*value))
                ));
            }
            if formatted.contains(&value.range()) {
                return Err(format!(
                    "Pass {} as a query parameter (it is formatted in the SQL text now)",
                    code_text(checker.text(*value))
                ));
            }
        }
    }
    let names = parameter_names(checker, &placed.params);
    let mut segments = Vec::new();
    for piece in &placed.pieces {
        match piece {
            Piece::Text(text) => segments.extend(text.chars().map(Segment::Sql)),
            Piece::Placeholder(n) => {
                let placeholder = match style {
                    ParamStyle::Qmark => "?".to_string(),
                    ParamStyle::Format { .. } => "%s".to_string(),
                    ParamStyle::Numeric => format!("${}", n + 1),
                    ParamStyle::Named | ParamStyle::SqlAlchemy => format!(":{}", names[*n]),
                };
                segments.extend(placeholder.chars().map(Segment::Raw));
            }
            Piece::Kept(value) => segments.push(Segment::Code(checker.text(*value))),
        }
    }
    let segments = sql_text(segments, style)?;
    let literal = python_string(&segments, checker.text(target))?;
    let mut values = Vec::new();
    for (pieces, name) in placed.params.iter().zip(&names) {
        let value = match pieces.as_slice() {
            [ValuePiece::Value(value)] => argument_text(checker, value),
            pieces => {
                let segments: Vec<Segment> = pieces
                    .iter()
                    .flat_map(|piece| match piece {
                        ValuePiece::Text(text) => {
                            text.chars().map(Segment::Raw).collect::<Vec<_>>()
                        }
                        ValuePiece::Value(value) => {
                            vec![Segment::Code(checker.text(*value))]
                        }
                    })
                    .collect();
                python_string(&segments, checker.text(target))?
            }
        };
        values.push((name.clone(), value));
    }
    Ok(Rewritten {
        literal,
        values,
        moved,
    })
}

/// The name a named style gives each parameter: from the value (`user.name` → `name`),
/// the same name for the same value, never two values under one name.
fn parameter_names(checker: &Checker, params: &[Vec<ValuePiece>]) -> Vec<String> {
    let mut names: Vec<(String, String)> = Vec::new();
    let mut result = Vec::new();
    for pieces in params {
        let text: String = pieces
            .iter()
            .map(|piece| match piece {
                ValuePiece::Text(text) => text.clone(),
                ValuePiece::Value(value) => checker.text(*value).to_string(),
            })
            .collect();
        if let Some((name, _)) = names.iter().find(|(_, seen)| *seen == text) {
            result.push(name.clone());
            continue;
        }
        let hint = pieces
            .iter()
            .find_map(|piece| match piece {
                ValuePiece::Value(value) => name_hint(value),
                ValuePiece::Text(_) => None,
            })
            .unwrap_or("value");
        let mut name = hint.to_string();
        if PYTHON_KEYWORDS.contains(&name.as_str()) {
            name.push('_');
        }
        let mut counter = 2;
        while names.iter().any(|(taken, _)| *taken == name) {
            name = format!("{hint}_{counter}");
            counter += 1;
        }
        names.push((name.clone(), text));
        result.push(name);
    }
    result
}

pub(super) const PYTHON_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

pub(super) fn name_hint(value: &Expr) -> Option<&str> {
    let hint = match value {
        Expr::Name(name) => name.id.as_str(),
        Expr::Attribute(attribute) => attribute.attr.id.as_str(),
        Expr::Subscript(subscript) => match &*subscript.slice {
            Expr::StringLiteral(key) => key.value.to_str(),
            _ => return name_hint(&subscript.value),
        },
        Expr::Call(call) => match call.arguments.args.first() {
            Some(Expr::StringLiteral(key)) => key.value.to_str(),
            _ => return name_hint(&call.func),
        },
        _ => return None,
    };
    let valid = hint.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && hint.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then_some(hint)
}

/// A value as an argument: a walrus needs its parentheses back.
fn argument_text(checker: &Checker, value: &Expr) -> String {
    let text = checker.text(value);
    if value.is_named_expr() {
        format!("({text})")
    } else {
        text.to_string()
    }
}

/// Ranges of values an f-string formats (`{x!r}`, `{x:>10}`, `{x=}`): moving them into a
/// parameter would change what the database sees. `None` when nested too deeply to tell.
fn formatted_values(expr: &Expr) -> Option<Vec<TextRange>> {
    let mut finder = FormattedValues {
        ranges: Vec::new(),
        depth: 0,
        too_deep: false,
    };
    finder.visit_expr(expr);
    (!finder.too_deep).then_some(finder.ranges)
}

struct FormattedValues {
    ranges: Vec<TextRange>,
    depth: usize,
    too_deep: bool,
}

impl<'a> Visitor<'a> for FormattedValues {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth >= MAX_NESTING {
            self.too_deep = true;
            return;
        }
        self.depth += 1;
        visitor::walk_expr(self, expr);
        self.depth -= 1;
    }

    fn visit_interpolated_string_element(&mut self, element: &'a InterpolatedStringElement) {
        if let InterpolatedStringElement::Interpolation(interpolation) = element {
            let formatted = interpolation.format_spec.is_some()
                || interpolation.conversion != ast::ConversionFlag::None
                || interpolation.debug_text.is_some();
            if formatted {
                self.ranges.push(interpolation.expression.range());
            }
        }
        visitor::walk_interpolated_string_element(self, element);
    }
}
