//! What a name says, read word by word.
//!
//! Does a name (`db_password`, `AWS_SECRET_ACCESS_KEY`, `refreshToken`) or a mapping key
//! (`"Authorization"`, `"api-key"`) hold a secret? The secret word must come last:
//! `password_hash`, `token_type` and `max_tokens` are not secrets. Does a name decide
//! access (`is_admin`, `has_perm`, `can_edit`)?

use crate::rules::naming::words;
/// Words that name a secret on their own.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "authorization",
    "sessionid",
    "cookie",
];

/// Kinds of token that are credentials. A `token` named by another word is usually not
/// one: a pagination token, a lexer token, a semaphore token.
const CREDENTIAL_TOKENS: &[&str] = &[
    "access",
    "refresh",
    "id",
    "auth",
    "api",
    "bearer",
    "csrf",
    "xsrf",
    "session",
    "reset",
    "jwt",
    "oauth",
    "secret",
    "security",
    "verification",
    "verify",
    "confirm",
    "confirmation",
    "invite",
    "invitation",
    "activation",
    "login",
    "personal",
    "github",
    "gitlab",
    "slack",
    "bot",
    "client",
    "user",
    "device",
    "remember",
    "magic",
    "service",
    "admin",
    "app",
];

/// Words that, after `is` / `has` / `check` / `require`, make a name an access decision.
const ACCESS_WORDS: &[&str] = &[
    "admin",
    "superuser",
    "staff",
    "moderator",
    "authenticated",
    "authorized",
    "authorised",
    "permission",
    "permissions",
    "perm",
    "perms",
    "permitted",
    "privilege",
    "privileges",
    "privileged",
    "owner",
    "allowed",
    "role",
    "access",
];

/// Actions after `can`: `can_edit` decides access, `can_get` on a queue does not.
const GUARDED_ACTIONS: &[&str] = &[
    "edit",
    "delete",
    "view",
    "access",
    "manage",
    "update",
    "create",
    "read",
    "write",
    "change",
    "publish",
    "approve",
    "admin",
    "administer",
    "see",
    "modify",
    "download",
    "upload",
    "remove",
    "add",
    "moderate",
    "invite",
    "share",
    "comment",
    "post",
    "login",
    "impersonate",
];

/// First words of a name that asks a question about access.
const ACCESS_VERBS: &[&str] = &["is", "has", "check", "require", "requires", "user"];

/// Words of attributes that say whose a record is.
const OWNERSHIP_WORDS: &[&str] = &["owner", "author", "creator", "user"];

/// Pairs of words that name a secret together.
const SECRET_PAIRS: &[(&str, &str)] = &[
    ("api", "key"),
    ("access", "key"),
    ("secret", "key"),
    ("private", "key"),
    ("signing", "key"),
    ("encryption", "key"),
    ("session", "key"),
    ("session", "id"),
    ("auth", "header"),
    ("set", "cookie"),
];

/// Words that may follow the secret and still name its value.
const VALUE_SUFFIXES: &[&str] = &[
    "value",
    "str",
    "string",
    "plain",
    "plaintext",
    "raw",
    "b64",
    "base64",
    "hex",
    "bytes",
    "header",
    "text",
];

/// First words of names that hold a flag or a count about the secret, not the secret.
const NOT_A_VALUE: &[&str] = &[
    "is", "has", "should", "use", "uses", "needs", "no", "require", "requires", "allow", "enable",
    "show", "check", "verify", "validate", "num", "max", "min", "count", "len",
];

/// True when the identifier names a secret value.
pub fn is_secret_name(identifier: &str) -> bool {
    let words = words(identifier);
    if words
        .first()
        .is_some_and(|first| NOT_A_VALUE.contains(&first.as_str()))
    {
        return false;
    }
    let last_secret = (0..words.len()).rev().find(|&index| {
        let word = words[index].as_str();
        if word == "token" {
            return index == 0 || CREDENTIAL_TOKENS.contains(&words[index - 1].as_str());
        }
        SECRET_WORDS.contains(&word)
            || (index > 0
                && SECRET_PAIRS
                    .iter()
                    .any(|(first, second)| words[index - 1] == *first && words[index] == *second))
    });
    last_secret.is_some_and(|index| {
        words[index + 1..]
            .iter()
            .all(|word| VALUE_SUFFIXES.contains(&word.as_str()))
    })
}

/// True when a mapping key (`"Authorization"`, `"X-Api-Key"`, `"session"`) holds a secret.
pub fn is_secret_key(key: &str) -> bool {
    let normalized = key.replace('-', "_");
    is_secret_name(&normalized) || normalized.eq_ignore_ascii_case("session")
}

/// True when the identifier asks an access question: `is_admin`, `has_perm`,
/// `isSuperuser`, `check_permission`, `can_edit`, `canDelete`.
pub fn is_access_name(identifier: &str) -> bool {
    let words = words(identifier);
    match words.split_first() {
        Some((first, rest)) if first == "can" => rest
            .first()
            .is_some_and(|action| GUARDED_ACTIONS.contains(&action.as_str())),
        Some((first, rest)) if ACCESS_VERBS.contains(&first.as_str()) => rest
            .iter()
            .any(|word| ACCESS_WORDS.contains(&word.as_str())),
        _ => false,
    }
}

/// True when the identifier says whose a record is: `owner`, `owner_id`, `author`,
/// `created_by`, `user_id`.
pub fn is_ownership_name(identifier: &str) -> bool {
    let words = words(identifier);
    words == ["created", "by"]
        || words
            .first()
            .is_some_and(|first| OWNERSHIP_WORDS.contains(&first.as_str()))
            && words.len() <= 2
            && words.get(1).is_none_or(|second| second == "id")
}

/// True when the identifier names a user: `user`, `current_user`, `request_user`, `account`.
pub fn is_user_name(identifier: &str) -> bool {
    words(identifier)
        .iter()
        .any(|word| matches!(word.as_str(), "user" | "account" | "principal"))
}

#[cfg(test)]
mod tests {
    use super::{is_access_name, is_ownership_name, is_secret_key, is_secret_name, is_user_name};

    #[test]
    fn secrets_by_their_last_words() {
        for name in [
            "password",
            "db_password",
            "new_password",
            "SECRET_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "api_key",
            "apiKey",
            "refreshToken",
            "csrf_token",
            "password_reset_token",
            "client_secret",
            "session_id",
            "token",
            "authToken",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "password_hash",
            "token_type",
            "max_tokens",
            "tokens",
            "has_password",
            "is_token_valid",
            "secret_name",
            "api_key_id",
            "pwd",
            "username",
            "keys",
            "acquire_token",
            "starting_token",
            "next_token",
            "credentials",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
        assert!(is_secret_key("Authorization"));
        assert!(is_secret_key("X-Api-Key"));
        assert!(is_secret_key("session"));
        assert!(!is_secret_key("User-Agent"));
    }

    #[test]
    fn access_decisions_by_their_words() {
        for name in [
            "is_admin",
            "has_perm",
            "isSuperuser",
            "can_edit",
            "canDelete",
            "is_authenticated",
            "check_permission",
        ] {
            assert!(is_access_name(name), "{name}");
        }
        for name in [
            "items",
            "is_valid",
            "canonical",
            "base_role",
            "_allowed_strategies",
            "perm",
            "ownerDocument",
            "ALLOWED_PRED",
            "_can_get",
        ] {
            assert!(!is_access_name(name), "{name}");
        }
        assert!(is_ownership_name("owner_id") && is_ownership_name("created_by"));
        assert!(!is_ownership_name("ownerDocument") && !is_ownership_name("user_agent"));
        assert!(is_user_name("current_user") && !is_user_name("username"));
    }
}
