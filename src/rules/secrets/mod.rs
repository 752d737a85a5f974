//! Secrets written into the code: passwords, API keys, tokens, signing and private keys,
//! credentials inside URLs.
//!
//! The rules share their judgement: [`secret_name`] reads what a name announces,
//! [`secret_value`] whether a value looks like a real secret (keys recognised by their
//! format alone are `semantic::known_secrets`), [`url_credentials`] finds passwords in URLs, [`sites`] finds where
//! a value is bound.

mod cloud_or_payment_key;
mod credentials_in_url;
mod format_findings;
mod hardcoded_password_argument;
mod hardcoded_secret;
mod known_secret_format;
mod secret_env_fallback;
mod secret_name;
mod secret_value;
mod sites;
mod url_credentials;

use super::Rule;

pub static RULES: &[&Rule] = &[
    &hardcoded_secret::RULE,
    &credentials_in_url::RULE,
    &known_secret_format::RULE,
    &cloud_or_payment_key::RULE,
    &secret_env_fallback::RULE,
    &hardcoded_password_argument::RULE,
];
