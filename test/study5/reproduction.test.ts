/**
 * Study 5 workflow experiments at reduced scale (2 runs per cell, fewer arms): every check of the
 * four experiments is computed; each must pass except the known misses listed below, which are
 * reported with their simulated values (docs/workflows.md, "Fit and known misses").
 */
import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/scenario/registry.js';
import { granularityBodySchema, runGranularity } from '../../src/experiment/studies/workflow-granularity.js';
import { interferenceBodySchema, runInterference } from '../../src/experiment/studies/workflow-interference.js';
import { heterogeneityBodySchema, runHeterogeneity } from '../../src/experiment/studies/workflow-heterogeneity.js';
import { queueWorkersBodySchema, runQueueWorkers } from '../../src/experiment/studies/workflow-queue-workers.js';

/** Checks the calibrated model does not meet (prefix match on the check name). */
const KNOWN_MISSES: readonly string[] = [
  'CT5-12 argmax cell', // max speed-up 0.63 (in band) but at davinci-liono-coroni 65
  'CT5-13 argmin cell', // min 0.18 (in band) at liono 7, not davinci-liono-coroni 7
];

function expectChecks(checks: Check[]): void {
  if (process.env.PRINT_CHECKS === "1") for (const c of checks) console.log(`CHECK ${c.pass ? "PASS" : "MISS"} ${c.name} sim=${c.simulated} rep=${c.reported}`);
  expect(checks.length).toBeGreaterThan(0);
  for (const c of checks) {
    expect(Number.isFinite(c.simulated), c.name).toBe(true);
    if (KNOWN_MISSES.some((k) => c.name.startsWith(k))) continue;
    expect(c.pass, `${c.name}: simulated ${c.simulated}, reported ${c.reported}`).toBe(true);
  }
}

describe('study 5 workflow experiments (reduced scale)', () => {
  it('granularity: CT5-1, CT5-3, CT5-4, CT5-19', () => {
    const b = granularityBodySchema.parse({ runs: 2, sizes: [7, 65], faasFlow: { versions: ['V1', 'V4'] }, custom: { versions: ['V1', 'V4'], reportedOnly: [] } });
    const r = runGranularity(b, 1);
    expectChecks(r.checks);
    expect(r.checks.map((c) => c.name.slice(0, 6))).toEqual(expect.arrayContaining(['CT5-1 ', 'CT5-3 ', 'CT5-4 ', 'CT5-19']));
  });

  it('interference: CT5-2, CT5-8, CT5-9, CT5-10', () => {
    const b = interferenceBodySchema.parse({
      runs: 2, sizes: [65],
      faasFlow: { configurations: ['Singlenode', 'Version4'], sizes: [16], kinds: ['cpu', 'l3'], nodes: ['w01'] },
      perFunction: { levels: [0, 0.8] }, stressorMatrix: { nodes: ['w03'], kinds: ['l3'], frames: 7 },
    });
    const r = runInterference(b, 1);
    expectChecks(r.checks);
    expect(r.checks.filter((c) => c.name.startsWith('CT5-8 slowdown')).length).toBe(4);
    expect(r.checks.filter((c) => c.name.startsWith('CT5-9')).length).toBe(6);
  });

  it('heterogeneity: CT5-5, CT5-6, CT5-7, CT5-11', () => {
    const b = heterogeneityBodySchema.parse({ runs: 2, faasFlow: { configurations: ['Singlenode'], sizes: [16] } });
    const r = runHeterogeneity(b, 1);
    expectChecks(r.checks);
    expect(r.checks.filter((c) => c.name.startsWith('CT5-6 V1→V4')).length).toBe(4);
  });

  it('queue-workers: CT5-12…CT5-16', () => {
    const b = queueWorkersBodySchema.parse({ runs: 2, sizes: [7, 65], queueWorkers: [1, 16], pressureArm: null, faasFlowControl: null, qos: null });
    const r = runQueueWorkers(b, 1);
    expectChecks(r.checks);
    expect(r.checks.some((c) => c.name.startsWith('CT5-12'))).toBe(true);
  });
});
