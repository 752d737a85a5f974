//! What the fuzz targets share: turning bytes into a source, running the engine on a stack
//! the size the CLI's workers get, and checking that every position points into the source.

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::{env, fs, thread};

use pyvet::location::{LineIndex, Utf16Index};
use pyvet::Analysis;

/// Rust's default for spawned threads, which is what the CLI's rayon workers get. libFuzzer
/// runs inputs on the main thread (8 MiB here), where a recursion too deep for a worker
/// would still fit.
const WORKER_STACK: usize = 2 * 1024 * 1024;

/// The fuzzer's bytes as Python source. Invalid UTF-8 becomes U+FFFD instead of being
/// thrown away, so every input is analysed and stray bytes turn into non-ASCII text.
pub fn source_from(data: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// Where to keep a copy of the input being run, from `PYVET_FUZZ_LAST_INPUT` (set by
/// scripts/fuzz.sh). Without a sanitizer, a stack overflow kills the process before libFuzzer
/// can save the input that caused it; this copy is then the reproducer.
fn last_input_path() -> Option<&'static PathBuf> {
    static PATH: OnceLock<Option<PathBuf>> = OnceLock::new();
    PATH.get_or_init(|| env::var_os("PYVET_FUZZ_LAST_INPUT").map(PathBuf::from))
        .as_ref()
}

/// Saves `data` as the last input run, when asked to (see [`last_input_path`]).
pub fn remember_input(data: &[u8]) {
    if let Some(path) = last_input_path() {
        fs::write(path, data).expect("write PYVET_FUZZ_LAST_INPUT");
    }
}

/// Runs `work` on a thread with the CLI worker's stack. A panic there aborts the process
/// (libfuzzer-sys installs a panic hook that does), which libFuzzer reports as a crash.
pub fn on_worker<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    thread::scope(|scope| {
        thread::Builder::new()
            .stack_size(WORKER_STACK)
            .spawn_scoped(scope, work)
            .expect("spawn a worker thread")
            .join()
            .expect("the worker thread panicked")
    })
}

/// Every range (finding, fix edit, trace step, related range, syntax error) lies inside the
/// source, on character boundaries, and converts to a line and column at both edges (CLI
/// and browser); findings come sorted. The checks of tests/robustness.rs, plus: the browser's
/// 0-based UTF-16 offsets count the same code units as the text before them.
pub fn check_positions(source: &str, analysis: &Analysis) {
    let lines = LineIndex::new(source);
    let browser = Utf16Index::new(source);
    // The UTF-16 length of the text before each byte offset, counted once (counting it for
    // each range would be quadratic on a megabyte of syntax errors).
    let mut utf16_before = vec![0; source.len() + 1];
    let mut units = 0;
    for (offset, character) in source.char_indices() {
        utf16_before[offset] = units;
        units += character.len_utf16();
    }
    utf16_before[source.len()] = units;
    let ranges = analysis
        .findings
        .iter()
        .flat_map(|finding| {
            let fix_edits = finding.fix.iter().flat_map(|fix| &fix.edits);
            std::iter::once(finding.range)
                .chain(fix_edits.map(|edit| edit.range))
                .chain(finding.trace.iter().map(|step| step.range))
                .chain(finding.related.iter().copied())
        })
        .chain(analysis.syntax_errors.iter().map(|error| error.range));
    for range in ranges {
        let (start, end) = (range.start().to_usize(), range.end().to_usize());
        assert!(
            start <= end && end <= source.len(),
            "range {range:?} outside a source of {} bytes",
            source.len()
        );
        assert!(
            source.is_char_boundary(start) && source.is_char_boundary(end),
            "range {range:?} splits a character"
        );
        for offset in [range.start(), range.end()] {
            lines.char_position(offset);
            lines.utf16_position(offset);
        }
        let utf16 = browser.range(range);
        assert_eq!(
            (utf16.start, utf16.end),
            (utf16_before[start], utf16_before[end]),
            "UTF-16 offsets of {range:?}"
        );
    }
    let starts: Vec<_> = analysis.findings.iter().map(|f| f.range.start()).collect();
    assert!(starts.is_sorted(), "findings are not sorted by position");
}
