//! `analyze`'s result crosses to JavaScript as two flat buffers, a list of numbers and one
//! string, which the JavaScript below turns into the objects typed as `Analysis` in `wasm.rs`. On a
//! 2,000-line module with 143 findings that took Node 20 about 0.02 ms, where `JSON.parse`
//! of the same findings took 0.26 ms; and the strings every finding of a rule shares (its
//! id, name, severity) cross once.
//!
//! The layout, read by that JavaScript in this order:
//! - the strings: their count, then the length of each in UTF-16 code units; the text is
//!   all of them, one after the other. Everywhere below, a string is its number here;
//! - the findings: their count, then for each: rule id, name, message, severity,
//!   confidence; the count of CWE ids and the ids; OWASP category, guideline; the span
//!   (line, column, end line, end column, start, end); the fix: 0 for none, or 1, title,
//!   applicability, the count of edits and for each its span and content; the count of
//!   trace steps and for each its span and message;
//! - the syntax errors: their count, then for each its span and message.

use std::marker::PhantomData;

use rustc_hash::FxHashMap;
use wasm_bindgen::prelude::*;

use crate::diagnostic::Finding;
use crate::location::{Utf16Index, Utf16Range};
use crate::Analysis;

// Inline rather than `module = "/src/..."`: for a module file wasm-bindgen would merge the
// site's package.json (the crate root's) into the one it writes for pkg/.
#[wasm_bindgen(inline_js = r#"
// Builds what `analyze` returns (`Analysis` in pyvet.d.ts) from the two buffers written
// below, in the layout of the module docs. Each object is one literal with all its properties, so every finding gets the same shape:
// this is what makes it many times faster than JSON.parse on the same findings.

export function buildAnalysis(numbers, text) {
  let at = 0;
  const strings = [];
  const count = numbers[at++];
  for (let i = 0, start = 0; i < count; i++) {
    const end = start + numbers[at++];
    strings.push(text.slice(start, end));
    start = end;
  }
  const number = () => numbers[at++];
  const string = () => strings[numbers[at++]];
  const list = (item) => {
    const items = [];
    for (let i = number(); i > 0; i--) items.push(item());
    return items;
  };
  const edit = () => ({
    line: number(),
    column: number(),
    endLine: number(),
    endColumn: number(),
    start: number(),
    end: number(),
    content: string(),
  });
  // A trace step and a syntax error: a span and a message.
  const step = () => ({
    line: number(),
    column: number(),
    endLine: number(),
    endColumn: number(),
    start: number(),
    end: number(),
    message: string(),
  });
  const finding = () => ({
    ruleId: string(),
    name: string(),
    message: string(),
    severity: string(),
    confidence: string(),
    cwe: list(number),
    owasp: string(),
    guideline: string(),
    line: number(),
    column: number(),
    endLine: number(),
    endColumn: number(),
    start: number(),
    end: number(),
    fix: number() === 0 ? null : { title: string(), applicability: string(), edits: list(edit) },
    trace: list(step),
  });
  return { findings: list(finding), syntaxErrors: list(step) };
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = buildAnalysis)]
    fn build_analysis(numbers: &[u32], text: &str) -> JsValue;
}

/// The `Analysis` object JavaScript gets, positions in UTF-16 code units.
pub fn to_js(analysis: &Analysis, index: &Utf16Index) -> JsValue {
    let mut encoder = Encoder::default();
    encoder.count(analysis.findings.len());
    for finding in &analysis.findings {
        encoder.finding(finding, index);
    }
    encoder.count(analysis.syntax_errors.len());
    for error in &analysis.syntax_errors {
        encoder.span(index.range(error.range));
        encoder.string(&error.message);
    }
    let (numbers, text) = encoder.finish();
    build_analysis(&numbers, &text)
}

#[derive(Default)]
struct Encoder<'a> {
    numbers: Vec<u32>,
    text: String,
    /// The UTF-16 length of each string in `text`.
    lengths: Vec<u32>,
    /// The number of each string in `text`, by address and length: the rule's strings that
    /// findings share are one string each, without hashing every message.
    numbered: FxHashMap<(usize, usize), u32>,
    /// Every string outlives the encoder, so an address is never reused for another one.
    borrowed: PhantomData<&'a str>,
}

impl<'a> Encoder<'a> {
    fn finding(&mut self, finding: &'a Finding, index: &Utf16Index) {
        let rule = finding.rule;
        self.string(rule.id);
        self.string(rule.name);
        self.string(&finding.message);
        self.string(finding.severity().as_str());
        self.string(finding.confidence.as_str());
        self.count(finding.cwe.len());
        self.numbers.extend_from_slice(finding.cwe);
        self.string(rule.owasp.code());
        self.string(rule.guideline);
        self.span(index.range(finding.range));
        match &finding.fix {
            None => self.numbers.push(0),
            Some(fix) => {
                self.numbers.push(1);
                self.string(&fix.title);
                self.string(fix.applicability.as_str());
                self.count(fix.edits.len());
                for edit in &fix.edits {
                    self.span(index.range(edit.range));
                    self.string(&edit.content);
                }
            }
        }
        self.count(finding.trace.len());
        for step in &finding.trace {
            self.span(index.range(step.range));
            self.string(&step.message);
        }
    }

    fn string(&mut self, string: &'a str) {
        let Self {
            text,
            lengths,
            numbered,
            ..
        } = self;
        let key = (string.as_ptr() as usize, string.len());
        let number = *numbered.entry(key).or_insert_with(|| {
            text.push_str(string);
            let length = if string.is_ascii() {
                string.len()
            } else {
                string.encode_utf16().count()
            };
            lengths.push(number(length));
            number(lengths.len() - 1)
        });
        self.numbers.push(number);
    }

    fn count(&mut self, count: usize) {
        self.numbers.push(number(count));
    }

    fn span(&mut self, span: Utf16Range) {
        self.numbers.extend(
            [
                span.line,
                span.column,
                span.end_line,
                span.end_column,
                span.start,
                span.end,
            ]
            .map(number),
        );
    }

    /// The numbers and the text, the string lengths put first.
    fn finish(self) -> (Vec<u32>, String) {
        let mut numbers = Vec::with_capacity(1 + self.lengths.len() + self.numbers.len());
        numbers.push(number(self.lengths.len()));
        numbers.extend(self.lengths);
        numbers.extend(self.numbers);
        (numbers, self.text)
    }
}

/// Counts and positions fit: the wasm build's `usize` is 32 bits.
fn number(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}
