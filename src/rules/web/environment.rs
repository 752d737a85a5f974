//! Settings read from the environment: `os.environ["NAME"]`, `os.getenv("NAME", default)`,
//! `os.environ.get(...)`, python-decouple's `config(...)` and django-environ's `env(...)`,
//! the fallback each one uses when the variable is not set, and boolean switches read from
//! them that end up on by mistake.

use crate::checker::Checker;
use crate::diagnostic::Edit;
use crate::parse::ast::{self, CmpOp, Expr};
use crate::parse::{Ranged, TextSize};
use crate::semantic::settings::literal_bool;
use crate::semantic::{argument, keyword};

/// One lookup of an environment variable.
pub struct EnvLookup<'a> {
    /// The expression naming the variable (`"SECRET_KEY"`).
    pub variable: &'a Expr,
    /// The value used when the variable is unset, when the lookup has one.
    pub default: Option<&'a Expr>,
}

/// The environment lookup `expr` is, if it is one.
pub fn env_lookup<'a>(checker: &Checker<'a>, expr: &'a Expr) -> Option<EnvLookup<'a>> {
    let semantic = checker.semantic();
    match expr {
        Expr::Subscript(subscript) => {
            let name = semantic.resolve_qualified_name(&subscript.value)?;
            (name.segments() == ["os", "environ"]).then_some(EnvLookup {
                variable: &subscript.slice,
                default: None,
            })
        }
        Expr::Call(call) => {
            let function = semantic.resolve_value_origin(&call.func)?;
            let default = match function.segments() {
                ["os", "getenv"] | ["os", "environ", "get"] => argument(call, 1, "default"),
                ["decouple", "config"] => keyword(call, "default").map(|k| &k.value),
                ["environ", "Env" | "FileAwareEnv", "()", ..] => {
                    keyword(call, "default").map(|k| &k.value)
                }
                _ => return None,
            };
            Some(EnvLookup {
                variable: argument(call, 0, "key").or_else(|| argument(call, 0, "var"))?,
                default,
            })
        }
        _ => None,
    }
}

/// The lookup inside `expr` when it is one, possibly normalised first:
/// `os.getenv("DEBUG", "0").lower()` is the lookup, lower-cased.
pub fn env_lookup_normalised<'a>(
    checker: &Checker<'a>,
    expr: &'a Expr,
) -> Option<(EnvLookup<'a>, bool)> {
    if let Expr::Call(ast::ExprCall { func, .. }) = expr {
        if let Expr::Attribute(method) = &**func {
            if matches!(method.attr.id.as_str(), "lower" | "casefold" | "strip") {
                let (lookup, _) = env_lookup_normalised(checker, &method.value)?;
                return Some((lookup, method.attr.id.as_str() != "strip"));
            }
        }
    }
    env_lookup(checker, expr).map(|lookup| (lookup, false))
}

/// Strings an environment switch compares against to mean "on".
const TRUTHY: &[&str] = &["1", "true", "yes", "on", "y", "t"];

/// How a boolean switch read from the environment goes wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Switch {
    /// On when the variable is missing: `os.getenv("DEBUG", "True") == "True"`.
    OnWhenUnset,
    /// `bool(os.getenv("DEBUG"))`, true for the string `"False"` too.
    BoolOfString,
}

/// A switch read from the environment that is on when it should not be, if `value` is one.
pub fn environment_switch<'a>(checker: &Checker<'a>, value: &'a Expr) -> Option<Switch> {
    let semantic = checker.semantic();
    match value {
        Expr::Call(call) if is_bool_call(checker, call) => {
            env_lookup_normalised(checker, call.arguments.args.first()?)?;
            Some(Switch::BoolOfString)
        }
        Expr::Compare(compare) => {
            let ([op], [expected]) = (&compare.ops[..], &compare.comparators[..]) else {
                return None;
            };
            let (lookup, lowered) = env_lookup_normalised(checker, &compare.left)?;
            let default = semantic.constant_string(lookup.default?)?;
            let default = if lowered {
                default.to_lowercase()
            } else {
                default
            };
            let is_default =
                |option: &'a Expr| semantic.constant_string(option).as_ref() == Some(&default);
            let on = match (op, expected) {
                (CmpOp::Eq, expected) => is_default(expected),
                (CmpOp::In, Expr::Tuple(ast::ExprTuple { elts, .. }))
                | (CmpOp::In, Expr::List(ast::ExprList { elts, .. }))
                | (CmpOp::In, Expr::Set(ast::ExprSet { elts, .. })) => elts.iter().any(is_default),
                _ => false,
            };
            on.then_some(Switch::OnWhenUnset)
        }
        _ => {
            let default = env_lookup_normalised(checker, value)?.0.default?;
            let truthy = literal_bool(default) == Some(true)
                || semantic
                    .constant_string(default)
                    .is_some_and(|text| TRUTHY.contains(&text.to_lowercase().as_str()));
            truthy.then_some(Switch::OnWhenUnset)
        }
    }
}

/// `bool(...)`, the builtin (no local name `bool` hides it).
fn is_bool_call(checker: &Checker, call: &ast::ExprCall) -> bool {
    matches!(&*call.func, Expr::Name(name)
        if name.id.as_str() == "bool" && checker.semantic().binding_of(name).is_none())
}

/// `os.environ.get("VARIABLE") == "1"`, a switch that is off unless the environment turns it
/// on, with the `os` import it needs. `None` where `os` is some other name (a parameter).
pub fn env_switch_expression(
    checker: &Checker,
    at: TextSize,
    variable: &str,
) -> Option<(String, Option<Edit>)> {
    let (os, import) = checker.import_module("os", at);
    Some((format!("{os}.environ.get(\"{variable}\") == \"1\""), import))
}

/// A list read from a comma-separated environment variable, empty entries left out (an
/// unset variable gives an empty list, which allows nothing), with the `os` import it needs.
/// `None` where `os` is some other name (a parameter).
pub fn env_list_expression(
    checker: &Checker,
    at: TextSize,
    variable: &str,
    item: &str,
) -> Option<(String, Option<Edit>)> {
    let (os, import) = checker.import_module("os", at);
    Some((
        format!(
            "[{item} for {item} in {os}.environ.get(\"{variable}\", \"\").split(\",\") if {item}]"
        ),
        import,
    ))
}

/// An edit that makes a [`Switch`] off unless the environment turns it on. For
/// [`Switch::OnWhenUnset`], the fallback changes: `""` where the value is compared
/// (`os.getenv("DEBUG", "True") == "True"` → `os.getenv("DEBUG", "") == "True"`), `False`
/// where it is used as it is. For [`Switch::BoolOfString`], `bool(os.getenv("DEBUG"))`
/// becomes a comparison with the usual spellings of "on". `None` when the comparison
/// accepts `""`, or the lookup is not one of `os`'s. With the `os` import it may need.
pub fn switch_off_by_default<'a>(
    checker: &Checker<'a>,
    value: &'a Expr,
    switch: Switch,
) -> Option<Vec<Edit>> {
    let semantic = checker.semantic();
    match (switch, value) {
        (Switch::OnWhenUnset, Expr::Compare(compare)) => {
            let accepts_empty = compare.comparators.iter().any(|option| {
                let options = match option {
                    Expr::Tuple(ast::ExprTuple { elts, .. })
                    | Expr::List(ast::ExprList { elts, .. })
                    | Expr::Set(ast::ExprSet { elts, .. }) => elts.iter().collect(),
                    single => vec![single],
                };
                options.iter().any(|option| {
                    semantic
                        .constant_string(option)
                        .is_none_or(|text| text.is_empty())
                })
            });
            if accepts_empty {
                return None;
            }
            let default = env_lookup_normalised(checker, &compare.left)?.0.default?;
            Some(vec![Edit::replace(default.range(), "\"\"")])
        }
        (Switch::OnWhenUnset, _) => {
            let default = env_lookup_normalised(checker, value)?.0.default?;
            Some(vec![Edit::replace(default.range(), "False")])
        }
        (Switch::BoolOfString, Expr::Call(call)) => {
            let Expr::Call(lookup) = call.arguments.args.first()? else {
                return None;
            };
            let function = semantic.resolve_value_origin(&lookup.func)?;
            if !matches!(
                function.segments(),
                ["os", "getenv"] | ["os", "environ", "get"]
            ) {
                return None;
            }
            let variable = env_lookup(checker, call.arguments.args.first()?)?.variable;
            let (os, import) = checker.import_module("os", value.start());
            let mut edits = vec![Edit::replace(
                value.range(),
                format!(
                    "{os}.environ.get({}, \"\").lower() in (\"1\", \"true\", \"yes\", \"on\")",
                    checker.text(variable)
                ),
            )];
            edits.extend(import);
            Some(edits)
        }
        _ => None,
    }
}
