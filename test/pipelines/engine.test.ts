import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/core/simulation.js';
import { SECOND } from '../../src/core/time.js';
import { loadColdStartModel } from '../../src/cluster/cold-start.js';
import { loadNodeProfile } from '../../src/cluster/node-profile.js';
import { loadNotebookModel, type NotebookJobSpec, type NotebookModel } from '../../src/platform/pipelines/notebook-model.js';
import { NotebookPipelineSim, type Placement } from '../../src/platform/pipelines/pipeline-sim.js';
import { measureRun } from '../../src/platform/pipelines/overhead.js';
import { JOB_STAGES } from '../../src/platform/pipelines/expected.js';

const base = loadNotebookModel('models/pipelines/iot-notebook.yaml');
const cs = loadColdStartModel('models/cold-start/default.yaml');
const worker = loadNodeProfile('models/nodes/iot-worker.yaml');
const VARS = ['train_dataset', 'test_results', 'dnn_model', 'test_labels'];

/** The notebook model with its jobs replaced by a random DAG of cell jobs under the volume root. */
const arbModel = fc.integer({ min: 1, max: 9 }).chain((n) => fc.tuple(
  fc.array(fc.array(fc.boolean(), { minLength: n, maxLength: n }), { minLength: n, maxLength: n }),
  fc.array(fc.record({ fixed: fc.double({ min: 0, max: 20, noNaN: true }), loads: fc.subarray(VARS), saves: fc.subarray(VARS), panels: fc.integer({ min: 0, max: 2 }) }), { minLength: n, maxLength: n }),
).map(([adj, cells]): NotebookModel => {
  const jobs: NotebookJobSpec[] = [{ kind: 'volume', name: 'kale-marshall-volume', dependsOn: [] }];
  for (let i = 0; i < n; i++) {
    const deps = ['kale-marshall-volume'];
    for (let j = 0; j < i; j++) if (adj[i][j]) deps.push(`c${j}`);
    jobs.push({
      kind: 'cell', name: `c${i}`, dependsOn: deps, loads: cells[i].loads, saves: cells[i].saves,
      cell: { fixed: cells[i].fixed, perMB: 0.1, train: false, inferOnTest: i % 2 === 0, download: i === 0 },
      figures: { panels: cells[i].panels, pointsPerTrainRow: 1, points: 0 },
    });
  }
  return { ...base, jobs };
}));

function run(model: NotebookModel, placement: Placement, seed: number, runs: number): NotebookPipelineSim {
  const sim = new Simulation({ seed });
  const ps = new NotebookPipelineSim(sim, { model, coldStart: cs, worker, workers: 3, dag: 'dataflow', placement, precache: seed % 2 === 0 });
  ps.runSequence([{ config: { datasetMB: 2, width: 8 }, runs }], () => {});
  sim.run();
  return ps;
}

describe('notebook pipeline engine on the Kubernetes runtime (property, random DAGs)', () => {
  test('every job runs exactly once per run, never before its parents completed; Σ stages = lifetime; RWO never on two nodes', () => {
    fc.assert(fc.property(arbModel, fc.constantFrom<Placement>('co-locate', 'spread'), fc.integer({ min: 0, max: 1000 }), (model, placement, seed) => {
      const ps = run(model, placement, seed, 2);
      expect(ps.runs.length).toBe(2);
      for (const r of ps.runs) {
        expect(r.jobs.map((j) => j.job)).toEqual(model.jobs.map((j) => j.name));
        expect(new Set(r.jobs.map((j) => j.pod)).size).toBe(model.jobs.length);
        const by = new Map(r.jobs.map((j) => [j.job, j]));
        for (const spec of model.jobs) {
          const j = by.get(spec.name)!;
          for (const p of spec.dependsOn) expect(j.createdAt).toBeGreaterThanOrEqual(by.get(p)!.completedAt);
          let sum = 0;
          for (const k of JOB_STAGES) sum += j.stages[k];
          expect(sum).toBe(j.completedAt - j.createdAt); // integer µs: exact
          if (spec.kind === 'cell') expect(j.stages.imports / SECOND).toBeGreaterThanOrEqual(3);
        }
        // CT2-16 on the simulator's numbers
        expect(measureRun(r).identityError).toBeLessThan(1e-9);
        // RWO: intervals of volume use [mounted, teardown start) on different nodes never overlap
        const uses = r.jobs.filter((j) => j.kind === 'cell').map((j) => ({ node: j.node, from: j.runningAt + j.stages.volume, to: j.completedAt - j.stages.teardown }));
        for (const a of uses) for (const b of uses) if (a.node !== b.node) expect(a.to <= b.from || b.to <= a.from).toBe(true);
        if (placement === 'co-locate') expect(new Set(uses.map((u) => u.node)).size).toBe(1);
      }
    }), { numRuns: 40 });
  });
  test('co-location: one attach per run, paid by the first cell job', () => {
    const ps = run(base, 'co-locate', 3, 3);
    for (const r of ps.runs) {
      expect(r.attaches).toBe(1);
      const attached = r.jobs.filter((j) => j.volumeAttach > 0).map((j) => j.job);
      expect(attached).toEqual(['preprocessing']);
      expect(r.jobs[1].volumeAttach).toBe(Math.round(base.overheads.volumeAttach * SECOND));
    }
  });
});
