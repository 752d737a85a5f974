//! Code that `eval` / `exec` run without reading anyone's text: a code object an import
//! loader got from `compile`, `marshal` or `get_code`; a `.py` file of the project itself,
//! read by `setup.py` for its version; source generated from a constant template filled
//! with identifiers (`FUNHEAD_TEMPLATE.format(fun_name=fun.__name__, ...)`); a test's
//! `parametrize` cases; a file beside the module, found from `__file__` (test data the
//! suite ships).

use crate::checker::Checker;
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::semantic::{argument, BindingKind};

use super::package_files::reads_file_beside_module;
use super::test_cases::is_built_from_test_cases;

/// How far names are followed back to their values.
const MAX_DEPTH: usize = 4;

/// Whether `code` is a code object or source nobody outside the program wrote.
pub fn is_own_code<'a>(checker: &Checker<'a>, code: &'a Expr) -> bool {
    is_code_object(checker, code, 0)
        || is_project_source_file(checker, code)
        || is_generated_from_identifiers(checker, code)
        || is_built_from_test_cases(checker, code)
        || reads_file_beside_module(checker, code)
}

/// `compile(...)`, `marshal.loads(...)`, `loader.get_code(name)`, or a name holding one.
fn is_code_object<'a>(checker: &Checker<'a>, code: &'a Expr, depth: usize) -> bool {
    let semantic = checker.semantic();
    match code {
        Expr::Call(call) => {
            let loader_method = matches!(&*call.func, Expr::Attribute(method)
                if method.attr.id.as_str() == "get_code");
            loader_method
                || semantic
                    .resolve_qualified_name(&call.func)
                    .is_some_and(|name| {
                        name.is_builtin("compile")
                            || matches!(name.segments(), ["marshal", "loads" | "load"])
                    })
        }
        Expr::Name(name) if depth < MAX_DEPTH => semantic
            .assigned_value(name)
            .is_some_and(|value| is_code_object(checker, value, depth + 1)),
        _ => false,
    }
}

/// `f.read()` where `f` comes from `with open("pkg/__init__.py") as f`: a file the
/// project ships, named by a constant path.
fn is_project_source_file<'a>(checker: &Checker<'a>, code: &'a Expr) -> bool {
    let semantic = checker.semantic();
    let Expr::Call(read) = code else {
        return false;
    };
    let Expr::Attribute(method) = &*read.func else {
        return false;
    };
    let Expr::Name(file) = &*method.value else {
        return false;
    };
    if method.attr.id.as_str() != "read" {
        return false;
    }
    let scope = semantic.current_scope();
    let Some((binding, _)) = semantic.lookup_among(file.id.as_str(), scope, file.start()) else {
        return false;
    };
    let BindingKind::WithItem(Expr::Call(open)) = binding.kind else {
        return false;
    };
    let opens = semantic
        .resolve_qualified_name(&open.func)
        .is_some_and(|name| name.is_builtin("open"));
    let path = argument(open, 0, "file");
    let last_part = match path {
        Some(Expr::Call(join)) => join.arguments.args.last(),
        other => other,
    };
    opens
        && last_part
            .and_then(|part| semantic.constant_string(part))
            .is_some_and(|path| path.ends_with(".py"))
}

/// A constant template's `.format(...)` whose every value is a constant or an identifier
/// taken from code: `__name__`, `__qualname__`, a signature read by introspection.
fn is_generated_from_identifiers<'a>(checker: &Checker<'a>, code: &'a Expr) -> bool {
    let code = match code {
        Expr::Name(name) => match checker.semantic().assigned_value(name) {
            Some(value) => value,
            None => return false,
        },
        other => other,
    };
    let Expr::Call(call) = code else {
        return false;
    };
    let Expr::Attribute(method) = &*call.func else {
        return false;
    };
    method.attr.id.as_str() == "format"
        && checker.semantic().is_constant_string(&method.value)
        && call
            .arguments
            .args
            .iter()
            .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
            .all(|value| is_identifier_value(checker, value, 0))
}

/// A constant, a name of something in the program, or what introspecting a signature
/// returns; through names whose every assignment is one.
fn is_identifier_value<'a>(checker: &Checker<'a>, value: &'a Expr, depth: usize) -> bool {
    let semantic = checker.semantic();
    if depth > MAX_DEPTH {
        return false;
    }
    match value {
        Expr::NumberLiteral(_) | Expr::BooleanLiteral(_) | Expr::NoneLiteral(_) => true,
        Expr::Attribute(attribute) => matches!(
            attribute.attr.id.as_str(),
            "__name__" | "__qualname__" | "__module__"
        ),
        Expr::Call(call) => callee_reads_a_signature(&call.func),
        Expr::Name(name) => {
            if semantic.is_constant_string(value) {
                return true;
            }
            let scope = semantic.current_scope();
            semantic
                .lookup_among(name.id.as_str(), scope, name.start())
                .is_some_and(|(_, all)| {
                    all.iter().all(|binding| match binding.kind {
                        BindingKind::Assignment(assigned) => {
                            is_identifier_value(checker, assigned, depth + 1)
                        }
                        _ => false,
                    })
                })
        }
        other => semantic.is_constant_string(other),
    }
}

/// `inspect.signature(f)`, `getfullargspec(f)`, a helper named for what it reads
/// (`_argsfromspec(spec)`).
fn callee_reads_a_signature(func: &ast::Expr) -> bool {
    let name = match func {
        Expr::Name(name) => name.id.as_str(),
        Expr::Attribute(attribute) => attribute.attr.id.as_str(),
        _ => return false,
    };
    let name = name.to_ascii_lowercase();
    name.contains("argspec") || name.contains("fromspec") || name.contains("signature")
}
