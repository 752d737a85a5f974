use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity, TraceStep};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::argument;

use super::file_paths::is_path_object;
use super::path_guard_fix::contained_path_fix;
use super::request_reads::is_uploaded_file;
use super::sanitizers;

declare_rule! {
    /// ## What it does
    /// Flags file operations on a path built from request data.
    ///
    /// Covered: `open()`, `io.open`, `codecs.open`, `os.remove`, `os.rename`, `shutil`
    /// copies, moves and `rmtree`, Flask's `send_file`, Starlette's `FileResponse`,
    /// `pathlib.Path` methods (`read_text`, `write_bytes`, `unlink`, `open`, ...), and
    /// `file.save(path)` on an upload. Tests that only look at a file (`os.path.exists`,
    /// `isfile`, `getsize`, `Path.exists()`, `is_file()`, `stat()`) are reported with low
    /// severity: they tell a client which files exist, and read or change nothing.
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
    /// ## Fix safety
    /// Unsafe. When the path is built from a fixed base and request data
    /// (`os.path.join(BASE, name)`, `BASE + name`, `f"/srv/files/{name}"`, `ROOT / name`,
    /// `Path(BASE, name)`, or a name assigned one of those), the fix adds, before the
    /// statement, `target = os.path.realpath(...)` of the path (wrapped in `Path(...)` for a
    /// `pathlib` path) and a check that `os.path.commonpath` of the resolved base and
    /// `target` is the resolved base, then uses `target`. `commonpath` works on every
    /// Python 3, where `Path.is_relative_to` needs 3.9. A path that leaves the base fails
    /// the request the way the module already can (Flask's `abort(404)`, Django's `Http404`,
    /// FastAPI's `HTTPException`), else with `ValueError`. Requests that climbed out on
    /// purpose now fail, and symbolic links are followed before the check, so a link inside
    /// the base that points outside it is refused too. No fix when the base is not visible,
    /// means something else by the time of the call, or is computed by a call other than
    /// `Path(...)`; when the path spans lines; or when it is computed inside a lambda, a
    /// comprehension or a condition.
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
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
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

/// `pathlib.Path` methods that only look at the file: what they disclose is whether it
/// exists, its type and its size.
const PROBE_METHODS: &[&str] = &["exists", "is_file", "is_dir", "is_symlink", "stat"];

/// What the call does with the path, in the message: most verbs read, write or delete the
/// file; [`PROBES`] only tests it.
const PROBES: &str = "tests";

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
            ["os" | "posixpath" | "ntpath", "path", "exists" | "lexists" | "isfile" | "isdir" | "islink" | "getsize" | "getmtime"
            | "getatime" | "getctime"] => (argument(call, 0, "path").into_iter().collect(), PROBES),
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
        let name = checker.text(&*call.func);
        trace.push(TraceStep {
            message: format!("`{name}` uses it as a file path"),
            range: path.range(),
            elsewhere: None,
        });
        let finding = if verb == PROBES {
            let message = format!(
                "`{name}` tests a path built from request data; with `../` or an absolute path in it, a client learns which files exist outside the directory you meant"
            );
            Finding::new(&PATH_TRAVERSAL, call.range(), message).with_severity(Severity::Low)
        } else {
            let message = format!(
                "`{name}` {verb} a path built from request data; `../` or an absolute path in it reaches files outside the directory you meant"
            );
            Finding::new(&PATH_TRAVERSAL, call.range(), message)
        };
        let fix = contained_path_fix(checker, path);
        checker.report(finding.with_trace(trace).with_fix(fix));
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
    // Not any `.exists()`: a Django queryset has one too.
    if PROBE_METHODS.contains(&method_name) && is_path_object(checker, &method.value, 0) {
        return Some((vec![&*method.value], PROBES));
    }
    if method_name == "save" && is_uploaded_file(checker, &method.value, 0) {
        return Some((
            argument(call, 0, "dst").into_iter().collect(),
            "saves the upload to",
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::{analyze, Options};

    #[test]
    fn tests_of_a_path_are_rated_low_and_filtered_by_min_severity() {
        let source = "import os\nfrom flask import request\nname = request.args['n']\nos.path.exists(name)\nopen(name)\n";
        let severities = |min_severity| {
            analyze(
                source,
                &Options {
                    select: vec!["PV715".to_string()],
                    min_severity,
                    ..Options::default()
                },
            )
            .findings
            .iter()
            .map(|finding| finding.severity())
            .collect::<Vec<_>>()
        };
        assert_eq!(severities(None), [Severity::Low, Severity::High]);
        assert_eq!(severities(Some(Severity::Medium)), [Severity::High]);
    }
}
