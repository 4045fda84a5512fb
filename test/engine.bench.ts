/**
 * Kernel throughput: an M/M/c queue (c = 4, 1,000,000 customers), written with callbacks
 * and with generator processes. Prints customers/s, events/s and simulated s per wall s.
 * Targets on a 2-core machine: >= 4,000,000 customers/s (callbacks), >= 1,300,000 (generators).
 */
import { bench, describe, afterAll } from 'vitest';
import { mmcCallbacks, mmcProcesses, type MmcParams, type MmcResult } from './support/mmc.js';

const params: MmcParams = { servers: 4, arrivalRate: 3.6, serviceRate: 1, customers: 1_000_000, seed: 7 };
const lines: string[] = [];

function report(label: string, fn: (p: MmcParams) => MmcResult): void {
  const t0 = performance.now();
  const r = fn(params);
  const wall = (performance.now() - t0) / 1000;
  lines.push(
    `${label.padEnd(10)} ${(r.served / wall).toFixed(0).padStart(10)} customers/s  ` +
      `${(r.events / wall).toFixed(0).padStart(10)} events/s  ${(r.simulatedS / wall).toExponential(2)} sim-s/wall-s`,
  );
}

describe('M/M/4 queue, 1,000,000 customers', () => {
  bench('callbacks', () => report('callbacks', mmcCallbacks), { iterations: 5, warmupIterations: 1 });
  bench('generators', () => report('generators', mmcProcesses), { iterations: 5, warmupIterations: 1 });
});

afterAll(() => {
  console.log(['', 'engine throughput (per iteration):', ...lines].join('\n'));
});
