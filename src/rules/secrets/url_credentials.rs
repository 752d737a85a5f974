//! Passwords inside URLs: `postgresql://app:hunter2@db/app`, `redis://:hunter2@cache:6379`.

use super::secret_value::is_placeholder;

/// The password part of a URL found in a string, and where that URL is.
#[derive(Debug, PartialEq, Eq)]
pub struct UrlCredentials<'a> {
    pub scheme: &'a str,
    pub user: &'a str,
    pub password: &'a str,
    pub host: &'a str,
    /// Byte range of the whole URL in the text.
    pub start: usize,
    pub end: usize,
}

/// Passwords that only show what goes there (`user:password@`, SQLAlchemy's `scott:tiger@`).
#[rustfmt::skip]
const PLACEHOLDER_PASSWORDS: &[&str] = &[
    "password", "pass", "passwd", "pwd", "pw", "secret", "user", "username", "tiger",
];

/// The first URL in `text` whose user info holds a real-looking password.
pub fn find_url_credentials(text: &str) -> Option<UrlCredentials<'_>> {
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|rest| rest.find("://")) {
        let separator = from + found;
        from = separator + 3;
        let scheme_start = text[..separator]
            .char_indices()
            .rev()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-')))
            .map_or(0, |(at, c)| at + c.len_utf8());
        let scheme = &text[scheme_start..separator];
        if !scheme.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let rest = &text[from..];
        let ends_url = |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`');
        let authority_len = rest
            .find(|c: char| ends_url(c) || matches!(c, '/' | '?' | '#'))
            .unwrap_or(rest.len());
        let authority = &rest[..authority_len];
        let Some(at) = authority.rfind('@') else {
            continue;
        };
        let Some((user, password)) = authority[..at].split_once(':') else {
            continue;
        };
        let host = &authority[at + 1..];
        if !is_real_password(user, password) {
            continue;
        }
        let url_len = rest.find(ends_url).unwrap_or(rest.len());
        return Some(UrlCredentials {
            scheme,
            user,
            password,
            host,
            start: scheme_start,
            end: from + url_len,
        });
    }
    None
}

fn is_real_password(user: &str, password: &str) -> bool {
    let lower = password.to_lowercase();
    !password.is_empty()
        && !is_placeholder(password)
        && !password.eq_ignore_ascii_case(user)
        && !PLACEHOLDER_PASSWORDS.contains(&lower.as_str())
        && !password.contains(['{', '}'])
}

/// The environment variable such a URL conventionally lives in, by scheme.
pub fn conventional_variable(scheme: &str) -> Option<&'static str> {
    let base = scheme
        .split('+')
        .next()
        .unwrap_or(scheme)
        .to_ascii_lowercase();
    Some(match base.as_str() {
        "postgres" | "postgresql" | "mysql" | "mariadb" | "oracle" | "mssql" | "cockroachdb" => {
            "DATABASE_URL"
        }
        "redis" | "rediss" => "REDIS_URL",
        "amqp" | "amqps" => "BROKER_URL",
        "mongodb" => "MONGODB_URI",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn password_of(text: &str) -> Option<&str> {
        find_url_credentials(text).map(|found| found.password)
    }

    #[test]
    fn finds_passwords_in_every_kind_of_url() {
        assert_eq!(
            password_of("postgresql://app:hunter2@db/app"),
            Some("hunter2")
        );
        assert_eq!(password_of("redis://:s3cr3t@cache:6379/0"), Some("s3cr3t"));
        assert_eq!(
            password_of("amqp://guest:rabbit-pw@mq//"),
            Some("rabbit-pw")
        );
        assert_eq!(password_of("https://bob:p%40ss@api.test/x"), Some("p%40ss"));
        assert_eq!(
            password_of("DATABASE_URL=mysql+pymysql://u:pw-2024@h/d and more"),
            Some("pw-2024")
        );
        let found = find_url_credentials("url: postgres://a:bcd@h/db done").unwrap();
        assert_eq!((found.start, found.end), (5, 26));
        assert_eq!(found.host, "h");
    }

    #[test]
    fn long_adversarial_strings_stay_linear() {
        let start = std::time::Instant::now();
        for unit in ["a://", "a://b:c", "x://:@", "é://"] {
            let _ = find_url_credentials(&unit.repeat(50_000));
        }
        assert!(start.elapsed().as_secs() < 10, "took {:?}", start.elapsed());
    }

    #[test]
    fn placeholders_and_plain_urls_are_not_credentials() {
        for text in [
            "https://example.org/path@v2",
            "https://user@host/",
            "postgresql://user:password@localhost/db",
            "postgresql://scott:tiger@localhost/test",
            "postgresql://test:test@localhost/test",
            "postgresql://{}:{}@{}/db",
            "postgresql://%s:%s@%s/%s",
            "postgresql://app:${DB_PASSWORD}@db/app",
            "redis://:@cache",
            "redis://:<password>@cache",
            "://a:b@c",
            "é://ü:ö@x",
            "plain text",
        ] {
            assert_eq!(password_of(text), None, "{text}");
        }
    }
}
