//! A source that parses, with every fix applied (unsafe ones included), still parses, and
//! fixing the fixed source again changes nothing (DESIGN.md, "Fix").
#![no_main]

use libfuzzer_sys::{fuzz_target, Corpus};
use pyvet::{analyze, apply_fixes, Applicability, FixSelection, Options};
use pyvet_fuzz::{on_worker, remember_input, source_from};

fuzz_target!(|data: &[u8]| -> Corpus {
    remember_input(data);
    let source = source_from(data);
    on_worker(|| check_fixes(&source))
});

fn check_fixes(source: &str) -> Corpus {
    let options = Options::default();
    let analysis = analyze(source, &options);
    // Only sources without syntax errors are this target's business (and worth keeping).
    if !analysis.syntax_errors.is_empty() {
        return Corpus::Reject;
    }
    let fixable = analysis.findings.iter().any(|finding| {
        finding
            .fix
            .as_ref()
            .is_some_and(|fix| fix.applicability != Applicability::DisplayOnly)
    });
    if !fixable {
        return Corpus::Keep;
    }
    let fixed = apply_fixes(source, &options, &FixSelection::All, true);
    let errors = analyze(&fixed.source, &options).syntax_errors;
    assert!(
        errors.is_empty(),
        "the fixed source does not parse: {errors:?}\n--- fixed source ---\n{}",
        fixed.source
    );
    let again = apply_fixes(&fixed.source, &options, &FixSelection::All, true);
    assert!(
        again.source == fixed.source,
        "a second fix pass changed the source\n--- after one pass ---\n{}\n--- after two ---\n{}",
        fixed.source,
        again.source
    );
    Corpus::Keep
}
