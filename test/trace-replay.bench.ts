/**
 * Trace replay throughput: a synthetic Azure-2019-format day of 10,000,000 invocations
 * (1,000 functions, heavy-tailed popularity, diurnal cycle, bursts), generated into a temp
 * directory, read back and replayed on the kernel into a trivial sink (durations sampled
 * from each function's percentile table). Prints invocations/s, events/s, wall time and
 * peak RSS. Targets (issue 5): under 60 s wall, under 1 GiB memory.
 */
import { bench, describe, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Simulation } from '../src/core/simulation.js';
import { synthesizeTrace } from '../src/workload/traces/synth.js';
import { readAzure2019 } from '../src/workload/traces/azure2019.js';
import { Azure2019Arrivals } from '../src/workload/traces/azure2019-arrivals.js';

const INVOCATIONS = 10_000_000;
const lines: string[] = [];

function run(): void {
  const dir = mkdtempSync(join(tmpdir(), 'servesim-bench-'));
  try {
    const t0 = performance.now();
    synthesizeTrace({ seed: 1, functions: 1000, invocations: INVOCATIONS, formats: ['azure2019'] }, dir);
    const t1 = performance.now();
    const trace = readAzure2019(dir);
    const t2 = performance.now();
    const sim = new Simulation({ seed: 1 });
    const src = new Azure2019Arrivals(trace);
    let n = 0;
    let serviceSum = 0;
    src.start(sim, (_fn, service) => {
      n++;
      serviceSum += service;
    });
    sim.run();
    const t3 = performance.now();
    if (n !== INVOCATIONS) throw new Error(`replayed ${n} invocations, expected ${INVOCATIONS}`);
    const replayS = (t3 - t2) / 1000;
    const wallS = (t3 - t1) / 1000;
    lines.push(
      `synthesize ${((t1 - t0) / 1000).toFixed(2)} s | read ${((t2 - t1) / 1000).toFixed(2)} s | replay ${replayS.toFixed(2)} s | ` +
        `read+replay wall ${wallS.toFixed(2)} s | ${(n / replayS).toFixed(0)} invocations/s | ${(sim.eventsProcessed / replayS).toFixed(0)} events/s | ` +
        `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB | mean service ${(serviceSum / n / 1000).toFixed(1)} ms | ` +
        `simulated ${(sim.now / 3.6e9).toFixed(2)} h`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('Azure 2019 trace replay, 10,000,000 invocations over 24 h', () => {
  bench('generate + read + replay', run, { iterations: 1, time: 0, warmupIterations: 0, warmupTime: 0 });
});

afterAll(() => {
  console.log(['', 'trace replay:', ...lines].join('\n'));
});
