//! Finding the files to check and reading them as text.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use ignore::{DirEntry, WalkBuilder};

use super::config::file::ConfigError;
use super::config::Resolver;
use super::encoding::{self, Encoding};
use pyvet::Options;

/// A path that could not be checked, and why.
#[derive(Debug)]
pub struct ReadError {
    pub path: String,
    pub message: String,
}

/// The files to check, each with the options its settings give it, sorted and without
/// duplicates.
pub type Files = Vec<(PathBuf, Options)>;

/// The files under `paths` with their settings, and the paths that do not exist. Files named
/// explicitly are kept whatever their extension and, unless `force_exclude`, whatever the
/// exclusions say; folders give their `.py` files that no exclusion leaves out. Bad
/// configuration stops everything.
pub fn collect(
    paths: &[PathBuf],
    resolver: Resolver,
    force_exclude: bool,
) -> Result<(Files, Vec<ReadError>), ConfigError> {
    let resolver = Arc::new(Mutex::new(resolver));
    let mut files = BTreeMap::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(metadata) if metadata.is_dir() => walk(path, &resolver, &mut files, &mut errors)?,
            Ok(_) => {
                let mut resolver = lock(&resolver);
                if !(force_exclude && resolver.excludes_named_file(path)?) {
                    files.insert(normalize(path), resolver.options_for(path)?);
                }
            }
            Err(error) => errors.push(ReadError {
                path: display(path),
                message: describe_io_error(&error),
            }),
        }
    }
    Ok((files.into_iter().collect(), errors))
}

fn lock(resolver: &Mutex<Resolver>) -> std::sync::MutexGuard<'_, Resolver> {
    resolver.lock().unwrap_or_else(PoisonError::into_inner)
}

fn walk(
    root: &Path,
    resolver: &Arc<Mutex<Resolver>>,
    files: &mut BTreeMap<PathBuf, Options>,
    errors: &mut Vec<ReadError>,
) -> Result<(), ConfigError> {
    // The walker asks about each entry from its own closure; the first configuration
    // error met there is kept for after the walk.
    let config_error: Arc<Mutex<Option<ConfigError>>> = Arc::default();
    let walker = WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .filter_entry({
            let resolver = resolver.clone();
            let config_error = config_error.clone();
            move |entry| match is_excluded(entry, &mut lock(&resolver)) {
                Ok(excluded) => !excluded,
                Err(error) => {
                    let mut first = config_error.lock().unwrap_or_else(PoisonError::into_inner);
                    first.get_or_insert(error);
                    false
                }
            }
        })
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                if is_python_file(&entry) {
                    let options = lock(resolver).options_for(entry.path())?;
                    files.insert(normalize(entry.path()), options);
                }
            }
            Err(error) => errors.push(ReadError {
                path: error_path(&error).map_or_else(|| display(root), |path| display(&path)),
                message: error.to_string(),
            }),
        }
    }
    let first_error = config_error
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take();
    first_error.map_or(Ok(()), Err)
}

/// Whether the walk leaves `entry` out: a skipped folder, or what the settings of its
/// folder exclude. The walk's root is never asked, so a folder named explicitly is searched.
fn is_excluded(entry: &DirEntry, resolver: &mut Resolver) -> Result<bool, ConfigError> {
    let is_dir = entry.file_type().is_some_and(|kind| kind.is_dir());
    if is_dir && is_skipped_folder(entry) {
        return Ok(true);
    }
    let path = resolver.absolute(entry.path());
    let Some(folder) = path.parent() else {
        return Ok(false);
    };
    Ok(resolver.for_folder(folder)?.excludes(&path, is_dir))
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

/// Hidden folders and virtualenvs (any folder with a `pyvenv.cfg`), whatever `exclude` says.
fn is_skipped_folder(entry: &DirEntry) -> bool {
    entry.file_name().to_string_lossy().starts_with('.')
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

/// The source as text, without a UTF-8 byte order mark (returned separately, to be written back),
/// and the encoding it was read in.
pub struct SourceText {
    pub text: String,
    pub bom: bool,
    pub encoding: Encoding,
}

impl SourceText {
    /// Other text (the fixed source) to be written the way this source was read.
    pub fn with_text(&self, text: String) -> SourceText {
        SourceText {
            text,
            bom: self.bom,
            encoding: self.encoding,
        }
    }

    /// The bytes to write: the byte order mark it had, in the encoding it was read in.
    pub fn to_bytes(&self) -> Result<Vec<u8>, String> {
        match self.encoding {
            Encoding::Utf8 => {
                let bom = if self.bom { BOM } else { "" };
                Ok(format!("{bom}{}", self.text).into_bytes())
            }
            single_byte => encoding::encode(&self.text, single_byte).map_err(|character| {
                format!(
                    "the fixed source has `{character}`, which the file's declared encoding cannot hold"
                )
            }),
        }
    }
}

const BOM: &str = "\u{feff}";

/// Reads Python source: UTF-8, or the Latin-1 / Windows-1252 its first lines declare.
pub fn read_source(path: &Path) -> Result<SourceText, String> {
    let bytes = std::fs::read(path).map_err(|error| describe_io_error(&error))?;
    decode(bytes)
}

pub fn decode(bytes: Vec<u8>) -> Result<SourceText, String> {
    let error = match String::from_utf8(bytes) {
        Ok(text) => {
            return Ok(match text.strip_prefix(BOM) {
                Some(rest) => SourceText {
                    text: rest.to_string(),
                    bom: true,
                    encoding: Encoding::Utf8,
                },
                None => SourceText {
                    text,
                    bom: false,
                    encoding: Encoding::Utf8,
                },
            })
        }
        Err(error) => error,
    };
    let bytes = error.as_bytes();
    let valid = error.utf8_error().valid_up_to();
    let line = bytes[..valid].iter().filter(|&&byte| byte == b'\n').count() + 1;
    match encoding::declared(bytes).map(|name| (name, encoding::by_name(name))) {
        Some((name, Some(single_byte))) if single_byte != Encoding::Utf8 => {
            match encoding::decode(bytes, single_byte) {
                Some(text) => Ok(SourceText {
                    text,
                    bom: false,
                    encoding: single_byte,
                }),
                None => Err(format!("Not valid {name} (a byte it leaves undefined)")),
            }
        }
        Some((name, None)) => Err(format!(
            "Declares the encoding `{name}` (line 1 or 2), which pyvet cannot read; it reads UTF-8, Latin-1 and Windows-1252"
        )),
        _ => Err(format!(
            "Not valid UTF-8 (line {line}, byte {}); pyvet reads Python source as UTF-8 unless its first lines declare Latin-1 or Windows-1252",
            valid + 1
        )),
    }
}

/// Writes fixed source back, with the byte order mark it had, in the encoding it was read in.
pub fn write_source(path: &Path, source: &SourceText) -> Result<(), String> {
    let bytes = source
        .to_bytes()
        .map_err(|problem| format!("Cannot write: {problem}"))?;
    std::fs::write(path, bytes)
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
