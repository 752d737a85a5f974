//! What a value names on disk: a `pathlib` path object, a path under a folder every local
//! user can write to.

use crate::checker::Checker;
use crate::parse::ast::{self, Expr};
use crate::semantic::StringPart;

/// Folders every local user can create files in.
const SHARED_FOLDERS: &[&str] = &["/tmp", "/var/tmp", "/dev/shm"];

/// The shared folder a path is fixed under: `"/tmp/report.csv"`, `f"/tmp/{name}"`,
/// `os.path.join("/var/tmp", name)`, `Path("/dev/shm") / name`, or a name bound to one.
pub fn shared_folder<'a>(
    checker: &Checker<'a>,
    expr: &'a Expr,
    depth: usize,
) -> Option<&'static str> {
    if depth > 8 {
        return None;
    }
    let semantic = checker.semantic();
    match expr {
        Expr::Call(call) => {
            let function = semantic.resolve_qualified_name(&call.func);
            let first = call.arguments.args.first()?;
            match function.as_ref().map(|name| name.segments()) {
                Some(
                    ["os" | "posixpath", "path", "join"]
                    | ["pathlib", "Path" | "PurePath" | "PosixPath" | "PurePosixPath"],
                ) => shared_folder(checker, first, depth + 1),
                _ => match &*call.func {
                    Expr::Attribute(method)
                        if matches!(
                            method.attr.id.as_str(),
                            "joinpath" | "with_name" | "with_suffix" | "with_stem"
                        ) =>
                    {
                        shared_folder(checker, &method.value, depth + 1)
                    }
                    _ => None,
                },
            }
        }
        Expr::BinOp(binop) if binop.op == ast::Operator::Div => {
            shared_folder(checker, &binop.left, depth + 1)
        }
        Expr::Name(name) if semantic.string_parts(expr).is_none() => semantic
            .assigned_value(name)
            .and_then(|value| shared_folder(checker, value, depth + 1)),
        _ => {
            let parts = semantic.string_parts(expr)?;
            let Some(StringPart::Literal(text)) = parts.first() else {
                return None;
            };
            SHARED_FOLDERS.iter().copied().find(|folder| {
                text.strip_prefix(folder)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
        }
    }
}

/// A `pathlib` path: `Path(...)`, `base / name`, `.resolve()` and friends of one.
pub fn is_path_object<'a>(checker: &Checker<'a>, expr: &'a Expr, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    let semantic = checker.semantic();
    match expr {
        Expr::Call(call) => {
            if let Some(function) = semantic.resolve_qualified_name(&call.func) {
                return matches!(
                    function.segments(),
                    ["pathlib", "Path" | "PurePath" | "PosixPath" | "WindowsPath"]
                );
            }
            matches!(&*call.func, Expr::Attribute(method)
                if matches!(method.attr.id.as_str(), "resolve" | "absolute" | "joinpath" | "with_name" | "with_suffix" | "expanduser")
                    && is_path_object(checker, &method.value, depth + 1))
        }
        Expr::BinOp(binop) => {
            binop.op == ast::Operator::Div && is_path_object(checker, &binop.left, depth + 1)
        }
        Expr::Name(name) => semantic
            .assigned_value(name)
            .is_some_and(|value| is_path_object(checker, value, depth + 1)),
        _ => false,
    }
}
