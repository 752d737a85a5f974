use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, Constant, QualifiedName, StringPart};

use super::file_paths::is_path_object;

declare_rule! {
    /// ## What it does
    /// Flags file modes that let other users write (any "others may write" bit: `0o777`,
    /// `0o666`, `stat.S_IWOTH`), and modes that let group or others read a file whose path
    /// looks like a secret (`id_rsa`, `*.pem`, `*.key`, `credentials`, `.netrc`).
    ///
    /// Covered: `os.chmod`, `os.lchmod`, `os.fchmod`, `Path.chmod`, and the modes files and
    /// folders are created with: `os.open`, `os.mkdir`, `os.makedirs`, `Path.mkdir`,
    /// `Path.touch`. The mode is worked out from constants: `0o777`,
    /// `stat.S_IRWXU | stat.S_IRWXO`, a name bound to one. A mode given when creating is
    /// filtered by the process's umask (usually `0o022`, which clears the write bits of
    /// group and others), so a world-writable creation mode is rated low; `chmod` applies
    /// the mode as it is and is rated high. A mode that is not a constant is not flagged.
    ///
    /// ## Why is this bad?
    /// A file any local user can write is a file any local user can change: a script
    /// your service runs, a config it trusts, a log it parses. A private key or a
    /// credentials file readable by group or others is a secret shared with every account
    /// on the machine (and `ssh` refuses to use such a key).
    ///
    /// ## Example
    /// ```python
    /// import os
    ///
    /// os.chmod("deploy.sh", 0o777)
    /// os.chmod("keys/server.pem", 0o644)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import os
    ///
    /// os.chmod("deploy.sh", 0o755)
    /// os.chmod("keys/server.pem", 0o600)
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the mode is replaced by an octal literal without the bits the finding is
    /// about: others' write bit (`0o777` → `0o775`), and for a file that looks like a key
    /// or credentials every group and others bit (`0o644` → `0o600`); set-id and sticky bits
    /// stay. Users, groups and services that read or wrote the file through those bits
    /// lose access. A mode written with names (`stat.S_IRWXU | stat.S_IRWXO`, `EVERYONE`)
    /// becomes a number at that call; the names keep their values elsewhere.
    ///
    /// ## References
    /// CWE-732, CWE-276 · OWASP A01
    pub PERMISSIVE_FILE_PERMISSIONS = RuleMeta {
        id: "PV718",
        name: "permissive-file-permissions",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[732, 276],
        owasp: Owasp::A01,
        guideline: "path-traversal",
        sources: &[Source::Bandit("B103"), Source::Ruff("S103")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &PERMISSIVE_FILE_PERMISSIONS,
    checks: &[Check::Callee(check_call), Check::Call(check_method)],
    needs: &[],
};

/// The "others may write" bit.
const OTHERS_WRITE: i128 = 0o002;
/// Read, write or run by group or others.
const GROUP_OR_OTHERS: i128 = 0o077;

/// Words in a file name that say it holds a secret.
const SECRET_FILE_WORDS: &[&str] = &[
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
    ".pem",
    ".key",
    ".p12",
    ".pfx",
    ".keystore",
    ".jks",
    "credential",
    "secret",
    "private",
    "password",
    "token",
    ".netrc",
    ".pgpass",
    ".htpasswd",
];

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    let (path, mode, applied) = match function.segments() {
        ["os", "chmod" | "lchmod"] => (argument(call, 0, "path"), argument(call, 1, "mode"), true),
        ["os", "fchmod"] => (None, argument(call, 1, "mode"), true),
        ["os", "open"] => (argument(call, 0, "path"), argument(call, 2, "mode"), false),
        ["os", "mkdir" | "makedirs"] => (
            argument(call, 0, "path").or_else(|| argument(call, 0, "name")),
            argument(call, 1, "mode"),
            false,
        ),
        _ => return,
    };
    if let Some(mode) = mode {
        judge(checker, call, path, mode, applied);
    }
}

/// `Path(...).chmod(0o777)`, `.mkdir(mode=...)`, `.touch(mode=...)`.
fn check_method<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let Expr::Attribute(method) = &*call.func else {
        return;
    };
    let applied = match method.attr.id.as_str() {
        "chmod" | "lchmod" => true,
        "mkdir" | "touch" => false,
        _ => return,
    };
    let Some(mode) = argument(call, 0, "mode") else {
        return;
    };
    if is_path_object(checker, &method.value, 0) {
        judge(checker, call, Some(&method.value), mode, applied);
    }
}

fn judge<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    path: Option<&'a Expr>,
    mode: &'a Expr,
    applied: bool,
) {
    let semantic = checker.semantic();
    let Some(Constant::Int(bits)) = semantic.constant_in(mode, semantic.current_scope()) else {
        return;
    };
    let name = checker.text(&*call.func);
    let shown = format!("{bits:#o}");
    let secret = path.is_some_and(|path| is_secret_file(checker, path));
    let (message, severity) = if bits & OTHERS_WRITE != 0 {
        if applied {
            (
                format!(
                    "`{name}` sets mode `{shown}`, which lets every local user change the file"
                ),
                Severity::High,
            )
        } else {
            (
                format!("`{name}` asks for mode `{shown}`, which lets every local user write to it where the umask does not remove that bit"),
                Severity::Low,
            )
        }
    } else if bits & GROUP_OR_OTHERS != 0 && secret {
        (
            format!("`{name}` gives mode `{shown}` to a file that looks like a key or credentials: group or other users can read it"),
            Severity::Medium,
        )
    } else {
        return;
    };
    checker.report(
        Finding::new(&PERMISSIVE_FILE_PERMISSIONS, call.range(), message)
            .with_severity(severity)
            .with_fix(narrower_mode_fix(mode, bits, secret)),
    );
}

/// The mode without the bits the finding is about: others' write bit, and for a key or
/// credentials file every group and others bit. Written as an octal literal, since the
/// constant it came from may be shared by calls that keep their mode.
fn narrower_mode_fix(mode: &Expr, bits: i128, secret: bool) -> Option<Fix> {
    let removed = if secret {
        GROUP_OR_OTHERS
    } else {
        OTHERS_WRITE
    };
    if bits < 0 {
        return None;
    }
    let narrower = bits & !removed;
    Some(Fix::unsafe_edits(
        format!("Use mode `{narrower:#o}`"),
        vec![Edit::replace(mode.range(), format!("{narrower:#o}"))],
    ))
}

/// A path whose written-out text names a key or credentials file.
fn is_secret_file<'a>(checker: &Checker<'a>, path: &'a Expr) -> bool {
    let semantic = checker.semantic();
    let target = match path {
        Expr::Call(call) if is_path_object(checker, path, 0) => match call.arguments.args.first() {
            Some(first) => first,
            None => return false,
        },
        other => other,
    };
    let Some(parts) = semantic.string_parts(target) else {
        return false;
    };
    let text: String = parts
        .iter()
        .filter_map(|part| match part {
            StringPart::Literal(text) => Some(text.to_ascii_lowercase()),
            StringPart::Dynamic(_) => None,
        })
        .collect();
    let file_name = text.rsplit('/').next().unwrap_or(&text);
    SECRET_FILE_WORDS
        .iter()
        .any(|word| file_name.contains(word))
}
