//! Where each rule's fixture is, and the options that run that rule alone.

use std::path::{Path, PathBuf};

use pyvet::rules::Rule;
use pyvet::Options;

/// `tests/fixtures/<group>/<rule_name>.py`.
pub fn fixture_path(rule: &Rule) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rule.meta.group())
        .join(format!("{}.py", rule.meta.name.replace('-', "_")))
}

/// Only this rule.
pub fn only(rule: &Rule) -> Options {
    Options {
        select: vec![rule.meta.id.to_string()],
        ..Options::default()
    }
}
