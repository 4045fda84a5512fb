// Confidence intervals over seeds: Student t quantiles against published table values
// (two-sided 95 %, e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2), the incomplete beta against
// closed forms, and mean ± CI against a hand computation.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { meanCi95, regularizedBeta, studentTCdf, studentTQuantile } from '../../src/experiment/sweep/stats.js';

describe('Student t', () => {
  it('t(0.975, df) matches the table', () => {
    const table: [number, number][] = [
      [1, 12.706],
      [2, 4.303],
      [3, 3.182],
      [4, 2.776],
      [5, 2.571],
      [9, 2.262],
      [10, 2.228],
      [19, 2.093],
      [29, 2.045],
      [30, 2.042],
      [100, 1.984],
    ];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 3);
    // Large df tends to the normal quantile 1.959964.
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.959964, 5);
  });

  it('other quantiles: t(0.95, 4) = 2.132, t(0.995, 10) = 3.169', () => {
    expect(studentTQuantile(0.95, 4)).toBeCloseTo(2.132, 3);
    expect(studentTQuantile(0.995, 10)).toBeCloseTo(3.169, 3);
  });

  it('df = 1 is the Cauchy distribution: F(t) = 1/2 + atan(t)/π', () => {
    for (const t of [-10, -1, -0.3, 0, 0.5, 2, 50]) expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
  });

  it('df = 2 closed form: F(t) = 1/2 + t / (2√(2 + t²))', () => {
    for (const t of [-3, -0.2, 0.7, 4]) expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 12);
  });

  it('the quantile inverts the CDF (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 0.9999, noNaN: true }), fc.integer({ min: 1, max: 500 }), (p, df) => {
        expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 9);
      }),
      { numRuns: 200 },
    );
  });

  it('regularized incomplete beta: I_x(1,1) = x, I_x(a,1) = x^a, I_½(a,a) = ½', () => {
    for (const x of [0, 0.1, 0.5, 0.93, 1]) {
      expect(regularizedBeta(x, 1, 1)).toBeCloseTo(x, 12);
      expect(regularizedBeta(x, 3.5, 1)).toBeCloseTo(x ** 3.5, 12);
    }
    for (const a of [0.5, 2, 7.5, 40]) expect(regularizedBeta(0.5, a, a)).toBeCloseTo(0.5, 12);
    expect(() => regularizedBeta(1.5, 1, 1)).toThrow(/0 <= x <= 1, found 1.5/);
  });
});

describe('meanCi95', () => {
  it('matches a hand computation for 1..5', () => {
    // mean 3; s = √2.5 = 1.5811388; half = t(0.975, 4) · s / √5 = 2.7764451 · 0.7071068 = 1.9632432
    const r = meanCi95([1, 2, 3, 4, 5]);
    expect(r.n).toBe(5);
    expect(r.mean).toBe(3);
    expect(r.sd).toBeCloseTo(1.5811388, 6);
    expect(r.half).toBeCloseTo(1.9632432, 6);
    expect(r.low).toBeCloseTo(3 - 1.9632432, 6);
    expect(r.high).toBeCloseTo(3 + 1.9632432, 6);
  });

  it('two values: half = 12.706 · |a − b| / 2', () => {
    // s = |a − b| / √2, half = t(0.975, 1) · s / √2 = 12.7062 · |a − b| / 2
    const r = meanCi95([10, 14]);
    expect(r.mean).toBe(12);
    expect(r.half).toBeCloseTo(12.7062047 * 2, 5);
  });

  it('skips non-finite values and leaves the CI undefined for fewer than two', () => {
    const r = meanCi95([NaN, 4, Infinity]);
    expect(r.n).toBe(1);
    expect(r.mean).toBe(4);
    expect(Number.isNaN(r.half)).toBe(true);
    expect(meanCi95([]).n).toBe(0);
    expect(meanCi95([2, NaN, 6]).mean).toBe(4);
  });

  it('contains the mean and is symmetric; constant samples have zero width (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 30 }), (xs) => {
        const r = meanCi95(xs);
        expect(r.low).toBeLessThanOrEqual(r.mean);
        expect(r.high).toBeGreaterThanOrEqual(r.mean);
        expect(r.high - r.mean).toBeCloseTo(r.mean - r.low, 3);
        const c = meanCi95(xs.map(() => xs[0]));
        expect(c.half).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
