//! Finding the files to check and reading them as text.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use ignore::{DirEntry, WalkBuilder};

/// Folders never searched (besides hidden ones and virtualenvs).
const SKIPPED_FOLDERS: &[&str] = &["venv", "node_modules", "__pycache__"];

/// A path that could not be checked, and why.
#[derive(Debug)]
pub struct ReadError {
    pub path: String,
    pub message: String,
}

/// The files under `paths`, sorted and without duplicates, and the paths that do not exist.
/// Files named explicitly are kept whatever their extension; folders give their `.py` files.
pub fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<ReadError>) {
    let mut files = BTreeSet::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(metadata) if metadata.is_dir() => walk(path, &mut files, &mut errors),
            Ok(_) => {
                files.insert(normalize(path));
            }
            Err(error) => errors.push(ReadError {
                path: display(path),
                message: describe_io_error(&error),
            }),
        }
    }
    (files.into_iter().collect(), errors)
}

fn walk(root: &Path, files: &mut BTreeSet<PathBuf>, errors: &mut Vec<ReadError>) {
    let walker = WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .filter_entry(|entry| !is_skipped_folder(entry))
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                if is_python_file(&entry) {
                    files.insert(normalize(entry.path()));
                }
            }
            Err(error) => errors.push(ReadError {
                path: error_path(&error).map_or_else(|| display(root), |path| display(&path)),
                message: error.to_string(),
            }),
        }
    }
}

/// A `.py` file, or a link named `.py` to anything but a folder (a broken link is kept, to
/// be reported as unreadable rather than skipped in silence). Linked folders are not followed.
fn is_python_file(entry: &DirEntry) -> bool {
    let Some(kind) = entry.file_type() else {
        return false;
    };
    let is_file = kind.is_file() || (kind.is_symlink() && !entry.path().is_dir());
    is_file && entry.path().extension().is_some_and(|ext| ext == "py")
}

/// Hidden folders, virtualenvs (`venv`, or any folder with a `pyvenv.cfg`), `node_modules`,
/// `__pycache__`. The walk's root is never asked, so a folder named explicitly is searched.
fn is_skipped_folder(entry: &DirEntry) -> bool {
    if !entry.file_type().is_some_and(|kind| kind.is_dir()) {
        return false;
    }
    let name = entry.file_name().to_string_lossy();
    name.starts_with('.')
        || SKIPPED_FOLDERS.contains(&name.as_ref())
        || entry.path().join("pyvenv.cfg").is_file()
}

fn error_path(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

/// `./app/x.py` and `app/x.py` are the same file.
fn normalize(path: &Path) -> PathBuf {
    let normalized: PathBuf = path
        .components()
        .filter(|component| !matches!(component, Component::CurDir))
        .collect();
    if normalized.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        normalized
    }
}

/// How a path is shown in reports.
pub fn display(path: &Path) -> String {
    normalize(path).to_string_lossy().into_owned()
}

/// The source as text, without a UTF-8 byte order mark (returned separately, to be written back).
pub struct SourceText {
    pub text: String,
    pub bom: bool,
}

const BOM: &str = "\u{feff}";

/// Reads Python source as UTF-8.
pub fn read_source(path: &Path) -> Result<SourceText, String> {
    let bytes = std::fs::read(path).map_err(|error| describe_io_error(&error))?;
    decode(bytes)
}

pub fn decode(bytes: Vec<u8>) -> Result<SourceText, String> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(match text.strip_prefix(BOM) {
            Some(rest) => SourceText {
                text: rest.to_string(),
                bom: true,
            },
            None => SourceText { text, bom: false },
        }),
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bytes = error.as_bytes();
            let line = bytes[..valid].iter().filter(|&&byte| byte == b'\n').count() + 1;
            Err(format!(
                "Not valid UTF-8 (line {line}, byte {}); pyvet reads Python source as UTF-8",
                valid + 1
            ))
        }
    }
}

/// Writes fixed source back, with the byte order mark it had.
pub fn write_source(path: &Path, source: &SourceText) -> Result<(), String> {
    let text = if source.bom {
        format!("{BOM}{}", source.text)
    } else {
        source.text.clone()
    };
    std::fs::write(path, text)
        .map_err(|error| format!("Cannot write: {}", describe_io_error(&error)))
}

/// `No such file or directory`, without Rust's `(os error 2)`.
pub fn describe_io_error(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}
