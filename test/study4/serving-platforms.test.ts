import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { getKind } from '../../src/scenario/registry.js';
import {
  paramsFromBody, percentile, runServingPlatforms, steadyStateBin, type ServingPlatformsBody, type ServingPlatformsParams,
} from '../../src/experiment/studies/serving-platforms.js';
import { packageFile } from '../../src/experiment/studies/model-upload.js';
import { SECOND } from '../../src/core/time.js';

const scenario = loadScenario(packageFile('experiments/serving-platforms.yaml'));

/** Reduced scale: 300 warm requests, 90 s step (Lambda, Cloud Run), 600 s for the container platform. */
function reduced(): ServingPlatformsParams {
  const p = paramsFromBody(scenario.body as ServingPlatformsBody);
  return { ...p, warm: { ...p.warm, requests: 300 }, step: { ...p.step, duration: 90 * SECOND, containerDuration: 600 * SECOND } };
}

describe('serving-platforms helpers', () => {
  it('nearest-rank percentile and steady-state window', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, 4], 0.99)).toBe(4);
    expect(steadyStateBin([0, 96, 99, 50, 95, 100, 97], 3, 95)).toBe(4);
    expect(steadyStateBin([100, 100], 3, 95)).toBe(-1);
  });

  it('the experiment file validates as kind serving-platforms', () => {
    expect(getKind('serving-platforms')).toBeDefined();
    expect(scenario.header.kind).toBe('serving-platforms');
  });
});

describe('study 4 reproduction at reduced scale', () => {
  for (const seed of [1, 2]) {
    it(`every CT4 check passes within its tolerance (seed ${seed})`, () => {
      const r = runServingPlatforms(reduced(), seed);
      const names = r.checks.map((c) => c.name.split(' ')[0]);
      for (const id of ['CT4-1', 'CT4-2', 'CT4-3', 'CT4-4', 'CT4-5', 'CT4-6', 'CT4-7']) expect(names).toContain(id);
      expect(r.checks).toHaveLength(9 + 3 + 3 + 6 + 3);
      for (const c of r.checks) expect(c.pass, `${c.name}: simulated ${c.simulated}, reported ${c.reported}`).toBe(true);
      // also measured: BERT time to first request and time to steady state everywhere
      const step = (k: string, m: string, n = 'spare') => r.step.find((s) => s.platform === k && s.model === m && s.nodes === n);
      for (const k of ['lambda', 'cloudRun', 'container']) {
        const b = step(k, 'BERT');
        expect(b?.timeToFirst).toBeGreaterThan(step(k, 'DistilBERT')?.timeToFirst ?? Infinity);
        expect(step(k, 'DistilBERT')?.timeToSteady).toBeGreaterThan(0);
      }
      // Verta needs the HPA (minutes) while the serverless platforms reach steady state after their first cold starts
      const v = step('container', 'DistilBERT') as { timeToSteady: number };
      expect(v.timeToSteady).toBeGreaterThan(step('lambda', 'DistilBERT')?.timeToSteady ?? Infinity);
      const grow = step('container', 'DistilBERT', 'grow') as { timeToSteady: number };
      expect(grow.timeToSteady).toBeGreaterThan(v.timeToSteady);
    });
  }
});
