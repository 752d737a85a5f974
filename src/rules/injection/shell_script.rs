//! Shells started by name with a script: `["bash", "-c", script]`, `os.execvp("sh", [...])`,
//! `["cmd", "/c", ...]`, `["powershell", "-Command", ...]`.

use crate::checker::Checker;
use crate::parse::ast::Expr;

use super::shell_command::{shell_exposure, Exposure};

/// A shell started explicitly with a script: `["bash", "-c", script]`, `["cmd", "/c", ...]`.
pub struct ShellScript<'a> {
    /// `bash -c`, for messages.
    pub invocation: String,
    /// The script: one argument for POSIX shells; everything after `/c` for `cmd`.
    pub script: Vec<&'a Expr>,
    pub posix: bool,
    /// Exactly `[shell, "-c", script]`: the list can become the script's own words.
    pub plain: bool,
}

/// Recognises `program` (a constant) followed by `arguments` as a shell running a script.
pub fn shell_script<'a>(
    checker: &Checker<'a>,
    program: &'a Expr,
    arguments: &[&'a Expr],
) -> Option<ShellScript<'a>> {
    let semantic = checker.semantic();
    let program = semantic.constant_string(program)?;
    let base = program.rsplit(['/', '\\']).next().unwrap_or("");
    let base = base.to_ascii_lowercase();
    let base = base.strip_suffix(".exe").unwrap_or(&base);
    let constant = |index: usize| {
        arguments
            .get(index)
            .and_then(|argument| semantic.constant_string(argument))
    };
    match base {
        "sh" | "bash" | "dash" | "zsh" | "ksh" | "mksh" | "ash" => {
            let mut index = 0;
            let mut runs_script = false;
            while let Some(option) = constant(index) {
                match option.as_str() {
                    "-o" | "+o" => index += 1,
                    option if option.starts_with("--") => {}
                    option if option.starts_with('-') => runs_script |= option.contains('c'),
                    _ => break,
                }
                index += 1;
            }
            let script = *arguments.get(index).filter(|_| runs_script)?;
            Some(ShellScript {
                invocation: format!("{base} -c"),
                script: vec![script],
                posix: true,
                plain: index == 1 && constant(0).as_deref() == Some("-c") && arguments.len() == 2,
            })
        }
        "cmd" | "powershell" | "pwsh" => {
            let is_script_flag = |flag: &str| {
                let flag = flag.to_ascii_lowercase();
                if base == "cmd" {
                    flag == "/c" || flag == "/k"
                } else {
                    flag.len() >= 2 && "-command".starts_with(&flag)
                }
            };
            let flag = (0..arguments.len())
                .find(|index| constant(*index).is_some_and(|flag| is_script_flag(&flag)))?;
            let script = arguments.get(flag + 1..).filter(|rest| !rest.is_empty())?;
            let flag = constant(flag).unwrap_or_default();
            Some(ShellScript {
                invocation: format!("{base} {flag}"),
                script: script.to_vec(),
                posix: false,
                plain: false,
            })
        }
        _ => None,
    }
}

/// The exposure of a shell script given as one or more arguments.
pub fn script_exposure<'a>(
    checker: &Checker<'a>,
    script: &ShellScript<'a>,
) -> Option<Exposure<'a>> {
    script
        .script
        .iter()
        .filter_map(|part| shell_exposure(checker, part, script.posix))
        .reduce(Exposure::merge)
}
