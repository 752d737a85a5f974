use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::MAX_NESTING;
use crate::semantic::{argument, QualifiedName};

use super::file_paths::{is_path_object, shared_folder};

declare_rule! {
    /// ## What it does
    /// Flags `tempfile.mktemp`, and files opened, created or written under a fixed path in a
    /// folder every local user can write to: `/tmp`, `/var/tmp`, `/dev/shm`.
    ///
    /// Only uses count: `open("/tmp/report.csv", "w")`, `os.makedirs("/tmp/cache")`,
    /// `Path("/tmp/out") / name` written to, `shutil.copy(src, "/var/tmp/x")`, also through
    /// a name bound to the path and `os.path.join("/tmp", name)`. A string that only
    /// mentions `/tmp` (a message, a command's argument, a constant never opened) is not
    /// flagged, nor is a path under `tempfile.gettempdir()` or a file made by `mkstemp`,
    /// `NamedTemporaryFile` or `TemporaryDirectory`. Reading such a file is rated low.
    ///
    /// ## Why is this bad?
    /// A name in a shared folder can be taken by anyone first. Another user creates the
    /// file, or a symlink with that name to a file you can write (`~/.bashrc`, a config
    /// file), between your check and your use, or before your program even starts; your
    /// program then writes where they chose, or reads what they planted. `mktemp` only
    /// returns a name that was free a moment ago: it has the same race built in.
    ///
    /// ## Example
    /// ```python
    /// import tempfile
    ///
    /// path = tempfile.mktemp(suffix=".csv")
    /// with open("/tmp/report.csv", "w") as out:
    ///     out.write("done")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import tempfile
    ///
    /// with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as out:
    ///     out.write("done")
    /// ```
    ///
    /// ## Fix safety
    /// `path = tempfile.mktemp(...)` becomes `fd, path = tempfile.mkstemp(...)` and
    /// `os.close(fd)`: the file now exists, created for you alone, before you open it by
    /// name. Unsafe, and offered only when the name is not then given to something that
    /// must create it itself (`os.mkdir`, `os.mkfifo`, a socket's `bind`).
    ///
    /// ## References
    /// CWE-377, CWE-379 · OWASP A01
    pub INSECURE_TEMPORARY_FILE = RuleMeta {
        id: "PV717",
        name: "insecure-temporary-file",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[377, 379],
        owasp: Owasp::A01,
        guideline: "path-traversal",
        sources: &[
            Source::Bandit("B108"),
            Source::Bandit("B306"),
            Source::Ruff("S108"),
            Source::Ruff("S306"),
        ],
        fix: FixAvailability::Sometimes,
    }
}

pub static RULE: Rule = Rule {
    meta: &INSECURE_TEMPORARY_FILE,
    checks: &[Check::Callee(check_call), Check::Call(check_method)],
    needs: &[],
};

/// Calls that make the name `mktemp` returned: they fail on a file that already exists.
const CREATORS: &[&str] = &["mkdir", "makedirs", "mkfifo", "mknod", "symlink", "bind"];

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    let (path, writes) = match function.segments() {
        ["tempfile", "mktemp"] => return report_mktemp(checker, call),
        ["builtins" | "io", "open"] => (
            argument(call, 0, "file"),
            opens_for_writing(checker, call, 1),
        ),
        ["codecs", "open"] => (
            argument(call, 0, "filename"),
            opens_for_writing(checker, call, 1),
        ),
        ["os", "open"] | ["os", "mkdir" | "makedirs" | "mkfifo"] => {
            (argument(call, 0, "path"), true)
        }
        ["shutil", "copy" | "copy2" | "copyfile" | "copytree" | "move"] => {
            (argument(call, 1, "dst"), true)
        }
        ["logging", "FileHandler"] => (argument(call, 0, "filename"), true),
        _ => return,
    };
    if let Some(path) = path {
        report_shared(checker, call, path, writes);
    }
}

/// `Path("/tmp/x").write_text(...)`, `(Path("/tmp") / name).open("w")`.
fn check_method<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let Expr::Attribute(method) = &*call.func else {
        return;
    };
    let writes = match method.attr.id.as_str() {
        "write_text" | "write_bytes" | "touch" | "mkdir" | "symlink_to" => true,
        "read_text" | "read_bytes" => false,
        "open" => opens_for_writing(checker, call, 0),
        _ => return,
    };
    if is_path_object(checker, &method.value, 0) {
        report_shared(checker, call, &method.value, writes);
    }
}

fn report_shared<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, path: &'a Expr, writes: bool) {
    let Some(folder) = shared_folder(checker, path, 0) else {
        return;
    };
    let name = checker.text(&*call.func);
    let finding = if writes {
        let message = format!(
            "`{name}` writes to a fixed path in `{folder}`, which every local user can write to: one of them can create the file or a symlink there first and choose what you overwrite"
        );
        Finding::new(&INSECURE_TEMPORARY_FILE, call.range(), message)
    } else {
        let message = format!(
            "`{name}` reads a fixed path in `{folder}`, which every local user can write to: one of them can put their own file there first"
        );
        Finding::new(&INSECURE_TEMPORARY_FILE, call.range(), message).with_severity(Severity::Low)
    };
    checker.report(finding);
}

/// The mode of an `open` call (at `position`) creates, truncates or appends (`"w"`, `"a"`,
/// `"x"`, `"+"`); a mode that is not a constant counts as writing.
fn opens_for_writing<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, position: usize) -> bool {
    argument(call, position, "mode").is_some_and(|mode| {
        checker
            .semantic()
            .constant_string(mode)
            .is_none_or(|mode| mode.contains(['w', 'a', 'x', '+']))
    })
}

fn report_mktemp<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let name = checker.text(&*call.func);
    let message = format!(
        "`{name}` returns a name, not a file: another process can create the file or a symlink under that name before you open it"
    );
    let fix = mkstemp_fix(checker, call);
    checker.report(Finding::new(&INSECURE_TEMPORARY_FILE, call.range(), message).with_fix(fix));
}

/// `path = tempfile.mktemp(...)` alone on its lines, the name not given to a call that
/// must create the file itself: `fd, path = tempfile.mkstemp(...)` and `os.close(fd)`.
fn mkstemp_fix<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<Fix> {
    let statement = checker.ancestors().enclosing_statement()?;
    let Stmt::Assign(assign) = statement.stmt else {
        return None;
    };
    let [Expr::Name(target)] = &assign.targets[..] else {
        return None;
    };
    if assign.value.range() != call.range() {
        return None;
    }
    let source = checker.source();
    let start = assign.range().start().to_usize();
    let line_start = source[..start].rfind(['\n', '\r']).map_or(0, |at| at + 1);
    let indent = &source[line_start..start];
    let end = assign.range().end().to_usize();
    let rest_of_line = source[end..].split(['\n', '\r']).next().unwrap_or("");
    if !indent.chars().all(|c| c == ' ' || c == '\t')
        || !rest_of_line.trim_start().is_empty() && !rest_of_line.trim_start().starts_with('#')
    {
        return None;
    }
    let variable = target.id.as_str();
    let body = match checker.ancestors().enclosing_function() {
        Some(function) => &function.body[..],
        None => checker.semantic().body(),
    };
    if creates_the_file(body, variable) {
        return None;
    }
    let fd = ["fd", "temp_fd", "mkstemp_fd"].into_iter().find(|name| {
        checker
            .semantic()
            .lookup(
                name,
                checker.semantic().current_scope(),
                assign.range().end(),
            )
            .is_none()
    })?;
    let (tempfile, tempfile_import) = checker.import_module("tempfile", call.range().start());
    let (os, os_import) = checker.import_module("os", call.range().start());
    let arguments = checker.text(&call.arguments);
    let mut edits = vec![Edit::replace(
        assign.range(),
        format!("{fd}, {variable} = {tempfile}.mkstemp{arguments}\n{indent}{os}.close({fd})"),
    )];
    edits.extend(tempfile_import);
    edits.extend(os_import);
    Some(Fix::unsafe_edits(
        "Create the file with `tempfile.mkstemp` instead of only naming it",
        edits,
    ))
}

/// Whether `variable` is passed to `os.mkdir`, `os.mkfifo`, `sock.bind` and the like in
/// `body`: those need the name free and would fail on the file `mkstemp` creates.
fn creates_the_file(body: &[Stmt], variable: &str) -> bool {
    use crate::parse::ast::visitor::{self, Visitor};
    struct Finder<'v> {
        variable: &'v str,
        found: bool,
        depth: usize,
    }
    impl<'n> Visitor<'n> for Finder<'_> {
        fn visit_stmt(&mut self, stmt: &'n Stmt) {
            if self.depth >= MAX_NESTING || self.found {
                return;
            }
            self.depth += 1;
            visitor::walk_stmt(self, stmt);
            self.depth -= 1;
        }

        fn visit_expr(&mut self, expr: &'n Expr) {
            if self.depth >= MAX_NESTING || self.found {
                return;
            }
            if let Expr::Call(call) = expr {
                let callee = match &*call.func {
                    Expr::Attribute(attribute) => Some(attribute.attr.id.as_str()),
                    Expr::Name(name) => Some(name.id.as_str()),
                    _ => None,
                };
                let passes_it = call.arguments.args.iter().any(
                    |argument| matches!(argument, Expr::Name(name) if name.id.as_str() == self.variable),
                );
                if passes_it && callee.is_some_and(|callee| CREATORS.contains(&callee)) {
                    self.found = true;
                }
            }
            self.depth += 1;
            visitor::walk_expr(self, expr);
            self.depth -= 1;
        }
    }
    let mut finder = Finder {
        variable,
        found: false,
        depth: 0,
    };
    finder.visit_body(body);
    finder.found
}
