/**
 * Summary statistics of per-request samples as the study analyses report them: mean and
 * percentiles with R's default `quantile` (type 7, linear interpolation between order
 * statistics; calibration-targets.md study 1 "Measurement definitions").
 */

/** Type-7 quantile of an ascending sample (NaN when empty): h = (n − 1)p, linear between ⌊h⌋ and ⌈h⌉. */
export function quantileType7(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantileType7: expected p in [0, 1], found ${p}`);
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** The statistics reported per configuration. */
export interface SampleSummary {
  n: number;
  mean: number;
  p50: number;
  p85: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  min: number;
  /** Interquartile range p75 − p25. */
  iqr: number;
}

/** Summarise a sample (not modified). */
export function summarize(values: ArrayLike<number>): SampleSummary {
  const s = Float64Array.from(values as ArrayLike<number>).sort();
  const n = s.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += s[i];
  const q = (p: number): number => quantileType7(s, p);
  return {
    n, mean: n > 0 ? sum / n : NaN, p50: q(0.5), p85: q(0.85), p90: q(0.9), p95: q(0.95), p99: q(0.99),
    max: n > 0 ? s[n - 1] : NaN, min: n > 0 ? s[0] : NaN, iqr: q(0.75) - q(0.25),
  };
}
