//! TLS contexts as values: is this `CERT_NONE`, is this context a server's?

use crate::checker::Checker;
use crate::diagnostic::Finding;
use crate::parse::ast::{self, Expr};
use crate::semantic::argument;

/// `ssl.CERT_NONE`, however it is imported.
pub fn is_cert_none<'a>(checker: &Checker<'a>, expr: &'a Expr) -> bool {
    checker
        .semantic()
        .resolve_qualified_name(expr)
        .is_some_and(|name| {
            matches!(
                name.segments(),
                ["ssl", "CERT_NONE"] | ["ssl", "VerifyMode", "CERT_NONE"]
            )
        })
}

/// A call into urllib3 (also the copy vendored in old `requests`).
pub fn is_urllib3<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> bool {
    checker
        .semantic()
        .resolve_value_origin(&call.func)
        .is_some_and(|origin| {
            matches!(
                origin.segments(),
                ["urllib3", ..] | ["requests", "packages", "urllib3", ..]
            )
        })
}

/// `PYTHONHTTPSVERIFY` set to `0`.
pub fn disables_https_verify<'a>(
    checker: &Checker<'a>,
    key: Option<&'a Expr>,
    value: Option<&'a Expr>,
) -> bool {
    let semantic = checker.semantic();
    key.and_then(|key| semantic.constant_string(key)).as_deref() == Some("PYTHONHTTPSVERIFY")
        && value
            .and_then(|value| semantic.constant_string(value))
            .as_deref()
            == Some("0")
}

/// `ctx` made by `ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)` or
/// `ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)`.
pub fn is_server_context<'a>(checker: &Checker<'a>, context: &'a Expr) -> bool {
    let semantic = checker.semantic();
    let Expr::Name(name) = context else {
        return false;
    };
    let Some(Expr::Call(constructor)) = semantic.assigned_value(name) else {
        return false;
    };
    let Some(first) =
        argument(constructor, 0, "protocol").or_else(|| argument(constructor, 0, "purpose"))
    else {
        return false;
    };
    semantic.resolve_qualified_name(first).is_some_and(|name| {
        matches!(
            name.segments(),
            ["ssl", "PROTOCOL_TLS_SERVER"] | ["ssl", "Purpose", "CLIENT_AUTH"]
        )
    })
}

/// Whether the node being checked runs only in a branch that tests the caller's own
/// verification setting (`if not validate_certs:`, `elif verify is False:`,
/// `if cert_reqs == ssl.CERT_NONE:`): a library honouring an opt-out its caller chose, which
/// deserves a look at the caller, not an alarm here.
pub fn in_verification_opt_out(checker: &Checker<'_>) -> bool {
    checker
        .ancestors()
        .branch_conditions()
        .iter()
        .any(|(test, _)| tests_verification_setting(checker, test))
}

/// `test` reads a setting named for certificate checking, or compares with `CERT_NONE`.
fn tests_verification_setting<'a>(checker: &Checker<'a>, test: &'a Expr) -> bool {
    const SETTING_WORDS: &[&str] = &[
        "verify",
        "validate_cert",
        "validate_certs",
        "cert_reqs",
        "verify_ssl",
        "ssl_verify",
        "verify_certs",
        "verify_mode",
        "check_hostname",
        "insecure",
        "skip_verify",
        "no_verify",
        "disable_ssl_certificate_validation",
    ];
    let setting_named = |name: &str| SETTING_WORDS.contains(&name.to_ascii_lowercase().as_str());
    match test {
        Expr::Name(name) => setting_named(name.id.as_str()),
        Expr::Attribute(attribute) => setting_named(attribute.attr.as_str()),
        Expr::UnaryOp(unary) => tests_verification_setting(checker, &unary.operand),
        Expr::BoolOp(bool_op) => bool_op
            .values
            .iter()
            .any(|value| tests_verification_setting(checker, value)),
        Expr::Compare(compare) => std::iter::once(&*compare.left)
            .chain(compare.comparators.iter())
            .any(|operand| {
                is_cert_none(checker, operand)
                    || (!matches!(operand, Expr::Compare(_))
                        && tests_verification_setting(checker, operand))
            }),
        _ => false,
    }
}

/// Reports a finding that turns verification off, unless the caller asked for it (see
/// [`in_verification_opt_out`]): a library honouring `verify=False` is not the flaw, the
/// caller that passes it is, and pyvet reports that call where it is written. Measured on
/// httpx, tornado and ansible, these branches were the only TLS findings left and none of
/// them was worth a reviewer's time, even at low confidence.
pub fn report_verification_off(checker: &Checker<'_>, finding: Finding) {
    if !in_verification_opt_out(checker) {
        checker.report(finding);
    }
}
