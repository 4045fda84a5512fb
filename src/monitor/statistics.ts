/**
 * Per-window, per-feature statistics (calibration-targets.md study 3, "Windowed statistics";
 * ModelMonitor `monitoring.stats`). Streaming accumulation per value: Welford for mean and
 * variance, co-moments for covariance, running min/max, Σx and Σx² (for the reference form),
 * histogram counts on the baseline bins, and the window's values (windows are bounded) for
 * exact percentiles and sample-based drift tests.
 *
 * Correct definitions (compat 'correct', default):
 * - avg = mean = arithmetic mean; stddev by Welford, /(n−1) (sample) or /n (population);
 * - percentiles by linear interpolation between order statistics (numpy's default,
 *   Hyndman–Fan type 7); IQR = p75 − p25 by the same rule;
 * - covariance/correlation: per-window sample (/(n−1)) or population (/n) co-moments.
 * Reference quirks (compat 'reference', the public code):
 * - stddev = √((Σx² − n·avg²)/(n−1)) (or /n), the cancellation-prone form (NaN if negative);
 * - mean = (max − min)/count;
 * - percentiles from the histogram: the left edge of the bin where the cumulative count
 *   first exceeds p·n (n = window count; NaN if it never does); IQR = p75 − p25 of those;
 * - reference histogram binning (see histogram.ts); Sturges bins ⌈1 + 3.322·log₂ n⌉ without
 *   a baseline;
 * - every scalar rounded to 2 decimals (Math.round(x·100)/100; the rounding mode of the
 *   public code is not stated in the spec);
 * - covariance/correlation: the public code's cross-batch accumulation is not specified
 *   exactly, so both modes use the per-window definition (the spec's suggested default).
 */
import { binIndex, equalWidthBins, sturgesBins, type BinSpec, type Compat } from './histogram.js';

export type Dispersion = 'sample' | 'population';

export interface StatsOptions {
  compat: Compat;
  /** Percentiles in percent, e.g. [25, 50, 75]. */
  percentiles: readonly number[];
  /** Also report IQR = p75 − p25. */
  iqr: boolean;
  stddev: Dispersion;
  /** Covariance / correlation matrices, or null to skip. */
  cov: Dispersion | null;
  corr: Dispersion | null;
  /** Histogram per feature (`distr`). */
  histogram: boolean;
}

export const DEFAULT_STATS_OPTIONS: StatsOptions = {
  compat: 'correct',
  percentiles: [25, 50, 75],
  iqr: true,
  stddev: 'sample',
  cov: 'sample',
  corr: 'sample',
  histogram: true,
};

export interface FeatureStats {
  count: number;
  min: number;
  max: number;
  /** Arithmetic mean (`avg`). */
  avg: number;
  /** `mean`: = avg (correct) or (max − min)/count (reference quirk). */
  mean: number;
  stddev: number;
  /** Values at options.percentiles, same order. */
  percentiles: number[];
  /** p75 − p25 (NaN when not requested). */
  iqr: number;
  /** Histogram: left edges and counts (baseline bins, or Sturges bins without a baseline). */
  histogram?: { edges: Float64Array; counts: Float64Array; width: number };
  /** Values below / above the bins, not counted in the histogram. */
  underflow: number;
  overflow: number;
}

/** Linear-interpolation percentile (p in [0, 100]) of ascending-sorted values (numpy 'linear'). */
export function percentileLinear(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = ((n - 1) * p) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Reference percentile: left edge of the first bin whose cumulative count exceeds p/100·n. */
export function histogramPercentile(edges: ArrayLike<number>, counts: ArrayLike<number>, p: number, n: number): number {
  const target = (p / 100) * n;
  let cum = 0;
  for (let i = 0; i < counts.length; i++) {
    cum += counts[i];
    if (cum > target) return edges[i];
  }
  return NaN;
}

/** The reference implementation's rounding of scalars to 2 decimals. */
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Reference standard deviation √((Σx² − n·avg²)/(n − 1)) (or /n); NaN when n ≤ 1 (sample). */
export function referenceStddev(sum: number, sumSq: number, n: number, type: Dispersion): number {
  const avg = sum / n;
  const den = type === 'sample' ? n - 1 : n;
  return den > 0 ? Math.sqrt((sumSq - n * avg * avg) / den) : NaN;
}

/**
 * Streaming accumulator for one window. `add` is the hot path (no allocation except when a
 * value buffer doubles). Reusable through `reset`.
 */
export class WindowStatsAccumulator {
  readonly nFeatures: number;
  count = 0;
  readonly mean: Float64Array;
  readonly m2: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  readonly sum: Float64Array;
  readonly sumSq: Float64Array;
  /** Co-moments C_ij (i < j) at i*F + j. */
  readonly comoment: Float64Array;
  /** Histogram counts per feature (on that feature's bins), and under/overflow. */
  readonly hist: (Float64Array | null)[];
  readonly under: Float64Array;
  readonly over: Float64Array;
  /** Window values per feature, first `count` entries used. */
  values: Float64Array[];
  private readonly delta: Float64Array;

  constructor(
    nFeatures: number,
    private readonly bins: readonly (BinSpec | undefined)[],
    private readonly compat: Compat,
    private readonly withCov: boolean,
    initialCapacity = 1024,
  ) {
    const F = nFeatures;
    this.nFeatures = F;
    this.mean = new Float64Array(F);
    this.m2 = new Float64Array(F);
    this.min = new Float64Array(F).fill(Infinity);
    this.max = new Float64Array(F).fill(-Infinity);
    this.sum = new Float64Array(F);
    this.sumSq = new Float64Array(F);
    this.comoment = new Float64Array(F * F);
    this.hist = bins.map((b) => (b ? new Float64Array(b.edges.length) : null));
    this.under = new Float64Array(F);
    this.over = new Float64Array(F);
    this.values = Array.from({ length: F }, () => new Float64Array(initialCapacity));
    this.delta = new Float64Array(F);
  }

  /** Clear for reuse (keeps the buffers). */
  reset(): void {
    this.count = 0;
    this.mean.fill(0);
    this.m2.fill(0);
    this.min.fill(Infinity);
    this.max.fill(-Infinity);
    this.sum.fill(0);
    this.sumSq.fill(0);
    this.comoment.fill(0);
    for (const h of this.hist) h?.fill(0);
    this.under.fill(0);
    this.over.fill(0);
  }

  /** Add one record's feature values. */
  add(x: ArrayLike<number>): void {
    const F = this.nFeatures;
    const n = ++this.count;
    if (n > this.values[0].length) this.grow();
    const mean = this.mean;
    const delta = this.delta;
    for (let f = 0; f < F; f++) {
      const v = x[f];
      const d = v - mean[f];
      delta[f] = d;
      mean[f] += d / n;
      this.m2[f] += d * (v - mean[f]);
      if (v < this.min[f]) this.min[f] = v;
      if (v > this.max[f]) this.max[f] = v;
      this.sum[f] += v;
      this.sumSq[f] += v * v;
      this.values[f][n - 1] = v;
      const b = this.bins[f];
      if (b !== undefined) {
        const i = binIndex(b, v, this.compat);
        if (i >= 0) (this.hist[f] as Float64Array)[i]++;
        else if (i === -1) this.under[f]++;
        else this.over[f]++;
      }
    }
    if (this.withCov) {
      const c = this.comoment;
      for (let i = 0; i < F; i++) {
        const di = delta[i];
        for (let j = i + 1; j < F; j++) c[i * F + j] += di * (x[j] - mean[j]);
      }
    }
  }

  private grow(): void {
    this.values = this.values.map((v) => {
      const w = new Float64Array(v.length * 2);
      w.set(v);
      return w;
    });
  }

  /** The window's values of feature f in arrival order (a view; valid until reset). */
  view(f: number): Float64Array {
    return this.values[f].subarray(0, this.count);
  }

  /**
   * Final statistics per feature. Sorts each feature's value buffer in place (call after any
   * consumer that needs the arrival order, e.g. row-wise MMD sampling); `sorted(f)` then
   * returns the ascending values.
   */
  finish(opts: StatsOptions): FeatureStats[] {
    const F = this.nFeatures;
    const n = this.count;
    const ref = this.compat === 'reference';
    const r = ref ? round2 : (x: number) => x;
    const out: FeatureStats[] = [];
    for (let f = 0; f < F; f++) {
      const sorted = this.view(f).sort();
      const avg = ref ? this.sum[f] / n : this.mean[f];
      const den = opts.stddev === 'sample' ? n - 1 : n;
      const sd = ref ? referenceStddev(this.sum[f], this.sumSq[f], n, opts.stddev) : den > 0 ? Math.sqrt(this.m2[f] / den) : NaN;
      let histogram: FeatureStats['histogram'];
      const b = this.bins[f];
      if (opts.histogram || ref) {
        if (b !== undefined) {
          histogram = { edges: b.edges, counts: Float64Array.from(this.hist[f] as Float64Array), width: b.width };
        } else if (n > 0) {
          histogram = sturgesHistogram(sorted, this.min[f], this.max[f], this.compat);
        }
      }
      const pct = opts.percentiles.map((p) =>
        ref ? (histogram ? histogramPercentile(histogram.edges, histogram.counts, p, n) : NaN) : percentileLinear(sorted, p),
      );
      let iqr = NaN;
      if (opts.iqr) {
        const p25 = ref ? (histogram ? histogramPercentile(histogram.edges, histogram.counts, 25, n) : NaN) : percentileLinear(sorted, 25);
        const p75 = ref ? (histogram ? histogramPercentile(histogram.edges, histogram.counts, 75, n) : NaN) : percentileLinear(sorted, 75);
        iqr = p75 - p25;
      }
      out.push({
        count: n,
        min: r(this.min[f]),
        max: r(this.max[f]),
        avg: r(avg),
        mean: r(ref ? (this.max[f] - this.min[f]) / n : avg),
        stddev: r(sd),
        percentiles: pct.map(r),
        iqr: r(iqr),
        histogram: opts.histogram ? histogram : undefined,
        underflow: this.under[f],
        overflow: this.over[f],
      });
    }
    return out;
  }

  /** Ascending values of feature f (after finish). */
  sorted(f: number): Float64Array {
    return this.view(f);
  }

  /** Covariance matrix (F×F, row-major), /(n−1) or /n. */
  covariance(type: Dispersion): Float64Array {
    const F = this.nFeatures;
    const n = this.count;
    const den = type === 'sample' ? n - 1 : n;
    const out = new Float64Array(F * F);
    for (let i = 0; i < F; i++) {
      out[i * F + i] = den > 0 ? this.m2[i] / den : NaN;
      for (let j = i + 1; j < F; j++) {
        const v = den > 0 ? this.comoment[i * F + j] / den : NaN;
        out[i * F + j] = v;
        out[j * F + i] = v;
      }
    }
    if (this.compat === 'reference') for (let k = 0; k < out.length; k++) out[k] = round2(out[k]);
    return out;
  }

  /** Pearson correlation matrix (F×F); NaN where a feature is constant. */
  correlation(): Float64Array {
    const F = this.nFeatures;
    const out = new Float64Array(F * F);
    for (let i = 0; i < F; i++) {
      out[i * F + i] = this.m2[i] > 0 ? 1 : NaN;
      for (let j = i + 1; j < F; j++) {
        const v = this.comoment[i * F + j] / Math.sqrt(this.m2[i] * this.m2[j]);
        out[i * F + j] = v;
        out[j * F + i] = v;
      }
    }
    if (this.compat === 'reference') for (let k = 0; k < out.length; k++) out[k] = round2(out[k]);
    return out;
  }
}

/** Histogram with Sturges bins between min and max of ascending-sorted values. */
export function sturgesHistogram(
  sorted: ArrayLike<number>,
  min: number,
  max: number,
  compat: Compat,
): { edges: Float64Array; counts: Float64Array; width: number } {
  const n = sorted.length;
  const k = sturgesBins(n, compat);
  const spec = max > min ? equalWidthBins(min, max, k) : { edges: Float64Array.of(min), width: 1, upper: min + 1 };
  const counts = new Float64Array(spec.edges.length);
  for (let i = 0; i < n; i++) {
    const b = spec.edges.length === 1 ? 0 : binIndex(spec, sorted[i], compat);
    if (b >= 0) counts[b]++;
  }
  return { edges: spec.edges, counts, width: spec.width };
}
