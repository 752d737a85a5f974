//! Cryptography, randomness and authentication: hashes, ciphers, keys, tokens and how
//! secrets are compared.

mod ancestry;
mod names;
mod random_flow;
mod values;

mod insecure_random;

use super::Rule;

pub static RULES: &[&Rule] = &[&insecure_random::RULE];
