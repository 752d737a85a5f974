//! Applying fixes, and the one helper that adds an import a fix needs.

use std::collections::HashSet;

use crate::checker::Checker;
use crate::diagnostic::{Applicability, Edit, Finding};
use crate::parse::ast::{Expr, Stmt};
use crate::parse::{Ranged, TextRange, TextSize};
use crate::semantic::{BindingKind, MODULE_SCOPE};
use crate::{analyze, Options};

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
/// display-only never. A round whose result parses worse than its input is discarded.
pub fn apply_fixes(
    source: &str,
    options: &Options,
    selection: &FixSelection,
    unsafe_fixes: bool,
) -> FixOutcome {
    let mut current = source.to_string();
    let mut applied = 0;
    // With index selection, the findings still wanted after round one, as (rule, start).
    let mut wanted: Option<HashSet<(&'static str, TextSize)>> = None;
    for round in 0..MAX_ROUNDS {
        let analysis = analyze(&current, options);
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
                allowed
                    && match (selection, &wanted) {
                        (_, Some(wanted)) => {
                            wanted.contains(&(finding.rule.id, finding.range.start()))
                        }
                        (FixSelection::All, None) => true,
                        (FixSelection::Rules(selectors), None) => selectors
                            .iter()
                            .any(|selector| crate::selects(selector, finding.rule)),
                        (FixSelection::Findings(indexes), None) => {
                            round == 0 && indexes.contains(index)
                        }
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
        if analyze(&next, options).syntax_errors.len() > analysis.syntax_errors.len() {
            break;
        }
        if matches!(selection, FixSelection::Findings(_)) {
            wanted = Some(
                deferred
                    .iter()
                    .map(|finding| (finding.rule.id, shifted(finding.range.start(), &edits)))
                    .collect(),
            );
        }
        applied += accepted.len();
        current = next;
        if deferred.is_empty() {
            break;
        }
    }
    FixOutcome {
        source: current,
        applied,
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
    let mut taken: Vec<&Edit> = Vec::new();
    let mut accepted = Vec::new();
    let mut deferred = Vec::new();
    for finding in sorted {
        let edits = finding.fix.as_ref().map_or(&[][..], |fix| &fix.edits[..]);
        let clashes = edits.iter().any(|edit| {
            taken
                .iter()
                .any(|other| *other != edit && overlaps(edit.range, other.range))
        });
        if clashes {
            deferred.push(finding);
        } else {
            taken.extend(edits);
            accepted.push(finding);
        }
    }
    (accepted, deferred)
}

fn overlaps(a: TextRange, b: TextRange) -> bool {
    if a.is_empty() && b.is_empty() {
        return a.start() == b.start();
    }
    if a.is_empty() {
        return b.start() < a.start() && a.start() < b.end();
    }
    if b.is_empty() {
        return a.start() < b.start() && b.start() < a.end();
    }
    a.start() < b.end() && b.start() < a.end()
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

/// Where `offset` moves to once `edits` (sorted) are applied before it.
fn shifted(offset: TextSize, edits: &[&Edit]) -> TextSize {
    let mut delta: i64 = 0;
    for edit in edits.iter().filter(|edit| edit.range.end() <= offset) {
        delta += edit.content.len() as i64 - i64::from(u32::from(edit.range.len()));
    }
    let moved = i64::from(u32::from(offset)) + delta;
    TextSize::try_from(moved.max(0) as usize).unwrap_or(offset)
}

/// See [`Checker::import_module`].
pub(crate) fn import_module(
    checker: &Checker,
    module: &str,
    at: TextSize,
) -> (String, Option<Edit>) {
    let semantic = checker.semantic();
    let wanted: Vec<&str> = module.split('.').collect();
    let imports_wanted = |binding: &crate::semantic::Binding| matches!(&binding.kind, BindingKind::Import(qualified) if qualified.segments() == wanted.as_slice());
    // When several names import the module (`import yaml` and `import yaml as y`), the one
    // imported first wins, so the fix does not depend on hash-map order.
    let mut reusable: Option<(TextSize, &str)> = None;
    for (name, bindings) in semantic.module_bindings() {
        let Some(first_import) = bindings.iter().find(|binding| imports_wanted(binding)) else {
            continue;
        };
        let visible = semantic
            .lookup(name, semantic.current_scope(), at)
            .is_some_and(|binding| imports_wanted(binding) && binding.scope == MODULE_SCOPE);
        let start = first_import.range.start();
        if visible && reusable.is_none_or(|(earliest, _)| start < earliest) {
            reusable = Some((start, name));
        }
    }
    if let Some((_, name)) = reusable {
        return (name.to_string(), None);
    }
    let source = checker.source();
    let offset = import_insertion_point(source, semantic.body());
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
    fn identical_insertions_are_shared_and_overlaps_deferred() {
        let import = Edit::insert(TextSize::from(0), "import os\n");
        assert!(!overlaps(
            import.range,
            TextRange::new(TextSize::from(0), TextSize::from(3))
        ));
        assert!(overlaps(
            TextRange::new(TextSize::from(2), TextSize::from(6)),
            TextRange::new(TextSize::from(5), TextSize::from(9))
        ));
        assert!(overlaps(
            TextRange::empty(TextSize::from(4)),
            TextRange::empty(TextSize::from(4))
        ));
        let source = "abcdef";
        let first = Edit::replace(TextRange::new(TextSize::from(1), TextSize::from(2)), "BB");
        let second = Edit::delete(TextRange::new(TextSize::from(4), TextSize::from(5)));
        assert_eq!(apply_edits(source, &[&first, &second]), "aBBcdf");
        assert_eq!(
            shifted(TextSize::from(5), &[&first, &second]),
            TextSize::from(5)
        );
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
