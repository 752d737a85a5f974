//! What reads a pickle: the functions and classes of `pickle` and the libraries built on it,
//! local `Unpickler` subclasses that restrict nothing, and the deep-copy round trip that is
//! harmless.

use crate::checker::Checker;
use crate::parse::ast::{self, Expr, Stmt};
use crate::semantic::{BindingKind, QualifiedName};

/// Modules whose readers unpickle; checked first so files without them cost nothing.
pub(super) const PICKLE_MODULES: &[&str] = &[
    "pickle",
    "cPickle",
    "_pickle",
    "pickle5",
    "dill",
    "cloudpickle",
    "six",
    "shelve",
    "jsonpickle",
    "pandas",
    "joblib",
    "sklearn",
];

/// How deep a chain of local `Unpickler` subclasses is followed.
const MAX_SUBCLASS_DEPTH: usize = 4;

/// Functions and classes that read pickles.
pub(super) fn is_pickle_reader(segments: &[&str]) -> bool {
    matches!(
        segments,
        [
            "pickle" | "cPickle" | "_pickle" | "pickle5" | "dill" | "cloudpickle",
            "load" | "loads" | "Unpickler" | "_load" | "_loads" | "_Unpickler"
        ] | ["six", "moves", "cPickle", "load" | "loads" | "Unpickler"]
            | ["dill", "load_session" | "load_module"]
            | [
                "shelve",
                "open" | "Shelf" | "DbfilenameShelf" | "BsdDbShelf"
            ]
            | ["jsonpickle", "decode" | "loads"]
            | ["jsonpickle", "unpickler", "decode" | "Unpickler"]
            | ["pandas", "read_pickle"]
            | ["pandas", "io", "pickle", "read_pickle"]
            | ["joblib", "load"]
            | ["sklearn", "externals", "joblib", "load"]
    )
}

fn is_unpickler_class(segments: &[&str]) -> bool {
    matches!(
        segments,
        [
            "pickle" | "cPickle" | "_pickle" | "pickle5" | "dill",
            "Unpickler" | "_Unpickler"
        ] | ["six", "moves", "cPickle", "Unpickler"]
    )
}

/// `pickle.loads(pickle.dumps(obj))`, directly or through a variable: a deep copy of data
/// the program made itself.
pub(super) fn is_round_trip<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> bool {
    let Some(data) = call.arguments.find_positional(0) else {
        return false;
    };
    checker
        .semantic()
        .resolve_value_origin(data)
        .is_some_and(|origin| {
            matches!(
                origin.segments(),
                [
                    "pickle" | "cPickle" | "_pickle" | "pickle5" | "dill" | "cloudpickle",
                    "dumps",
                    "()"
                ]
            )
        })
}

/// The pickle class a local class extends without restricting `find_class`, following
/// local subclasses of subclasses.
pub(super) fn unrestricted_unpickler_base<'a>(
    checker: &Checker<'a>,
    class: &'a ast::StmtClassDef,
    depth: usize,
) -> Option<QualifiedName<'a>> {
    if depth > MAX_SUBCLASS_DEPTH || defines(class, "find_class") {
        return None;
    }
    let semantic = checker.semantic();
    class.bases().iter().find_map(|base| {
        if let Some(name) = semantic.resolve_qualified_name(base) {
            return is_unpickler_class(name.segments()).then_some(name);
        }
        let Expr::Name(name) = base else {
            return None;
        };
        match semantic.binding_of(name).map(|binding| &binding.kind) {
            Some(BindingKind::ClassDef(parent)) => {
                unrestricted_unpickler_base(checker, parent, depth + 1)
            }
            _ => None,
        }
    })
}

/// Whether a class body defines `attribute` (a method or an assignment).
fn defines(class: &ast::StmtClassDef, attribute: &str) -> bool {
    class.body.iter().any(|stmt| match stmt {
        Stmt::FunctionDef(function) => function.name.id.as_str() == attribute,
        Stmt::Assign(assign) => assign
            .targets
            .iter()
            .any(|target| matches!(target, Expr::Name(name) if name.id.as_str() == attribute)),
        _ => false,
    })
}
