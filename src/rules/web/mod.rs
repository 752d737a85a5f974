//! Web framework configuration: debug mode, signing keys, allowed hosts, cookies, CSRF,
//! CORS, JWT and security headers, for Django, Flask, FastAPI/Starlette and their extensions.
//!
//! The checker hands the setting rules every framework setting written (found once, by
//! `semantic::settings`). Shared judgement lives in non-rule files: `environment` reads environment lookups and their fallbacks, `cors` reads CORS
//! policies, `jwt` reads JWT library calls, `csp` parses Content-Security-Policies,
//! `guards` tells whether a value is checked before use (with `enclosing`),
//! `view_auth` how a view authenticates, `arguments` edits argument lists and `lists`
//! literal lists.

mod allowed_hosts_wildcard;
mod arguments;
mod cookie_without_flags;
mod cors;
mod cors_any_origin;
mod cors_credentials_any_origin;
mod cors_reflected_origin;
mod csp;
mod csp_unsafe_source;
mod csrf_exempt_view;
mod csrf_protection_disabled;
mod debug_mode_enabled;
mod django_security_setting_disabled;
mod environment;
mod guards;
mod hardcoded_framework_secret_key;
mod insecure_cookie_setting;
mod jwt;
mod jwt_algorithm_not_fixed;
mod jwt_claim_check_disabled;
mod jwt_hardcoded_key;
mod jwt_signature_not_verified;
mod lists;
mod talisman_protection_disabled;
mod view_auth;

use super::Rule;

pub static RULES: &[&Rule] = &[
    &debug_mode_enabled::RULE,
    &hardcoded_framework_secret_key::RULE,
    &allowed_hosts_wildcard::RULE,
    &insecure_cookie_setting::RULE,
    &cookie_without_flags::RULE,
    &csrf_exempt_view::RULE,
    &csrf_protection_disabled::RULE,
    &cors_credentials_any_origin::RULE,
    &cors_any_origin::RULE,
    &cors_reflected_origin::RULE,
    &jwt_signature_not_verified::RULE,
    &jwt_algorithm_not_fixed::RULE,
    &jwt_claim_check_disabled::RULE,
    &jwt_hardcoded_key::RULE,
    &talisman_protection_disabled::RULE,
    &django_security_setting_disabled::RULE,
    &csp_unsafe_source::RULE,
];

#[cfg(test)]
mod tests;
