//! Calls from the other modules of the project: what they pass to a module's function.
//!
//! A helper that runs a command or opens a file with its parameter (`def run_report(name):
//! os.system(...)` in `app/tasks.py`) is dangerous when a view in another module calls it
//! with request data. Within a module the data flow finds the callers itself; across
//! modules it asks the index here, on demand: which project modules call the function with
//! request data, and where that data comes from.
//!
//! Only web modules are searched (their `import` lines name a web framework), and only
//! those that import the function's name or its module's name (the words of their `import`
//! lines, read once for the whole project). A caller that passes what the command line or
//! `input()` gave is not followed across modules: the person at the keyboard chooses their
//! own input, and following every script of a large tree (the standard library has
//! hundreds) cost more than the rest of the analysis.
//!
//! A calling module is parsed again once per kind of question (web-only or not, which
//! sanitizers), and what all its calls of project functions pass is remembered, so asking
//! about another function of the same module costs no parse. Sanitizers only take taint
//! away: a module whose calls pass no request data at all to a parameter is ruled out with
//! the one answer for no sanitizers. A search never starts another one (the calls found are
//! followed within their own module), and at most [`MAX_CANDIDATES`] modules are read per
//! question.

use std::cell::Cell;
use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::FxHashMap as HashMap;

use super::{ProjectIndex, ProjectModule};
use crate::diagnostic::{Elsewhere, TraceStep};
use crate::location::{excerpt, line_number, LineIndex};
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
    /// The steps in the calling module, from the source to the argument, each with its
    /// place there.
    pub steps: Vec<TraceStep>,
}

impl PassedIn {
    /// Where the call is, in words: "in app/views.py on line 12".
    pub fn place(&self) -> String {
        format!("in {} on line {}", self.file, self.line)
    }
}

/// What the index remembers: the answers per question, what each calling module passes per
/// kind of question, and which modules import what.
#[derive(Default)]
pub(super) struct Callers {
    answers: Mutex<HashMap<Question, Option<Arc<PassedIn>>>>,
    /// Per calling module and kind of question (`web_only`, sanitizers): the untrusted data
    /// its calls pass, by function (its summary's address) and parameter. A module is parsed
    /// again once per kind of question, however many functions are asked about.
    passes: Mutex<HashMap<(usize, bool, usize), Arc<Passes>>>,
    importers: OnceLock<Importers>,
}

type Passes = HashMap<(usize, usize), PassedIn>;

/// The web modules, by the words of their `import` lines: each word with the files that use
/// it, in file order.
type Importers = HashMap<String, Vec<usize>>;

#[derive(Clone, PartialEq, Eq, Hash)]
struct Question {
    file: usize,
    function: String,
    parameter: usize,
    web_only: bool,
    cleans: usize,
}

thread_local! {
    /// Set while this thread reads a calling module: its own parameters are not searched in
    /// turn.
    static SEARCHING: Cell<bool> = const { Cell::new(false) };
}

impl ProjectModule {
    /// A call in another module of the project that passes untrusted data to the parameter
    /// `parameter` of this module's top-level function `function`, the first in file order;
    /// `cleans` and `web_only` ask the question the sink asks (see
    /// `SemanticModel::taint_source_with`).
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
        let target = (std::ptr::from_ref(summary) as usize, parameter);
        // Sanitizers and a web-only question only take taint away: a caller that passes
        // nothing untrusted at all is ruled out without a question of its own.
        let answer = self
            .candidates(&question)
            .into_iter()
            .find_map(|file| {
                let any = self.index.passes(file, false, no_cleans)?;
                if !any.contains_key(&target) {
                    return None;
                }
                let plain = !web_only && std::ptr::fn_addr_eq(cleans, no_cleans as Cleans);
                let passes = if plain {
                    any
                } else {
                    self.index.passes(file, web_only, cleans)?
                };
                passes.get(&target).cloned()
            })
            .map(Arc::new);
        lock(&callers.answers).insert(question, answer.clone());
        answer
    }

    /// True when some web module of the project imports this one or one of its functions by
    /// name: only then can a caller elsewhere pass it request data.
    pub(crate) fn may_be_called_from_a_view(&self) -> bool {
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

    /// The web modules that may call `question`'s function: they import its name or its
    /// module's.
    fn candidates(&self, question: &Question) -> Vec<usize> {
        let importers = self.index.importers();
        let own_name = self.indexed().segments.last().map(String::as_str);
        let mut candidates: Vec<usize> = own_name
            .into_iter()
            .chain([question.function.as_str()])
            .filter_map(|name| importers.get(name))
            .flatten()
            .copied()
            .filter(|file| *file != self.file)
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        candidates.truncate(MAX_CANDIDATES);
        candidates
    }
}

impl ProjectIndex {
    /// The import words of every web module, read once.
    fn importers(&self) -> &Importers {
        self.callers.importers.get_or_init(|| {
            let mut importers = Importers::default();
            for (file, indexed) in self.files.iter().enumerate() {
                let Some(source) = (self.load)(&indexed.file.path) else {
                    continue;
                };
                let words = import_words(&source);
                if !crate::semantic::imports_a_framework(&words) {
                    continue;
                }
                for word in words {
                    let files = importers.entry(word.to_string()).or_default();
                    if files.last() != Some(&file) {
                        files.push(file);
                    }
                }
            }
            importers
        })
    }

    /// What the calls of `file` pass to the project's functions that a question of this
    /// kind counts as untrusted: worked out once, from the module parsed again.
    fn passes(
        self: &Arc<Self>,
        file: usize,
        web_only: bool,
        cleans: Cleans,
    ) -> Option<Arc<Passes>> {
        let key = (file, web_only, cleans as usize);
        if let Some(passes) = lock(&self.callers.passes).get(&key) {
            return Some(Arc::clone(passes));
        }
        let caller = self.module(file)?;
        let source = (self.load)(&self.files[file].file.path)?;
        SEARCHING.with(|searching| searching.set(true));
        let parsed = crate::parse::parse_module(&source);
        let mut passes = Passes::default();
        let path = self.files[file].file.path.display().to_string();
        let lines = LineIndex::new(&source);
        {
            let model = SemanticModel::in_project(&parsed.body, Some(&caller));
            let mut calls = model.named_calls();
            calls.sort_unstable_by_key(|(call, _)| call.start());
            for (call, scope) in calls {
                let Some(callee) = model.project_callee(&call.func, scope) else {
                    continue;
                };
                let address = std::ptr::from_ref(callee) as usize;
                for parameter in 0..callee.parameters.len() {
                    if passes.contains_key(&(address, parameter)) {
                        continue;
                    }
                    let Some(argument) = callee.argument(call, parameter) else {
                        continue;
                    };
                    let Some(mut steps) = model.trace_taint_from(argument, scope, cleans, web_only)
                    else {
                        continue;
                    };
                    let Some(origin) = steps.first() else {
                        continue;
                    };
                    let origin = excerpt(&source, origin.range);
                    steps.push(TraceStep {
                        message: format!(
                            "it is passed to `{}` as `{}`",
                            excerpt(&source, call.func.range()),
                            callee.parameters[parameter]
                        ),
                        range: argument.range(),
                        elsewhere: None,
                    });
                    for step in &mut steps {
                        step.elsewhere = Some(Arc::new(Elsewhere {
                            path: path.clone(),
                            start: lines.char_position(step.range.start()),
                            end: lines.char_position(step.range.end()),
                        }));
                    }
                    passes.insert(
                        (address, parameter),
                        PassedIn {
                            file: path.clone(),
                            line: line_number(&source, argument.start()),
                            origin,
                            steps,
                        },
                    );
                }
            }
        }
        crate::parse::free_tree(parsed.body, parsed.nesting_bound);
        SEARCHING.with(|searching| searching.set(false));
        let passes = Arc::new(passes);
        lock(&self.callers.passes).insert(key, Arc::clone(&passes));
        Some(passes)
    }
}

/// The question with no sanitizers.
fn no_cleans(_: crate::semantic::Passage) -> bool {
    false
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
    // Where the last statement read ends: `import` found again before it is inside it.
    let mut read_to = 0;
    static IMPORT: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let import = IMPORT.get_or_init(|| memchr::memmem::Finder::new(b"import"));
    for at in import.find_iter(source.as_bytes()) {
        if at < read_to {
            continue;
        }
        let mut start = source[..at].rfind('\n').map_or(0, |newline| newline + 1);
        // `from a \` on the line before: the statement starts there.
        while let Some(before) = source[..start.saturating_sub(1)].strip_suffix('\\') {
            start = before.rfind('\n').map_or(0, |newline| newline + 1);
        }
        let text = source[start..].trim_start_matches([' ', '\t']);
        if !(text.starts_with("import ") || text.starts_with("from ")) {
            continue;
        }
        // The statement's lines: on while a parenthesis is open or a line ends in `\`.
        let mut open = 0usize;
        let mut end = start;
        for line in source[start..].split_inclusive('\n') {
            end += line.len();
            let code = line.split('#').next().unwrap_or_default();
            words.extend(
                code.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .filter(|word| !word.is_empty() && !matches!(*word, "import" | "from" | "as")),
            );
            open = (open + code.matches('(').count()).saturating_sub(code.matches(')').count());
            if open == 0 && !code.trim_end().ends_with('\\') {
                break;
            }
        }
        read_to = end;
    }
    words
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
