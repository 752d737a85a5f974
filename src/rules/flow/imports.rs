//! Imports for fixes, refused where the name they bind is already something else.

use crate::checker::Checker;
use crate::diagnostic::Edit;
use crate::parse::TextSize;
use crate::semantic::BindingKind;

/// The name to use for `module` at `at` and the edit that imports it (see
/// [`Checker::import_module`]), or `None` when a new `import module` would be hidden there by
/// another binding of the same name (`html = "..."` before `html.escape(...)`).
pub fn import_for_fix(
    checker: &Checker,
    module: &str,
    at: TextSize,
) -> Option<(String, Option<Edit>)> {
    let (name, edit) = checker.import_module(module, at);
    if edit.is_some() {
        let semantic = checker.semantic();
        let root = name.split('.').next().unwrap_or(&name);
        let wanted: Vec<&str> = module.split('.').take(1).collect();
        let hidden = semantic
            .lookup(root, semantic.current_scope(), at)
            .is_some_and(|binding| !matches!(&binding.kind, BindingKind::Import(imported) if imported.segments() == wanted.as_slice()));
        if hidden {
            return None;
        }
    }
    Some((name, edit))
}
