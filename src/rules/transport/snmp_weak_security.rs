use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::fix::add_keyword_argument;
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, QualifiedName};

declare_rule! {
    /// ## What it does
    /// Flags SNMP v3 users (pysnmp's `UsmUserData(...)`) without authentication, without
    /// privacy (encryption), or with the weak MD5, SHA-1, DES or 3DES protocols.
    ///
    /// pysnmp picks MD5 when an authentication key is given without `authProtocol`, and
    /// DES when a privacy key is given without `privProtocol`: both defaults are reported.
    /// A protocol held in a variable is left alone. A user without authentication is
    /// reported with high severity, the other cases with medium.
    ///
    /// ## Why is this bad?
    /// Without a privacy key (`authNoPriv`) every request and reply, community-like data and
    /// device configuration included, travels in clear text; without an authentication key
    /// (`noAuthNoPriv`) anyone can also send requests as that user. DES uses 56-bit keys
    /// that can be searched exhaustively, and HMAC-MD5-96 and HMAC-SHA-96 are the protocols
    /// that RFC 7860 replaced with SHA-2.
    ///
    /// ## Example
    /// ```python
    /// from pysnmp.hlapi import UsmUserData
    ///
    /// auth = UsmUserData("monitor", auth_key, priv_key)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from pysnmp.hlapi import UsmUserData, usmAesCfb128Protocol, usmHMAC192SHA256AuthProtocol
    ///
    /// auth = UsmUserData(
    ///     "monitor",
    ///     auth_key,
    ///     priv_key,
    ///     authProtocol=usmHMAC192SHA256AuthProtocol,
    ///     privProtocol=usmAesCfb128Protocol,
    /// )
    /// ```
    ///
    /// ## Fix safety
    /// Where both keys are given, the fix names the strong protocols: HMAC-SHA-256
    /// (`usmHMAC192SHA256AuthProtocol`) in place of MD5, SHA-1 or the default, and AES-128
    /// (`usmAesCfb128Protocol`) in place of DES, 3DES or the default, taken from the module
    /// `UsmUserData` comes from (pysnmp 4.4 and later have both). It is unsafe: the agent
    /// must be configured with the same protocols for that user, or every request fails.
    /// A user without an authentication or privacy key gets no fix: the key has to be
    /// created and shared with the agent.
    ///
    /// ## References
    /// CWE-306, CWE-327, CWE-319 · OWASP A02
    pub SNMP_WEAK_SECURITY = RuleMeta {
        id: "PV616",
        name: "snmp-weak-security",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[306, 327, 319],
        owasp: Owasp::A02,
        guideline: "transport-security",
        sources: &[Source::Bandit("B509"), Source::Ruff("S509")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &SNMP_WEAK_SECURITY,
    checks: &[Check::Callee(check_call)],
    needs: &["pysnmp"],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    let ["pysnmp", .., "UsmUserData"] = function.segments() else {
        return;
    };
    if call.arguments.keywords.iter().any(|k| k.arg.is_none())
        || call.arguments.args.iter().any(Expr::is_starred_expr)
    {
        return;
    }
    let auth_key = argument(call, 1, "authKey").filter(|key| !key.is_none_literal_expr());
    let priv_key = argument(call, 2, "privKey").filter(|key| !key.is_none_literal_expr());
    let auth_argument = argument(call, 3, "authProtocol");
    let privacy_argument = argument(call, 4, "privProtocol");
    let auth = protocol(checker, auth_argument);
    let privacy = protocol(checker, privacy_argument);
    let mut problems: Vec<&str> = Vec::new();
    let (mut unauthenticated, mut clear, mut weak) = (false, false, false);
    match (auth_key, auth) {
        (None, _) | (_, Protocol::Named("usmNoAuthProtocol")) => {
            unauthenticated = true;
            problems.push("no authentication, so anyone can send requests as this user")
        }
        (Some(_), Protocol::Default) => problems.push("HMAC-MD5, pysnmp's default authentication"),
        (Some(_), Protocol::Named("usmHMACMD5AuthProtocol")) => {
            problems.push("HMAC-MD5 authentication")
        }
        (Some(_), Protocol::Named("usmHMACSHAAuthProtocol")) => {
            problems.push("HMAC-SHA-1 authentication")
        }
        _ => {}
    }
    weak |= !problems.is_empty() && !unauthenticated;
    match (priv_key, privacy) {
        (None, _) | (_, Protocol::Named("usmNoPrivProtocol")) => {
            clear = true;
            problems.push("no privacy, so the traffic is in clear text")
        }
        (Some(_), Protocol::Default) => problems.push("DES, pysnmp's default privacy protocol"),
        (Some(_), Protocol::Named("usmDESPrivProtocol")) => problems.push("DES encryption"),
        (Some(_), Protocol::Named("usm3DESEDEPrivProtocol")) => problems.push("3DES encryption"),
        _ => {}
    }
    weak |= problems.len() > usize::from(unauthenticated) + usize::from(clear);
    if problems.is_empty() {
        return;
    }
    let message = format!("SNMP v3 user with {}", problems.join("; "));
    let weak_auth = auth_key.is_some()
        && matches!(
            auth,
            Protocol::Default
                | Protocol::Named("usmHMACMD5AuthProtocol" | "usmHMACSHAAuthProtocol")
        );
    let weak_privacy = priv_key.is_some()
        && matches!(
            privacy,
            Protocol::Default | Protocol::Named("usmDESPrivProtocol" | "usm3DESEDEPrivProtocol")
        );
    let fix = (!unauthenticated && !clear)
        .then(|| {
            let changes = [
                (weak_auth, auth_argument, "authProtocol", STRONG_AUTH),
                (
                    weak_privacy,
                    privacy_argument,
                    "privProtocol",
                    STRONG_PRIVACY,
                ),
            ];
            stronger_protocols(checker, call, function, &changes)
        })
        .flatten();
    let severity = if unauthenticated {
        Severity::High
    } else {
        Severity::Medium
    };
    checker.report(
        Finding::new(&SNMP_WEAK_SECURITY, call.range(), message)
            .with_severity(severity)
            .with_cwe(weaknesses(unauthenticated, clear, weak))
            .with_fix(fix),
    );
}

const STRONG_AUTH: &str = "usmHMAC192SHA256AuthProtocol";
const STRONG_PRIVACY: &str = "usmAesCfb128Protocol";

/// Each weak protocol replaced by its strong one, or added by keyword where the default
/// was used; the names come from the module that `UsmUserData` comes from.
fn stronger_protocols<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    function: &QualifiedName<'a>,
    changes: &[(bool, Option<&'a Expr>, &str, &str); 2],
) -> Option<Fix> {
    let module = match &*call.func {
        // `snmp.UsmUserData(...)`: the constants are beside it.
        Expr::Attribute(attribute) => checker.text(&*attribute.value).to_string(),
        _ => {
            let segments = function.segments();
            let dotted = segments[..segments.len() - 1].join(".");
            let (name, import) = checker.import_module(&dotted, call.start());
            let mut edits: Vec<Edit> = import.into_iter().collect();
            return protocol_edits(checker, call, changes, &name, &mut edits)
                .then(|| unsafe_fix(edits));
        }
    };
    let mut edits = Vec::new();
    protocol_edits(checker, call, changes, &module, &mut edits).then(|| unsafe_fix(edits))
}

fn unsafe_fix(edits: Vec<Edit>) -> Fix {
    Fix::unsafe_edits(
        "Use HMAC-SHA-256 authentication and AES-128 privacy (the agent must match)",
        edits,
    )
}

/// Adds the edits for each change to `edits`; false when one cannot be written.
fn protocol_edits<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    changes: &[(bool, Option<&'a Expr>, &str, &str); 2],
    module: &str,
    edits: &mut Vec<Edit>,
) -> bool {
    let mut added: Vec<String> = Vec::new();
    for (weak, argument, keyword, strong) in changes {
        if !weak {
            continue;
        }
        match argument {
            Some(argument) => edits.push(Edit::replace(
                argument.range(),
                format!("{module}.{strong}"),
            )),
            None => added.push(format!("{keyword}={module}.{strong}")),
        }
    }
    if !added.is_empty() {
        let Some(edit) = add_keyword_argument(checker.source(), call, &added.join(", ")) else {
            return false;
        };
        edits.push(edit);
    }
    true
}

/// The CWEs of what the user lacks, in the order the message lists them: authentication,
/// then a weak protocol, then privacy.
fn weaknesses(unauthenticated: bool, clear: bool, weak: bool) -> &'static [u32] {
    match (unauthenticated, weak, clear) {
        (true, true, true) => &[306, 327, 319],
        (true, true, false) => &[306, 327],
        (true, false, true) => &[306, 319],
        (true, false, false) => &[306],
        (false, true, true) => &[327, 319],
        (false, true, false) => &[327],
        (false, false, _) => &[319],
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Protocol<'a> {
    /// Not given (or `None`): pysnmp picks the default for the key.
    Default,
    /// One of pysnmp's protocol constants, by name.
    Named(&'a str),
    /// A value we cannot name.
    Unknown,
}

fn protocol<'a>(checker: &Checker<'a>, value: Option<&'a Expr>) -> Protocol<'a> {
    match value {
        None | Some(Expr::NoneLiteral(_)) => Protocol::Default,
        Some(value) => match checker.semantic().resolve_qualified_name(value) {
            Some(name) => match name.segments() {
                ["pysnmp", .., last] => Protocol::Named(last),
                _ => Protocol::Unknown,
            },
            None => Protocol::Unknown,
        },
    }
}
