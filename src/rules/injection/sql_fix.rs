//! The parameterised fix for one call: the rewritten query in place (or where its variable
//! is built), the values in the call's parameters, `text()` around SQLAlchemy strings.

use crate::checker::Checker;
use crate::diagnostic::{Edit, Fix};
use crate::parse::ast::{self, Expr};
use crate::parse::{Ranged, TextSize};
use crate::semantic::BindingKind;

use super::sql_query::values_phrase;
use super::sql_rewrite::{rewrite_query, SqlShape};
use super::sql_sinks::{ParamStyle, ParamsSlot, SqlSink};

/// The parameterised rewrite of a sink's query, or a display-only fix that says what to do.
pub fn parameterise_fix<'a>(checker: &Checker<'a>, sink: &SqlSink<'a>, list: bool) -> Fix {
    match parameterise(checker, sink, list) {
        Ok(fix) => fix,
        Err(title) => Fix::display_only(title, Vec::new()),
    }
}

fn parameterise<'a>(checker: &Checker<'a>, sink: &SqlSink<'a>, list: bool) -> Result<Fix, String> {
    let call = sink.call;
    if sink.slot == ParamsSlot::Unavailable {
        return Err(match method_name(call) {
            "SQL" => "Keep the text of `sql.SQL()` constant and compose the values with `sql.Identifier()`, `sql.Literal()` or placeholders".to_string(),
            method => format!(
                "Build this SQL from constant text: `{method}` takes no parameters for a single query"
            ),
        });
    }
    let unpacks = call.arguments.args.iter().any(Expr::is_starred_expr)
        || call.arguments.keywords.iter().any(|k| k.arg.is_none());
    let by_keyword = !call
        .arguments
        .args
        .first()
        .is_some_and(|first| std::ptr::eq(first, sink.query));
    if unpacks || (by_keyword && sink.slot != ParamsSlot::BindParams) {
        return Err("Use placeholders in the SQL and pass the values as query parameters".into());
    }
    let (target, variable) = match sink.query {
        Expr::Name(name) => (assigned_once_for(checker, name, call)?, Some(name)),
        other => (other, None),
    };
    let (style, known) = sink.style.map_or(
        (
            ParamStyle::Format {
                doubles_percent: true,
            },
            false,
        ),
        |style| (style, true),
    );
    let rewritten = rewrite_query(checker, target, style, SqlShape::Statement)?;
    let moved = values_phrase(checker, &rewritten.moved);
    let existing = match sink.params {
        None => None,
        Some(params) if is_empty_collection(params) => Some(params.range()),
        Some(_) => {
            return Err(format!(
                "Use placeholders for {moved} too and add {} to the parameters already passed",
                it_or_them(checker, &rewritten.moved)
            ))
        }
    };
    if let Some(variable) = variable {
        let stable = rewritten
            .moved
            .iter()
            .all(|value| is_stable(checker, value, variable.start()));
        if !stable {
            return Err(format!(
                "Build `{}` with placeholders and pass {moved} as {}",
                variable.id,
                parameters(checker, &rewritten.moved)
            ));
        }
    }
    let wraps_text = style == ParamStyle::SqlAlchemy && sink.slot != ParamsSlot::BindParams;
    let mut edits = Vec::new();
    let text_function = wraps_text.then(|| text_function(checker, call, &mut edits));
    let literal = match (&text_function, variable) {
        (Some(text), None) => format!("{text}({})", rewritten.literal),
        _ => rewritten.literal.clone(),
    };
    edits.push(Edit::replace(target.range(), literal));
    if let (Some(text), Some(variable)) = (&text_function, variable) {
        edits.push(Edit::replace(
            variable.range,
            format!("{text}({})", variable.id),
        ));
    }
    let params = params_text(&rewritten.values, style, sink.slot, list);
    edits.push(match (sink.slot, existing) {
        (_, Some(range)) => Edit::replace(range, params),
        (ParamsSlot::BindParams, None) => {
            Edit::insert(call.end(), format!(".bindparams({params})"))
        }
        (ParamsSlot::Keyword(name), None) => {
            let last = last_argument(call).unwrap_or(sink.query);
            Edit::insert(
                after_argument(checker, call, last),
                format!(", {name}={params}"),
            )
        }
        _ => Edit::insert(
            after_argument(checker, call, sink.query),
            format!(", {params}"),
        ),
    });
    let as_parameters = parameters(checker, &rewritten.moved);
    Ok(if known {
        Fix::unsafe_edits(
            format!(
                "Use {} placeholders and pass {moved} as {as_parameters}",
                placeholder_name(style)
            ),
            edits,
        )
    } else {
        Fix::display_only(
            format!("Pass {moved} as {as_parameters} (shown with `%s` placeholders: use your driver's style)"),
            edits,
        )
    })
}

fn placeholder_name(style: ParamStyle) -> &'static str {
    match style {
        ParamStyle::Qmark => "`?`",
        ParamStyle::Format { .. } => "`%s`",
        ParamStyle::Numeric => "`$n`",
        ParamStyle::Named | ParamStyle::SqlAlchemy => "`:name`",
    }
}

/// `(a, b)`, `[a, b]`, `{"a": a}`, `a=a` or `a, b`, as the slot and style want them.
fn params_text(
    values: &[(String, String)],
    style: ParamStyle,
    slot: ParamsSlot,
    list: bool,
) -> String {
    let named = matches!(style, ParamStyle::Named | ParamStyle::SqlAlchemy);
    let mut unique: Vec<&(String, String)> = Vec::new();
    for value in values {
        if !named || !unique.iter().any(|seen| seen.0 == value.0) {
            unique.push(value);
        }
    }
    let join = |render: &dyn Fn(&(String, String)) -> String| {
        unique
            .iter()
            .map(|value| render(value))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match slot {
        ParamsSlot::BindParams => join(&|(name, value)| format!("{name}={value}")),
        ParamsSlot::Varargs => join(&|(_, value)| value.clone()),
        _ if named => format!(
            "{{{}}}",
            join(&|(name, value)| format!("\"{name}\": {value}"))
        ),
        _ if list => format!("[{}]", join(&|(_, value)| value.clone())),
        _ if unique.len() == 1 => format!("({},)", unique[0].1),
        _ => format!("({})", join(&|(_, value)| value.clone())),
    }
}

/// The value of `name` when it is assigned once in this scope and used only here.
fn assigned_once_for<'a>(
    checker: &Checker<'a>,
    name: &'a ast::ExprName,
    call: &'a ast::ExprCall,
) -> Result<&'a Expr, String> {
    let semantic = checker.semantic();
    let manual = || {
        format!(
            "Build `{}` with placeholders and pass the values as parameters to `{}`",
            name.id,
            method_name(call)
        )
    };
    let binding = semantic.binding_of(name).ok_or_else(manual)?;
    let BindingKind::Assignment(value) = binding.kind else {
        return Err(manual());
    };
    let single = semantic.bindings_in(binding.scope, name.id.as_str()).len() == 1;
    if !single || binding.scope != semantic.current_scope() {
        return Err(manual());
    }
    if super::sql_scope::uses_of(semantic.body(), name.id.as_str(), call.start()) != Some(1) {
        return Err(manual());
    }
    Ok(value)
}

/// Does `value` mean the same at the call as where the query was built? Names must see the
/// same binding; attribute and subscript chains on them are taken as stable.
fn is_stable(checker: &Checker, value: &Expr, at: TextSize) -> bool {
    let semantic = checker.semantic();
    match value {
        Expr::Name(name) => {
            let scope = semantic.current_scope();
            let built = semantic.lookup(name.id.as_str(), scope, name.start());
            let used = semantic.lookup(name.id.as_str(), scope, at);
            match (built, used) {
                (Some(built), Some(used)) => std::ptr::eq(built, used),
                (None, None) => true,
                _ => false,
            }
        }
        Expr::Attribute(attribute) => is_stable(checker, &attribute.value, at),
        Expr::Subscript(subscript) => {
            is_stable(checker, &subscript.value, at)
                && (subscript.slice.is_literal_expr() || is_stable(checker, &subscript.slice, at))
        }
        other => other.is_literal_expr(),
    }
}

fn is_empty_collection(expr: &Expr) -> bool {
    match expr {
        Expr::Tuple(tuple) => tuple.elts.is_empty(),
        Expr::List(list) => list.elts.is_empty(),
        _ => false,
    }
}

fn method_name(call: &ast::ExprCall) -> &str {
    match &*call.func {
        Expr::Attribute(attribute) => attribute.attr.id.as_str(),
        Expr::Name(name) => name.id.as_str(),
        _ => "execute",
    }
}

pub fn last_argument(call: &ast::ExprCall) -> Option<&Expr> {
    call.arguments
        .args
        .iter()
        .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
        .max_by_key(|arg| arg.end())
}

/// Just after an argument, past the parentheses around it (`execute((a + b), ...)`).
pub fn after_argument(checker: &Checker, call: &ast::ExprCall, argument: &Expr) -> TextSize {
    let source = checker.source().as_bytes();
    let close = call.arguments.range.end().to_usize().saturating_sub(1);
    let mut at = argument.end().to_usize();
    let mut end = at;
    while at < close.min(source.len()) {
        match source[at] {
            b' ' | b'\t' | b'\n' | b'\r' | b'\\' => at += 1,
            b'#' => {
                while at < close && source[at] != b'\n' {
                    at += 1;
                }
            }
            b')' => {
                at += 1;
                end = at;
            }
            _ => break,
        }
    }
    TextSize::try_from(end).unwrap_or(argument.end())
}

/// `text` when `from sqlalchemy import text` is in scope (and runs: not only for the type
/// checker), else `sqlalchemy.text` (imported).
fn text_function(checker: &Checker, call: &ast::ExprCall, edits: &mut Vec<Edit>) -> String {
    let imported = ["sqlalchemy.text", "sqlmodel.text", "sqlalchemy.sql.text"]
        .iter()
        .find_map(|qualified| crate::fix::imported_name(checker, qualified, "text", call.start()));
    if let Some(text) = imported {
        return text;
    }
    let (module, import) = checker.import_module("sqlalchemy", call.start());
    edits.extend(import);
    format!("{module}.text")
}

/// "a parameter" or "parameters".
fn parameters(checker: &Checker, values: &[&Expr]) -> &'static str {
    if distinct(checker, values) == 1 {
        "a parameter"
    } else {
        "parameters"
    }
}

fn it_or_them(checker: &Checker, values: &[&Expr]) -> &'static str {
    if distinct(checker, values) == 1 {
        "it"
    } else {
        "them"
    }
}

/// How many different values, by their text (`name` twice is one value).
fn distinct(checker: &Checker, values: &[&Expr]) -> usize {
    let mut texts: Vec<&str> = values.iter().map(|value| checker.text(*value)).collect();
    texts.sort_unstable();
    texts.dedup();
    texts.len()
}
