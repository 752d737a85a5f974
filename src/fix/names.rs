//! Whether the names a fix writes mean what the fix means by them, where it writes them:
//! `os.environ[...]` added inside `def f(os):` reads the parameter, and `ssl.create_default_context()`
//! with `ssl` imported only under `if TYPE_CHECKING:` fails at run time.

use crate::checker::{observe_module, Visited};
use crate::parse::ast::{self, Expr, ExprContext, Stmt};
use crate::parse::{parse_module, Ranged, TextRange};
use crate::semantic::{BindingKind, MODULE_SCOPE};

/// A name in new code that does not mean what it should.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameProblem {
    pub name: String,
    /// Where the name is, in the text after the edits.
    pub range: TextRange,
    pub problem: &'static str,
}

/// The names loaded inside `written` (ranges of text the edits wrote, in `source`, the text
/// after the edits) that are defined nowhere visible, are imported only for the type
/// checker, or are a module's name used as a module (`name.attribute`) where a local of the
/// same name hides the module's import.
pub fn misbound_names(source: &str, written: &[TextRange]) -> Vec<NameProblem> {
    let parsed = parse_module(source);
    let inside = |range: TextRange| written.iter().any(|edit| edit.contains_range(range));
    let mut type_checking_blocks: Vec<TextRange> = Vec::new();
    // (problem, the binding's range when it must be checked against the type-checking blocks)
    let mut found: Vec<(NameProblem, Option<TextRange>)> = Vec::new();
    observe_module(source, &parsed.body, &mut |checker, visited| {
        let semantic = checker.semantic();
        match visited {
            Visited::Stmt(Stmt::If(branch)) if is_type_checking(&branch.test) => {
                if let (Some(first), Some(last)) = (branch.body.first(), branch.body.last()) {
                    type_checking_blocks.push(TextRange::new(first.start(), last.end()));
                }
            }
            Visited::Expr(Expr::Name(name))
                if name.ctx == ExprContext::Load && inside(name.range) =>
            {
                let problem = |problem| NameProblem {
                    name: name.id.to_string(),
                    range: name.range,
                    problem,
                };
                match semantic.binding_of(name) {
                    None if !BUILTINS.contains(&name.id.as_str()) => {
                        found.push((problem("is not defined here"), None));
                    }
                    None => {}
                    Some(binding) => {
                        if matches!(binding.kind, BindingKind::Import(_)) {
                            found.push((
                                problem("is imported only for the type checker"),
                                Some(binding.range),
                            ));
                        }
                    }
                }
            }
            Visited::Expr(Expr::Attribute(ast::ExprAttribute { value, .. })) => {
                let Expr::Name(name) = &**value else {
                    return;
                };
                if !inside(name.range) {
                    return;
                }
                let hidden = semantic.binding_of(name).is_some_and(|binding| {
                    binding.scope != MODULE_SCOPE && !matches!(binding.kind, BindingKind::Import(_))
                });
                let imported_as_module = semantic
                    .bindings_in(MODULE_SCOPE, name.id.as_str())
                    .iter()
                    .any(|binding| matches!(binding.kind, BindingKind::Import(_)));
                if hidden && imported_as_module {
                    found.push((
                        NameProblem {
                            name: name.id.to_string(),
                            range: name.range,
                            problem: "is a local here, not the module imported under that name",
                        },
                        None,
                    ));
                }
            }
            _ => {}
        }
    });
    found
        .into_iter()
        .filter(|(_, import)| {
            import.is_none_or(|import| {
                type_checking_blocks
                    .iter()
                    .any(|block| block.contains_range(import))
            })
        })
        .map(|(problem, _)| problem)
        .collect()
}

/// `TYPE_CHECKING` or `typing.TYPE_CHECKING` (any module's: `typing_extensions` has one too).
fn is_type_checking(test: &Expr) -> bool {
    match test {
        Expr::Name(name) => name.id.as_str() == "TYPE_CHECKING",
        Expr::Attribute(attribute) => attribute.attr.as_str() == "TYPE_CHECKING",
        _ => false,
    }
}

/// Python 3's builtins (`dir(builtins)`), and the globals every module has.
#[rustfmt::skip]
const BUILTINS: &[&str] = &[
    "ArithmeticError", "AssertionError", "AttributeError", "BaseException", "BaseExceptionGroup",
    "BlockingIOError", "BrokenPipeError", "BufferError", "BytesWarning", "ChildProcessError",
    "ConnectionAbortedError", "ConnectionError", "ConnectionRefusedError", "ConnectionResetError",
    "DeprecationWarning", "EOFError", "Ellipsis", "EncodingWarning", "EnvironmentError", "Exception",
    "ExceptionGroup", "False", "FileExistsError", "FileNotFoundError", "FloatingPointError",
    "FutureWarning", "GeneratorExit", "IOError", "ImportError", "ImportWarning", "IndentationError",
    "IndexError", "InterruptedError", "IsADirectoryError", "KeyError", "KeyboardInterrupt",
    "LookupError", "MemoryError", "ModuleNotFoundError", "NameError", "None", "NotADirectoryError",
    "NotImplemented", "NotImplementedError", "OSError", "OverflowError", "PendingDeprecationWarning",
    "PermissionError", "ProcessLookupError", "RecursionError", "ReferenceError", "ResourceWarning",
    "RuntimeError", "RuntimeWarning", "StopAsyncIteration", "StopIteration", "SyntaxError",
    "SyntaxWarning", "SystemError", "SystemExit", "TabError", "TimeoutError", "True", "TypeError",
    "UnboundLocalError", "UnicodeDecodeError", "UnicodeEncodeError", "UnicodeError",
    "UnicodeTranslateError", "UnicodeWarning", "UserWarning", "ValueError", "Warning",
    "ZeroDivisionError", "__build_class__", "__debug__", "__doc__", "__file__", "__import__",
    "__loader__", "__name__", "__package__", "__spec__", "abs", "aiter", "all", "anext", "any",
    "ascii", "bin", "bool", "breakpoint", "bytearray", "bytes", "callable", "chr", "classmethod",
    "compile", "complex", "copyright", "credits", "delattr", "dict", "dir", "divmod", "enumerate",
    "eval", "exec", "exit", "filter", "float", "format", "frozenset", "getattr", "globals",
    "hasattr", "hash", "help", "hex", "id", "input", "int", "isinstance", "issubclass", "iter",
    "len", "license", "list", "locals", "map", "max", "memoryview", "min", "next", "object", "oct",
    "open", "ord", "pow", "print", "property", "quit", "range", "repr", "reversed", "round", "set",
    "setattr", "slice", "sorted", "staticmethod", "str", "sum", "super", "tuple", "type", "vars",
    "zip",
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The problems of the names in `written` (its first occurrence in `source`).
    fn problems(source: &str, written: &str) -> Vec<(String, &'static str)> {
        let start = source
            .find(written)
            .expect("the written text is in the source");
        let range = TextRange::at(
            u32::try_from(start).unwrap().into(),
            u32::try_from(written.len()).unwrap().into(),
        );
        misbound_names(source, &[range])
            .into_iter()
            .map(|problem| (problem.name, problem.problem))
            .collect()
    }

    #[test]
    fn a_module_hidden_by_a_parameter_is_reported() {
        let source = "import os\n\ndef connect(os):\n    return os.environ['KEY']\n";
        assert_eq!(
            problems(source, "os.environ['KEY']"),
            [(
                "os".to_string(),
                "is a local here, not the module imported under that name"
            )]
        );
        let fine = "import os\n\ndef connect(path):\n    return os.environ['KEY']\n";
        assert!(problems(fine, "os.environ['KEY']").is_empty());
    }

    #[test]
    fn an_import_for_the_type_checker_only_is_reported() {
        let source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import os\n\nkey = os.environ['KEY']\n";
        assert_eq!(
            problems(source, "os.environ['KEY']"),
            [("os".to_string(), "is imported only for the type checker")]
        );
    }

    #[test]
    fn undefined_names_are_reported_and_builtins_and_optional_imports_are_not() {
        assert_eq!(
            problems("x = format_html('{}', y)\n", "format_html('{}', y)"),
            [
                ("format_html".to_string(), "is not defined here"),
                ("y".to_string(), "is not defined here")
            ]
        );
        assert!(problems("x = len(str(1))\n", "len(str(1))").is_empty());
        let optional = "try:\n    import ssl\nexcept ImportError:\n    ssl = None\n\ndef f():\n    return ssl.create_default_context()\n";
        assert!(problems(optional, "ssl.create_default_context()").is_empty());
    }
}
