/**
 * Confidence intervals over seeds: mean, sample standard deviation and the two-sided 95 %
 * Student-t interval mean ± t(0.975, n−1)·s/√n. The t quantile is computed from the t CDF
 * (regularized incomplete beta, continued fraction by the modified Lentz method) by
 * bisection, so it holds for any number of degrees of freedom.
 */
import { lnGamma } from '../../monitor/drift/special-functions.js';

const EPS = 1e-15;
const TINY = 1e-300;
const MAX_ITER = 10_000;

/** Continued fraction of the regularized incomplete beta I_x(a, b) (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITER; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) return h;
  }
  return h;
}

/** Regularized incomplete beta function I_x(a, b), for a, b > 0 and 0 ≤ x ≤ 1. */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0)) throw new RangeError(`regularizedBeta: expected a > 0 and b > 0, found a = ${a}, b = ${b}`);
  if (!(x >= 0 && x <= 1)) throw new RangeError(`regularizedBeta: expected 0 <= x <= 1, found ${x}`);
  if (x === 0 || x === 1) return x;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** CDF of Student's t distribution with `df` > 0 degrees of freedom at `t`. */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`studentTCdf: expected df > 0, found ${df}`);
  if (t === 0) return 0.5;
  const t2 = t * t;
  if (t2 < df) {
    // Near the centre df/(df + t²) rounds to 1; use the complementary form instead.
    const centre = 0.5 * regularizedBeta(t2 / (df + t2), 0.5, df / 2);
    return t > 0 ? 0.5 + centre : 0.5 - centre;
  }
  const tail = 0.5 * regularizedBeta(df / (df + t2), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

const quantileCache = new Map<string, number>();

/** The p-quantile (0.5 ≤ p < 1) of Student's t with `df` degrees of freedom, by bisection on the CDF. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p >= 0.5 && p < 1)) throw new RangeError(`studentTQuantile: expected 0.5 <= p < 1, found ${p}`);
  if (!(df > 0)) throw new RangeError(`studentTQuantile: expected df > 0, found ${df}`);
  const key = `${p}/${df}`;
  const hit = quantileCache.get(key);
  if (hit !== undefined) return hit;
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  const q = (lo + hi) / 2;
  quantileCache.set(key, q);
  return q;
}

/** Mean and 95 % confidence interval of a sample (NaN fields when undefined). */
export interface MeanCi {
  /** Number of finite values used. */
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 in the denominator); NaN for n < 2. */
  sd: number;
  /** Half-width t(0.975, n−1)·sd/√n; NaN for n < 2. */
  half: number;
  low: number;
  high: number;
}

/**
 * Mean and two-sided 95 % Student-t confidence interval of the finite values in `xs`
 * (non-finite values are skipped). Values are summed in the order given, so the same
 * input gives bit-identical output.
 */
export function meanCi95(xs: readonly number[]): MeanCi {
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of xs) {
    if (Number.isFinite(x)) {
      n++;
      sum += x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  if (n === 0) return { n, mean: NaN, sd: NaN, half: NaN, low: NaN, high: NaN };
  if (n === 1) return { n, mean: sum, sd: NaN, half: NaN, low: NaN, high: NaN };
  // Equal values: exactly zero width (a rounded sum would leave a spurious 1e-10).
  if (min === max) return { n, mean: min, sd: 0, half: 0, low: min, high: min };
  const mean = sum / n;
  let ss = 0;
  for (const x of xs) if (Number.isFinite(x)) ss += (x - mean) * (x - mean);
  const sd = Math.sqrt(ss / (n - 1));
  const half = (studentTQuantile(0.975, n - 1) * sd) / Math.sqrt(n);
  return { n, mean, sd, half, low: mean - half, high: mean + half };
}
