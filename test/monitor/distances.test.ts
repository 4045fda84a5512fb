import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  fillZerosEvidently,
  hellingerDistance,
  jensenShannonDistance,
  jensenShannonDivergence,
  klDivergence,
  populationStabilityIndex,
  referenceJS,
  referenceKL,
  referenceWasserstein,
  wassersteinHistogram,
} from '../../src/monitor/drift/histogram-distances.js';
import { wassersteinSamples } from '../../src/monitor/drift/wasserstein-samples.js';

const LN2 = Math.log(2);

describe('histogram distances (platform-semantics.md g.1)', () => {
  it('KL of small discrete distributions', () => {
    // KL([½,½] ‖ [¼,¾]) = ½ln2 + ½ln(2/3)
    expect(klDivergence([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(0.5 * LN2 + 0.5 * Math.log(2 / 3), 14);
    expect(klDivergence([1, 1], [1, 3])).toBeCloseTo(0.14384103622589045, 14); // counts normalise the same
    expect(klDivergence([0.5, 0.5], [0.25, 0.75], 2)).toBeCloseTo(0.20751874963942196, 14);
    expect(klDivergence([0.5, 0.5, 0], [0.5, 0.5, 1])).toBeGreaterThan(0);
    expect(klDivergence([0.5, 0.5], [1, 0])).toBe(Infinity);
    expect(klDivergence([0.3, 0.7], [0.3, 0.7])).toBe(0);
  });

  it('Jensen-Shannon: disjoint supports give ln 2 (distance √ln2, base 2 gives 1)', () => {
    expect(jensenShannonDivergence([1, 0], [0, 1])).toBeCloseTo(LN2, 14);
    expect(jensenShannonDistance([1, 0], [0, 1])).toBeCloseTo(0.8325546111576977, 14);
    expect(jensenShannonDistance([1, 0], [0, 1], 2)).toBeCloseTo(1, 14);
    // [½,½] vs [1,0]: M = [¾,¼]; ½(½ln(2/3) + ½ln2) + ½(ln(4/3))
    const expected = 0.5 * (0.5 * Math.log(0.5 / 0.75) + 0.5 * Math.log(0.5 / 0.25)) + 0.5 * Math.log(1 / 0.75);
    expect(jensenShannonDivergence([0.5, 0.5], [1, 0])).toBeCloseTo(expected, 14);
  });

  it('Hellinger: 0 for equal, 1 for disjoint, and a worked case', () => {
    expect(hellingerDistance([0.2, 0.8], [0.2, 0.8])).toBe(0);
    expect(hellingerDistance([1, 0], [0, 1])).toBeCloseTo(1, 14);
    const h = Math.sqrt((Math.sqrt(0.5) - 1) ** 2 + 0.5) / Math.SQRT2;
    expect(hellingerDistance([0.5, 0.5], [1, 0])).toBeCloseTo(h, 14);
    expect(h).toBeCloseTo(0.5411961001461969, 12);
  });

  it('PSI worked example and Evidently zero handling', () => {
    // ref [.25,.25,.5], cur [.2,.3,.5]: (−.05)ln(.8) + (.05)ln(1.2) = 0.0202733
    expect(populationStabilityIndex([0.25, 0.25, 0.5], [0.2, 0.3, 0.5])).toBeCloseTo(0.020273255405408214, 12);
    expect(populationStabilityIndex([25, 25, 50], [20, 30, 50])).toBeCloseTo(0.020273255405408214, 12);
    expect(Array.from(fillZerosEvidently([0.5, 0.5, 0]))).toEqual([0.5, 0.5, 0.0001]);
    expect(Array.from(fillZerosEvidently([0.99995, 0.00005, 0]))).toEqual([0.99995, 0.00005, 0.00005 / 1e6]);
    // ref [.5,.5,0], cur [.5,.25,.25]: zero filled with 0.0001
    const psi = (0.25 - 0.5) * Math.log(0.25 / 0.5) + (0.25 - 0.0001) * Math.log(0.25 / 0.0001);
    expect(populationStabilityIndex([0.5, 0.5, 0], [0.5, 0.25, 0.25])).toBeCloseTo(psi, 12);
  });

  it('Wasserstein between histograms: point masses two bins apart', () => {
    expect(wassersteinHistogram([1, 0, 0], [0, 0, 1], 2)).toBeCloseTo(4, 14);
    expect(referenceWasserstein([1, 0, 0], [0, 0, 1])).toBeCloseTo(2, 14); // bin units
    expect(wassersteinHistogram([0.5, 0.5, 0], [0, 0.5, 0.5], 0.1)).toBeCloseTo(0.1, 14);
  });

  it('reference KL skips tiny bins; reference JS peaks at ln 2', () => {
    expect(referenceKL([0.5, 0.5, 0], [0.5, 0.25, 0.25])).toBeCloseTo(0.5 * LN2, 14);
    // The q = 0 bin is skipped, not infinite: the remaining term makes the quirk KL negative.
    expect(referenceKL([0.5, 0.5], [1, 0])).toBeCloseTo(0.5 * Math.log(0.5), 14);
    expect(referenceJS([1, 0], [0, 1])).toBeCloseTo(LN2, 14);
    expect(referenceJS([0.2, 0.8], [0.5, 0.5])).toBeCloseTo(jensenShannonDivergence([0.2, 0.8], [0.5, 0.5]), 14);
  });

  it('distances are symmetric where they should be, and zero on identical inputs', () => {
    const dist = fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 2, maxLength: 12 }).filter((a) => a.some((x) => x > 0));
    fc.assert(
      fc.property(dist, dist, (a, b0) => {
        const b = b0.slice(0, a.length).concat(new Array(Math.max(0, a.length - b0.length)).fill(1));
        expect(jensenShannonDivergence(a, b)).toBeCloseTo(jensenShannonDivergence(b, a), 12);
        expect(hellingerDistance(a, b)).toBeCloseTo(hellingerDistance(b, a), 12);
        expect(wassersteinHistogram(a, b, 1)).toBeCloseTo(wassersteinHistogram(b, a, 1), 12);
        expect(jensenShannonDivergence(a, b)).toBeLessThanOrEqual(LN2 + 1e-12);
        expect(hellingerDistance(a, a)).toBeCloseTo(0, 12);
        expect(populationStabilityIndex(a, a)).toBeCloseTo(0, 12);
      }),
    );
  });
});

describe('Wasserstein-1 between samples', () => {
  it('point masses and shifted uniform grids', () => {
    expect(wassersteinSamples([2], [5.5])).toBe(3.5);
    const u = Array.from({ length: 101 }, (_, i) => i / 100);
    const v = u.map((x) => x + 0.5);
    expect(wassersteinSamples(u, v)).toBeCloseTo(0.5, 12);
    // Two point masses vs one: ½δ0 + ½δ2 against δ1 → 1
    expect(wassersteinSamples([0, 2], [1])).toBeCloseTo(1, 14);
  });

  it('equals the mean |sorted difference| for equal sizes, and replication for unequal sizes', () => {
    const sample = fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(sample, sample, (a0, b0) => {
        const a = Float64Array.from(a0).sort();
        const b = Float64Array.from(b0).sort();
        // Replicate a m times and b n times: equal-size samples with the same distributions.
        const A = Float64Array.from(Array.from(a).flatMap((x) => new Array(b.length).fill(x))).sort();
        const B = Float64Array.from(Array.from(b).flatMap((x) => new Array(a.length).fill(x))).sort();
        let s = 0;
        for (let i = 0; i < A.length; i++) s += Math.abs(A[i] - B[i]);
        expect(wassersteinSamples(a, b)).toBeCloseTo(s / A.length, 8);
      }),
    );
  });
});
