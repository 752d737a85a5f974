use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, QualifiedName};

use super::file_paths::{is_path_object, shared_folder};
use super::temporary_file_fix::mkstemp_fix;

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
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &INSECURE_TEMPORARY_FILE,
    checks: &[Check::Callee(check_call), Check::Call(check_method)],
    needs: &[],
};

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
