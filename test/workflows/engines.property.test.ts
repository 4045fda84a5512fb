/**
 * Both engines (custom async + sync, faas-flow sequential + parallel) complete every item of every
 * stage exactly once on random DAGs and fan-outs, move exactly the bytes the DAG says through the
 * object store, respect the control dependencies, and report the end within one poll period.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/core/simulation.js';
import { validateWorkflow, type WorkflowSpec, type WorkflowStageSpec } from '../../src/platform/workflows/dag.js';
import { CustomEngine } from '../../src/platform/workflows/custom-engine.js';
import { FaasFlowEngine } from '../../src/platform/workflows/faas-flow-engine.js';
import type { WorkflowEngine } from '../../src/platform/workflows/engine.js';
import type { FunctionCost } from '../../src/platform/workflows/function-cost.js';
import { WorkflowRun } from '../../src/platform/workflows/run.js';
import { makeHarness } from './harness.js';

const arbDag = fc.integer({ min: 1, max: 6 }).chain((n) => fc.record({
  stages: fc.tuple(...Array.from({ length: n }, (_, i) => fc.record({
    mode: fc.constantFrom<'once' | 'per-item'>('once', 'per-item'),
    parents: fc.subarray(Array.from({ length: i }, (_, j) => j)),
    readMask: fc.array(fc.boolean(), { minLength: i, maxLength: i }),
    when: fc.constantFrom<null | boolean>(null, true, false),
    perItemBytes: fc.integer({ min: 0, max: 200_000 }),
    bytes: fc.integer({ min: 0, max: 50_000 }),
    work: fc.double({ min: 0, max: 0.05, noNaN: true }),
    threads: fc.integer({ min: 1, max: 4 }),
  }))),
  items: fc.integer({ min: 1, max: 12 }),
  attr: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
  engine: fc.constantFrom('custom', 'custom-sync', 'faas-flow', 'faas-flow-parallel'),
  qw: fc.integer({ min: 1, max: 4 }),
  seed: fc.integer({ min: 1, max: 1000 }),
}));

describe('workflow engines on random DAGs', () => {
  it('complete every item exactly once and conserve data', () => {
    fc.assert(fc.property(arbDag, (g) => {
      const stages: WorkflowStageSpec[] = [];
      const fns: Record<string, FunctionCost> = {};
      g.stages.forEach((s, i) => {
        // ancestors through parents, to pick legal reads
        const anc = new Set<number>();
        const stack = [...s.parents];
        while (stack.length) { const p = stack.pop() as number; if (!anc.has(p)) { anc.add(p); stack.push(...g.stages[p].parents); } }
        const reads = [...anc].filter((p) => s.readMask[p]).map((p) => `s${p}`);
        stages.push({
          name: `s${i}`, fn: `f${i}`, mode: s.mode, after: s.parents.map((p) => `s${p}`), reads,
          when: s.mode === 'per-item' && s.when !== null ? { attr: 'x', equals: s.when } : undefined,
          output: { bytesPerItem: s.perItemBytes, bytes: s.bytes },
        });
        fns[`f${i}`] = { name: `f${i}`, interferenceClass: 'default', phases: [{ name: 'c', perCall: s.work, perItem: s.work / 2, threads: s.threads, speedClass: 'default' }] };
      });
      const spec: WorkflowSpec = { name: 'random', itemAttributes: ['x'], stages };
      const wf = validateWorkflow(spec);
      const sim = new Simulation({ seed: g.seed });
      const h = makeHarness(sim, fns, { queueWorkers: g.qw });
      const engine: WorkflowEngine = g.engine.startsWith('custom')
        ? new CustomEngine(sim, h.host, { cliOverhead: 100_000, pollPeriod: 400_000, asyncPerItem: g.engine === 'custom' })
        : new FaasFlowEngine(sim, h.host, { stepOverhead: 20_000, requestOverhead: 10_000, perItemParallel: g.engine === 'faas-flow-parallel' });
      const attr = Uint8Array.from(g.attr.map((b) => (b ? 1 : 0)));
      let done: WorkflowRun | null = null;
      let calls = 0;
      // start after the pods are Ready
      sim.schedule(20_000_000, () => {
        const run = new WorkflowRun(wf, g.items, [attr], sim.now);
        engine.start(run, (r) => { done = r; calls++; });
      }, undefined);
      sim.run();
      expect(calls).toBe(1);
      const run = done as unknown as WorkflowRun;
      expect(run.failed, run.firstError).toBe(false);
      // exactly once: per stage, the invocations' items are the stage's selection, no duplicates
      let expectRead = 0;
      let expectWritten = 0;
      for (const s of wf.stages) {
        const invs = run.invocations.filter((v) => v.stage === s);
        const covered = invs.flatMap((v) => [...v.items]).sort((a, b) => a - b);
        if (s.mode === 'once') {
          expect(invs.length).toBe(1);
          expect(covered).toEqual(run.selection[s.index]);
        } else expect(covered).toEqual(run.selection[s.index]);
        for (const v of invs) {
          expect(v.ok).toBe(true);
          expect(v.execStart).toBeGreaterThanOrEqual(0);
          expect(v.execEnd).toBeGreaterThanOrEqual(v.execStart);
          // control dependencies: starts after every `after` stage's invocations ended
          for (const p of s.after) for (const pv of run.invocations.filter((x) => x.stage.index === p)) expect(v.execStart).toBeGreaterThanOrEqual(pv.execEnd);
          expectWritten += run.writesOf(v).reduce((a, w) => a + w.bytes, 0);
          expectRead += run.readsOf(v).reduce((a, k) => a + (h.minio.sizeOf(k) as number), 0);
          expect(v.bytesRead).toBe(run.readsOf(v).reduce((a, k) => a + (h.minio.sizeOf(k) as number), 0));
        }
      }
      expect(h.host.traffic.bytesWritten).toBe(expectWritten);
      expect(h.host.traffic.bytesRead).toBe(expectRead);
      expect(h.minio.counters.bytesIn).toBe(expectWritten);
      expect(h.minio.counters.bytesOut).toBe(expectRead);
      expect(h.host.traffic.failures).toBe(0);
      // reported end: custom within one poll period after the true end, faas-flow at its answer
      expect(run.reportedEnd).toBeGreaterThanOrEqual(run.trueEnd);
      if (g.engine.startsWith('custom')) expect(run.reportedEnd - run.trueEnd).toBeLessThan(400_000);
    }), { numRuns: 60 });
  });
});
