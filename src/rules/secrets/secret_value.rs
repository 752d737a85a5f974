//! What a hardcoded string looks like to a reviewer: a real secret, or a placeholder,
//! the name of a field, a label, a path.
//!
//! Bandit and Ruff decide by the variable's name alone, so `token_type = "Bearer"` and
//! `password_label = "Enter your password"` are reported. Here the value has its say too.

use super::secret_name::{words, SecretKind};
use crate::diagnostic::Confidence;

/// How sure we are that `value`, bound to `name` (which announces a secret of `kind`), is
/// a real secret; `None` when it is something else.
pub fn secret_confidence(value: &str, name: &str, kind: SecretKind) -> Option<Confidence> {
    let value = value.trim();
    if value.is_empty()
        || is_placeholder(value)
        || is_path_or_reference(value)
        || is_pattern(value)
        || names_a_field(value, name)
    {
        return None;
    }
    if is_descriptive_phrase(value) {
        return Some(Confidence::Low);
    }
    if value.chars().any(char::is_whitespace) {
        let passphrase = kind == SecretKind::Password && is_passphrase(value);
        return passphrase.then_some(Confidence::Medium);
    }
    let length = value.chars().count();
    let classes = character_classes(value);
    let random = looks_random(value);
    if kind == SecretKind::Password {
        return (length >= 3).then_some(if random || (length >= 8 && classes >= 2) {
            Confidence::High
        } else {
            Confidence::Medium
        });
    }
    if length < 8 {
        return None;
    }
    Some(if random {
        Confidence::High
    } else if classes >= 2 || length >= 16 {
        Confidence::Medium
    } else {
        Confidence::Low
    })
}

/// Long and varied enough that nobody typed it as a word: `wJalrXUtnFEMI/K7MDENG`.
pub fn looks_random(value: &str) -> bool {
    let words = value.split(['-', '_']);
    if value.contains(['-', '_']) && words.clone().all(|w| w.chars().all(char::is_alphabetic)) {
        return false;
    }
    let length = value.chars().count();
    (length >= 12 && character_classes(value) >= 3) || (length >= 20 && entropy(value) >= 3.5)
}

/// Lower case, upper case, digits, anything else: how many of these four appear.
fn character_classes(value: &str) -> usize {
    let has = |test: fn(&char) -> bool| usize::from(value.chars().any(|c| test(&c)));
    has(char::is_ascii_lowercase)
        + has(char::is_ascii_uppercase)
        + has(char::is_ascii_digit)
        + has(|c| !c.is_ascii_alphanumeric())
}

/// Shannon entropy in bits per character.
fn entropy(value: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    let mut total = 0.0;
    for c in value.chars() {
        *counts.entry(c).or_insert(0.0) += 1.0;
        total += 1.0;
    }
    counts
        .values()
        .map(|count: &f64| {
            let p = count / total;
            -p * p.log2()
        })
        .sum()
}

/// Text that stands in for a secret: `changeme`, `<your-key>`, `***`, `${PASSWORD}`,
/// `{password}`, `%(password)s`, `xxxx-xxxx`, `TODO`.
pub fn is_placeholder(value: &str) -> bool {
    let value = value.trim();
    let lower = value.to_lowercase();
    let first = value.chars().next();
    let last = value.chars().last();
    let enclosed = matches!(
        (first, last),
        (Some('<'), Some('>')) | (Some('['), Some(']')) | (Some('{'), Some('}'))
    );
    let masked = value
        .chars()
        .all(|c| matches!(c, '*' | 'x' | 'X' | '•' | '#' | '.' | '?' | '-' | '_' | ' '));
    let mut chars = value.chars();
    let repeated = chars
        .next()
        .is_some_and(|first| value.chars().count() >= 3 && chars.all(|c| c == first));
    let variable = value.strip_prefix('$').is_some_and(|rest| {
        rest.starts_with('{')
            || (!rest.is_empty() && rest.chars().all(|c| c.is_alphanumeric() || c == '_'))
    });
    #[rustfmt::skip]
    const CONTAINED: &[&str] = &[
        "changeme", "change_me", "change-me", "change me", "changeit", "replaceme",
        "replace_me", "replace-me", "placeholder", "example", "dummy", "redacted", "your_",
        "your-", "yourpassword", "yoursecret", "yourtoken", "yourkey", "xxxx", "****", "...",
        "todo", "fixme", "{{", "${", "%(", "asdf", "1a2b3c", "a1b2c3",
    ];
    #[rustfmt::skip]
    const WHOLE: &[&str] = &[
        "tbd", "none", "null", "nil", "undefined", "n/a", "na", "test", "testing", "fake",
        "mock", "sample", "unset", "notset", "not-set", "not_set", "unknown", "empty",
        "missing", "hidden", "masked", "foo", "bar", "baz", "foobar", "%s", "{}",
    ];
    #[rustfmt::skip]
    const PREFIXES: &[&str] = &[
        "test", "fake", "dummy", "mock", "sample", "demo", "foobar", "somepass", "somesecret",
        "sometoken", "somekey",
    ];
    enclosed
        || masked
        || repeated
        || variable
        || is_repeated_unit(value)
        || PREFIXES.iter().any(|prefix| lower.starts_with(prefix))
        || CONTAINED.iter().any(|marker| lower.contains(marker))
        || WHOLE.contains(&lower.as_str())
}

/// `asdfasdfasdf`, `abcabcabc`: one short unit typed three times or more.
fn is_repeated_unit(value: &str) -> bool {
    let chars: Vec<char> = value.chars().take(257).collect();
    if chars.len() > 256 {
        return false;
    }
    (2..=chars.len() / 3).any(|unit| {
        chars.len().is_multiple_of(unit) && chars.chunks(unit).all(|chunk| chunk == &chars[..unit])
    })
}

/// A word a setting takes as its mode (`update_password == "always"`,
/// `password_policy != "on_create"`): what a password-named option is compared with when it
/// is not a password at all.
pub fn is_setting_word(value: &str) -> bool {
    #[rustfmt::skip]
    const SETTING_WORDS: &[&str] = &[
        "always", "never", "on_create", "on_update", "on_change", "on_login", "once", "auto",
        "automatic", "manual", "prompt", "ask", "yes", "no", "true", "false", "on", "off",
        "enabled", "disabled", "enable", "disable", "required", "optional", "default",
        "random", "generate", "generated", "keep", "ignore", "skip", "inherit", "plain",
        "plaintext", "hashed", "encrypted", "present", "absent", "stdin", "file", "env",
        "environment", "keyring", "interactive", "any", "all", "unchanged", "expired",
    ];
    SETTING_WORDS.contains(&value.trim().to_ascii_lowercase().as_str())
}

/// A regular expression (`r"[^\W\d]\w*"`), not a secret.
fn is_pattern(value: &str) -> bool {
    ["\\w", "\\d", "\\s", "\\b", "[^", "(?", ".*", ".+"]
        .iter()
        .any(|marker| value.contains(marker))
}

/// A file path, a URL, or a reference to where the secret really lives.
fn is_path_or_reference(value: &str) -> bool {
    #[rustfmt::skip]
    const EXTENSIONS: &[&str] = &[
        ".pem", ".key", ".crt", ".cer", ".der", ".p12", ".pfx", ".jks", ".json", ".yaml",
        ".yml", ".toml", ".ini", ".cfg", ".conf", ".env", ".txt", ".gpg", ".asc", ".pub",
        ".keystore", ".kdbx",
    ];
    let lower = value.to_ascii_lowercase();
    let bytes = value.as_bytes();
    let drive = bytes.len() > 3
        && bytes[0].is_ascii_alphabetic()
        && bytes[1] == b':'
        && matches!(bytes[2], b'\\' | b'/');
    value.contains("://")
        || (value.starts_with('/') && !value.contains(['+', '=']))
        || ["./", "../", "~/", "arn:aws:", "env:", "vault:"]
            .iter()
            .any(|prefix| lower.starts_with(prefix))
        || drive
        || EXTENSIONS
            .iter()
            .any(|extension| lower.len() > extension.len() && lower.ends_with(extension))
}

/// Words a constant naming a field, a header or a token type is made of.
#[rustfmt::skip]
const FIELD_WORDS: &[&str] = &[
    "password", "passwd", "pwd", "pw", "pass", "passphrase", "passcode", "secret", "secrets",
    "token", "tokens", "key", "keys", "api", "apikey", "access", "refresh", "id", "auth",
    "authorization", "authentication", "bearer", "basic", "digest", "header", "x", "type",
    "grant", "client", "user", "username", "name", "field", "session", "csrf", "xsrf", "cookie",
    "jwt", "oauth", "oauth2", "hmac", "new", "old", "current", "confirm", "confirmation",
    "reset", "login", "credential", "credentials", "private", "public", "signing", "value",
    "code", "otp", "hash", "salt", "input", "form", "param", "nonce", "state", "identity",
    "account", "app", "service", "db", "sk", "pk",
];

/// An identifier that names a field rather than holding a secret: `refresh_token =
/// "refresh_token"`, `api_key = "X-API-Key"`, `token = "Bearer"`, `db_password = "DB_PASSWORD"`,
/// `input_token = "next_token"`, `SECRET_KEY = "AWSSecretKey"`.
fn names_a_field(value: &str, name: &str) -> bool {
    if is_identifier(value) {
        return true;
    }
    let identifier = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'));
    if !identifier || !value.chars().any(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    let value_words = words(value);
    let squashed = |words: &[String]| words.concat();
    let value_squashed = squashed(&value_words);
    let name_squashed = squashed(&words(name));
    let derived = value_squashed == name_squashed
        || (value_squashed.len() >= 3
            && value_words.len() > 1
            && name_squashed.contains(&value_squashed));
    derived
        || value_words.iter().all(|word| {
            let base = word.strip_suffix(['1', '2']).unwrap_or(word);
            FIELD_WORDS.contains(&base)
        })
}

/// Letters only, in words joined the way code joins them: `snake_case`, `camelCase`,
/// `dotted.keys`, `colon:separated`, `Title-Case-Headers`. Lower-case dashed words are not
/// included: `super-secret-key` is how people write a weak secret.
fn is_identifier(value: &str) -> bool {
    let letters_only = value
        .chars()
        .all(|c| c.is_ascii_alphabetic() || matches!(c, '_' | '.' | ':' | '-'));
    if !letters_only || words(value).len() < 2 {
        return false;
    }
    if value.contains(['_', '.', ':']) {
        return true;
    }
    let parts: Vec<&str> = value.split('-').collect();
    if parts.len() > 1 {
        return parts
            .iter()
            .all(|part| part.starts_with(|c: char| c.is_ascii_uppercase()));
    }
    true
}

/// `role-secret-key`, `no-password-required`: dashed words that describe a secret. Either
/// a weak real one or a stand-in; reported with low confidence.
fn is_descriptive_phrase(value: &str) -> bool {
    const SECRET_WORDS: &[&str] = &["secret", "key", "password", "passwd", "pass", "token"];
    let parts: Vec<&str> = value.split('-').collect();
    parts.len() > 1
        && parts
            .iter()
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphabetic()))
        && parts
            .iter()
            .any(|part| SECRET_WORDS.contains(&part.to_ascii_lowercase().as_str()))
}

/// Words people use in labels and messages, never in a passphrase.
#[rustfmt::skip]
const SENTENCE_WORDS: &[&str] = &[
    "the", "a", "an", "your", "you", "to", "of", "for", "and", "or", "is", "are", "be", "not",
    "please", "enter", "invalid", "incorrect", "wrong", "must", "new", "confirm", "required",
    "missing", "here", "with", "in", "on", "this", "that", "it", "password", "token", "key",
    "secret", "expired", "reset", "forgot", "show", "hide",
];

/// `correct horse battery staple`: three or more lower-case words, none of them from a sentence.
fn is_passphrase(value: &str) -> bool {
    let words: Vec<&str> = value.split_whitespace().collect();
    words.len() >= 3
        && words.iter().all(|word| {
            word.chars().all(|c| c.is_lowercase() || c.is_ascii_digit())
                && !SENTENCE_WORDS.contains(word)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(value: &str, name: &str) -> Option<Confidence> {
        let kind = super::super::secret_name::secret_kind(name).expect("a secret name");
        secret_confidence(value, name, kind)
    }

    #[test]
    fn real_secrets_are_recognised() {
        assert_eq!(judged("hunter2", "password"), Some(Confidence::Medium));
        assert_eq!(judged("s3cret", "pw"), Some(Confidence::Medium));
        assert_eq!(judged("admin", "db_password"), Some(Confidence::Medium));
        assert_eq!(judged("Tr0ub4dor&3", "password"), Some(Confidence::High));
        assert_eq!(
            judged(
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLq",
                "aws_secret_access_key"
            ),
            Some(Confidence::High)
        );
        assert_eq!(
            judged("correct horse battery staple", "passphrase"),
            Some(Confidence::Medium)
        );
        assert_eq!(judged("development", "SECRET_KEY"), Some(Confidence::Low));
        assert_eq!(
            judged("you-will-never-guess", "SECRET_KEY"),
            Some(Confidence::Medium)
        );
        assert_eq!(
            judged("super-secret-key", "SECRET_KEY"),
            Some(Confidence::Low)
        );
        assert_eq!(judged("qwerty123", "password"), Some(Confidence::High));
    }

    #[test]
    fn placeholders_fields_labels_and_paths_are_not() {
        for (value, name) in [
            ("", "password"),
            ("   ", "password"),
            ("changeme", "password"),
            ("<your-key>", "api_key"),
            ("xxx", "password"),
            ("***", "password"),
            ("TODO", "token"),
            ("${PASSWORD}", "password"),
            ("$DB_PASSWORD", "password"),
            ("{password}", "password"),
            ("%(password)s", "password"),
            ("dummy", "password"),
            ("example-key", "api_key"),
            ("Bearer", "token"),
            ("refresh_token", "refresh_token"),
            ("DB_PASSWORD", "db_password"),
            ("X-API-Key", "api_key"),
            ("password2", "password"),
            ("Enter your password", "password"),
            ("Invalid token.", "token"),
            ("/accounts/password/reset/", "password"),
            ("~/.ssh/id_rsa", "private_key"),
            ("secrets/api.key", "api_key"),
            ("https://example.org/token", "token"),
            ("short", "api_key"),
            ("next_token", "input_token"),
            ("NextToken", "input_token"),
            ("aws_secret_access_key", "SECRET_KEY"),
            ("AWSSecretKey", "SECRET_KEY"),
            ("Access-Control-Allow-Credentials", "ALLOW_CREDENTIALS"),
            ("serverlessrepo:applicationId", "APP_KEY"),
            ("db.password", "password"),
            (r"[^\W\d]\w*", "jsonnet_token"),
            ("asdfasdfasdf", "MFA_SECRET"),
            ("test-secret-key", "secret_key"),
            ("somepassword", "password"),
            ("FOOBARSECRET", "AWS_SECRET_ACCESS_KEY"),
            ("1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d", "update_token"),
        ] {
            assert_eq!(judged(value, name), None, "{name} = {value:?}");
        }
    }

    #[test]
    fn never_panics_on_odd_text() {
        for value in [
            "é",
            "€€€",
            "🔑🔑🔑🔑🔑🔑🔑🔑",
            "$",
            "<",
            "\u{0}",
            "C:",
            "a\u{301}b",
        ] {
            let _ = judged(value, "password");
            let _ = is_placeholder(value);
        }
    }
}
