// pyvet's WebAssembly `analyze` against Ruff's wasm package with only its `S` (bandit)
// rules, on a 200-line and a 2,000-line module, in the same Node process (same V8 flags).
//
//   npm ci && node bench.mjs [--iterations N]     (build pkg/ first: scripts/build-wasm.sh)
//
// The 200-line module is app.py; the 2,000-line one is ten copies of it whose top-level
// functions and classes are renamed, so nothing is identical.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { analyze, initSync, version } from '../../pkg/pyvet.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ruff = createRequire(import.meta.url)('@astral-sh/ruff-wasm-nodejs');

initSync({ module: fs.readFileSync(path.join(here, '../../pkg/pyvet_bg.wasm')) });
const workspace = new ruff.Workspace({ lint: { select: ['S'] } }, ruff.PositionEncoding.Utf16);

const argIndex = process.argv.indexOf('--iterations');
const iterations = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 200;

const app = fs.readFileSync(path.join(here, 'app.py'), 'utf8');

/** Ten renamed copies of app.py: every top-level def/class gets a `_<copy>` suffix. */
function tenCopies(source) {
  const names = [...source.matchAll(/^(?:def|class) (\w+)/gm)].map((match) => match[1]);
  const pattern = new RegExp(`\\b(${names.join('|')})\\b`, 'g');
  return Array.from({ length: 10 }, (_, copy) =>
    source.replace(pattern, (name) => `${name}_${copy}`),
  ).join('\n');
}

const snippets = [
  { name: '200 lines', source: app },
  { name: '2,000 lines', source: tenCopies(app) },
];

/** Wall-clock median and p90 per call, and the median CPU time (steadier on a busy machine). */
function measure(run, source, count) {
  for (let i = 0; i < Math.max(20, count / 5); i++) run(source); // warm-up
  const wall = [];
  const cpu = [];
  for (let i = 0; i < count; i++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    run(source);
    wall.push(performance.now() - start);
    const { user, system } = process.cpuUsage(cpuStart);
    cpu.push((user + system) / 1000);
  }
  const quantile = (values, q) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  };
  return { median: quantile(wall, 0.5), p90: quantile(wall, 0.9), cpu: quantile(cpu, 0.5) };
}

const engines = [
  { name: `pyvet ${version()}`, run: (source) => analyze(source).findings.length },
  { name: `ruff ${ruff.Workspace.version()} (S)`, run: (source) => workspace.check(source).length },
];

console.log(`node ${process.version}, ${iterations} iterations after warm-up; ms per call`);
console.log('snippet      engine               findings   median      p90  cpu median');
for (const snippet of snippets) {
  const lines = snippet.source.split('\n').length;
  const results = engines.map((engine) => ({
    engine,
    findings: engine.run(snippet.source),
    ...measure(engine.run, snippet.source, lines > 1000 ? iterations / 4 : iterations),
  }));
  for (const { engine, findings, median, p90, cpu } of results) {
    console.log(
      `${snippet.name.padEnd(12)} ${engine.name.padEnd(20)} ${String(findings).padStart(8)}` +
        ` ${median.toFixed(3).padStart(8)} ${p90.toFixed(3).padStart(8)} ${cpu.toFixed(3).padStart(11)}`,
    );
  }
  const [pyvet, ruffResult] = results;
  console.log(
    `${''.padEnd(12)} ruff / pyvet: median ${(ruffResult.median / pyvet.median).toFixed(1)}x,` +
      ` p90 ${(ruffResult.p90 / pyvet.p90).toFixed(1)}x,` +
      ` cpu ${(ruffResult.cpu / pyvet.cpu).toFixed(1)}x`,
  );
}
