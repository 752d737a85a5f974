//! group secrets

use super::Rule;

pub static RULES: &[&Rule] = &[];
