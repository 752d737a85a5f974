use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity, TraceStep};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::argument;

use super::guards::{is_guarded, Guard};
use super::request_reads::is_uploaded_file;
use super::sanitizers;

declare_rule! {
    /// ## What it does
    /// Flags file operations on a path built from request data.
    ///
    /// Covered: `open()`, `os.remove`, `os.rename`, `shutil` copies, moves and `rmtree`,
    /// Flask's `send_file`, Starlette's `FileResponse`, `pathlib.Path` methods (`read_text`,
    /// `write_bytes`, `unlink`, ...), and `file.save(path)` on an upload.
    ///
    /// A path reduced to its last component (`os.path.basename`, `secure_filename`,
    /// `Path(name).name`), joined with `safe_join`, served with `send_from_directory`, or
    /// resolved and checked with `is_relative_to` / `os.path.commonpath` before use is not
    /// flagged; nor is a constant path.
    ///
    /// ## Why is this bad?
    /// `os.path.join(BASE, name)` and `BASE / name` do not keep the result inside `BASE`:
    /// `../../etc/passwd` climbs out of it and an absolute name replaces it. A client then
    /// reads your source, keys and `.env` files, or overwrites and deletes files the process
    /// can write.
    ///
    /// ## Example
    /// ```python
    /// import os
    /// from flask import request
    ///
    /// def report():
    ///     with open(os.path.join("/srv/reports", request.args["name"])) as handle:
    ///         return handle.read()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from flask import request, send_from_directory
    ///
    /// def report():
    ///     return send_from_directory("/srv/reports", request.args["name"])
    /// ```
    ///
    /// ## References
    /// CWE-22, CWE-23, CWE-36 · OWASP A01
    pub PATH_TRAVERSAL = RuleMeta {
        id: "PV715",
        name: "path-traversal",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[22, 23, 36],
        owasp: Owasp::A01,
        guideline: "path-traversal",
        sources: &[],
        fix: FixAvailability::None,
    }
}

pub static RULE: Rule = Rule {
    meta: &PATH_TRAVERSAL,
    checks: &[Check::Call(check_call)],
    needs: &[],
};

/// `pathlib.Path` methods that read, write or delete the file (names no `str` method has).
const PATH_METHODS: &[&str] = &[
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "unlink",
    "rmdir",
    "touch",
    "symlink_to",
    "hardlink_to",
];

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let semantic = checker.semantic();
    let (paths, verb): (Vec<&'a Expr>, &str) = match semantic.resolve_qualified_name(&call.func) {
        Some(function) => match function.segments() {
            ["builtins" | "io", "open"] => {
                (argument(call, 0, "file").into_iter().collect(), "opens")
            }
            ["codecs", "open"] => (argument(call, 0, "filename").into_iter().collect(), "opens"),
            ["os", "open"] => (argument(call, 0, "path").into_iter().collect(), "opens"),
            ["os", "remove" | "unlink" | "rmdir" | "removedirs"] | ["shutil", "rmtree"] => {
                (argument(call, 0, "path").into_iter().collect(), "deletes")
            }
            ["os", "chmod" | "chown"] => {
                (argument(call, 0, "path").into_iter().collect(), "changes")
            }
            ["os", "rename" | "renames" | "replace"] | ["shutil", "move"] => (
                two(argument(call, 0, "src"), argument(call, 1, "dst")),
                "moves",
            ),
            ["shutil", "copy" | "copy2" | "copyfile" | "copytree"] => (
                two(argument(call, 0, "src"), argument(call, 1, "dst")),
                "copies",
            ),
            ["flask" | "quart", "send_file"] => (
                argument(call, 0, "path_or_file").into_iter().collect(),
                "serves",
            ),
            ["flask" | "quart", "send_from_directory"] => (
                argument(call, 0, "directory").into_iter().collect(),
                "serves from",
            ),
            ["starlette" | "fastapi", "responses", "FileResponse"] => {
                (argument(call, 0, "path").into_iter().collect(), "serves")
            }
            _ => return,
        },
        None => match method_sink(checker, call) {
            Some(found) => found,
            None => return,
        },
    };
    for path in paths {
        if path.is_string_literal_expr() {
            continue;
        }
        let Some(mut trace) = semantic.request_taint_with(path, sanitizers::path) else {
            continue;
        };
        if is_guarded(checker, path, Guard::ContainedPath) {
            continue;
        }
        let name = checker.text(&*call.func);
        let message = format!(
            "`{name}` {verb} a path built from request data; `../` or an absolute path in it reaches files outside the directory you meant"
        );
        trace.push(TraceStep {
            message: format!("`{name}` uses it as a file path"),
            range: path.range(),
        });
        checker.report(Finding::new(&PATH_TRAVERSAL, call.range(), message).with_trace(trace));
        return;
    }
}

fn two<'a>(first: Option<&'a Expr>, second: Option<&'a Expr>) -> Vec<&'a Expr> {
    first.into_iter().chain(second).collect()
}

/// `path.read_text()` on a tainted path, `upload.save(path)` on a request file.
fn method_sink<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
) -> Option<(Vec<&'a Expr>, &'static str)> {
    let Expr::Attribute(method) = &*call.func else {
        return None;
    };
    let method_name = method.attr.id.as_str();
    if PATH_METHODS.contains(&method_name) {
        return Some((vec![&*method.value], "works on"));
    }
    if method_name == "open" && is_path_object(checker, &method.value, 0) {
        return Some((vec![&*method.value], "opens"));
    }
    if method_name == "save" && is_uploaded_file(checker, &method.value, 0) {
        return Some((
            argument(call, 0, "dst").into_iter().collect(),
            "saves the upload to",
        ));
    }
    None
}

/// A `pathlib` path: `Path(...)`, `base / name`, `.resolve()` and friends of one.
fn is_path_object<'a>(checker: &Checker<'a>, expr: &'a Expr, depth: usize) -> bool {
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
