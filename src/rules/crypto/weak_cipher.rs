use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Edit, Finding, Fix, Severity};
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, spreads_arguments, QualifiedName};

use super::cipher_use::{cipher_use, CipherUse};

declare_rule! {
    /// ## What it does
    /// Flags ciphers that are broken or past their time: DES, Triple DES, RC4 (`ARC4`), RC2
    /// (`ARC2`), Blowfish, CAST, IDEA and PyCrypto's `XOR`, from PyCryptodome/PyCrypto
    /// (`Crypto.Cipher`, `Cryptodome.Cipher`), pyca/cryptography (`algorithms.TripleDES`,
    /// also under `decrepit`) and pyDes.
    ///
    /// pyca/cryptography's `algorithms.SEED` is reported with low severity: it has 128-bit
    /// blocks and no practical break, but the library deprecated it (38) and moved it to
    /// `decrepit` (43), the place for ciphers kept only to read old data.
    ///
    /// ## Why is this bad?
    /// DES keys are 56 bits: a brute-force search takes about a day. Triple DES, Blowfish,
    /// CAST, IDEA and RC2 work on 64-bit blocks, which start to repeat after a few dozen
    /// gigabytes under one key and leak plaintext (the Sweet32 attack). RC4's keystream is
    /// biased enough to recover plaintext from many encryptions. SEED is sound but left
    /// behind: few libraries and peers still speak it, and it is on its way out of
    /// cryptography.
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
    /// ## Fix safety
    /// The fix puts AES-GCM in place of the cipher: PyCryptodome's `DES3.new(key, mode, iv)`
    /// becomes `AES.new(key, AES.MODE_GCM)` (a random nonce is drawn, `cipher.nonce`), and
    /// pyca/cryptography's `Cipher(algorithms.TripleDES(key), mode)` becomes
    /// `Cipher(algorithms.AES(key), modes.GCM(os.urandom(12)))`. It is unsafe: the ciphertext
    /// format changes, and the nonce and the tag must be stored beside the ciphertext,
    /// which the fix cannot write. It is offered for Triple DES and SEED, whose 16- and
    /// 24-byte keys are AES keys too, where the cipher object is kept in a name inside a function and
    /// encrypts one message. Where it decrypts existing data, is used once inline, is
    /// handed on, lives at module level or encrypts in a loop, and for the other
    /// ciphers, whose keys do not fit AES (DES's 8 bytes, RC4's and Blowfish's any length),
    /// the rewrite is only shown. pyDes has no AES: no rewrite.
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
        fix: FixAvailability::Sometimes,
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
        "SEED" => "SEED has no practical break, but it is a legacy cipher: cryptography deprecated it and moved it to `decrepit`, kept for reading old data".to_string(),
        _ => return,
    };
    // Legacy rather than broken.
    let severity = if cipher == "SEED" {
        Severity::Low
    } else {
        Severity::High
    };
    let message = format!("{weakness}; use AES-GCM or ChaCha20-Poly1305");
    let fix = match function.segments() {
        [root @ ("Crypto" | "Cryptodome"), ..] => pycryptodome_fix(checker, call, root, cipher),
        ["cryptography", ..] => pyca_fix(checker, call, cipher),
        _ => None,
    };
    checker.report(
        Finding::new(&WEAK_CIPHER, call.range(), message)
            .with_severity(severity)
            .with_fix(fix),
    );
}

/// `DES3.new(key, DES3.MODE_CBC, iv)` → `AES.new(key, AES.MODE_GCM)`.
fn pycryptodome_fix<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    root: &str,
    cipher: &str,
) -> Option<Fix> {
    let spread = spreads_arguments(call);
    let key = argument(call, 0, "key").filter(|_| !spread)?;
    let (aes, import) = checker.import_module(&format!("{root}.Cipher.AES"), call.start());
    let mut edits = vec![Edit::replace(
        call.range(),
        format!("{aes}.new({}, {aes}.MODE_GCM)", checker.text(key)),
    )];
    edits.extend(import);
    Some(applicability(checker, call, cipher == "DES3", edits))
}

/// `Cipher(algorithms.TripleDES(key), modes.CBC(iv))` → `Cipher(algorithms.AES(key),
/// modes.GCM(os.urandom(12)))`.
fn pyca_fix<'a>(checker: &Checker<'a>, algorithm: &'a ast::ExprCall, cipher: &str) -> Option<Fix> {
    let outer = checker.ancestors().argument_of()?;
    let is_algorithm = argument(outer, 0, "algorithm").is_some_and(
        |argument| matches!(argument, Expr::Call(found) if std::ptr::eq(found, algorithm)),
    );
    let mode = argument(outer, 1, "mode")?;
    let key = argument(algorithm, 0, "key")?;
    if !is_algorithm || key.is_starred_expr() {
        return None;
    }
    let at = algorithm.start();
    let (algorithms, algorithms_import) =
        checker.import_module("cryptography.hazmat.primitives.ciphers.algorithms", at);
    let (modes, modes_import) =
        checker.import_module("cryptography.hazmat.primitives.ciphers.modes", at);
    let (os, os_import) = checker.import_module("os", at);
    let mut edits = vec![
        Edit::replace(
            algorithm.range(),
            format!("{algorithms}.AES({})", checker.text(key)),
        ),
        Edit::replace(mode.range(), format!("{modes}.GCM({os}.urandom(12))")),
    ];
    edits.extend(algorithms_import);
    edits.extend(modes_import);
    edits.extend(os_import);
    let key_fits_aes = matches!(cipher, "TripleDES" | "SEED");
    Some(applicability(checker, outer, key_fits_aes, edits))
}

/// Unsafe for Triple DES kept in a name that encrypts one message; shown otherwise.
fn applicability<'a>(
    checker: &Checker<'a>,
    cipher: &'a ast::ExprCall,
    key_fits_aes: bool,
    edits: Vec<Edit>,
) -> Fix {
    if key_fits_aes && cipher_use(checker, cipher) == CipherUse::Encrypt {
        Fix::unsafe_edits(
            "Use AES-GCM (store the nonce and the tag with the ciphertext)",
            edits,
        )
    } else {
        Fix::display_only(
            "Use AES-GCM with a 16, 24 or 32-byte key (store the nonce and the tag with the ciphertext)",
            edits,
        )
    }
}
