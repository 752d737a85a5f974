//! `cargo bench --bench analyze`: how fast `pyvet::analyze` is on a few large standard
//! library modules, on one thread. A benchmark, not a test; for the comparison with Ruff and
//! Bandit over the whole standard library, see `bench/compare.py`.

use std::hint::black_box;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use pyvet::{analyze, Options};

const MODULES: &[&str] = &[
    "typing.py",
    "argparse.py",
    "subprocess.py",
    "tarfile.py",
    "pydoc.py",
    "email/_header_value_parser.py",
    "http/client.py",
    "difflib.py",
];

/// Each module is analysed for at least this long; the fastest run counts.
const PER_MODULE: Duration = Duration::from_millis(500);

fn main() {
    let stdlib = stdlib_path();
    let options = Options::default();
    let (mut total_bytes, mut total_lines, mut total_seconds) = (0usize, 0usize, 0f64);
    println!(
        "{:<32} {:>8} {:>10} {:>12} {:>10}",
        "module", "lines", "best", "lines/s", "MB/s"
    );
    for module in MODULES {
        let Ok(source) = std::fs::read_to_string(stdlib.join(module)) else {
            println!("{module:<32} (not found, skipped)");
            continue;
        };
        let lines = source.lines().count();
        let mut best = Duration::MAX;
        let started = Instant::now();
        while started.elapsed() < PER_MODULE {
            let run = Instant::now();
            black_box(analyze(black_box(&source), &options));
            best = best.min(run.elapsed());
        }
        let seconds = best.as_secs_f64();
        println!(
            "{module:<32} {lines:>8} {:>10.2?} {:>12.0} {:>10.1}",
            best,
            lines as f64 / seconds,
            source.len() as f64 / seconds / 1e6
        );
        total_bytes += source.len();
        total_lines += lines;
        total_seconds += seconds;
    }
    if total_seconds > 0.0 {
        println!(
            "{:<32} {total_lines:>8} {:>10.2?} {:>12.0} {:>10.1}",
            "all",
            Duration::from_secs_f64(total_seconds),
            total_lines as f64 / total_seconds,
            total_bytes as f64 / total_seconds / 1e6
        );
    }
}

fn stdlib_path() -> PathBuf {
    let output = Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
        ])
        .output()
        .expect("python3 reports where its standard library is");
    PathBuf::from(String::from_utf8_lossy(&output.stdout).trim())
}
