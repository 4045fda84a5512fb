import { describe, expect, test } from 'vitest';
import {
  CT2_23, CT2_24, fitUploadPath, fullGrid, loadUploadNetworkModel, modelBytes, packageFile, runModelUpload, uploadSeconds,
  DEFAULT_UPLOAD_MODEL_FILE, modelUploadBodySchema,
} from '../../src/experiment/studies/model-upload.js';
import { getKind } from '../../src/scenario/registry.js';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/experiment/run.js';

const model = loadUploadNetworkModel(packageFile(DEFAULT_UPLOAD_MODEL_FILE));

describe('model-upload network model', () => {
  test('the recorded Kubernetes capacity and window are the fit to CT2-23 / CT2-24', () => {
    const k = model.paths.kubernetes;
    const fit = fitUploadPath(k);
    expect(Math.abs(fit.capacity / k.capacity - 1)).toBeLessThan(1e-6);
    expect(Math.abs(fit.window / k.window - 1)).toBeLessThan(1e-6);
    // and the closed form with the recorded numbers hits both targets
    expect(uploadSeconds(k, modelBytes(241), 0)).toBeCloseTo(CT2_23.seconds, 5);
    expect(uploadSeconds(k, modelBytes(241), 400)).toBeCloseTo(CT2_24.seconds, 5);
    expect(model.fit.capacity.relativeError).toBeCloseTo(uploadSeconds(k, modelBytes(241), 0) / 3.8 - 1, 5);
  });

  test('400 ms is window-bound, 0 ms capacity-bound (study 2 "Upload model" note)', () => {
    const k = model.paths.kubernetes;
    const rtt400 = (k.baseRtt + 400_000) / 1e6;
    expect(k.window / rtt400).toBeLessThan(k.capacity);
    expect(k.window / (k.baseRtt / 1e6)).toBeGreaterThan(k.capacity);
  });

  test('hand-computed closed form: 49 MiB at 0 ms on the Kubernetes path', () => {
    const k = model.paths.kubernetes;
    const rtt = 0.0006;
    // slow start: IW 14480 B/0.6 ms = 24.1 MB/s < C; round 2: 48.3 MB/s < C; then 96.5 MB/s > C
    const ss = 2 * rtt;
    const ssBytes = 14480 + 28960;
    const expected = 3 * rtt + ss + (modelBytes(49) - ssBytes) / k.capacity + 0.005;
    expect(uploadSeconds(k, modelBytes(49), 0)).toBeCloseTo(expected, 9);
  });
});

describe('runModelUpload: full grid (2 setups x 4 sizes x 4 delays x 10 runs)', () => {
  const result = runModelUpload(fullGrid(model), 1);

  test('every target check passes within its tolerance', () => {
    const byId = (p: string) => result.checks.filter((c) => c.name.startsWith(p));
    expect(byId('CT2-23')).toHaveLength(1);
    expect(byId('CT2-24')).toHaveLength(1);
    expect(byId('CT2-25')).toHaveLength(8);
    expect(byId('CT2-26')).toHaveLength(2);
    expect(byId('CT2-27')).toHaveLength(1);
    for (const c of result.checks) {
      expect(c.pass, `${c.name}: simulated ${c.simulated}, reported ${c.reported}`).toBe(true);
    }
    const ct23 = byId('CT2-23')[0];
    expect(Math.abs(ct23.simulated / 3.8 - 1)).toBeLessThanOrEqual(0.15);
    const ct24 = byId('CT2-24')[0];
    expect(Math.abs(ct24.simulated / 25.7 - 1)).toBeLessThanOrEqual(0.2);
  });

  test('reports mean and sd for all 32 cells, differences and orderings', () => {
    expect(result.cells).toHaveLength(32);
    expect(result.expected).toBe(320);
    expect(result.completed).toBe(320);
    for (const c of result.cells) {
      expect(c.completed).toBe(10);
      expect(c.sdS).toBeGreaterThan(0); // jitter is on
      expect(Math.abs(c.meanS / c.closedFormS - 1)).toBeLessThan(0.05);
    }
    expect(result.differences).toHaveLength(16);
    expect(result.sizeOrderings).toHaveLength(8);
    expect(result.delayOrderings).toHaveLength(8);
  });

  test('the event-driven run equals the closed form when jitter is off', () => {
    const r = runModelUpload({ ...fullGrid({ ...model, jitterCv: 0 }), runs: 1 }, 7);
    for (const c of r.cells) expect(Math.abs(c.meanS - c.closedFormS)).toBeLessThan(2e-5);
  });

  test('the checks hold for other seeds too (not tuned to seed 1)', () => {
    for (let seed = 2; seed <= 6; seed++) {
      for (const c of runModelUpload(fullGrid(model), seed).checks) expect(c.pass, `seed ${seed}: ${c.name} = ${c.simulated}`).toBe(true);
    }
  });

  test('same seed, same numbers; another seed, other numbers', () => {
    const small = { ...fullGrid(model), runs: 2, sizesMiB: [49], delaysMs: [0, 400] };
    const a = runModelUpload(small, 3);
    const b = runModelUpload(small, 3);
    const c = runModelUpload(small, 4);
    expect(a.records.map((r) => r.duration)).toEqual(b.records.map((r) => r.duration));
    expect(a.records.map((r) => r.duration)).not.toEqual(c.records.map((r) => r.duration));
  });

  test('a resolver timeout below the RTT makes CT2-27 fail (the check can fail)', () => {
    const r = runModelUpload({ ...fullGrid({ ...model, resolverTimeout: 300_000 }), runs: 1 }, 1);
    const ct27 = r.checks.find((c) => c.name.startsWith('CT2-27'));
    expect(ct27?.pass).toBe(false);
    expect(r.failures).toBe(4); // kubernetes at 400 ms, 4 sizes
  });
});

describe('scenario kind model-upload', () => {
  test('is registered with a body schema that reads units', () => {
    expect(getKind('model-upload')).toBeDefined();
    const b = modelUploadBodySchema.parse({ sizes: ['49MiB'], delays: ['400ms', '0.05s'], runs: 2 });
    expect(b.sizes).toEqual([49]);
    expect(b.delays).toEqual([400, 50]);
    expect(modelUploadBodySchema.safeParse({ sizes: [49], delays: ['0ms'], runs: 1 }).success).toBe(false);
  });
});

describe('experiments/model-upload.yaml through the scenario loader and runner', () => {
  test('validates, runs the full grid and every check passes', () => {
    const sc = loadScenario('experiments/model-upload.yaml');
    expect(sc.kind.kind).toBe('model-upload');
    const r = runScenario(sc);
    expect(r.checks.length).toBe(13);
    for (const c of r.checks) expect(c.pass, c.name).toBe(true);
    expect(r.metrics.completed).toBe(320);
  });

  test('a bad size names the path and what was expected', () => {
    expect(() => loadScenario('experiments/model-upload.yaml', { set: ['sizes[0]=49'] })).toThrow(/sizes\[0\].*49MiB/s);
  });
});
