//! Which calls compute a plain (fast) digest, with which algorithm, over what data, and for
//! what: shared by `weak-hash` and `password-weak-hash` so a password hashed with MD5 is
//! reported once, as a password problem.

use crate::checker::Checker;
use crate::parse::ast::{self, Expr};
use crate::parse::Ranged;
use crate::semantic::{argument, keyword, QualifiedName};

use super::destination::{destination, Destination};
use super::names::{is_password_hash_name, is_password_name, name_of};
use super::values::{is_false, single_assignment};

/// Algorithms with practical collision attacks.
const BROKEN: &[&str] = &["md5", "sha1", "md4", "md2", "sha", "md5-sha1", "md5_sha1"];

/// `hashlib` constructors of fast digests (all of them are too fast for passwords).
const HASHLIB_FAST: &[&str] = &[
    "md5",
    "sha1",
    "sha224",
    "sha256",
    "sha384",
    "sha512",
    "sha512_224",
    "sha512_256",
    "sha3_224",
    "sha3_256",
    "sha3_384",
    "sha3_512",
    "blake2b",
    "blake2s",
];

/// PyCryptodome hash modules.
const PYCRYPTODOME_FAST: &[&str] = &[
    "MD2", "MD4", "MD5", "SHA1", "SHA", "SHA224", "SHA256", "SHA384", "SHA512", "SHA3_224",
    "SHA3_256", "SHA3_384", "SHA3_512", "BLAKE2b", "BLAKE2s",
];

/// Where a digest call comes from; the fixes differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Library {
    /// `hashlib.md5(...)`, `from hashlib import md5`.
    Hashlib,
    /// `hashlib.new("md5", ...)`.
    HashlibNew,
    /// `Crypto.Hash.MD5.new(...)` (PyCryptodome).
    Pycryptodome,
    /// `hashes.MD5()` (pyca/cryptography): no data, used inside `Hash`, signatures, HMAC.
    Cryptography,
}

/// A call that makes a fast digest.
pub struct HashCall<'a> {
    pub call: &'a ast::ExprCall,
    /// Lowercase: `md5`, `sha256`.
    pub algorithm: String,
    pub library: Library,
    /// The data hashed by the call itself, if any.
    pub data: Option<&'a Expr>,
}

impl HashCall<'_> {
    pub fn is_broken(&self) -> bool {
        BROKEN.contains(&self.algorithm.as_str())
    }
}

/// The modules a digest can come from: the hash rules need one of them imported.
pub const HASH_MODULES: &[&str] = &["hashlib", "Crypto", "Cryptodome", "cryptography"];

/// The digest a call makes, unless it says `usedforsecurity=False`.
pub fn hash_call<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    function: &QualifiedName<'a>,
) -> Option<HashCall<'a>> {
    let semantic = checker.semantic();
    let (algorithm, library, data) = match function.segments() {
        ["hashlib", algorithm] if HASHLIB_FAST.contains(algorithm) => (
            (*algorithm).to_string(),
            Library::Hashlib,
            data_argument(call, 0),
        ),
        ["hashlib", "new"] => {
            let name = semantic.constant_string(argument(call, 0, "name")?)?;
            (
                name.to_ascii_lowercase(),
                Library::HashlibNew,
                data_argument(call, 1),
            )
        }
        ["Crypto" | "Cryptodome", "Hash", module, "new"] if PYCRYPTODOME_FAST.contains(module) => (
            module.to_ascii_lowercase(),
            Library::Pycryptodome,
            argument(call, 0, "data"),
        ),
        ["cryptography", "hazmat", "primitives", "hashes", algorithm] => {
            let algorithm = algorithm.to_ascii_lowercase();
            if !HASHLIB_FAST.contains(&algorithm.as_str()) {
                return None;
            }
            (algorithm, Library::Cryptography, None)
        }
        _ => return None,
    };
    if keyword(call, "usedforsecurity").is_some_and(|flag| is_false(semantic, &flag.value)) {
        return None;
    }
    Some(HashCall {
        call,
        algorithm,
        library,
        data,
    })
}

fn data_argument(call: &ast::ExprCall, position: usize) -> Option<&Expr> {
    argument(call, position, "data").or_else(|| keyword(call, "string").map(|k| &k.value))
}

/// How a digest is used, as far as names tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose<'a> {
    /// It hashes a password, or is stored as one: the `password-weak-hash` case.
    Password(&'a str),
    /// It becomes a cache key, an ETag, a shard number.
    NotSecurity(&'a str),
    Unknown,
}

/// Reads the purpose of a digest (the call being checked) from its data and from where its
/// result goes.
pub fn purpose<'a>(checker: &Checker<'a>, hash: &HashCall<'a>) -> Purpose<'a> {
    if let Some(password) = hash.data.and_then(|data| password_in(checker, data, 0)) {
        return Purpose::Password(password);
    }
    match destination(&checker.ancestors(), hash.call.range()) {
        Destination::Named(name) if is_password_hash_name(name) => Purpose::Password(name),
        Destination::Named(name) if super::names::is_non_security_name(name) => {
            Purpose::NotSecurity(name)
        }
        Destination::Modulo => Purpose::NotSecurity("a number reduced modulo"),
        _ => Purpose::Unknown,
    }
}

/// The password a value is built from, if its name says so: `password.encode()`,
/// `salt + password`, `f"{salt}{pw}"`, `request.form["password"]`, a local holding one.
pub fn password_in<'a>(checker: &Checker<'a>, expr: &'a Expr, depth: usize) -> Option<&'a str> {
    named_in(checker, expr, depth, is_password_name)
}

/// The first name inside `expr` (through method calls, arguments, `+`, f-strings and a
/// local's single assignment) that `wanted` accepts.
pub fn named_in<'a>(
    checker: &Checker<'a>,
    expr: &'a Expr,
    depth: usize,
    wanted: fn(&str) -> bool,
) -> Option<&'a str> {
    if depth > 6 {
        return None;
    }
    let next = depth + 1;
    if let Some(name) = name_of(expr).filter(|name| wanted(name)) {
        return Some(name);
    }
    match expr {
        Expr::Name(name) => {
            let value = single_assignment(checker.semantic(), name)?;
            named_in(checker, value, next, wanted)
        }
        Expr::Call(call) => {
            if let Expr::Attribute(method) = &*call.func {
                if let Some(found) = named_in(checker, &method.value, next, wanted) {
                    return Some(found);
                }
            }
            call.arguments
                .args
                .iter()
                .find_map(|arg| named_in(checker, arg, next, wanted))
        }
        Expr::BinOp(binop) => named_in(checker, &binop.left, next, wanted)
            .or_else(|| named_in(checker, &binop.right, next, wanted)),
        Expr::FString(fstring) => fstring.value.elements().find_map(|element| {
            let interpolation = element.as_interpolation()?;
            named_in(checker, &interpolation.expression, next, wanted)
        }),
        _ => None,
    }
}

/// How people write an algorithm's name: `sha256` → `SHA-256`, `sha3_256` → `SHA3-256`.
pub fn display_name(algorithm: &str) -> String {
    match algorithm {
        "sha" | "sha1" => "SHA-1".to_string(),
        "md5-sha1" | "md5_sha1" => "MD5-SHA1".to_string(),
        "blake2b" | "blake2s" => format!("BLAKE2{}", &algorithm[6..]),
        other => match other.strip_prefix("sha3_") {
            Some(bits) => format!("SHA3-{bits}"),
            None => match other.strip_prefix("sha") {
                Some(bits) => format!("SHA-{}", bits.replace('_', "/")),
                None => other.to_ascii_uppercase(),
            },
        },
    }
}
