use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, BindingKind, QualifiedName};

declare_rule! {
    /// ## What it does
    /// Flags block ciphers in ECB mode: pyca/cryptography's `modes.ECB()`, PyCryptodome's
    /// `AES.MODE_ECB` (any cipher module), and PyCrypto's `AES.new(key)` without a mode,
    /// which means ECB there (PyCryptodome refuses to run it).
    ///
    /// ## Why is this bad?
    /// ECB encrypts each block on its own, so equal plaintext blocks give equal ciphertext
    /// blocks: the structure of the data shows through (the famous encrypted penguin), and
    /// blocks can be cut, reordered and pasted between messages without the key.
    ///
    /// ## Example
    /// ```python
    /// from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    /// encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import os
    /// from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    /// nonce = os.urandom(12)
    /// ciphertext = nonce + AESGCM(key).encrypt(nonce, plaintext, None)
    /// ```
    ///
    /// ## References
    /// CWE-327 · OWASP A02
    pub ECB_MODE = RuleMeta {
        id: "PV405",
        name: "ecb-mode",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[327],
        owasp: Owasp::A02,
        guideline: "cryptography",
        sources: &[Source::Bandit("B305"), Source::Ruff("S305")],
        fix: FixAvailability::None,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &ECB_MODE,
    checks: &[Check::Callee(check_call), Check::Expr(check_mode_constant)],
    needs: &["cryptography", "Crypto", "Cryptodome"],
};

const MESSAGE: &str = "ECB mode encrypts equal blocks to equal ciphertext, so patterns in the data show through; use AES-GCM or ChaCha20-Poly1305";

/// PyCrypto block ciphers whose `new()` defaults to ECB.
const BLOCK_CIPHERS: &[&str] = &["AES", "DES", "DES3", "Blowfish", "CAST", "ARC2"];

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    match function.segments() {
        ["cryptography", "hazmat", "primitives", "ciphers", "modes", "ECB"] => {
            checker.report(Finding::new(&ECB_MODE, call.range(), MESSAGE));
        }
        ["Crypto", "Cipher", cipher, "new"] if BLOCK_CIPHERS.contains(cipher) => {
            let has_mode = argument(call, 1, "mode").is_some()
                || call.arguments.args.iter().any(Expr::is_starred_expr)
                || call
                    .arguments
                    .keywords
                    .iter()
                    .any(|keyword| keyword.arg.is_none());
            if !has_mode {
                let message = format!("`{cipher}.new` without a mode is ECB in PyCrypto; use AES-GCM or ChaCha20-Poly1305");
                checker.report(Finding::new(&ECB_MODE, call.range(), message));
            }
        }
        _ => {}
    }
}

/// `AES.MODE_ECB`, `from Crypto.Cipher.AES import MODE_ECB`.
fn check_mode_constant<'a>(checker: &Checker<'a>, expr: &'a Expr) {
    let is_reference = match expr {
        Expr::Attribute(attribute) => attribute.attr.id.as_str() == "MODE_ECB",
        Expr::Name(name) => {
            name.id.as_str() == "MODE_ECB"
                && checker
                    .semantic()
                    .binding_of(name)
                    .is_some_and(|binding| matches!(binding.kind, BindingKind::Import(_)))
        }
        _ => false,
    };
    if !is_reference {
        return;
    }
    let is_ecb = checker
        .semantic()
        .resolve_qualified_name(expr)
        .is_some_and(|name| {
            matches!(
                name.segments(),
                ["Crypto" | "Cryptodome", "Cipher", _, "MODE_ECB"]
            )
        });
    if is_ecb {
        checker.report(Finding::new(&ECB_MODE, expr.range(), MESSAGE));
    }
}
