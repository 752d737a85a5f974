use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, CmpOp, Expr, Stmt, UnaryOp};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::ancestors::Node;
use crate::semantic::{argument, keyword, QualifiedName};

use super::command_fix::{argument_words, list_literal};
use super::shell_command::shell_exposure;

declare_rule! {
    /// ## What it does
    /// Flags `os.system`, `os.popen`, `subprocess.getoutput` / `getstatusoutput` (and the
    /// Python 2 `commands` / `popen2` functions) called with a command built from run-time
    /// values. These functions always run their command through a shell.
    ///
    /// A constant command is not flagged, nor a value passed through `shlex.quote` outside
    /// quotes, nor a number.
    ///
    /// ## Why is this bad?
    /// The shell reads the whole string as a script: a value such as `a.txt; rm -rf ~` or
    /// `$(id)` runs as commands with the program's rights. `subprocess.run` with an argument
    /// list starts one program and passes each value as one argument.
    ///
    /// ## Example
    /// ```python
    /// import os
    ///
    /// def archive(folder):
    ///     os.system(f"tar czf backup.tgz {folder}")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import subprocess
    ///
    /// def archive(folder):
    ///     subprocess.run(["tar", "czf", "backup.tgz", folder], check=True)
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe. The command is split into words the way a POSIX shell would, and a value that
    /// held several words is now one argument. `os.system(cmd)` used as a statement becomes
    /// `subprocess.run([...], check=True)`, which raises `CalledProcessError` where `os.system`
    /// ignored a failure. Where its result is only tested (`if os.system(...)`, `== 0`, `!= 0`)
    /// the fix uses `.returncode`, which is zero exactly when the status was; any other use of
    /// the status (it is the wait status, the exit code times 256 on POSIX) gets a suggestion
    /// only. `os.popen(cmd).read()` becomes `subprocess.run([...], stdout=subprocess.PIPE,
    /// text=True).stdout`. No fix when the command needs a shell (pipes, redirects, globs,
    /// `$VAR`, builtins such as `cd`) or names its program with a value (`$PAGER`); a command
    /// held in a variable gets a suggestion only.
    ///
    /// ## References
    /// CWE-78 · OWASP A03
    pub OS_SYSTEM_INJECTION = RuleMeta {
        id: "PV211",
        name: "os-system-injection",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[78],
        owasp: Owasp::A03,
        guideline: "command-injection",
        sources: &[Source::Bandit("B605"), Source::Ruff("S605")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &OS_SYSTEM_INJECTION,
    checks: &[Check::Callee(check_call)],
    needs: &["os", "subprocess", "commands", "popen2"],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    if !matches!(
        function.segments(),
        ["os", "system" | "popen" | "popen2" | "popen3" | "popen4"]
            | ["subprocess" | "commands", "getoutput" | "getstatusoutput"]
            | [
                "popen2",
                "popen2" | "popen3" | "popen4" | "Popen3" | "Popen4"
            ]
    ) {
        return;
    }
    let Some(command) = argument(call, 0, "cmd").or_else(|| argument(call, 0, "command")) else {
        return;
    };
    let Some(exposure) = shell_exposure(checker, command, true) else {
        return;
    };
    let message = format!(
        "`{function}` runs {} in a shell, so {}",
        exposure.describe(checker, "command"),
        exposure.consequence()
    );
    let fix = match function.segments() {
        ["os", "system"] => system_fix(checker, call, command),
        ["os", "popen"] => popen_read_fix(checker, call, command),
        _ => None,
    };
    checker.report(
        Finding::new(&OS_SYSTEM_INJECTION, call.range(), message)
            .with_confidence(exposure.confidence())
            .with_trace(exposure.trace(checker, "command"))
            .with_fix(fix),
    );
}

/// How the status `os.system` returns is used.
enum StatusUse {
    Ignored,
    /// Only tested for zero: `if os.system(...)`, `not ...`, `== 0`, `!= 0`.
    Tested,
    Other,
}

/// How the status of the call being checked is used.
fn status_use(checker: &Checker, call: &ast::ExprCall) -> StatusUse {
    let is_call = |expr: &Expr| matches!(expr, Expr::Call(other) if std::ptr::eq(other, call));
    let Some(parent) = checker.ancestors().parent() else {
        return StatusUse::Other;
    };
    match parent {
        Node::Stmt(statement) => match statement.stmt {
            Stmt::Expr(_) => StatusUse::Ignored,
            Stmt::If(ast::StmtIf { test, .. }) | Stmt::While(ast::StmtWhile { test, .. })
                if is_call(test) =>
            {
                StatusUse::Tested
            }
            _ => StatusUse::Other,
        },
        Node::Expr(Expr::If(ast::ExprIf { test, .. })) if is_call(test) => StatusUse::Tested,
        Node::Expr(Expr::UnaryOp(unary)) if unary.op == UnaryOp::Not => StatusUse::Tested,
        Node::Expr(Expr::Compare(compare))
            if matches!(*compare.ops, [CmpOp::Eq | CmpOp::NotEq])
                && [&*compare.left, &compare.comparators[0]]
                    .iter()
                    .any(|side| is_zero(side)) =>
        {
            StatusUse::Tested
        }
        _ => StatusUse::Other,
    }
}

fn is_zero(expr: &Expr) -> bool {
    matches!(expr, Expr::NumberLiteral(ast::ExprNumberLiteral { value: ast::Number::Int(int), .. })
        if int.as_i64() == Some(0))
}

/// `os.system(cmd)` → `subprocess.run([...], check=True)` (or `.returncode` when tested).
fn system_fix<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    command: &'a Expr,
) -> Option<Fix> {
    if call.arguments.len() != 1 {
        return None;
    }
    let rewrite = argument_words(checker, command)?;
    let (subprocess, import) = checker.import_module("subprocess", call.start());
    let arguments = match &rewrite.variable {
        Some(_) => checker.text(command).to_string(),
        None => list_literal(&rewrite.words),
    };
    let status = status_use(checker, call);
    let replacement = match status {
        StatusUse::Ignored => format!("{subprocess}.run({arguments}, check=True)"),
        StatusUse::Tested | StatusUse::Other => format!("{subprocess}.run({arguments}).returncode"),
    };
    let mut edits = vec![Edit::replace(call.range(), replacement)];
    edits.extend(import);
    let title = "Run the command with `subprocess.run` and an argument list";
    match (rewrite.variable, status) {
        (None, StatusUse::Ignored | StatusUse::Tested) => Some(Fix::unsafe_edits(title, edits)),
        (None, StatusUse::Other) => Some(Fix::display_only(title, edits)),
        (Some(value), _) => {
            edits.push(Edit::replace(value, list_literal(&rewrite.words)));
            Some(Fix::display_only(title, edits))
        }
    }
}

/// `os.popen(cmd).read()` → `subprocess.run([...], stdout=subprocess.PIPE, text=True).stdout`.
fn popen_read_fix<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    command: &'a Expr,
) -> Option<Fix> {
    if call.arguments.len() != 1 || keyword(call, "cmd").is_some() {
        return None;
    }
    let mut outer = checker.ancestors().iter();
    let (Some(Node::Expr(Expr::Attribute(method))), Some(Node::Expr(Expr::Call(read)))) =
        (outer.next(), outer.next())
    else {
        return None;
    };
    let reads_all = method.attr.id.as_str() == "read"
        && read.arguments.is_empty()
        && matches!(&*read.func, Expr::Attribute(attribute) if std::ptr::eq(attribute, method));
    if !reads_all {
        return None;
    }
    let rewrite = argument_words(checker, command)?;
    if rewrite.variable.is_some() {
        return None;
    }
    let (subprocess, import) = checker.import_module("subprocess", call.start());
    let mut edits = vec![Edit::replace(
        read.range(),
        format!(
            "{subprocess}.run({}, stdout={subprocess}.PIPE, text=True).stdout",
            list_literal(&rewrite.words)
        ),
    )];
    edits.extend(import);
    Some(Fix::unsafe_edits(
        "Capture the output with `subprocess.run` and an argument list",
        edits,
    ))
}
