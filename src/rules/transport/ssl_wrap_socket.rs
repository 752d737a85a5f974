use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, keyword, BindingKind, QualifiedName};

use super::arguments::has_keyword_splat;

declare_rule! {
    /// ## What it does
    /// Flags the module function `ssl.wrap_socket`, deprecated since Python 3.7 and removed
    /// in 3.12. `SSLContext.wrap_socket`, the method, is not flagged.
    ///
    /// Rated high on the client side when it is not told `cert_reqs=ssl.CERT_REQUIRED`
    /// (its default checks no certificate at all), medium otherwise.
    ///
    /// ## Why is this bad?
    /// `ssl.wrap_socket` predates TLS contexts: by default it accepts any certificate, it
    /// never checks that the certificate belongs to the host (it cannot be told the host
    /// name), and it takes the protocol version from its caller instead of the secure
    /// defaults a context has. A client that uses it talks to whoever answers, a machine in
    /// the middle included. On Python 3.12 and later the call fails outright.
    ///
    /// ## Example
    /// ```python
    /// import socket
    /// import ssl
    ///
    /// sock = socket.create_connection(("example.com", 443))
    /// tls = ssl.wrap_socket(sock)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import socket
    /// import ssl
    ///
    /// sock = socket.create_connection(("example.com", 443))
    /// tls = ssl.create_default_context().wrap_socket(sock, server_hostname="example.com")
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe, and only offered on the client side when the host is known from the
    /// `socket.create_connection((host, port))` the socket comes from: the connection now
    /// checks the server's certificate and host name, and fails where it used to accept a
    /// forged one. No fix for a server, or when the call passes keys, certificates, a
    /// protocol version or ciphers: those move to the context and need a human choice.
    ///
    /// ## References
    /// CWE-295, CWE-477 · OWASP A02
    pub SSL_WRAP_SOCKET = RuleMeta {
        id: "PV611",
        name: "ssl-wrap-socket",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[295, 477],
        owasp: Owasp::A02,
        guideline: "transport-security",
        sources: &[Source::Bandit("B504"), Source::Ruff("S504")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &SSL_WRAP_SOCKET,
    checks: &[Check::Callee(check_call)],
    needs: &["ssl"],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    if function.segments() != ["ssl", "wrap_socket"] {
        return;
    }
    let server_side = keyword(call, "server_side").is_some_and(
        |server_side| !matches!(server_side.value, Expr::BooleanLiteral(ref b) if !b.value),
    );
    let verifies = keyword(call, "cert_reqs").is_some_and(|cert_reqs| {
        checker
            .semantic()
            .resolve_qualified_name(&cert_reqs.value)
            .is_some_and(|name| name.segments() == ["ssl", "CERT_REQUIRED"])
    });
    let (message, severity) = if !server_side && !verifies {
        (
            "`ssl.wrap_socket` accepts any certificate and never checks the host name, so a machine in the middle can pose as the server (and the function is gone in Python 3.12); use `ssl.create_default_context().wrap_socket(sock, server_hostname=...)`",
            Severity::High,
        )
    } else {
        (
            "`ssl.wrap_socket` is deprecated and removed in Python 3.12, and lacks the secure defaults of a context; use `ssl.create_default_context()` and its `wrap_socket`",
            Severity::Medium,
        )
    };
    let fix = (!server_side).then(|| context_fix(checker, call)).flatten();
    checker.report(
        Finding::new(&SSL_WRAP_SOCKET, call.range(), message)
            .with_severity(severity)
            .with_fix(fix),
    );
}

/// Keywords `SSLContext.wrap_socket` takes with the same meaning.
const KEPT_KEYWORDS: &[&str] = &["sock", "do_handshake_on_connect", "suppress_ragged_eofs"];

/// `ssl.wrap_socket(sock)` → `ssl.create_default_context().wrap_socket(sock,
/// server_hostname=host)`, when `sock = socket.create_connection((host, port))`.
fn context_fix<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<Fix> {
    let arguments = &call.arguments;
    let only_kept = arguments.args.len() <= 1
        && !has_keyword_splat(call)
        && arguments.keywords.iter().all(|keyword| {
            keyword
                .arg
                .as_ref()
                .is_some_and(|name| KEPT_KEYWORDS.contains(&name.id.as_str()))
        });
    if !only_kept {
        return None;
    }
    let sock = argument(call, 0, "sock")?;
    let host = connected_host(checker, sock)?;
    // After the last argument, before any trailing comma.
    let last_argument_end = arguments
        .args
        .iter()
        .map(Ranged::end)
        .chain(arguments.keywords.iter().map(Ranged::end))
        .max()?;
    let (ssl, import) = checker.import_module("ssl", call.start());
    let mut edits = vec![
        Edit::replace(
            call.func.range(),
            format!("{ssl}.create_default_context().wrap_socket"),
        ),
        Edit::insert(last_argument_end, format!(", server_hostname={host}")),
    ];
    edits.extend(import);
    Some(Fix::unsafe_edits(
        "Wrap the socket with a default context that checks the certificate and host name",
        edits,
    ))
}

/// The host a socket was connected to, as code valid at the call: a constant string, or a
/// name bound once in its scope. `sock = socket.create_connection((host, 443))`.
fn connected_host<'a>(checker: &Checker<'a>, sock: &'a Expr) -> Option<String> {
    let semantic = checker.semantic();
    let Expr::Name(sock) = sock else {
        return None;
    };
    let Expr::Call(connection) = semantic.assigned_value(sock)? else {
        return None;
    };
    let origin = semantic.resolve_qualified_name(&connection.func)?;
    if origin.segments() != ["socket", "create_connection"] {
        return None;
    }
    let Expr::Tuple(address) = argument(connection, 0, "address")? else {
        return None;
    };
    let host = address.elts.first()?;
    match host {
        Expr::StringLiteral(_) => Some(checker.text(host).to_string()),
        Expr::Name(name) => {
            let binding = semantic.binding_of(name)?;
            let bound_once = semantic.bindings_in(binding.scope, name.id.as_str()).len() == 1;
            let ordinary = !matches!(binding.kind, BindingKind::Other);
            (bound_once && ordinary).then(|| name.id.to_string())
        }
        _ => None,
    }
}
