//! A pickle the module reads back from the path it writes it to: ansible-test's
//! `serialize(path)` / `deserialize(path)` pairs, a forked child's result file. The data is
//! the program's own state, as in a `pickle.loads(pickle.dumps(x))` round trip.

use crate::checker::Checker;
use crate::parse::ast::{self, Expr};
use crate::semantic::{body_has_call, BindingKind};

/// True when `load` reads a file opened as `with opener(path) as file` and the module also
/// runs `pickle.dump(value, other)` into a file opened from a name spelt `path` too.
pub(super) fn reads_its_own_pickle<'a>(checker: &Checker<'a>, load: &'a ast::ExprCall) -> bool {
    let Some(path) = load
        .arguments
        .find_positional(0)
        .and_then(|file| opened_path(checker, file))
    else {
        return false;
    };
    let semantic = checker.semantic();
    body_has_call(semantic.body(), |call| {
        let is_dump = semantic
            .resolve_qualified_name(&call.func)
            .is_some_and(|name| {
                matches!(
                    name.segments(),
                    ["pickle" | "cPickle" | "_pickle" | "dill", "dump"]
                )
            });
        is_dump
            && call
                .arguments
                .find_positional(1)
                .and_then(|file| opened_path(checker, file))
                == Some(path)
    })
}

/// The name of the path a `with opener(path, ...) as file` opened `file` from.
fn opened_path<'a>(checker: &Checker<'a>, file: &'a Expr) -> Option<&'a str> {
    let Expr::Name(file) = file else {
        return None;
    };
    let semantic = checker.semantic();
    let scope = semantic.scope_enclosing(file.range);
    let binding = semantic.lookup(file.id.as_str(), scope, file.range.start())?;
    let BindingKind::WithItem(Expr::Call(opener)) = &binding.kind else {
        return None;
    };
    match opener.arguments.find_positional(0) {
        Some(Expr::Name(path)) => Some(path.id.as_str()),
        _ => None,
    }
}
