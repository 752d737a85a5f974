//! pyvet must never panic and never hang: on any input, of any size or nesting depth,
//! `analyze` returns findings or syntax errors in bounded time.
//!
//! Every case runs on its own thread with a time limit, so a hang fails the test instead of
//! stalling CI, and with the stack a rayon worker of the CLI gets, so a recursion that only
//! fits in a big main-thread stack fails here too. The whole-standard-library case runs only
//! with optimisations: `cargo test --release --test robustness`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use pyvet::{analyze, apply_fixes, Analysis, FixSelection, Options};

// The fuzz targets' check of every position (inside the source, on character boundaries,
// convertible to CLI and browser positions, findings sorted), shared with them.
#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod fuzz_support;
use fuzz_support::check_positions;

/// Rust's default for spawned threads, which is what the CLI's rayon workers get.
const STACK_SIZE: usize = 2 * 1024 * 1024;

/// Generous on purpose: these catch hangs and runaway quadratic work, not slow or busy
/// machines (on a quiet one the slowest case takes about 5 s in release).
fn time_limit() -> Duration {
    if cfg!(debug_assertions) {
        Duration::from_secs(180)
    } else {
        Duration::from_secs(60)
    }
}

/// Runs `work` on a fresh thread and fails the test when it panics or outlives the limit.
fn within_limit<T: Send + 'static>(case: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (sender, receiver) = mpsc::channel();
    let started = Instant::now();
    thread::Builder::new()
        .name(case.to_string())
        .stack_size(STACK_SIZE)
        .spawn(move || {
            let result = work();
            let _ = sender.send(result);
        })
        .expect("spawn a worker thread");
    match receiver.recv_timeout(time_limit()) {
        Ok(result) => {
            println!("{case}: {:.2?}", started.elapsed());
            result
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{case}: still running after {:?}", time_limit())
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{case}: panicked (see above)"),
    }
}

/// Analyses `source` under the limit and checks that what came back points into it.
fn analyze_case(case: &str, source: String) -> Analysis {
    within_limit(case, move || {
        let analysis = analyze(&source, &Options::default());
        check_positions(&source, &analysis);
        analysis
    })
}

/// Applying every fix (unsafe included) must not panic either.
fn fix_case(case: &str, source: String) {
    within_limit(case, move || {
        apply_fixes(&source, &Options::default(), &FixSelection::All, true);
    });
}

// ---------------------------------------------------------------------------------------
// (a) The whole CPython standard library, test folders and their broken files included.

fn stdlib_path() -> Option<PathBuf> {
    let output = Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
        ])
        .output()
        .ok()?;
    let path = String::from_utf8(output.stdout).ok()?;
    let path = PathBuf::from(path.trim());
    path.is_dir().then_some(path)
}

/// Every `.py` file under `dir`, sorted, without installed third-party packages.
fn python_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() && entry.file_name() != "site-packages" {
            python_files(&path, found);
        } else if kind.is_file() && path.extension().is_some_and(|ext| ext == "py") {
            found.push(path);
        }
    }
}

#[test]
fn the_whole_standard_library_analyses_without_a_panic() {
    if cfg!(debug_assertions) {
        println!("skipped in debug; run with --release");
        return;
    }
    let stdlib = stdlib_path().expect("python3 must be installed and report its stdlib path");
    let mut files = Vec::new();
    python_files(&stdlib, &mut files);
    files.sort();
    assert!(
        files.len() > 500,
        "only {} files in {stdlib:?}",
        files.len()
    );

    // One worker walks the files and reports each as it finishes, so the time limit applies
    // to every file, not to the whole run.
    let (sender, receiver) = mpsc::channel();
    let worker_files = files.clone();
    thread::Builder::new()
        .name("stdlib".into())
        .stack_size(STACK_SIZE)
        .spawn(move || {
            for path in worker_files {
                // A few test files are deliberately not UTF-8; the CLI reads them lossily too.
                let bytes = std::fs::read(&path).unwrap_or_default();
                let source = String::from_utf8_lossy(&bytes).into_owned();
                let started = Instant::now();
                let analysis = analyze(&source, &Options::default());
                check_positions(&source, &analysis);
                if analysis
                    .findings
                    .iter()
                    .any(|finding| finding.fix.is_some())
                {
                    apply_fixes(&source, &Options::default(), &FixSelection::All, true);
                }
                let outcome = (
                    source.lines().count(),
                    analysis.findings.len(),
                    analysis.syntax_errors.len(),
                    started.elapsed(),
                );
                if sender.send(outcome).is_err() {
                    return;
                }
            }
        })
        .expect("spawn the stdlib worker");

    let started = Instant::now();
    let (mut lines, mut findings, mut broken) = (0, 0, 0);
    let mut slowest: Vec<(Duration, &Path)> = Vec::new();
    for path in &files {
        let (file_lines, file_findings, errors, took) = match receiver.recv_timeout(time_limit()) {
            Ok(outcome) => outcome,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                panic!("{}: still running after {:?}", path.display(), time_limit())
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                panic!("{}: panicked (see above)", path.display())
            }
        };
        lines += file_lines;
        findings += file_findings;
        broken += usize::from(errors > 0);
        slowest.push((took, path));
    }
    slowest.sort_by_key(|(took, _)| std::cmp::Reverse(*took));
    println!(
        "{} files, {lines} lines, {findings} findings, {broken} files with syntax errors, {:.2?}",
        files.len(),
        started.elapsed()
    );
    for (took, path) in slowest.iter().take(3) {
        println!("  slowest: {took:.2?} {}", path.display());
    }
}

// ---------------------------------------------------------------------------------------
// (b) Deep bracket nesting, and (e) deep statement nesting.

fn nested(open: &str, middle: &str, close: &str, depth: usize) -> String {
    format!("{}{middle}{}\n", open.repeat(depth), close.repeat(depth))
}

#[test]
fn five_thousand_nested_brackets() {
    let cases = [
        ("parentheses", nested("(", "x", ")", 5_000)),
        ("lists", format!("x = {}", nested("[", "", "]", 5_000))),
        ("dicts", format!("x = {}", nested("{1: ", "2", "}", 5_000))),
        (
            "sets and tuples",
            format!("x = {}", nested("{(", "1", ",)}", 2_500)),
        ),
        ("calls", nested("yaml.load(", "data", ")", 5_000)),
        ("subscripts", nested("x[", "0", "]", 5_000)),
        (
            "unclosed",
            format!("import yaml\nyaml.load({}", "(".repeat(5_000)),
        ),
        ("unopened", format!("x = 1{}\n", ")]}".repeat(5_000))),
        ("f-strings", nested("f'{", "x", "}'", 1_000)),
        (
            "format specs",
            format!("f'{}'\n", nested("{x:", "", "}", 1_000).trim_end()),
        ),
    ];
    for (case, source) in cases {
        analyze_case(case, source);
    }
}

#[test]
fn deep_patterns_and_targets() {
    let case_of = |pattern: String| format!("match x:\n case {pattern}:\n  pass\n");
    let cases = [
        ("sequence patterns", case_of(nested("[", "_", "]", 50_000))),
        ("class patterns", case_of(nested("C(", "", ")", 50_000))),
        ("or patterns", case_of(nested("(1 | ", "2", ")", 50_000))),
        ("as patterns", case_of(nested("(", "y", " as y)", 50_000))),
        // The parser checks assignment targets with a recursion that does not grow the
        // stack: somewhere past 10,000 levels (debug) or 20,000 (release) it overflows a
        // 2 MiB stack. CPython refuses more than 200 nested brackets, so this is far beyond
        // any real file; the limit is known and reported, not hidden.
        (
            "tuple targets",
            format!("{} = x\n", nested("(", "a", ",)", 10_000).trim_end()),
        ),
        (
            "for targets",
            format!(
                "for {} in x: pass\n",
                nested("[", "a", "]", 10_000).trim_end()
            ),
        ),
        ("unary targets", format!("{}x = 1\n", "-".repeat(10_000))),
    ];
    for (case, source) in cases {
        analyze_case(case, source);
    }
}

#[test]
fn long_operator_and_postfix_chains() {
    // These parse in a loop but build trees as deep as they are long.
    let cases = [
        (
            "binary operators",
            format!("x = 1{}\n", " + 1".repeat(100_000)),
        ),
        (
            "string concatenation",
            format!("q = 'a'{}\n", " + 'b'".repeat(100_000)),
        ),
        ("attributes", format!("x = a{}\n", ".b".repeat(20_000))),
        ("calls", format!("x = f{}\n", "()".repeat(20_000))),
        ("subscripts", format!("x = a{}\n", "[0]".repeat(20_000))),
        (
            "unary operators",
            format!("x = {}1\n", "not -".repeat(5_000)),
        ),
        (
            "conditionals",
            format!("x = {}0\n", "1 if c else ".repeat(5_000)),
        ),
        ("lambdas", format!("f = {}0\n", "lambda: ".repeat(5_000))),
        ("comparisons", format!("x = a{}\n", " < a".repeat(20_000))),
        (
            "boolean operators",
            format!("x = a{}\n", " and a".repeat(20_000)),
        ),
    ];
    for (case, source) in cases {
        analyze_case(case, source);
    }
}

/// `depth` nested blocks with one space of indentation per level.
fn nested_blocks(header: &str, depth: usize) -> String {
    let mut source = String::from("import yaml\n");
    for level in 0..depth {
        source.push_str(&" ".repeat(level));
        source.push_str(&header.replace("{level}", &level.to_string()));
        source.push('\n');
    }
    source.push_str(&" ".repeat(depth));
    source.push_str("yaml.load(data)\n");
    source
}

#[test]
fn a_thousand_nested_blocks() {
    let cases = [
        ("functions", nested_blocks("def f{level}(data):", 1_000)),
        ("ifs", nested_blocks("if data:", 1_000)),
        ("classes", nested_blocks("class C{level}:", 1_000)),
        ("loops", nested_blocks("for data in data:", 1_000)),
        ("withs", nested_blocks("with open(data) as data:", 1_000)),
        (
            "async functions",
            nested_blocks("async def f{level}(data):", 1_000),
        ),
        ("tries", nested_blocks("try:", 1_000)),
        ("matches", nested_blocks("match data:\n case _:", 500)),
    ];
    for (case, source) in cases {
        analyze_case(case, source);
    }
}

// ---------------------------------------------------------------------------------------
// (c) Ten megabytes of realistic code.

const REALISTIC_MODULE: &str = r#"import os
import subprocess
import yaml
from yaml import load as load_yaml  # noqa: F401


class Settings:
    """Loads settings from a YAML file."""

    def __init__(self, path):
        self.path = path

    def load(self):
        with open(self.path) as handle:
            return yaml.load(handle)  # unsafe: no Loader

    def load_safely(self):
        with open(self.path) as handle:
            return yaml.safe_load(handle)  # noqa: E501


def run(command: str) -> int:
    result = subprocess.run(["echo", command], check=False)  # nosec B603
    return result.returncode


def pick(values, wanted=None):
    return [value for value in values if value == wanted or wanted is None]


SETTINGS = yaml.load(os.environ.get("SETTINGS", ""), Loader=yaml.Loader)  # pyvet: ignore[PV301]
"#;

/// Ten megabytes with optimisations; two in debug builds, where the same work is ten times
/// slower (the release run of this file is part of `scripts/test.sh`).
fn big_size() -> usize {
    if cfg!(debug_assertions) {
        2 << 20
    } else {
        10 << 20
    }
}

#[test]
fn ten_megabytes_of_code() {
    let copies = big_size() / REALISTIC_MODULE.len() + 1;
    let big = REALISTIC_MODULE.repeat(copies);
    let analysis = analyze_case("10 MB of realistic modules", big);
    assert!(
        analysis.findings.len() >= copies,
        "expected a finding per copy"
    );
    analyze_case(
        "10 MB on one line",
        format!("x = '{}'\n", "a".repeat(10 << 20)),
    );
    analyze_case(
        "10 MB of comments",
        "# noqa: E501\n".repeat(big_size() / 13),
    );
    // Junk parses into an error every few bytes: hundreds of thousands of them.
    let mut random = XorShift::new(7);
    let junk: Vec<u8> = (0..big_size() / 10).map(|_| random.next() as u8).collect();
    analyze_case(
        "1 MB of random bytes",
        String::from_utf8_lossy(&junk).into_owned(),
    );
    let calls = "yaml.load(data)  # noqa: E501\n";
    analyze_case(
        "a finding and a comment on every line",
        format!("import yaml\n{}", calls.repeat((2 << 20) / calls.len())),
    );
}

// ---------------------------------------------------------------------------------------
// (d) Binary junk and token soup.

/// xorshift64*: enough randomness to shake a parser, with no dependency.
struct XorShift(u64);

impl XorShift {
    fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }
}

fn seeds() -> u64 {
    if cfg!(debug_assertions) {
        200
    } else {
        2_000
    }
}

#[test]
fn random_bytes() {
    within_limit("random bytes", || {
        for seed in 0..seeds() {
            let mut random = XorShift::new(seed);
            let length = random.below(4_096);
            let bytes: Vec<u8> = (0..length).map(|_| random.next() as u8).collect();
            let source = String::from_utf8_lossy(&bytes).into_owned();
            let analysis = analyze(&source, &Options::default());
            check_positions(&source, &analysis);
        }
    });
}

/// Pieces of Python, joined at random: far more of these reach deep into the parser
/// than random bytes do.
const TOKENS: &[&str] = &[
    "import yaml\n",
    "from yaml import load as l\n",
    "yaml.load(",
    "l(",
    "Loader=yaml.Loader",
    "def f(",
    "class C",
    "async ",
    "await ",
    "lambda ",
    "x",
    "data",
    "1",
    "0x1f",
    "1.5j",
    "'s'",
    "f'{",
    "}'",
    "f\"",
    "\"",
    "'''",
    "\"\"\"",
    "b'\\x00'",
    "r'\\'",
    "t'{x}'",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    ",",
    ".",
    ";",
    "=",
    ":=",
    "+",
    "-",
    "*",
    "**",
    "/",
    "//",
    "%",
    "@",
    "->",
    "<",
    ">=",
    "==",
    "!=",
    "not ",
    " and ",
    " or ",
    " if ",
    " else ",
    "elif ",
    "while ",
    "for ",
    " in ",
    "with ",
    " as ",
    "try:",
    "except ",
    "finally:",
    "return ",
    "yield ",
    "match ",
    "case ",
    "type ",
    "global ",
    "nonlocal ",
    "del ",
    "pass",
    "...",
    "\\\n",
    "\n",
    "\r\n",
    "\r",
    "    ",
    "\t",
    " ",
    "# pyvet: ignore\n",
    "# nosec\n",
    "\0",
    "é",
    "🐍",
    "\u{200d}",
    "\u{202e}",
    "\u{feff}",
];

#[test]
fn token_soup() {
    within_limit("token soup", || {
        for seed in 0..seeds() {
            let mut random = XorShift::new(seed);
            let count = random.below(400);
            let source: String = (0..count)
                .map(|_| TOKENS[random.below(TOKENS.len())])
                .collect();
            let analysis = analyze(&source, &Options::default());
            check_positions(&source, &analysis);
            if !analysis.findings.is_empty() {
                apply_fixes(&source, &Options::default(), &FixSelection::All, true);
            }
        }
    });
}

// ---------------------------------------------------------------------------------------
// (f) Unusual characters and line endings.

#[test]
fn unusual_characters_and_line_endings() {
    let module = "import yaml\n# 🐍 émoji\nx = yaml.load('🐍\\u00e9', Loader=yaml.Loader)  # 😀\n";
    let cases = [
        ("emoji", module.to_string()),
        ("CRLF", module.replace('\n', "\r\n")),
        ("lone CR", module.replace('\n', "\r")),
        (
            "mixed line endings",
            module.replacen('\n', "\r", 1).replacen('\n', "\r\n", 1),
        ),
        ("NUL bytes", module.replace(' ', "\0")),
        (
            "NUL in a string",
            "import yaml\nyaml.load('\0')\n".to_string(),
        ),
        ("byte order mark", format!("\u{feff}{module}")),
        ("form feed", format!("\x0c{module}\x0c")),
        (
            "tabs and spaces",
            "if x:\n\tif y:\n        yaml.load(z)\n".to_string(),
        ),
        (
            "zero-width and bidi",
            module.replace('x', "x\u{200d}\u{202e}"),
        ),
        ("no final newline", module.trim_end().to_string()),
        ("only a CR", "\r".to_string()),
        ("empty", String::new()),
        (
            "unterminated string",
            "import yaml\nyaml.load('🐍".to_string(),
        ),
        (
            "unterminated triple string",
            "import yaml\nx = '''🐍\r\n".to_string(),
        ),
        ("line continuation at the end", "x = 1 + \\".to_string()),
        ("astral plane names", "𝔘 = 1\nprint(𝔘)\n".to_string()),
    ];
    for (case, source) in cases {
        analyze_case(case, source.clone());
        fix_case(case, source);
    }
}

// ---------------------------------------------------------------------------------------
// (g) Inputs with many of one thing must cost about ten times more at ten times the size,
// not a hundred: many fixes, a dict of many secrets; and a regex alternation of many
// literals about what a plain pattern of its length costs. Timed against another input on
// the same machine, not against a clock, so a busy machine slows both sides.

/// How many times longer ten times the input may take. Linear work takes about 10×,
/// quadratic work 100×; the margin absorbs noise on a shared machine.
const MAX_GROWTH: f64 = 30.0;

/// The size most growth cases run at (and a tenth of it as the baseline).
const GROWTH_SIZE: usize = 20_000;

fn timed(source: &str, work: fn(&str)) -> Duration {
    let started = Instant::now();
    work(source);
    started.elapsed()
}

/// Runs `work` on `make(size)` and ten times on `make(size / 10)` (under the
/// time limit), and fails when the one run took more than [`MAX_GROWTH`] times as long as
/// one of the ten. The two sides take about as long when the work is linear, so load
/// elsewhere on the machine slows both alike (a lone short run would slip between its
/// bursts); each side keeps its fastest of three tries, and the tries take turns.
fn grows_linearly(case: &str, size: usize, make: fn(usize) -> String, work: fn(&str)) {
    let (small, big) = within_limit(case, move || {
        let (small_source, big_source) = (make(size / 10), make(size));
        let (mut small, mut big) = (Duration::MAX, Duration::MAX);
        for _ in 0..3 {
            let started = Instant::now();
            for _ in 0..10 {
                work(&small_source);
            }
            small = small.min(started.elapsed() / 10);
            big = big.min(timed(&big_source, work));
        }
        (small, big)
    });
    // A floor on the baseline, so one measured below the clock's grain cannot fail it.
    let growth = big.as_secs_f64() / small.as_secs_f64().max(1e-4);
    println!(
        "{case}: {small:.2?} at {}, {big:.2?} at {size}: {growth:.1}×",
        size / 10
    );
    assert!(
        growth < MAX_GROWTH,
        "{case}: 10× the input took {growth:.0}× as long ({small:.2?} → {big:.2?})"
    );
}

fn analyze_only(source: &str) {
    analyze(source, &Options::default());
}

/// What `pyvet check --fix --unsafe-fixes` does; the result must no longer need fixing.
fn fix_all(source: &str) {
    let outcome = apply_fixes(source, &Options::default(), &FixSelection::All, true);
    assert!(outcome.applied > 0, "nothing was fixed");
}

/// The browser's "apply these findings' fixes": every finding chosen by its index.
fn fix_each_by_index(source: &str) {
    let count = analyze(source, &Options::default()).findings.len();
    let selection = FixSelection::Findings((0..count).collect());
    let outcome = apply_fixes(source, &Options::default(), &selection, true);
    assert_eq!(outcome.applied, count, "not every chosen finding was fixed");
}

/// `count` random letters and digits, the same ones on every run.
fn alphanumeric(random: &mut XorShift, count: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..count)
        .map(|_| char::from(ALPHABET[random.below(ALPHABET.len())]))
        .collect()
}

fn many_timeouts_to_add(count: usize) -> String {
    format!("import requests\n{}", "requests.get(url)\n".repeat(count))
}

fn many_unsafe_fixes(count: usize) -> String {
    let calls = "yaml.load(x)\nhashlib.md5(x)\n".repeat(count / 2);
    format!("import hashlib\nimport yaml\n{calls}")
}

/// Each fix reads a key from the environment and needs `import os`: one import, shared.
fn many_secret_assignments(count: usize) -> String {
    let mut random = XorShift::new(11);
    (0..count)
        .map(|index| format!("k{index} = \"sk_live_{}\"\n", alphanumeric(&mut random, 24)))
        .collect()
}

fn dict_of_payment_keys(count: usize) -> String {
    let mut random = XorShift::new(12);
    let items: String = (0..count)
        .map(|index| {
            format!(
                "    \"k{index}\": \"sk_live_{}\",\n",
                alphanumeric(&mut random, 24)
            )
        })
        .collect();
    format!("KEYS = {{\n{items}}}\n")
}

fn dict_of_cloud_keys(count: usize) -> String {
    let mut random = XorShift::new(13);
    let items: String = (0..count)
        .map(|index| {
            let key = alphanumeric(&mut random, 16).to_uppercase();
            format!("    \"k{index}\": \"AKIA{key}\",\n")
        })
        .collect();
    format!("KEYS = {{\n{items}}}\n")
}

#[test]
fn fixing_many_findings_grows_linearly() {
    grows_linearly(
        "many timeouts to add",
        GROWTH_SIZE,
        many_timeouts_to_add,
        fix_all,
    );
    grows_linearly(
        "many timeouts to add, chosen by index",
        GROWTH_SIZE,
        many_timeouts_to_add,
        fix_each_by_index,
    );
    grows_linearly("many unsafe fixes", GROWTH_SIZE, many_unsafe_fixes, fix_all);
    grows_linearly(
        "many secret assignments",
        GROWTH_SIZE,
        many_secret_assignments,
        fix_all,
    );
}

#[test]
fn a_dict_of_many_secrets_grows_linearly() {
    for (case, make) in [
        (
            "a dict of payment keys",
            dict_of_payment_keys as fn(usize) -> String,
        ),
        ("a dict of cloud keys", dict_of_cloud_keys),
    ] {
        let source = make(1_000);
        let analysis = analyze(&source, &Options::default());
        assert_eq!(
            analysis.findings.len(),
            1_000,
            "{case}: one finding per key"
        );
        grows_linearly(&format!("{case}, checked"), GROWTH_SIZE, make, analyze_only);
        grows_linearly(&format!("{case}, fixed"), GROWTH_SIZE, make, fix_all);
    }
}

fn pattern_call(pattern: &str) -> String {
    format!("import re\nre.compile(r\"{pattern}\")\n")
}

fn alternation_of_literals(count: usize) -> String {
    let words: Vec<String> = (0..count).map(|index| format!("a{index}")).collect();
    pattern_call(&format!("({})*x", words.join("|")))
}

/// `ab0`, `ab0c`, `ab1`, …: every other alternative is a prefix of the next.
fn alternation_of_shared_prefixes(count: usize) -> String {
    let words: Vec<String> = (0..count / 2)
        .flat_map(|index| [format!("ab{index}"), format!("ab{index}c")])
        .collect();
    pattern_call(&format!("({})*x", words.join("|")))
}

/// One distinct character per alternative (CJK extension B, all valid scalars).
fn alternation_of_characters(count: usize) -> String {
    let characters: Vec<String> = (0..count)
        .filter_map(|index| char::from_u32(0x2_0000 + index as u32))
        .map(String::from)
        .collect();
    pattern_call(&format!("({})*x", characters.join("|")))
}

/// `a{a{a{…`: braces that never close.
fn unclosed_repetition_braces(count: usize) -> String {
    pattern_call(&"a{".repeat(count))
}

/// How many times longer a pattern of many alternatives may take than a plain pattern of
/// the same length (they take about as long: each is read into one node per character).
const MAX_OVER_PLAIN: f64 = 10.0;

/// Alternatives in the regex cases. Far more than fit a CPU cache: a baseline a tenth the
/// size would sit in cache and look three times cheaper per alternative than the case does
/// in memory, which is why these are timed against a plain pattern of the same size.
const ALTERNATIVES: usize = 100_000;

/// Runs `work` on `source` and on `plain` (the same length, without the many things) and
/// fails when the first took more than [`MAX_OVER_PLAIN`] times as long; fastest of three
/// tries each, taking turns.
fn costs_about_as_much_as_plain(case: &str, source: String, plain: String, work: fn(&str)) {
    let (source_time, plain_time) = within_limit(case, move || {
        let (mut source_time, mut plain_time) = (Duration::MAX, Duration::MAX);
        for _ in 0..3 {
            plain_time = plain_time.min(timed(&plain, work));
            source_time = source_time.min(timed(&source, work));
        }
        (source_time, plain_time)
    });
    let ratio = source_time.as_secs_f64() / plain_time.as_secs_f64().max(1e-4);
    println!("{case}: {source_time:.2?}, plain {plain_time:.2?}: {ratio:.1}×");
    assert!(
        ratio < MAX_OVER_PLAIN,
        "{case}: took {ratio:.0}× as long as a plain pattern ({plain_time:.2?} → {source_time:.2?})"
    );
}

#[test]
fn a_regex_alternation_of_many_literals_costs_what_a_plain_pattern_does() {
    for (case, make, special) in [
        (
            "literals",
            alternation_of_literals as fn(usize) -> String,
            '|',
        ),
        ("shared prefixes", alternation_of_shared_prefixes, '|'),
        ("single characters", alternation_of_characters, '|'),
        ("unclosed braces", unclosed_repetition_braces, '{'),
    ] {
        let analysis = analyze(&make(1_000), &Options::default());
        assert!(
            analysis.findings.is_empty(),
            "{case}: {:?}",
            analysis.findings
        );
        // The same text with each `|` (or `{`) a letter: one long run of characters.
        let source = make(ALTERNATIVES);
        let plain = source.replace(special, "b");
        costs_about_as_much_as_plain(&format!("a regex of {case}"), source, plain, analyze_only);
    }
    // Still found among many: a repeated alternative and its repetition.
    let flagged = pattern_call(&format!(
        "({}|ab|abab)*x",
        (0..20_000)
            .map(|index| format!("w{index}"))
            .collect::<Vec<_>>()
            .join("|")
    ));
    let analysis = analyze(&flagged, &Options::default());
    assert_eq!(analysis.findings.len(), 1, "{:?}", analysis.findings);
    assert_eq!(analysis.findings[0].rule.id, "PV721");
}

// ---------------------------------------------------------------------------------------
// (h) Inputs the fuzz targets found (tests/fuzz_found/), kept as they were found.

/// Each must analyse on a worker's stack, and fixing it must leave code that parses and that
/// a second round of fixes does not change (the `fix_validity` fuzz target's checks).
#[test]
fn inputs_the_fuzzers_found_stay_fixed() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_found");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&folder)
        .expect("tests/fuzz_found exists")
        .map(|entry| entry.expect("a readable entry").path())
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    for path in paths {
        let source = std::fs::read_to_string(&path).expect("fuzz inputs are kept as UTF-8");
        let case = path.display().to_string();
        let analysis = analyze_case(&case, source.clone());
        if !analysis.syntax_errors.is_empty() {
            continue;
        }
        within_limit(&case, move || {
            let options = Options::default();
            let fixed = apply_fixes(&source, &options, &FixSelection::All, true);
            let errors = analyze(&fixed.source, &options).syntax_errors;
            assert!(
                errors.is_empty(),
                "the fixed source does not parse: {errors:?}"
            );
            let again = apply_fixes(&fixed.source, &options, &FixSelection::All, true);
            assert!(
                again.source == fixed.source,
                "a second round of fixes changed the source"
            );
        });
    }
}
