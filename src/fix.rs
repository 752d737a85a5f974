//! Applying fixes, and the one helper that adds an import a fix needs.

pub mod names;
pub mod statement;
mod taken_edits;

use std::collections::HashSet;

use crate::checker::Checker;
use crate::diagnostic::{Applicability, Edit, Finding};
use crate::parse::ast::{self, Expr, Stmt};
use crate::parse::{Ranged, TextRange, TextSize};
use crate::semantic::{BindingKind, MODULE_SCOPE};
use crate::{analyze, Analysis, Options};

use taken_edits::TakenEdits;

/// How many analyse-and-fix rounds run before we stop (overlapping fixes need more than one).
const MAX_ROUNDS: usize = 10;

/// Which fixes to apply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum FixSelection {
    /// Every fixable finding.
    #[default]
    All,
    /// Findings of these rules (ids, names or groups, like `--select`).
    Rules(Vec<String>),
    /// Findings by their index in the first analysis.
    Findings(Vec<usize>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixOutcome {
    pub source: String,
    /// How many fixes were applied.
    pub applied: usize,
}

/// Applies fixes until none is left to apply: non-overlapping ones together, overlapping
/// ones in later rounds after re-analysis. Safe fixes always; unsafe ones only when asked;
/// display-only never. A fix whose edits touch a syntax error is not applied, and a round
/// whose result parses worse than its input is discarded.
pub fn apply_fixes(
    source: &str,
    options: &Options,
    selection: &FixSelection,
    unsafe_fixes: bool,
) -> FixOutcome {
    let analysis = analyze(source, options);
    apply_fixes_with_analysis(source, analysis, options, selection, unsafe_fixes).0
}

/// [`apply_fixes`] for a caller that has analysed `source` already (`analysis`) and wants
/// the analysis of the fixed source too: it comes back with the outcome, so neither is
/// worked out twice.
pub fn apply_fixes_with_analysis(
    source: &str,
    mut analysis: Analysis,
    options: &Options,
    selection: &FixSelection,
    unsafe_fixes: bool,
) -> (FixOutcome, Analysis) {
    let mut current = source.to_string();
    let mut applied = 0;
    // With index selection, the findings still wanted after round one, as (rule, start).
    let mut wanted: Option<HashSet<(&'static str, TextSize)>> = None;
    let indexes: HashSet<usize> = match selection {
        FixSelection::Findings(indexes) => indexes.iter().copied().collect(),
        _ => HashSet::new(),
    };
    for round in 0..MAX_ROUNDS {
        let syntax_errors = SyntaxErrorSpans::new(&analysis.syntax_errors);
        let candidates: Vec<(usize, &Finding)> = analysis
            .findings
            .iter()
            .enumerate()
            .filter(|(index, finding)| {
                let Some(fix) = &finding.fix else {
                    return false;
                };
                let allowed = match fix.applicability {
                    Applicability::Safe => true,
                    Applicability::Unsafe => unsafe_fixes,
                    Applicability::DisplayOnly => false,
                };
                // A fix next to broken syntax could "repair" it in a way nobody asked for.
                allowed
                    && !(finding.fix.iter().flat_map(|fix| &fix.edits))
                        .any(|edit| syntax_errors.touch(edit.range))
                    && match (selection, &wanted) {
                        (_, Some(wanted)) => {
                            wanted.contains(&(finding.rule.id, finding.range.start()))
                        }
                        (FixSelection::All, None) => true,
                        (FixSelection::Rules(selectors), None) => selectors
                            .iter()
                            .any(|selector| crate::selects(selector, finding.rule)),
                        (FixSelection::Findings(_), None) => round == 0 && indexes.contains(index),
                    }
            })
            .collect();
        let (accepted, deferred) = non_overlapping(&candidates);
        if accepted.is_empty() {
            break;
        }
        let edits: Vec<&Edit> = {
            let mut seen = HashSet::new();
            let mut edits: Vec<&Edit> = accepted
                .iter()
                .flat_map(|finding| finding.fix.iter().flat_map(|fix| &fix.edits))
                .filter(|edit| seen.insert((edit.range, edit.content.as_str())))
                .collect();
            edits.sort_by_key(|edit| (edit.range.start(), edit.range.end()));
            edits
        };
        let next = apply_edits(&current, &edits);
        // The next round starts from this analysis of the fixed text.
        let next_analysis = analyze(&next, options);
        if next_analysis.syntax_errors.len() > analysis.syntax_errors.len() {
            break;
        }
        if matches!(selection, FixSelection::Findings(_)) {
            let shifts = Shifts::new(&edits);
            wanted = Some(
                deferred
                    .iter()
                    .map(|finding| (finding.rule.id, shifts.shifted(finding.range.start())))
                    .collect(),
            );
        }
        applied += accepted.len();
        current = next;
        analysis = next_analysis;
        // Not done when nothing was deferred: a fix can bring new findings with fixes (an
        // added `import hashlib` makes `hashlib.sha256(secret + body)` a keyed hash to
        // rewrite), and applying fixes twice must change nothing the second time. The next
        // round's candidates come from the analysis already made, so this costs nothing
        // when there are none.
    }
    let outcome = FixOutcome {
        source: current,
        applied,
    };
    (outcome, analysis)
}

/// The syntax errors of a source, sorted, to ask whether an edit touches one.
struct SyntaxErrorSpans {
    /// Error ranges by start, each with the furthest end of any error starting up to it.
    by_start: Vec<(TextSize, TextSize)>,
}

impl SyntaxErrorSpans {
    fn new(errors: &[crate::SyntaxError]) -> Self {
        let mut ranges: Vec<TextRange> = errors.iter().map(|error| error.range).collect();
        ranges.sort_unstable_by_key(|range| range.start());
        let mut furthest = TextSize::default();
        let by_start = ranges
            .iter()
            .map(|range| {
                furthest = furthest.max(range.end());
                (range.start(), furthest)
            })
            .collect();
        Self { by_start }
    }

    /// True when `range` touches an error, ends included: some error starts at or before
    /// its end and ends at or after its start.
    fn touch(&self, range: TextRange) -> bool {
        let starting_by_end = self
            .by_start
            .partition_point(|(start, _)| *start <= range.end());
        starting_by_end > 0 && self.by_start[starting_by_end - 1].1 >= range.start()
    }
}

/// Picks fixes in source order, skipping any that touches text an earlier one changes.
/// Identical edits (the same import added by two fixes) are shared, not conflicting.
fn non_overlapping<'f>(
    candidates: &[(usize, &'f Finding)],
) -> (Vec<&'f Finding>, Vec<&'f Finding>) {
    let mut sorted: Vec<&Finding> = candidates.iter().map(|(_, finding)| *finding).collect();
    sorted.sort_by_key(|finding| {
        finding
            .fix
            .as_ref()
            .and_then(|fix| fix.edits.iter().map(|edit| edit.range.start()).min())
    });
    let edits_of =
        |finding: &'f Finding| finding.fix.as_ref().map_or(&[][..], |fix| &fix.edits[..]);
    let offsets = sorted
        .iter()
        .flat_map(|finding| edits_of(finding))
        .flat_map(|edit| [edit.range.start(), edit.range.end()])
        .collect();
    let mut taken = TakenEdits::new(offsets);
    let mut accepted = Vec::new();
    let mut deferred = Vec::new();
    for finding in sorted {
        let edits = edits_of(finding);
        if edits.iter().any(|edit| taken.clashes(edit)) {
            deferred.push(finding);
        } else {
            for edit in edits {
                taken.take(edit);
            }
            accepted.push(finding);
        }
    }
    (accepted, deferred)
}

/// Applies sorted, non-overlapping edits.
pub fn apply_edits(source: &str, edits: &[&Edit]) -> String {
    let mut output = String::with_capacity(source.len());
    let mut last = 0;
    for edit in edits {
        let start = edit.range.start().to_usize().clamp(last, source.len());
        let end = edit.range.end().to_usize().clamp(start, source.len());
        output.push_str(&source[last..start]);
        output.push_str(&edit.content);
        last = end;
    }
    output.push_str(&source[last..]);
    output
}

/// Where offsets move to once some edits are applied: the change in length of every edit
/// that ends at or before an offset, summed once over the edits sorted by end.
struct Shifts {
    /// Edit ends, sorted, each with the total change in length of the edits ending up to it.
    by_end: Vec<(TextSize, i64)>,
}

impl Shifts {
    fn new(edits: &[&Edit]) -> Self {
        let mut ends: Vec<(TextSize, i64)> = edits
            .iter()
            .map(|edit| {
                let growth = edit.content.len() as i64 - i64::from(u32::from(edit.range.len()));
                (edit.range.end(), growth)
            })
            .collect();
        ends.sort_unstable_by_key(|(end, _)| *end);
        let mut total = 0;
        for (_, growth) in &mut ends {
            total += *growth;
            *growth = total;
        }
        Self { by_end: ends }
    }

    /// Where `offset` moves to.
    fn shifted(&self, offset: TextSize) -> TextSize {
        let ended = self.by_end.partition_point(|(end, _)| *end <= offset);
        let delta = ended.checked_sub(1).map_or(0, |last| self.by_end[last].1);
        let moved = i64::from(u32::from(offset)) + delta;
        TextSize::try_from(moved.max(0) as usize).unwrap_or(offset)
    }
}

/// See [`Checker::import_module`].
pub(crate) fn import_module(
    checker: &Checker,
    module: &str,
    at: TextSize,
) -> (String, Option<Edit>) {
    let semantic = checker.semantic();
    let wanted: Vec<&str> = module.split('.').collect();
    let imports_wanted = |binding: &crate::semantic::Binding| match &binding.kind {
        BindingKind::Import(qualified) => qualified.segments() == wanted.as_slice(),
        _ => false,
    };
    // Several names may import the module (`import yaml`, `import yaml as y`): prefer the
    // module's own name, then the first import, so the choice never depends on hash order.
    let reusable = semantic
        .module_imports()
        .filter_map(|(name, bindings)| {
            let first_import = bindings
                .iter()
                .filter(|binding| imports_wanted(binding))
                .map(|binding| binding.range.start())
                .min()?;
            let visible = semantic
                .lookup(name, semantic.current_scope(), at)
                .is_some_and(|binding| {
                    imports_wanted(binding)
                        && binding.scope == MODULE_SCOPE
                        // Module and class bodies run top to bottom: a later import is not
                        // there yet. A function body runs after the whole module.
                        && (semantic.in_function_body()
                            || binding.effective <= at)
                });
            visible.then_some((name != module, first_import, name))
        })
        .min();
    if let Some((_, _, name)) = reusable {
        return (name.to_string(), None);
    }
    let source = checker.source();
    let offset = sorted_import_point(source, semantic.body(), module)
        .unwrap_or_else(|| import_insertion_point(source, semantic.body()));
    let needs_newline =
        offset.to_usize() > 0 && !source[..offset.to_usize()].ends_with(['\n', '\r']);
    let content = if needs_newline {
        format!("\nimport {module}\n")
    } else {
        format!("import {module}\n")
    };
    let root = wanted[0].to_string();
    (
        if wanted.len() == 1 {
            root
        } else {
            module.to_string()
        },
        Some(Edit::insert(offset, content)),
    )
}

/// An edit that adds `keyword` (`"timeout=10"`) after a call's last argument, keeping a
/// trailing comma and a one-argument-per-line layout. `None` when the call has no closing
/// parenthesis (a partial tree) or takes a bare generator (`f(x for x in y)`), where one more
/// argument would not parse.
pub fn add_keyword_argument(source: &str, call: &ast::ExprCall, keyword: &str) -> Option<Edit> {
    let arguments = &call.arguments;
    let close = arguments.r_paren_range().start().to_usize();
    if source.get(close..close + 1) != Some(")") {
        return None;
    }
    if let [Expr::Generator(generator)] = &arguments.args[..] {
        if !generator.parenthesized {
            return None;
        }
    }
    let Some(last) = arguments.iter_source_order().max_by_key(Ranged::end) else {
        return Some(Edit::insert(arguments.r_paren_range().start(), keyword));
    };
    let bytes = source.as_bytes();
    // Past the parentheses around the last argument, over blanks, comments and line joins.
    let mut at = last.end().to_usize();
    let mut after_last = at;
    while at < close {
        match bytes[at] {
            b')' => {
                at += 1;
                after_last = at;
            }
            b'#' => at += source[at..close].find('\n').unwrap_or(close - at),
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\\' => at += 1,
            _ => break,
        }
    }
    let offset = |at: usize| TextSize::try_from(at).ok();
    if at >= close || bytes[at] != b',' {
        return Some(Edit::insert(offset(after_last)?, format!(", {keyword}")));
    }
    // A trailing comma: on its own line when the arguments are one per line (the first
    // one already starts on a new line), otherwise right after the comma.
    let comma = at;
    let first = arguments.iter_source_order().map(|arg| arg.start()).min();
    let open = arguments.l_paren_range().end().to_usize();
    let one_per_line = first
        .and_then(|first| source.get(open..first.to_usize()))
        .is_some_and(|before_first| before_first.contains('\n'));
    match source[comma..close].find('\n').filter(|_| one_per_line) {
        Some(newline) => {
            let line = line_start(source, last.start()).to_usize();
            let indent: String = source[line..]
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            let line_text = &source[comma..comma + newline];
            let content = line_text.trim_end_matches('\r');
            let line_break = if content.len() < line_text.len() {
                "\r\n"
            } else {
                "\n"
            };
            Some(Edit::insert(
                offset(comma + content.len())?,
                format!("{line_break}{indent}{keyword},"),
            ))
        }
        None => Some(Edit::insert(offset(comma + 1)?, format!(" {keyword},"))),
    }
}

/// After the module docstring and `from __future__` imports; otherwise before the first
/// statement (so a shebang or license comment stays on top).
fn import_insertion_point(source: &str, body: &[Stmt]) -> TextSize {
    let mut after: Option<&Stmt> = None;
    for (index, stmt) in body.iter().enumerate() {
        let is_docstring = index == 0
            && matches!(stmt, Stmt::Expr(expr) if matches!(*expr.value, Expr::StringLiteral(_)));
        let is_future = matches!(stmt, Stmt::ImportFrom(import)
            if import.module.as_ref().is_some_and(|module| module.id.as_str() == "__future__"));
        if is_docstring || is_future {
            after = Some(stmt);
        } else {
            break;
        }
    }
    match (after, body.first()) {
        (Some(stmt), _) => line_end(source, stmt.end()),
        (None, Some(first)) => line_start(source, first.start()),
        (None, None) => TextSize::try_from(source.len()).unwrap_or_default(),
    }
}

/// Where `import module` sorts among the plain `import` lines that open the module (the
/// first group of them, up to a blank line), as isort and Ruff order them: before the first
/// one that sorts after it, else after the last. `None` when the module does not open with
/// such imports.
fn sorted_import_point(source: &str, body: &[Stmt], module: &str) -> Option<TextSize> {
    let start = import_insertion_point(source, body);
    let first = body.iter().position(|stmt| stmt.start() >= start)?;
    let mut group: Vec<&ast::StmtImport> = Vec::new();
    let mut previous_end = start;
    for stmt in &body[first..] {
        let Stmt::Import(import) = stmt else {
            break;
        };
        let between = &source[previous_end.to_usize()..import.start().to_usize()];
        let blank_line =
            between.trim_matches([' ', '\t']).matches('\n').count() > 1 || between.contains('#');
        let one_line = !source[import.range.start().to_usize()..import.range.end().to_usize()]
            .contains(['\n', '\r', ';']);
        if (!group.is_empty() && blank_line) || !one_line {
            break;
        }
        group.push(import);
        previous_end = import.end();
    }
    let key = |name: &str| name.to_ascii_lowercase();
    let wanted = key(module);
    let after = group.iter().position(|import| {
        import
            .names
            .first()
            .is_some_and(|alias| key(alias.name.id.as_str()) > wanted)
    });
    match after {
        Some(index) => Some(line_start(source, group[index].start())),
        None => group.last().map(|last| line_end(source, last.end())),
    }
}

fn line_start(source: &str, offset: TextSize) -> TextSize {
    let before = &source[..offset.to_usize().min(source.len())];
    let start = before.rfind(['\n', '\r']).map_or(0, |at| at + 1);
    TextSize::try_from(start).unwrap_or_default()
}

/// Just past the line break that ends the line holding `offset` (or the end of the source).
fn line_end(source: &str, offset: TextSize) -> TextSize {
    let from = offset.to_usize().min(source.len());
    let end = match source[from..].find('\n') {
        Some(at) => from + at + 1,
        None => source.len(),
    };
    TextSize::try_from(end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_in_order_and_shift_what_follows() {
        let source = "abcdef";
        let first = Edit::replace(TextRange::new(TextSize::from(1), TextSize::from(2)), "BB");
        let second = Edit::delete(TextRange::new(TextSize::from(4), TextSize::from(5)));
        assert_eq!(apply_edits(source, &[&first, &second]), "aBBcdf");
        let shifts = Shifts::new(&[&first, &second]);
        assert_eq!(shifts.shifted(TextSize::from(1)), TextSize::from(1));
        assert_eq!(shifts.shifted(TextSize::from(2)), TextSize::from(3));
        assert_eq!(shifts.shifted(TextSize::from(5)), TextSize::from(5));
    }

    /// Errors that nest, overlap, touch and repeat: the sorted search must agree with
    /// comparing the range with every error.
    #[test]
    fn syntax_error_search_agrees_with_comparing_every_error() {
        let range =
            |start: u32, end: u32| TextRange::new(TextSize::from(start), TextSize::from(end));
        let errors: Vec<crate::SyntaxError> =
            [(2, 3), (5, 9), (6, 7), (12, 12), (12, 14), (20, 21)]
                .into_iter()
                .map(|(start, end)| crate::SyntaxError {
                    message: String::new(),
                    range: range(start, end),
                })
                .collect();
        let spans = SyntaxErrorSpans::new(&errors);
        for start in 0..24 {
            for end in start..24 {
                let asked = range(start, end);
                let expected = errors.iter().any(|error| {
                    asked.start() <= error.range.end() && error.range.start() <= asked.end()
                });
                assert_eq!(spans.touch(asked), expected, "{asked:?}");
            }
        }
        assert!(!SyntaxErrorSpans::new(&[]).touch(range(0, 5)));
    }

    fn with_keyword(source: &str) -> Option<String> {
        let parsed = crate::parse::parse_module(source);
        let Some(Stmt::Expr(statement)) = parsed.body.first() else {
            panic!("not an expression statement: {source}");
        };
        let Expr::Call(call) = &*statement.value else {
            panic!("not a call: {source}");
        };
        let edit = add_keyword_argument(source, call, "k=True")?;
        Some(apply_edits(source, &[&edit]))
    }

    #[test]
    fn keyword_arguments_go_after_the_last_argument() {
        let cases = [
            ("f()", "f(k=True)"),
            ("f(a)", "f(a, k=True)"),
            ("f(a, b=1)", "f(a, b=1, k=True)"),
            ("f((a))", "f((a), k=True)"),
            ("f(a,)", "f(a, k=True,)"),
            ("f(**kw)", "f(**kw, k=True)"),
            ("f(\n    a\n)", "f(\n    a, k=True\n)"),
            ("f(\n    a,\n)", "f(\n    a,\n    k=True,\n)"),
            (
                "f(\n    a,  # why (really)\n)",
                "f(\n    a,  # why (really)\n    k=True,\n)",
            ),
            ("f(\r\n    a,\r\n)", "f(\r\n    a,\r\n    k=True,\r\n)"),
            ("f(a  # note\n)", "f(a, k=True  # note\n)"),
            ("f((x for x in y))", "f((x for x in y), k=True)"),
            ("f(a,\n)", "f(a, k=True,\n)"),
            ("f(a,\n  b,\n)", "f(a,\n  b, k=True,\n)"),
        ];
        for (source, expected) in cases {
            assert_eq!(
                with_keyword(source).as_deref(),
                Some(expected),
                "{source:?}"
            );
        }
        assert_eq!(with_keyword("f(x for x in y)"), None);
    }

    #[test]
    fn imports_go_after_docstring_and_future_imports() {
        let source =
            "#!/usr/bin/env python\n\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\nx = 1\n";
        let parsed = crate::parse::parse_module(source);
        let at = import_insertion_point(source, &parsed.body);
        assert_eq!(&source[at.to_usize()..], "x = 1\n");
        let source = "# license\nx = 1";
        let parsed = crate::parse::parse_module(source);
        assert_eq!(
            import_insertion_point(source, &parsed.body),
            TextSize::from(10)
        );
    }
}

#[cfg(test)]
mod apply_fixes_tests {
    use crate::{analyze, apply_fixes, apply_fixes_with_analysis, FixSelection, Options};

    /// The CLI reports on the analysis `apply_fixes_with_analysis` returns instead of
    /// analysing the fixed source once more: it must be that analysis.
    #[test]
    fn the_analysis_returned_is_of_the_fixed_source() {
        let source = "import yaml, hashlib\nyaml.load(a)\nhashlib.md5(b)\neval(c)\n";
        let options = Options::default();
        for unsafe_fixes in [false, true] {
            let (outcome, analysis) = apply_fixes_with_analysis(
                source,
                analyze(source, &options),
                &options,
                &FixSelection::All,
                unsafe_fixes,
            );
            let fresh = analyze(&outcome.source, &options);
            assert_eq!(format!("{analysis:?}"), format!("{fresh:?}"));
        }
    }

    #[test]
    fn fixes_next_to_broken_syntax_are_left_alone() {
        let source = "import yaml\nyaml.load(a)\nyaml.load(x";
        let outcome = apply_fixes(source, &Options::default(), &FixSelection::All, true);
        assert_eq!(
            outcome.source,
            "import yaml\nyaml.safe_load(a)\nyaml.load(x"
        );
        assert_eq!(outcome.applied, 1);
    }
}
