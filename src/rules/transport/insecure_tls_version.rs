use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::BindingKind;

declare_rule! {
    /// ## What it does
    /// Flags SSL 2/3 and TLS 1.0/1.1 passed to a call or assigned: `ssl.PROTOCOL_TLSv1`,
    /// `ssl.PROTOCOL_SSLv3`, `ssl.TLSVersion.TLSv1_1` (as `minimum_version`, for example)
    /// and pyOpenSSL's `SSL.TLSv1_METHOD` and friends.
    ///
    /// A parameter's default (`def connect(version=ssl.PROTOCOL_SSLv3):`) counts too: every
    /// caller that leaves the argument out gets that version.
    ///
    /// Comparisons (`if ctx.minimum_version == ssl.TLSVersion.TLSv1:`) are not uses and
    /// stay clean, and so are entries of a table that maps one library's name for a version
    /// to another's (`versions[ssl.PROTOCOL_TLSv1_1] = SSL.TLSv1_1_METHOD`).
    ///
    /// ## Why is this bad?
    /// SSL 3 falls to POODLE; TLS 1.0 and 1.1 rely on SHA-1 and CBC constructions with
    /// known attacks (BEAST, Lucky 13) and were formally deprecated in 2021 (RFC 8996).
    /// Allowing them lets an attacker in the middle downgrade the connection.
    ///
    /// ## Example
    /// ```python
    /// import ssl
    /// context = ssl.SSLContext(ssl.PROTOCOL_TLSv1)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import ssl
    /// context = ssl.create_default_context()
    /// context.minimum_version = ssl.TLSVersion.TLSv1_2
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: peers that only speak the old versions can no longer connect. Only
    /// `ssl.TLSVersion` members are rewritten (to `TLSv1_2`); a `PROTOCOL_*` constant also
    /// decides client or server side, which needs a human.
    ///
    /// ## References
    /// CWE-326, CWE-757 · OWASP A02
    pub INSECURE_TLS_VERSION = RuleMeta {
        id: "PV604",
        name: "insecure-tls-version",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[326, 757],
        owasp: Owasp::A02,
        guideline: "transport-security",
        sources: &[
            Source::Bandit("B502"),
            Source::Bandit("B503"),
            Source::Ruff("S502"),
            Source::Ruff("S503"),
        ],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &INSECURE_TLS_VERSION,
    checks: &[
        Check::Call(check_call),
        Check::Stmt(check_assignment),
        Check::Stmt(check_parameter_defaults),
    ],
    needs: &["ssl", "OpenSSL"],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let arguments = &call.arguments;
    for value in arguments
        .args
        .iter()
        .chain(arguments.keywords.iter().map(|keyword| &keyword.value))
    {
        check_value(checker, value);
    }
}

fn check_assignment<'a>(checker: &Checker<'a>, stmt: &'a Stmt) {
    let value = match stmt {
        Stmt::Assign(assign) if is_translation_entry(checker, &assign.targets) => return,
        Stmt::Assign(assign) => &*assign.value,
        Stmt::AnnAssign(ast::StmtAnnAssign {
            value: Some(value), ..
        }) => value,
        _ => return,
    };
    check_value(checker, value);
}

/// `def connect(version=ssl.PROTOCOL_SSLv3):` chooses the version for every call without one.
fn check_parameter_defaults<'a>(checker: &Checker<'a>, stmt: &'a Stmt) {
    let Stmt::FunctionDef(function) = stmt else {
        return;
    };
    let parameters = &function.parameters;
    for parameter in parameters
        .posonlyargs
        .iter()
        .chain(&parameters.args)
        .chain(&parameters.kwonlyargs)
    {
        if let Some(default) = parameter.default.as_deref() {
            check_value(checker, default);
        }
    }
}

/// `versions[ssl.PROTOCOL_TLSv1_1] = OpenSSL.SSL.TLSv1_1_METHOD`: one library's name for a
/// version mapped to another's (urllib3 translates the standard library's protocols for
/// PyOpenSSL this way). The table chooses nothing; whoever looks a version up does.
fn is_translation_entry<'a>(checker: &Checker<'a>, targets: &'a [Expr]) -> bool {
    let [Expr::Subscript(entry)] = targets else {
        return false;
    };
    checker
        .semantic()
        .resolve_qualified_name(&entry.slice)
        .is_some_and(|key| matches!(key.segments(), ["ssl" | "OpenSSL", ..]))
}

fn check_value<'a>(checker: &Checker<'a>, value: &'a Expr) {
    // Only the constant itself: a local name holding it was reported where it was assigned.
    let is_reference = match value {
        Expr::Attribute(_) => true,
        Expr::Name(name) => checker
            .semantic()
            .binding_of(name)
            .is_some_and(|binding| matches!(binding.kind, BindingKind::Import(_))),
        _ => false,
    };
    if !is_reference {
        return;
    }
    let Some(name) = checker.semantic().resolve_qualified_name(value) else {
        return;
    };
    let version = match name.segments() {
        ["ssl", "PROTOCOL_SSLv2"] | ["OpenSSL", "SSL", "SSLv2_METHOD"] => "SSL 2",
        ["ssl", "PROTOCOL_SSLv3"]
        | ["ssl", "TLSVersion", "SSLv3"]
        | ["OpenSSL", "SSL", "SSLv3_METHOD"] => "SSL 3",
        ["ssl", "PROTOCOL_TLSv1"]
        | ["ssl", "TLSVersion", "TLSv1"]
        | ["OpenSSL", "SSL", "TLSv1_METHOD"] => "TLS 1.0",
        ["ssl", "PROTOCOL_TLSv1_1"]
        | ["ssl", "TLSVersion", "TLSv1_1"]
        | ["OpenSSL", "SSL", "TLSv1_1_METHOD"] => "TLS 1.1",
        _ => return,
    };
    let message = format!(
        "{version} is broken or deprecated and lets an attacker in the middle weaken the connection; require TLS 1.2 or later"
    );
    let fix = match (name.segments(), value) {
        (["ssl", "TLSVersion", _], Expr::Attribute(attribute)) => Some(Fix::unsafe_edits(
            "Use TLS 1.2",
            vec![Edit::replace(attribute.attr.range(), "TLSv1_2")],
        )),
        _ => None,
    };
    checker.report(Finding::new(&INSECURE_TLS_VERSION, value.range(), message).with_fix(fix));
}
