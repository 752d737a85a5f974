use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::BindingKind;

use super::shell_command::shell_exposure;
use super::sql_sinks::receiver_root;

declare_rule! {
    /// ## What it does
    /// Flags paramiko's `exec_command` (on an `SSHClient`, or on a `Channel` from
    /// `Transport.open_session()`) called with a command built from run-time values.
    ///
    /// A constant command is not flagged, nor a value passed through `shlex.quote` outside
    /// quotes, nor a number. Bandit's B601 flags every `exec_command` call, constant or not.
    /// A call on a receiver whose type the code does not show (a parameter, an attribute) is
    /// checked only in a module that imports paramiko, with medium confidence.
    ///
    /// ## Why is this bad?
    /// The SSH server hands the command to the remote user's login shell. A value such as
    /// `x; rm -rf ~` or `$(id)` inserted into it runs as commands on the remote machine, with
    /// that account's rights. There is no "exec" variant that skips the shell: every value
    /// must be quoted for it.
    ///
    /// ## Example
    /// ```python
    /// import paramiko
    ///
    /// def disk_usage(host, folder):
    ///     client = paramiko.SSHClient()
    ///     client.load_system_host_keys()
    ///     client.connect(host)
    ///     return client.exec_command(f"du -sh {folder}")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import shlex
    /// import paramiko
    ///
    /// def disk_usage(host, folder):
    ///     client = paramiko.SSHClient()
    ///     client.load_system_host_keys()
    ///     client.connect(host)
    ///     return client.exec_command(f"du -sh -- {shlex.quote(folder)}")
    /// ```
    ///
    /// ## References
    /// CWE-78 · OWASP A03
    pub PARAMIKO_EXEC_COMMAND = RuleMeta {
        id: "PV214",
        name: "paramiko-exec-command",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[78],
        owasp: Owasp::A03,
        guideline: "command-injection",
        sources: &[Source::Bandit("B601"), Source::Ruff("S601")],
        fix: FixAvailability::None,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &PARAMIKO_EXEC_COMMAND,
    checks: &[Check::Call(check_call)],
    needs: &["paramiko"],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let Expr::Attribute(method) = &*call.func else {
        return;
    };
    if method.attr.id.as_str() != "exec_command" {
        return;
    }
    let Some(receiver) = receiver_kind(checker, call, &method.value) else {
        return;
    };
    let Some(command) = crate::semantic::argument(call, 0, "command") else {
        return;
    };
    let Some(exposure) = shell_exposure(checker, command, true) else {
        return;
    };
    let message = format!(
        "`exec_command` runs {} in the remote user's shell, so {}; quote each value with `shlex.quote`",
        exposure.describe(checker, "command"),
        exposure.consequence()
    );
    let confidence = match receiver {
        Receiver::Paramiko => exposure.confidence(),
        Receiver::Unknown => Confidence::Medium,
    };
    checker.report(
        Finding::new(&PARAMIKO_EXEC_COMMAND, call.range(), message)
            .with_confidence(confidence)
            .with_trace(exposure.trace(checker, "command")),
    );
}

/// What the object `exec_command` is called on is known to be.
enum Receiver {
    /// A paramiko client or channel, by its origin.
    Paramiko,
    /// A value whose origin the code does not show (a parameter, `self.client`).
    Unknown,
}

fn receiver_kind<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    receiver: &'a Expr,
) -> Option<Receiver> {
    let semantic = checker.semantic();
    // The receiver's origin, or the import or parameter annotation its chain starts at
    // (`transport: paramiko.Transport` … `transport.open_session().exec_command(...)`).
    let root = semantic
        .resolve_value_origin(receiver)
        .or_else(|| receiver_root(checker, call));
    if let Some(root) = root {
        // Another library's object with a method of the same name is not an SSH call.
        return matches!(root.segments(), ["paramiko", ..]).then_some(Receiver::Paramiko);
    }
    // An object the code builds itself (`Job()`) is not a paramiko one; a parameter or an
    // attribute may be.
    let unknown = match receiver {
        Expr::Attribute(_) => true,
        Expr::Name(name) => semantic.binding_of(name).is_some_and(|binding| {
            matches!(
                binding.kind,
                BindingKind::Parameter { .. } | BindingKind::LambdaParameter(_)
            )
        }),
        _ => false,
    };
    unknown.then_some(Receiver::Unknown)
}
