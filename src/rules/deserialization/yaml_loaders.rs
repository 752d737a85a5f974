//! Which PyYAML loaders build Python objects: the named ones, the
//! `getattr(yaml, "CLoader", yaml.Loader)` idiom, names assigned one of those, and local
//! subclasses.

use crate::checker::Checker;
use crate::parse::ast::Expr;
use crate::semantic::BindingKind;

/// How deep `Loader = ...` names and local loader subclasses are followed.
const MAX_LOADER_DEPTH: usize = 4;

/// A loader that builds Python objects, and how we know.
pub(super) enum UnsafeLoader {
    /// `yaml.Loader`, `yaml.FullLoader`, ... (by its qualified name).
    Named(String),
    /// A local class derived from one of them.
    Subclass { class: String, base: String },
}

/// Whether a `Loader` argument builds Python objects: a known loader, the
/// `getattr(yaml, "CLoader", yaml.Loader)` idiom, a name assigned one of those, or a local
/// subclass of one.
pub(super) fn unsafe_loader<'a>(
    checker: &Checker<'a>,
    loader: &'a Expr,
    depth: usize,
) -> Option<UnsafeLoader> {
    if depth > MAX_LOADER_DEPTH {
        return None;
    }
    let semantic = checker.semantic();
    if let Some(name) = semantic.resolve_qualified_name(loader) {
        return is_unsafe_loader_name(name.segments())
            .then(|| UnsafeLoader::Named(name.to_string()));
    }
    match loader {
        Expr::Call(call) => {
            let function = semantic.resolve_qualified_name(&call.func)?;
            let [module, attribute, fallback @ ..] = &call.arguments.args[..] else {
                return None;
            };
            let is_yaml = semantic
                .resolve_qualified_name(module)
                .is_some_and(|module| module.segments() == ["yaml"]);
            if !function.is_builtin("getattr") || !is_yaml {
                return None;
            }
            let attribute = semantic.constant_string(attribute)?;
            if is_unsafe_loader_name(&["yaml", attribute.as_str()]) {
                return Some(UnsafeLoader::Named(format!("yaml.{attribute}")));
            }
            unsafe_loader(checker, fallback.first()?, depth + 1)
        }
        Expr::Name(name) => match &semantic.binding_of(name)?.kind {
            BindingKind::Assignment(value) => unsafe_loader(checker, value, depth + 1),
            BindingKind::ClassDef(class) => class.bases().iter().find_map(|base| {
                match unsafe_loader(checker, base, depth + 1)? {
                    UnsafeLoader::Named(base) | UnsafeLoader::Subclass { base, .. } => {
                        Some(UnsafeLoader::Subclass {
                            class: name.id.to_string(),
                            base,
                        })
                    }
                }
            }),
            _ => None,
        },
        _ => None,
    }
}

fn is_unsafe_loader_name(segments: &[&str]) -> bool {
    matches!(
        segments,
        [
            "yaml",
            "Loader" | "UnsafeLoader" | "FullLoader" | "CLoader" | "CUnsafeLoader" | "CFullLoader"
        ] | ["yaml", "loader", "Loader" | "UnsafeLoader" | "FullLoader"]
    )
}
