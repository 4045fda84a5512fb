/**
 * Per-value outlier rules against the training baseline (calibration-targets.md study 3,
 * "Outlier detection"; ModelMonitor `monitoring.outliers.descriptive`):
 * - 'avg': |x − μ_f| > k·σ_f with the baseline mean and standard deviation (k = 3 in the study);
 * - 'max' / 'min': the "unseen value" rules, x > training max / x < training min.
 * Runs on every record as it arrives (no windowing), and yields at most one alert per
 * anomalous feature value: the first rule that fires, in the configured order.
 */
import type { Baseline } from './baseline.js';
import { MonitorInputError } from './record.js';

export type OutlierRule = 'avg' | 'min' | 'max';

/** k of the k-sigma rule: 3 in the study ("further than three standard deviations"). */
export const DEFAULT_OUTLIER_K = 3;

/** The k-sigma rule: |x − mean| > k·sd. */
export function isSigmaOutlier(x: number, mean: number, sd: number, k: number): boolean {
  return Math.abs(x - mean) > k * sd;
}

export class OutlierRules {
  /** Per rule (in order) and feature: lower and upper bound; a value strictly outside is anomalous. */
  private readonly lo: Float64Array[];
  private readonly hi: Float64Array[];

  constructor(
    baseline: Baseline,
    readonly rules: readonly OutlierRule[],
    readonly k = DEFAULT_OUTLIER_K,
  ) {
    if (!(k > 0)) throw new MonitorInputError(`outliers.k: expected a number > 0, found ${k}`);
    const F = baseline.features.length;
    this.lo = [];
    this.hi = [];
    for (const rule of rules) {
      const lo = new Float64Array(F);
      const hi = new Float64Array(F);
      for (let f = 0; f < F; f++) {
        const b = baseline.features[f];
        if (rule === 'avg') {
          if (!Number.isFinite(b.avg) || !(b.stddev >= 0)) {
            throw new MonitorInputError(`outliers rule 'avg' needs baseline.descriptive.${b.name}.avg and .stddev, found avg=${b.avg}, stddev=${b.stddev}`);
          }
          lo[f] = b.avg - k * b.stddev;
          hi[f] = b.avg + k * b.stddev;
        } else {
          const v = rule === 'min' ? b.min : b.max;
          if (!Number.isFinite(v)) throw new MonitorInputError(`outliers rule '${rule}' needs baseline.descriptive.${b.name}.${rule}, found ${v}`);
          lo[f] = rule === 'min' ? v : -Infinity;
          hi[f] = rule === 'max' ? v : Infinity;
        }
      }
      this.lo.push(lo);
      this.hi.push(hi);
    }
  }

  /** Index (into `rules`) of the first rule that value x of feature f violates, or −1. */
  check(f: number, x: number): number {
    for (let r = 0; r < this.lo.length; r++) {
      if (x < this.lo[r][f] || x > this.hi[r][f]) return r;
    }
    return -1;
  }

  /** The bounds of rule r for feature f: [lo, hi]. */
  bounds(r: number, f: number): [number, number] {
    return [this.lo[r][f], this.hi[r][f]];
  }
}
