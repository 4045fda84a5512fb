import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_STATS_OPTIONS,
  histogramPercentile,
  percentileLinear,
  referenceStddev,
  round2,
  WindowStatsAccumulator,
  type StatsOptions,
} from '../../src/monitor/statistics.js';
import { binIndex, binSpecFromEdges, equalWidthBins, sturgesBins } from '../../src/monitor/histogram.js';

function accumulate(rows: number[][], opts: Partial<StatsOptions> = {}, bins: ReturnType<typeof equalWidthBins>[] = []) {
  const F = rows[0].length;
  const b = Array.from({ length: F }, (_, f) => bins[f]);
  const o = { ...DEFAULT_STATS_OPTIONS, ...opts };
  const acc = new WindowStatsAccumulator(F, b, o.compat, true, 2);
  for (const r of rows) acc.add(r);
  return { acc, stats: acc.finish(o) };
}

describe('window statistics (correct definitions)', () => {
  it('textbook sample: [2, 4, 4, 4, 5, 5, 7, 9]', () => {
    const { stats } = accumulate([2, 4, 4, 4, 5, 5, 7, 9].map((x) => [x]), { stddev: 'sample' });
    const s = stats[0];
    expect(s.count).toBe(8);
    expect(s.min).toBe(2);
    expect(s.max).toBe(9);
    expect(s.avg).toBe(5);
    expect(s.mean).toBe(5);
    expect(s.stddev).toBeCloseTo(Math.sqrt(32 / 7), 14); // Σ(x−5)² = 32
    // linear interpolation: h = 7p → p25: 4, p50: 4 + .5·1 = 4.5, p75: 5 + .25·2 = 5.5
    expect(s.percentiles).toEqual([4, 4.5, 5.5]);
    expect(s.iqr).toBe(1.5);
    const pop = accumulate([2, 4, 4, 4, 5, 5, 7, 9].map((x) => [x]), { stddev: 'population' }).stats[0];
    expect(pop.stddev).toBeCloseTo(2, 14);
  });

  it('covariance and correlation', () => {
    const { acc } = accumulate([
      [1, 2, 4],
      [2, 4, 3],
      [3, 6, 2],
      [4, 8, 1],
    ]);
    const cov = acc.covariance('sample');
    expect(cov[0]).toBeCloseTo(5 / 3, 14); // var(1..4)
    expect(cov[1]).toBeCloseTo(10 / 3, 14); // cov(x, 2x) = 2 var(x)
    expect(cov[2]).toBeCloseTo(-5 / 3, 14);
    expect(acc.covariance('population')[1]).toBeCloseTo(10 / 4, 14);
    const corr = acc.correlation();
    expect(corr[1]).toBeCloseTo(1, 14);
    expect(corr[2]).toBeCloseTo(-1, 14);
    expect(corr[3]).toBeCloseTo(1, 14); // symmetric
  });

  it('streaming moments equal two-pass moments', () => {
    const row = fc.tuple(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.double({ min: -1e3, max: 1e3, noNaN: true }));
    fc.assert(
      fc.property(fc.array(row, { minLength: 2, maxLength: 60 }), (rows) => {
        const { acc, stats } = accumulate(rows.map((r) => [...r]));
        const n = rows.length;
        const m = [0, 1].map((f) => rows.reduce((s, r) => s + r[f], 0) / n);
        const v = [0, 1].map((f) => rows.reduce((s, r) => s + (r[f] - m[f]) ** 2, 0) / (n - 1));
        const c = rows.reduce((s, r) => s + (r[0] - m[0]) * (r[1] - m[1]), 0) / (n - 1);
        const tol = (x: number) => 1e-9 * (1 + Math.abs(x));
        expect(Math.abs(stats[0].avg - m[0])).toBeLessThan(tol(m[0]));
        expect(Math.abs(stats[1].stddev ** 2 - v[1])).toBeLessThan(1e-7 * (1 + v[1]));
        expect(Math.abs(acc.covariance('sample')[1] - c)).toBeLessThan(1e-7 * (1 + Math.abs(c) + Math.sqrt(v[0] * v[1])));
      }),
    );
  });

  it('percentileLinear matches the order-statistic definition', () => {
    expect(percentileLinear([10], 75)).toBe(10);
    expect(percentileLinear([1, 2, 3, 4, 5], 0)).toBe(1);
    expect(percentileLinear([1, 2, 3, 4, 5], 100)).toBe(5);
    expect(percentileLinear([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentileLinear([], 50)).toBeNaN();
  });

  it('is stable where the naive formula cancels (values near 1e9)', () => {
    const rows = [0, 1, 2].map((x) => [1e9 + x]);
    expect(accumulate(rows).stats[0].stddev).toBeCloseTo(1, 9);
  });
});

describe('histogram bins', () => {
  const bins = equalWidthBins(0, 2, 4); // edges 0, .5, 1, 1.5; upper 2
  it('correct: last bin closed; reference: values ≥ last edge + width dropped', () => {
    expect(binIndex(bins, 0, 'correct')).toBe(0);
    expect(binIndex(bins, 0.49, 'correct')).toBe(0);
    expect(binIndex(bins, 0.5, 'correct')).toBe(1);
    expect(binIndex(bins, 2, 'correct')).toBe(3);
    expect(binIndex(bins, 2, 'reference')).toBe(-2);
    expect(binIndex(bins, 1.99, 'reference')).toBe(3);
    expect(binIndex(bins, -0.01, 'reference')).toBe(-1);
    expect(binIndex(bins, 2.01, 'correct')).toBe(-2);
    expect(binIndex(bins, NaN, 'correct')).toBe(-2);
  });

  it('bins from study-style left edges; uneven edges are rejected with the gap named', () => {
    const b = binSpecFromEdges([0.1, 0.22, 0.34, 0.46]);
    expect(b.width).toBeCloseTo(0.12, 14);
    expect(b.upper).toBeCloseTo(0.58, 14);
    expect(() => binSpecFromEdges([0, 1, 3])).toThrow(/equally spaced.*gap of 1 between 0 and 1/);
  });

  it('Sturges bin counts: numpy ⌈log₂ n⌉ + 1 vs the reference ⌈1 + 3.322·log₂ n⌉', () => {
    expect(sturgesBins(1000, 'correct')).toBe(11);
    expect(sturgesBins(1000, 'reference')).toBe(Math.ceil(1 + 3.322 * Math.log2(1000))); // 35
    expect(sturgesBins(1000, 'reference')).toBe(35);
  });
});

describe("compat 'reference' quirks (study 3, windowed statistics)", () => {
  const rows = [0.2, 0.7, 0.7, 1.2, 1.6, 2].map((x) => [x]);
  const { stats } = accumulate(rows, { compat: 'reference' }, [equalWidthBins(0, 2, 4)]);
  const s = stats[0];
  it('mean = (max − min)/count, scalars rounded to 2 decimals', () => {
    expect(s.mean).toBe(round2((2 - 0.2) / 6)); // 0.3
    expect(s.mean).toBe(0.3);
    const avg = (0.2 + 0.7 + 0.7 + 1.2 + 1.6 + 2) / 6;
    expect(s.avg).toBe(Math.round(avg * 100) / 100);
  });

  it('stddev by √((Σx² − n·avg²)/(n−1))', () => {
    const xs = rows.map((r) => r[0]);
    const sum = xs.reduce((a, b) => a + b, 0);
    const sq = xs.reduce((a, b) => a + b * b, 0);
    expect(s.stddev).toBe(round2(Math.sqrt((sq - 6 * (sum / 6) ** 2) / 5)));
    expect(referenceStddev(3e9 + 3, 3e18 + 6e9 + 5, 3, 'sample')).not.toBeCloseTo(1, 3); // cancels badly near 1e9
  });

  it('histogram drops the maximum; percentiles are left edges from the histogram', () => {
    // bins [0,.5) [.5,1) [1,1.5) [1.5,2): 0.2 | 0.7 0.7 | 1.2 | 1.6 — 2 is dropped
    expect(Array.from(s.histogram!.counts)).toEqual([1, 2, 1, 1]);
    expect(s.overflow).toBe(1);
    // n = 6, cumulative 1, 3, 4, 5: p25 → > 1.5 first at bin 1 (0.5); p50 → > 3 at bin 2 (1); p75 → > 4.5 at bin 3 (1.5)
    expect(s.percentiles).toEqual([0.5, 1, 1.5]);
    expect(s.iqr).toBe(1);
    // p90 → > 5.4: the in-range mass (5) never gets there → NaN
    expect(histogramPercentile(s.histogram!.edges, s.histogram!.counts, 90, 6)).toBeNaN();
    expect(histogramPercentile([0, 1, 2, 3], [1, 2, 3, 4], 75, 10)).toBe(3);
  });

  it('correct mode on the same data counts the maximum in the last bin', () => {
    const c = accumulate(rows, {}, [equalWidthBins(0, 2, 4)]).stats[0];
    expect(Array.from(c.histogram!.counts)).toEqual([1, 2, 1, 2]);
    expect(c.overflow).toBe(0);
  });
});
