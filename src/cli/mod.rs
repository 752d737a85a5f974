//! What `pyvet check`, `pyvet rules` and `pyvet rule` do once the arguments are parsed.

pub mod baseline;
pub mod config;
pub mod encoding;
pub mod files;
pub mod fingerprint;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod junit;
pub mod problems;
pub mod project;
pub mod rules;
pub mod sarif;
pub mod statistics;
pub mod text;

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use baseline::Baseline;
use config::file::ConfigError;
use config::Resolver;
use files::{ReadError, SourceText};
use pyvet::{Analysis, FixSelection, Options};

/// The process exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// No findings.
    Clean = 0,
    /// Findings or syntax errors (with `--diff`: changes `--fix` would make).
    Findings = 1,
    /// A usage error, or a path that could not be read.
    Error = 2,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
    /// GitHub Actions annotations (workflow commands).
    Github,
    /// GitLab's Code Quality report.
    Gitlab,
    /// JUnit XML test results.
    Junit,
}

pub struct CheckSettings {
    pub format: Format,
    pub fix: bool,
    pub unsafe_fixes: bool,
    pub diff: bool,
    pub threads: usize,
    pub color: bool,
    /// Leave out the findings this baseline records.
    pub baseline: Option<Baseline>,
    /// Record the findings in this file instead of reporting them.
    pub write_baseline: Option<PathBuf>,
    /// Apply the exclusions to files named on the command line too.
    pub force_exclude: bool,
    /// Counts per rule instead of the findings.
    pub statistics: bool,
    /// Exit 0 even when something is found (errors still exit 2).
    pub exit_zero: bool,
    /// Write the report to this file instead of standard output.
    pub output: Option<PathBuf>,
}

/// One checked file.
pub struct FileReport {
    /// As shown in reports.
    pub path: String,
    /// The source analysed: after fixing with `--fix`, as read otherwise.
    pub source: String,
    pub analysis: Analysis,
    /// How many fixes `--fix` applied (or `--diff` would apply).
    pub fixed: usize,
    /// With `--diff`: the source as read, before fixing (`source` is then the fixed one).
    pub original: Option<String>,
}

impl FileReport {
    /// Frees the source of a file with nothing to show, so a large tree is not held in memory.
    fn drop_unused_source(mut self) -> Self {
        let nothing_to_show = self.fixed == 0
            && self.analysis.findings.is_empty()
            && self.analysis.syntax_errors.is_empty();
        if nothing_to_show {
            self.source = String::new();
            self.original = None;
        }
        self
    }
}

/// Everything `pyvet check` found, sorted by path.
pub struct Report {
    pub files: Vec<FileReport>,
    pub read_errors: Vec<ReadError>,
}

impl Report {
    fn status(&self, diff: bool) -> Status {
        if !self.read_errors.is_empty() {
            Status::Error
        } else if diff {
            if self.files.iter().any(|file| file.fixed > 0) {
                Status::Findings
            } else {
                Status::Clean
            }
        } else if self.files.iter().any(|file| {
            !file.analysis.findings.is_empty() || !file.analysis.syntax_errors.is_empty()
        }) {
            Status::Findings
        } else {
            Status::Clean
        }
    }
}

pub fn usage_error(message: &str) -> Status {
    eprintln!("pyvet: error: {message}");
    Status::Error
}

/// Colour when the report goes to a terminal, unless `NO_COLOR` is set (and not empty).
pub fn wants_color(to_stderr: bool) -> bool {
    let terminal = if to_stderr {
        std::io::stderr().is_terminal()
    } else {
        std::io::stdout().is_terminal()
    };
    terminal && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
}

/// Bad configuration: exit 2 before anything is checked.
pub fn config_error(error: &ConfigError) -> Status {
    usage_error(&format!("invalid configuration: {error}"))
}

pub fn check_paths(paths: &[PathBuf], resolver: Resolver, settings: &CheckSettings) -> Status {
    let (files, mut read_errors) = match files::collect(paths, resolver, settings.force_exclude) {
        Ok(found) => found,
        Err(error) => return config_error(&error),
    };
    let (files, file_options): (Vec<PathBuf>, Vec<Options>) = files.into_iter().unzip();
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads)
        .build()
    {
        Ok(pool) => pool,
        Err(error) => return usage_error(&format!("cannot start worker threads: {error}")),
    };
    // Files checked together are a project: each is checked knowing the others' modules
    // (a single file is checked alone, as before).
    let modules = if files.len() > 1 {
        project::modules(&files, paths)
    } else {
        vec![None; files.len()]
    };
    let results: Vec<Result<FileReport, ReadError>> = pool.install(|| {
        files
            .par_iter()
            .zip(file_options)
            .zip(modules)
            .map(|((path, options), module)| {
                let options = Options {
                    project: module,
                    ..options
                };
                check_file(path, &options, settings).map(FileReport::drop_unused_source)
            })
            .collect()
    });
    let mut reports = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(report) => reports.push(report),
            Err(error) => read_errors.push(error),
        }
    }
    read_errors.sort_by(|a, b| Path::new(&a.path).cmp(Path::new(&b.path)));
    let report = Report {
        files: reports,
        read_errors,
    };
    print_report(report, settings, &mut std::io::stdout().lock())
}

fn check_file(
    path: &Path,
    options: &Options,
    settings: &CheckSettings,
) -> Result<FileReport, ReadError> {
    let display = files::display(path);
    let read_error = |message| ReadError {
        path: display.clone(),
        message,
    };
    let source = files::read_source(path).map_err(read_error)?;
    let (report, fixed_source) = check_source(display.clone(), source, options, settings);
    if let Some(fixed_source) = fixed_source {
        files::write_source(path, &fixed_source).map_err(read_error)?;
    }
    Ok(report)
}

/// Analyses (and with `--fix` / `--diff`, fixes) one source. The second value is the fixed
/// source to write, when `--fix` changed something. A file that does not parse is never
/// fixed: it may be in the middle of an edit.
fn check_source(
    path: String,
    source: SourceText,
    options: &Options,
    settings: &CheckSettings,
) -> (FileReport, Option<SourceText>) {
    let analysis = pyvet::analyze(&source.text, options);
    let has_fixes = analysis
        .findings
        .iter()
        .any(|finding| finding.fix.is_some());
    let fixing = settings.fix || settings.diff;
    if !fixing || !has_fixes || !analysis.syntax_errors.is_empty() {
        let report = FileReport {
            path,
            source: source.text,
            analysis,
            fixed: 0,
            original: None,
        };
        return (report, None);
    }
    // `--diff` reports the findings of the source as it was.
    let original_analysis = settings.diff.then(|| analysis.clone());
    let (outcome, fixed_analysis) = pyvet::apply_fixes_with_analysis(
        &source.text,
        analysis,
        options,
        &FixSelection::All,
        settings.unsafe_fixes,
    );
    let changed = outcome.source != source.text;
    let written_as = source.with_text(String::new());
    let analysis = original_analysis.unwrap_or(fixed_analysis);
    let report = FileReport {
        path,
        source: outcome.source.clone(),
        analysis,
        fixed: if changed { outcome.applied } else { 0 },
        original: settings.diff.then_some(source.text),
    };
    let to_write = (settings.fix && changed).then(|| written_as.with_text(outcome.source));
    (report, to_write)
}

/// `pyvet check -`: the report names the source `name`. With `--fix`, the fixed source goes
/// to standard output and the report to standard error.
pub fn check_stdin(name: &str, mut resolver: Resolver, settings: &CheckSettings) -> Status {
    // Standard input takes the settings of the file it stands for (or of the current folder).
    let options = match resolver.options_for(Path::new(name)) {
        Ok(options) => options,
        Err(error) => return config_error(&error),
    };
    let mut bytes = Vec::new();
    let decoded = std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|error| files::describe_io_error(&error))
        .and_then(|_| files::decode(bytes));
    let (report, fixed) = match decoded {
        Ok(source) => {
            let unchanged = settings.fix.then(|| source.with_text(source.text.clone()));
            let (report, fixed) = check_source(name.to_string(), source, &options, settings);
            let output = fixed.or(unchanged);
            (
                Report {
                    files: vec![report],
                    read_errors: Vec::new(),
                },
                output,
            )
        }
        Err(message) => (
            Report {
                files: Vec::new(),
                read_errors: vec![ReadError {
                    path: name.to_string(),
                    message,
                }],
            },
            None,
        ),
    };
    if settings.fix {
        if let Some(fixed) = fixed {
            match fixed.to_bytes() {
                Ok(bytes) => {
                    let mut stdout = std::io::stdout().lock();
                    let _ = stdout.write_all(&bytes);
                    let _ = stdout.flush();
                }
                Err(problem) => {
                    eprintln!("pyvet: error: {name}: cannot write the fixed source: {problem}");
                    return Status::Error;
                }
            }
        }
        return print_report(report, settings, &mut std::io::stderr().lock());
    }
    print_report(report, settings, &mut std::io::stdout().lock())
}

fn print_report(mut report: Report, settings: &CheckSettings, out: &mut dyn Write) -> Status {
    if let Some(path) = &settings.write_baseline {
        return write_baseline(&report, path);
    }
    if let Some(baseline) = &settings.baseline {
        let known = baseline.remove_known(&mut report);
        if known > 0 && matches!(settings.format, Format::Text) && !settings.diff {
            eprintln!(
                "{} in the baseline not shown.",
                text::count(known, "finding")
            );
        }
    }
    let report = report;
    let status = report.status(settings.diff);
    let shows_read_errors = settings.diff || matches!(settings.format, Format::Text);
    if shows_read_errors {
        for error in &report.read_errors {
            eprintln!("pyvet: error: {}: {}", error.path, error.message);
        }
    }
    let output = if settings.diff {
        text::diff(&report)
    } else if settings.statistics {
        match settings.format {
            Format::Json => statistics::json(&report),
            _ => statistics::text(&report),
        }
    } else {
        match settings.format {
            Format::Text => text::report(&report, settings),
            Format::Json => json::report(&report),
            Format::Sarif => sarif::report(&report),
            Format::Github => github::report(&report),
            Format::Gitlab => gitlab::report(&report),
            Format::Junit => junit::report(&report),
        }
    };
    let status = if settings.exit_zero && status == Status::Findings {
        Status::Clean
    } else {
        status
    };
    if settings.diff {
        let (fixes, files) = report
            .files
            .iter()
            .filter(|file| file.fixed > 0)
            .fold((0, 0), |(fixes, files), file| {
                (fixes + file.fixed, files + 1)
            });
        if fixes > 0 {
            eprintln!(
                "Would fix {} in {}.",
                text::count(fixes, "finding"),
                text::count(files, "file")
            );
        } else {
            eprintln!("No fixes to apply.");
        }
    }
    if let Some(path) = &settings.output {
        if let Err(error) = std::fs::write(path, output) {
            let path = path.display();
            return usage_error(&format!(
                "cannot write {path}: {}",
                files::describe_io_error(&error)
            ));
        }
        return status;
    }
    if out
        .write_all(output.as_bytes())
        .and_then(|()| out.flush())
        .is_err()
    {
        // A closed pipe (`pyvet check | head`): nothing more to say.
        return status.max(Status::Error);
    }
    status
}

/// `--write-baseline`: the findings go to the file, and only read errors fail the run.
fn write_baseline(report: &Report, path: &Path) -> Status {
    for error in &report.read_errors {
        eprintln!("pyvet: error: {}: {}", error.path, error.message);
    }
    match baseline::write(report, path) {
        Ok(count) => {
            eprintln!(
                "Wrote {} to {}.",
                text::count(count, "finding"),
                path.display()
            );
            if report.read_errors.is_empty() {
                Status::Clean
            } else {
                Status::Error
            }
        }
        Err(message) => usage_error(&format!("cannot write {}: {message}", path.display())),
    }
}
