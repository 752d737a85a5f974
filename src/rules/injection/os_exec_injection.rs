use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::{BindingKind, MutationKind, QualifiedName};

use super::shell_command::{is_constant_command, literal_elements, shell_exposure, Exposure};
use super::shell_script::{script_exposure, shell_script};

declare_rule! {
    /// ## What it does
    /// Flags `os.exec*`, `os.spawn*`, `os.posix_spawn*` and `os.startfile` when the program
    /// they start comes from a run-time value, or when they start a shell with a script built
    /// from one (`os.execvp("sh", ["sh", "-c", f"tar xf {name}"])`).
    ///
    /// A constant program with run-time arguments is the safe form and is not flagged, nor is
    /// `sys.executable` or `shutil.which("constant")`, nor a parameter that every call in
    /// the module fills with `sys.executable` (a helper that re-executes the interpreter),
    /// nor `args[0]` of a list that starts with such a program and only grows at its end.
    ///
    /// ## Why is this bad?
    /// These functions do not use a shell, but whoever chooses the program path chooses what
    /// code runs, with the program's rights (`exec` even replaces the running process). And a
    /// shell started with `-c` reads its script as shell code: a value such as `x; rm -rf ~`
    /// inserted into it runs as commands.
    ///
    /// ## Example
    /// ```python
    /// import os
    ///
    /// def extract(name):
    ///     os.execvp("sh", ["sh", "-c", f"tar xf {name}"])
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import os
    ///
    /// def extract(name):
    ///     os.execvp("tar", ["tar", "xf", name])
    /// ```
    ///
    /// ## References
    /// CWE-78 · OWASP A03
    pub OS_EXEC_INJECTION = RuleMeta {
        id: "PV213",
        name: "os-exec-injection",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[78],
        owasp: Owasp::A03,
        guideline: "command-injection",
        sources: &[Source::Bandit("B606"), Source::Ruff("S606")],
        fix: FixAvailability::None,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &OS_EXEC_INJECTION,
    checks: &[Check::Callee(check_call)],
    needs: &["os"],
};

/// Where the program and its argument vector are.
enum Argv {
    /// `execl(path, arg0, arg1, ...)`: the arguments from this position (an `env` last, for `*e`).
    Spread {
        from: usize,
        env_last: bool,
    },
    /// `execv(path, [arg0, ...])`: a list at this position.
    List(usize),
    None,
}

fn layout(function: &str) -> Option<(usize, Argv)> {
    let spread = |from, env_last| Argv::Spread { from, env_last };
    Some(match function {
        "execl" | "execlp" => (0, spread(1, false)),
        "execle" | "execlpe" => (0, spread(1, true)),
        "execv" | "execve" | "execvp" | "execvpe" | "posix_spawn" | "posix_spawnp" => {
            (0, Argv::List(1))
        }
        "spawnl" | "spawnlp" => (1, spread(2, false)),
        "spawnle" | "spawnlpe" => (1, spread(2, true)),
        "spawnv" | "spawnve" | "spawnvp" | "spawnvpe" => (1, Argv::List(2)),
        "startfile" => (0, Argv::None),
        _ => return None,
    })
}

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    let ["os", name] = function.segments() else {
        return;
    };
    let Some((program_at, argv)) = layout(name) else {
        return;
    };
    let positional = &call.arguments.args;
    let program = match *name {
        "startfile" => crate::semantic::argument(call, 0, "filepath"),
        _ => positional[..program_at.min(positional.len())]
            .iter()
            .all(|argument| !argument.is_starred_expr())
            .then(|| positional.get(program_at))
            .flatten()
            .filter(|program| !program.is_starred_expr()),
    };
    let Some(program) = program else {
        return;
    };
    let argv: Option<Vec<&'a Expr>> = match argv {
        Argv::Spread { from, env_last } => {
            let end = positional.len().saturating_sub(usize::from(env_last));
            positional
                .get(from..end)
                .map(|spread| spread.iter().collect())
        }
        Argv::List(at) => positional
            .get(at)
            .and_then(|list| literal_elements(checker, list)),
        Argv::None => None,
    };
    // argv[0] is the program's name for itself; the options and script follow.
    let script = argv
        .as_deref()
        .and_then(|argv| argv.get(1..))
        .and_then(|arguments| shell_script(checker, program, arguments));
    if let Some(script) = script {
        if let Some(exposure) = script_exposure(checker, &script) {
            let message = format!(
                "`os.{name}` starts `{}` with {}, so {}",
                script.invocation,
                exposure.describe(checker, "script"),
                exposure.consequence()
            );
            checker.report(
                Finding::new(&OS_EXEC_INJECTION, call.range(), message)
                    .with_confidence(exposure.confidence())
                    .with_trace(exposure.trace(checker, "script")),
            );
        }
        return;
    }
    if is_trusted_program(checker, program) {
        return;
    }
    let Some(exposure) = shell_exposure(checker, program, false) else {
        return;
    };
    let program = match exposure {
        Exposure::Built(_) => format!(
            "a program whose path is built from {}",
            exposure.names(checker)
        ),
        Exposure::Opaque(_) => format!("the program named by {}", exposure.names(checker)),
    };
    let message = format!(
        "`os.{name}` starts {program}, so whoever controls {} chooses what runs",
        exposure.that_value()
    );
    checker.report(
        Finding::new(&OS_EXEC_INJECTION, call.range(), message)
            .with_confidence(exposure.confidence())
            .with_trace(exposure.trace(checker, "program path")),
    );
}

/// A program path the code fixes: a constant, `sys.executable`, `shutil.which("name")`.
fn is_trusted_program<'a>(checker: &Checker<'a>, program: &'a Expr) -> bool {
    let semantic = checker.semantic();
    if is_constant_command(checker, program) {
        return true;
    }
    if semantic
        .resolve_qualified_name(program)
        .is_some_and(|name| name.segments() == ["sys", "executable"])
    {
        return true;
    }
    if let Expr::Name(name) = program {
        if is_interpreter_path(checker, name, 0) {
            return true;
        }
    }
    if is_trusted_first_item(checker, program) {
        return true;
    }
    let call = match program {
        Expr::Call(call) => call,
        Expr::Name(name) => match semantic.assigned_value(name) {
            Some(Expr::Call(call)) => call,
            _ => return false,
        },
        _ => return false,
    };
    semantic
        .resolve_qualified_name(&call.func)
        .is_some_and(|name| name.segments() == ["shutil", "which"])
        && call
            .arguments
            .args
            .first()
            .is_some_and(|name| semantic.is_constant_string(name))
}

/// `args[0]` of a list that starts with a trusted program and only grows at its end:
/// `args = [sys.executable]`, then `args += [...]` / `args.append(...)`, then
/// `os.execv(args[0], args)` (ansible-test's interpreter injector).
fn is_trusted_first_item<'a>(checker: &Checker<'a>, program: &'a Expr) -> bool {
    let Expr::Subscript(subscript) = program else {
        return false;
    };
    let (Expr::Name(list), Expr::NumberLiteral(_)) = (&*subscript.value, &*subscript.slice) else {
        return false;
    };
    if checker.text(&*subscript.slice) != "0" {
        return false;
    }
    let semantic = checker.semantic();
    let Some((_, bindings)) =
        semantic.lookup_among(list.id.as_str(), semantic.current_scope(), list.start())
    else {
        return false;
    };
    let mut started = false;
    let only_grows = bindings.iter().all(|binding| match binding.kind {
        BindingKind::Assignment(Expr::List(display)) => {
            started = true;
            display
                .elts
                .first()
                .is_some_and(|first| is_trusted_program(checker, first))
        }
        BindingKind::AugAssign(_) => true,
        _ => false,
    });
    let appended_only = semantic.changes_before(list).is_some_and(|changes| {
        changes
            .iter()
            .all(|change| matches!(change, MutationKind::Append(_) | MutationKind::Extend(_)))
    });
    started && only_grows && appended_only
}

/// A name that only ever holds `sys.executable`: a parameter every call in the module fills
/// with it (celery's `detach(sys.executable, argv)` re-executing the worker), or a local
/// assigned from such names; a parameter no call passes, left at `None`, holds no program.
fn is_interpreter_path<'a>(checker: &Checker<'a>, name: &'a ast::ExprName, depth: usize) -> bool {
    let semantic = checker.semantic();
    if depth > 3 {
        return false;
    }
    let is_executable = |value: &'a Expr| match value {
        Expr::Name(inner) => is_interpreter_path(checker, inner, depth + 1),
        other => semantic
            .resolve_qualified_name(other)
            .is_some_and(|qualified| qualified.segments() == ["sys", "executable"]),
    };
    let scope = semantic.current_scope();
    let Some((_, bindings)) = semantic.lookup_among(name.id.as_str(), scope, name.start()) else {
        return false;
    };
    !bindings.is_empty()
        && bindings.iter().all(|binding| match binding.kind {
            BindingKind::Assignment(value) => is_executable(value),
            BindingKind::Parameter { function, default } => semantic
                .arguments_passed_to(function, name.id.as_str())
                .is_some_and(|passed| {
                    passed.iter().all(|argument| match argument {
                        Some(argument) => is_executable(argument),
                        None => default.is_some_and(Expr::is_none_literal_expr),
                    })
                }),
            _ => false,
        })
}
