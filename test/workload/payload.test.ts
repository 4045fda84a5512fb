import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { RandomStreams } from '../../src/core/random.js';
import { Simulation } from '../../src/core/simulation.js';
import { MS, SECOND } from '../../src/core/time.js';
import { PayloadModel, changeWeight, cholesky, irisStudyPayload, IRIS_BASELINE } from '../../src/workload/payload.js';
import { ClosedLoopClient, type SystemUnderTest } from '../../src/workload/arrivals/closed-loop.js';
import { PoissonArrivals } from '../../src/workload/arrivals/poisson.js';

function stats(xs: number[]): { mean: number; sd: number } {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean: m, sd: Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)) };
}

describe('payload model', () => {
  it('changeWeight: 0 before start, linear ramp, 1 after, 0 from end', () => {
    expect(changeWeight(5, 10, 0, undefined)).toBe(0);
    expect(changeWeight(10, 10, 0, undefined)).toBe(1);
    expect(changeWeight(15, 10, 20, undefined)).toBe(0.25);
    expect(changeWeight(30, 10, 20, undefined)).toBe(1);
    expect(changeWeight(40, 10, 20, 40)).toBe(0);
    expect(changeWeight(5, undefined, 0, undefined)).toBe(0);
  });

  it('property: a shift drift is applied exactly per its schedule (abrupt or ramped)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 1e8 }), fc.integer({ min: 1, max: 1e8 }),
        fc.double({ min: -10, max: 10, noNaN: true }), fc.array(fc.integer({ min: 0, max: 2e9 }), { minLength: 1, maxLength: 30 }),
        (start, ramp, len, shift, times) => {
          const spec = { features: [{ name: 'x', dist: { type: 'constant' as const, value: 1 }, sd: 2 }], changes: [{ kind: 'drift' as const, label: 'd', start, ramp, end: start + ramp + len, shiftSd: shift }] };
          const m = new PayloadModel(spec, new RandomStreams(1));
          for (const t of times.sort((a, b) => a - b)) {
            const p = m.sample(t, 0);
            const w = t < start || t >= start + ramp + len ? 0 : ramp === 0 ? 1 : Math.min(1, (t - start) / ramp);
            expect(p.values[0]).toBeCloseTo(1 + w * shift * 2, 9);
            expect(p.changeMask).toBe(w > 0 ? 1 : 0);
            expect(m.activeLabels(t)).toEqual(w > 0 ? ['d'] : []);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('scale and mixture drift change the distribution as specified', () => {
    const m = new PayloadModel({
      features: [{ name: 'a', mean: 10, sd: 2 }, { name: 'b', mean: 0, sd: 1 }],
      changes: [
        { kind: 'drift', label: 'scale-a', features: ['a'], start: 1000, scale: 3 },
        { kind: 'drift', label: 'mix-b', features: ['b'], start: 1000, mixture: { weight: 0.5, dist: { type: 'constant', value: 100 } } },
      ],
    }, new RandomStreams(3));
    const before = Array.from({ length: 20000 }, () => m.sample(0, 0));
    const after = Array.from({ length: 20000 }, () => m.sample(1000, 0));
    const sa0 = stats(before.map((p) => p.values[0])), sa1 = stats(after.map((p) => p.values[0]));
    expect(sa0.sd).toBeCloseTo(2, 1);
    expect(sa1.sd).toBeCloseTo(6, 0);
    expect(sa1.mean).toBeCloseTo(10, 0);
    const share = after.filter((p) => p.values[1] === 100).length / after.length;
    expect(Math.abs(share - 0.5)).toBeLessThan(0.02);
    expect(before.some((p) => p.values[1] === 100)).toBe(false);
  });

  it('outliers: rate per value, |z| in [k0, k1], side respected, labelled', () => {
    const m = new PayloadModel({
      features: [{ name: 'hi', mean: 0, sd: 1, truncateSd: 3 }, { name: 'both', mean: 5, sd: 2, truncateSd: 3 }],
      changes: [{ kind: 'outliers', label: 'o', start: 0, rate: 0.1, k: [3, 4.5], side: { hi: 'high', both: 'both' } }],
    }, new RandomStreams(9));
    let n0 = 0, n1 = 0, low1 = 0;
    const N = 20000;
    for (let i = 0; i < N; i++) {
      const p = m.sample(0, 0);
      for (let f = 0; f < 2; f++) {
        const z = (p.values[f] - [0, 5][f]) / [1, 2][f];
        const flagged = (p.outlierMask >> f) & 1;
        if (flagged) {
          expect(Math.abs(z)).toBeGreaterThanOrEqual(3 - 1e-9);
          expect(Math.abs(z)).toBeLessThanOrEqual(4.5 + 1e-9);
          if (f === 0) expect(z).toBeGreaterThan(0);
          if (f === 1 && z < 0) low1++;
        } else expect(Math.abs(z)).toBeLessThanOrEqual(3 + 1e-9); // truncated base
        if (f === 0) n0 += flagged;
        else n1 += flagged;
      }
    }
    const sd = Math.sqrt(N * 0.1 * 0.9);
    expect(Math.abs(n0 - 2000)).toBeLessThan(4 * sd);
    expect(Math.abs(n1 - 2000)).toBeLessThan(4 * sd);
    expect(Math.abs(low1 - n1 / 2)).toBeLessThan(4 * Math.sqrt(n1 / 4));
  });

  it('correlated Gaussian features reproduce the correlation', () => {
    expect(Array.from(cholesky([[4, 2], [2, 3]]))).toEqual([2, 0, 1, Math.sqrt(2)]);
    const m = new PayloadModel({ features: [{ name: 'a', mean: 0, sd: 1 }, { name: 'b', mean: 3, sd: 2 }], correlation: [[1, 0.8], [0.8, 1]] }, new RandomStreams(4));
    const xs = Array.from({ length: 20000 }, () => m.sample(0, 0).values);
    const a = stats(xs.map((v) => v[0])), b = stats(xs.map((v) => v[1]));
    let cov = 0;
    for (const v of xs) cov += (v[0] - a.mean) * (v[1] - b.mean);
    const r = cov / (xs.length - 1) / (a.sd * b.sd);
    expect(r).toBeCloseTo(0.8, 1);
    expect(b.sd).toBeCloseTo(2, 1);
    expect(() => new PayloadModel({ features: [{ name: 'a', mean: 0, sd: 1 }, { name: 'b', mean: 0, sd: 1 }], correlation: [[1, 2], [2, 1]] }, new RandomStreams(1))).toThrow(/correlation: expected a positive-definite matrix/);
  });

  it('bad options name the path', () => {
    const r = new RandomStreams(1);
    expect(() => new PayloadModel({ features: [{ name: 'a', mean: 0, sd: -1 }] }, r)).toThrow(/features\[0\]\.sd: expected a positive number, found -1/);
    expect(() => new PayloadModel({ features: [{ name: 'a', mean: 0, sd: 1 }], changes: [{ kind: 'drift', label: 'x', start: 0, features: ['zz'], shift: 1 }] }, r)).toThrow(/changes\[0\]\.features\[0\]: expected a feature name \(a\), found "zz"/);
    expect(() => new PayloadModel({ features: [{ name: 'a', dist: { type: 'normal', mean: 0, sd: 0 } }] }, r)).toThrow(/features\[0\]\.dist\.sd: expected a positive number/);
  });

  it('open-loop sources attach payloads; deterministic per seed', () => {
    const run = (seed: number): number[] => {
      const sim = new Simulation({ seed });
      const model = new PayloadModel({ features: [{ name: 'x', mean: 0, sd: 1 }], changes: [{ kind: 'drift', label: 'd', start: 5 * SECOND, shift: 10 }] }, sim.random);
      const src = new PoissonArrivals({ rate: 100, payload: model });
      const out: number[] = [];
      src.start(sim, (_f, _s, p) => {
        out.push(p!.values[0]);
        expect(p!.time).toBe(sim.now);
        expect(p!.changeMask).toBe(sim.now >= 5 * SECOND ? 1 : 0);
      });
      sim.run(10 * SECOND);
      return out;
    };
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });
});

describe('Iris study preset (calibration-targets.md study 3)', () => {
  it('five closed-loop stages: normal / outliers / drift / outliers / normal, ground truth by stage', () => {
    const sim = new Simulation({ seed: 11 });
    const model = new PayloadModel(irisStudyPayload(), sim.random);
    const byStage: { values: Float64Array; outlierMask: number }[][] = [[], [], [], [], []];
    const svc = sim.random.stream('test.svc');
    const system: SystemUnderTest = {
      issue(req, done) {
        byStage[req.stage].push(req.payload!);
        sim.schedule(Math.round(svc.exponential(20 * MS)), () => done(req, true), undefined);
      },
    };
    const stages = [48, 96, 144, 96, 48].map((c) => ({ concurrency: c, requests: 2000 }));
    const client = new ClosedLoopClient({ stages, gap: SECOND, payload: model });
    client.start(sim, system);
    sim.run();
    const sched = model.schedule();
    expect(sched.map((c) => [c.label, c.start, c.end])).toEqual([
      ['outliers-stage2', client.stageStart[1], client.stageStart[2]],
      ['drift-stage3', client.stageStart[2], client.stageStart[3]],
      ['outliers-stage4', client.stageStart[3], client.stageStart[4]],
    ]);
    const outShare = (k: number): number => byStage[k].reduce((a, p) => a + (p.outlierMask !== 0 ? 1 : 0), 0) / byStage[k].length;
    expect(outShare(0)).toBe(0);
    expect(outShare(4)).toBe(0);
    // 10% per value over 4 features: P(any) = 1 − 0.9⁴ ≈ 0.344
    expect(Math.abs(outShare(1) - 0.344)).toBeLessThan(0.05);
    expect(Math.abs(outShare(3) - 0.344)).toBeLessThan(0.05);
    // stage 1 values stay within ±3σ (no outlier alerts, CT3-8)
    for (const p of byStage[0]) {
      IRIS_BASELINE.forEach((f, i) => expect(Math.abs(p.values[i] - f.mean)).toBeLessThanOrEqual(3 * f.sd + 1e-9));
    }
    // stage 3: location +1.5σ, spread ×1.5 (of the truncated normal's sd ≈ 0.986σ)
    IRIS_BASELINE.forEach((f, i) => {
      const s = stats(byStage[2].map((p) => p.values[i]));
      expect(Math.abs(s.mean - (f.mean + 1.5 * f.sd))).toBeLessThan(0.1 * f.sd);
      expect(s.sd / f.sd).toBeGreaterThan(1.35);
      expect(s.sd / f.sd).toBeLessThan(1.6);
    });
  });
});
