//! What a name says about the value it holds: a token, a password, a cache key.
//!
//! Rules in this group decide by where a value goes, and a name is often all we have to go
//! on. We read the *head* word of the name (its last word, after dropping words that only
//! describe an encoding, like `_hex` or `_bytes`), so `reset_token` is a token while
//! `token_length` and `token_type` are not.

use crate::parse::ast::{self, Expr};

/// Words that describe how a value is encoded, not what it is: `token_hex` is still a token.
const NEUTRAL_SUFFIXES: &[&str] = &[
    "bytes",
    "str",
    "string",
    "hex",
    "hexdigest",
    "value",
    "val",
    "raw",
    "b64",
    "base64",
    "text",
    "chars",
    "encoded",
    "bin",
    "header",
    "param",
    "new",
    "generated",
];

/// First words that make a name about a secret rather than the secret itself.
const NOT_THE_SECRET: &[&str] = &[
    "is", "has", "num", "n", "max", "min", "count", "len", "use", "should", "no",
];

/// A head word that names a secret on its own.
const SECRET_WORDS: &[&str] = &[
    "token",
    "tokens",
    "password",
    "passwords",
    "passwd",
    "passphrase",
    "pwd",
    "secret",
    "secrets",
    "nonce",
    "otp",
    "totp",
    "hotp",
    "salt",
    "csrf",
    "xsrf",
    "apikey",
    "pin",
    "iv",
    "sessionid",
    "sessid",
    "signature",
    "sig",
    "hmac",
    "mac",
];

/// `key` is a secret after one of these (`api_key`, `signing_key`), not alone (`sort_key`).
const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "secret",
    "private",
    "signing",
    "sign",
    "encryption",
    "enc",
    "aes",
    "hmac",
    "session",
    "access",
    "auth",
    "master",
    "crypto",
    "cipher",
    "symmetric",
    "shared",
    "license",
    "activation",
    "recovery",
    "app",
    "client",
];

/// `code` is a secret after one of these (`reset_code`, `otp_code`), not alone (`status_code`).
const CODE_QUALIFIERS: &[&str] = &[
    "reset",
    "verification",
    "verify",
    "confirmation",
    "confirm",
    "activation",
    "otp",
    "auth",
    "authorization",
    "login",
    "mfa",
    "sms",
    "invite",
    "invitation",
    "recovery",
    "access",
    "security",
    "pairing",
    "unlock",
    "2fa",
    "twofa",
    "one",
    "time",
    "email",
    "phone",
];

/// Words for a password itself.
const PASSWORD_WORDS: &[&str] = &["password", "passwd", "passphrase", "pwd", "pw"];

/// Words that name a non-security use of a digest (see `weak-hash`).
const NON_SECURITY_WORDS: &[&str] = &[
    "cache",
    "cached",
    "etag",
    "shard",
    "bucket",
    "partition",
    "gravatar",
    "color",
    "colour",
    "memo",
    "lru",
    "path",
    "filepath",
    "filename",
    "lock",
    "lockfile",
    "dirname",
];

pub use crate::rules::naming::words;

/// The words up to the head: neutral suffixes and numbers (`signature_256`) dropped.
fn head_words(identifier: &str) -> Vec<String> {
    let mut words = words(identifier);
    while words.len() > 1
        && words.last().is_some_and(|word| {
            NEUTRAL_SUFFIXES.contains(&word.as_str()) || word.chars().all(|c| c.is_ascii_digit())
        })
    {
        words.pop();
    }
    words
}

/// Does this name hold something an attacker must not guess or learn (a token, a key, a
/// one-time code, a salt, a signature)?
pub fn is_secret_name(identifier: &str) -> bool {
    let words = head_words(identifier);
    let Some(head) = words.last() else {
        return false;
    };
    if words.len() > 1 && NOT_THE_SECRET.contains(&words[0].as_str()) {
        return false;
    }
    let qualifier = words.len().checked_sub(2).map(|at| words[at].as_str());
    match head.as_str() {
        "key" | "keys" => qualifier.is_some_and(|word| KEY_QUALIFIERS.contains(&word)),
        "code" | "codes" => qualifier.is_some_and(|word| CODE_QUALIFIERS.contains(&word)),
        "id" => qualifier.is_some_and(|word| matches!(word, "session" | "sess")),
        head => SECRET_WORDS.contains(&head),
    }
}

/// Is this name a secret whose comparison leaks it through timing (a token, a signature, an
/// API key, a one-time code)? Passwords are left out (comparing one in plain text is a
/// storage problem, see `password-weak-hash`), and so are values that are public anyway
/// (salts, nonces, IVs).
pub fn is_compared_secret_name(identifier: &str) -> bool {
    let words = head_words(identifier);
    let Some(head) = words.last().map(String::as_str) else {
        return false;
    };
    // `sig` is as often a signal and `mac` a MAC address; lexers have a `current_token`;
    // plurals (`tokens`, `signatures`) are collections.
    let ambiguous = matches!(head, "sig" | "mac" | "nonce" | "salt" | "iv")
        || head.ends_with('s')
        || PASSWORD_WORDS.contains(&head)
        || words.iter().any(|word| {
            matches!(
                word.as_str(),
                "current" | "next" | "prev" | "previous" | "last" | "first" | "end" | "start"
            ) || NON_SECURITY_WORDS.contains(&word.as_str())
        });
    is_secret_name(identifier) && !ambiguous
}

/// Does this name hold the other half of a check (`expected`, `provided_signature`)?
pub fn is_verification_name(identifier: &str) -> bool {
    words(identifier).iter().any(|word| {
        matches!(
            word.as_str(),
            "expected"
                | "provided"
                | "submitted"
                | "received"
                | "given"
                | "supplied"
                | "incoming"
                | "candidate"
                | "computed"
                | "calculated"
                | "presented"
                | "stored"
                | "actual"
        )
    })
}

/// Does this name hold a password (`password`, `new_password`, `raw_pwd`), as opposed to
/// something about one (`password_reset_token`, `password_length`)?
pub fn is_password_name(identifier: &str) -> bool {
    head_words(identifier)
        .last()
        .is_some_and(|head| PASSWORD_WORDS.contains(&head.as_str()))
}

/// Does this name hold a stored password (`password`, `password_hash`, `hashed_password`)?
pub fn is_password_hash_name(identifier: &str) -> bool {
    let words = words(identifier);
    let Some(at) = words
        .iter()
        .position(|word| PASSWORD_WORDS.contains(&word.as_str()))
    else {
        return false;
    };
    words[at + 1..]
        .iter()
        .all(|word| matches!(word.as_str(), "hash" | "hashed" | "digest" | "hex"))
}

/// Words that name a digest used to detect tampering, or the signing that relies on one
/// (see `weak-hash`): a collision there lets a changed file or message pass for the original.
const INTEGRITY_WORDS: &[&str] = &[
    "fingerprint",
    "checksum",
    "integrity",
    "tamper",
    "verify",
    "verified",
    "verification",
    "verifier",
    "sign",
    "signed",
    "signer",
];

/// Does this name say its value checks that data was not changed, or signs it
/// (`artifact_checksum`, `release_fingerprint`, `verify_download`, `builder.sign`)?
pub fn is_integrity_name(identifier: &str) -> bool {
    words(identifier)
        .iter()
        .any(|word| INTEGRITY_WORDS.contains(&word.as_str()))
}

/// Does this name say its value serves no security purpose (a cache key, an ETag, a shard)?
pub fn is_non_security_name(identifier: &str) -> bool {
    words(identifier)
        .iter()
        .any(|word| NON_SECURITY_WORDS.contains(&word.as_str()))
}

/// The name an expression is known by: `token`, `user.token`, `session["token"]`,
/// `headers.get("X-Token")`.
pub fn name_of(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attribute) => Some(attribute.attr.id.as_str()),
        Expr::Subscript(subscript) => match &*subscript.slice {
            Expr::StringLiteral(key) => Some(key.value.to_str()),
            _ => None,
        },
        Expr::Call(call) => match (&*call.func, call.arguments.args.first()) {
            (Expr::Attribute(method), Some(Expr::StringLiteral(key)))
                if method.attr.id.as_str() == "get" =>
            {
                Some(key.value.to_str())
            }
            _ => None,
        },
        _ => None,
    }
}

/// The name an assignment target gives its value (`x`, `obj.x`, `d["x"]`).
pub fn target_name(target: &Expr) -> Option<&str> {
    match target {
        Expr::Call(_) => None,
        other => name_of(other),
    }
}

/// The name of a keyword argument (`None` for `**kwargs`).
pub fn keyword_name(keyword: &ast::Keyword) -> Option<&str> {
    keyword.arg.as_ref().map(|arg| arg.id.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_every_naming_style() {
        assert_eq!(words("resetToken"), ["reset", "token"]);
        assert_eq!(words("RESET_TOKEN"), ["reset", "token"]);
        assert_eq!(
            words("X-Hub-Signature-256"),
            ["x", "hub", "signature", "256"]
        );
        assert_eq!(words("ETag"), ["etag"]);
    }

    #[test]
    fn head_words_decide_what_a_name_holds() {
        for secret in [
            "token",
            "reset_token",
            "apiKey",
            "API_KEY",
            "session_id",
            "otp_code",
            "salt_bytes",
            "csrf_token",
            "X-Hub-Signature-256",
            "new_password",
            "nonce",
        ] {
            assert!(is_secret_name(secret), "{secret}");
        }
        for other in [
            "key",
            "sort_key",
            "cache_key",
            "status_code",
            "token_length",
            "token_type",
            "secret_number",
            "num_tokens",
            "user_id",
            "session",
            "tokenizer",
        ] {
            assert!(!is_secret_name(other), "{other}");
        }
        assert!(is_password_name("raw_password"));
        assert!(!is_password_name("password_reset_token"));
        assert!(is_password_hash_name("password_hash"));
        assert!(is_password_hash_name("hashed_password"));
        assert!(!is_password_hash_name("password_reset_token"));
        assert!(is_non_security_name("cache_key"));
        assert!(is_non_security_name("etag"));
    }
}
