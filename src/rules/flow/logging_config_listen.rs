use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, QualifiedName};

declare_rule! {
    /// ## What it does
    /// Flags `logging.config.listen()` started without a `verify` function (or with
    /// `verify=None`).
    ///
    /// ## Why is this bad?
    /// The listener accepts a logging configuration from whoever connects to its port and
    /// applies it. A configuration can name any callable to build a handler or filter
    /// (`"()": "os.system"` in a dictionary configuration), and a file configuration is
    /// read with `eval`: applying one runs the sender's code in your process. The port is
    /// on `localhost`, so the sender is any other account or program on the machine, or a
    /// request forged through a server-side request forgery. `verify` receives the bytes
    /// before they are applied: check a signature there (an HMAC with a key only the
    /// sender has), or decrypt them, and return `None` to refuse.
    ///
    /// ## Example
    /// ```python
    /// import logging.config
    ///
    /// listener = logging.config.listen(9030)
    /// listener.start()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import hashlib
    /// import hmac
    /// import logging.config
    /// import os
    ///
    /// KEY = os.environ["LOG_CONFIG_KEY"].encode()
    ///
    /// def signed_only(data):
    ///     signature, config = data[:32], data[32:]
    ///     expected = hmac.new(KEY, config, hashlib.sha256).digest()
    ///     return config if hmac.compare_digest(signature, expected) else None
    ///
    /// listener = logging.config.listen(9030, verify=signed_only)
    /// listener.start()
    /// ```
    ///
    /// ## References
    /// CWE-94, CWE-306 · OWASP A08
    pub LOGGING_CONFIG_LISTEN = RuleMeta {
        id: "PV723",
        name: "logging-config-listen",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[94, 306],
        owasp: Owasp::A08,
        guideline: "input-validation",
        sources: &[Source::Bandit("B612"), Source::Ruff("S612")],
        fix: FixAvailability::None,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &LOGGING_CONFIG_LISTEN,
    checks: &[Check::Callee(check_call)],
    needs: &["logging"],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    if function.segments() != ["logging", "config", "listen"] {
        return;
    }
    // `**options` may carry a `verify`.
    if call.arguments.keywords.iter().any(|k| k.arg.is_none()) {
        return;
    }
    let verify = argument(call, 1, "verify");
    let message = match verify {
        None => "`logging.config.listen()` applies any configuration sent to its port, and a configuration can run code; pass `verify=` a function that checks a signature",
        Some(Expr::NoneLiteral(_)) => "`logging.config.listen(verify=None)` applies any configuration sent to its port, and a configuration can run code; pass a function that checks a signature",
        Some(_) => return,
    };
    checker.report(Finding::new(&LOGGING_CONFIG_LISTEN, call.range(), message));
}
