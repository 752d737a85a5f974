use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, BindingKind, QualifiedName};

use super::cipher_use::{cipher_use, CipherUse};

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
    /// ## Fix safety
    /// For AES, the fix switches the mode to GCM: PyCryptodome's `AES.new(key, AES.MODE_ECB)`
    /// becomes `AES.new(key, AES.MODE_GCM)` (which draws a random nonce, `cipher.nonce`), and
    /// pyca/cryptography's `modes.ECB()` becomes `modes.GCM(os.urandom(12))` (read back as
    /// `cipher.mode.initialization_vector`, the tag as `encryptor.tag`). It is unsafe: the
    /// ciphertext format changes, and the nonce and the tag must be stored beside the
    /// ciphertext and checked when decrypting, which the fix cannot write. It is offered
    /// only where the cipher object is kept in a name inside a function and encrypts one
    /// message; where it decrypts existing data, is used once inline, is handed on, lives
    /// at module level or encrypts in a loop (one nonce for many messages would be worse
    /// than ECB), the rewrite is only shown. Other
    /// block ciphers (Triple DES, Blowfish) have no GCM mode and get no fix here, and
    /// `MODE_GCM` needs PyCryptodome (the old PyCrypto behind the same `Crypto` name lacks it).
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
        fix: FixAvailability::Sometimes,
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
            let fix = pyca_gcm_fix(checker, call);
            checker.report(Finding::new(&ECB_MODE, call.range(), MESSAGE).with_fix(fix));
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
        let fix = pycryptodome_gcm_fix(checker, expr);
        checker.report(Finding::new(&ECB_MODE, expr.range(), MESSAGE).with_fix(fix));
    }
}

const GCM_TITLE: &str = "Use AES-GCM (store the nonce and the tag with the ciphertext)";

/// `AES.new(key, AES.MODE_ECB)` → `AES.new(key, AES.MODE_GCM)`, through the `AES` the call
/// already names (GCM needs a 128-bit block cipher: AES only).
fn pycryptodome_gcm_fix<'a>(checker: &Checker<'a>, mode: &'a Expr) -> Option<Fix> {
    let call = checker.ancestors().argument_of()?;
    let is_mode = argument(call, 1, "mode").is_some_and(|argument| std::ptr::eq(argument, mode));
    let Expr::Attribute(new) = &*call.func else {
        return None;
    };
    let cipher = checker.semantic().resolve_qualified_name(&new.value)?;
    if !is_mode
        || !matches!(
            cipher.segments(),
            ["Crypto" | "Cryptodome", "Cipher", "AES"]
        )
    {
        return None;
    }
    let edit = Edit::replace(
        mode.range(),
        format!("{}.MODE_GCM", checker.text(&*new.value)),
    );
    Some(with_applicability(checker, call, vec![edit]))
}

/// `Cipher(algorithms.AES(key), modes.ECB())` → `Cipher(algorithms.AES(key),
/// modes.GCM(os.urandom(12)))`.
fn pyca_gcm_fix<'a>(checker: &Checker<'a>, ecb: &'a ast::ExprCall) -> Option<Fix> {
    let cipher = checker.ancestors().argument_of()?;
    let Some(Expr::Call(algorithm)) = argument(cipher, 0, "algorithm") else {
        return None;
    };
    let is_aes = checker
        .semantic()
        .resolve_qualified_name(&algorithm.func)
        .is_some_and(|name| name.segments().last() == Some(&"AES"));
    if !is_aes || !ecb.arguments.is_empty() {
        return None;
    }
    let at = ecb.start();
    let (modes, modes_import) =
        checker.import_module("cryptography.hazmat.primitives.ciphers.modes", at);
    let (os, os_import) = checker.import_module("os", at);
    let mut edits = vec![Edit::replace(
        ecb.range(),
        format!("{modes}.GCM({os}.urandom(12))"),
    )];
    edits.extend(modes_import);
    edits.extend(os_import);
    Some(with_applicability(checker, cipher, edits))
}

fn with_applicability<'a>(
    checker: &Checker<'a>,
    cipher: &'a ast::ExprCall,
    edits: Vec<Edit>,
) -> Fix {
    match cipher_use(checker, cipher) {
        CipherUse::Encrypt => Fix::unsafe_edits(GCM_TITLE, edits),
        CipherUse::EncryptInline | CipherUse::DecryptOrUnknown => {
            Fix::display_only(GCM_TITLE, edits)
        }
    }
}
