//! The pathological input families (`tests/support/pathological.rs`) must cost time in
//! proportion to their size: each runs at a size that takes long enough to time (from 1,000
//! up) and at ten times that, and the larger must take less than `MAX_GROWTH` times as long
//! (linear is 10, quadratic 100). This catches
//! quadratic and exponential work, not only hangs, without an absolute time that would flake
//! on a busy machine. Families with fixes are fixed too (`apply_fixes` with unsafe fixes),
//! and the result must parse and not change when fixed again.
//!
//! Runs with optimisations only (`cargo test --release --test pathological`): in debug the
//! sizes that make growth measurable take too long. The CLI timings at 1k/10k/100k come from
//! `bench/pathological.sh`.

#[path = "support/pathological.rs"]
mod pathological;

use std::time::{Duration, Instant};

use pathological::{Family, FAMILIES};
use pyvet::{analyze, apply_fixes, FixSelection, Options};

/// Linear growth is 10; quadratic would be 100. Room for noise and cache effects.
const MAX_GROWTH: f64 = 30.0;
/// The smaller run takes at least this long (or has `MAX_SMALL` lines): quicker runs are
/// noise and cache effects (a family that fits in the cache at 1,000 and not at 10,000 can
/// look three times slower per line).
const MEASURABLE: Duration = Duration::from_millis(20);
const MAX_SMALL: usize = 16_000;

/// The quickest of three runs of `work`.
fn quickest(mut work: impl FnMut()) -> Duration {
    (0..3)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn analysis_time(source: &str) -> Duration {
    quickest(|| {
        analyze(source, &Options::default());
    })
}

fn fix_time(source: &str) -> Duration {
    quickest(|| {
        apply_fixes(source, &Options::default(), &FixSelection::All, true);
    })
}

/// Times `time` on the family at a measurable size and at ten times it; fails when the
/// time grows much more than tenfold.
fn check_growth(family: &Family, what: &str, time: fn(&str) -> Duration) {
    let mut small_size = 1_000;
    let mut small = time(&(family.generate)(small_size));
    while small < MEASURABLE && small_size < MAX_SMALL {
        small_size *= 2;
        small = time(&(family.generate)(small_size));
    }
    let large_size = small_size * 10;
    let large = time(&(family.generate)(large_size));
    let growth = large.as_secs_f64() / small.as_secs_f64().max(1e-6);
    println!(
        "{:<28} {what:<8} {small_size:>6}: {small:>10.2?}  {large_size:>7}: {large:>10.2?}  x{growth:.1}",
        family.name
    );
    assert!(
        growth < MAX_GROWTH,
        "{} ({}): {what} grows {growth:.0}x from {small_size} to {large_size} \
         ({small:.2?} -> {large:.2?}); linear would be 10x",
        family.name,
        family.what
    );
}

#[test]
fn every_family_grows_linearly() {
    if cfg!(debug_assertions) {
        println!("skipped in debug: run `cargo test --release --test pathological`");
        return;
    }
    for family in FAMILIES {
        check_growth(family, "analyze", analysis_time);
        if family.fixes {
            check_growth(family, "fix", fix_time);
        }
    }
}

#[test]
fn fixed_families_parse_and_stay_fixed() {
    let size = if cfg!(debug_assertions) { 500 } else { 2_000 };
    for family in FAMILIES.iter().filter(|family| family.fixes) {
        let source = (family.generate)(size);
        let fixed = apply_fixes(&source, &Options::default(), &FixSelection::All, true);
        assert!(fixed.applied > 0, "{}: no fix applied", family.name);
        let analysis = analyze(&fixed.source, &Options::default());
        assert!(
            analysis.syntax_errors.is_empty(),
            "{}: the fixed source does not parse: {:?}",
            family.name,
            analysis.syntax_errors
        );
        let again = apply_fixes(&fixed.source, &Options::default(), &FixSelection::All, true);
        assert_eq!(
            again.source, fixed.source,
            "{}: a second round changed it",
            family.name
        );
    }
}

/// The reproducers of issue 8 at their original sizes, each of which crashed, ran out of
/// memory or ran for minutes; now each is analysed (and fixed) at once.
#[test]
fn issue_reproducers_finish() {
    let tower = |levels: usize, terms: usize, sink: &str| {
        let mut source = String::from("import os\nv0 = 'x'\n");
        for level in 1..=levels {
            let below = format!("v{}", level - 1);
            source.push_str(&format!(
                "v{level} = {}\n",
                vec![below.as_str(); terms].join(" + ")
            ));
        }
        source.push_str(&format!("{sink}(v{levels})\n"));
        source
    };
    let cases = [
        (
            "non-ASCII text before a value in SQL",
            "import sqlite3\ncur = sqlite3.connect('db').cursor()\n\
             cur.execute(f\"SELECT * FROM t WHERE a = €{x}\")\n"
                .to_string(),
        ),
        (
            "a 2 KB constant string of 10^8 bytes",
            tower(4, 100, "eval"),
        ),
        (
            "six levels of 30-term chains into os.system",
            tower(6, 30, "os.system"),
        ),
    ];
    for (case, source) in cases {
        let started = Instant::now();
        let analysis = analyze(&source, &Options::default());
        apply_fixes(&source, &Options::default(), &FixSelection::All, true);
        println!(
            "{case}: {:.2?}, {} findings",
            started.elapsed(),
            analysis.findings.len()
        );
        assert!(
            !analysis.findings.is_empty(),
            "{case}: the sink should still be reported"
        );
    }
}
