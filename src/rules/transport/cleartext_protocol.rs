use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::fix::add_keyword_argument;
use crate::fix::statement::{line_break_at, own_lines};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, spreads_arguments, QualifiedName};

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
    /// ## Fix safety
    /// `ftp = ftplib.FTP(host, user, password)` becomes `ftp = ftplib.FTP_TLS(host, user,
    /// password, context=ssl.create_default_context())` followed by `ftp.prot_p()`: the
    /// login is sent after the connection is secured, the certificate is checked, and
    /// `prot_p()` encrypts the data connections too (without it the files still travel in
    /// clear text). It is unsafe: the server must offer explicit FTPS (`AUTH TLS`) with a
    /// certificate the system trusts, or the connection fails. The fix is offered only
    /// where the login happens in the constructor and the client is assigned to a name on a
    /// line of its own, so `prot_p()` can follow it; elsewhere the login comes later and
    /// `prot_p()` must follow it, which is left to you. Telnet has no drop-in secure
    /// replacement in the standard library (SSH needs another library): no fix.
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
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &CLEARTEXT_PROTOCOL,
    checks: &[Check::Callee(check_call)],
    needs: &["ftplib", "telnetlib"],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    let (message, fix) = match function.segments() {
        ["ftplib", "FTP"] => (
            "FTP sends the login and the files in clear text; use SFTP or `ftplib.FTP_TLS` with `prot_p()`",
            ftp_tls_fix(checker, call),
        ),
        ["telnetlib", "Telnet"] => (
            "Telnet sends the login and the session in clear text; use SSH",
            None,
        ),
        _ => return,
    };
    checker.report(Finding::new(&CLEARTEXT_PROTOCOL, call.range(), message).with_fix(fix));
}

/// `ftp = ftplib.FTP(host, user, password)` → `ftp = ftplib.FTP_TLS(host, user, password,
/// context=ssl.create_default_context())` and `ftp.prot_p()` on the next line.
fn ftp_tls_fix<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<Fix> {
    // Past `acct`, `FTP` takes `timeout` where `FTP_TLS` took `keyfile`.
    let spread = spreads_arguments(call);
    if call.arguments.args.len() > 4 || spread {
        return None;
    }
    let logs_in = argument(call, 1, "user").is_some_and(|user| {
        !matches!(user, Expr::StringLiteral(text) if text.value.is_empty())
            && !user.is_none_literal_expr()
    });
    let statement = checker.ancestors().enclosing_statement()?;
    let Stmt::Assign(assign) = statement.stmt else {
        return None;
    };
    let ([Expr::Name(client)], Expr::Call(value)) = (&assign.targets[..], &*assign.value) else {
        return None;
    };
    if !logs_in || !std::ptr::eq(value, call) {
        return None;
    }
    let source = checker.source();
    let lines = own_lines(source, assign.range())?;
    // On a line of its own after the assignment's lines, with the same indentation.
    let indent = &source[lines.start().to_usize()..assign.start().to_usize()];
    let line_break = line_break_at(source, assign.end().to_usize());
    let ends_with_break = source[..lines.end().to_usize()].ends_with(['\n', '\r']);
    let prot_p = if ends_with_break {
        format!("{indent}{}.prot_p(){line_break}", client.id)
    } else {
        format!("{line_break}{indent}{}.prot_p()", client.id)
    };
    let at = call.start();
    let (ftplib, ftplib_import) = checker.import_module("ftplib", at);
    let (ssl, ssl_import) = checker.import_module("ssl", at);
    let context = add_keyword_argument(
        source,
        call,
        &format!("context={ssl}.create_default_context()"),
    )?;
    let mut edits = vec![
        Edit::replace(call.func.range(), format!("{ftplib}.FTP_TLS")),
        context,
        Edit::insert(lines.end(), prot_p),
    ];
    edits.extend(ftplib_import);
    edits.extend(ssl_import);
    Some(Fix::unsafe_edits(
        "Use FTP over TLS (`FTP_TLS` with a verified context, then `prot_p()`)",
        edits,
    ))
}
