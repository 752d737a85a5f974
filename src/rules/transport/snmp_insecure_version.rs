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
    /// Flags pysnmp's `CommunityData(...)`: SNMP version 1 (`mpModel=0`) or 2c
    /// (`mpModel=1`, the default when `mpModel` is left out).
    ///
    /// ## Why is this bad?
    /// SNMP v1 and v2c have no encryption and no real authentication: the community
    /// string is the password, and it travels in clear text in every packet, together with
    /// the data. Anyone on the path can read it and then query or, with a write community,
    /// reconfigure the device. SNMP v3 with `UsmUserData`, SHA-2 authentication and AES
    /// privacy authenticates the user and encrypts the traffic.
    ///
    /// ## Example
    /// ```python
    /// from pysnmp.hlapi import CommunityData
    ///
    /// auth = CommunityData("public", mpModel=0)
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
    /// ## References
    /// CWE-319 · OWASP A02
    pub SNMP_INSECURE_VERSION = RuleMeta {
        id: "PV615",
        name: "snmp-insecure-version",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[319],
        owasp: Owasp::A02,
        guideline: "transport-security",
        sources: &[Source::Bandit("B508"), Source::Ruff("S508")],
        fix: FixAvailability::None,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &SNMP_INSECURE_VERSION,
    checks: &[Check::Callee(check_call)],
    needs: &["pysnmp"],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    let ["pysnmp", .., "CommunityData"] = function.segments() else {
        return;
    };
    let version = match argument(call, 2, "mpModel") {
        None => "2c",
        Some(Expr::NumberLiteral(number)) => match checker.text(number) {
            "0" => "1",
            "1" => "2c",
            _ => return,
        },
        // A model held in a variable: we cannot see which.
        Some(_) => return,
    };
    let message = format!(
        "SNMP v{version} sends the community string, its only credential, and the data in clear text; use SNMP v3 (`UsmUserData`) with authentication and privacy"
    );
    checker.report(Finding::new(&SNMP_INSECURE_VERSION, call.range(), message));
}
