use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr, Operator};
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
    /// The fix narrows a mode written as a number: a world-writable one loses the write
    /// bits of group and others (`0o777` → `0o755`, `0o666` → `0o644`, as the usual umask
    /// would leave it; a file other users read, like a web page, stays readable), and a key
    /// or credentials file keeps only the owner's bits (`0o644` → `0o600`). In a
    /// `stat.S_*` or-expression, `stat.S_IWOTH` is removed and `stat.S_IRWXO` becomes
    /// `stat.S_IROTH | stat.S_IXOTH`. The number keeps its base (octal stays octal). It is
    /// unsafe: whoever wrote to the file or folder through group or other permissions (a
    /// shared upload folder, a second service account) can no longer, and a key file is no
    /// longer readable by the group. A mode held in a name is not rewritten, since other
    /// code may use it.
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
    let world_writable = bits & OTHERS_WRITE != 0;
    let (message, severity) = if world_writable {
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
    } else if bits & GROUP_OR_OTHERS != 0 && path.is_some_and(|path| is_secret_file(checker, path))
    {
        (
            format!("`{name}` gives mode `{shown}` to a file that looks like a key or credentials: group or other users can read it"),
            Severity::Medium,
        )
    } else {
        return;
    };
    // A key file that was world-writable must also lose group and other reading, or the
    // fixed mode is flagged again.
    let owner_only = !world_writable || path.is_some_and(|path| is_secret_file(checker, path));
    let fix = narrower_mode(checker, mode, bits, owner_only);
    checker.report(
        Finding::new(&PERMISSIVE_FILE_PERMISSIONS, call.range(), message)
            .with_severity(severity)
            .with_fix(fix),
    );
}

/// The write bits of group and others.
const GROUP_OR_OTHERS_WRITE: i128 = 0o022;
/// Read, write and run by the owner, and the set-id and sticky bits.
const OWNER_ONLY: i128 = 0o7700;

/// The mode written narrower: a number with fewer bits, or a `stat` or-expression without
/// the "others may write" flag.
fn narrower_mode<'a>(
    checker: &Checker<'a>,
    mode: &'a Expr,
    bits: i128,
    owner_only: bool,
) -> Option<Fix> {
    let (content, shown) = match mode {
        Expr::NumberLiteral(_) => {
            let narrowed = if owner_only {
                bits & OWNER_ONLY
            } else {
                bits & !GROUP_OR_OTHERS_WRITE
            };
            let text = number_like(checker.text(mode), narrowed);
            (text.clone(), text)
        }
        Expr::BinOp(_) if !owner_only => {
            let content = without_others_write(checker, mode)?;
            (content, "without write for others".to_string())
        }
        _ => return None,
    };
    let title = if matches!(mode, Expr::NumberLiteral(_)) {
        format!("Use mode `{shown}`")
    } else {
        "Leave out the write permission of other users".to_string()
    };
    Some(Fix::unsafe_edits(
        title,
        vec![Edit::replace(mode.range(), content)],
    ))
}

/// `bits` written in the base `literal` is written in.
fn number_like(literal: &str, bits: i128) -> String {
    match literal.get(..2) {
        Some("0o" | "0O") => format!("0o{bits:o}"),
        Some("0x" | "0X") => format!("{bits:#x}"),
        Some("0b" | "0B") => format!("{bits:#b}"),
        _ => bits.to_string(),
    }
}

/// `stat.S_IRWXU | stat.S_IWOTH` → `stat.S_IRWXU`; `stat.S_IRWXO` → `stat.S_IROTH |
/// stat.S_IXOTH`. `None` when a number or something else in it also lets others write.
fn without_others_write<'a>(checker: &Checker<'a>, mode: &'a Expr) -> Option<String> {
    let mut operands = Vec::new();
    flatten_or(mode, &mut operands)?;
    let semantic = checker.semantic();
    let mut kept = Vec::new();
    for operand in operands {
        let flag =
            semantic
                .resolve_qualified_name(operand)
                .and_then(|name| match name.segments() {
                    ["stat", flag] => Some(*flag),
                    _ => None,
                });
        match (flag, operand) {
            (Some("S_IWOTH"), _) => {}
            (Some("S_IRWXO"), Expr::Attribute(attribute)) => {
                let module = checker.text(&*attribute.value);
                kept.push(format!("{module}.S_IROTH | {module}.S_IXOTH"));
            }
            (Some(flag), _) if !matches!(flag, "S_IRWXO" | "S_IWOTH") => {
                kept.push(checker.text(operand).to_string());
            }
            (None, Expr::NumberLiteral(_)) => {
                let Some(Constant::Int(bits)) =
                    semantic.constant_in(operand, semantic.current_scope())
                else {
                    return None;
                };
                if bits & OTHERS_WRITE != 0 {
                    return None;
                }
                kept.push(checker.text(operand).to_string());
            }
            _ => return None,
        }
    }
    if kept.is_empty() {
        return None;
    }
    Some(kept.join(" | "))
}

/// The operands of `a | b | c`, left to right; `None` for any other operator inside.
fn flatten_or<'a>(expr: &'a Expr, operands: &mut Vec<&'a Expr>) -> Option<()> {
    match expr {
        Expr::BinOp(binop) if binop.op == Operator::BitOr => {
            flatten_or(&binop.left, operands)?;
            flatten_or(&binop.right, operands)
        }
        Expr::BinOp(_) => None,
        other => {
            operands.push(other);
            Some(())
        }
    }
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
