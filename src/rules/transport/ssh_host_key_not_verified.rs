use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::argument;

declare_rule! {
    /// ## What it does
    /// Flags paramiko clients told to accept unknown host keys:
    /// `client.set_missing_host_key_policy(paramiko.AutoAddPolicy())` or `WarningPolicy`
    /// (as an instance or as the class).
    ///
    /// ## Why is this bad?
    /// The host key is how SSH knows it reached the right server. Accepting whatever key
    /// is offered is the SSH version of `verify=False`: a machine in the middle can answer
    /// instead, collect the password or key you log in with, and run your commands.
    ///
    /// ## Example
    /// ```python
    /// import paramiko
    /// client = paramiko.SSHClient()
    /// client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import paramiko
    /// client = paramiko.SSHClient()
    /// client.load_system_host_keys()
    /// client.set_missing_host_key_policy(paramiko.RejectPolicy())
    /// ```
    ///
    /// ## Fix safety
    /// Display-only: with `RejectPolicy`, connecting to a host whose key is not in
    /// `known_hosts` fails, so the known hosts must be loaded first.
    ///
    /// ## References
    /// CWE-295 · OWASP A07
    pub SSH_HOST_KEY_NOT_VERIFIED = RuleMeta {
        id: "PV607",
        name: "ssh-host-key-not-verified",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[295],
        owasp: Owasp::A07,
        guideline: "transport-security",
        sources: &[Source::Bandit("B507"), Source::Ruff("S507")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &SSH_HOST_KEY_NOT_VERIFIED,
    checks: &[Check::Call(check_call)],
    needs: &["paramiko"],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let semantic = checker.semantic();
    let Expr::Attribute(method) = &*call.func else {
        return;
    };
    if method.attr.id.as_str() != "set_missing_host_key_policy" {
        return;
    }
    let Some(policy) = argument(call, 0, "policy") else {
        return;
    };
    let class = match policy {
        Expr::Call(instance) => &*instance.func,
        other => other,
    };
    let Some(name) = semantic.resolve_qualified_name(class) else {
        return;
    };
    let policy_name = match name.segments() {
        ["paramiko", policy @ ("AutoAddPolicy" | "WarningPolicy")]
        | ["paramiko", "client", policy @ ("AutoAddPolicy" | "WarningPolicy")] => *policy,
        _ => return,
    };
    let message = format!(
        "`{policy_name}` accepts any host key, so a machine in the middle can pose as the server; load known hosts and keep `RejectPolicy`"
    );
    let (paramiko, import) = checker.import_module("paramiko", call.start());
    let mut edits = vec![Edit::replace(
        policy.range(),
        format!("{paramiko}.RejectPolicy()"),
    )];
    edits.extend(import);
    let fix = Fix::display_only("Reject unknown host keys", edits);
    checker.report(Finding::new(&SSH_HOST_KEY_NOT_VERIFIED, policy.range(), message).with_fix(fix));
}
