//! The `pyvet` command line: parses arguments, reads files, and prints what the library
//! returns. It decides nothing about Python; `src/cli/` holds the reading and the printing.

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use cli::baseline::Baseline;
use cli::config::{ConfigSource, Overrides, Resolver};
use cli::{CheckSettings, Status};

// Every file's tree is many small allocations, all freed together. jemalloc keeps the freed
// pages for the next file: one thread over the standard library runs 11% faster than with
// glibc's allocator, and 8% faster than mimalloc, whose default purging clears huge pages
// again and again (timed on the file list bench/compare.py uses).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

const CHECK_SHORT_HELP: &str = "\
Exit status: 0 no findings, 1 findings or syntax errors, 2 usage error or unreadable path.
See `--help` for which folders are skipped and how positions are counted.";

const CHECK_HELP: &str = "\
Paths: files are checked whatever their extension and whatever the exclusions say; folders
are searched for `.py` files, skipping hidden folders, virtualenvs (any folder holding a
`pyvenv.cfg`), what `.gitignore` and `.ignore` files exclude, and the `exclude` list: by
default `.git`, `.venv`, `venv`, `site-packages`, `node_modules`, `build`, `dist`, `_build`,
`__pypackages__`, `__pycache__`, `.tox`, `.nox`, `.eggs`, `.mypy_cache`, `.pytest_cache`,
`.ruff_cache` and the like. `-` reads the source from standard input; it is reported as `-`
unless `--stdin-filename` names it. With `--fix`, the fixed source is printed on standard
output and the report goes to standard error.

Configuration: the nearest `pyvet.toml`, `.pyvet.toml` or `pyproject.toml` with a
`[tool.pyvet]` table above each checked file (or `--config PATH`; `--isolated` reads none).
Keys: `select`, `extend-select`, `ignore` (rule selectors), `exclude`, `extend-exclude`
(globs relative to the configuration file; a glob without `/` matches a name anywhere),
`per-file-ignores` (glob = [selectors]), `min-severity`, `include-tests` (below),
`target-version` (`py37` to `py314`; checked, and nothing depends on it yet). An unknown key or a bad value is an
error naming the file, the key and the line (exit 2). Flags override the file.

Test files (`tests/`, `test/`, `t/`, `test_*.py`, `*_test.py`, `conftest.py`) are checked, but the
rules whose findings do not matter in tests (fake secrets, missing timeouts, `http://` URLs,
`assert`, ...; `pyvet rule ID` says which) stay quiet there. `include-tests = true` or
`--include-tests` reports every rule in them; `include-tests = false` leaves them out of
folder searches.

Positions are 1-based lines and columns counted in Unicode characters; in JSON, `end` is
the position just after the flagged text.

Exit status:
  0  no findings and no syntax errors
  1  findings, or a file that does not parse (the report shows the error; the code after it
     may not have been fully checked). With `--fix`, only what is left after fixing counts.
     With `--diff`, 1 means `--fix` would change something.
  2  usage error, or a path that is missing or cannot be read as UTF-8 (the other files are
     still checked and reported)";

/// A Python security linter that explains and fixes what it flags.
#[derive(Debug, Parser)]
#[command(name = "pyvet", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check Python files and folders for security issues.
    #[command(after_help = CHECK_SHORT_HELP, after_long_help = CHECK_HELP)]
    Check(Box<CheckArgs>),
    /// List every rule.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Explain one rule, by id (`PV301`) or name (`unsafe-yaml-load`).
    Rule {
        /// The rule's id or name.
        rule: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Files and folders to check; `-` reads standard input.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,

    /// Output format: `text`, `json` and `sarif`, or for CI `github` (annotations),
    /// `gitlab` (Code Quality) and `junit` (XML test results).
    #[arg(long, value_enum, default_value_t = cli::Format::Text)]
    format: cli::Format,

    /// Only these rules: comma-separated ids (`PV301`), id prefixes (`PV3`), names
    /// (`unsafe-yaml-load`), groups (`deserialization`) or `ALL`. Replaces the
    /// configuration's `select`, `extend-select` and `ignore`.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    select: Option<Vec<String>>,

    /// Add these rules to the selection (same forms as `--select`).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    extend_select: Vec<String>,

    /// Leave these rules out, besides those the configuration leaves out (same forms as
    /// `--select`).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    ignore: Vec<String>,

    /// Folders and files not to search, as comma-separated globs relative to the current
    /// folder; replaces the configuration's `exclude` and the default list.
    #[arg(long, value_delimiter = ',', value_name = "GLOBS")]
    exclude: Option<Vec<String>>,

    /// More folders and files not to search, besides `exclude`.
    #[arg(long, value_delimiter = ',', value_name = "GLOBS")]
    extend_exclude: Vec<String>,

    /// `GLOB:RULES` (`tests/*:PV301,PV5`): leave these rules out in the matching files.
    /// Repeat it for several globs; replaces the configuration's `per-file-ignores`.
    #[arg(long, value_name = "GLOB:RULES")]
    per_file_ignores: Option<Vec<String>>,

    /// Apply the exclusions to the files named on the command line too (for pre-commit,
    /// which names every staged file).
    #[arg(long)]
    force_exclude: bool,

    /// Read the configuration from this file (`pyvet.toml`, or a `pyproject.toml` with
    /// `[tool.pyvet]`) instead of searching for one.
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    config: Option<PathBuf>,

    /// Ignore every configuration file.
    #[arg(long)]
    isolated: bool,

    /// Report only the findings this baseline file does not record.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    baseline: Option<PathBuf>,

    /// Record every finding in this baseline file (rewriting it) instead of reporting them.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["fix", "diff"])]
    write_baseline: Option<PathBuf>,

    /// Print how many findings each rule has instead of the findings (text or JSON).
    #[arg(long, conflicts_with = "diff")]
    statistics: bool,

    /// Exit 0 even when something is found (2 still means a usage or I/O error).
    #[arg(long)]
    exit_zero: bool,

    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,

    /// Only rules of this severity or above.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    min_severity: Option<SeverityArg>,

    /// Report every rule in test files too (`tests/`, `test_*.py`, `conftest.py`, ...);
    /// by default the rules that do not matter in tests (fake secrets, missing timeouts,
    /// `http://` URLs, `assert`, ...) stay quiet there. Overrides `include-tests`.
    #[arg(long)]
    include_tests: bool,

    /// Apply safe fixes and write the files, then report what is left. Files with syntax
    /// errors are left as they are.
    #[arg(long, conflicts_with = "diff")]
    fix: bool,

    /// Also apply fixes that change behaviour (with `--fix` or `--diff`); without them,
    /// count those fixes as available.
    #[arg(long)]
    unsafe_fixes: bool,

    /// Print a unified diff of what `--fix` would change; write nothing.
    #[arg(long)]
    diff: bool,

    /// Worker threads for checking files (0: one per core).
    #[arg(long, default_value_t = 0, value_name = "N")]
    threads: usize,

    /// The name to report for standard input (`-`).
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<String>,

    /// When to colour text output (`auto`: on a terminal, unless `NO_COLOR` is set).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SeverityArg {
    Low,
    Medium,
    High,
    Critical,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let status = match cli.command {
        Command::Check(args) => check(*args),
        Command::Rules { format } => cli::rules::list(matches!(format, ListFormat::Json)),
        Command::Rule { rule, format } => {
            cli::rules::explain(&rule, matches!(format, ListFormat::Json))
        }
    };
    ExitCode::from(status as u8)
}

fn check(args: CheckArgs) -> Status {
    let per_file_ignores = match args.per_file_ignores.as_deref().map(parse_per_file_ignores) {
        Some(Err(message)) => return cli::usage_error(&message),
        Some(Ok(list)) => Some(list),
        None => None,
    };
    let flag_selectors = args
        .select
        .iter()
        .flatten()
        .chain(&args.extend_select)
        .chain(&args.ignore)
        .chain(
            per_file_ignores
                .iter()
                .flatten()
                .flat_map(|(_, rules)| rules),
        );
    for selector in flag_selectors {
        if !pyvet::is_known_selector(selector) {
            return cli::usage_error(&format!(
                "unknown rule selector `{selector}` (see `pyvet rules`)"
            ));
        }
    }
    let reads_stdin = args.paths.iter().any(|path| path.as_os_str() == "-");
    if reads_stdin && args.paths.len() > 1 {
        return cli::usage_error("`-` (standard input) cannot be combined with other paths");
    }
    if args.diff && !matches!(args.format, cli::Format::Text) {
        return cli::usage_error("`--diff` prints a diff; it cannot be combined with `--format`");
    }
    if args.statistics && !matches!(args.format, cli::Format::Text | cli::Format::Json) {
        return cli::usage_error("`--statistics` prints text or JSON (`--format json`)");
    }
    let baseline = match &args.baseline {
        Some(path) => match Baseline::read(path) {
            Ok(baseline) => Some(baseline),
            Err(message) => {
                let path = path.display();
                return cli::usage_error(&format!("cannot read the baseline {path}: {message}"));
            }
        },
        None => None,
    };
    let min_severity = args.min_severity.map(|severity| match severity {
        SeverityArg::Low => pyvet::Severity::Low,
        SeverityArg::Medium => pyvet::Severity::Medium,
        SeverityArg::High => pyvet::Severity::High,
        SeverityArg::Critical => pyvet::Severity::Critical,
    });
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        // With `-` and `--fix`, the report goes to standard error.
        // A report written to a file has no colours.
        ColorChoice::Auto => args.output.is_none() && cli::wants_color(reads_stdin && args.fix),
    };
    let overrides = Overrides {
        select: args.select,
        extend_select: args.extend_select,
        ignore: args.ignore,
        exclude: args.exclude,
        extend_exclude: args.extend_exclude,
        per_file_ignores,
        min_severity,
        include_tests: args.include_tests,
    };
    let source = match (args.config, args.isolated) {
        (Some(path), _) => ConfigSource::File(path),
        (None, true) => ConfigSource::Isolated,
        (None, false) => ConfigSource::Discover,
    };
    let resolver = match Resolver::new(source, overrides) {
        Ok(resolver) => resolver,
        Err(error) => return cli::config_error(&error),
    };
    let settings = CheckSettings {
        format: args.format,
        fix: args.fix,
        unsafe_fixes: args.unsafe_fixes,
        diff: args.diff,
        threads: args.threads,
        color,
        baseline,
        write_baseline: args.write_baseline,
        force_exclude: args.force_exclude,
        statistics: args.statistics,
        exit_zero: args.exit_zero,
        output: args.output,
    };
    if reads_stdin {
        let name = args.stdin_filename.unwrap_or_else(|| "-".to_string());
        cli::check_stdin(&name, resolver, &settings)
    } else {
        cli::check_paths(&args.paths, resolver, &settings)
    }
}

/// `--per-file-ignores GLOB:RULES` values as (glob, selectors).
fn parse_per_file_ignores(values: &[String]) -> Result<Vec<(String, Vec<String>)>, String> {
    values
        .iter()
        .map(|value| {
            let Some((glob, rules)) = value.rsplit_once(':') else {
                return Err(format!(
                    "`--per-file-ignores {value}`: expected `GLOB:RULES`, like `tests/*:PV301`"
                ));
            };
            let rules = rules
                .split(',')
                .map(|rule| rule.trim().to_string())
                .collect();
            Ok((glob.to_string(), rules))
        })
        .collect()
}
