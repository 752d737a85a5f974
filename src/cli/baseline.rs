//! `--write-baseline FILE` records today's findings; `--baseline FILE` leaves them out of
//! the report, so a project can adopt pyvet without fixing everything first. A finding is
//! known by its file, its rule and its fingerprint (see `fingerprint.rs`), never by its
//! line, so code that moves keeps its entry, and a fixed finding leaves the file the next
//! time it is written. The file is JSON, one entry per finding, sorted, with the flagged
//! code beside each fingerprint for the person reviewing its diff.

use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

use super::fingerprint::{excerpt, fingerprint};
use super::Report;

const FORMAT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    /// The layout of this file, for later changes to it.
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    /// Relative to the baseline file's folder, with `/` between parts.
    path: String,
    rule_id: String,
    fingerprint: String,
    /// The flagged code's first line: for people, not for matching.
    #[serde(default)]
    code: String,
}

type Key = (String, String, String);

/// The findings a baseline file records, counted (two identical statements in one file
/// give two entries with the same key).
pub struct Baseline {
    folder: PathBuf,
    known: HashMap<Key, usize>,
}

impl Baseline {
    pub fn read(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| super::files::describe_io_error(&error))?;
        let file: BaselineFile = serde_json::from_str(&text)
            .map_err(|error| format!("not a pyvet baseline: {error}"))?;
        if file.version != FORMAT_VERSION {
            return Err(format!(
                "baseline version {} is not {FORMAT_VERSION}; write it again with --write-baseline",
                file.version
            ));
        }
        let mut known = HashMap::default();
        for entry in file.findings {
            *known
                .entry((entry.path, entry.rule_id, entry.fingerprint))
                .or_default() += 1;
        }
        Ok(Self {
            folder: folder_of(path),
            known,
        })
    }

    /// Takes the findings this baseline records out of `report`; returns how many.
    pub fn remove_known(&self, report: &mut Report) -> usize {
        let mut known = self.known.clone();
        let mut removed = 0;
        for file in &mut report.files {
            let path = relative_to(&self.folder, &file.path);
            let source = &file.source;
            file.analysis.findings.retain(|finding| {
                let key = (
                    path.clone(),
                    finding.rule.id.to_string(),
                    fingerprint(source, finding),
                );
                match known.get_mut(&key) {
                    Some(count) if *count > 0 => {
                        *count -= 1;
                        removed += 1;
                        false
                    }
                    _ => true,
                }
            });
        }
        removed
    }
}

/// Writes every finding of `report` to `path`; returns how many.
pub fn write(report: &Report, path: &Path) -> Result<usize, String> {
    let folder = folder_of(path);
    let mut findings: Vec<Entry> = report
        .files
        .iter()
        .flat_map(|file| {
            let path = relative_to(&folder, &file.path);
            file.analysis.findings.iter().map(move |finding| Entry {
                path: path.clone(),
                rule_id: finding.rule.id.to_string(),
                fingerprint: fingerprint(&file.source, finding),
                code: excerpt(&file.source, finding),
            })
        })
        .collect();
    findings.sort();
    let count = findings.len();
    let file = BaselineFile {
        version: FORMAT_VERSION,
        findings,
    };
    let mut text = serde_json::to_string_pretty(&file).map_err(|error| error.to_string())?;
    text.push('\n');
    std::fs::write(path, text).map_err(|error| super::files::describe_io_error(&error))?;
    Ok(count)
}

/// The baseline's folder, absolute: its paths are relative to it, so it works from any
/// folder pyvet runs in.
fn folder_of(path: &Path) -> PathBuf {
    let folder = path.parent().unwrap_or(Path::new(""));
    super::config::absolute(&std::env::current_dir().unwrap_or_default(), folder)
}

/// A reported path (relative to the current folder, or absolute) seen from `folder`.
fn relative_to(folder: &Path, reported: &str) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let file = super::config::absolute(&cwd, Path::new(reported));
    let Ok(below) = file.strip_prefix(folder) else {
        return file.to_string_lossy().replace('\\', "/");
    };
    below
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
