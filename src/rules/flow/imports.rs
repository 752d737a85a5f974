//! Imports for fixes, refused where the module's own name is taken.

use crate::checker::Checker;
use crate::diagnostic::Edit;
use crate::parse::TextSize;

/// The name to use for `module` at `at` and the edit that imports it (see
/// [`Checker::import_module`]), or `None` when a new import would need an alias because the
/// module's own name means something else there (`html = "..."` before `html.escape(...)`).
/// For fixes whose authors prefer no fix to one that reads `_html.escape(...)`; call
/// [`Checker::import_module`] to get the alias instead.
pub fn import_for_fix(
    checker: &Checker,
    module: &str,
    at: TextSize,
) -> Option<(String, Option<Edit>)> {
    let (name, edit) = checker.import_module(module, at);
    let aliased = edit.is_some() && name != module;
    (!aliased).then_some((name, edit))
}
