/**
 * The DRL operating point (docs/drl.md "Operating point"; CT5-17 rule of calibration-targets.md,
 * study 5 Setup): the scenario files' frames and queue-workers reach the video backend; at the
 * custom engine's default 1 queue-worker, 26 s is infeasible at the suggested 32 frames and feasible
 * at the operating point's frame count, the largest such size. One noise-free run per
 * configuration on the calibrated video model (~1 s per 256-configuration sweep).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SECOND } from '../../src/core/time.js';
import { loadScenario } from '../../src/scenario/load.js';
import { backendFactory, profileOf, type DrlWorkflowBody } from '../../src/experiment/studies/drl-workflow.js';
import { STUDY_DEFAULT_FRAMES, STUDY_DEFAULT_QUEUE_WORKERS } from '../../src/experiment/studies/drl-experiment.js';
import { exhaustiveSweep, measureConfigurations } from '../../src/rl/envs/oracle.js';
import { configurationOf } from '../../src/rl/envs/topology.js';

const body = loadScenario('experiments/drl/training.yaml').body as unknown as DrlWorkflowBody;

function sweep(b: DrlWorkflowBody): number[] {
  return [...exhaustiveSweep({ ...profileOf(b), runs: 1 }, {}, 26 * SECOND, b.reward)].map((e) => e.latency / SECOND);
}

describe('DRL operating point', () => {
  it('the three environment files share one explicit operating point: the study default queue-workers, a study frame size', () => {
    for (const f of ['experiments/drl/training.yaml', 'experiments/drl/evaluation.yaml', 'experiments/drl/training-long.yaml']) {
      const b = loadScenario(f).body as unknown as DrlWorkflowBody;
      expect([b.frames, b.queueWorkers], f).toEqual([body.frames, body.queueWorkers]);
    }
    expect([7, 16, 32, 65]).toContain(body.frames);
    expect(body.queueWorkers).toBe(STUDY_DEFAULT_QUEUE_WORKERS);
  });

  it('CT5-17 rule: 26 s is infeasible at the study default and feasible (by some, not all configurations) at the operating point; not at the next larger size', () => {
    const study = sweep({ ...body, frames: STUDY_DEFAULT_FRAMES, queueWorkers: STUDY_DEFAULT_QUEUE_WORKERS });
    expect(Math.min(...study)).toBeGreaterThan(26);
    const op = sweep(body);
    expect(Math.min(...op)).toBeLessThanOrEqual(26);
    expect(Math.max(...op)).toBeGreaterThan(26);
    expect(op.filter((x) => x <= 35).length).toBeGreaterThan(op.filter((x) => x <= 26).length);
    const larger = [7, 16, 32, 65].find((f) => f > body.frames);
    if (larger !== undefined) expect(Math.min(...sweep({ ...body, frames: larger }))).toBeGreaterThan(26);
  });

  it('queue-workers reach the backend: the same configuration runs faster with 16 queue-workers than with the operating point\'s 1', () => {
    const p = profileOf(body);
    const cfgs = [configurationOf(p.topology, [0, 0, 0], 1), configurationOf(p.topology, [1, 1, 2], 2)];
    const lat = (qw: number): Float64Array => measureConfigurations({ ...p, factory: backendFactory({ model: 'video', queueWorkers: qw }), runs: 1 }, {}, cfgs);
    const one = lat(body.queueWorkers);
    const many = lat(16);
    for (let k = 0; k < cfgs.length; k++) expect((one[k] - many[k]) / SECOND).toBeGreaterThan(2);
  });

  it('queueWorkers other than 1 are rejected with the analytic stand-in, naming the field', () => {
    const text = 'name: x\nseed: 1\nduration: 1s\nkind: drl-workflow\nmodel: analytic\nqueueWorkers: 4\nschedule: { name: s, phases: [ { steps: 1, target: 35s } ] }\n';
    const f = join(mkdtempSync(join(tmpdir(), 'drl-op-')), 'analytic.yaml');
    writeFileSync(f, text);
    expect(() => loadScenario(f)).toThrow(/queueWorkers/);
  });
});
