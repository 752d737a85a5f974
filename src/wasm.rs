//! The browser boundary: turns what the core returns into the JavaScript shapes typed in
//! `TYPES` below. It only converts; every decision about Python is the core's.
//!
//! Positions leave here in UTF-16 code units (what JavaScript strings and CodeMirror count),
//! so `source.slice(finding.start, finding.end)` is the flagged text. Each export installs
//! the panic hook first (once), so a bug shows its message in the console, not only a trap.
//!
//! `analyze`, called on every edit, hands its result over as numbers and one string that a
//! few lines of JavaScript build into objects (`wasm/analysis.rs`); the other exports, called
//! once or on a click, go through JSON (`to_js`).
//!
//! A trap (a panic is one: the build aborts on panic) cannot be caught here. Each export
//! marks itself in progress (`wasm/call.rs`), so the package's entry point
//! (`wasm/pyvet.js`) can tell a trap from a returned error, turn it into an ordinary
//! `Error` and replace the instance with a fresh one.

mod analysis;
mod call;
mod test_trap;

use js_sys::{Array, JsString, Uint8Array, JSON};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::diagnostic::{Confidence, Severity};
use crate::location::Utf16Index;
use crate::{FixSelection, Options};

/// Each export allocates in a bump arena that is rewound when it returns (see `arena.rs`).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: crate::arena::Arena<std::alloc::System> =
    crate::arena::Arena::new(std::alloc::System);

/// Starts an export call: marks it in progress until the returned guard drops (keep it
/// the first binding, so it drops last), installs the panic hook, and fills the caches that
/// outlive calls outside any arena scope.
fn start_call() -> call::InProgress {
    let call = call::InProgress::begin();
    console_error_panic_hook::set_once();
    crate::fill_caches();
    call
}

/// Allocations until the returned guard drops are carved from the arena and given back at
/// once. Options are converted before it opens: serde-wasm-bindgen keeps a cache of key names.
#[cfg(target_arch = "wasm32")]
fn arena_scope() -> crate::arena::Scope<'static, std::alloc::System> {
    ALLOCATOR.scope()
}

#[cfg(not(target_arch = "wasm32"))]
fn arena_scope() {}

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
export type Severity = "low" | "medium" | "high" | "critical";
export type Confidence = "low" | "medium" | "high";
export type Applicability = "safe" | "unsafe" | "display-only";

/** Where a range is, counted the way JavaScript strings count: in UTF-16 code units. */
export interface Span {
  /** 1-based line of the first character. */
  line: number;
  /** 1-based column of the first character, in UTF-16 code units. */
  column: number;
  /** 1-based line of the end, the position just past the last character. */
  endLine: number;
  /** 1-based column of the end, in UTF-16 code units. */
  endColumn: number;
  /** 0-based UTF-16 offset: `source.slice(start, end)` is the text of the range. */
  start: number;
  /** 0-based UTF-16 offset, exclusive. */
  end: number;
}

/** Replace the text of the span with `content` (an insertion when the span is empty). */
export interface Edit extends Span {
  content: string;
}

export interface Fix {
  title: string;
  /** `safe` keeps behaviour; `unsafe` changes it; `display-only` needs a human choice. */
  applicability: Applicability;
  /** Sorted by position, never overlapping. */
  edits: Edit[];
}

/** One step on the way from where a value came from to where it is used. */
export interface TraceStep extends Span {
  message: string;
}

export interface Finding extends Span {
  /** `PV` and three digits, e.g. `PV301`. */
  ruleId: string;
  /** Kebab-case rule name, e.g. `unsafe-yaml-load`. */
  name: string;
  message: string;
  severity: Severity;
  confidence: Confidence;
  /** CWE ids, e.g. `[502]`. */
  cwe: number[];
  /** OWASP Top 10 (2021) category, e.g. `A08`. */
  owasp: string;
  /** The id of the guide section that explains this finding. */
  guideline: string;
  fix: Fix | null;
  /** Empty when the finding does not depend on data flow. */
  trace: TraceStep[];
}

/** A syntax error is data: the rest of the source is still analysed. */
export interface SyntaxError extends Span {
  message: string;
}

export interface Analysis {
  /** Sorted by position. */
  findings: Finding[];
  syntaxErrors: SyntaxError[];
}

/** Invalid options (an unknown selector or severity) make the call throw an `Error`. */
export interface AnalyzeOptions {
  /** Rule ids (`PV301`), id prefixes (`PV3`), names or groups; empty or missing means all. */
  select?: string[];
  /** Taken out of the selection; same forms as `select`. */
  ignore?: string[];
  /** Findings of rules below this severity are left out. */
  minSeverity?: Severity;
}

export interface FixOptions extends AnalyzeOptions {
  /** Also apply fixes that change behaviour. Default `false`: safe fixes only. */
  unsafe?: boolean;
}

/**
 * Which fixes to apply: indexes into `analyze(source, options).findings`, or rule ids,
 * names or groups, or `null` for every fixable finding. Anything else throws.
 */
export type FixSelection = number[] | string[] | null;

export interface FixResult {
  /** The source with the fixes applied. */
  source: string;
  /** How many fixes were applied. */
  applied: number;
}

/** The same check in another tool, for people migrating. */
export interface RuleSource {
  tool: "bandit" | "ruff";
  code: string;
}

export interface RuleMeta {
  id: string;
  name: string;
  /** The rule's group (`secrets`, `injection`, ...): usable in `select` / `ignore`. */
  group: string;
  severity: Severity;
  confidence: Confidence;
  cwe: number[];
  owasp: string;
  guideline: string;
  sources: RuleSource[];
  /** Whether the rule offers a fix. */
  fix: "none" | "sometimes" | "always";
  /** In test files the rule reports by default (`"report"`) or only when asked for everything (`"skip"`). */
  inTests: "report" | "skip";
  /** Markdown: What it does, Why is this bad?, Example, Use instead, Fix safety, References. */
  docs: string;
}

/** One piece of what must remain of a lesson's program (see `lessons/README.md`). */
export interface Requirement {
  /** What must remain, in words. */
  says: string;
  /** A call of one of these (`"yaml.safe_load"`, `"sqlite3.connect().cursor().execute"`, `"*.execute"`). */
  call?: string[];
  /** With `call`: patterns that arguments of the call must match. */
  args?: { at?: number | string; uses?: string; contains?: string }[];
  /** A framework setting written, e.g. `"SECRET_KEY"`. */
  setting?: string;
  /** A function or class of this name. */
  defines?: string;
  /** An expression naming this, through imports (`"flask.request.form"`, `"user.is_admin"`). */
  uses?: string;
  /** Only counts inside the function of this name. */
  inside?: string;
}

/** What grading needs from a lesson; other properties of the lesson are ignored. */
export interface LessonCheck {
  /** Rule ids, names or groups the lesson is about. */
  targets: string[];
  requirements: Requirement[];
}

/** The verdict on one attempt: `findings` are those of the target rules only. */
export interface LessonGrade extends Analysis {
  /** The target rules are silent, the code parses, and every requirement holds. */
  passed: boolean;
  requirements: { says: string; holds: boolean }[];
}

export interface GuideSection {
  id: string;
  title: string;
  /** Markdown; its first line is `# Title`. */
  body: string;
  /** Ids of the rules that enforce this section. */
  rules: string[];
}
"#;

#[wasm_bindgen]
extern "C" {
    /// The platform's UTF-8 encoder: one native call copies the source, where wasm-bindgen's
    /// own glue copies a `string` parameter one character at a time.
    type TextEncoder;
    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;
    #[wasm_bindgen(method)]
    fn encode(this: &TextEncoder, text: &JsString) -> Uint8Array;
}

/// A JavaScript string as UTF-8 (lone surrogates become U+FFFD, as in any UTF-8 encoder).
fn source_text(source: &JsString) -> Result<String, JsError> {
    if !source.is_string() {
        return Err(JsError::new("the source must be a string"));
    }
    let bytes = TextEncoder::new().encode(source).to_vec();
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned()))
}

/// Every finding and every syntax error in `source`.
#[wasm_bindgen(unchecked_return_type = "Analysis")]
pub fn analyze(
    #[wasm_bindgen(unchecked_param_type = "string")] source: JsString,
    #[wasm_bindgen(unchecked_optional_param_type = "AnalyzeOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let _call = start_call();
    let options = JsOptions::from_js(options)?.core()?;
    let _arena = arena_scope();
    let source = &source_text(&source)?;
    let analysis = crate::analyze(source, &options);
    test_trap::fire_if_armed();
    Ok(analysis::to_js(&analysis, &Utf16Index::new(source)))
}

/// Applies the selected fixes; only safe ones unless `options.unsafe` is true.
#[wasm_bindgen(js_name = applyFixes, unchecked_return_type = "FixResult")]
pub fn apply_fixes(
    #[wasm_bindgen(unchecked_param_type = "string")] source: JsString,
    #[wasm_bindgen(unchecked_param_type = "FixSelection")] selection: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "FixOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let _call = start_call();
    let selection = fix_selection(&selection)?;
    let options = JsOptions::from_js(options)?;
    let core_options = options.core()?;
    let _arena = arena_scope();
    let source = &source_text(&source)?;
    let outcome = crate::apply_fixes(source, &core_options, &selection, options.unsafe_fixes);
    test_trap::fire_if_armed();
    to_js(&JsFixResult {
        source: &outcome.source,
        applied: outcome.applied,
    })
}

/// Grades a learner's code against a lesson: target rules silent and requirements held.
/// An invalid lesson throws.
#[wasm_bindgen(js_name = checkLesson, unchecked_return_type = "LessonGrade")]
pub fn check_lesson(
    #[wasm_bindgen(unchecked_param_type = "string")] source: JsString,
    #[wasm_bindgen(unchecked_param_type = "LessonCheck")] lesson: JsValue,
) -> Result<JsValue, JsError> {
    let _call = start_call();
    // Through JSON, not serde-wasm-bindgen, which never shows a struct the keys it does not
    // declare: a misspelt key in a requirement must be an error, not a requirement of no kind.
    let lesson: crate::lesson::LessonCheck = JSON::stringify(&lesson)
        .ok()
        .and_then(|json| json.as_string())
        .ok_or_else(|| JsError::new("invalid lesson: not a JSON object"))
        .and_then(|json| {
            serde_json::from_str(&json)
                .map_err(|error| JsError::new(&format!("invalid lesson: {error}")))
        })?;
    let _arena = arena_scope();
    let source = &source_text(&source)?;
    let grade = crate::lesson::grade(source, &lesson).map_err(|error| JsError::new(&error))?;
    let analysis = crate::Analysis {
        findings: grade.findings,
        syntax_errors: grade.syntax_errors,
    };
    let result = analysis::to_js(&analysis, &Utf16Index::new(source));
    let requirements: Vec<JsRequirementHeld> = grade
        .requirements
        .iter()
        .map(|(says, holds)| JsRequirementHeld {
            says,
            holds: *holds,
        })
        .collect();
    let requirements = to_js(&requirements)?;
    let set = |key: &str, value: &JsValue| js_sys::Reflect::set(&result, &key.into(), value);
    set("passed", &grade.passed.into())
        .and_then(|_| set("requirements", &requirements))
        .map_err(|_| JsError::new("could not build the grade"))?;
    Ok(result)
}

/// Every rule's metadata and docs, sorted by id.
#[wasm_bindgen(unchecked_return_type = "RuleMeta[]")]
pub fn rules() -> Result<JsValue, JsError> {
    let _call = start_call();
    let rules: Vec<JsRuleMeta> = crate::rules::all_rules()
        .iter()
        .map(|rule| JsRuleMeta::new(rule.meta))
        .collect();
    to_js(&rules)
}

/// The guideline, section by section, in reading order.
#[wasm_bindgen(unchecked_return_type = "GuideSection[]")]
pub fn guide() -> Result<JsValue, JsError> {
    let _call = start_call();
    let sections: Vec<JsGuideSection> = crate::guide::SECTIONS
        .iter()
        .map(|section| JsGuideSection {
            id: section.id,
            title: section.title(),
            body: section.body,
            rules: section.rules().iter().map(|meta| meta.id).collect(),
        })
        .collect();
    to_js(&sections)
}

/// The engine's version, e.g. `0.1.0`.
#[wasm_bindgen]
pub fn version() -> String {
    let _call = call::InProgress::begin();
    crate::VERSION.to_string()
}

/// Plain objects with `null` for missing values, built by one `JSON.parse`: for 100
/// findings that cost half of what `serde_wasm_bindgen`'s property-by-property objects do
/// (and `analyze`'s own conversion a tenth of `JSON.parse`).
fn to_js(value: &impl Serialize) -> Result<JsValue, JsError> {
    let json = serde_json::to_string(value).map_err(|error| JsError::new(&error.to_string()))?;
    JSON::parse(&json).map_err(|_| JsError::new("the engine produced invalid JSON"))
}

/// `AnalyzeOptions` and `FixOptions` as they arrive from JavaScript.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct JsOptions {
    select: Vec<String>,
    ignore: Vec<String>,
    min_severity: Option<String>,
    #[serde(rename = "unsafe")]
    unsafe_fixes: bool,
}

impl JsOptions {
    fn from_js(value: JsValue) -> Result<Self, JsError> {
        let options: Option<JsOptions> = serde_wasm_bindgen::from_value(value)
            .map_err(|error| JsError::new(&format!("invalid options: {error}")))?;
        Ok(options.unwrap_or_default())
    }

    fn core(&self) -> Result<Options, JsError> {
        let min_severity = match &self.min_severity {
            None => None,
            Some(name) => Some(Severity::parse(name).ok_or_else(|| {
                JsError::new(&format!(
                    "invalid minSeverity `{name}`: expected low, medium, high or critical"
                ))
            })?),
        };
        if let Some(unknown) = self
            .select
            .iter()
            .chain(&self.ignore)
            .find(|selector| !crate::is_known_selector(selector))
        {
            return Err(JsError::new(&format!("`{unknown}` selects no rule")));
        }
        Ok(Options {
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            min_severity,
            project: None,
            // The playground analyses `playground.py`, never a test.
            test_code: false,
        })
    }
}

/// `null` → all; numbers → finding indexes; strings → rule ids, names or groups.
fn fix_selection(selection: &JsValue) -> Result<FixSelection, JsError> {
    if selection.is_null() || selection.is_undefined() {
        return Ok(FixSelection::All);
    }
    let invalid =
        || JsError::new("selection must be an array of finding indexes or of rule ids, or null");
    let items = selection.dyn_ref::<Array>().ok_or_else(invalid)?;
    let mut indexes = Vec::new();
    let mut rules = Vec::new();
    for item in items.iter() {
        if let Some(number) = item.as_f64() {
            if number < 0.0 || number.fract() != 0.0 {
                return Err(invalid());
            }
            indexes.push(number as usize);
        } else if let Some(rule) = item.as_string() {
            rules.push(rule);
        } else {
            return Err(invalid());
        }
    }
    match (indexes.is_empty(), rules.is_empty()) {
        (_, true) => Ok(FixSelection::Findings(indexes)),
        (true, false) => Ok(FixSelection::Rules(rules)),
        (false, false) => Err(invalid()),
    }
}

#[derive(Serialize)]
struct JsRequirementHeld<'a> {
    says: &'a str,
    holds: bool,
}

#[derive(Serialize)]
struct JsFixResult<'a> {
    source: &'a str,
    applied: usize,
}

#[derive(Serialize)]
struct JsRuleMeta {
    id: &'static str,
    name: &'static str,
    group: &'static str,
    severity: Severity,
    confidence: Confidence,
    cwe: &'static [u32],
    owasp: &'static str,
    guideline: &'static str,
    sources: Vec<JsRuleSource>,
    fix: &'static str,
    #[serde(rename = "inTests")]
    in_tests: &'static str,
    docs: String,
}

impl JsRuleMeta {
    fn new(meta: &'static crate::RuleMeta) -> Self {
        Self {
            id: meta.id,
            name: meta.name,
            group: meta.group(),
            severity: meta.severity,
            confidence: meta.confidence,
            cwe: meta.cwe,
            owasp: meta.owasp.code(),
            guideline: meta.guideline,
            sources: meta
                .sources
                .iter()
                .map(|source| JsRuleSource {
                    tool: source.tool(),
                    code: source.code(),
                })
                .collect(),
            fix: meta.fix.as_str(),
            in_tests: meta.in_tests.as_str(),
            docs: meta.docs(),
        }
    }
}

#[derive(Serialize)]
struct JsRuleSource {
    tool: &'static str,
    code: &'static str,
}

#[derive(Serialize)]
struct JsGuideSection {
    id: &'static str,
    title: &'static str,
    body: &'static str,
    rules: Vec<&'static str>,
}
