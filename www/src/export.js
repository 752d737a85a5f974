// The findings as files, made here in the page and downloaded (nothing is sent): the same
// JSON and SARIF 2.1.0 that `pyvet check --format json|sarif` writes (src/cli/json.rs,
// src/cli/sarif.rs), so a report from the page and one from CI read the same way.
// Positions there are 1-based lines and columns counted in Unicode characters; the page's
// findings count columns in UTF-16 units, so each position is converted from its offset.

import { ruleSummary } from "./rule-docs.js";

/** The name the page's code gets in a report. */
export const FILE_NAME = "playground.py";

/** `{line, column}` of a position given in UTF-16 (`offset`, and its 1-based `column`). */
function charPosition(source, line, column, offset) {
  const lineStart = offset - (column - 1);
  return { line, column: [...source.slice(lineStart, offset)].length + 1 };
}

/** The CLI's `range` of anything with the page's position fields. */
function charRange(source, span) {
  return {
    start: charPosition(source, span.line, span.column, span.start),
    end: charPosition(source, span.endLine, span.endColumn, span.end),
  };
}

/** `pyvet check --format json`: `{version, findings, errors}`, as text. */
export function toJson({ source, findings, syntaxErrors, version, path = FILE_NAME }) {
  const output = {
    version,
    findings: findings.map((finding) => ({
      rule_id: finding.ruleId,
      name: finding.name,
      path,
      severity: finding.severity,
      confidence: finding.confidence,
      cwe: finding.cwe,
      owasp: finding.owasp,
      message: finding.message,
      guideline: finding.guideline,
      range: charRange(source, finding),
      fix: finding.fix && {
        title: finding.fix.title,
        applicability: finding.fix.applicability,
        edits: finding.fix.edits.map((edit) => ({ range: charRange(source, edit), content: edit.content })),
      },
      trace: finding.trace.map((step) => ({ message: step.message, range: charRange(source, step) })),
    })),
    errors: syntaxErrors.map((error) => ({ path, message: error.message, range: charRange(source, error) })),
  };
  return `${JSON.stringify(output, null, 2)}\n`;
}

const LEVEL = { critical: "error", high: "error", medium: "warning", low: "note" };
const SECURITY_SEVERITY = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

/** A SARIF region from the page's position fields. */
function region(source, span) {
  const { start, end } = charRange(source, span);
  return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
}

function location(source, uri, span) {
  return { physicalLocation: { artifactLocation: { uri }, region: region(source, span) } };
}

/** A URI for a relative path, as the CLI writes it: unreserved bytes kept, others escaped. */
function uriOf(path) {
  return [...new TextEncoder().encode(path.replace(/\\/g, "/"))]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return /[A-Za-z0-9\-._~/]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    })
    .join("");
}

function sarifRule(rule) {
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: ruleSummary(rule.docs) },
    help: { text: rule.docs, markdown: rule.docs },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: ["security", ...rule.cwe.map((id) => `external/cwe/cwe-${id}`), `external/owasp/${rule.owasp.toLowerCase()}`],
      precision: rule.confidence,
      "security-severity": SECURITY_SEVERITY[rule.severity],
    },
  };
}

function sarifResult(source, uri, finding, ruleIndex) {
  const result = {
    ruleId: finding.ruleId,
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [location(source, uri, finding)],
    properties: {
      confidence: finding.confidence,
      tags: finding.cwe.map((id) => `external/cwe/cwe-${id}`),
    },
  };
  if (ruleIndex >= 0) result.ruleIndex = ruleIndex;
  if (finding.trace.length) {
    const steps = finding.trace.map((step) => ({ location: { ...location(source, uri, step), message: { text: step.message } } }));
    result.codeFlows = [{ threadFlows: [{ locations: steps }] }];
  }
  if (finding.fix) {
    result.fixes = [
      {
        description: { text: `${finding.fix.title} (${finding.fix.applicability})` },
        artifactChanges: [
          {
            artifactLocation: { uri },
            replacements: finding.fix.edits.map((edit) => ({
              deletedRegion: region(source, edit),
              insertedContent: { text: edit.content },
            })),
          },
        ],
      },
    ];
  }
  return result;
}

/** Object keys in sorted order at every depth, as the CLI's JSON values print them. */
function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys(value[key])]));
}

/** `pyvet check --format sarif`: SARIF 2.1.0 with every rule in the driver, as text. */
export function toSarif({ source, findings, syntaxErrors, version, rules, path = FILE_NAME }) {
  const uri = uriOf(path);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "pyvet", version, rules: rules.map(sarifRule) } },
        columnKind: "unicodeCodePoints",
        results: findings.map((finding) => sarifResult(source, uri, finding, ruleIndex.get(finding.ruleId) ?? -1)),
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: syntaxErrors.map((error) => ({
              level: "error",
              message: { text: `Syntax error: ${error.message}` },
              locations: [location(source, uri, error)],
            })),
          },
        ],
      },
    ],
  };
  return `${JSON.stringify(sortKeys(sarif), null, 2)}\n`;
}

/** Offers `text` as a file download. The file is made here; nothing goes over the network. */
export function download(text, fileName, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
