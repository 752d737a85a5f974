//! Transport security: certificate verification, TLS versions, cleartext protocols and
//! timeouts on outgoing connections.

mod arguments;
mod clients;
mod tls_context;

mod cert_verification_disabled;
mod insecure_tls_version;
mod request_without_timeout;
mod unverified_ssl_context;

use super::Rule;

pub static RULES: &[&Rule] = &[
    &cert_verification_disabled::RULE,
    &request_without_timeout::RULE,
    &unverified_ssl_context::RULE,
    &insecure_tls_version::RULE,
];
