//! What a name says about the value it holds: `db_password` holds a password,
//! `password_reset_url` holds a URL, `token_type` holds the name of a token type.
//!
//! The rule is that the secret word must be the LAST word of the name (after value
//! suffixes like `_b64`), so every `<secret>_<thing>` name (`_url`, `_field`, `_label`,
//! `_type`, `_name`, `_header`, `_length`, ...) describes something else.

/// The kind of secret a name announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    Password,
    Token,
    ApiKey,
    SigningKey,
    PrivateKey,
    Credential,
}

impl SecretKind {
    /// How a message names it: "a hardcoded {noun}".
    pub fn noun(self) -> &'static str {
        match self {
            SecretKind::Password => "password",
            SecretKind::Token => "token",
            SecretKind::ApiKey => "API key",
            SecretKind::SigningKey => "secret key",
            SecretKind::PrivateKey => "private key",
            SecretKind::Credential => "credential",
        }
    }
}

/// Words that may follow the secret word and still name the secret itself (`token_b64`).
#[rustfmt::skip]
const VALUE_SUFFIXES: &[&str] = &[
    "value", "val", "str", "string", "raw", "plain", "plaintext", "b64", "base64", "hex",
    "bytes",
];

/// First words that say the value is not the live secret (`hashed_password`, `fake_token`).
#[rustfmt::skip]
const NOT_LIVE_PREFIXES: &[&str] = &[
    "hashed", "hash", "encrypted", "masked", "redacted", "fake", "dummy", "mock", "example",
    "sample", "placeholder", "test", "testing", "no",
];

/// Words in front of `key` that make it a secret key (`api_key`, `signing_key`).
const KEY_QUALIFIERS: &[(&str, SecretKind)] = &[
    ("api", SecretKind::ApiKey),
    ("access", SecretKind::ApiKey),
    ("license", SecretKind::ApiKey),
    ("subscription", SecretKind::ApiKey),
    ("secret", SecretKind::SigningKey),
    ("signing", SecretKind::SigningKey),
    ("encryption", SecretKind::SigningKey),
    ("crypt", SecretKind::SigningKey),
    ("master", SecretKind::SigningKey),
    ("hmac", SecretKind::SigningKey),
    ("jwt", SecretKind::SigningKey),
    ("fernet", SecretKind::SigningKey),
    ("aes", SecretKind::SigningKey),
    ("auth", SecretKind::SigningKey),
    ("app", SecretKind::SigningKey),
    ("private", SecretKind::PrivateKey),
];

/// The words of an identifier or key, lower-cased: `dbPassword` → `db password`,
/// `X-API-Key` → `x api key`, `SECRET_KEY` → `secret key`.
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (index, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let previous = index.checked_sub(1).and_then(|at| chars.get(at));
        let next = chars.get(index + 1);
        let starts_word = c.is_uppercase()
            && previous.is_some_and(|p| {
                p.is_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_uppercase() && next.is_some_and(|n| n.is_lowercase()))
            });
        if starts_word && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        crate::rules::naming::push_lowercase(&mut current, c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// The kind of secret `name` holds, or `None` when it names something else.
pub fn secret_kind(name: &str) -> Option<SecretKind> {
    // Most names hold no secret: say so before allocating anything. Each stem is tried only
    // where its first letter is.
    const STEMS: &[&[u8]] = &[b"pass", b"pw", b"token", b"secret", b"key", b"cred"];
    let bytes = name.as_bytes();
    let has_stem = (0..bytes.len()).any(|at| {
        let first = bytes[at].to_ascii_lowercase();
        matches!(first, b'p' | b't' | b's' | b'k' | b'c')
            && STEMS.iter().any(|stem| {
                stem[0] == first
                    && bytes
                        .get(at..at + stem.len())
                        .is_some_and(|window| window.eq_ignore_ascii_case(stem))
            })
    });
    if !has_stem {
        return None;
    }
    // `"AWS::SecretsManager::Secret"` or `"Enter password"` is not a variable name.
    let is_name = name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !is_name {
        return None;
    }
    let mut words = words(name);
    if words
        .first()
        .is_some_and(|first| NOT_LIVE_PREFIXES.contains(&first.as_str()))
    {
        return None;
    }
    while words.len() > 1
        && words.last().is_some_and(|last| {
            VALUE_SUFFIXES.contains(&last.as_str()) || last.chars().all(|c| c.is_ascii_digit())
        })
    {
        words.pop();
    }
    let last = words.last()?.trim_end_matches(|c: char| c.is_ascii_digit());
    // `NOPASSWORD = "no-password-required"` names the absence of one.
    if last
        .strip_prefix("no")
        .is_some_and(|rest| secret_kind(rest).is_some())
    {
        return None;
    }
    let previous = words.len().checked_sub(2).map(|at| words[at].as_str());
    match last {
        "password" | "passwd" | "passwort" | "pwd" | "pw" | "pass" | "passphrase" | "passcode"
        | "pword" => Some(SecretKind::Password),
        "token" => Some(SecretKind::Token),
        "secret" => Some(SecretKind::SigningKey),
        "apikey" => Some(SecretKind::ApiKey),
        "credential" | "credentials" | "creds" => Some(SecretKind::Credential),
        "key" => previous.and_then(|previous| {
            KEY_QUALIFIERS
                .iter()
                .find(|(qualifier, _)| *qualifier == previous)
                .map(|(_, kind)| *kind)
        }),
        compound => compound_kind(compound),
    }
}

/// One lower-case word that glues the secret onto something: `dbpassword`, `secretkey`.
fn compound_kind(word: &str) -> Option<SecretKind> {
    let endings: &[(&str, SecretKind)] = &[
        ("password", SecretKind::Password),
        ("passwd", SecretKind::Password),
        ("passphrase", SecretKind::Password),
        ("apikey", SecretKind::ApiKey),
        ("accesskey", SecretKind::ApiKey),
        ("secretkey", SecretKind::SigningKey),
        ("signingkey", SecretKind::SigningKey),
        ("privatekey", SecretKind::PrivateKey),
        ("authtoken", SecretKind::Token),
        ("accesstoken", SecretKind::Token),
        ("apitoken", SecretKind::Token),
        ("bottoken", SecretKind::Token),
        ("clientsecret", SecretKind::SigningKey),
        ("appsecret", SecretKind::SigningKey),
    ];
    endings
        .iter()
        .find(|(ending, _)| word.ends_with(ending))
        .map(|(_, kind)| *kind)
}

/// The environment variable a fix reads instead: `db_password` → `DB_PASSWORD`,
/// `X-API-Key` → `X_API_KEY`. `None` when the name has no usable word.
pub fn env_var_name(name: &str) -> Option<String> {
    let words: Vec<String> = words(name)
        .into_iter()
        .map(|word| {
            word.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_uppercase()
        })
        .filter(|word| !word.is_empty())
        .collect();
    let joined = words.join("_");
    let first = joined.chars().next()?;
    Some(if first.is_ascii_digit() {
        format!("SECRET_{joined}")
    } else {
        joined
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_every_naming_style() {
        assert_eq!(words("dbPassword"), ["db", "password"]);
        assert_eq!(words("X-API-Key"), ["x", "api", "key"]);
        assert_eq!(words("APIKey"), ["api", "key"]);
        assert_eq!(words("SECRET_KEY"), ["secret", "key"]);
        assert_eq!(words("__token2__"), ["token2"]);
        assert_eq!(words("mötleyCrüe"), ["mötley", "crüe"]);
    }

    #[test]
    fn the_secret_word_must_come_last() {
        for secret in [
            "password",
            "db_password",
            "DB_PASS",
            "dbPassword",
            "pw",
            "api_key",
            "apiKey",
            "AWS_SECRET_ACCESS_KEY",
            "SECRET_KEY",
            "client_secret",
            "refresh_token",
            "auth_token_b64",
            "adminpassword",
            "token2",
            "private_key",
        ] {
            assert!(secret_kind(secret).is_some(), "{secret}");
        }
        for other in [
            "password_reset_url",
            "PASSWORD_FIELD",
            "token_type",
            "TOKEN_URL",
            "SECRET_KEY_NAME",
            "auth_header",
            "password_label",
            "grant_type",
            "public_key",
            "key",
            "hashed_password",
            "test_password",
            "max_tokens",
            "tokenizer",
            "bypass",
            "NOPASSWORD",
            "no_token",
            "AWS::SecretsManager::Secret",
            "Enter password",
        ] {
            assert!(secret_kind(other).is_none(), "{other}");
        }
    }

    #[test]
    fn environment_names_are_upper_snake_case() {
        assert_eq!(env_var_name("db_password").as_deref(), Some("DB_PASSWORD"));
        assert_eq!(env_var_name("apiKey").as_deref(), Some("API_KEY"));
        assert_eq!(env_var_name("X-API-Key").as_deref(), Some("X_API_KEY"));
        assert_eq!(env_var_name("2fa").as_deref(), Some("SECRET_2FA"));
        assert_eq!(env_var_name("__").as_deref(), None);
        assert_eq!(env_var_name("clé").as_deref(), Some("CL"));
    }
}
