//! Loading data in formats that can run code: pickle and friends, YAML, torch, numpy.

mod unsafe_yaml_load;

use super::Rule;

pub static RULES: &[&Rule] = &[&unsafe_yaml_load::RULE];
