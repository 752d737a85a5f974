use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::argument;

use super::arguments::{add_keyword, has_keyword_splat};
use super::tls_context::report_verification_off;

declare_rule! {
    /// ## What it does
    /// Flags the standard library's mail and FTP clients opening TLS without a context:
    /// `smtplib.SMTP_SSL`, `SMTP.starttls()`, `imaplib.IMAP4_SSL`, `IMAP4.starttls()`,
    /// `poplib.POP3_SSL`, `POP3.stls()` and `ftplib.FTP_TLS` with no `context` (or
    /// `ssl_context` for imaplib), or with `None`.
    ///
    /// Bandit and Ruff have no check for this.
    ///
    /// ## Why is this bad?
    /// Without a context these clients call `ssl._create_stdlib_context()`, which is the
    /// *unverified* context (CPython 3.6 to 3.13 at least): the connection is encrypted,
    /// but to any server, so the mail password goes to whoever sits in the middle.
    ///
    /// ## Example
    /// ```python
    /// import smtplib
    /// with smtplib.SMTP("smtp.example.com", 587, timeout=10) as server:
    ///     server.starttls()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import smtplib
    /// import ssl
    /// with smtplib.SMTP("smtp.example.com", 587, timeout=10) as server:
    ///     server.starttls(context=ssl.create_default_context())
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the server's certificate is now checked, so a self-signed or expired one
    /// makes the connection fail.
    ///
    /// ## References
    /// CWE-295, CWE-297 · OWASP A02, A07
    pub STDLIB_TLS_UNVERIFIED = RuleMeta {
        id: "PV609",
        name: "stdlib-tls-unverified",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[295, 297],
        owasp: Owasp::A02,
        guideline: "transport-security",
        sources: &[],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &STDLIB_TLS_UNVERIFIED,
    checks: &[Check::Call(check_call)],
    needs: &["smtplib", "imaplib", "poplib", "ftplib"],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let semantic = checker.semantic();
    let Some(origin) = semantic.resolve_value_origin(&call.func) else {
        return;
    };
    // The keyword, and its position in the signatures before it became keyword-only.
    let (keyword, position) = match origin.segments() {
        ["smtplib", "SMTP_SSL"] => ("context", 7),
        ["smtplib", "SMTP" | "LMTP" | "SMTP_SSL", "()", "starttls"] => ("context", 2),
        ["imaplib", "IMAP4_SSL"] => ("ssl_context", 4),
        ["imaplib", "IMAP4", "()", "starttls"] => ("ssl_context", 0),
        ["poplib", "POP3_SSL"] => ("context", 5),
        ["poplib", "POP3", "()", "stls"] => ("context", 0),
        ["ftplib", "FTP_TLS"] => ("context", 6),
        _ => return,
    };
    if has_keyword_splat(call) || call.arguments.args.iter().any(Expr::is_starred_expr) {
        return;
    }
    let context = argument(call, position, keyword);
    if context.is_some_and(|context| !context.is_none_literal_expr()) {
        return;
    }
    let name = match &*call.func {
        Expr::Attribute(attribute) => format!(".{}()", attribute.attr.id.as_str()),
        func => format!("{}()", checker.text(func)),
    };
    let message = format!(
        "`{name}` without `{keyword}=` falls back to an unverified context, so any server can pose as this one; pass `ssl.create_default_context()`"
    );
    let (ssl, import) = checker.import_module("ssl", call.start());
    let verifying = format!("{ssl}.create_default_context()");
    let mut edits = vec![match context {
        Some(none) => Edit::replace(none.range(), verifying),
        None => add_keyword(checker, call, keyword, &verifying),
    }];
    edits.extend(import);
    let fix = Fix::unsafe_edits("Verify the server's certificate", edits);
    report_verification_off(
        checker,
        Finding::new(&STDLIB_TLS_UNVERIFIED, call.range(), message).with_fix(fix),
    );
}
