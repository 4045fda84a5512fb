/**
 * Sweep speed-up: the quickstart swept over 4 arrival rates × 4 seeds (16 points of 10
 * simulated minutes, each writing its requests.csv) with --jobs 1 (in-process, what the CLI
 * does for --jobs 1), with one worker thread, and with --jobs 2 (two worker threads).
 * Prints wall times and the speed-ups; the target is >= 1.8 on 2 cores (issue 8). To tell a
 * busy machine from a slow pool it also prints the ceiling at that moment: the speed-up of
 * the same pool on a pure CPU busy loop (8 tasks, 1 vs 2 workers).
 * The worker threads load code transpiled from src/ (test/sweep/worker-build.ts).
 *
 *   npx vitest bench --run test/sweep.bench.ts
 *
 * The same measurement from the command line (after npm run build):
 *   node bin/servesim.js sweep FILE --jobs 1 --out /tmp/j1 --quiet
 *   node bin/servesim.js sweep FILE --jobs 2 --out /tmp/j2 --quiet
 */
import { afterAll, bench, describe } from 'vitest';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { runOnPool } from '../src/experiment/sweep/pool.js';
import { runSweep, type SweepOptions } from '../src/experiment/sweep/runner.js';
import { tempDir } from './scenario/helpers.js';
import { quickstartSweepYaml, writeScenario } from './sweep/helpers.js';
import { buildWorker } from './sweep/worker-build.js';

const file = writeScenario(quickstartSweepYaml('sweep:\n  axes:\n    "functions[0].arrivals.rate": [20, 30, 40, 50]\n  seeds: 4\n'), 'quickstart-sweep.yaml');
const worker = await buildWorker();
const lines: string[] = [];
const walls = new Map<string, number[]>();
const aggregates = new Set<string>();

async function measure(label: string, opts: Partial<SweepOptions>): Promise<void> {
  const out = join(tempDir(), label.replace(/\W+/g, '-'));
  const load = loadavg()[0];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await runSweep({ file, out, workerUrl: worker.workerUrl, ...opts });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cores = (cpu.user + cpu.system) / 1e6 / wall;
  if (r.failures.length > 0 || !r.complete) throw new Error(`${label}: ${r.failures.length} points failed`);
  walls.set(label, [...(walls.get(label) ?? []), wall]);
  aggregates.add(readFileSync(join(out, 'aggregate.csv'), 'utf8'));
  lines.push(`${label.padEnd(22)} ${r.points.length} points in ${wall.toFixed(2)} s wall (${(r.points.length / wall).toFixed(2)} points/s; ${cores.toFixed(2)} cores busy in this process; 1-min load average before: ${load.toFixed(2)})`);
}

const J1 = 'jobs 1 (in-process)';
const W1 = 'jobs 1 (one worker)';
const J2 = 'jobs 2 (two workers)';
let done = false;

const spinWorker = join(tempDir(), 'spin-worker.mjs');
writeFileSync(
  spinWorker,
  "import { parentPort } from 'node:worker_threads';\n" +
    "parentPort.on('message', (m) => { let x = 0; for (let i = 0; i < 2e8; i++) x += i % 7; parentPort.postMessage({ id: m.id, ok: true, result: x }); });\n",
);

async function spin(jobs: number): Promise<number> {
  const t0 = performance.now();
  await runOnPool([1, 2, 3, 4, 5, 6, 7, 8], { jobs, workerUrl: pathToFileURL(spinWorker), onResult() {} });
  return (performance.now() - t0) / 1000;
}

/** Alternate the configurations twice (less bias from a changing machine load); keep each one's best. */
async function measureAll(): Promise<void> {
  if (done) return;
  done = true;
  for (let rep = 0; rep < 2; rep++) {
    await measure(J1, { jobs: 1 });
    await measure(J2, { jobs: 2 });
    await measure(W1, { jobs: 1, executor: 'threads' });
    const s1 = await spin(1);
    const s2 = await spin(2);
    lines.push(`ceiling now: CPU busy loop on the same pool, 1 worker ${s1.toFixed(2)} s, 2 workers ${s2.toFixed(2)} s: ${(s1 / s2).toFixed(2)}x`);
  }
}

describe('quickstart sweep, 16 points', () => {
  bench('--jobs 1 and --jobs 2 (two repetitions each; see the printed summary)', measureAll, { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 });
});

afterAll(() => {
  worker.cleanup();
  const best = (k: string): number => Math.min(...(walls.get(k) ?? [NaN]));
  lines.push(
    `best of 2: --jobs 1 in-process ${best(J1).toFixed(2)} s, one worker ${best(W1).toFixed(2)} s, --jobs 2 ${best(J2).toFixed(2)} s; ` +
      `speed-up --jobs 2 vs --jobs 1: ${(best(J1) / best(J2)).toFixed(2)} (vs one worker ${(best(W1) / best(J2)).toFixed(2)}; target >= 1.8)`,
  );
  lines.push(`aggregate.csv identical across all runs: ${aggregates.size === 1}`);
  console.log(['', 'sweep speed-up:', ...lines].join('\n'));
});
