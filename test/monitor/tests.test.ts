import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ksCriticalValue, ksPValue, ksStatistic, ksTest } from '../../src/monitor/drift/kolmogorov-smirnov.js';
import { chiSquareContingency, chiSquareGoodnessOfFit } from '../../src/monitor/drift/chi-square.js';
import { significant } from '../../src/monitor/drift/correction.js';
import { medianHeuristicSigma, mmd2FromKernel, mmdTest, rbfKernelMatrix } from '../../src/monitor/drift/mmd.js';
import { kolmogorovSurvival } from '../../src/monitor/drift/special-functions.js';
import { RandomStreams } from '../../src/core/random.js';

/** D by brute force: max over every sample point of |F_a(x) − F_b(x)|. */
function bruteD(a: number[], b: number[]): number {
  let d = 0;
  for (const x of [...a, ...b]) {
    const fa = a.filter((v) => v <= x).length / a.length;
    const fb = b.filter((v) => v <= x).length / b.length;
    d = Math.max(d, Math.abs(fa - fb));
  }
  return d;
}

describe('Kolmogorov-Smirnov', () => {
  it('known samples', () => {
    expect(ksStatistic([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])).toBe(1);
    // F_a: .25 .5 .75 1 ; F_b: 0 0 .25 .5 .75 1 over 1..6 → D = 0.5
    expect(ksStatistic([1, 2, 3, 4], [3, 4, 5, 6])).toBe(0.5);
    expect(ksStatistic([1, 2, 3], [1, 2, 3])).toBe(0);
    // p-value: n_e = 2, λ = (√2 + 0.12 + 0.11/√2)·0.5
    const lambda = (Math.SQRT2 + 0.12 + 0.11 / Math.SQRT2) * 0.5;
    expect(ksTest([1, 2, 3, 4], [3, 4, 5, 6]).pValue).toBeCloseTo(kolmogorovSurvival(lambda), 14);
    expect(ksPValue(0, 10, 10)).toBe(1);
  });

  it('the critical value D_0.05 gives p ≈ 0.05 for large samples', () => {
    const d = ksCriticalValue(1.358, 5000, 4000);
    expect(ksPValue(d, 5000, 4000)).toBeCloseTo(0.05, 2);
  });

  it('D matches brute force, with ties', () => {
    const s = fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 25 });
    fc.assert(
      fc.property(s, s, (a, b) => {
        const as = [...a].sort((x, y) => x - y);
        const bs = [...b].sort((x, y) => x - y);
        expect(ksStatistic(as, bs)).toBeCloseTo(bruteD(a, b), 12);
      }),
    );
  });
});

describe('chi-square', () => {
  it('goodness of fit: [10, 20, 30] against a uniform reference', () => {
    // E = 20 each: χ² = (100 + 0 + 100)/20 = 10, df = 2, p = e^{−5}
    const r = chiSquareGoodnessOfFit([10, 20, 30], [5, 5, 5]);
    expect(r.statistic).toBeCloseTo(10, 12);
    expect(r.df).toBe(2);
    expect(r.pValue).toBeCloseTo(Math.exp(-5), 12);
    expect(chiSquareGoodnessOfFit([1, 0, 2], [1, 0, 2]).df).toBe(1); // empty bin left out
    expect(chiSquareGoodnessOfFit([1, 1], [0, 2]).statistic).toBe(Infinity);
  });

  it('2×2 contingency with Yates correction (textbook: χ² = 5.4, p = 0.0201)', () => {
    // [[10, 20], [20, 10]]: E = 15, |O − E| − ½ = 4.5, χ² = 4 · 4.5²/15 = 5.4
    const r = chiSquareContingency([10, 20], [20, 10]);
    expect(r.statistic).toBeCloseTo(5.4, 12);
    expect(r.df).toBe(1);
    expect(r.pValue).toBeCloseTo(0.020136, 5);
  });

  it('2×3 contingency without correction', () => {
    // rows [10, 20, 30] and [20, 20, 20]; n = 120; column totals 30, 40, 50; E row1 = 15, 20, 25
    const r = chiSquareContingency([10, 20, 30], [20, 20, 20]);
    // E (both rows) = 60·[30, 40, 50]/120 = [15, 20, 25]; deviations ∓5, 0, ±5
    const chi = 2 * (25 / 15 + 0 + 25 / 25);
    expect(r.statistic).toBeCloseTo(chi, 12);
    expect(r.df).toBe(2);
    expect(r.pValue).toBeCloseTo(Math.exp(-chi / 2), 12);
  });
});

describe('multiple-testing corrections', () => {
  it('Bonferroni and Benjamini-Hochberg', () => {
    expect(significant([0.01, 0.02, 0.2, 0.011], 0.05, 'bonferroni')).toEqual([true, false, false, true]);
    // BH, n = 4: thresholds .0125 .025 .0375 .05; sorted .01 .011 .02 .2 → first three
    expect(significant([0.01, 0.02, 0.2, 0.011], 0.05, 'fdr')).toEqual([true, true, false, true]);
    expect(significant([0.04, NaN], 0.05, 'none')).toEqual([true, false]);
  });
});

describe('MMD', () => {
  it('median heuristic and the unbiased estimator on a tiny example', () => {
    // x = {0, 1}, y = {3}: cross distances² 9, 4 → median 6.5 → σ = √3.25
    expect(medianHeuristicSigma(Float64Array.of(0, 1), Float64Array.of(3), 1)).toBeCloseTo(Math.sqrt(3.25), 14);
    const x = Float64Array.of(0, 1);
    const y = Float64Array.of(3, 5);
    const s = 2;
    const k = (a: number, b: number) => Math.exp(-((a - b) ** 2) / (2 * s * s));
    const expected = (2 * k(0, 1)) / 2 + (2 * k(3, 5)) / 2 - (2 / 4) * (k(0, 3) + k(0, 5) + k(1, 3) + k(1, 5));
    expect(mmd2FromKernel(rbfKernelMatrix(x, y, 1, s), [0, 0, 1, 1], 2, 2)).toBeCloseTo(expected, 14);
  });

  it('permutation p-value: small for shifted samples, not for same-distribution samples; seeded', () => {
    const rs = new RandomStreams(11);
    const g = rs.stream('data');
    const sample = (n: number, mu: number) => Float64Array.from({ length: n * 2 }, () => mu + g.normal());
    const a = sample(60, 0);
    const b = sample(60, 0);
    const c = sample(60, 1);
    const shifted = mmdTest(a, c, 2, 100, rs.stream('perm1'));
    expect(shifted.pValue).toBeLessThan(0.05);
    const same = mmdTest(a, b, 2, 100, rs.stream('perm2'));
    expect(same.pValue).toBeGreaterThan(0.05);
    const again = mmdTest(a, b, 2, 100, new RandomStreams(11).stream('perm2'));
    expect(again).toEqual(same);
  });
});
