use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::QualifiedName;

declare_rule! {
    /// ## What it does
    /// Flags RSA encryption with PKCS #1 v1.5 padding: PyCryptodome's
    /// `Crypto.Cipher.PKCS1_v1_5.new(key)` and pyca/cryptography's `padding.PKCS1v15()`
    /// passed to `.encrypt(...)` or `.decrypt(...)`.
    ///
    /// PKCS #1 v1.5 *signatures* (`key.sign(data, padding.PKCS1v15(), ...)`) are not
    /// affected by the attack and stay clean.
    ///
    /// ## Why is this bad?
    /// A server that decrypts PKCS #1 v1.5 and reveals in any way (an error, a timing
    /// difference) whether the padding was valid is a padding oracle: Bleichenbacher's
    /// attack decrypts any ciphertext with a few thousand queries, and variants keep
    /// appearing (ROBOT, Marvin). OAEP does not have this weakness.
    ///
    /// ## Example
    /// ```python
    /// from cryptography.hazmat.primitives.asymmetric import padding
    /// ciphertext = public_key.encrypt(message, padding.PKCS1v15())
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from cryptography.hazmat.primitives import hashes
    /// from cryptography.hazmat.primitives.asymmetric import padding
    /// oaep = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
    /// ciphertext = public_key.encrypt(message, oaep)
    /// ```
    ///
    /// ## References
    /// CWE-780 · OWASP A02
    pub RSA_PKCS1V15_ENCRYPTION = RuleMeta {
        id: "PV409",
        name: "rsa-pkcs1v15-encryption",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[780],
        owasp: Owasp::A02,
        guideline: "cryptography",
        sources: &[],
        fix: FixAvailability::None,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &RSA_PKCS1V15_ENCRYPTION,
    checks: &[Check::Callee(check_call)],
    needs: &["cryptography", "Crypto", "Cryptodome"],
};

const MESSAGE: &str = "RSA encryption with PKCS #1 v1.5 padding is open to padding-oracle attacks that decrypt messages; use OAEP";

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    match function.segments() {
        ["Crypto" | "Cryptodome", "Cipher", "PKCS1_v1_5", "new"] => {
            checker.report(Finding::new(
                &RSA_PKCS1V15_ENCRYPTION,
                call.range(),
                MESSAGE,
            ));
        }
        ["cryptography", "hazmat", "primitives", "asymmetric", "padding", "PKCS1v15"] => {
            let used_to_encrypt = checker.ancestors().argument_of().is_some_and(|outer| {
                matches!(&*outer.func, Expr::Attribute(method) if matches!(method.attr.id.as_str(), "encrypt" | "decrypt"))
            });
            if used_to_encrypt {
                checker.report(Finding::new(
                    &RSA_PKCS1V15_ENCRYPTION,
                    call.range(),
                    MESSAGE,
                ));
            }
        }
        _ => {}
    }
}
