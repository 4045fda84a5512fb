/**
 * Wasserstein-1 between two 1-D samples: W₁ = ∫ |F_P(x) − F_Q(x)| dx (platform-semantics.md
 * g.1), computed exactly from the two empirical CDFs by a merged walk over sorted samples.
 * For equal sizes it equals the mean of |sorted differences|.
 */

/** W₁ of two ascending-sorted samples, in the units of the values. */
export function wassersteinSamples(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return NaN;
  let i = 0;
  let j = 0;
  let prev = a[0] < b[0] ? a[0] : b[0];
  let s = 0;
  while (i < n || j < m) {
    const x = j >= m || (i < n && a[i] <= b[j]) ? a[i] : b[j];
    s += Math.abs(i / n - j / m) * (x - prev);
    prev = x;
    while (i < n && a[i] <= x) i++;
    while (j < m && b[j] <= x) j++;
  }
  return s;
}
