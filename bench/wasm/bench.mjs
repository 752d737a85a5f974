// pyvet's WebAssembly `analyze` against Ruff's wasm package with only its `S` (bandit)
// rules, on a 200-line and a 2,000-line module, in the same Node process (same V8 flags).
//
//   npm ci && node bench.mjs [--iterations N]     (build pkg/ first: scripts/build-wasm.sh)
//
// N timed calls per engine on the small module (default 200), N / 4 on the large one, after
// a warm-up. Calls alternate between the engines so that both see the same machine load.
//
// The 200-line module is app.py. The 2,000-line one is app.py's imports once, then copies
// of the rest with every module-level name renamed (`find_items` -> `find_items_3`), until
// it reaches 2,000 lines: one realistic module, no name bound twice.

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

/** app.py's import block, then renamed copies of its body up to `lines` lines. */
function grow(source, lines) {
  const all = source.split('\n');
  const bodyStart = all.findIndex(
    (line, index) => index > 0 && /^[A-Za-z_@]/.test(line) && !/^(import|from) /.test(line),
  );
  const header = all.slice(0, bodyStart).join('\n');
  const body = all.slice(bodyStart).join('\n');
  const names = [...body.matchAll(/^(?:def |class )?(\w+)\s*(?=[(:=])/gm)]
    .map((match) => match[1])
    .filter((name) => !['if', 'def', 'class'].includes(name));
  const pattern = new RegExp(`(?<![.\\w])(${[...new Set(names)].join('|')})\\b`, 'g');
  let module = header;
  for (let copy = 0; module.split('\n').length < lines; copy++) {
    module += `\n${body.replace(pattern, (name) => `${name}_${copy}`)}`;
  }
  return module;
}

const snippets = [app, grow(app, 2000)].map((source) => ({
  name: `${source.trimEnd().split('\n').length} lines`,
  source,
}));

/** Wall-clock median and p90 per call, and the median CPU time (steadier on a busy machine). */
function summarize({ wall, cpu }) {
  const quantile = (values, q) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  };
  return { median: quantile(wall, 0.5), p90: quantile(wall, 0.9), cpu: quantile(cpu, 0.5) };
}

/** Warms every engine up, then times them in turn, call by call, so both see the same load. */
function measure(engines, source, count) {
  for (const engine of engines) {
    for (let i = 0; i < Math.max(20, count / 5); i++) engine.run(source);
  }
  const samples = engines.map(() => ({ wall: [], cpu: [] }));
  for (let i = 0; i < count; i++) {
    engines.forEach((engine, index) => {
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      engine.run(source);
      samples[index].wall.push(performance.now() - start);
      const { user, system } = process.cpuUsage(cpuStart);
      samples[index].cpu.push((user + system) / 1000);
    });
  }
  return samples.map(summarize);
}

const engines = [
  { name: `pyvet ${version()}`, run: (source) => analyze(source).findings.length },
  { name: `ruff ${ruff.Workspace.version()} (S)`, run: (source) => workspace.check(source).length },
];

console.log(`node ${process.version}, ${iterations} iterations after warm-up; ms per call`);
console.log('snippet      engine               findings   median      p90  cpu median');
for (const [index, snippet] of snippets.entries()) {
  const timings = measure(engines, snippet.source, index === 0 ? iterations : iterations / 4);
  const results = engines.map((engine, index) => ({
    engine,
    findings: engine.run(snippet.source),
    ...timings[index],
  }));
  for (const { engine, findings, median, p90, cpu } of results) {
    console.log(
      `${snippet.name.padEnd(12)} ${engine.name.padEnd(20)} ${String(findings).padStart(8)}` +
        ` ${median.toFixed(3).padStart(8)} ${p90.toFixed(3).padStart(8)} ${cpu.toFixed(3).padStart(11)}`,
    );
  }
  const [pyvet, ruffResult] = results;
  console.log(
    `${''.padEnd(12)} ruff / pyvet: median ${(ruffResult.median / pyvet.median).toFixed(2)}x,` +
      ` p90 ${(ruffResult.p90 / pyvet.p90).toFixed(2)}x,` +
      ` cpu ${(ruffResult.cpu / pyvet.cpu).toFixed(2)}x`,
  );
}
