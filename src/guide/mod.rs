//! The guideline: one Markdown file per section, in this project's words, compiled in.
//!
//! Each rule names its section (`guideline: "sql-injection"`); each section lists the
//! rules that point at it, so a finding can be shown next to the text that explains it.

use crate::registry::RuleMeta;

pub struct Section {
    pub id: &'static str,
    /// The Markdown body; its first line is `# Title`.
    pub body: &'static str,
}

impl Section {
    pub fn title(&self) -> &'static str {
        self.body
            .lines()
            .next()
            .and_then(|line| line.strip_prefix("# "))
            .unwrap_or(self.id)
    }

    /// The rules whose findings this section explains, by id.
    pub fn rules(&self) -> Vec<&'static RuleMeta> {
        crate::rules::all_rules()
            .iter()
            .map(|rule| rule.meta)
            .filter(|meta| meta.guideline == self.id)
            .collect()
    }
}

macro_rules! sections {
    ($($id:literal),* $(,)?) => {
        pub static SECTIONS: &[Section] = &[
            $(Section { id: $id, body: include_str!(concat!($id, ".md")) },)*
        ];
    };
}

sections![
    "secrets-management",
    "input-validation",
    "sql-injection",
    "command-injection",
    "ldap-xpath-injection",
    "deserialization",
    "dependencies",
    "authentication",
    "transport-security",
    "security-headers",
    "xss",
    "csrf",
    "cors",
    "jwt",
    "logging",
    "error-handling",
    "ssrf",
    "path-traversal",
    "cryptography",
    "configuration",
    "owasp-top-10",
];

pub fn section(id: &str) -> Option<&'static Section> {
    SECTIONS.iter().find(|section| section.id == id)
}
