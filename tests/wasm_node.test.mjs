// The WebAssembly package as JavaScript sees it: shapes, UTF-16 positions, fixes, the
// registry and guide, and bad input. Build pkg/ first (scripts/build-wasm.sh), then:
//
//   node --test tests/wasm_node.test.mjs

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = path.join(root, 'pkg');
const wasmPath = path.join(pkg, 'pyvet_bg.wasm');
if (!fs.existsSync(wasmPath)) {
  throw new Error(`${wasmPath} is missing: run scripts/build-wasm.sh first`);
}
const { initSync, analyze, applyFixes, rules, guide, version } = await import(
  path.join(pkg, 'pyvet.js')
);
// The glue behind the entry point, for its hook that makes the next call trap (tests only).
const { __pyvetArmTestTrap: armTestTrap } = await import(path.join(pkg, 'pyvet_bindgen.js'));
initSync({ module: fs.readFileSync(wasmPath) });

/** The memory of the module's current instance (`initSync` returns it once loaded). */
const memory = () => initSync().memory;

const YAML = 'import yaml\nyaml.load(x)\n';
const SPAN_KEYS = ['line', 'column', 'endLine', 'endColumn', 'start', 'end'];

/** Applies a fix's edits the way an editor would, from the UTF-16 offsets alone. */
function applyEdits(source, edits) {
  let result = source;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    result = result.slice(0, edit.start) + edit.content + result.slice(edit.end);
  }
  return result;
}

/** The 1-based line and UTF-16 column of a UTF-16 offset, computed in JavaScript. */
function lineColumn(source, offset) {
  const before = source.slice(0, offset);
  const lineStart = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1;
  return { line: before.split(/\r\n|\r|\n/).length, column: offset - lineStart + 1 };
}

/** Every span in an analysis agrees with JavaScript's own view of the source. */
function assertSpansMatch(source, span) {
  for (const key of SPAN_KEYS) assert.equal(typeof span[key], 'number', key);
  assert.ok(span.start <= span.end && span.end <= source.length);
  assert.deepEqual(lineColumn(source, span.start), { line: span.line, column: span.column });
  assert.deepEqual(lineColumn(source, span.end), { line: span.endLine, column: span.endColumn });
}

describe('analyze', () => {
  test('finds PV301 with every field the page needs', () => {
    const { findings, syntaxErrors } = analyze(YAML);
    assert.deepEqual(syntaxErrors, []);
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.deepEqual(Object.keys(finding).sort(), [
      'column', 'confidence', 'cwe', 'end', 'endColumn', 'endLine', 'fix', 'guideline',
      'line', 'message', 'name', 'owasp', 'ruleId', 'severity', 'start', 'trace',
    ]);
    assert.equal(finding.ruleId, 'PV301');
    assert.equal(finding.name, 'unsafe-yaml-load');
    assert.equal(finding.severity, 'high');
    assert.equal(finding.confidence, 'high');
    assert.deepEqual(finding.cwe, [502]);
    assert.equal(finding.owasp, 'A08');
    assert.equal(finding.guideline, 'deserialization');
    assert.match(finding.message, /`yaml\.load`/);
    assert.deepEqual(
      SPAN_KEYS.map((key) => finding[key]),
      [2, 1, 2, 13, 12, 24],
    );
    assert.equal(YAML.slice(finding.start, finding.end), 'yaml.load(x)');
    assert.deepEqual(finding.trace, []);
    assert.equal(finding.fix.title, 'Use `yaml.safe_load`');
    assert.equal(finding.fix.applicability, 'unsafe');
    assert.equal(finding.fix.edits.length, 1);
    assert.deepEqual(Object.keys(finding.fix.edits[0]).sort(), [...SPAN_KEYS, 'content'].sort());
    assert.equal(applyEdits(YAML, finding.fix.edits), 'import yaml\nyaml.safe_load(x)\n');
  });

  test('counts positions in UTF-16 code units with accents and emoji', () => {
    const sources = [
      's = "é😀"; import yaml; yaml.load(s)',
      's = "é😀"\n# 😀 and ünïcödé\nimport yaml\nt = ["😀😀", s]; yaml.load(s); yaml.load(t)\n',
      's = "é😀"\r\nimport yaml\r\n\r\nyaml.load(\r\n    "😀",\r\n)\r\n',
      'import yaml\ns = """😀\n😀"""\nyaml.load(s)  # 😀\n',
      's = "\uD800"; import yaml; yaml.load(s)',
    ];
    for (const source of sources) {
      const { findings, syntaxErrors } = analyze(source);
      assert.deepEqual(syntaxErrors, [], source);
      assert.ok(findings.length >= 1, source);
      for (const finding of findings) {
        assert.match(source.slice(finding.start, finding.end), /^yaml\.load\([^]*\)$/);
        assertSpansMatch(source, finding);
        for (const edit of finding.fix.edits) assertSpansMatch(source, edit);
      }
      // Rust strings cannot hold a lone surrogate: it comes back as U+FFFD (also one unit).
      findings.forEach((finding, index) => {
        const fixed = applyFixes(source, [index], { unsafe: true }).source;
        assert.equal(fixed, applyEdits(source.toWellFormed(), finding.fix.edits), source);
      });
    }
    const oneLine = sources[0];
    const [finding] = analyze(oneLine).findings;
    assert.equal(finding.column, oneLine.indexOf('yaml.load') + 1);
    assert.equal(finding.column, 25, 'é is one UTF-16 unit and 😀 two');
  });

  test('messages, fixes and traces with accents and emoji arrive whole', () => {
    const source =
      'import sqlite3\nfrom flask import request\n\ndb = sqlite3.connect("app.db")\n' +
      'prénom = request.args["prénom"]\n' +
      'db.execute(f"SELECT * FROM café WHERE nom = \'{prénom}\' -- 😀")\n';
    const [finding] = analyze(source).findings;
    assert.equal(finding.ruleId, 'PV201');
    assert.match(finding.message, /from `prénom`; a crafted value/);
    assert.deepEqual(
      finding.fix.edits.map((edit) => edit.content),
      ['"SELECT * FROM café WHERE nom = ? -- 😀"', ', (prénom,)'],
    );
    // Strings after the emoji in the result are cut where they should be.
    assert.deepEqual(
      finding.trace.map((step) => step.message),
      ['`args` is read from the request', '`prénom` holds it', '`prénom` is inserted into the query'],
    );
    assert.match(finding.message, /; the data comes from `request\.args` on line 5$/);
    for (const span of [finding, ...finding.fix.edits, ...finding.trace]) assertSpansMatch(source, span);
    assert.equal(
      applyEdits(source, finding.fix.edits),
      applyFixes(source, null, { unsafe: true }).source,
    );
  });

  test('returns syntax errors and still analyses the rest', () => {
    const source = 'import yaml\ndef broken(:\n    pass\nyaml.load(x)\n';
    const { findings, syntaxErrors } = analyze(source);
    assert.ok(syntaxErrors.length >= 1);
    for (const error of syntaxErrors) {
      assert.deepEqual(Object.keys(error).sort(), [...SPAN_KEYS, 'message'].sort());
      assert.equal(typeof error.message, 'string');
      assertSpansMatch(source, error);
    }
    assert.equal(syntaxErrors[0].line, 2);
    assert.deepEqual(findings.map((finding) => [finding.ruleId, finding.line]), [['PV301', 4]]);
  });

  test('reads \\N{NAME} escapes without the Unicode name tables', () => {
    // The browser build leaves the name tables out (vendor/unicode_names2): any well-formed
    // name parses, a malformed one is still a syntax error.
    assert.deepEqual(analyze('x = "\\N{BULLET}"\ny = "\\N{NOT A NAME}"\n').syntaxErrors, []);
    const [error] = analyze('x = "\\N{}"\n').syntaxErrors;
    assert.equal(error.line, 1);
  });

  test('options select, ignore and filter by severity', () => {
    assert.equal(analyze(YAML, { select: ['PV301'] }).findings.length, 1);
    assert.equal(analyze(YAML, { select: ['deserialization'] }).findings.length, 1);
    assert.equal(analyze(YAML, { ignore: ['unsafe-yaml-load'] }).findings.length, 0);
    assert.equal(analyze(YAML, { minSeverity: 'critical' }).findings.length, 0);
    assert.equal(analyze(YAML, {}).findings.length, 1);
    assert.equal(analyze(YAML, null).findings.length, 1);
    assert.throws(() => analyze(YAML, { minSeverity: 'severe' }), /minSeverity/);
    assert.throws(() => analyze(YAML, { select: ['PV999'] }), /PV999/);
    assert.throws(() => analyze(YAML, { select: 'PV301' }), /invalid options/);
  });

  test('a source that is not a string is refused with a clear error', () => {
    assert.throws(() => analyze(42), /source must be a string/);
    assert.throws(() => analyze(undefined), /source must be a string/);
  });
});

describe('applyFixes', () => {
  const TWO = 'import yaml\na = yaml.load(x)\nb = yaml.unsafe_load(y)\n';

  test('applies unsafe fixes only when asked', () => {
    assert.deepEqual(applyFixes(YAML, null, { unsafe: false }), { source: YAML, applied: 0 });
    assert.deepEqual(applyFixes(YAML, null), { source: YAML, applied: 0 });
    assert.deepEqual(applyFixes(YAML, null, { unsafe: true }), {
      source: 'import yaml\nyaml.safe_load(x)\n',
      applied: 1,
    });
  });

  test('selects findings by index or by rule', () => {
    const both = 'import yaml\na = yaml.safe_load(x)\nb = yaml.safe_load(y)\n';
    assert.deepEqual(applyFixes(TWO, [1], { unsafe: true }), {
      source: 'import yaml\na = yaml.load(x)\nb = yaml.safe_load(y)\n',
      applied: 1,
    });
    assert.deepEqual(applyFixes(TWO, [0, 1], { unsafe: true }), { source: both, applied: 2 });
    assert.deepEqual(applyFixes(TWO, ['PV301'], { unsafe: true }), { source: both, applied: 2 });
    assert.deepEqual(applyFixes(TWO, ['unsafe-yaml-load'], { unsafe: true }).applied, 2);
    assert.deepEqual(applyFixes(TWO, [], { unsafe: true }), { source: TWO, applied: 0 });
    assert.deepEqual(applyFixes(TWO, ['PV301'], { unsafe: false }), { source: TWO, applied: 0 });
  });

  test('indexes refer to the findings analyze returned with the same options', () => {
    const source = 's = "😀"\n' + TWO;
    const { findings } = analyze(source);
    const fixed = applyFixes(source, [0], { unsafe: true });
    assert.equal(fixed.source, applyEdits(source, findings[0].fix.edits));
  });

  test('a source that is not a string is refused with a clear error', () => {
    assert.throws(() => applyFixes(42, null), /source must be a string/);
    assert.throws(() => applyFixes(undefined, null), /source must be a string/);
  });

  test('refuses a selection it cannot read', () => {
    for (const selection of [[0, 'PV301'], [-1], [1.5], [{}], 'PV301', 3]) {
      assert.throws(() => applyFixes(TWO, selection, { unsafe: true }), /selection/);
    }
  });
});

describe('rules, guide and version', () => {
  const allRules = rules();
  const sections = guide();

  test('rules() describes every rule', () => {
    assert.ok(allRules.length >= 1);
    for (const rule of allRules) {
      assert.deepEqual(Object.keys(rule).sort(), [
        'confidence', 'cwe', 'docs', 'fix', 'group', 'guideline', 'id', 'inTests', 'name',
        'owasp', 'severity', 'sources',
      ]);
      assert.ok(['report', 'skip'].includes(rule.inTests), rule.id);
      assert.match(rule.group, /^[a-z]+$/);
      assert.match(rule.id, /^PV\d{3}$/);
      assert.match(rule.name, /^[a-z0-9-]+$/);
      assert.ok(['low', 'medium', 'high', 'critical'].includes(rule.severity));
      assert.ok(['low', 'medium', 'high'].includes(rule.confidence));
      assert.ok(rule.cwe.length > 0 && rule.cwe.every(Number.isInteger));
      assert.match(rule.owasp, /^A(0[1-9]|10)$/);
      assert.ok(sections.some((section) => section.id === rule.guideline), rule.guideline);
      for (const source of rule.sources) {
        assert.deepEqual(Object.keys(source).sort(), ['code', 'tool']);
        assert.ok(['bandit', 'ruff'].includes(source.tool));
      }
      assert.ok(['none', 'sometimes', 'always'].includes(rule.fix));
      assert.match(rule.docs, /^## What it does\n/);
      assert.match(rule.docs, /\n## References\n/);
    }
    const yaml = allRules.find((rule) => rule.id === 'PV301');
    assert.deepEqual(yaml.sources, [
      { tool: 'bandit', code: 'B506' },
      { tool: 'ruff', code: 'S506' },
    ]);
    assert.equal(yaml.fix, 'sometimes');
  });

  test('guide() has every section with its rules', () => {
    assert.ok(sections.length >= 20);
    const ids = new Set(allRules.map((rule) => rule.id));
    for (const section of sections) {
      assert.deepEqual(Object.keys(section).sort(), ['body', 'id', 'rules', 'title']);
      assert.match(section.id, /^[a-z0-9-]+$/);
      assert.ok(section.title.length > 0);
      assert.ok(section.body.startsWith(`# ${section.title}\n`), section.id);
      for (const id of section.rules) assert.ok(ids.has(id), id);
    }
    const deserialization = sections.find((section) => section.id === 'deserialization');
    assert.ok(deserialization.rules.includes('PV301'));
  });

  test('version() matches the npm package', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8'));
    assert.match(version(), /^\d+\.\d+\.\d+/);
    assert.equal(version(), manifest.version);
  });
});

describe('bad input', () => {
  const deep = {
    'open brackets': '('.repeat(5000),
    'balanced brackets': `${'['.repeat(5000)}x${']'.repeat(5000)}`,
    'unary chain': `x = ${'-'.repeat(5000)}1`,
    'not chain': `x = ${'not '.repeat(5000)}y`,
    'lambda chain': `x = ${'lambda: '.repeat(5000)}1`,
    'operator chain': `x = a${' + a'.repeat(50000)}`,
    'attribute chain': `import yaml\nx = yaml${'.b'.repeat(50000)}.load(s)`,
    'call chain': `x = f${'()'.repeat(50000)}`,
    'f-strings': `${'f"{'.repeat(2000)}1${'}"'.repeat(2000)}`,
    indentation: Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}if x:`).join('\n'),
  };
  const junk = {
    empty: '',
    whitespace: ' \t\n\r\n\f',
    'NUL bytes': 'x = 1\0\0\nimport yaml\0',
    'lone surrogates': '\uD800\uDC00\uDFFF = "\uD83D"',
    BOM: '\uFEFFimport yaml\nyaml.load(x)\n',
    'only brackets': ')]}'.repeat(1000),
    'unterminated string': 'x = """' + 'a\n'.repeat(1000),
    'random ASCII': Array.from({ length: 20000 }, (_, i) => String.fromCharCode(32 + ((i * 7919) % 95))).join(''),
    'long line': `x = "${'a'.repeat(1_000_000)}"`,
  };

  test('nesting too deep is a syntax error, not a crash', () => {
    for (const [name, source] of Object.entries(deep)) {
      const analysis = analyze(source);
      assert.ok(analysis.syntaxErrors.length >= 1, name);
      assert.equal(applyFixes(source, null, { unsafe: true }).source, source, name);
    }
    const { syntaxErrors } = analyze('('.repeat(5000));
    assert.match(syntaxErrors[0].message, /Nested too deeply/);
  });

  test('junk returns without throwing', () => {
    for (const [name, source] of Object.entries(junk)) {
      const analysis = analyze(source);
      assert.ok(Array.isArray(analysis.findings) && Array.isArray(analysis.syntaxErrors), name);
      for (const error of analysis.syntaxErrors) assertSpansMatch(source, error);
    }
  });

  test('nesting right at the limits parses once V8 has optimised the engine', () => {
    // Optimised code uses bigger stack frames than the first calls: warm up first.
    const app = fs.readFileSync(path.join(root, 'bench/wasm/app.py'), 'utf8');
    for (let i = 0; i < 200; i++) analyze(app);
    const blocks = (levels, header, body) =>
      `${Array.from({ length: levels }, (_, i) => `${' '.repeat(i)}${header}`).join('\n')}\n` +
      `${' '.repeat(levels)}${body}\n`;
    // Each source nests as deep as the guard allows at `n`, one level too deep at `n + 1`.
    const atTheLimit = [
      [(n) => `x = ${'f('.repeat(100)}${'-'.repeat(n)}1${')'.repeat(100)}`, 150],
      [(n) => `x = ${'{1: '.repeat(100)}${'not '.repeat(n)}1${'}'.repeat(100)}`, 150],
      [(n) => `def f():\n    x = ${'(yield '.repeat(100)}${'-'.repeat(n)}x${')'.repeat(100)}`, 49],
      [(n) => `x = ${'f"{'.repeat(50)}${'~'.repeat(n)}1${'}"'.repeat(50)}`, 150],
      [(n) => blocks(100, 'class C:', `x = ${'('.repeat(100)}${'-'.repeat(n)}1${')'.repeat(100)}`), 50],
      [(n) => blocks(150, 'if not x:', `x = ${'-'.repeat(n)}1`), 100],
      [(n) => `async def f():\n    return ${'await '.repeat(n)}x`, 249],
      [(n) => `x = ${'a ** '.repeat(n)}a`, 250],
      [(n) => `x = a${' + a'.repeat(n)}`, 3000],
    ];
    const refused = (source) =>
      analyze(source).syntaxErrors.some((error) => /Nested too deeply/.test(error.message));
    for (const [nest, limit] of atTheLimit) {
      assert.ok(refused(nest(limit + 1)), nest(limit + 1).slice(0, 60));
      for (let i = 0; i < 20; i++) assert.ok(!refused(nest(limit)), nest(limit).slice(0, 60));
    }
  });

  test('repeated analyses reuse their memory', () => {
    // What the page does as someone types: the same large module, over and over.
    const app = fs.readFileSync(path.join(root, 'bench/wasm/app.py'), 'utf8').repeat(10);
    const findings = analyze(app).findings.length;
    const before = memory().buffer.byteLength;
    for (let i = 0; i < 100; i++) assert.equal(analyze(app).findings.length, findings);
    assert.equal(memory().buffer.byteLength, before, 'the wasm memory grew');
  });

  test('the inputs that once trapped or ran away return, and memory stays small', () => {
    const tower = (levels, terms, sink) => {
      let source = 'import os\nv0 = "x"\n';
      for (let level = 1; level <= levels; level++) {
        source += `v${level} = ${Array(terms).fill(`v${level - 1}`).join(' + ')}\n`;
      }
      return `${source}${sink}(v${levels})\n`;
    };
    const reproducers = {
      // Cut a euro sign in half: a trap in analyze and applyFixes.
      'non-ASCII text before a SQL value':
        'import sqlite3\ncur = sqlite3.connect("db").cursor()\n' +
        'cur.execute(f"SELECT * FROM t WHERE a = \u20ac{x}")\n' +
        'cur.execute(f"SELECT * FROM t WHERE b = {y} AND a = \'\u2192{x}\'")\n',
      // 10^8 bytes of constant string from 2 KB: 3.8 GB, then a trap.
      'a string built from itself': tower(4, 100, 'eval'),
      // 30^6 paths to search for taint: minutes.
      'taint through names built from themselves': tower(6, 30, 'os.system'),
    };
    const before = memory().buffer.byteLength;
    for (const [name, source] of Object.entries(reproducers)) {
      const analysis = analyze(source);
      assert.ok(analysis.findings.length >= 1, name);
      const fixed = applyFixes(source, null, { unsafe: true });
      assert.equal(typeof fixed.source, 'string', name);
    }
    assert.ok(memory().buffer.byteLength - before <= 64 * 1024 * 1024, 'the wasm memory grew past 64 MB');
  });

  test('the module still works afterwards', () => {
    assert.equal(analyze(YAML).findings[0].ruleId, 'PV301');
  });
});

describe('after a trap', () => {
  // A trap stops the module mid-call: no destructor runs, so its arena scope stays open and,
  // in the instance it happened in, memory is never given back again (4 MB became 67 MB).
  // The package's entry point turns the trap into an ordinary Error and replaces the
  // instance. `armTestTrap` makes the next analyze or applyFixes panic inside its arena
  // scope, after the engine has run, as a real bug would (src/wasm/test_trap.rs).
  const app = fs.readFileSync(path.join(root, 'bench/wasm/app.py'), 'utf8');
  const MESSAGE =
    /^pyvet: the analyser failed on this input \(an internal error\) and has been restarted/;

  /** Arms the trap, makes the call, and returns what it threw and what it logged. */
  function trapIn(call) {
    const logged = [];
    const consoleError = console.error;
    console.error = (message) => logged.push(String(message));
    armTestTrap();
    try {
      call();
    } catch (error) {
      return { error, logged };
    } finally {
      console.error = consoleError;
    }
    assert.fail('the armed call returned');
  }

  function assertOrdinaryTrapError({ error, logged }) {
    assert.equal(Object.getPrototypeOf(error), Error.prototype, 'a plain Error');
    assert.match(error.message, MESSAGE);
    assert.ok(error.cause instanceof WebAssembly.RuntimeError, 'the trap is the cause');
    assert.equal(error.cause.message, 'unreachable');
    // The panic hook still says where it happened, in the console.
    assert.ok(logged.some((line) => line.includes('a trap requested by a test')), logged.join());
  }

  /** Module memory after 20 analyses of app.py, checking each result. */
  function memoryAfterAnalyses(engine, findings) {
    for (let i = 0; i < 20; i++) assert.equal(engine.analyze(app).findings.length, findings);
    return engine.initSync().memory.buffer.byteLength;
  }

  /**
   * The normal level: the memory a new instance has after the same 20 analyses, measured on
   * an instance of its own (a second copy of the glue, so it owes nothing to the restart).
   */
  async function normalMemory(findings) {
    const url = `${pathToFileURL(path.join(pkg, 'pyvet_bindgen.js'))}?fresh-instance`;
    const own = await import(url);
    own.initSync({ module: fs.readFileSync(wasmPath) });
    return memoryAfterAnalyses(own, findings);
  }

  test('a trap in analyze throws an ordinary Error, and the next call analyses', () => {
    assertOrdinaryTrapError(trapIn(() => analyze(app)));
    assert.equal(analyze(YAML).findings[0].ruleId, 'PV301');
    assertOrdinaryTrapError(trapIn(() => analyze(YAML, { select: ['PV301'] })));
    assert.deepEqual(analyze(YAML, { select: ['PV301'] }).findings.length, 1);
  });

  test('after a trap in analyze, memory is back to normal: a fresh instance runs', async () => {
    const findings = analyze(app).findings.length;
    const normal = await normalMemory(findings);
    const trapped = memory();
    assertOrdinaryTrapError(trapIn(() => analyze(app)));
    assert.notEqual(memory(), trapped, 'the trapped instance was replaced');
    // Left in the trapped instance, these 20 would grow its memory to about 34 MB.
    const after = memoryAfterAnalyses({ analyze, initSync }, findings);
    assert.ok(after <= normal, `memory ${after} bytes after the trap, ${normal} normally`);
  });

  test('a trap in applyFixes recovers the same way', async () => {
    const fixed = applyFixes(app, null, { unsafe: true });
    assert.ok(fixed.applied > 0);
    const findings = analyze(app).findings.length;
    const normal = await normalMemory(findings);
    const trapped = memory();
    assertOrdinaryTrapError(trapIn(() => applyFixes(app, null, { unsafe: true })));
    assert.notEqual(memory(), trapped, 'the trapped instance was replaced');
    assert.deepEqual(applyFixes(app, null, { unsafe: true }), fixed);
    const after = memoryAfterAnalyses({ analyze, initSync }, findings);
    assert.ok(after <= normal, `memory ${after} bytes after the trap, ${normal} normally`);
  });

  test('an ordinary error keeps the instance', () => {
    const current = memory();
    assert.throws(() => analyze(YAML, { select: ['PV999'] }), /PV999/);
    assert.throws(() => applyFixes(YAML, 'PV301'), /selection/);
    assert.throws(() => analyze(42), /source must be a string/);
    assert.equal(memory(), current);
  });

  test('a call before the module is loaded says so', async () => {
    // A second copy of the entry point, with its own (unloaded) state.
    const fresh = await import(`${pathToFileURL(path.join(pkg, 'pyvet.js'))}?not-loaded`);
    assert.throws(() => fresh.analyze(YAML), /not loaded yet: await init\(\)/);
  });
});

describe('package', () => {
  test('package.json points at files the build writes', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8'));
    assert.equal(manifest.name, 'pyvet');
    assert.equal(manifest.type, 'module');
    for (const file of [manifest.main, manifest.module, manifest.types, ...manifest.files]) {
      assert.ok(fs.existsSync(path.join(pkg, file)), file);
    }
    // What the entry point imports (wasm-bindgen's glue) and what that imports (the inline
    // JavaScript under snippets/) are in the package too.
    const seen = new Set();
    const follow = (file) => {
      const text = fs.readFileSync(path.join(pkg, file), 'utf8');
      for (const [, imported] of text.matchAll(/from ['"]\.\/([^'"]+)['"]/g)) {
        const target = path.posix.join(path.posix.dirname(file), imported);
        if (seen.has(target)) continue;
        seen.add(target);
        assert.ok(fs.existsSync(path.join(pkg, target)), target);
        assert.ok(manifest.files.some((entry) => target === entry || target.startsWith(entry)), target);
        follow(target);
      }
    };
    follow(manifest.main);
    assert.ok(seen.has('pyvet_bindgen.js'));
    assert.ok([...seen].some((file) => file.startsWith('snippets/')));
  });

  test('the TypeScript types describe every export without `any`', () => {
    const types = fs.readFileSync(path.join(pkg, 'pyvet.d.ts'), 'utf8');
    assert.doesNotMatch(types, /\bany\b/);
    // The glue's internals (re-instantiation, the trap hook) are not part of the API.
    assert.doesNotMatch(types, /export function __/);
    for (const declaration of [
      'export function analyze(source: string, options?: AnalyzeOptions): Analysis;',
      'export function applyFixes(source: string, selection: FixSelection, options?: FixOptions): FixResult;',
      'export function rules(): RuleMeta[];',
      'export function guide(): GuideSection[];',
      'export function version(): string;',
      'export interface Finding extends Span {',
      'export interface SyntaxError extends Span {',
      'fix: Fix | null;',
    ]) {
      assert.ok(types.includes(declaration), declaration);
    }
  });
});
