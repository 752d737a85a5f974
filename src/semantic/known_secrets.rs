//! Secrets recognised by their format alone, wherever the string is: `AKIA…`,
//! `sk_live_…`, `ghp_…`, `xoxb-…`, `AIza…`, JWTs, PEM private key blocks.
//!
//! Small matchers on bytes, no regex engine: each format is a prefix, a body alphabet
//! and a body length, or a short function for the few that have more structure.

use crate::diagnostic::Confidence;

/// One way a secret is written.
pub struct Format {
    /// What it is, for messages: "a GitHub token".
    pub label: &'static str,
    /// The environment variable it conventionally lives in.
    pub env_var: &'static str,
    /// Cloud and live payment keys: whoever has one spends your money.
    pub critical: bool,
    pub confidence: Confidence,
    matcher: Matcher,
}

impl Format {
    /// A PEM private key block: nothing in it says whether it signs anything real.
    pub fn is_private_key(&self) -> bool {
        self.env_var == "PRIVATE_KEY"
    }
}

enum Matcher {
    /// One of `prefixes`, then `min..=max` bytes of `alphabet`, then no more of them.
    Prefixed {
        prefixes: &'static [&'static str],
        alphabet: fn(u8) -> bool,
        min: usize,
        max: usize,
    },
    /// Anything with more structure than a prefix.
    Custom(fn(&[u8]) -> Option<(usize, usize)>),
}

/// A known secret found in a string: its format and its byte range in the text.
pub struct KnownSecret {
    pub format: &'static Format,
    pub start: usize,
    pub end: usize,
}

fn alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}
fn upper_alnum(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}
fn base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}
fn alnum_underscore(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}
fn hex(b: u8) -> bool {
    b.is_ascii_hexdigit()
}
fn dotted_base64url(b: u8) -> bool {
    base64url(b) || b == b'.'
}
fn path_segment(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'/'
}

macro_rules! prefixed {
    ($label:literal, $env:literal, $critical:literal, $confidence:ident,
     [$($prefix:literal),+], $alphabet:ident, $min:literal..=$max:literal) => {
        Format {
            label: $label,
            env_var: $env,
            critical: $critical,
            confidence: Confidence::$confidence,
            matcher: Matcher::Prefixed {
                prefixes: &[$($prefix),+],
                alphabet: $alphabet,
                min: $min,
                max: $max,
            },
        }
    };
}

macro_rules! custom {
    ($label:literal, $env:literal, $confidence:ident, $matcher:ident) => {
        Format {
            label: $label,
            env_var: $env,
            critical: false,
            confidence: Confidence::$confidence,
            matcher: Matcher::Custom($matcher),
        }
    };
}

/// Every format, the more specific first.
#[rustfmt::skip]
pub static FORMATS: &[Format] = &[
    prefixed!("an AWS access key ID", "AWS_ACCESS_KEY_ID", true, High, ["AKIA", "ASIA"], upper_alnum, 16..=16),
    prefixed!("a Stripe live secret key", "STRIPE_SECRET_KEY", true, High, ["sk_live_", "rk_live_"], alnum, 20..=247),
    prefixed!("an Azure storage account key", "AZURE_STORAGE_CONNECTION_STRING", true, High, ["AccountKey="], azure_key_byte, 80..=100),
    prefixed!("a Stripe test-mode secret key", "STRIPE_SECRET_KEY", false, Medium, ["sk_test_", "rk_test_"], alnum, 20..=247),
    prefixed!("a GitHub token", "GITHUB_TOKEN", false, High, ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"], alnum, 36..=36),
    prefixed!("a GitHub token", "GITHUB_TOKEN", false, High, ["github_pat_"], alnum_underscore, 50..=255),
    prefixed!("a GitLab token", "GITLAB_TOKEN", false, High, ["glpat-"], base64url, 20..=64),
    prefixed!("a Slack token", "SLACK_TOKEN", false, High, ["xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-", "xoxe-"], base64url, 20..=255),
    prefixed!("a Slack webhook URL", "SLACK_WEBHOOK_URL", false, High, ["https://hooks.slack.com/services/T"], path_segment, 20..=120),
    prefixed!("a Google API key", "GOOGLE_API_KEY", false, High, ["AIza"], base64url, 35..=35),
    prefixed!("a Google OAuth client secret", "GOOGLE_CLIENT_SECRET", false, High, ["GOCSPX-"], base64url, 28..=28),
    prefixed!("an Anthropic API key", "ANTHROPIC_API_KEY", false, High, ["sk-ant-"], base64url, 20..=255),
    prefixed!("an OpenAI API key", "OPENAI_API_KEY", false, High, ["sk-proj-", "sk-svcacct-", "sk-admin-"], base64url, 20..=255),
    prefixed!("an npm token", "NPM_TOKEN", false, High, ["npm_"], alnum, 36..=36),
    prefixed!("a PyPI token", "PYPI_API_TOKEN", false, High, ["pypi-AgEIcHlwaS5vcmc"], base64url, 50..=255),
    prefixed!("a Hugging Face token", "HF_TOKEN", false, High, ["hf_"], alnum, 34..=34),
    prefixed!("a SendGrid API key", "SENDGRID_API_KEY", false, High, ["SG."], dotted_base64url, 66..=66),
    prefixed!("a DigitalOcean token", "DIGITALOCEAN_TOKEN", false, High, ["dop_v1_", "doo_v1_"], hex, 64..=64),
    prefixed!("a Shopify access token", "SHOPIFY_ACCESS_TOKEN", false, High, ["shpat_", "shpca_", "shppa_", "shpss_"], hex, 32..=32),
    prefixed!("a Databricks token", "DATABRICKS_TOKEN", false, High, ["dapi"], hex, 32..=32),
    custom!("a private key", "PRIVATE_KEY", High, private_key_block),
    custom!("a Telegram bot token", "TELEGRAM_BOT_TOKEN", High, telegram_bot_token),
    custom!("a JSON Web Token", "AUTH_TOKEN", Medium, json_web_token),
];

fn azure_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')
}

/// The shortest secret any format matches: shorter strings are skipped at once.
const SHORTEST_SECRET: usize = 20;

/// The first known secret of each kind in one string.
#[derive(Default)]
pub struct KnownSecrets {
    /// The first cloud or live payment key.
    pub critical: Option<KnownSecret>,
    /// The first of any other format.
    pub other: Option<KnownSecret>,
}

/// The first known secret of each kind in `text`, found in one pass over it.
pub fn find_known_secrets(text: &[u8]) -> KnownSecrets {
    let mut found = KnownSecrets::default();
    if text.len() < SHORTEST_SECRET {
        return found;
    }
    let by_first_byte = prefixes_by_first_byte();
    // Per format, the last run of body bytes measured, as (start, end): a later body that
    // starts inside it ends where it ends, so no run is measured twice (`xoxb-xoxb-…`).
    // Allocated on the first prefix match: most strings have none.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for at in word_starts(text) {
        for &(index, prefix) in &by_first_byte[usize::from(text[at])] {
            let format = &FORMATS[index];
            let Matcher::Prefixed {
                alphabet, min, max, ..
            } = &format.matcher
            else {
                continue;
            };
            let slot = if format.critical {
                &mut found.critical
            } else {
                &mut found.other
            };
            if slot.is_some() || !text[at..].starts_with(prefix.as_bytes()) {
                continue;
            }
            let body_start = at + prefix.len();
            if runs.is_empty() {
                runs = vec![(0, 0); FORMATS.len()];
            }
            let (run_start, run_end) = runs[index];
            let end = if (run_start..run_end).contains(&body_start) {
                run_end
            } else {
                let len = text[body_start..]
                    .iter()
                    .take_while(|b| alphabet(**b))
                    .count();
                runs[index] = (body_start, body_start + len);
                body_start + len
            };
            let body = &text[body_start..end];
            if (*min..=*max).contains(&body.len()) && !is_placeholder_body(body) {
                *slot = Some(KnownSecret {
                    format,
                    start: at,
                    end,
                });
            }
        }
        if found.critical.is_some() && found.other.is_some() {
            return found;
        }
    }
    // The structured formats are all of the non-critical kind.
    if found.other.is_none() {
        found.other = FORMATS.iter().find_map(|format| match format.matcher {
            Matcher::Custom(matcher) => {
                let (start, end) = matcher(text)?;
                Some(KnownSecret { format, start, end })
            }
            Matcher::Prefixed { .. } => None,
        });
    }
    found
}

/// Builds the table of prefixes now rather than in the first analysis (see `crate::fill_caches`).
pub fn fill_cache() {
    prefixes_by_first_byte();
}

/// For each byte, the prefixes that start with it, as (index in `FORMATS`, prefix): one
/// pass over a string then tries only the few prefixes that can start at each word.
fn prefixes_by_first_byte() -> &'static [Vec<(usize, &'static str)>] {
    static TABLE: std::sync::OnceLock<Vec<Vec<(usize, &'static str)>>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = vec![Vec::new(); 256];
        for (index, format) in FORMATS.iter().enumerate() {
            if let Matcher::Prefixed { prefixes, .. } = &format.matcher {
                for prefix in prefixes.iter() {
                    if let Some(first) = prefix.as_bytes().first() {
                        table[usize::from(*first)].push((index, *prefix));
                    }
                }
            }
        }
        table
    })
}

/// The offsets where a prefix may start: every byte that does not follow a letter or digit.
fn word_starts(text: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at;
        if start >= text.len() {
            return None;
        }
        at += 1;
        if alnum(text[start]) {
            // The rest of the word, and the byte after it, follow a letter or digit.
            at += text[at..].iter().take_while(|b| alnum(**b)).count() + 1;
        }
        Some(start)
    })
}

/// True when `text` holds any known secret (other rules leave such strings to these).
pub fn has_known_secret(text: &[u8]) -> bool {
    let found = find_known_secrets(text);
    found.critical.is_some() || found.other.is_some()
}

/// Where `needle` first occurs in `text` at or after `from`.
fn find(text: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let rest = text.get(from..)?;
    memchr::memmem::find(rest, needle).map(|at| from + at)
}

/// `EXAMPLE`, `xxxx`, `0000…`, `abcdefgh…`: the body of a documentation key.
fn is_placeholder_body(body: &[u8]) -> bool {
    let lower = body.to_ascii_lowercase();
    let contains = |needle: &[u8]| find(&lower, needle, 0).is_some();
    let mut distinct = [false; 256];
    body.iter().for_each(|b| distinct[usize::from(*b)] = true);
    let distinct = distinct.iter().filter(|seen| **seen).count();
    [
        &b"example"[..],
        b"sample",
        b"xxxx",
        b"your",
        b"dummy",
        b"fake",
        b"redacted",
        b"0000000",
        b"abcdefgh",
        b"1234567",
    ]
    .iter()
    .any(|needle| contains(needle))
        || distinct < 8.min(body.len() / 2 + 1)
}

/// `-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )PRIVATE KEY( BLOCK)-----` followed by
/// at least 40 bytes of key material (a bare header is a marker, not a key).
fn private_key_block(text: &[u8]) -> Option<(usize, usize)> {
    const BEGIN: &[u8] = b"-----BEGIN ";
    /// Each header costs a scan to its end marker: a string of many headers stops early.
    const MAX_HEADERS: usize = 16;
    let mut from = 0;
    let mut headers = 0;
    while let Some(at) = find(text, BEGIN, from) {
        headers += 1;
        if headers > MAX_HEADERS {
            return None;
        }
        from = at + 1;
        let label_start = at + BEGIN.len();
        let label_len = find(text, b"-----", label_start)? - label_start;
        let label = &text[label_start..label_start + label_len];
        if label.len() > 40
            || !(label.ends_with(b"PRIVATE KEY") || label.ends_with(b"PRIVATE KEY BLOCK"))
        {
            continue;
        }
        let body_start = label_start + label_len + 5;
        let end_marker = find(text, b"-----END", body_start);
        let body = &text[body_start..end_marker.unwrap_or(text.len())];
        let material = body
            .iter()
            .filter(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
            .count();
        if material < 40 || is_placeholder_body(body) {
            continue;
        }
        let end = match end_marker {
            Some(end) => find(text, b"-----", end + 8).map_or(text.len(), |close| close + 5),
            None => text.len(),
        };
        return Some((at, end));
    }
    None
}

/// `123456789:AAH…`: a bot id, a colon and 35 bytes of base64url.
fn telegram_bot_token(text: &[u8]) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(colon) = find(text, b":AA", from) {
        from = colon + 1;
        let digits = text[..colon]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let start = colon - digits;
        let body = text[colon + 1..]
            .iter()
            .take_while(|b| base64url(**b))
            .count();
        // Bot API URLs put it right after `/bot`: `https://api.telegram.org/bot123…:AA…/`.
        let bounded = start == 0 || !alnum(text[start - 1]) || text[..start].ends_with(b"/bot");
        if (8..=10).contains(&digits) && body == 35 && bounded {
            return Some((start, colon + 1 + body));
        }
    }
    None
}

/// `eyJ….eyJ….signature`: a signed JWT (the jwt.io sample excluded).
fn json_web_token(text: &[u8]) -> Option<(usize, usize)> {
    const SAMPLE_SIGNATURE: &[u8] = b"SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    let mut from = 0;
    while let Some(at) = find(text, b"eyJ", from) {
        from = at + 1;
        if at > 0 && dotted_base64url(text[at - 1]) {
            continue;
        }
        let segment = |start: usize| text[start..].iter().take_while(|b| base64url(**b)).count();
        let header = segment(at);
        let payload_start = at + header + 1;
        if header < 10 || text.get(at + header) != Some(&b'.') {
            continue;
        }
        if !text[payload_start..].starts_with(b"eyJ") {
            continue;
        }
        let payload = segment(payload_start);
        let signature_start = payload_start + payload + 1;
        if payload < 10 || text.get(payload_start + payload) != Some(&b'.') {
            continue;
        }
        let signature = segment(signature_start);
        let signature_bytes = &text[signature_start..signature_start + signature];
        if signature >= 16 && signature_bytes != SAMPLE_SIGNATURE {
            return Some((at, signature_start + signature));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(text: &str) -> Option<&'static str> {
        let found = find_known_secrets(text.as_bytes());
        found
            .other
            .or(found.critical)
            .map(|found| found.format.label)
    }

    #[test]
    fn finds_each_kind_once_bounded() {
        assert_eq!(label("AKIAMPFLVFUPXQMB2Y2N"), Some("an AWS access key ID"));
        assert_eq!(
            label("key=AKIAMPFLVFUPXQMB2Y2N;"),
            Some("an AWS access key ID")
        );
        assert_eq!(label("XAKIAMPFLVFUPXQMB2Y2N"), None);
        assert_eq!(label("AKIAMPFLVFUPXQMB2Y2NQ"), None);
        assert_eq!(label("AKIAIOSFODNN7EXAMPLE"), None);
        assert_eq!(
            label("token ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"),
            Some("a GitHub token")
        );
    }

    #[test]
    fn never_panics_on_truncated_or_odd_text() {
        for text in [
            "AKIA",
            "xxxxxxxxxxxxxxxxxxxxxxxxxAKIA",
            "xxxxxxxxxxxxxxxxxxxxxx-----BEGIN ",
            "xxxxxxxxxxxxxxxxxxxxxx-----BEGIN RSA PRIVATE KEY-----",
            "xxxxxxxxxxxxxxxxxxxxxx-----BEGIN RSA PRIVATE KEY-----\nabc-----END",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx eyJ",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx eyJabcdefghijk.",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx eyJabcdefghijk.eyJabcdefghijk.",
            "1234567890:AA",
            "éééééééééééééééééééééé:AA🔑🔑🔑🔑",
            "🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑 sk_live_",
        ] {
            let _ = label(text);
        }
        let mut bytes = b"-----BEGIN PRIVATE KEY-----".to_vec();
        bytes.extend([0xff, 0xfe, b'A', 0x80].repeat(20));
        let _ = find_known_secrets(&bytes);
    }

    #[test]
    fn long_adversarial_strings_stay_linear() {
        let start = std::time::Instant::now();
        for unit in [
            "xoxb-",
            "-----BEGIN PRIVATE KEY-----",
            "eyJ.",
            "1:AA",
            "AKIA",
        ] {
            let text = unit.repeat(50_000);
            let _ = find_known_secrets(text.as_bytes());
        }
        assert!(start.elapsed().as_secs() < 10, "took {:?}", start.elapsed());
    }
}
