use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::QualifiedName;

use super::cipher_use::{cipher_use, CipherUse};

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
    /// ## Fix safety
    /// The fix writes OAEP: pyca/cryptography's `padding.PKCS1v15()` becomes
    /// `padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(),
    /// label=None)` (importing `hashes` when needed), and PyCryptodome's
    /// `PKCS1_v1_5.new(key)` becomes `PKCS1_OAEP.new(key)` (OAEP with SHA-1, its default and
    /// the most widely understood). It is unsafe: the receiver must decrypt with the same
    /// OAEP settings, and OAEP fits less in one block (190 bytes with a 2048-bit key and
    /// SHA-256, against 245). Where the padding decrypts, or where we cannot see that the
    /// cipher only encrypts (a PyCryptodome cipher kept at module level or handed on), the
    /// rewrite is only shown: messages already encrypted with
    /// PKCS #1 v1.5 do not decrypt with OAEP (and PyCryptodome's `decrypt` loses its
    /// `sentinel` argument).
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
        fix: FixAvailability::Sometimes,
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
        [root @ ("Crypto" | "Cryptodome"), "Cipher", "PKCS1_v1_5", "new"] => {
            let fix = pycryptodome_oaep_fix(checker, call, root);
            checker.report(
                Finding::new(&RSA_PKCS1V15_ENCRYPTION, call.range(), MESSAGE).with_fix(fix),
            );
        }
        ["cryptography", "hazmat", "primitives", "asymmetric", "padding", "PKCS1v15"] => {
            let Some(method) =
                checker
                    .ancestors()
                    .argument_of()
                    .and_then(|outer| match &*outer.func {
                        Expr::Attribute(method) => Some(method.attr.id.as_str()),
                        _ => None,
                    })
            else {
                return;
            };
            if matches!(method, "encrypt" | "decrypt") {
                let fix = pyca_oaep_fix(checker, call, method == "encrypt");
                checker.report(
                    Finding::new(&RSA_PKCS1V15_ENCRYPTION, call.range(), MESSAGE).with_fix(fix),
                );
            }
        }
        _ => {}
    }
}

const OAEP_TITLE: &str = "Use OAEP padding (the receiver must decrypt with OAEP too)";

/// `PKCS1_v1_5.new(key)` → `PKCS1_OAEP.new(key)`.
fn pycryptodome_oaep_fix<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    root: &str,
) -> Option<Fix> {
    let (oaep, import) = checker.import_module(&format!("{root}.Cipher.PKCS1_OAEP"), call.start());
    let mut edits = vec![Edit::replace(call.func.range(), format!("{oaep}.new"))];
    edits.extend(import);
    Some(match cipher_use(checker, call) {
        CipherUse::Encrypt | CipherUse::EncryptInline => Fix::unsafe_edits(OAEP_TITLE, edits),
        CipherUse::DecryptOrUnknown => Fix::display_only(OAEP_TITLE, edits),
    })
}

/// `padding.PKCS1v15()` → `padding.OAEP(mgf=padding.MGF1(...), algorithm=..., label=None)`.
fn pyca_oaep_fix(checker: &Checker, call: &ast::ExprCall, encrypts: bool) -> Option<Fix> {
    if !call.arguments.is_empty() {
        return None;
    }
    let at = call.start();
    let (padding, padding_import) =
        checker.import_module("cryptography.hazmat.primitives.asymmetric.padding", at);
    let (hashes, hashes_import) =
        checker.import_module("cryptography.hazmat.primitives.hashes", at);
    let mut edits = vec![Edit::replace(
        call.range(),
        format!(
            "{padding}.OAEP(mgf={padding}.MGF1(algorithm={hashes}.SHA256()), algorithm={hashes}.SHA256(), label=None)"
        ),
    )];
    edits.extend(padding_import);
    edits.extend(hashes_import);
    Some(if encrypts {
        Fix::unsafe_edits(OAEP_TITLE, edits)
    } else {
        Fix::display_only(OAEP_TITLE, edits)
    })
}
