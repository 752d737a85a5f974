use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::{Ranged, TextSize};
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, keyword, QualifiedName, StringPart};

use super::shell_command::{is_truthy, literal_elements};
use super::shell_globs::{leading_globs, LeadingGlob};
use super::shell_script::shell_script;

declare_rule! {
    /// ## What it does
    /// Flags `tar`, `chown`, `chgrp`, `chmod` and `rsync` run through a shell with a word
    /// that starts with a wildcard (`*`, `*.log`, `?`): `os.system("tar czf b.tgz *")`,
    /// `subprocess.run("chown www: *", shell=True)`, `["sh", "-c", "chmod 600 *"]`.
    ///
    /// A wildcard after a folder (`./*`, `/srv/www/*`), after `--`, or in quotes is not
    /// flagged, nor an argument list run without a shell (nothing expands it). Bandit's B609
    /// flags any `*` in such a command.
    ///
    /// ## Why is this bad?
    /// The shell replaces `*` with the file names in the folder before the program starts,
    /// and a file name that starts with `-` is read as an option. Anyone who can create a
    /// file there chooses options: a file named `--checkpoint-action=exec=sh evil.sh` makes
    /// `tar` run a script, `--reference=mine` makes `chown` copy their ownership, `-e sh x`
    /// makes `rsync` run a command.
    ///
    /// ## Example
    /// ```python
    /// import os
    /// os.system("cd /srv/uploads && tar czf /backup/uploads.tgz *")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import os
    /// os.system("cd /srv/uploads && tar czf /backup/uploads.tgz ./*")
    /// ```
    ///
    /// ## Fix safety
    /// The fix writes `./` before the wildcard, in a command written as one plain string
    /// literal. Safe for `chown`, `chgrp`, `chmod` and `rsync`, which act on the same files.
    /// Unsafe for `tar`: the names stored in the archive now start with `./`.
    ///
    /// ## References
    /// CWE-155, CWE-88 · OWASP A03
    pub SHELL_WILDCARD_INJECTION = RuleMeta {
        id: "PV215",
        name: "shell-wildcard-injection",
        severity: Severity::Medium,
        confidence: Confidence::Medium,
        cwe: &[155, 88],
        owasp: Owasp::A03,
        guideline: "command-injection",
        sources: &[Source::Bandit("B609"), Source::Ruff("S609")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &SHELL_WILDCARD_INJECTION,
    checks: &[Check::Callee(check_call)],
    needs: &["os", "subprocess", "asyncio", "commands"],
};

/// Programs that read a file name starting with `-` as an option that runs code or
/// changes what they act on.
const PROGRAMS: &[&str] = &["tar", "chown", "chgrp", "chmod", "rsync"];

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    let Some(script) = shell_text(checker, call, function) else {
        return;
    };
    let Some((text, literal)) = command_text(checker, script) else {
        return;
    };
    for glob in leading_globs(&text) {
        if PROGRAMS.contains(&glob.program.as_str()) {
            report(checker, call, &glob, literal);
        }
    }
}

/// The command text a shell runs in this call: the command of `os.system` and friends, of
/// a `subprocess` call with `shell=True`, or the script of `["sh", "-c", script]`.
fn shell_text<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    function: &QualifiedName<'a>,
) -> Option<&'a Expr> {
    match function.segments() {
        ["os", "system" | "popen" | "popen2" | "popen3" | "popen4"]
        | ["subprocess" | "commands", "getoutput" | "getstatusoutput"] => {
            argument(call, 0, "cmd").or_else(|| argument(call, 0, "command"))
        }
        ["asyncio", "create_subprocess_shell"] => argument(call, 0, "cmd"),
        ["subprocess", "run" | "call" | "check_call" | "check_output" | "Popen"] => {
            let args = argument(call, 0, "args")?;
            let elements = literal_elements(checker, args);
            let shell = keyword(call, "shell").is_some_and(|k| is_truthy(checker, &k.value));
            match (shell, elements.as_deref()) {
                (true, Some([first, ..])) => Some(*first),
                (true, None) => Some(args),
                (false, Some([program, arguments @ ..])) => {
                    let script = shell_script(checker, program, arguments)?;
                    script.script.first().copied().filter(|_| script.posix)
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The command's text, values known only at run time standing as `_`, and the string
/// literal it is written in when the text is exactly that literal's body (the fixable case).
fn command_text<'a>(
    checker: &Checker<'a>,
    command: &'a Expr,
) -> Option<(String, Option<&'a ast::ExprStringLiteral>)> {
    let semantic = checker.semantic();
    if let Some(text) = semantic.constant_string(command) {
        let literal = match command {
            Expr::StringLiteral(literal)
                if literal_body(checker, literal).is_some_and(|(_, body)| body == text) =>
            {
                Some(literal)
            }
            _ => None,
        };
        return Some((text, literal));
    }
    let parts = semantic.string_parts(command)?;
    let text = parts
        .iter()
        .map(|part| match part {
            StringPart::Literal(text) => text.as_str(),
            StringPart::Dynamic(_) => "_",
        })
        .collect();
    Some((text, None))
}

/// The text between the quotes of a one-part string literal, and its offset in the literal.
fn literal_body<'a>(
    checker: &Checker<'a>,
    literal: &ast::ExprStringLiteral,
) -> Option<(usize, &'a str)> {
    let source = checker.text(literal);
    let open = source.find(['\'', '"'])?;
    let quote = &source[open..];
    let width = if quote.starts_with("'''") || quote.starts_with("\"\"\"") {
        3
    } else {
        1
    };
    let body = source.get(open + width..source.len().checked_sub(width)?)?;
    Some((open + width, body))
}

fn report(
    checker: &Checker,
    call: &ast::ExprCall,
    glob: &LeadingGlob,
    literal: Option<&ast::ExprStringLiteral>,
) {
    let LeadingGlob { program, word, .. } = glob;
    let message = format!(
        "the shell expands `{word}` into file names before `{program}` starts, and a file named like an option (`-…`) becomes one; write `./{word}`"
    );
    let fix = literal.and_then(|literal| prefix_fix(checker, literal, glob));
    checker.report(Finding::new(&SHELL_WILDCARD_INJECTION, call.range(), message).with_fix(fix));
}

/// Writes `./` before the wildcard word inside the literal.
fn prefix_fix(
    checker: &Checker,
    literal: &ast::ExprStringLiteral,
    glob: &LeadingGlob,
) -> Option<Fix> {
    let (body_start, _) = literal_body(checker, literal)?;
    let at = literal.start() + TextSize::try_from(body_start + glob.offset).ok()?;
    let title = format!("Write `./{}` so no file name can start with `-`", glob.word);
    let edits = vec![Edit::insert(at, "./")];
    Some(if glob.program == "tar" {
        Fix::unsafe_edits(title, edits)
    } else {
        Fix::safe(title, edits)
    })
}
