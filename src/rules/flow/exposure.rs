//! How a string that reaches a sink is exposed: it carries request data, or it is built
//! in the code from values whose text the code does not fix.

use crate::checker::Checker;
use crate::diagnostic::{Confidence, TraceStep};
use crate::parse::ast::{Expr, Number};
use crate::parse::Ranged;
use crate::semantic::{Passage, StringPart};

#[derive(Debug)]
pub enum Exposure<'a> {
    /// The value carries request data; the steps say from where.
    Tainted(Vec<TraceStep>),
    /// The string is formatted here from these values (none known to come from a request).
    Built(Vec<&'a Expr>),
}

impl Exposure<'_> {
    pub fn confidence(&self) -> Confidence {
        match self {
            Exposure::Tainted(_) => Confidence::High,
            Exposure::Built(_) => Confidence::Medium,
        }
    }

    /// The trace, ending with `sink` at `range`.
    pub fn trace(&self, checker: &Checker, sink: TraceStep) -> Vec<TraceStep> {
        let mut steps = match self {
            Exposure::Tainted(steps) => steps.clone(),
            Exposure::Built(values) => values
                .iter()
                .take(5)
                .map(|value| TraceStep {
                    message: format!("`{}` is inserted into the string", snippet(checker, value)),
                    range: value.range(),
                    elsewhere: None,
                })
                .collect(),
        };
        steps.push(sink);
        steps
    }

    /// `` `name` `` or `` `a` and `b` ``: the values that make the string dynamic.
    pub fn values(&self, checker: &Checker) -> String {
        match self {
            Exposure::Tainted(_) => "request data".to_string(),
            Exposure::Built(values) => {
                let names: Vec<String> = values
                    .iter()
                    .take(3)
                    .map(|value| format!("`{}`", snippet(checker, value)))
                    .collect();
                match names.len() {
                    0 | 1 => names.join(""),
                    _ if values.len() > 3 => format!("{} and more", names.join(", ")),
                    _ => {
                        let (last, rest) = names.split_last().unwrap_or((&names[0], &[]));
                        format!("{} and {last}", rest.join(", "))
                    }
                }
            }
        }
    }
}

/// How `value` is exposed when `cleans` names the sanitizers of the sink, or `None` when
/// it is a constant, sanitized, or a value whose text the code does not build.
pub fn exposure<'a>(
    checker: &Checker<'a>,
    value: &'a Expr,
    cleans: fn(Passage) -> bool,
) -> Option<Exposure<'a>> {
    let semantic = checker.semantic();
    if semantic.is_constant_string(value) {
        return None;
    }
    if let Some(steps) = semantic.request_taint_with(value, cleans) {
        return Some(Exposure::Tainted(steps));
    }
    let parts = semantic.string_parts(value)?;
    let dynamic: Vec<&'a Expr> = parts
        .into_iter()
        .filter_map(|part| match part {
            StringPart::Dynamic(expr) if !is_inert(checker, expr, cleans) => Some(expr),
            _ => None,
        })
        .collect();
    (!dynamic.is_empty()).then_some(Exposure::Built(dynamic))
}

/// Values that cannot carry markup or path syntax: numbers, sanitized values, translations
/// of constant text.
fn is_inert<'a>(checker: &Checker<'a>, expr: &'a Expr, cleans: fn(Passage) -> bool) -> bool {
    match expr {
        Expr::NumberLiteral(number) => !matches!(number.value, Number::Complex { .. }),
        Expr::BooleanLiteral(_) | Expr::NoneLiteral(_) => true,
        Expr::Call(call) => {
            let Some(function) = checker.semantic().resolve_value_origin(&call.func) else {
                return false;
            };
            cleans(Passage::Call(function.segments()))
                || matches!(
                    function.segments(),
                    ["builtins", "int" | "float" | "len" | "bool"]
                )
                || matches!(
                    function.segments().last(),
                    Some(&("gettext" | "gettext_lazy" | "lazy_gettext" | "ngettext" | "pgettext"))
                )
        }
        _ => false,
    }
}

/// A short form of the source of `expr` for messages.
pub fn snippet(checker: &Checker, expr: &impl Ranged) -> String {
    let text = checker.text(expr);
    let line = text.lines().next().unwrap_or("");
    if line.chars().count() > 40 || line.len() < text.len() {
        let short: String = line.chars().take(37).collect();
        format!("{short}...")
    } else {
        line.to_string()
    }
}
