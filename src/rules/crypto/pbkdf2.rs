//! PBKDF2 calls and what is wrong with them: too few iterations, a constant salt.

use crate::checker::Checker;
use crate::parse::ast::{self, Expr};
use crate::parse::{Ranged, TextRange};
use crate::semantic::{argument, QualifiedName};

use super::values::{constant_int, is_constant_bytes};

/// One thing wrong with a PBKDF2 call.
pub struct Problem {
    pub range: TextRange,
    pub message: String,
    /// A literal iteration count and the count to suggest instead.
    pub replacement: Option<(TextRange, String)>,
    /// The weakness: too little work per guess (CWE-916), or a predictable salt (CWE-760).
    pub cwe: &'static [u32],
}

/// How a PBKDF2 call passes its parameters.
struct Shape<'a> {
    function: &'static str,
    /// Lowercase hash name (`sha256`) when known.
    algorithm: Option<String>,
    salt: Option<&'a Expr>,
    iterations: Option<&'a Expr>,
    /// The count used when none is passed (PyCryptodome's `PBKDF2` defaults to 1,000).
    default_iterations: Option<i64>,
}

fn shape<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    function: &QualifiedName,
) -> Option<Shape<'a>> {
    let semantic = checker.semantic();
    match function.segments() {
        ["hashlib", "pbkdf2_hmac"] => Some(Shape {
            function: "hashlib.pbkdf2_hmac",
            algorithm: argument(call, 0, "hash_name")
                .and_then(|name| semantic.constant_string(name)),
            salt: argument(call, 2, "salt"),
            iterations: argument(call, 3, "iterations"),
            default_iterations: None,
        }),
        ["cryptography", "hazmat", "primitives", "kdf", "pbkdf2", "PBKDF2HMAC"] => Some(Shape {
            function: "PBKDF2HMAC",
            algorithm: argument(call, 0, "algorithm").and_then(|algorithm| {
                let Expr::Call(constructor) = algorithm else {
                    return None;
                };
                let name = semantic.resolve_qualified_name(&constructor.func)?;
                name.segments().last().map(|last| last.to_string())
            }),
            salt: argument(call, 2, "salt"),
            iterations: argument(call, 3, "iterations"),
            default_iterations: None,
        }),
        ["Crypto" | "Cryptodome", "Protocol", "KDF", "PBKDF2"] => Some(Shape {
            function: "PBKDF2",
            algorithm: Some(
                argument(call, 5, "hmac_hash_module")
                    .and_then(|module| semantic.resolve_qualified_name(module))
                    .and_then(|name| name.segments().last().map(|last| last.to_string()))
                    .unwrap_or_else(|| "sha1".to_string()),
            ),
            salt: argument(call, 1, "salt"),
            iterations: argument(call, 3, "count"),
            default_iterations: Some(1000),
        }),
        _ => None,
    }
    .map(|shape| Shape {
        algorithm: shape
            .algorithm
            .map(|name| name.to_ascii_lowercase().replace('-', "")),
        ..shape
    })
}

/// OWASP's current minimums for PBKDF2 (Password Storage Cheat Sheet, 2023).
fn minimum_iterations(algorithm: Option<&str>) -> i64 {
    match algorithm {
        Some("sha1") => 1_300_000,
        Some("sha256" | "sha224") => 600_000,
        _ => 210_000,
    }
}

/// What is wrong with a PBKDF2 call, if it is one.
pub fn problems<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    function: &QualifiedName,
) -> Vec<Problem> {
    let Some(shape) = shape(checker, call, function) else {
        return Vec::new();
    };
    let semantic = checker.semantic();
    let mut problems = Vec::new();
    let function = shape.function;
    let minimum = minimum_iterations(shape.algorithm.as_deref());
    let hash = shape
        .algorithm
        .as_deref()
        .map(|name| format!(" of {}", super::hash_use::display_name(name)))
        .unwrap_or_default();
    let count = match shape.iterations {
        Some(iterations) => {
            constant_int(semantic, iterations).map(|count| (count, iterations.range()))
        }
        None => shape.default_iterations.map(|count| (count, call.range())),
    };
    if let Some((count, range)) = count.filter(|(count, _)| *count < minimum) {
        let literal = shape
            .iterations
            .filter(|iterations| matches!(iterations, Expr::NumberLiteral(_)));
        problems.push(Problem {
            range,
            message: format!(
                "`{function}` runs {count} iterations{hash}, below the {} that make each password guess slow; raise it, or use Argon2id",
                group_thousands(minimum)
            ),
            replacement: literal.map(|literal| (literal.range(), underscored(minimum))),
            cwe: &[916],
        });
    }
    if let Some(salt) = shape.salt.filter(|salt| is_constant_bytes(semantic, salt)) {
        problems.push(Problem {
            range: salt.range(),
            message: format!(
                "`{function}` uses a constant salt, so one precomputed table cracks every password; use `os.urandom(16)` per password"
            ),
            replacement: None,
            cwe: &[760],
        });
    }
    problems
}

fn group_thousands(number: i64) -> String {
    underscored(number).replace('_', ",")
}

/// `600000` → `600_000`.
fn underscored(number: i64) -> String {
    let digits = number.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push('_');
        }
        out.push(digit);
    }
    out
}
