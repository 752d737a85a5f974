//! What a query is built from — its text and the values in it that could be anything —
//! and the message, confidence and trace a finding uses to say so.

use crate::checker::Checker;
use crate::diagnostic::{Confidence, Finding, TraceStep};
use crate::parse::ast::{Expr, Operator};
use crate::parse::Ranged;
use crate::registry::RuleMeta;
use crate::semantic::{Binding, BindingKind, StringPart};

use super::sql_placeholders::{place, starts_like_sql, Placed, Role};
use super::sql_sinks::SqlSink;
use super::sql_values::is_fixed_value;

/// How many assignments back we follow a variable for messages and traces.
const MAX_DEPTH: usize = 8;

/// A query built from text and values, at least one of which could be anything.
pub struct BuiltQuery<'a> {
    pub placed: Placed<'a>,
    /// The text reads like a SQL statement (`SELECT ... FROM`, `DELETE FROM`).
    pub looks_like_sql: bool,
}

impl<'a> BuiltQuery<'a> {
    /// The values that are not provably fixed, in order, without repeats.
    pub fn values(&self) -> Vec<&'a Expr> {
        let mut values: Vec<&'a Expr> = Vec::new();
        for (expr, _) in &self.placed.roles {
            if !values.iter().any(|seen| seen.range() == expr.range()) {
                values.push(expr);
            }
        }
        values
    }

    /// Every such value names a table or column (they usually come from code, not users).
    pub fn only_identifiers(&self) -> bool {
        self.placed
            .roles
            .iter()
            .all(|(_, role)| *role == Role::Identifier)
    }
}

/// The query `expr` builds, when it builds one from literal text and values that could be
/// anything; `None` for constant queries and for values we cannot see into.
pub fn built_query<'a>(checker: &Checker<'a>, expr: &'a Expr) -> Option<BuiltQuery<'a>> {
    let parts = checker.semantic().string_parts(expr)?;
    let has_text = parts
        .iter()
        .any(|part| matches!(part, StringPart::Literal(text) if !text.trim().is_empty()));
    if !has_text {
        return None;
    }
    let placed = place(&parts, |value| is_fixed_value(checker, value));
    if placed.roles.is_empty() {
        return None;
    }
    Some(BuiltQuery {
        looks_like_sql: starts_like_sql(placed.plain()),
        placed,
    })
}

/// The finding for a query built from `built`'s values reaching `sink`: the message names
/// the values, the trace says where they and the query come from. Confidence drops when the
/// call is only "a method called `execute`" or the values are only table or column names.
pub fn query_finding<'a>(
    rule: &'static RuleMeta,
    checker: &Checker<'a>,
    sink: &SqlSink<'a>,
    built: &BuiltQuery<'a>,
) -> Finding {
    let values = built.values();
    let consequence = if built.only_identifiers() {
        ", used as a table or column name; names cannot be parameters, so an unchecked one can change the query"
    } else {
        "; a crafted value can change the query itself"
    };
    let message = format!(
        "{} receives SQL built with {} from {}{consequence}",
        code_text(checker.text(&*sink.call.func)),
        how_built(checker, sink.query),
        values_phrase(checker, &values),
    );
    let confidence = match (sink.resolved, built.only_identifiers()) {
        (true, false) => Confidence::High,
        (false, true) => Confidence::Low,
        _ => Confidence::Medium,
    };
    Finding::new(rule, sink.call.range(), message)
        .with_confidence(confidence)
        .with_trace(query_trace(checker, sink.query, &values))
        .with_related(vec![sink.query.range()])
}

/// A read of outside input: the web request (Flask, Django, FastAPI, ...), `input()`,
/// `sys.argv`, `os.environ`. Only for the trace; the finding does not depend on it.
fn is_outside_input<'a>(checker: &Checker<'a>, expr: &'a Expr) -> bool {
    let semantic = checker.semantic();
    let mut expr = expr;
    for _ in 0..MAX_DEPTH {
        expr = match expr {
            Expr::Subscript(subscript) => &subscript.value,
            Expr::Attribute(attribute) => &attribute.value,
            Expr::Call(call) => &call.func,
            Expr::Await(awaited) => &awaited.value,
            Expr::Name(name) => {
                if let Some(Binding {
                    kind: BindingKind::Parameter { .. },
                    ..
                }) = semantic.binding_of(name)
                {
                    return name.id.as_str() == "request";
                }
                return semantic
                    .resolve_qualified_name(expr)
                    .is_some_and(|qualified| {
                        matches!(
                            qualified.segments(),
                            ["flask" | "quart" | "bottle", "request", ..]
                                | ["builtins", "input"]
                                | ["sys", "argv" | "stdin", ..]
                                | ["os", "environ" | "getenv", ..]
                        )
                    });
            }
            _ => return false,
        };
    }
    false
}

/// "`a`", "`a` and `b`", "`a`, `b`, `c` and 2 more".
pub fn values_phrase(checker: &Checker, values: &[&Expr]) -> String {
    let mut names: Vec<String> = Vec::new();
    for value in values {
        let text = code_text(checker.text(*value));
        if !names.contains(&text) {
            names.push(text);
        }
    }
    let shown = names.len().min(3);
    let mut phrase = names[..shown].join(", ");
    match names.len() {
        0 | 1 => {}
        2 | 3 => {
            if let Some(at) = phrase.rfind(", ") {
                phrase.replace_range(at..at + 2, " and ");
            }
        }
        more => phrase.push_str(&format!(" and {} more", more - shown)),
    }
    phrase
}

/// Code in backticks, on one line and short enough for a message.
pub fn code_text(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 40 {
        let short: String = flat.chars().take(37).collect();
        format!("`{short}...`")
    } else {
        format!("`{flat}`")
    }
}

/// How an expression builds its string, for messages: "an f-string", "`%` formatting".
pub fn how_built<'a>(checker: &Checker<'a>, expr: &'a Expr) -> &'static str {
    let mut expr = expr;
    for _ in 0..MAX_DEPTH {
        return match expr {
            Expr::FString(_) => "an f-string",
            Expr::BinOp(binop) if binop.op == Operator::Mod => "`%` formatting",
            Expr::BinOp(_) => "string concatenation",
            Expr::Call(call) => match &*call.func {
                Expr::Attribute(method) => match method.attr.id.as_str() {
                    "join" => "`.join()`",
                    "format" => "`.format()`",
                    "replace" => "`.replace()`",
                    _ => "a helper function",
                },
                _ => "a helper function",
            },
            Expr::Name(name) => match checker.semantic().binding_of(name).map(|b| &b.kind) {
                Some(BindingKind::Assignment(value)) => {
                    expr = value;
                    continue;
                }
                Some(BindingKind::AugAssign(_)) => "`+=`",
                _ => "string building",
            },
            _ => "string building",
        };
    }
    "string building"
}

/// Where the values come from and, when the query goes through a variable, where it is built.
pub fn query_trace<'a>(
    checker: &Checker<'a>,
    query: &'a Expr,
    values: &[&'a Expr],
) -> Vec<TraceStep> {
    let semantic = checker.semantic();
    let mut trace = Vec::new();
    // Request data, followed as the data flow does (also into and out of helpers).
    let tainted = values.iter().find_map(|value| {
        let mut steps = semantic.taint_source_of(value)?;
        steps.push(TraceStep {
            message: format!("`{}` is inserted into the query", checker.text(*value)),
            range: value.range(),
            elsewhere: None,
        });
        Some(steps)
    });
    if let Some(steps) = tainted {
        return steps;
    }
    for value in values {
        let Expr::Name(name) = value else { continue };
        match semantic.binding_of(name) {
            Some(Binding {
                kind: BindingKind::Parameter { function, .. },
                range,
                ..
            }) => trace.push(TraceStep {
                message: format!(
                    "`{}` is a parameter of `{}`: its callers choose the value",
                    name.id, function.name.id
                ),
                range: *range,
                elsewhere: None,
            }),
            Some(Binding {
                kind: BindingKind::Assignment(source),
                ..
            }) if is_outside_input(checker, source) => trace.push(TraceStep {
                message: format!(
                    "`{}` comes from {}",
                    name.id,
                    code_text(checker.text(*source))
                ),
                range: source.range(),
                elsewhere: None,
            }),
            _ => {}
        }
    }
    let Expr::Name(variable) = query else {
        return trace;
    };
    let mut steps = Vec::new();
    let mut binding = semantic.binding_of(variable);
    while let Some(current) = binding.filter(|_| steps.len() < MAX_DEPTH) {
        let (value, extended) = match current.kind {
            BindingKind::Assignment(value) => (value, false),
            BindingKind::AugAssign(value) => (value, true),
            _ => break,
        };
        let inside: Vec<&Expr> = values
            .iter()
            .copied()
            .filter(|v| value.range().contains_range(v.range()))
            .collect();
        let message = match (extended, inside.is_empty()) {
            (false, true) => format!("`{}` starts here", variable.id),
            (false, false) => format!(
                "`{}` is built here with {} from {}",
                variable.id,
                how_built(checker, value),
                values_phrase(checker, &inside)
            ),
            (true, true) => format!("`{}` is extended here", variable.id),
            (true, false) => format!(
                "`{}` is extended here with {}",
                variable.id,
                values_phrase(checker, &inside)
            ),
        };
        steps.push(TraceStep {
            message,
            range: value.range(),
            elsewhere: None,
        });
        if !extended {
            break;
        }
        binding = semantic
            .lookup(variable.id.as_str(), current.scope, current.range.start())
            .filter(|earlier| !std::ptr::eq(*earlier, current));
    }
    steps.reverse();
    trace.extend(steps);
    trace
}
