//! group injection

use super::Rule;

pub static RULES: &[&Rule] = &[];
