use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity};
use crate::parse::ast;
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::QualifiedName;

declare_rule! {
    /// ## What it does
    /// Flags clients for protocols that send everything, passwords included, in clear
    /// text: `ftplib.FTP(...)` and `telnetlib.Telnet(...)`.
    ///
    /// Unlike Bandit's B312/B321 and B401/B402, importing the modules is not flagged, and
    /// neither is `ftplib.FTP_TLS` (see `stdlib-tls-unverified` for its context).
    ///
    /// ## Why is this bad?
    /// FTP and Telnet have no encryption: the login and every byte after it can be read
    /// and changed by anyone on the path.
    ///
    /// ## Example
    /// ```python
    /// import ftplib
    /// ftp = ftplib.FTP("files.example.com", user, password)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import ftplib
    /// import ssl
    /// ftp = ftplib.FTP_TLS("files.example.com", context=ssl.create_default_context())
    /// ftp.login(user, password)
    /// ftp.prot_p()
    /// ```
    ///
    /// ## References
    /// CWE-319 · OWASP A02
    pub CLEARTEXT_PROTOCOL = RuleMeta {
        id: "PV608",
        name: "cleartext-protocol",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[319],
        owasp: Owasp::A02,
        guideline: "transport-security",
        sources: &[
            Source::Bandit("B321"),
            Source::Bandit("B312"),
            Source::Ruff("S321"),
            Source::Ruff("S312"),
        ],
        fix: FixAvailability::None,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &CLEARTEXT_PROTOCOL,
    checks: &[Check::Callee(check_call)],
    needs: &["ftplib", "telnetlib"],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    let message = match function.segments() {
        ["ftplib", "FTP"] => "FTP sends the login and the files in clear text; use SFTP or `ftplib.FTP_TLS` with `prot_p()`",
        ["telnetlib", "Telnet"] => "Telnet sends the login and the session in clear text; use SSH",
        _ => return,
    };
    checker.report(Finding::new(&CLEARTEXT_PROTOCOL, call.range(), message));
}
