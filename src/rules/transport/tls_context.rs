//! TLS contexts as values: is this `CERT_NONE`, is this context a server's?

use crate::checker::Checker;
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
