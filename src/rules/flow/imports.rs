//! Imports for fixes.

use crate::checker::Checker;
use crate::diagnostic::Edit;
use crate::parse::TextSize;

/// The name to use for `module` at `at` and the edit that imports it (see
/// [`Checker::import_module`]; a name that means something else there gets an alias). An
/// `Option` so that fix builders can chain it with `?` beside their other refusals.
pub fn import_for_fix(
    checker: &Checker,
    module: &str,
    at: TextSize,
) -> Option<(String, Option<Edit>)> {
    Some(checker.import_module(module, at))
}
