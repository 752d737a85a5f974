//! Settings read from the environment: `os.environ["NAME"]`, `os.getenv("NAME", default)`,
//! `os.environ.get(...)`, python-decouple's `config(...)` and django-environ's `env(...)`,
//! and the fallback each one uses when the variable is not set.

use crate::checker::Checker;
use crate::parse::ast::{self, Expr};
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
