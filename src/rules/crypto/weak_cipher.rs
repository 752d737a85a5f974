use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity};
use crate::parse::ast;
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::QualifiedName;

declare_rule! {
    /// ## What it does
    /// Flags ciphers that are broken or past their time: DES, Triple DES, RC4 (`ARC4`), RC2
    /// (`ARC2`), Blowfish, CAST, IDEA and PyCrypto's `XOR`, from PyCryptodome/PyCrypto
    /// (`Crypto.Cipher`, `Cryptodome.Cipher`), pyca/cryptography (`algorithms.TripleDES`,
    /// also under `decrepit`) and pyDes.
    ///
    /// ## Why is this bad?
    /// DES keys are 56 bits: a brute-force search takes about a day. Triple DES, Blowfish,
    /// CAST, IDEA and RC2 work on 64-bit blocks, which start to repeat after a few dozen
    /// gigabytes under one key and leak plaintext (the Sweet32 attack). RC4's keystream is
    /// biased enough to recover plaintext from many encryptions.
    ///
    /// ## Example
    /// ```python
    /// from Crypto.Cipher import DES
    /// cipher = DES.new(key, DES.MODE_CBC, iv)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    /// ciphertext = AESGCM(key).encrypt(nonce, plaintext, associated_data)
    /// ```
    ///
    /// ## References
    /// CWE-327 · OWASP A02
    pub WEAK_CIPHER = RuleMeta {
        id: "PV404",
        name: "weak-cipher",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[327],
        owasp: Owasp::A02,
        guideline: "cryptography",
        sources: &[Source::Bandit("B304"), Source::Ruff("S304")],
        fix: FixAvailability::None,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &WEAK_CIPHER,
    checks: &[Check::Callee(check_call)],
    needs: &["Crypto", "Cryptodome", "cryptography", "pyDes"],
};

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, function: &QualifiedName<'a>) {
    let cipher = match function.segments() {
        ["Crypto" | "Cryptodome", "Cipher", cipher, "new"] => *cipher,
        ["cryptography", "hazmat", "primitives" | "decrepit", "ciphers", "algorithms", cipher] => {
            *cipher
        }
        ["pyDes", "des"] => "DES",
        ["pyDes", "triple_des"] => "DES3",
        _ => return,
    };
    let sweet32 = "has 64-bit blocks, which leak plaintext once a few dozen gigabytes are encrypted under one key";
    let weakness = match cipher {
        "DES" => "DES has a 56-bit key that can be brute-forced in about a day".to_string(),
        "DES3" | "TripleDES" => format!("Triple DES {sweet32}"),
        "Blowfish" | "IDEA" => format!("{cipher} {sweet32}"),
        "CAST" | "CAST5" => format!("CAST5 {sweet32}"),
        "ARC2" => "RC2 has 64-bit blocks and a weak key schedule".to_string(),
        "ARC4" => {
            "RC4's keystream is biased, so repeated encryptions reveal the plaintext".to_string()
        }
        "XOR" => "XOR with a repeating key is not encryption".to_string(),
        _ => return,
    };
    let message = format!("{weakness}; use AES-GCM or ChaCha20-Poly1305");
    checker.report(Finding::new(&WEAK_CIPHER, call.range(), message));
}
