use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, keyword};

use super::arguments::is_false;
use super::tls_context::{
    disables_https_verify, is_cert_none, is_server_context, is_urllib3, report_verification_off,
};
use super::verification_fix::{check_hostname_edits, verify_mode_edits};

declare_rule! {
    /// ## What it does
    /// Flags TLS contexts that do not verify the server: `ssl._create_unverified_context()`
    /// (called, or installed as `ssl._create_default_https_context`), `verify_mode =
    /// ssl.CERT_NONE`, `check_hostname = False`, `cert_reqs=ssl.CERT_NONE` (also the
    /// strings `"CERT_NONE"` / `"none"` that urllib3 and redis accept), urllib3's
    /// `assert_hostname=False`, and `PYTHONHTTPSVERIFY=0` set from code.
    ///
    /// Server-side contexts (`ssl.PROTOCOL_TLS_SERVER`, `Purpose.CLIENT_AUTH`,
    /// `server_side=True`) stay clean: not asking clients for a certificate is normal there.
    /// So does `self.check_hostname = False` in the `__init__` of a class that is no TLS
    /// context but mirrors one (urllib3's PyOpenSSL wrapper): it starts an attribute of its
    /// own, and a subclass of `ssl.SSLContext` doing the same is still reported.
    ///
    /// ## Why is this bad?
    /// A context that skips the certificate or host-name check talks to whoever answers.
    /// Anyone on the network path can present their own certificate, then read and change
    /// everything sent, passwords and tokens included.
    ///
    /// ## Example
    /// ```python
    /// import ssl
    /// context = ssl._create_unverified_context()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import ssl
    /// context = ssl.create_default_context(cafile="/etc/ssl/certs/internal-ca.pem")
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: verification comes back on, so servers with self-signed or private-CA
    /// certificates fail until their CA is trusted. The fix swaps in
    /// `ssl.create_default_context()`, `ssl.CERT_REQUIRED` or `check_hostname = True`.
    /// `check_hostname = True` comes with `CERT_REQUIRED` for every `verify_mode = CERT_NONE`
    /// of the same context (however `CERT_NONE` is spelled), since that assignment raises
    /// `ValueError` once host names are checked; when such an assignment sets a value the
    /// fix cannot read, `check_hostname` gets no fix, nor does it in a branch taken when
    /// there is no host name (`if not server_hostname:`), where checking one would make
    /// the handshake raise. Server-side contexts are not flagged, so
    /// they never get `check_hostname = True`, which is meant for clients.
    ///
    /// ## References
    /// CWE-295, CWE-297 · OWASP A02, A07
    pub UNVERIFIED_SSL_CONTEXT = RuleMeta {
        id: "PV603",
        name: "unverified-ssl-context",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[295, 297],
        owasp: Owasp::A02,
        guideline: "transport-security",
        sources: &[Source::Bandit("B323"), Source::Ruff("S323")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &UNVERIFIED_SSL_CONTEXT,
    checks: &[Check::Call(check_call), Check::Stmt(check_assignment)],
    needs: &[],
};

const ANYONE: &str = "so anyone on the network path can read and change the traffic";

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let semantic = checker.semantic();
    if let Some(["ssl", function @ ("_create_unverified_context" | "_create_stdlib_context")]) =
        semantic
            .resolve_qualified_name(&call.func)
            .as_ref()
            .map(|name| name.segments())
    {
        let message = format!("`ssl.{function}()` accepts any certificate for any host, {ANYONE}");
        let fix = default_context_fix(checker, call);
        report_verification_off(
            checker,
            Finding::new(&UNVERIFIED_SSL_CONTEXT, call.range(), message).with_fix(fix),
        );
        return;
    }
    if keyword(call, "server_side").is_some_and(|flag| semantic.is_true(&flag.value)) {
        return;
    }
    for keyword in &call.arguments.keywords {
        let Some(name) = keyword.arg.as_ref().map(|arg| arg.id.as_str()) else {
            continue;
        };
        let value = &keyword.value;
        let disabled = match name {
            "cert_reqs" | "ssl_cert_reqs" | "verify_mode" => {
                is_cert_none(checker, value)
                    || semantic.constant_string(value).is_some_and(|text| {
                        matches!(text.to_ascii_lowercase().as_str(), "cert_none" | "none")
                    })
            }
            "assert_hostname" => is_false(checker, value) && is_urllib3(checker, call),
            _ => false,
        };
        if disabled {
            let message = format!(
                "`{}` turns certificate checks off, {ANYONE}",
                checker.text(keyword)
            );
            report_verification_off(
                checker,
                Finding::new(&UNVERIFIED_SSL_CONTEXT, keyword.range(), message),
            );
        }
    }
    // `os.environ.setdefault("PYTHONHTTPSVERIFY", "0")`, `os.putenv(...)`
    let sets_environment = semantic
        .resolve_qualified_name(&call.func)
        .is_some_and(|name| {
            matches!(
                name.segments(),
                ["os", "environ", "setdefault"] | ["os", "putenv"]
            )
        });
    if sets_environment
        && disables_https_verify(
            checker,
            argument(call, 0, "key"),
            argument(call, 1, "value"),
        )
    {
        report_environment(checker, call.range());
    }
}

fn check_assignment<'a>(checker: &Checker<'a>, stmt: &'a Stmt) {
    let Stmt::Assign(assign) = stmt else {
        return;
    };
    let [target] = &assign.targets[..] else {
        return;
    };
    let value = &*assign.value;
    let semantic = checker.semantic();
    if semantic.resolve_qualified_name(value).is_some_and(|name| {
        matches!(
            name.segments(),
            [
                "ssl",
                "_create_unverified_context" | "_create_stdlib_context"
            ]
        )
    }) {
        let message =
            format!("Every HTTPS request in this process now accepts any certificate, {ANYONE}");
        report_verification_off(
            checker,
            Finding::new(&UNVERIFIED_SSL_CONTEXT, assign.range(), message),
        );
        return;
    }
    match target {
        Expr::Attribute(attribute)
            if !is_server_context(checker, &attribute.value)
                && !is_own_attribute_of_a_wrapper(checker, &attribute.value) =>
        {
            let (message, edits) = match attribute.attr.id.as_str() {
                "check_hostname" if is_false(checker, value) => (
                    "`check_hostname = False` accepts a valid certificate for any other host",
                    matches!(value, Expr::BooleanLiteral(_))
                        .then(|| check_hostname_edits(checker, &attribute.value, value))
                        .flatten(),
                ),
                "verify_mode" if is_cert_none(checker, value) => (
                    "`verify_mode = CERT_NONE` accepts any certificate",
                    verify_mode_edits(checker, value),
                ),
                _ => return,
            };
            let fix = edits.map(|edits| Fix::unsafe_edits("Verify the server", edits));
            // The certificate is still checked, only not against the host's name.
            let cwe: &[u32] = if attribute.attr.id.as_str() == "check_hostname" {
                &[297]
            } else {
                &[295]
            };
            let message = format!("{message}, {ANYONE}");
            report_verification_off(
                checker,
                Finding::new(&UNVERIFIED_SSL_CONTEXT, value.range(), message)
                    .with_cwe(cwe)
                    .with_fix(fix),
            );
        }
        Expr::Subscript(subscript)
            if semantic
                .resolve_qualified_name(&subscript.value)
                .is_some_and(|name| name.segments() == ["os", "environ"])
                && disables_https_verify(checker, Some(&subscript.slice), Some(value)) =>
        {
            report_environment(checker, assign.range());
        }
        _ => {}
    }
}

/// `self.check_hostname = False` in the `__init__` of a class that is no `SSLContext`: the
/// starting value of an attribute of its own (urllib3's wrapper around PyOpenSSL mirrors the
/// standard library's context this way), not a setting of a context that checks names.
fn is_own_attribute_of_a_wrapper<'a>(checker: &Checker<'a>, owner: &'a Expr) -> bool {
    let Expr::Name(owner) = owner else {
        return false;
    };
    let ancestors = checker.ancestors();
    let (Some(method), Some(class)) = (ancestors.enclosing_function(), ancestors.enclosing_class())
    else {
        return false;
    };
    let first_parameter = method
        .parameters
        .posonlyargs
        .iter()
        .chain(&method.parameters.args)
        .next();
    let is_self = first_parameter
        .is_some_and(|parameter| parameter.parameter.name.id.as_str() == owner.id.as_str());
    let semantic = checker.semantic();
    // `ssl.SSLContext`, `SSL.Context`, or a local base named for one.
    let is_context = class.bases().iter().any(|base| {
        let written = checker.text(base);
        let last = match semantic.resolve_qualified_name(base) {
            Some(name) => name.segments().last().copied().unwrap_or(written),
            None => written.rsplit('.').next().unwrap_or(written),
        };
        last.contains("Context") || last.contains("SSL")
    });
    method.name.id.as_str() == "__init__" && is_self && !is_context
}

fn report_environment(checker: &Checker, range: crate::parse::TextRange) {
    let message = format!(
        "`PYTHONHTTPSVERIFY=0` turns certificate checks off for the standard library, {ANYONE}"
    );
    report_verification_off(
        checker,
        Finding::new(&UNVERIFIED_SSL_CONTEXT, range, message),
    );
}

/// `ssl._create_unverified_context(cafile=...)` → `ssl.create_default_context(cafile=...)`.
fn default_context_fix(checker: &Checker, call: &ast::ExprCall) -> Option<Fix> {
    let arguments = &call.arguments;
    let portable = arguments.args.is_empty()
        && arguments.keywords.iter().all(|keyword| {
            keyword
                .arg
                .as_ref()
                .is_some_and(|arg| matches!(arg.id.as_str(), "cafile" | "capath" | "cadata"))
        });
    if !portable {
        return None;
    }
    let (ssl, import) = checker.import_module("ssl", call.start());
    let mut edits = vec![Edit::replace(
        call.func.range(),
        format!("{ssl}.create_default_context"),
    )];
    edits.extend(import);
    Some(Fix::unsafe_edits(
        "Use `ssl.create_default_context()`",
        edits,
    ))
}
