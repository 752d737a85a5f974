use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{Confidence, Finding, Severity};
use crate::parse::ast;
use crate::parse::Ranged;
use crate::registry::{FixAvailability, InTests, Owasp, Source};
use crate::rules::{Check, Rule};
use crate::semantic::{argument, keyword};

declare_rule! {
    /// ## What it does
    /// Flags models and data sets downloaded from the Hugging Face Hub without a
    /// `revision` pinned to a commit hash.
    ///
    /// Covered: `from_pretrained(...)` of Transformers, Diffusers, PEFT and Sentence
    /// Transformers classes, `transformers.pipeline(model=...)`,
    /// `huggingface_hub.hf_hub_download`, `snapshot_download` and `datasets.load_dataset`.
    ///
    /// A `revision` of 7 to 64 hexadecimal digits is a commit and is left alone; a branch
    /// or tag name (`"main"`, `"v1.0"`) is reported, since its owner can move it. So is a
    /// missing `revision`, which means `"main"`. A revision held in a variable, a local
    /// path (`"./model"`, `"/models/bert"`), `local_files_only=True` and the data set
    /// builders that read your own files (`load_dataset("csv", ...)`) are left alone. A
    /// repository named by a constant is reported with high confidence, one held in a
    /// variable (which may be a local folder) with medium.
    ///
    /// ## Why is this bad?
    /// A repository on the Hub changes whenever its owner, or whoever takes over the
    /// account, pushes to it. Without a pinned commit every new deployment may load
    /// different weights, tokenizer files or data than the ones you tested, and model files
    /// can run code when loaded (pickled weights, `trust_remote_code`). A commit hash names
    /// exactly one snapshot of the repository.
    ///
    /// ## Example
    /// ```python
    /// from transformers import AutoModel
    ///
    /// model = AutoModel.from_pretrained("bert-base-uncased")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from transformers import AutoModel
    ///
    /// model = AutoModel.from_pretrained(
    ///     "bert-base-uncased", revision="86b5e0934494bd15c9632b12f734a8a67f723594"
    /// )
    /// ```
    ///
    /// ## References
    /// CWE-494, CWE-829 · OWASP A08
    pub UNPINNED_MODEL_DOWNLOAD = RuleMeta {
        id: "PV308",
        name: "unpinned-model-download",
        severity: Severity::Medium,
        confidence: Confidence::High,
        cwe: &[494, 829],
        owasp: Owasp::A08,
        guideline: "dependencies",
        sources: &[Source::Bandit("B615")],
        fix: FixAvailability::None,
        in_tests: InTests::Report,
    }
}

pub static RULE: Rule = Rule {
    meta: &UNPINNED_MODEL_DOWNLOAD,
    checks: &[Check::Call(check_call)],
    needs: LIBRARIES,
};

/// Libraries whose classes load from the Hub with `from_pretrained`.
#[rustfmt::skip]
const LIBRARIES: &[&str] = &[
    "transformers", "diffusers", "peft", "sentence_transformers", "huggingface_hub", "datasets",
];

fn check_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) {
    let Some(function) = checker.semantic().resolve_value_origin(&call.func) else {
        return;
    };
    let Some((position, parameter)) = repository_parameter(function.segments()) else {
        return;
    };
    let Some(repository) = argument(call, position, parameter) else {
        return;
    };
    if call.arguments.keywords.iter().any(|k| k.arg.is_none())
        || keyword(call, "local_files_only").is_some_and(|k| checker.semantic().is_true(&k.value))
    {
        return;
    }
    let semantic = checker.semantic();
    let named = semantic.constant_string(repository);
    if named.as_deref().is_some_and(|named| {
        is_local_path(named) || (parameter == "path" && PACKAGED_BUILDERS.contains(&named))
    }) {
        return;
    }
    let name = checker.text(&*call.func);
    let message = match keyword(call, "revision") {
        None => format!(
            "`{name}` downloads from the Hugging Face Hub without a `revision`, so each run may get whatever was last pushed"
        ),
        Some(revision) => match semantic.constant_string(&revision.value) {
            Some(revision) if !is_commit(&revision) => format!(
                "`{name}` pins `revision` to `{revision}`, a branch or tag its owner can move, not a commit hash"
            ),
            _ => return,
        },
    };
    let confidence = if named.is_some() {
        Confidence::High
    } else {
        Confidence::Medium
    };
    checker.report(
        Finding::new(&UNPINNED_MODEL_DOWNLOAD, call.range(), message).with_confidence(confidence),
    );
}

/// `datasets.load_dataset("csv", data_files=...)`: builders that ship with the library and
/// read local files.
#[rustfmt::skip]
const PACKAGED_BUILDERS: &[&str] = &[
    "csv", "json", "parquet", "text", "arrow", "pandas", "sql", "imagefolder", "audiofolder",
    "videofolder", "webdataset", "generator",
];

/// Where the call takes the repository: position and keyword.
fn repository_parameter(segments: &[&str]) -> Option<(usize, &'static str)> {
    match segments {
        ["huggingface_hub", "hf_hub_download" | "snapshot_download"] => Some((0, "repo_id")),
        ["huggingface_hub", "HfApi", "()", "hf_hub_download" | "snapshot_download"] => {
            Some((0, "repo_id"))
        }
        ["datasets", "load_dataset"] => Some((0, "path")),
        ["transformers", "pipeline"] => Some((1, "model")),
        ["sentence_transformers", "SentenceTransformer"] => Some((0, "model_name_or_path")),
        [library, .., "from_pretrained"]
            if matches!(*library, "transformers" | "diffusers" | "peft") =>
        {
            Some((0, "pretrained_model_name_or_path"))
        }
        _ => None,
    }
}

/// A folder or file on this machine rather than a repository id.
fn is_local_path(name: &str) -> bool {
    name.starts_with(['.', '/', '~'])
        || name.contains('\\')
        || name.split('/').count() > 2
        || name.ends_with(".json")
}

/// A commit hash, full or abbreviated.
fn is_commit(revision: &str) -> bool {
    (7..=64).contains(&revision.len()) && revision.chars().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commit_is_hexadecimal_and_branch_names_are_not() {
        assert!(is_commit("86b5e0934494bd15c9632b12f734a8a67f723594"));
        assert!(is_commit("86b5e09"));
        assert!(!is_commit("main"));
        assert!(!is_commit("v1.0"));
        assert!(!is_commit("cafe"));
    }

    #[test]
    fn local_folders_are_not_repositories() {
        assert!(is_local_path("./model"));
        assert!(is_local_path("/models/bert"));
        assert!(is_local_path("C:\\models\\bert"));
        assert!(!is_local_path("bert-base-uncased"));
        assert!(!is_local_path("google/flan-t5-small"));
    }
}
