//! Whether a loader reads a file the code names itself (`"model.pkl"`, `open("model.pkl")`):
//! then only someone who can replace that file can attack, and findings say so with a
//! lower confidence than for data that arrives from elsewhere.

use crate::checker::Checker;
use crate::parse::ast::{self, Expr};
use crate::semantic::{keyword, BindingKind};

/// How many names are followed back to the file they hold.
const MAX_DEPTH: usize = 4;

/// The names loaders give their first parameter (`pickle.load(file)`, `torch.load(f)`,
/// `joblib.load(filename)`, `keras.models.load_model(filepath)`,
/// `pandas.read_pickle(filepath_or_buffer)`).
const SOURCE_PARAMETERS: &[&str] = &["file", "f", "filename", "filepath", "filepath_or_buffer"];

/// Whether a loader call reads a file named in the code: its source is a constant path,
/// `open(<constant path>)`, or a name bound to one of those (also by `with open(...) as f`).
pub(super) fn reads_named_file<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> bool {
    let source = call.arguments.find_positional(0).or_else(|| {
        SOURCE_PARAMETERS
            .iter()
            .find_map(|name| keyword(call, name).map(|keyword| &keyword.value))
    });
    source.is_some_and(|source| is_named_file(checker, source, 0))
}

fn is_named_file<'a>(checker: &Checker<'a>, data: &'a Expr, depth: usize) -> bool {
    let semantic = checker.semantic();
    if depth > MAX_DEPTH {
        return false;
    }
    match data {
        Expr::StringLiteral(_) | Expr::FString(_) | Expr::BinOp(_) => {
            semantic.is_constant_string(data)
        }
        Expr::Call(call) => {
            let opens_file = semantic
                .resolve_qualified_name(&call.func)
                .is_some_and(|function| {
                    function.is_builtin("open")
                        || matches!(
                            function.segments(),
                            ["io", "open"] | ["gzip" | "bz2" | "lzma", "open"]
                        )
                });
            opens_file
                && call
                    .arguments
                    .find_positional(0)
                    .is_some_and(|path| is_named_file(checker, path, depth + 1))
        }
        Expr::Name(name) => match semantic.binding_of(name).map(|binding| &binding.kind) {
            Some(BindingKind::Assignment(value) | BindingKind::WithItem(value)) => {
                is_named_file(checker, value, depth + 1)
            }
            _ => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::{analyze, Confidence, Options};

    fn confidences(rule: &str, source: &str) -> Vec<Confidence> {
        let options = Options {
            select: vec![rule.to_string()],
            ..Options::default()
        };
        analyze(source, &options)
            .findings
            .iter()
            .map(|finding| finding.confidence)
            .collect()
    }

    #[test]
    fn a_file_named_in_the_code_lowers_confidence() {
        use Confidence::{High, Low, Medium};
        // Pickles: high only from a request, unknown data medium, a named file low.
        let pickles = "import pickle, pandas, joblib
from flask import request
pickle.loads(request.get_data())
pickle.load(handle)
pickle.load(open('model.pkl', 'rb'))
PATH = 'model.pkl'
with open(PATH, 'rb') as saved:
    pickle.load(saved)
pandas.read_pickle('frame.pkl')
joblib.load(filename=PATH)
pickle.load(open(upload_path, 'rb'))
";
        assert_eq!(
            confidences("PV302", pickles),
            [High, Medium, Low, Low, Low, Low, Medium]
        );
        let checkpoints = "import torch
torch.load(blob, weights_only=False)
torch.load('model.pt', weights_only=False)
torch.load(blob)
torch.load('model.pt')
torch.load(blob, weights_only=flag)
";
        assert_eq!(
            confidences("PV304", checkpoints),
            [High, Medium, Medium, Low, Medium]
        );
        let arrays = "import numpy as np
np.load(upload, allow_pickle=True)
np.load('arrays.npz', allow_pickle=True)
";
        assert_eq!(confidences("PV305", arrays), [High, Medium]);
    }
}
