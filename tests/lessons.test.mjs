// Every lesson in lessons/, run through the WebAssembly package the page uses: the starting
// code fails, the emptied code fails (with the requirements that say what is missing), the
// reference solution passes; the lesson files are complete and every guide section has a
// lesson. Build pkg/ first (scripts/build-wasm.sh), then:
//
//   node --test tests/lessons.test.mjs

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = path.join(root, 'pkg');
const wasmPath = path.join(pkg, 'pyvet_bg.wasm');
if (!fs.existsSync(wasmPath)) {
  throw new Error(`${wasmPath} is missing: run scripts/build-wasm.sh first`);
}
const { initSync, analyze, checkLesson, guide, rules } = await import(path.join(pkg, 'pyvet.js'));
initSync({ module: fs.readFileSync(wasmPath) });

const folder = path.join(root, 'lessons');
const files = fs.readdirSync(folder).filter((file) => file.endsWith('.json')).sort();
const lessons = files.map((file) => ({
  file,
  ...JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8')),
}));
const code = (lines) => `${lines.join('\n')}\n`;
const ruleIds = new Set(rules().map((rule) => rule.id));
const sectionIds = guide().map((section) => section.id);

describe('the lesson files', () => {
  test('there are at least 24, each named after its unique id', () => {
    assert.ok(lessons.length >= 24, `${lessons.length} lessons`);
    for (const lesson of lessons) assert.equal(lesson.file, `${lesson.id}.json`);
    assert.equal(new Set(lessons.map((lesson) => lesson.id)).size, lessons.length);
  });

  test('every guide section has a lesson, and every lesson a guide section', () => {
    const taught = new Set(lessons.map((lesson) => lesson.section));
    assert.deepEqual(sectionIds.filter((id) => !taught.has(id)), []);
    for (const lesson of lessons) assert.ok(sectionIds.includes(lesson.section), lesson.id);
  });

  test('every lesson has a title, a task, one to three hints, known targets and requirements', () => {
    for (const lesson of lessons) {
      assert.ok(lesson.title.trim() && lesson.task.trim(), lesson.id);
      assert.ok(lesson.hints.length >= 1 && lesson.hints.length <= 3, `${lesson.id}: hints`);
      for (const hint of lesson.hints) assert.ok(hint.trim().length > 10, `${lesson.id}: empty hint`);
      assert.ok(lesson.targets.length > 0, `${lesson.id}: targets`);
      for (const target of lesson.targets) assert.ok(ruleIds.has(target), `${lesson.id}: ${target}`);
      assert.ok(lesson.requirements.length > 0, `${lesson.id}: requirements`);
      for (const requirement of lesson.requirements) {
        assert.ok(requirement.says.trim().length > 10, `${lesson.id}: a requirement says nothing`);
      }
    }
  });

  // `start` is a list of lines; an empty string at its end would stand for a final newline
  // (which `code` adds anyway), not for a line of code, so it is not counted.
  test('the starting code is realistic: 10 to 40 lines', () => {
    for (const lesson of lessons) {
      const lines = lesson.start.at(-1) === '' ? lesson.start.length - 1 : lesson.start.length;
      assert.ok(lines >= 10 && lines <= 40, `${lesson.id}: ${lines} lines`);
    }
  });
});

for (const lesson of lessons) {
  describe(`lesson ${lesson.id}`, () => {
    test('the starting code fails, with every target rule firing', () => {
      const grade = checkLesson(code(lesson.start), lesson);
      assert.equal(grade.passed, false);
      const fired = new Set(grade.findings.map((finding) => finding.ruleId));
      assert.deepEqual(lesson.targets.filter((id) => !fired.has(id)), [], 'targets that do not fire');
      assert.deepEqual(grade.syntaxErrors, []);
    });

    test('emptied code fails, saying what is missing', () => {
      for (const emptied of ['', '\n', 'pass\n']) {
        const grade = checkLesson(emptied, lesson);
        assert.equal(grade.passed, false);
        assert.deepEqual(grade.findings, []);
        const missing = grade.requirements.filter((requirement) => !requirement.holds);
        assert.equal(missing.length, lesson.requirements.length);
        assert.deepEqual(missing.map((requirement) => requirement.says), lesson.requirements.map((r) => r.says));
      }
    });

    test('the reference solution passes, and parses', () => {
      const solution = code(lesson.solution);
      const grade = checkLesson(solution, lesson);
      assert.deepEqual(
        grade.findings.map((finding) => `${finding.ruleId} line ${finding.line}: ${finding.message}`),
        [],
      );
      assert.deepEqual(grade.requirements.filter((requirement) => !requirement.holds), []);
      assert.equal(grade.passed, true);
      assert.deepEqual(analyze(solution).syntaxErrors, []);
    });

    // Unless deleting is the fix (the reference solution only takes lines away, like a
    // `@csrf_exempt`), deleting what the rules flag must not pass.
    const fixIsDeletion = lesson.solution.every((line) => lesson.start.includes(line));
    test('deleting the flagged lines fails on a requirement', { skip: fixIsDeletion && 'the fix is a deletion' }, () => {
      const start = code(lesson.start);
      const flagged = new Set(
        checkLesson(start, lesson).findings.flatMap((finding) =>
          Array.from({ length: finding.endLine - finding.line + 1 }, (_, i) => finding.line + i),
        ),
      );
      // The flagged statements go; a `pass` keeps each block that held them non-empty.
      const kept = lesson.start.map((line, index) =>
        flagged.has(index + 1) ? `${line.match(/^\s*/)[0]}pass` : line,
      );
      const grade = checkLesson(code(kept), lesson);
      assert.equal(grade.passed, false, 'deleting the flagged code must not pass');
    });
  });
}

test('checkLesson rejects a lesson it cannot grade', () => {
  assert.throws(() => checkLesson('x = 1\n', { targets: ['PV999'], requirements: [] }), /PV999/);
  assert.throws(
    () => checkLesson('x = 1\n', { targets: ['PV201'], requirements: [{ says: 'something long', calls: [] }] }),
    /invalid lesson: unknown field `calls`/,
  );
});
