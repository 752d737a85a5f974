//! Text a test writes out case by case: a parameter of a function decorated with
//! `@pytest.mark.parametrize("expression", ["obj.pop()", ...])` holds, on each run, one of
//! the strings listed there, so it is as constant as a literal (and so is a closure's use
//! of it, or an f-string built from such parameters and literal text), and so is the
//! parameter of a helper that every call in the module passes such a value.

use crate::checker::Checker;
use crate::parse::ast::{self, Expr};
use crate::semantic::{argument, BindingKind, StringPart};

/// How many helpers deep a parameter is followed to the test that fills it.
const MAX_DEPTH: usize = 3;

/// True when every piece of `text` that is not literal is a parameter whose values all
/// come, as constant strings, from a `pytest.mark.parametrize` on its function.
pub fn is_built_from_test_cases<'a>(checker: &Checker<'a>, text: &'a Expr) -> bool {
    let parts = checker
        .semantic()
        .string_parts(text)
        .unwrap_or_else(|| vec![StringPart::Dynamic(text)]);
    let mut parameters = parts.iter().filter_map(|part| match part {
        StringPart::Dynamic(dynamic) => Some(*dynamic),
        StringPart::Literal(_) => None,
    });
    parameters.clone().next().is_some()
        && parameters.all(|dynamic| is_parametrized_constant(checker, dynamic, 0))
}

/// `name` is a parameter that every `parametrize` case sets to a constant string, or that
/// every call in the module fills with a constant string or such a parameter (a test's
/// helper: `do_test(exec_str)`).
fn is_parametrized_constant<'a>(checker: &Checker<'a>, name: &'a Expr, depth: usize) -> bool {
    let semantic = checker.semantic();
    let Expr::Name(name) = name else {
        return false;
    };
    // A value passed by a caller lies in the caller's scope, not in the one being checked.
    let scope = semantic.scope_enclosing(name.range);
    let Some(&BindingKind::Parameter { function, .. }) = semantic
        .lookup(name.id.as_str(), scope, name.range.start())
        .map(|binding| &binding.kind)
    else {
        return false;
    };
    let filled_by_callers = depth < MAX_DEPTH
        && semantic
            .arguments_passed_to(function, name.id.as_str())
            .is_some_and(|passed| {
                passed.iter().all(|argument| {
                    argument.is_some_and(|argument| {
                        semantic.is_constant_string(argument)
                            || is_parametrized_constant(checker, argument, depth + 1)
                    })
                })
            });
    filled_by_callers
        || function.decorator_list.iter().any(|decorator| {
            let Expr::Call(call) = &decorator.expression else {
                return false;
            };
            let is_parametrize = semantic
                .resolve_qualified_name(&call.func)
                .is_some_and(|qualified| qualified.segments() == ["pytest", "mark", "parametrize"]);
            if !is_parametrize {
                return false;
            }
            let (Some(names), Some(cases)) = (
                argument(call, 0, "argnames"),
                argument(call, 1, "argvalues"),
            ) else {
                return false;
            };
            let Some(column) = argument_names(checker, names)
                .and_then(|names| names.iter().position(|listed| listed == name.id.as_str()))
            else {
                return false;
            };
            let single = argument_names(checker, names).is_some_and(|names| names.len() == 1);
            elements(cases).is_some_and(|cases| {
                cases.iter().all(|case| {
                    // One name: each case is the value itself, unless wrapped in `pytest.param`.
                    let value = match (single, pytest_param_values(case)) {
                        (true, Some(values)) => values.first().copied(),
                        (true, None) => Some(*case),
                        (false, Some(values)) => values.get(column).copied(),
                        (false, None) => {
                            elements(case).and_then(|values| values.get(column).copied())
                        }
                    };
                    value.is_some_and(|value| semantic.is_constant_string(value))
                })
            })
        })
}

/// `"a, b"`, `"a,b"` or `["a", "b"]`: the parameter names a `parametrize` sets.
fn argument_names<'a>(checker: &Checker<'a>, names: &'a Expr) -> Option<Vec<String>> {
    let semantic = checker.semantic();
    if let Some(text) = semantic.constant_string(names) {
        return Some(
            text.split(',')
                .map(|name| name.trim().to_string())
                .collect(),
        );
    }
    elements(names)?
        .iter()
        .map(|name| semantic.constant_string(name))
        .collect()
}

/// The items of a list or tuple display.
fn elements(expr: &Expr) -> Option<Vec<&Expr>> {
    match expr {
        Expr::List(list) => Some(list.elts.iter().collect()),
        Expr::Tuple(tuple) => Some(tuple.elts.iter().collect()),
        _ => None,
    }
}

/// The values of a case written `pytest.param(value, ..., id=...)`.
fn pytest_param_values(case: &Expr) -> Option<Vec<&Expr>> {
    let Expr::Call(ast::ExprCall {
        func, arguments, ..
    }) = case
    else {
        return None;
    };
    matches!(&**func, Expr::Attribute(attribute) if attribute.attr.id.as_str() == "param")
        .then(|| arguments.args.iter().collect())
}
