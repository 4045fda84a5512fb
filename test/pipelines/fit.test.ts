import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadColdStartModel } from '../../src/cluster/cold-start.js';
import { loadNodeProfile } from '../../src/cluster/node-profile.js';
import { loadNotebookModel, parseNotebookModel } from '../../src/platform/pipelines/notebook-model.js';
import { fitNotebookModel, nelderMead, residuals, smoothMax, studyContext, type FitResidual } from '../../src/platform/pipelines/fit.js';
import { modelParams } from '../../src/platform/pipelines/expected.js';
import { CT2_17, POINT_TARGETS, RANGE_TARGETS } from '../../src/platform/pipelines/notebook-targets.js';

const FILE = 'models/pipelines/iot-notebook.yaml';
const model = loadNotebookModel(FILE);
const cs = loadColdStartModel('models/cold-start/default.yaml');
const worker = loadNodeProfile('models/nodes/iot-worker.yaml');
const upload = model.overheads.artifactBytes / worker.networkBandwidth;

describe('Nelder–Mead', () => {
  test('finds the minimum of a shifted quadratic and of a smooth max', () => {
    const r = nelderMead((x) => (x[0] - 3) ** 2 + 10 * (x[1] + 1) ** 2, [0, 0]);
    expect(r.x[0]).toBeCloseTo(3, 5);
    expect(r.x[1]).toBeCloseTo(-1, 5);
    const m = nelderMead((x) => smoothMax([x[0] - 1, x[0] - 3]), [10]);
    expect(m.x[0]).toBeCloseTo(2, 3);
  });
});

describe('the model file is the fit (provenance of every fitted parameter)', () => {
  const fit = fitNotebookModel(model, cs, upload);
  // The minimax optimum is not unique (parameters that bind no target, e.g. kerasSave, can move
  // without changing the maximum), so the file is checked by what it achieves: the same
  // objective as a refit, and the recorded fit errors.
  test('the file reaches the refit objective and reproduces each recorded fit error', () => {
    const fileRes = residuals(model, studyContext(model, cs, upload), POINT_TARGETS, RANGE_TARGETS);
    const worst = (rs: FitResidual[]): number => Math.max(...rs.map((r) => Math.abs(r.normalised)));
    expect(worst(fileRes)).toBeLessThanOrEqual(worst(fit.residuals) + 0.01);
    expect(Object.keys(model.fit).sort()).toEqual(fit.parameters.map((p) => p.path).sort());
    for (const p of fit.parameters) {
      const rec = model.fit[p.path];
      const ids = rec.targets.split(', ');
      const mine = fileRes.filter((r) => ids.includes(r.id));
      expect(mine.length, p.path).toBeGreaterThan(0);
      expect(Math.max(...mine.map((r) => Math.abs(r.relative))), `${p.path} maxError`).toBeCloseTo(rec.maxError, 3);
      expect(rec.targets).toBe(p.targets);
    }
  });
  test('binding parameters are where the refit puts them (within 1%)', () => {
    for (const path of ['overheads.kaleFixed', 'compute.trainStepFixed', 'compute.inferSampleFixed', 'cell.plot.perMB', 'overheads.volumeAttach', 'render.perPoint']) {
      const p = fit.parameters.find((x) => x.path === path);
      expect(p, path).toBeDefined();
      expect(Math.abs(fitValue(path) / (p as { value: number }).value - 1), path).toBeLessThan(0.01);
    }
  });
  test('every fitted expectation is within its target tolerance (lifetimes 1 s inside)', () => {
    for (const r of fit.residuals) expect(Math.abs(r.normalised), `${r.id} ${r.job} ${r.sizeMB}MB: ${r.expected} vs ${r.reported}`).toBeLessThanOrEqual(1);
  });
  test('CT2-17: parameter counts within 0.5% of 185 / 626 / 2273 / 8648', () => {
    CT2_17.widths.forEach((w, i) => expect(Math.abs(modelParams(model, w) / CT2_17.values[i] - 1)).toBeLessThanOrEqual(CT2_17.tolerance));
  });
});

function fitValue(path: string): number {
  const [group, a, b] = path.split('.');
  if (group === 'cell') {
    const j = model.jobs.find((x) => x.name === a);
    if (j?.kind !== 'cell') throw new Error(path);
    return j.cell[b as 'fixed' | 'perMB'];
  }
  return (model[group as 'compute'] as unknown as Record<string, number>)[a];
}

describe('model file errors name the path', () => {
  const text = readFileSync(FILE, 'utf8');
  test('unknown variable in a job', () => {
    expect(() => parseNotebookModel(text.replace('loads: [train_dataset]', 'loads: [train_datasett]'), 'x.yaml'))
      .toThrow(/x\.yaml.*jobs\[2\]\.loads\[0\].*train_datasett/s);
  });
  test('missing provenance', () => {
    expect(() => parseNotebookModel(text.replace(/\n {2}overheads\.kaleFixed: "[^"]*"/, ''), 'x.yaml')).toThrow(/provenance.*overheads\.kaleFixed/s);
  });
  test('bad distribution', () => {
    expect(() => parseNotebookModel(text.replace('imports: {type: uniform, min: 3, max: 4}', 'imports: {type: uniform, min: 4, max: 3}'), 'x.yaml'))
      .toThrow(/overheads\.imports/);
  });
});
