use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, keyword};

use super::cipher_use::{cipher_use, CipherUse};
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
    /// ## Fix safety
    /// The fix puts `os.urandom(n)` in place of the fixed value, `n` being the size the
    /// cipher and mode expect (16 bytes for an AES-CBC, CFB or OFB IV and a pyca CTR nonce,
    /// 12 for GCM and ChaCha20-Poly1305, 8 for 64-bit block ciphers). It is unsafe: the
    /// IV or nonce is then different for every message, so it must be stored beside the
    /// ciphertext (PyCryptodome's `cipher.iv` / `cipher.nonce`, pyca's `cipher.mode`) for the
    /// message to be decrypted again; the fix cannot write that part. It is offered where
    /// the cipher object is kept in a name inside a function and encrypts one message.
    /// Where it decrypts, the rewrite is only shown (decrypting with a random IV reads
    /// garbage), and so it is where the object lives at module level or encrypts in a loop
    /// (its one random IV would be shared by many messages). It is also only shown for
    /// `AESGCM(key).encrypt(nonce, ...)`, where a nonce made inside the call is lost.
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
        fix: FixAvailability::Sometimes,
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
    /// How many random bytes replace it, when the cipher and mode say.
    size: Option<u8>,
    /// The call that builds the cipher object, to see whether it encrypts; `None` when the
    /// value is lost once used (an AEAD `encrypt` call).
    cipher: Option<&'a ast::ExprCall>,
}

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let semantic = checker.semantic();
    let Some(parameters) = parameters(checker, call) else {
        return;
    };
    let Parameters {
        value,
        kind,
        key,
        size,
        cipher,
    } = parameters;
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
    let fix = size.and_then(|size| random_bytes_fix(checker, value, kind, size, cipher));
    checker.report(Finding::new(&STATIC_IV, value.range(), message).with_fix(fix));
}

fn random_bytes_fix<'a>(
    checker: &Checker<'a>,
    value: &'a Expr,
    kind: &str,
    size: u8,
    cipher: Option<&'a ast::ExprCall>,
) -> Option<Fix> {
    let (os, import) = checker.import_module("os", value.start());
    let mut edits = vec![Edit::replace(
        value.range(),
        format!("{os}.urandom({size})"),
    )];
    edits.extend(import);
    let title = format!("Use a random {kind} (`os.urandom({size})`), stored with the ciphertext");
    Some(match cipher.map(|cipher| cipher_use(checker, cipher)) {
        Some(CipherUse::Encrypt) => Fix::unsafe_edits(title, edits),
        _ => Fix::display_only(title, edits),
    })
}

fn parameters<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<Parameters<'a>> {
    let semantic = checker.semantic();
    let origin = semantic.resolve_value_origin(&call.func)?;
    match origin.segments() {
        ["Crypto" | "Cryptodome", "Cipher", module, "new"] => {
            let key = argument(call, 0, "key");
            let mode = argument(call, 1, "mode")
                .and_then(|mode| semantic.resolve_qualified_name(mode))
                .and_then(|mode| mode.segments().last().copied());
            if let Some(nonce) = keyword(call, "nonce") {
                return Some(Parameters {
                    value: &nonce.value,
                    kind: "nonce",
                    key,
                    size: pycryptodome_nonce_size(module, mode),
                    cipher: Some(call),
                });
            }
            let value = argument(call, 2, "iv")?;
            let size = match mode {
                Some("MODE_CBC" | "MODE_CFB" | "MODE_OFB") => block_size(module),
                _ => None,
            };
            Some(Parameters {
                value,
                kind: "IV",
                key,
                size,
                cipher: Some(call),
            })
        }
        ["cryptography", "hazmat", "primitives", "ciphers", "modes", mode] => {
            let (name, kind) = match *mode {
                "CBC" | "CFB" | "CFB8" | "OFB" => ("initialization_vector", "IV"),
                "CTR" | "GCM" => ("nonce", "nonce"),
                _ => return None,
            };
            let cipher = checker.ancestors().argument_of();
            let size = match *mode {
                "GCM" => Some(12),
                _ => cipher.and_then(|cipher| pyca_block_size(checker, cipher)),
            };
            Some(Parameters {
                value: argument(call, 0, name)?,
                kind,
                key: cipher_key(checker),
                size,
                cipher,
            })
        }
        ["cryptography", "hazmat", "primitives", "ciphers", "algorithms", "ChaCha20"] => {
            Some(Parameters {
                value: argument(call, 1, "nonce")?,
                kind: "nonce",
                key: argument(call, 0, "key"),
                // pyca's ChaCha20 takes the 4-byte counter and the 12-byte nonce together.
                size: Some(16),
                cipher: checker.ancestors().argument_of(),
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
                // 12 bytes suits all four (AES-CCM takes 7 to 13, OCB3 12 to 15).
                size: Some(12),
                cipher: None,
            })
        }
        _ => None,
    }
}

/// The block size of a PyCryptodome cipher module, in bytes.
fn block_size(module: &str) -> Option<u8> {
    match module {
        "AES" => Some(16),
        "DES" | "DES3" | "Blowfish" | "CAST" | "ARC2" => Some(8),
        _ => None,
    }
}

/// The nonce size a PyCryptodome cipher and mode expect.
fn pycryptodome_nonce_size(module: &str, mode: Option<&str>) -> Option<u8> {
    match (module, mode) {
        ("ChaCha20" | "ChaCha20_Poly1305", _) => Some(12),
        ("Salsa20", _) => Some(8),
        ("AES", Some("MODE_GCM")) => Some(12),
        ("AES", Some("MODE_EAX" | "MODE_SIV")) => Some(16),
        ("AES", Some("MODE_CCM")) => Some(11),
        ("AES", Some("MODE_OCB")) => Some(15),
        // The counter block is the nonce followed by the counter: half and half by default.
        (_, Some("MODE_CTR")) => block_size(module).map(|size| size / 2),
        _ => None,
    }
}

/// The block size of the algorithm in `Cipher(algorithms.AES(key), mode)`.
fn pyca_block_size<'a>(checker: &Checker<'a>, cipher: &'a ast::ExprCall) -> Option<u8> {
    let Expr::Call(algorithm) = argument(cipher, 0, "algorithm")? else {
        return None;
    };
    let name = checker.semantic().resolve_qualified_name(&algorithm.func)?;
    match *name.segments().last()? {
        "AES" | "AES128" | "AES256" | "Camellia" | "SM4" | "SEED" => Some(16),
        "TripleDES" | "Blowfish" | "CAST5" | "IDEA" => Some(8),
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
