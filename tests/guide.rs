//! The guideline ships inside the engine, so it is checked like code: every section is
//! written, every in-page link lands on a section, and every example at least parses.
//! (Whether each `python bad` example fires and each `python good` one stays clean is
//! checked once the rules that cover them exist.)

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use pyvet::guide::{Section, SECTIONS};

/// Sections that explain practices without Python examples of their own.
const WITHOUT_EXAMPLES: &[&str] = &["dependencies", "owasp-top-10"];

const MIN_WORDS: usize = 200;

/// A fenced code block: its info string (` ```python bad ` → `python bad`), its code,
/// and the 1-based line of its opening fence.
struct CodeBlock<'a> {
    info: &'a str,
    code: String,
    line: usize,
}

/// Splits a Markdown body into its fenced code blocks and the prose around them.
fn split_fences(section: &Section) -> (Vec<CodeBlock<'static>>, String) {
    let mut blocks = Vec::new();
    let mut prose = String::new();
    let mut open: Option<CodeBlock> = None;
    for (index, line) in section.body.lines().enumerate() {
        let fence = line.trim_start().strip_prefix("```");
        match (&mut open, fence) {
            (None, Some(info)) => {
                open = Some(CodeBlock {
                    info: info.trim(),
                    code: String::new(),
                    line: index + 1,
                })
            }
            (None, None) => {
                prose.push_str(line);
                prose.push('\n');
            }
            (Some(_), Some(rest)) if rest.trim().is_empty() => blocks.extend(open.take()),
            (Some(block), _) => {
                block.code.push_str(line);
                block.code.push('\n');
            }
        }
    }
    if let Some(block) = open {
        panic!(
            "{}.md: the code fence opened on line {} is never closed",
            section.id, block.line
        );
    }
    (blocks, prose)
}

fn is_example(block: &CodeBlock) -> bool {
    matches!(block.info, "python bad" | "python good")
}

#[test]
fn every_markdown_file_is_a_registered_section() {
    let guide_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/guide");
    let on_disk: BTreeSet<String> = fs::read_dir(&guide_dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .map(|path| path.file_stem().unwrap().to_str().unwrap().to_string())
        .collect();
    let registered: BTreeSet<String> = SECTIONS.iter().map(|s| s.id.to_string()).collect();
    assert_eq!(
        on_disk, registered,
        "src/guide/*.md and the sections! list in src/guide/mod.rs disagree"
    );
}

#[test]
fn every_section_is_written() {
    for section in SECTIONS {
        let id = section.id;
        let first_line = section.body.lines().next().unwrap_or_default();
        assert!(
            first_line.starts_with("# ") && first_line.len() > 2,
            "{id}.md must start with `# Title`"
        );
        assert_ne!(
            section.title(),
            id,
            "{id}.md: the title is still the bare id"
        );
        let (_, prose) = split_fences(section);
        let extra_titles = prose
            .lines()
            .skip(1)
            .filter(|l| l.starts_with("# "))
            .count();
        assert_eq!(
            extra_titles, 0,
            "{id}.md: only the first line is a `# ` title; use `##` below it"
        );
        assert!(
            !section.body.contains("TODO"),
            "{id}.md is still a stub (contains TODO)"
        );
        let words = section.body.split_whitespace().count();
        assert!(
            words > MIN_WORDS,
            "{id}.md has {words} words; a section needs more than {MIN_WORDS}"
        );
    }
}

#[test]
fn sections_show_a_bad_and_a_good_example() {
    for section in SECTIONS {
        let (blocks, _) = split_fences(section);
        for block in &blocks {
            // Catch `python  bad`, `python Bad`, `py good` and friends: a typo would
            // silently take an example out of the later "bad fires, good is clean" check.
            let looks_like_example = block.info.contains("bad") || block.info.contains("good");
            assert!(
                !looks_like_example || is_example(block),
                "{}.md line {}: write the fence as ```python bad or ```python good, not ```{}",
                section.id,
                block.line,
                block.info
            );
        }
        if WITHOUT_EXAMPLES.contains(&section.id) {
            continue;
        }
        for kind in ["python bad", "python good"] {
            assert!(
                blocks.iter().any(|block| block.info == kind),
                "{}.md has no ```{kind} example",
                section.id
            );
        }
    }
}

#[test]
fn every_example_parses() {
    let mut failures = Vec::new();
    for section in SECTIONS {
        let (blocks, _) = split_fences(section);
        for block in blocks.iter().filter(|block| is_example(block)) {
            let parsed = pyvet::parse::parse_module(&block.code);
            if let Some(error) = parsed.errors.first() {
                failures.push(format!(
                    "{}.md line {} (```{}): {}",
                    section.id, block.line, block.info, error.message
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "examples that do not parse:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_link_points_at_a_section() {
    let ids: BTreeSet<&str> = SECTIONS.iter().map(|section| section.id).collect();
    for section in SECTIONS {
        let (_, prose) = split_fences(section);
        for (at, _) in prose.match_indices("](#") {
            let target = &prose[at + 3..];
            let target = &target[..target.find(')').unwrap_or(target.len())];
            assert!(
                ids.contains(target),
                "{}.md links to `#{target}`, which is not a guideline section",
                section.id
            );
        }
        assert!(
            !prose.contains("](http"),
            "{}.md links to an outside site; cite references as plain text ids",
            section.id
        );
    }
}

/// Each `python bad` example produces a finding and each `python good` example none: the
/// guide teaches exactly what the rules enforce.
#[test]
fn bad_examples_fire_and_good_examples_are_clean() {
    let mut failures = Vec::new();
    for section in SECTIONS {
        let (blocks, _) = split_fences(section);
        for block in blocks.iter().filter(|block| is_example(block)) {
            let analysis = pyvet::analyze(&block.code, &pyvet::Options::default());
            let found: Vec<&str> = analysis.findings.iter().map(|f| f.rule.id).collect();
            let location = format!("{}.md line {} (```{})", section.id, block.line, block.info);
            match block.info {
                "python bad" if found.is_empty() => {
                    failures.push(format!("{location}: no finding"))
                }
                "python good" if !found.is_empty() => {
                    failures.push(format!("{location}: unexpected {}", found.join(", ")))
                }
                _ => {}
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} examples do not match the rules:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
