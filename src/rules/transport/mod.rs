//! Transport security: certificate verification, TLS versions, cleartext protocols and
//! timeouts on outgoing connections.

mod arguments;
mod clients;
mod tls_context;
mod verification_fix;

mod bind_all_interfaces;
mod cert_verification_disabled;
mod cleartext_http_url;
mod cleartext_protocol;
mod insecure_tls_version;
mod request_without_timeout;
mod snmp_insecure_version;
mod snmp_weak_security;
mod ssh_host_key_not_verified;
mod ssl_wrap_socket;
mod stdlib_tls_unverified;
mod tls_warnings_disabled;
mod unverified_ssl_context;
mod urlopen_unchecked_scheme;

use super::Rule;

pub static RULES: &[&Rule] = &[
    &cert_verification_disabled::RULE,
    &request_without_timeout::RULE,
    &unverified_ssl_context::RULE,
    &insecure_tls_version::RULE,
    &tls_warnings_disabled::RULE,
    &cleartext_http_url::RULE,
    &ssh_host_key_not_verified::RULE,
    &cleartext_protocol::RULE,
    &stdlib_tls_unverified::RULE,
    &bind_all_interfaces::RULE,
    &ssl_wrap_socket::RULE,
    &snmp_insecure_version::RULE,
    &snmp_weak_security::RULE,
    &urlopen_unchecked_scheme::RULE,
];

#[cfg(test)]
mod tests;
