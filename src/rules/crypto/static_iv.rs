use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, keyword};

use super::values::is_constant_bytes;

declare_rule! {
    /// ## What it does
    /// Flags an IV or nonce fixed in the source (a bytes literal, `b"\x00" * 16`,
    /// `bytes(16)`, a module constant) or equal to the key: in PyCryptodome's
    /// `AES.new(key, mode, iv)` / `iv=` / `nonce=`, pyca/cryptography's `modes.CBC(iv)`,
    /// `modes.CTR`, `modes.GCM`, `algorithms.ChaCha20(key, nonce)`, and the nonce of
    /// `AESGCM(key).encrypt(nonce, ...)` and the other AEAD classes.
    ///
    /// ## Why is this bad?
    /// With a fixed IV, CBC encrypts equal messages to equal ciphertexts and shows where two
    /// messages start the same. With a fixed nonce, CTR, GCM and ChaCha20 reuse their
    /// keystream: the XOR of two ciphertexts is the XOR of the plaintexts, and GCM's
    /// authentication key leaks, so messages can be forged. Using the key as the IV lets
    /// an attacker who can get one message decrypted recover the key.
    ///
    /// ## Example
    /// ```python
    /// from Crypto.Cipher import AES
    /// cipher = AES.new(key, AES.MODE_CBC, iv=b"0000000000000000")
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
    /// CWE-329, CWE-323, CWE-1204 · OWASP A02
    pub STATIC_IV = RuleMeta {
        id: "PV406",
        name: "static-iv",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[329, 323, 1204],
        owasp: Owasp::A02,
        guideline: "cryptography",
        sources: &[],
        fix: FixAvailability::None,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &STATIC_IV,
    checks: &[Check::Call(check_call)],
    needs: &["Crypto", "Cryptodome", "cryptography"],
};

/// Which value a cipher call takes, and the key it should differ from.
struct Parameters<'a> {
    value: &'a Expr,
    /// "IV" or "nonce", for the message.
    kind: &'static str,
    key: Option<&'a Expr>,
}

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let semantic = checker.semantic();
    let Some(parameters) = parameters(checker, call) else {
        return;
    };
    let Parameters { value, kind, key } = parameters;
    let message = if key.is_some_and(|key| same_name(key, value)) {
        format!("The key doubles as the {kind}, which can let an attacker recover the key; use a fresh random {kind} per message")
    } else if is_constant_bytes(semantic, value) {
        match kind {
            "nonce" => "The nonce is a constant, so every message reuses the keystream and leaks the XOR of plaintexts; use a fresh random nonce per message".to_string(),
            _ => "The IV is a constant, so equal plaintexts encrypt to equal ciphertexts; use a fresh random IV (`os.urandom(16)`) per message".to_string(),
        }
    } else {
        return;
    };
    checker.report(Finding::new(&STATIC_IV, value.range(), message));
}

fn parameters<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<Parameters<'a>> {
    let semantic = checker.semantic();
    let origin = semantic.resolve_value_origin(&call.func)?;
    match origin.segments() {
        ["Crypto" | "Cryptodome", "Cipher", _, "new"] => {
            let key = argument(call, 0, "key");
            if let Some(nonce) = keyword(call, "nonce") {
                return Some(Parameters {
                    value: &nonce.value,
                    kind: "nonce",
                    key,
                });
            }
            let value = argument(call, 2, "iv")?;
            Some(Parameters {
                value,
                kind: "IV",
                key,
            })
        }
        ["cryptography", "hazmat", "primitives", "ciphers", "modes", mode] => {
            let (name, kind) = match *mode {
                "CBC" | "CFB" | "CFB8" | "OFB" => ("initialization_vector", "IV"),
                "CTR" | "GCM" => ("nonce", "nonce"),
                _ => return None,
            };
            let key = cipher_key(checker);
            Some(Parameters {
                value: argument(call, 0, name)?,
                kind,
                key,
            })
        }
        ["cryptography", "hazmat", "primitives", "ciphers", "algorithms", "ChaCha20"] => {
            Some(Parameters {
                value: argument(call, 1, "nonce")?,
                kind: "nonce",
                key: argument(call, 0, "key"),
            })
        }
        ["cryptography", "hazmat", "primitives", "ciphers", "aead", aead, "()", "encrypt"]
            if matches!(*aead, "AESGCM" | "ChaCha20Poly1305" | "AESCCM" | "AESOCB3") =>
        {
            let Expr::Attribute(method) = &*call.func else {
                return None;
            };
            let key = match &*method.value {
                Expr::Call(constructor) => argument(constructor, 0, "key"),
                _ => None,
            };
            Some(Parameters {
                value: argument(call, 0, "nonce")?,
                kind: "nonce",
                key,
            })
        }
        _ => None,
    }
}

/// In `Cipher(algorithms.AES(key), modes.CBC(iv))`, the `key` next to the mode being checked.
fn cipher_key<'a>(checker: &Checker<'a>) -> Option<&'a Expr> {
    let cipher = checker.ancestors().argument_of()?;
    let Expr::Call(algorithm) = argument(cipher, 0, "algorithm")? else {
        return None;
    };
    argument(algorithm, 0, "key")
}

fn same_name(a: &Expr, b: &Expr) -> bool {
    match (a, b) {
        (Expr::Name(a), Expr::Name(b)) => a.id == b.id,
        (Expr::Attribute(a), Expr::Attribute(b)) => {
            a.attr.id == b.attr.id && same_name(&a.value, &b.value)
        }
        _ => false,
    }
}
