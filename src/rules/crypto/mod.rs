//! Cryptography, randomness and authentication: hashes, ciphers, keys, tokens and how
//! secrets are compared.

mod ancestry;
mod hash_use;
mod names;
mod pbkdf2;
mod random_flow;
mod values;

mod insecure_random;
mod password_weak_hash;
mod weak_hash;

use super::Rule;

pub static RULES: &[&Rule] = &[
    &weak_hash::RULE,
    &password_weak_hash::RULE,
    &insecure_random::RULE,
];
