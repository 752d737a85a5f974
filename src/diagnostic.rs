//! What a rule reports: findings, their fixes and the edits those fixes make.

use std::sync::Arc;

use crate::location::LineColumn;
use crate::parse::{TextRange, TextSize};
use crate::registry::RuleMeta;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        [
            Severity::Low,
            Severity::Medium,
            Severity::High,
            Severity::Critical,
        ]
        .into_iter()
        .find(|severity| severity.as_str() == text)
    }
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// How a fix may be applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Keeps behaviour; applied by `--fix`.
    Safe,
    /// The secure rewrite changes behaviour; applied only with `--unsafe-fixes`.
    Unsafe,
    /// Needs a human choice; shown, never applied automatically.
    DisplayOnly,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::DisplayOnly => "display-only",
        }
    }
}

/// Replace the text in `range` with `content` (an insertion when the range is empty).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edit {
    pub range: TextRange,
    pub content: String,
}

impl Edit {
    pub fn replace(range: TextRange, content: impl Into<String>) -> Self {
        Self {
            range,
            content: content.into(),
        }
    }

    pub fn insert(at: TextSize, content: impl Into<String>) -> Self {
        Self::replace(TextRange::empty(at), content)
    }

    pub fn delete(range: TextRange) -> Self {
        Self::replace(range, "")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    /// Sorted by start, never overlapping.
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn new(
        title: impl Into<String>,
        applicability: Applicability,
        mut edits: Vec<Edit>,
    ) -> Self {
        edits.sort_by_key(|edit| (edit.range.start(), edit.range.end()));
        edits.dedup();
        Self {
            title: title.into(),
            applicability,
            edits,
        }
    }

    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(title, Applicability::Safe, edits)
    }

    pub fn unsafe_edits(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(title, Applicability::Unsafe, edits)
    }

    pub fn display_only(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(title, Applicability::DisplayOnly, edits)
    }
}

/// One step on the way from where a value came from to where it is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceStep {
    pub message: String,
    /// Where the step is in the checked file; for a step in another file, the place in the
    /// checked file it leads to (the parameter the data arrives in).
    pub range: TextRange,
    /// Set when the step is in another file of the project (a view that passes request data
    /// to a helper checked here): that file and the step's place in it.
    pub elsewhere: Option<Arc<Elsewhere>>,
}

/// A place in another file of the project, in the positions the command line reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Elsewhere {
    /// The file, as the command line named it.
    pub path: String,
    pub start: LineColumn,
    pub end: LineColumn,
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub message: String,
    pub range: TextRange,
    /// The rule's severity, or lower where this use of the sink does less harm.
    pub severity: Severity,
    /// Overrides the rule's default confidence when the evidence is weaker or stronger.
    pub confidence: Confidence,
    /// The weaknesses (CWE ids) of what this finding found, the most specific first: the
    /// rule's list, or a part of it (a cookie missing only `SameSite` is CWE-1275 alone).
    pub cwe: &'static [u32],
    pub fix: Option<Fix>,
    pub trace: Vec<TraceStep>,
    pub related: Vec<TextRange>,
    /// The statement the finding sits in; a suppression comment on any of its lines applies.
    pub statement: TextRange,
}

impl Finding {
    pub fn rule_id(&self) -> &'static str {
        self.rule.id
    }

    pub fn severity(&self) -> Severity {
        self.severity
    }
}

impl Finding {
    /// A finding of `rule` at `range`, with the rule's default confidence.
    pub fn new(rule: &'static RuleMeta, range: TextRange, message: impl Into<String>) -> Self {
        Self {
            rule,
            message: message.into(),
            range,
            severity: rule.severity,
            confidence: rule.confidence,
            cwe: rule.cwe,
            fix: None,
            trace: Vec::new(),
            related: Vec::new(),
            statement: range,
        }
    }

    pub fn with_fix(mut self, fix: impl Into<Option<Fix>>) -> Self {
        self.fix = fix.into();
        self
    }

    /// A lower severity than the rule's, for a sink that does less harm (a path that is
    /// only tested for existence).
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn with_confidence(mut self, confidence: Confidence) -> Self {
        self.confidence = confidence;
        self
    }

    /// The CWEs of what was found, when they are not all of the rule's (most specific
    /// first).
    pub fn with_cwe(mut self, cwe: &'static [u32]) -> Self {
        self.cwe = cwe;
        self
    }

    pub fn with_trace(mut self, trace: Vec<TraceStep>) -> Self {
        self.trace = trace;
        self
    }

    pub fn with_related(mut self, related: Vec<TextRange>) -> Self {
        self.related = related;
        self
    }
}
