use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};

use super::command_fix::{argument_words, list_literal};
use super::shell_command::shell_exposure;

declare_rule! {
    /// ## What it does
    /// Flags `asyncio.create_subprocess_shell` and an event loop's `subprocess_shell` called
    /// with a command built from run-time values.
    ///
    /// A constant command is not flagged, nor a value passed through `shlex.quote` outside
    /// quotes, nor a number.
    ///
    /// ## Why is this bad?
    /// Both run their command through `/bin/sh`: a value such as `x; rm -rf ~` or `$(id)`
    /// inserted into it runs as commands. `create_subprocess_exec` and `subprocess_exec`
    /// start one program and pass each value as one argument.
    ///
    /// ## Example
    /// ```python
    /// import asyncio
    ///
    /// async def ping(host):
    ///     return await asyncio.create_subprocess_shell(f"ping -c 1 {host}")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import asyncio
    ///
    /// async def ping(host):
    ///     return await asyncio.create_subprocess_exec("ping", "-c", "1", host)
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe. The command is split into words the way a POSIX shell would and passed as
    /// separate arguments to the `exec` variant; a value that held several words is now one
    /// argument. No fix when the command needs a shell (pipes, redirects, globs, `$VAR`,
    /// builtins such as `cd`) or names its program with a value; a command held in a variable
    /// gets a suggestion only.
    ///
    /// ## References
    /// CWE-78 · OWASP A03
    pub ASYNCIO_SHELL_INJECTION = RuleMeta {
        id: "PV212",
        name: "asyncio-shell-injection",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[78],
        owasp: Owasp::A03,
        guideline: "command-injection",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &ASYNCIO_SHELL_INJECTION,
    checks: &[Check::Call(check_call)],
    needs: &["asyncio"],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let semantic = checker.semantic();
    let Some(function) = semantic.resolve_value_origin(&call.func) else {
        return;
    };
    // The command's position: after the protocol factory for a loop's method.
    let (name, position) = match function.segments() {
        ["asyncio", "create_subprocess_shell"]
        | ["asyncio", "subprocess", "create_subprocess_shell"] => {
            ("asyncio.create_subprocess_shell", 0)
        }
        ["asyncio", "get_event_loop" | "get_running_loop" | "new_event_loop", "()", "subprocess_shell"] => {
            ("loop.subprocess_shell", 1)
        }
        _ => return,
    };
    let Some(command) = crate::semantic::argument(call, position, "cmd") else {
        return;
    };
    let Some(exposure) = shell_exposure(checker, command, true) else {
        return;
    };
    let message = format!(
        "`{name}` runs {} in a shell, so {}",
        exposure.describe(checker, "command"),
        exposure.consequence()
    );
    checker.report(
        Finding::new(&ASYNCIO_SHELL_INJECTION, call.range(), message)
            .with_confidence(exposure.confidence())
            .with_trace(exposure.trace(checker, "command"))
            .with_fix(exec_fix(checker, call, position, command)),
    );
}

/// `create_subprocess_shell(cmd)` → `create_subprocess_exec(word, word, ...)`; the same for
/// a loop's `subprocess_shell(factory, cmd)` → `subprocess_exec(factory, word, ...)`.
fn exec_fix<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    position: usize,
    command: &'a Expr,
) -> Option<Fix> {
    let positional = &call.arguments.args;
    let passed_here = positional.len() == position + 1
        && std::ptr::eq(&positional[position], command)
        && !positional.iter().any(Expr::is_starred_expr)
        && call.arguments.keywords.iter().all(|k| k.arg.is_some());
    if !passed_here {
        return None;
    }
    let rewrite = argument_words(checker, command)?;
    let mut edits = Vec::new();
    if position == 0 {
        let (asyncio, import) = checker.import_module("asyncio", call.start());
        edits.push(Edit::replace(
            call.func.range(),
            format!("{asyncio}.create_subprocess_exec"),
        ));
        edits.extend(import);
    } else {
        let Expr::Attribute(method) = &*call.func else {
            return None;
        };
        edits.push(Edit::replace(method.attr.range(), "subprocess_exec"));
    }
    let title = "Start the program with the `exec` variant and separate arguments";
    match rewrite.variable {
        None => {
            edits.push(Edit::replace(command.range(), rewrite.words.join(", ")));
            Some(Fix::unsafe_edits(title, edits))
        }
        Some(value) => {
            edits.push(Edit::replace(value, list_literal(&rewrite.words)));
            edits.push(Edit::replace(
                command.range(),
                format!("*{}", checker.text(command)),
            ));
            Some(Fix::display_only(title, edits))
        }
    }
}
