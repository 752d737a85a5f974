//! Writes the pathological input families to files, for timing the CLI on them:
//!
//!     cargo run --release --example pathological -- OUT_DIR [SIZE ...]
//!
//! writes `OUT_DIR/<family>-<size>.py` for each size (default 1000 10000 100000) and prints
//! one line per file: the family, the size, whether it has fixes, and the path (and what
//! each family exercises on standard error).
//! `bench/pathological.sh` times `pyvet check` on them.

#[path = "../tests/support/pathological.rs"]
mod pathological;

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(out_dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: pathological OUT_DIR [SIZE ...]");
        std::process::exit(2);
    };
    let mut sizes: Vec<usize> = Vec::new();
    for arg in args {
        match arg.parse() {
            Ok(size) => sizes.push(size),
            Err(_) => {
                eprintln!("pathological: not a size: {arg}");
                std::process::exit(2);
            }
        }
    }
    if sizes.is_empty() {
        sizes = vec![1_000, 10_000, 100_000];
    }
    if let Err(error) = std::fs::create_dir_all(&out_dir) {
        eprintln!("pathological: cannot create {}: {error}", out_dir.display());
        std::process::exit(2);
    }
    for family in pathological::FAMILIES {
        eprintln!("{}: {}", family.name, family.what);
        for &size in &sizes {
            let path = out_dir.join(format!("{}-{size}.py", family.name));
            if let Err(error) = std::fs::write(&path, (family.generate)(size)) {
                eprintln!("pathological: cannot write {}: {error}", path.display());
                std::process::exit(2);
            }
            println!("{} {size} {} {}", family.name, family.fixes, path.display());
        }
    }
}
