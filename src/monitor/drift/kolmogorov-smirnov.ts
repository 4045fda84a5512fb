/**
 * Two-sample Kolmogorov–Smirnov test (platform-semantics.md g.1): D = sup_x |F_P(x) − F_Q(x)|,
 * asymptotic p-value Q_KS((√n_e + 0.12 + 0.11/√n_e)·D) with n_e = nm/(n+m) (Numerical Recipes).
 */
import { kolmogorovSurvival } from './special-functions.js';

export interface TestResult {
  statistic: number;
  pValue: number;
}

/** D statistic of two ascending-sorted samples (ties advance both samples together). */
export function ksStatistic(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return NaN;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const x = a[i] <= b[j] ? a[i] : b[j];
    while (i < n && a[i] <= x) i++;
    while (j < m && b[j] <= x) j++;
    const diff = Math.abs(i / n - j / m);
    if (diff > d) d = diff;
  }
  return d;
}

/** Asymptotic two-sided p-value of D for sample sizes n and m (g.1). */
export function ksPValue(d: number, n: number, m: number): number {
  if (!(d >= 0) || n <= 0 || m <= 0) return NaN;
  const ne = (n * m) / (n + m);
  const sq = Math.sqrt(ne);
  return kolmogorovSurvival((sq + 0.12 + 0.11 / sq) * d);
}

/** Two-sample KS test on ascending-sorted samples. */
export function ksTest(a: ArrayLike<number>, b: ArrayLike<number>): TestResult {
  const d = ksStatistic(a, b);
  return { statistic: d, pValue: ksPValue(d, a.length, b.length) };
}

/** Critical value D_α ≈ c(α)·√((n+m)/(nm)); c(0.05) = 1.358, c(0.01) = 1.628 (g.1). */
export function ksCriticalValue(c: number, n: number, m: number): number {
  return c * Math.sqrt((n + m) / (n * m));
}
