use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::{Ranged, TextRange};
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, QualifiedName};

use super::values::constant_int;

declare_rule! {
    /// ## What it does
    /// Flags RSA, DSA and Diffie-Hellman keys under 2048 bits and elliptic curves under 224
    /// bits, generated with pyca/cryptography (`rsa.generate_private_key(..., key_size=1024)`,
    /// `ec.SECP192R1()`), PyCryptodome (`RSA.generate(1024)`, `ECC.generate(curve="P-192")`)
    /// or paramiko (`RSAKey.generate(1024)`). Sizes are read through constants.
    ///
    /// A curve class handed over without calling it (`ec.generate_private_key(ec.SECT163R2)`)
    /// is judged like `ec.SECT163R2()`: cryptography 38 makes a 163-bit key from it, 43 does
    /// too with a deprecation warning, and only newer releases (48) refuse it with a
    /// `TypeError`.
    ///
    /// ## Why is this bad?
    /// 1024-bit RSA and DSA are within reach of well-funded attackers today and have been
    /// withdrawn by NIST since 2013; 512-bit keys are factored in hours on rented machines.
    /// Curves under 224 bits give less than 112 bits of security.
    ///
    /// ## Example
    /// ```python
    /// from cryptography.hazmat.primitives.asymmetric import rsa
    /// private_key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
    /// private_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    /// signing_key = ed25519.Ed25519PrivateKey.generate()
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: a bigger key is slower, produces bigger signatures, and a peer with a hard
    /// limit may refuse it. The fix writes 3072 bits (or the P-256 curve).
    ///
    /// ## References
    /// CWE-326 · OWASP A02
    pub WEAK_KEY_SIZE = RuleMeta {
        id: "PV407",
        name: "weak-key-size",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[326],
        owasp: Owasp::A02,
        guideline: "cryptography",
        sources: &[Source::Bandit("B505"), Source::Ruff("S505")],
        fix: FixAvailability::Sometimes,
        in_tests: InTests::Skip,
    }
}

pub static RULE: Rule = Rule {
    meta: &WEAK_KEY_SIZE,
    checks: &[Check::Callee(check_call)],
    needs: &["cryptography", "Crypto", "Cryptodome", "paramiko"],
};

const MINIMUM_BITS: i64 = 2048;
const WEAK_CURVES: &[&str] = &["SECP192R1", "SECT163K1", "SECT163R2"];
const WEAK_CURVE_NAMES: &[&str] = &["p192", "p-192", "nist p-192", "secp192r1", "prime192v1"];

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    let semantic = checker.semantic();
    let (algorithm, size) = match function.segments() {
        ["cryptography", "hazmat", "primitives", "asymmetric", "rsa", "generate_private_key"] => {
            ("RSA", argument(call, 1, "key_size"))
        }
        ["cryptography", "hazmat", "primitives", "asymmetric", "dsa", "generate_private_key" | "generate_parameters"] => {
            ("DSA", argument(call, 0, "key_size"))
        }
        ["cryptography", "hazmat", "primitives", "asymmetric", "dh", "generate_parameters"] => {
            ("Diffie-Hellman", argument(call, 1, "key_size"))
        }
        ["Crypto" | "Cryptodome", "PublicKey", algorithm @ ("RSA" | "DSA"), "generate"] => {
            (*algorithm, argument(call, 0, "bits"))
        }
        ["paramiko", "RSAKey" | "DSSKey", "generate"]
        | ["paramiko", _, "RSAKey" | "DSSKey", "generate"] => {
            ("RSA/DSA", argument(call, 0, "bits"))
        }
        ["cryptography", "hazmat", "primitives", "asymmetric", "ec", curve]
            if WEAK_CURVES.contains(curve) =>
        {
            return report_curve(checker, call, curve);
        }
        ["cryptography", "hazmat", "primitives", "asymmetric", "ec", "generate_private_key"] => {
            return check_curve_class(checker, argument(call, 0, "curve"));
        }
        ["cryptography", "hazmat", "primitives", "asymmetric", "ec", "derive_private_key"] => {
            return check_curve_class(checker, argument(call, 1, "curve"));
        }
        ["Crypto" | "Cryptodome", "PublicKey", "ECC", "generate"] => {
            let Some(curve) =
                argument(call, 0, "curve").and_then(|curve| semantic.constant_string(curve))
            else {
                return;
            };
            if WEAK_CURVE_NAMES.contains(&curve.to_ascii_lowercase().as_str()) {
                report_curve(checker, call, &curve);
            }
            return;
        }
        _ => return,
    };
    let Some(size) = size else {
        return;
    };
    let Some(bits) = constant_int(semantic, size).filter(|bits| *bits < MINIMUM_BITS) else {
        return;
    };
    let message = format!(
        "A {bits}-bit {algorithm} key can be broken with today's resources; use at least 2048 bits (3072 for long-lived keys)"
    );
    let fix = matches!(size, Expr::NumberLiteral(_)).then(|| {
        Fix::unsafe_edits(
            "Use a 3072-bit key",
            vec![Edit::replace(size.range(), "3072")],
        )
    });
    checker.report(Finding::new(&WEAK_KEY_SIZE, size.range(), message).with_fix(fix));
}

/// `ec.generate_private_key(ec.SECT163R2)`: the class itself, not an instance. A called
/// curve (`ec.SECT163R2()`) is reported as its own call.
fn check_curve_class<'a>(checker: &Checker<'a>, curve: Option<&'a Expr>) {
    let Some(curve @ (Expr::Attribute(_) | Expr::Name(_))) = curve else {
        return;
    };
    let Some(qualified) = checker.semantic().resolve_qualified_name(curve) else {
        return;
    };
    let ["cryptography", "hazmat", "primitives", "asymmetric", "ec", name] = qualified.segments()
    else {
        return;
    };
    if !WEAK_CURVES.contains(name) {
        return;
    }
    // The fix passes an instance, as the library wants.
    let fix = match curve {
        Expr::Attribute(attribute) => Some(curve_fix(attribute, "SECP256R1()")),
        _ => None,
    };
    report_weak_curve(checker, curve.range(), name, fix);
}

fn report_curve(checker: &Checker, call: &ast::ExprCall, curve: &str) {
    let fix = match &*call.func {
        Expr::Attribute(attribute) if call.arguments.is_empty() => {
            Some(curve_fix(attribute, "SECP256R1"))
        }
        _ => None,
    };
    report_weak_curve(checker, call.range(), curve, fix);
}

fn report_weak_curve(checker: &Checker, range: TextRange, curve: &str, fix: Option<Fix>) {
    let message = format!(
        "The {curve} curve gives less than 112 bits of security; use P-256 (`SECP256R1`), X25519 or Ed25519"
    );
    checker.report(Finding::new(&WEAK_KEY_SIZE, range, message).with_fix(fix));
}

fn curve_fix(attribute: &ast::ExprAttribute, replacement: &str) -> Fix {
    Fix::unsafe_edits(
        "Use the P-256 curve",
        vec![Edit::replace(attribute.attr.range(), replacement)],
    )
}
