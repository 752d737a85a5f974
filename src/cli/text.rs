//! The human-readable report: one block per finding, a code frame under it, a summary.

use std::fmt::Write as _;

use annotate_snippets::renderer::{AnsiColor, Effects, Style};
use annotate_snippets::{Level, Renderer, Snippet};
use pyvet::location::LineIndex;
use pyvet::parse::{TextRange, TextSize};
use pyvet::{Applicability, Finding, Severity, SyntaxError};

use super::{CheckSettings, FileReport, Report};

/// The styles of the report; all plain without colour.
struct Palette {
    path: Style,
    rule: Style,
    error: Style,
    note: Style,
    color: bool,
}

impl Palette {
    fn new(color: bool) -> Self {
        if !color {
            return Self {
                path: Style::new(),
                rule: Style::new(),
                error: Style::new(),
                note: Style::new(),
                color,
            };
        }
        Self {
            path: Style::new().effects(Effects::BOLD),
            rule: AnsiColor::BrightRed.on_default().effects(Effects::BOLD),
            error: AnsiColor::BrightRed.on_default().effects(Effects::BOLD),
            note: AnsiColor::BrightCyan.on_default().effects(Effects::BOLD),
            color,
        }
    }

    fn severity(&self, severity: Severity) -> Style {
        if !self.color {
            return Style::new();
        }
        match severity {
            Severity::Critical | Severity::High => AnsiColor::Red.on_default(),
            Severity::Medium => AnsiColor::Yellow.on_default(),
            Severity::Low => AnsiColor::Blue.on_default(),
        }
    }

    fn renderer(&self) -> Renderer {
        if self.color {
            Renderer::styled()
        } else {
            Renderer::plain()
        }
    }
}

/// What a file reports, in source order.
enum Entry<'a> {
    Finding(&'a Finding),
    SyntaxError(&'a SyntaxError),
}

impl Entry<'_> {
    fn range(&self) -> TextRange {
        match self {
            Entry::Finding(finding) => finding.range,
            Entry::SyntaxError(error) => error.range,
        }
    }
}

pub fn report(report: &Report, settings: &CheckSettings) -> String {
    let palette = Palette::new(settings.color);
    let mut out = String::new();
    for file in &report.files {
        write_file(&mut out, file, &palette);
    }
    let fixed: usize = report.files.iter().map(|file| file.fixed).sum();
    if fixed > 0 {
        let files = report.files.iter().filter(|file| file.fixed > 0).count();
        let _ = writeln!(
            out,
            "Fixed {} in {}.",
            count(fixed, "finding"),
            count(files, "file")
        );
    }
    out.push_str(&summary(report, settings.unsafe_fixes));
    out
}

fn write_file(out: &mut String, file: &FileReport, palette: &Palette) {
    let mut entries: Vec<Entry> = file
        .analysis
        .findings
        .iter()
        .map(Entry::Finding)
        .chain(file.analysis.syntax_errors.iter().map(Entry::SyntaxError))
        .collect();
    if entries.is_empty() {
        return;
    }
    entries.sort_by_key(|entry| (entry.range().start(), entry.range().end()));
    let lines = LineIndex::new(&file.source);
    for entry in entries {
        let start = lines.char_position(entry.range().start());
        let _ = write!(
            out,
            "{}{}{:#}:{}:{}: ",
            palette.path, file.path, palette.path, start.line, start.column
        );
        match entry {
            Entry::Finding(finding) => {
                let severity = palette.severity(finding.severity());
                let _ = writeln!(
                    out,
                    "{}{}{:#} {severity}[{}]{severity:#} {}",
                    palette.rule,
                    finding.rule.id,
                    palette.rule,
                    finding.severity().as_str(),
                    finding.message
                );
                let gutter = code_frame(out, &file.source, &lines, finding.range, palette);
                if let Some(fix) = &finding.fix {
                    let _ = writeln!(
                        out,
                        "{gutter}= {}fix ({}){:#}: {}",
                        palette.note,
                        fix.applicability.as_str(),
                        palette.note,
                        fix.title
                    );
                }
                for step in &finding.trace {
                    // A step in another file names it: `via app/views.py:12:5: ...`.
                    let (file, at) = match &step.elsewhere {
                        Some(place) => (format!("{}:", place.path), place.start),
                        None => (String::new(), lines.char_position(step.range.start())),
                    };
                    let _ = writeln!(
                        out,
                        "{gutter}= {}via{:#} {file}{}:{}: {}",
                        palette.note, palette.note, at.line, at.column, step.message
                    );
                }
            }
            Entry::SyntaxError(error) => {
                let _ = writeln!(
                    out,
                    "{}syntax error{:#}: {}",
                    palette.error, palette.error, error.message
                );
                code_frame(out, &file.source, &lines, error.range, palette);
            }
        }
        out.push('\n');
    }
}

/// Writes the lines holding `range`, numbered, with the range marked (long spans are
/// folded). Returns the blank gutter that lines up with the frame's `|`.
fn code_frame(
    out: &mut String,
    source: &str,
    lines: &LineIndex,
    range: TextRange,
    palette: &Palette,
) -> String {
    let first = lines.line_of(range.start());
    let last = if range.is_empty() {
        first
    } else {
        lines.line_of(range.end() - TextSize::from(1))
    };
    let start = lines.line_range(first).start().to_usize();
    let end = lines.line_range(last).end().to_usize().max(start);
    let text = &source[start..end];
    let gutter = " ".repeat((last + 1).to_string().len() + 1);
    if text.trim().is_empty() {
        // Nothing to show (an error at the end of the file): the header says where.
        return gutter;
    }
    // Tabs are shown as four spaces, done here: the renderer misplaces markers after a tab.
    let expanded = text.replace('\t', "    ");
    let offset = |at: TextSize| {
        let at = at.to_usize().clamp(start, end) - start;
        at + 3 * text[..at].matches('\t').count()
    };
    let message = Level::Error.title("").snippet(
        Snippet::source(&expanded)
            .line_start(first + 1)
            .fold(true)
            .annotation(Level::Error.span(offset(range.start())..offset(range.end()))),
    );
    let rendered = palette.renderer().render(message).to_string();
    // The renderer always starts with a title line; ours is printed above it.
    let frame = rendered.split_once('\n').map_or("", |(_, frame)| frame);
    out.push_str(frame);
    out.push('\n');
    gutter
}

/// `No findings.` or `Found 3 findings in 2 files (1 fixable with --fix, 2 more with --unsafe-fixes).`,
/// then a line about syntax errors, if any.
fn summary(report: &Report, unsafe_fixes: bool) -> String {
    let findings: Vec<&Finding> = report
        .files
        .iter()
        .flat_map(|file| &file.analysis.findings)
        .collect();
    let mut out = String::new();
    if findings.is_empty() {
        out.push_str("No findings.");
    } else {
        let files = report
            .files
            .iter()
            .filter(|file| !file.analysis.findings.is_empty())
            .count();
        let with = |applicability| {
            findings
                .iter()
                .filter(|finding| {
                    finding
                        .fix
                        .as_ref()
                        .is_some_and(|fix| fix.applicability == applicability)
                })
                .count()
        };
        let (safe, unsafe_) = (with(Applicability::Safe), with(Applicability::Unsafe));
        let _ = write!(
            out,
            "Found {} in {}",
            count(findings.len(), "finding"),
            count(files, "file")
        );
        let hint = match (unsafe_fixes, safe, unsafe_) {
            (_, 0, 0) => String::new(),
            (true, safe, unsafe_) => format!(" ({} fixable with --fix)", safe + unsafe_),
            (false, 0, unsafe_) => format!(" ({unsafe_} fixable with --fix --unsafe-fixes)"),
            (false, safe, 0) => format!(" ({safe} fixable with --fix)"),
            (false, safe, unsafe_) => {
                format!(" ({safe} fixable with --fix, {unsafe_} more with --unsafe-fixes)")
            }
        };
        let _ = write!(out, "{hint}.");
    }
    out.push('\n');
    let syntax_errors: usize = report
        .files
        .iter()
        .map(|file| file.analysis.syntax_errors.len())
        .sum();
    if syntax_errors > 0 {
        let files = report
            .files
            .iter()
            .filter(|file| !file.analysis.syntax_errors.is_empty())
            .count();
        let _ = writeln!(
            out,
            "{} in {} (code next to an error may not have been checked).",
            count(syntax_errors, "syntax error"),
            count(files, "file")
        );
    }
    if !report.read_errors.is_empty() {
        let _ = writeln!(
            out,
            "{} could not be read.",
            count(report.read_errors.len(), "path")
        );
    }
    out
}

/// `1 finding`, `2 findings`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `--diff`: a unified diff of every file `--fix` would change.
pub fn diff(report: &Report) -> String {
    let mut out = String::new();
    for file in report.files.iter().filter(|file| file.fixed > 0) {
        let Some(original) = &file.original else {
            continue;
        };
        let diff = similar::TextDiff::from_lines(original.as_str(), file.source.as_str());
        let _ = write!(
            out,
            "{}",
            diff.unified_diff()
                .context_radius(3)
                .header(&file.path, &file.path)
        );
    }
    out
}
