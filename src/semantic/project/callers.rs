//! Calls from the other modules of the project: what they pass to a module's function.
//!
//! A helper that runs a command or opens a file with its parameter (`def run_report(name):
//! os.system(...)` in `app/tasks.py`) is dangerous when a view in another module calls it
//! with request data. Within a module the data flow finds the callers itself; across
//! modules it asks the index here, on demand: which project modules call the function with
//! untrusted data, and where that data comes from.
//!
//! Only modules that may read untrusted data are searched (their source mentions a web
//! framework, `input(` or `argv`), and only those that import the function's name or its
//! module's name (the words of their `import` lines, read once for the whole project).
//! Each one is parsed again and its calls of the function are followed with the same
//! question the sink asked. The answer is remembered per function, parameter and question.
//! A search never starts another one (the calls found are followed within their own
//! module), so the cost stays bounded: at most [`MAX_CANDIDATES`] modules a question.

use std::cell::Cell;
use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::FxHashMap as HashMap;

use super::{ProjectIndex, ProjectModule};
use crate::parse::Ranged;
use crate::semantic::{Cleans, SemanticModel};

/// How many importing modules one question parses at most.
const MAX_CANDIDATES: usize = 32;

/// Where a call in another module passes untrusted data to a function's parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassedIn {
    /// The calling module's file, as the command line named it.
    pub file: String,
    /// The line of the argument, from 1.
    pub line: usize,
    /// The code that reads the untrusted data (its first line, shortened).
    pub origin: String,
}

impl PassedIn {
    /// Where the call is, in words: "in app/views.py on line 12".
    pub fn place(&self) -> String {
        format!("in {} on line {}", self.file, self.line)
    }
}

/// What the index remembers: the callers found per question, and which files import what.
#[derive(Default)]
pub(super) struct Callers {
    answers: Mutex<HashMap<Question, Option<Arc<PassedIn>>>>,
    /// Words of the `import` lines of the modules that may read untrusted data, each with
    /// the files that use it, in file order.
    importers: OnceLock<HashMap<String, Vec<usize>>>,
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct Question {
    file: usize,
    function: String,
    parameter: usize,
    web_only: bool,
    cleans: usize,
}

thread_local! {
    /// Set while this thread searches callers: their own parameters are not searched in turn.
    static SEARCHING: Cell<bool> = const { Cell::new(false) };
}

impl ProjectModule {
    /// A call in another module of the project that passes untrusted data to the parameter
    /// `parameter` of this module's top-level function `function`, the first in file order;
    /// `cleans` and `web_only` ask the question the sink asks (see `SemanticModel::taint_source_with`).
    pub(crate) fn passed_in(
        &self,
        function: &str,
        parameter: &str,
        web_only: bool,
        cleans: Cleans,
    ) -> Option<Arc<PassedIn>> {
        if SEARCHING.with(Cell::get) {
            return None;
        }
        let summary = self.summary().function(function)?;
        let parameter = summary
            .parameters
            .iter()
            .position(|name| name == parameter)?;
        let question = Question {
            file: self.file,
            function: function.to_string(),
            parameter,
            web_only,
            cleans: cleans as usize,
        };
        let callers = &self.index.callers;
        if let Some(answer) = lock(&callers.answers).get(&question) {
            return answer.clone();
        }
        SEARCHING.with(|searching| searching.set(true));
        let answer = self.search(&question, cleans).map(Arc::new);
        SEARCHING.with(|searching| searching.set(false));
        lock(&callers.answers).insert(question, answer.clone());
        answer
    }

    /// True when some module of the project that may read untrusted data imports this one
    /// or one of its functions by name: only then can a caller elsewhere pass it such data.
    pub(crate) fn may_be_called_with_input(&self) -> bool {
        let importers = self.index.importers();
        let own_name = self.indexed().segments.last().map(String::as_str);
        own_name
            .into_iter()
            .chain(self.summary().functions.keys().map(String::as_str))
            .any(|name| {
                importers
                    .get(name)
                    .is_some_and(|files| files.iter().any(|file| *file != self.file))
            })
    }

    fn search(&self, question: &Question, cleans: Cleans) -> Option<PassedIn> {
        let index = &self.index;
        let own_name = self.indexed().segments.last()?;
        let target = std::ptr::from_ref(self.summary().function(&question.function)?);
        let importers = index.importers();
        let mut candidates: Vec<usize> = [own_name.as_str(), question.function.as_str()]
            .iter()
            .filter_map(|name| importers.get(*name))
            .flatten()
            .copied()
            .filter(|file| *file != self.file)
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        candidates.truncate(MAX_CANDIDATES);
        candidates.into_iter().find_map(|file| {
            let caller = index.module(file)?;
            let source = (index.load)(&index.files[file].file.path)?;
            let parsed = crate::parse::parse_module(&source);
            let found = {
                let model = SemanticModel::in_project(&parsed.body, Some(&caller));
                model
                    .calls_named(&question.function)
                    .into_iter()
                    .find_map(|(call, scope)| {
                        let callee = model.project_callee(&call.func, scope)?;
                        if !std::ptr::eq(callee, target) {
                            return None;
                        }
                        let argument = callee.argument(call, question.parameter)?;
                        let steps =
                            model.trace_taint_from(argument, scope, cleans, question.web_only)?;
                        let origin = steps.first()?;
                        Some(PassedIn {
                            file: index.files[file].file.path.display().to_string(),
                            line: line_of(&source, argument.start().to_usize()),
                            origin: first_line(&source, origin.range),
                        })
                    })
            };
            crate::parse::free_tree(parsed.body, parsed.nesting_bound);
            found
        })
    }
}

impl ProjectIndex {
    /// The import words of every module that may read untrusted data, read once.
    fn importers(&self) -> &HashMap<String, Vec<usize>> {
        self.callers.importers.get_or_init(|| {
            let mut importers: HashMap<String, Vec<usize>> = HashMap::default();
            for (file, indexed) in self.files.iter().enumerate() {
                let Some(source) = (self.load)(&indexed.file.path) else {
                    continue;
                };
                if !crate::semantic::may_read_untrusted_data(&source) {
                    continue;
                }
                for word in import_words(&source) {
                    let files = importers.entry(word.to_string()).or_default();
                    if files.last() != Some(&file) {
                        files.push(file);
                    }
                }
            }
            importers
        })
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic elsewhere leaves the answers as they were: still usable.
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The names on a module's `import` and `from ... import` lines (also inside functions, and
/// over the lines a parenthesis or backslash continues them to), as written.
fn import_words(source: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let (mut open, mut backslash) = (0usize, false);
    for line in source.lines() {
        let text = line.trim_start();
        let continued = open > 0 || backslash;
        if !(continued || text.starts_with("import ") || text.starts_with("from ")) {
            continue;
        }
        let code = text.split('#').next().unwrap_or_default();
        words.extend(
            code.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .filter(|word| !word.is_empty() && !matches!(*word, "import" | "from" | "as")),
        );
        open = (open + code.matches('(').count()).saturating_sub(code.matches(')').count());
        backslash = code.trim_end().ends_with('\\');
    }
    words
}

fn line_of(source: &str, offset: usize) -> usize {
    source
        .as_bytes()
        .get(..offset)
        .unwrap_or_default()
        .iter()
        .filter(|byte| **byte == b'\n')
        .count()
        + 1
}

/// The first line of the code at `range`, cut after 48 characters.
fn first_line(source: &str, range: crate::parse::TextRange) -> String {
    let text = source
        .get(range.start().to_usize()..range.end().to_usize())
        .unwrap_or_default();
    let text = text.lines().next().unwrap_or_default();
    match text.char_indices().nth(48) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::import_words;

    #[test]
    fn import_words_read_every_form_of_import() {
        let source = "import os\nfrom app.tasks import (\n    run_report,  # the helper\n    other,\n)\n\
                      x = importlib\ndef f():\n    from . import db as d\nfrom a \\\n    import b\n";
        assert_eq!(
            import_words(source),
            [
                "os",
                "app",
                "tasks",
                "run_report",
                "other",
                "db",
                "d",
                "a",
                "b"
            ]
        );
    }
}
