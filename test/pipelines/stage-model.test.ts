import { describe, expect, test } from 'vitest';
import {
  cellCpuSeconds, datasetSplit, denseTrainableParams, inferSampleSeconds, marshalFixedSeconds, renderSeconds, trainStepSeconds, variableBytes,
  type ComputeModel, type MarshalCosts,
} from '../../src/platform/pipelines/stage-model.js';
import { RwoVolume } from '../../src/platform/pipelines/rwo-volume.js';
import { Simulation } from '../../src/core/simulation.js';

const ds = { baseBytes: 650e3, baseRows: 28700, trainFraction: 0.8, validationSplit: 0.2 };
const compute: ComputeModel = { epochs: 20, batchSize: 32, trainStepFixed: 0.001, inferSampleFixed: 2e-5, trainFlopsPerParam: 6, inferFlopsPerParam: 2, flopRate: 2e9 };

describe('stage formulas (hand-computed)', () => {
  test('dense stack 3 → w → w → w → 1 (CT2-17 derivation: 185 / 625 / 2273 / 8641)', () => {
    expect([8, 16, 32, 64].map((w) => denseTrainableParams(3, [w, w, w], 1))).toEqual([185, 625, 2273, 8641]);
    expect(() => denseTrainableParams(3, [0], 1)).toThrow(/layer 1: expected an integer width ≥ 1, found 0/);
  });
  test('rows ∝ bytes and the Keras split (2 MB: 88 308 rows, 70 646 train, 56 516 fit)', () => {
    // 2e6 / 650e3 × 28 700 = 88 307.7 → 88 308; 0.8 → 70 646.4 → 70 646; int(70 646 × 0.8) = 56 516
    expect(datasetSplit(2e6, ds)).toEqual({ rows: 88308, train: 70646, test: 17662, fit: 56516, validation: 14130 });
    // derived in the spec: ≈0.09 / 0.44 / 0.88 / 1.77 M rows
    expect([2, 10, 20, 40].map((mb) => Math.round(datasetSplit(mb * 1e6, ds).rows / 1e4) / 100)).toEqual([0.09, 0.44, 0.88, 1.77]);
  });
  test('cell CPU work: fixed + perMB + epochs × (steps × step + validation × sample) + test × sample', () => {
    const split = datasetSplit(2e6, ds);
    const step = 0.001 + (6 * 185 * 32) / 2e9; // 0.00101776
    const sample = 2e-5 + (2 * 185) / 2e9; // 2.0185e-5
    expect(trainStepSeconds(185, compute)).toBeCloseTo(step, 15);
    expect(inferSampleSeconds(185, compute)).toBeCloseTo(sample, 15);
    const fit = cellCpuSeconds({ fixed: 1, perMB: 0, train: true, inferOnTest: false, download: false }, 2, split, 185, compute);
    expect(fit).toBeCloseTo(1 + 20 * (Math.ceil(56516 / 32) * step + 14130 * sample), 9);
    const ev = cellCpuSeconds({ fixed: 0.5, perMB: 2, train: false, inferOnTest: true, download: false }, 2, split, 185, compute);
    expect(ev).toBeCloseTo(0.5 + 4 + 17662 * sample, 9);
  });
  test('marshalled bytes, fixed marshal cost and rendering', () => {
    const split = datasetSplit(2e6, ds);
    const m: MarshalCosts = { perVariable: 0.1, kerasSave: 3, kerasLoad: 2, volumeThroughput: 1e8, kerasBytesPerParam: 12 };
    expect(variableBytes({ kind: 'table', rowsOf: 'train', bytesPerRow: 40 }, split, 185, m)).toBe(70646 * 40);
    expect(variableBytes({ kind: 'table', rowsOf: 'test', bytesPerRow: 16 }, split, 185, m)).toBe(17662 * 16);
    expect(variableBytes({ kind: 'keras-model', bytes: 1000 }, split, 185, m)).toBe(185 * 12 + 1000);
    expect(marshalFixedSeconds({ kind: 'keras-model' }, 'save', m)).toBeCloseTo(3.1, 12);
    expect(marshalFixedSeconds({ kind: 'keras-model' }, 'load', m)).toBeCloseTo(2.1, 12);
    expect(marshalFixedSeconds({ kind: 'object' }, 'load', m)).toBeCloseTo(0.1, 12);
    expect(renderSeconds({ panels: 16, pointsPerTrainRow: 12, points: 0 }, split, { perPanel: 0.1, perPoint: 5e-6 })).toBeCloseTo(1.6 + 12 * 70646 * 5e-6, 9);
  });
});

describe('RwoVolume (ReadWriteOnce semantics, hand-computed timeline)', () => {
  const costs = { attach: 5_000_000, detach: 2_000_000, mount: 1_000_000 };
  test('bound first; attach once per node; a second node waits for the users to leave, then detach + attach', () => {
    const sim = new Simulation({ seed: 1 });
    const v = new RwoVolume(sim, 'pvc', costs);
    const log: string[] = [];
    v.acquire('a', (g) => log.push(`a1 t=${sim.now} wait=${g.wait} attach=${g.attach}`)); // before bound: waits
    v.provision(3_000_000, () => log.push(`bound t=${sim.now}`));
    sim.schedule(4_000_000, () => v.acquire('a', (g) => log.push(`a2 t=${sim.now} wait=${g.wait} attach=${g.attach}`)), undefined);
    sim.schedule(10_000_000, () => v.acquire('b', (g) => log.push(`b1 t=${sim.now} wait=${g.wait} attach=${g.attach}`)), undefined);
    sim.schedule(12_000_000, () => { v.release('a'); v.release('a'); }, undefined);
    sim.run();
    expect(log).toEqual([
      'bound t=3000000',
      // a1: attach 3→8 s, mount → 9 s; a2 arrives at 4 s while attaching: waits, mounts after attach
      'a1 t=9000000 wait=3000000 attach=5000000',
      'a2 t=9000000 wait=4000000 attach=0',
      // b1 waits for both users on a (released at 12 s), then detach 2 + attach 5 + mount 1
      'b1 t=20000000 wait=2000000 attach=7000000',
    ]);
    expect(v.attachedTo).toBe('b');
    expect(v.attaches).toBe(2);
    expect(() => v.release('a')).toThrow(/expected a user on node "b", found a release from "a"/);
  });
});
