//! Cryptography, randomness and authentication: hashes, ciphers, keys, tokens and how
//! secrets are compared.

mod cipher_use;
mod crypt_methods;
mod destination;
mod digest_role;
mod hash_use;
mod names;
mod pbkdf2;
mod random_flow;
mod random_stores;
mod rsa_pkcs1v15_encryption;
mod secrets_equivalent;
mod values;

mod ecb_mode;
mod hash_as_mac;
mod insecure_random;
mod non_constant_time_compare;
mod password_weak_hash;
mod static_iv;
mod weak_cipher;
mod weak_hash;
mod weak_key_size;

use super::Rule;

pub static RULES: &[&Rule] = &[
    &weak_hash::RULE,
    &password_weak_hash::RULE,
    &insecure_random::RULE,
    &weak_cipher::RULE,
    &ecb_mode::RULE,
    &static_iv::RULE,
    &weak_key_size::RULE,
    &non_constant_time_compare::RULE,
    &rsa_pkcs1v15_encryption::RULE,
    &hash_as_mac::RULE,
];
