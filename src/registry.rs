//! Rule metadata, `declare_rule!`, and the table of every rule.

use crate::diagnostic::{Confidence, Severity};

/// OWASP Top 10 (2021) categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owasp {
    A01,
    A02,
    A03,
    A04,
    A05,
    A06,
    A07,
    A08,
    A09,
    A10,
}

impl Owasp {
    pub fn code(self) -> &'static str {
        match self {
            Owasp::A01 => "A01",
            Owasp::A02 => "A02",
            Owasp::A03 => "A03",
            Owasp::A04 => "A04",
            Owasp::A05 => "A05",
            Owasp::A06 => "A06",
            Owasp::A07 => "A07",
            Owasp::A08 => "A08",
            Owasp::A09 => "A09",
            Owasp::A10 => "A10",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Owasp::A01 => "Broken Access Control",
            Owasp::A02 => "Cryptographic Failures",
            Owasp::A03 => "Injection",
            Owasp::A04 => "Insecure Design",
            Owasp::A05 => "Security Misconfiguration",
            Owasp::A06 => "Vulnerable and Outdated Components",
            Owasp::A07 => "Identification and Authentication Failures",
            Owasp::A08 => "Software and Data Integrity Failures",
            Owasp::A09 => "Security Logging and Monitoring Failures",
            Owasp::A10 => "Server-Side Request Forgery",
        }
    }
}

/// The same check in another tool, for people migrating (and for `# nosec` / `# noqa`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Bandit(&'static str),
    Ruff(&'static str),
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Source::Bandit(code) | Source::Ruff(code) => code,
        }
    }

    pub fn tool(self) -> &'static str {
        match self {
            Source::Bandit(_) => "bandit",
            Source::Ruff(_) => "ruff",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

impl FixAvailability {
    pub fn as_str(self) -> &'static str {
        match self {
            FixAvailability::None => "none",
            FixAvailability::Sometimes => "sometimes",
            FixAvailability::Always => "always",
        }
    }
}

/// Whether a rule reports in test code (`tests/`, `test_*.py`, `conftest.py`, ...).
///
/// Test code is analysed like any other, but some findings say nothing there: a test
/// suite fakes its secrets, talks plain HTTP to its own server and hashes fixtures with
/// MD5. Those rules are `Skip` and stay quiet in test files unless the user asks for
/// everything (`--include-tests`); a rule whose finding is as real in a test as anywhere
/// (injection, deserialization, `eval`, a credential in a vendor's format) is `Report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InTests {
    Report,
    Skip,
}

impl InTests {
    pub fn as_str(self) -> &'static str {
        match self {
            InTests::Report => "report",
            InTests::Skip => "skip",
        }
    }
}

/// Everything known about a rule except how it checks.
#[derive(Debug)]
pub struct RuleMeta {
    pub id: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub confidence: Confidence,
    pub cwe: &'static [u32],
    pub owasp: Owasp,
    pub guideline: &'static str,
    pub sources: &'static [Source],
    pub fix: FixAvailability,
    /// Whether the rule reports in test files by default.
    pub in_tests: InTests,
    /// The doc comment as written (each line keeps the space after `///`); read it with [`RuleMeta::docs`].
    pub raw_docs: &'static str,
    /// `module_path!()` of the rule file; the group is the folder under `rules/`.
    pub module: &'static str,
}

impl RuleMeta {
    /// The rule's group: the folder its file lives in (`secrets`, `injection`, ...).
    pub fn group(&self) -> &'static str {
        let path = self.module.strip_prefix("pyvet::rules::").unwrap_or("");
        path.split_once("::").map_or(path, |(group, _)| group)
    }

    /// The docs as Markdown.
    pub fn docs(&self) -> String {
        let mut docs = String::with_capacity(self.raw_docs.len());
        for line in self.raw_docs.lines() {
            docs.push_str(line.strip_prefix(' ').unwrap_or(line));
            docs.push('\n');
        }
        docs
    }

    /// A section of the docs by its `## ` heading, without the heading.
    pub fn doc_section(&self, heading: &str) -> Option<String> {
        doc_section(&self.docs(), heading).map(str::to_string)
    }

    /// The first sentence of *What it does*, for tables.
    pub fn summary(&self) -> String {
        let section = self.doc_section("What it does").unwrap_or_default();
        let text = section.trim();
        let paragraph = text.split("\n\n").next().unwrap_or("");
        paragraph.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The code block of a docs section (`Example`, `Use instead`).
    pub fn doc_code(&self, heading: &str) -> Option<String> {
        let section = self.doc_section(heading)?;
        let start = section.find("```")?;
        let after_fence = &section[start + 3..];
        let body_start = after_fence.find('\n')? + 1;
        let body = &after_fence[body_start..];
        let end = body.find("```")?;
        Some(body[..end].to_string())
    }
}

pub fn doc_section<'a>(docs: &'a str, heading: &str) -> Option<&'a str> {
    let marker = format!("## {heading}\n");
    let start = docs.find(&marker)? + marker.len();
    let rest = &docs[start..];
    let end = rest.find("\n## ").map_or(rest.len(), |end| end + 1);
    Some(&rest[..end])
}

/// Declares a rule's metadata; the doc comment becomes its docs.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub WEAK_HASH = RuleMeta { id: "PV401", name: "weak-hash", ... }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis $static_name:ident = RuleMeta { $($field:ident : $value:expr),* $(,)? }
    ) => {
        $(#[doc = $doc])*
        $vis static $static_name: $crate::registry::RuleMeta = $crate::registry::RuleMeta {
            $($field: $value,)*
            raw_docs: concat!($($doc, "\n"),*),
            module: module_path!(),
        };
    };
}

/// The README's rule table, generated from the registry.
pub fn readme_table() -> String {
    let mut table = String::from(
        "| Id | Name | Severity | What it finds | Fix | In tests | Bandit / Ruff |\n|---|---|---|---|---|---|---|\n",
    );
    for rule in crate::rules::all_rules() {
        let meta = rule.meta;
        let sources: Vec<&str> = meta.sources.iter().map(|source| source.code()).collect();
        table.push_str(&format!(
            "| {} | `{}` | {} | {} | {} | {} | {} |\n",
            meta.id,
            meta.name,
            meta.severity.as_str(),
            meta.summary().replace('|', "\\|"),
            meta.fix.as_str(),
            meta.in_tests.as_str(),
            if sources.is_empty() {
                "—".to_string()
            } else {
                sources.join(", ")
            },
        ));
    }
    table
}
