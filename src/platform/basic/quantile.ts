/** Exact sample quantiles and means over typed arrays. */

/**
 * The p-quantile (0 < p <= 1) of `sorted` by the nearest-rank method: the smallest value
 * with at least a fraction p of the sample at or below it (Hyndman & Fan type 1).
 * NaN for an empty sample.
 */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const k = Math.min(n, Math.max(1, Math.ceil(p * n)));
  return sorted[k - 1];
}

/** Arithmetic mean of the first `n` values (NaN when n = 0). */
export function meanOf(values: ArrayLike<number>, n: number = values.length): number {
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i];
  return s / n;
}
