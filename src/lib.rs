//! pyvet: a Python security linter that resolves names through imports, follows values
//! from their source, explains every finding and fixes what it flags.
//!
//! The core API is [`analyze`] and [`apply_fixes`]; the CLI (`main.rs`) and the browser
//! boundary (`wasm.rs`) only convert what these return.

pub mod arena;
pub mod checker;
pub mod diagnostic;
pub mod fix;
pub mod guide;
pub mod lesson;
pub mod location;
pub mod parse;
pub mod registry;
pub mod rules;
pub mod semantic;
pub mod suppress;
#[cfg(feature = "wasm")]
pub mod wasm;

pub use diagnostic::{Applicability, Confidence, Edit, Finding, Fix, Severity, TraceStep};
pub use fix::{apply_fixes, apply_fixes_with_analysis, FixOutcome, FixSelection};
pub use parse::SyntaxError;
pub use registry::{InTests, RuleMeta};
pub use semantic::project::{ProjectFile, ProjectIndex, ProjectModule};

use location::LineIndex;
use rules::Rule;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Fills the engine's process-wide caches (the sorted rules, the secret-format table) so a
/// caller that hands out memory per call (the wasm build's arena) sees nothing outlive it.
pub fn fill_caches() {
    rules::all_rules();
    semantic::known_secrets::fill_cache();
}

/// Which rules run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Rule ids (`PV201`), id prefixes (`PV2`), names or groups; empty means every rule.
    pub select: Vec<String>,
    /// Taken out of the selection, same forms as `select`.
    pub ignore: Vec<String>,
    /// Findings below this severity are dropped.
    pub min_severity: Option<Severity>,
    /// The project the module is checked in (the CLI, checking several files): names
    /// imported from the project's other modules are followed to their values. `None`
    /// analyses the module alone (the browser, a single file).
    pub project: Option<ProjectModule>,
    /// The module is test code (the CLI knows from its path; the browser's snippet never
    /// is): rules whose findings do not matter in tests ([`InTests::Skip`]) do not run, and
    /// the others report only what they are confident of.
    pub test_code: bool,
}

impl Options {
    pub fn enabled_rules(&self) -> Vec<&'static Rule> {
        let select = Selection::new(&self.select);
        let ignore = Selection::new(&self.ignore);
        rules::all_rules()
            .iter()
            .copied()
            .filter(|rule| {
                (self.select.is_empty() || select.picks(rule.meta))
                    && !ignore.picks(rule.meta)
                    && self
                        .min_severity
                        .is_none_or(|min| rule.meta.severity >= min)
                    && !(self.test_code && rule.meta.in_tests == InTests::Skip)
            })
            .collect()
    }
}

/// A list of selectors, read once for the rules of one module. The CLI passes its
/// configuration as exact ids for every file it checks (68 of them, say): those are looked
/// up by number, not matched one by one against every rule.
enum Selection<'s> {
    /// Every selector is an exact id (`PV201`): picked by the id's number.
    Ids(Box<[bool; 1000]>),
    Patterns(&'s [String]),
}

impl<'s> Selection<'s> {
    fn new(selectors: &'s [String]) -> Self {
        let mut picked = Box::new([false; 1000]);
        for selector in selectors {
            match id_number(selector) {
                Some(number) => picked[number] = true,
                None => return Selection::Patterns(selectors),
            }
        }
        Selection::Ids(picked)
    }

    fn picks(&self, rule: &RuleMeta) -> bool {
        match self {
            Selection::Ids(picked) => id_number(rule.id).is_some_and(|number| picked[number]),
            Selection::Patterns(selectors) => selectors.iter().any(|s| selects(s, rule)),
        }
    }
}

/// `201` for `PV201`, written exactly so (the form rule ids have).
fn id_number(selector: &str) -> Option<usize> {
    let digits = selector.strip_prefix("PV")?;
    if digits.len() != 3 || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Does a selector (`PV201`, `PV2`, `sql-string-query`, `injection`, `ALL`) pick this rule?
pub fn selects(selector: &str, rule: &RuleMeta) -> bool {
    let selector = selector.trim();
    let is_id = selector
        .get(..2)
        .is_some_and(|start| start.eq_ignore_ascii_case("PV"));
    if is_id {
        // An id or an id prefix of at least one digit.
        return selector.len() >= 3
            && rule
                .id
                .get(..selector.len())
                .is_some_and(|prefix| prefix.eq_ignore_ascii_case(selector));
    }
    selector.eq_ignore_ascii_case("all") || rule.name == selector || rule.group() == selector
}

/// True when a selector names no rule at all (for usage errors).
pub fn is_known_selector(selector: &str) -> bool {
    rules::all_rules()
        .iter()
        .any(|rule| selects(selector, rule.meta))
}

/// Every finding and every syntax error in one module.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Sorted by position.
    pub findings: Vec<Finding>,
    pub syntax_errors: Vec<SyntaxError>,
}

/// Analyses one module. Never panics on bad Python: syntax errors are returned beside the
/// findings of every part that parsed.
pub fn analyze(source: &str, options: &Options) -> Analysis {
    let parsed = parse::parse_module(source);
    let mut syntax_errors = parsed.errors;
    let enabled = options.enabled_rules();
    // The browser analyses one snippet: the project machinery stays out of its module.
    let project = options.project.as_ref().filter(|_| cfg!(feature = "cli"));
    if let Some(project) = project {
        project.fill(&parsed.body);
    }
    let mut findings = checker::check_module(
        source,
        &parsed.body,
        &parsed.comments,
        &enabled,
        &mut syntax_errors,
        project,
        options.test_code,
    );
    if !findings.is_empty() && !parsed.comments.is_empty() {
        let lines = LineIndex::new(source);
        suppress::filter_suppressed(&mut findings, source, &parsed.comments, &lines);
    }
    parse::free_tree(parsed.body, parsed.nesting_bound);
    findings.sort_by(|a, b| {
        (a.range.start(), a.range.end(), a.rule.id).cmp(&(
            b.range.start(),
            b.range.end(),
            b.rule.id,
        ))
    });
    findings.dedup_by(|a, b| a.rule.id == b.rule.id && a.range == b.range);
    drop_superseded(&mut findings);
    // Rules below the minimum did not run; a finding rated lower than its rule goes here.
    if let Some(minimum) = options.min_severity {
        findings.retain(|finding| finding.severity() >= minimum);
    }
    // In test code the data is the test's own: where a rule cannot tell that it comes
    // from outside (below high confidence), the finding is not worth a reviewer's time there.
    if options.test_code {
        findings.retain(|finding| finding.confidence == Confidence::High);
    }
    syntax_errors.sort_by_key(|error| error.range.start());
    Analysis {
        findings,
        syntax_errors,
    }
}

/// Drops a general rule's finding where a more specific rule reports the same code
/// (see [`rules::SUPERSEDES`]).
fn drop_superseded(findings: &mut Vec<Finding>) {
    let specific: Vec<(&'static str, parse::TextRange)> = findings
        .iter()
        .filter(|finding| {
            rules::SUPERSEDES
                .iter()
                .any(|(id, _)| *id == finding.rule.id)
        })
        .map(|finding| (finding.rule.id, finding.range))
        .collect();
    if specific.is_empty() {
        return;
    }
    findings.retain(|general| {
        !specific.iter().any(|(id, range)| {
            rules::SUPERSEDES.contains(&(*id, general.rule.id))
                && range.start() < general.range.end()
                && general.range.start() < range.end()
        })
    });
}
