/**
 * Probability distributions with validated parameters, sampled from a named RandomStream
 * (DESIGN.md rule 2). Distributions are unit-free: a scenario says "milliseconds" or
 * "seconds", the caller converts the draw (and rounds to integer µs where it is a time).
 *
 * `makeDistribution(spec, path)` validates a spec read from a scenario file and returns a
 * Distribution with its theoretical mean and variance (and a quantile function where one
 * is known in closed form or by table). Bad input throws DistributionError naming the path
 * inside the input, what was expected and what was found, e.g.
 *   `service.duration.sigma: expected a positive number, found -1`.
 *
 * Sampling methods (each draw count is fixed except for the rejection samplers):
 *   constant: no draw; uniform: one uniform; exponential, weibull, pareto: inversion, one
 *   uniform; normal: Marsaglia polar (RandomStream.normal); truncated normal: inversion of
 *   the normal CDF on [Φ(α), Φ(β)] (one uniform, no rejection); lognormal: exp(normal);
 *   gamma: Marsaglia & Tsang (2000), "A simple method for generating gamma variables",
 *   ACM TOMS 26(3), with the U^(1/k) boost for shape < 1; empirical: one uniform;
 *   mixture: one uniform to pick the component, then the component's draws.
 */
import type { RandomStream } from './random.js';

// ---------------------------------------------------------------------------------------
// Specs
// ---------------------------------------------------------------------------------------

export interface ConstantSpec { type: 'constant'; value: number }
export interface UniformSpec { type: 'uniform'; min: number; max: number }
export type ExponentialSpec =
  | { type: 'exponential'; mean: number }
  | { type: 'exponential'; rate: number };
/** Normal, optionally truncated to [min, max] (either bound may be omitted). */
export interface NormalSpec { type: 'normal'; mean: number; sd: number; min?: number; max?: number }
/** Lognormal: ln X ~ Normal(mu, sigma²), or fitted from two summary statistics of X. */
export type LognormalSpec =
  | { type: 'lognormal'; mu: number; sigma: number }
  | { type: 'lognormal'; mean: number; p95: number }
  | { type: 'lognormal'; median: number; p99: number }
  | { type: 'lognormal'; mean: number; sd: number }
  | { type: 'lognormal'; median: number; sigma: number };
/** Gamma with shape k and scale θ (mean kθ), or from mean and coefficient of variation. */
export type GammaSpec =
  | { type: 'gamma'; shape: number; scale: number }
  | { type: 'gamma'; mean: number; cv: number };
export interface WeibullSpec { type: 'weibull'; shape: number; scale: number }
/** Pareto (type I): P(X > x) = (xm / x)^alpha for x ≥ xm. */
export interface ParetoSpec { type: 'pareto'; alpha: number; xm: number }
/**
 * Empirical: either resample the given values uniformly, or a table of [probability, value]
 * points (probabilities from 0 to 1, strictly increasing; values non-decreasing) read as a
 * piecewise-linear inverse CDF.
 */
export type EmpiricalSpec =
  | { type: 'empirical'; samples: readonly number[] }
  | { type: 'empirical'; quantiles: readonly (readonly [number, number])[] };
/** Mixture: pick a component with probability weight / Σ weights, then draw from it. */
export interface MixtureSpec {
  type: 'mixture';
  components: readonly { weight: number; dist: DistributionSpec }[];
}

/** A distribution as written in a scenario; a bare number is a constant. */
export type DistributionSpec =
  | number
  | ConstantSpec
  | UniformSpec
  | ExponentialSpec
  | NormalSpec
  | LognormalSpec
  | GammaSpec
  | WeibullSpec
  | ParetoSpec
  | EmpiricalSpec
  | MixtureSpec;

export interface Distribution {
  /** One draw (unit-free; the caller's unit). */
  sample(rng: RandomStream): number;
  /** Theoretical mean (Infinity when it does not exist, e.g. pareto with alpha ≤ 1). */
  readonly mean: number;
  /** Theoretical variance (Infinity when it does not exist, e.g. pareto with alpha ≤ 2). */
  readonly variance: number;
  /**
   * The validated spec in canonical form (exponential by mean, lognormal by mu/sigma,
   * gamma by shape/scale, ...): `makeDistribution(d.spec)` is the same distribution and
   * draws the same numbers.
   */
  readonly spec: DistributionSpec;
  /** The p-quantile, p in [0, 1] (absent where there is no closed form: gamma, mixture). */
  quantile?(p: number): number;
}

/** A bad distribution spec: where (path), what was expected and what was found. */
export class DistributionError extends Error {
  constructor(readonly path: string, readonly expected: string, readonly found: string) {
    super(`${path}: expected ${expected}, found ${found}`);
    this.name = 'DistributionError';
  }
}

// ---------------------------------------------------------------------------------------
// Special functions (pure, exported for tests and for other modules)
// ---------------------------------------------------------------------------------------

const SQRT_PI = Math.sqrt(Math.PI);
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const SQRT1_2 = Math.SQRT1_2;

/** exp(-x²) with the rounding error of x² removed (x split into a short head and a tail). */
function expMinusSquare(x: number): number {
  const s = Math.floor(x * 16) / 16;
  return Math.exp(-s * s) * Math.exp(-(x - s) * (x + s));
}

/**
 * Complementary error function erfc(x) = 1 − erf(x), relative error about 1e-15 (measured
 * against mpmath in test/core/distributions.test.ts).
 * |x| < 2: the everywhere-positive series erf(x) = 2/√π · x·e^{−x²} · Σ (2x²)ⁿ / (1·3·…·(2n+1))
 * (Abramowitz & Stegun 7.1.6); x ≥ 2: the continued fraction A&S 7.1.14 evaluated by
 * the modified Lentz method.
 */
export function erfc(x: number): number {
  if (x !== x) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) {
    const x2 = x * x;
    let term = 1;
    let sum = 1;
    for (let n = 1; n < 100; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 1 - (2 / SQRT_PI) * x * expMinusSquare(x) * sum;
  }
  if (x > 27.3) return 0; // below the smallest subnormal double
  // erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let i = 1; i < 500; i++) {
    const a = i / 2;
    d = x + a * d;
    if (d === 0) d = tiny;
    c = x + a / c;
    if (c === 0) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return expMinusSquare(x) / (SQRT_PI * f);
}

/** Standard normal CDF Φ(x), accurate in relative terms in the lower tail. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * SQRT1_2);
}

/** Standard normal density φ(x) (0 at ±Infinity). */
export function normalPdf(x: number): number {
  if (!Number.isFinite(x)) return x !== x ? NaN : 0;
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

// Acklam's rational approximation of Φ⁻¹ (relative error < 1.15e-9), P. J. Acklam,
// "An algorithm for computing the inverse normal cumulative distribution function" (2003).
const QA = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const QB = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const QC = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const QD = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Φ⁻¹(p) by Acklam's approximation alone (relative error < 1.15e-9; fast, for sampling). */
export function normalQuantileFast(p: number): number {
  if (p <= 0) return p === 0 ? -Infinity : NaN;
  if (p >= 1) return p === 1 ? Infinity : NaN;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((QC[0] * q + QC[1]) * q + QC[2]) * q + QC[3]) * q + QC[4]) * q + QC[5]) /
      ((((QD[0] * q + QD[1]) * q + QD[2]) * q + QD[3]) * q + 1);
  }
  if (p <= 1 - P_LOW) {
    const q = p - 0.5;
    const r = q * q;
    return ((((((QA[0] * r + QA[1]) * r + QA[2]) * r + QA[3]) * r + QA[4]) * r + QA[5]) * q) /
      (((((QB[0] * r + QB[1]) * r + QB[2]) * r + QB[3]) * r + QB[4]) * r + 1);
  }
  const q = Math.sqrt(-2 * Math.log(1 - p));
  return -(((((QC[0] * q + QC[1]) * q + QC[2]) * q + QC[3]) * q + QC[4]) * q + QC[5]) /
    ((((QD[0] * q + QD[1]) * q + QD[2]) * q + QD[3]) * q + 1);
}

/**
 * Standard normal quantile Φ⁻¹(p): Acklam's approximation refined by one Halley step on
 * erfc (absolute error about 1e-14 for |Φ⁻¹(p)| ≤ 10). Throws RangeError outside [0, 1].
 */
export function normalQuantile(p: number): number {
  checkProbability(p, 'normalQuantile');
  const x = normalQuantileFast(p);
  if (!Number.isFinite(x)) return x;
  // e = Φ(x) − p, computed from the tail that keeps precision.
  const e = x < 0 ? 0.5 * erfc(-x * SQRT1_2) - p : (1 - p) - 0.5 * erfc(x * SQRT1_2);
  const u = e * SQRT_2PI * Math.exp(0.5 * x * x);
  if (!Number.isFinite(u)) return x;
  return x - u / (1 + 0.5 * x * u);
}

// Lanczos approximation, g = 7, n = 9 (coefficients as tabulated by Godfrey; relative
// error about 1e-15 for positive arguments).
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos; reflection below 0.5). */
export function lnGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`lnGamma: expected a positive number, found ${x}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const y = x - 1;
  let a = LANCZOS[0];
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Γ(x) for x > 0 (Infinity beyond about 171.6). */
export function gammaFunction(x: number): number {
  return Math.exp(lnGamma(x));
}

/** Φ⁻¹(0.95) and Φ⁻¹(0.99), the z-scores the lognormal fits use. */
export const Z95 = 1.6448536269514722;
export const Z99 = 2.3263478740408408;

/**
 * Lognormal (mu, sigma) with the given mean and 95th percentile.
 * ln(mean) = mu + sigma²/2 and ln(p95) = mu + z·sigma (z = Φ⁻¹(0.95)) give
 * sigma²/2 − z·sigma + k = 0 with k = ln(p95/mean), so sigma = z ∓ √(z² − 2k).
 * Real roots exist iff k ≤ z²/2, i.e. p95/mean ≤ exp(z²/2) ≈ 3.8681; otherwise returns null.
 * When k > 0 both roots are positive and the smaller one (the less skewed distribution,
 * the one that tends to 0 as p95 → mean) is taken, computed as 2k/(z + √(z² − 2k)) to avoid
 * cancellation; when k ≤ 0 only z + √(z² − 2k) is positive.
 */
export function lognormalFromMeanP95(mean: number, p95: number): { mu: number; sigma: number } | null {
  const k = Math.log(p95 / mean);
  const disc = Z95 * Z95 - 2 * k;
  if (!(disc >= 0)) return null;
  const root = Math.sqrt(disc);
  const sigma = k > 0 ? (2 * k) / (Z95 + root) : Z95 + root;
  return { mu: Math.log(mean) - 0.5 * sigma * sigma, sigma };
}

/** Lognormal (mu, sigma) with the given median and 99th percentile: mu = ln median, sigma = ln(p99/median)/Φ⁻¹(0.99). */
export function lognormalFromMedianP99(median: number, p99: number): { mu: number; sigma: number } {
  return { mu: Math.log(median), sigma: Math.log(p99 / median) / Z99 };
}

/** Lognormal (mu, sigma) with the given mean and standard deviation: sigma² = ln(1 + sd²/mean²), mu = ln mean − sigma²/2. */
export function lognormalFromMeanSd(mean: number, sd: number): { mu: number; sigma: number } {
  const s2 = Math.log1p((sd / mean) * (sd / mean));
  return { mu: Math.log(mean) - 0.5 * s2, sigma: Math.sqrt(s2) };
}

function checkProbability(p: number, what: string): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${what}: expected a probability in [0, 1], found ${p}`);
}

// ---------------------------------------------------------------------------------------
// Distributions
// ---------------------------------------------------------------------------------------

class Constant implements Distribution {
  readonly variance = 0;
  readonly spec: ConstantSpec;
  constructor(readonly mean: number) {
    this.spec = { type: 'constant', value: mean };
  }
  sample(): number {
    return this.mean;
  }
  quantile(p: number): number {
    checkProbability(p, 'quantile');
    return this.mean;
  }
}

class Uniform implements Distribution {
  readonly mean: number;
  readonly variance: number;
  readonly spec: UniformSpec;
  private readonly width: number;
  constructor(private readonly min: number, max: number) {
    this.width = max - min;
    this.mean = min + this.width / 2;
    this.variance = (this.width * this.width) / 12;
    this.spec = { type: 'uniform', min, max };
  }
  sample(rng: RandomStream): number {
    return this.min + this.width * rng.next();
  }
  quantile(p: number): number {
    checkProbability(p, 'quantile');
    return this.min + this.width * p;
  }
}

class Exponential implements Distribution {
  readonly variance: number;
  readonly spec: ExponentialSpec;
  constructor(readonly mean: number) {
    this.variance = mean * mean;
    this.spec = { type: 'exponential', mean };
  }
  sample(rng: RandomStream): number {
    return -this.mean * Math.log(rng.nextOpen());
  }
  quantile(p: number): number {
    checkProbability(p, 'quantile');
    return -this.mean * Math.log1p(-p);
  }
}

class Normal implements Distribution {
  readonly variance: number;
  readonly spec: NormalSpec;
  constructor(readonly mean: number, private readonly sd: number) {
    this.variance = sd * sd;
    this.spec = { type: 'normal', mean, sd };
  }
  sample(rng: RandomStream): number {
    return this.mean + this.sd * rng.normal();
  }
  quantile(p: number): number {
    return this.mean + this.sd * normalQuantile(p);
  }
}

/**
 * Normal(mu, sd²) conditioned on [min, max], sampled by inverting the CDF. To keep
 * precision in the far tail, an interval right of the mean is handled as the mirror image
 * of an interval left of it (work variable T ∈ [lo, hi] with X = mu + sign·sd·T, hi ≤ 0
 * or lo ≤ 0 ≤ hi), so Φ(lo) and Φ(hi) are never close to 1.
 * Mean and variance: mu + sd·(φ(α) − φ(β))/Z and sd²·[1 + (αφ(α) − βφ(β))/Z − ((φ(α) − φ(β))/Z)²]
 * with α, β the standardised bounds and Z = Φ(β) − Φ(α) (Johnson, Kotz & Balakrishnan,
 * Continuous Univariate Distributions vol. 1, §10.1).
 */
class TruncatedNormal implements Distribution {
  readonly mean: number;
  readonly variance: number;
  readonly spec: NormalSpec;
  private readonly sign: number;
  private readonly lo: number;
  private readonly hi: number;
  private readonly cdfLo: number;
  /** Z, the probability the untruncated normal gives to [min, max]. */
  readonly mass: number;

  constructor(private readonly mu: number, private readonly sd: number, min: number | undefined, max: number | undefined) {
    const alpha = min === undefined ? -Infinity : (min - mu) / sd;
    const beta = max === undefined ? Infinity : (max - mu) / sd;
    this.sign = alpha > 0 ? -1 : 1;
    this.lo = alpha > 0 ? -beta : alpha;
    this.hi = alpha > 0 ? -alpha : beta;
    this.cdfLo = normalCdf(this.lo);
    // Z = Φ(hi) − Φ(lo); when hi > 0 use 1 − Φ(lo) − Φ(−hi) (both terms ≤ 1/2).
    this.mass = this.hi > 0 ? 1 - this.cdfLo - normalCdf(-this.hi) : normalCdf(this.hi) - this.cdfLo;
    const pl = normalPdf(this.lo);
    const ph = normalPdf(this.hi);
    const lpl = Number.isFinite(this.lo) ? this.lo * pl : 0;
    const hph = Number.isFinite(this.hi) ? this.hi * ph : 0;
    const m = (pl - ph) / this.mass;
    this.mean = mu + this.sign * sd * m;
    const v = 1 + (lpl - hph) / this.mass - m * m;
    // Guard against rounding in very narrow intervals: 0 ≤ variance ≤ (width/2)² (Popoviciu).
    const halfWidth = (this.hi - this.lo) / 2;
    this.variance = sd * sd * Math.min(Math.max(v, 0), halfWidth * halfWidth);
    this.spec = { type: 'normal', mean: mu, sd };
    if (min !== undefined) this.spec.min = min;
    if (max !== undefined) this.spec.max = max;
  }

  private at(t: number): number {
    const lo = this.lo, hi = this.hi;
    const c = t < lo ? lo : t > hi ? hi : t;
    return this.mu + this.sign * this.sd * c;
  }

  sample(rng: RandomStream): number {
    let u = rng.next();
    if (u === 0) u = 2 ** -53; // keep u in (0, 1) so Φ⁻¹ stays finite
    return this.at(normalQuantileFast(this.cdfLo + u * this.mass));
  }

  quantile(p: number): number {
    checkProbability(p, 'quantile');
    const q = this.sign > 0 ? p : 1 - p;
    if (q === 0) return this.at(this.lo);
    if (q === 1) return this.at(this.hi);
    return this.at(normalQuantile(Math.min(1, this.cdfLo + q * this.mass)));
  }
}

class Lognormal implements Distribution {
  readonly mean: number;
  readonly variance: number;
  readonly spec: LognormalSpec;
  constructor(private readonly mu: number, private readonly sigma: number) {
    const s2 = sigma * sigma;
    this.mean = Math.exp(mu + s2 / 2);
    this.variance = Math.expm1(s2) * Math.exp(2 * mu + s2);
    this.spec = { type: 'lognormal', mu, sigma };
  }
  sample(rng: RandomStream): number {
    return Math.exp(this.mu + this.sigma * rng.normal());
  }
  quantile(p: number): number {
    return Math.exp(this.mu + this.sigma * normalQuantile(p));
  }
}

class Gamma implements Distribution {
  readonly mean: number;
  readonly variance: number;
  readonly spec: GammaSpec;
  private readonly d: number;
  private readonly c: number;
  private readonly invShape: number; // 1/shape when shape < 1 (boost), else 0
  constructor(shape: number, private readonly scale: number) {
    this.mean = shape * scale;
    this.variance = shape * scale * scale;
    this.spec = { type: 'gamma', shape, scale };
    const k = shape < 1 ? shape + 1 : shape;
    this.d = k - 1 / 3;
    this.c = 1 / Math.sqrt(9 * this.d);
    this.invShape = shape < 1 ? 1 / shape : 0;
  }
  sample(rng: RandomStream): number {
    const d = this.d, c = this.c;
    for (;;) {
      let x: number, v: number;
      do {
        x = rng.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = rng.next();
      const x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) {
        const g = d * v * this.scale;
        return this.invShape === 0 ? g : g * Math.pow(rng.nextOpen(), this.invShape);
      }
    }
  }
}

class Weibull implements Distribution {
  readonly mean: number;
  readonly variance: number;
  readonly spec: WeibullSpec;
  private readonly invShape: number;
  constructor(shape: number, private readonly scale: number) {
    this.invShape = 1 / shape;
    const g1 = lnGamma(1 + 1 / shape);
    const g2 = lnGamma(1 + 2 / shape);
    this.mean = scale * Math.exp(g1);
    // λ²[Γ(1+2/k) − Γ(1+1/k)²] = λ²Γ(1+2/k)·(1 − e^{2 lnΓ(1+1/k) − lnΓ(1+2/k)})
    this.variance = scale * scale * Math.exp(g2) * -Math.expm1(2 * g1 - g2);
    this.spec = { type: 'weibull', shape, scale };
  }
  sample(rng: RandomStream): number {
    return this.scale * Math.pow(-Math.log(rng.nextOpen()), this.invShape);
  }
  quantile(p: number): number {
    checkProbability(p, 'quantile');
    return this.scale * Math.pow(-Math.log1p(-p), this.invShape);
  }
}

class Pareto implements Distribution {
  readonly mean: number;
  readonly variance: number;
  readonly spec: ParetoSpec;
  private readonly negInvAlpha: number;
  constructor(alpha: number, private readonly xm: number) {
    this.negInvAlpha = -1 / alpha;
    this.mean = alpha > 1 ? (alpha * xm) / (alpha - 1) : Infinity;
    this.variance = alpha > 2 ? (xm * xm * alpha) / ((alpha - 1) * (alpha - 1) * (alpha - 2)) : Infinity;
    this.spec = { type: 'pareto', alpha, xm };
  }
  sample(rng: RandomStream): number {
    return this.xm * Math.pow(rng.nextOpen(), this.negInvAlpha);
  }
  quantile(p: number): number {
    checkProbability(p, 'quantile');
    return this.xm * Math.pow(1 - p, this.negInvAlpha);
  }
}

/** Resamples the given values (sorted copy): each with probability 1/n. */
class EmpiricalSamples implements Distribution {
  readonly mean: number;
  readonly variance: number;
  readonly spec: EmpiricalSpec;
  private readonly sorted: Float64Array;
  constructor(samples: readonly number[]) {
    this.sorted = Float64Array.from(samples).sort();
    const n = this.sorted.length;
    let s = 0;
    for (let i = 0; i < n; i++) s += this.sorted[i];
    const m = s / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (this.sorted[i] - m) * (this.sorted[i] - m);
    this.mean = m;
    this.variance = ss / n; // the variance of the empirical distribution itself (divisor n)
    this.spec = { type: 'empirical', samples: Array.from(this.sorted) };
  }
  sample(rng: RandomStream): number {
    return this.sorted[Math.floor(rng.next() * this.sorted.length)];
  }
  /** Inverse of the empirical CDF: the smallest value v with F(v) ≥ p. */
  quantile(p: number): number {
    checkProbability(p, 'quantile');
    const n = this.sorted.length;
    return this.sorted[Math.max(0, Math.ceil(p * n) - 1)];
  }
}

/** Piecewise-linear inverse CDF through [p, value] points (p from 0 to 1). */
class EmpiricalQuantiles implements Distribution {
  readonly mean: number;
  readonly variance: number;
  readonly spec: EmpiricalSpec;
  private readonly ps: Float64Array;
  private readonly vs: Float64Array;
  constructor(points: readonly (readonly [number, number])[]) {
    this.ps = Float64Array.from(points, (pt) => pt[0]);
    this.vs = Float64Array.from(points, (pt) => pt[1]);
    // Between two points the value is uniform on [a, b] with mass w:
    // E[X] += w(a + b)/2, E[X²] += w(a² + ab + b²)/3.
    let m = 0;
    for (let i = 0; i + 1 < points.length; i++) m += (this.ps[i + 1] - this.ps[i]) * (this.vs[i] + this.vs[i + 1]) / 2;
    let v = 0;
    for (let i = 0; i + 1 < points.length; i++) {
      const a = this.vs[i] - m, b = this.vs[i + 1] - m;
      v += ((this.ps[i + 1] - this.ps[i]) * (a * a + a * b + b * b)) / 3;
    }
    this.mean = m;
    this.variance = v;
    this.spec = { type: 'empirical', quantiles: points.map((pt) => [pt[0], pt[1]] as const) };
  }
  private inverse(u: number): number {
    const ps = this.ps;
    // largest i with ps[i] ≤ u, i ≤ n − 2
    let lo = 0, hi = ps.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ps[mid] <= u) lo = mid;
      else hi = mid - 1;
    }
    const w = (u - ps[lo]) / (ps[lo + 1] - ps[lo]);
    return this.vs[lo] + w * (this.vs[lo + 1] - this.vs[lo]);
  }
  sample(rng: RandomStream): number {
    return this.inverse(rng.next());
  }
  quantile(p: number): number {
    checkProbability(p, 'quantile');
    return this.inverse(p);
  }
}

class Mixture implements Distribution {
  readonly mean: number;
  readonly variance: number;
  readonly spec: MixtureSpec;
  private readonly cumulative: Float64Array;
  constructor(weights: readonly number[], private readonly parts: readonly Distribution[]) {
    const total = weights.reduce((a, b) => a + b, 0);
    this.cumulative = new Float64Array(weights.length);
    let c = 0;
    for (let i = 0; i < weights.length; i++) {
      c += weights[i] / total;
      this.cumulative[i] = c;
    }
    this.cumulative[weights.length - 1] = 1;
    // Law of total variance: Var X = Σ wᵢ(σᵢ² + μᵢ²) − μ², written as Σ wᵢ(σᵢ² + (μᵢ − μ)²).
    let m = 0;
    for (let i = 0; i < parts.length; i++) m += (weights[i] / total) * parts[i].mean;
    let v = 0;
    for (let i = 0; i < parts.length; i++) {
      const dm = parts[i].mean - m;
      v += (weights[i] / total) * (parts[i].variance + dm * dm);
    }
    this.mean = m;
    this.variance = Number.isFinite(m) ? v : Infinity;
    this.spec = { type: 'mixture', components: parts.map((d, i) => ({ weight: weights[i], dist: d.spec })) };
  }
  sample(rng: RandomStream): number {
    const u = rng.next();
    const cum = this.cumulative;
    let i = 0;
    while (u >= cum[i] && i < cum.length - 1) i++;
    return this.parts[i].sample(rng);
  }
}

// ---------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------

const TYPES = ['constant', 'uniform', 'exponential', 'normal', 'lognormal', 'gamma', 'weibull', 'pareto', 'empirical', 'mixture'] as const;
type TypeName = (typeof TYPES)[number];

/** The accepted parameter sets of each type, and optional fields. */
const PARAMETER_SETS: Record<TypeName, { sets: string[][]; optional: string[] }> = {
  constant: { sets: [['value']], optional: [] },
  uniform: { sets: [['min', 'max']], optional: [] },
  exponential: { sets: [['mean'], ['rate']], optional: [] },
  normal: { sets: [['mean', 'sd']], optional: ['min', 'max'] },
  lognormal: { sets: [['mu', 'sigma'], ['mean', 'p95'], ['median', 'p99'], ['mean', 'sd'], ['median', 'sigma']], optional: [] },
  gamma: { sets: [['shape', 'scale'], ['mean', 'cv']], optional: [] },
  weibull: { sets: [['shape', 'scale']], optional: [] },
  pareto: { sets: [['alpha', 'xm']], optional: [] },
  empirical: { sets: [['samples'], ['quantiles']], optional: [] },
  mixture: { sets: [['components']], optional: [] },
};

/** What each field must be, for "found nothing" messages of a missing field. */
const FIELD_EXPECTATION: Record<string, string> = {
  value: 'a finite number', min: 'a finite number', max: 'a finite number', mean: 'a positive number',
  rate: 'a positive number', sd: 'a positive number', mu: 'a finite number', sigma: 'a positive number',
  p95: 'a positive number', median: 'a positive number', p99: 'a positive number', shape: 'a positive number',
  scale: 'a positive number', cv: 'a positive number', alpha: 'a positive number', xm: 'a positive number',
  samples: 'a non-empty array of finite numbers', quantiles: 'an array of [probability, value] pairs',
  components: 'a non-empty array of {weight, dist}',
};

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** A short description of a found value for error messages. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'function' || typeof v === 'symbol') return `a ${typeof v}`;
  let text: string;
  try {
    text = JSON.stringify(v);
  } catch {
    text = Array.isArray(v) ? 'an array' : 'an object';
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(path: string, expected: string, found: unknown): never {
  throw new DistributionError(path, expected, describeValue(found));
}

function finiteNumber(obj: Record<string, unknown>, key: string, path: string): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(child(path, key), 'a finite number', v);
  return v;
}

function positiveNumber(obj: Record<string, unknown>, key: string, path: string): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) fail(child(path, key), 'a positive number', v);
  return v;
}

/** Pick the parameter set given by the fields of `obj`, or throw a message that says what is wrong. */
function parameterSet(obj: Record<string, unknown>, type: TypeName, path: string): string[] {
  const { sets, optional } = PARAMETER_SETS[type];
  const known = new Set<string>(['type', ...optional, ...sets.flat()]);
  const fieldList = [...sets.flat().filter((f, i, a) => a.indexOf(f) === i), ...optional].join(', ');
  const given = Object.keys(obj).filter((k) => k !== 'type' && !optional.includes(k));
  for (const k of Object.keys(obj)) {
    if (!known.has(k)) throw new DistributionError(child(path, k), `a field of a ${type} distribution (${fieldList})`, `an unknown field "${k}"`);
  }
  const exact = sets.find((s) => s.length === given.length && s.every((f) => given.includes(f)));
  if (exact !== undefined) return exact;
  const supersets = sets.filter((s) => given.every((f) => s.includes(f)));
  if (supersets.length === 1) {
    const missing = supersets[0].find((f) => !given.includes(f)) as string;
    fail(child(path, missing), FIELD_EXPECTATION[missing], undefined);
  }
  const alternatives = sets.map((s) => `{${s.join(', ')}}`).join(' or ');
  throw new DistributionError(
    path,
    `a ${type} distribution given by ${alternatives}`,
    given.length === 0 ? 'no parameters' : `{${given.join(', ')}}`,
  );
}

/**
 * Validate a distribution spec (see DistributionSpec) and build the distribution.
 * `path` names the spec's place in the input for error messages (default "distribution").
 * Throws DistributionError on any bad field, unknown field or impossible parameter combination.
 */
export function makeDistribution(spec: unknown, path = 'distribution'): Distribution {
  if (typeof spec === 'number') {
    if (!Number.isFinite(spec)) fail(path, 'a finite number or a distribution object', spec);
    return new Constant(spec);
  }
  if (!isPlainObject(spec)) fail(path, 'a number or a distribution object with a "type" field', spec);
  const type = spec.type;
  if (typeof type !== 'string' || !(TYPES as readonly string[]).includes(type)) {
    fail(child(path, 'type'), `one of ${TYPES.map((t) => `"${t}"`).join(', ')}`, type);
  }
  const t = type as TypeName;
  const set = parameterSet(spec, t, path);
  switch (t) {
    case 'constant':
      return new Constant(finiteNumber(spec, 'value', path));
    case 'uniform': {
      const min = finiteNumber(spec, 'min', path);
      const max = finiteNumber(spec, 'max', path);
      if (!(max > min)) fail(child(path, 'max'), `a number greater than min (${min})`, max);
      return new Uniform(min, max);
    }
    case 'exponential':
      return new Exponential(set[0] === 'mean' ? positiveNumber(spec, 'mean', path) : 1 / positiveNumber(spec, 'rate', path));
    case 'normal': {
      const mean = finiteNumber(spec, 'mean', path);
      const sd = positiveNumber(spec, 'sd', path);
      const min = spec.min === undefined ? undefined : finiteNumber(spec, 'min', path);
      const max = spec.max === undefined ? undefined : finiteNumber(spec, 'max', path);
      if (min === undefined && max === undefined) return new Normal(mean, sd);
      if (min !== undefined && max !== undefined && !(max > min)) fail(child(path, 'max'), `a number greater than min (${min})`, max);
      const d = new TruncatedNormal(mean, sd, min, max);
      if (!(d.mass >= 1e-300)) {
        throw new DistributionError(
          path,
          'truncation bounds that keep a representable share (≥ 1e-300) of the normal\'s probability',
          `min ${min ?? '-Infinity'} and max ${max ?? 'Infinity'} for mean ${mean} and sd ${sd}`,
        );
      }
      return d;
    }
    case 'lognormal':
      return makeLognormal(spec, set, path);
    case 'gamma': {
      if (set[0] === 'shape') return new Gamma(positiveNumber(spec, 'shape', path), positiveNumber(spec, 'scale', path));
      const mean = positiveNumber(spec, 'mean', path);
      const cv = positiveNumber(spec, 'cv', path);
      return new Gamma(1 / (cv * cv), mean * cv * cv);
    }
    case 'weibull':
      return new Weibull(positiveNumber(spec, 'shape', path), positiveNumber(spec, 'scale', path));
    case 'pareto':
      return new Pareto(positiveNumber(spec, 'alpha', path), positiveNumber(spec, 'xm', path));
    case 'empirical':
      return set[0] === 'samples' ? makeEmpiricalSamples(spec.samples, child(path, 'samples')) : makeEmpiricalQuantiles(spec.quantiles, child(path, 'quantiles'));
    case 'mixture':
      return makeMixture(spec.components, child(path, 'components'));
  }
}

function makeLognormal(spec: Record<string, unknown>, set: string[], path: string): Distribution {
  switch (`${set[0]}/${set[1]}`) {
    case 'mu/sigma':
      return new Lognormal(finiteNumber(spec, 'mu', path), positiveNumber(spec, 'sigma', path));
    case 'median/sigma':
      return new Lognormal(Math.log(positiveNumber(spec, 'median', path)), positiveNumber(spec, 'sigma', path));
    case 'mean/sd': {
      const f = lognormalFromMeanSd(positiveNumber(spec, 'mean', path), positiveNumber(spec, 'sd', path));
      return new Lognormal(f.mu, f.sigma);
    }
    case 'median/p99': {
      const median = positiveNumber(spec, 'median', path);
      const p99 = positiveNumber(spec, 'p99', path);
      if (!(p99 > median)) fail(child(path, 'p99'), `a number greater than median (${median})`, p99);
      const f = lognormalFromMedianP99(median, p99);
      return new Lognormal(f.mu, f.sigma);
    }
    default: {
      const mean = positiveNumber(spec, 'mean', path);
      const p95 = positiveNumber(spec, 'p95', path);
      const f = lognormalFromMeanP95(mean, p95);
      if (f === null) {
        const ratio = Math.exp((Z95 * Z95) / 2);
        fail(child(path, 'p95'), `at most ${+(mean * ratio).toPrecision(6)} (a lognormal's p95 is at most exp(z₀.₉₅²/2) ≈ ${ratio.toFixed(4)} × its mean ${mean})`, p95);
      }
      return new Lognormal(f.mu, f.sigma);
    }
  }
}

function makeEmpiricalSamples(v: unknown, path: string): Distribution {
  if (!Array.isArray(v) || v.length === 0) fail(path, 'a non-empty array of finite numbers', v);
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(child(path, i), 'a finite number', x);
  }
  return new EmpiricalSamples(v as number[]);
}

function makeEmpiricalQuantiles(v: unknown, path: string): Distribution {
  if (!Array.isArray(v) || v.length < 2) fail(path, 'an array of at least two [probability, value] pairs, from probability 0 to 1', v);
  const points: [number, number][] = [];
  for (let i = 0; i < v.length; i++) {
    const pt: unknown = v[i];
    const at = child(path, i);
    if (!Array.isArray(pt) || pt.length !== 2) fail(at, 'a [probability, value] pair', pt);
    const p: unknown = pt[0];
    const x: unknown = pt[1];
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) fail(child(at, 0), 'a probability in [0, 1]', p);
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(child(at, 1), 'a finite number', x);
    if (i === 0 && p !== 0) fail(child(at, 0), '0 (the table starts at probability 0, the minimum value)', p);
    if (i === v.length - 1 && p !== 1) fail(child(at, 0), '1 (the table ends at probability 1, the maximum value)', p);
    if (i > 0) {
      const [pp, px] = points[i - 1];
      if (!(p > pp)) fail(child(at, 0), `a probability greater than the previous one (${pp})`, p);
      if (!(x >= px)) fail(child(at, 1), `a value not below the previous one (${px})`, x);
    }
    points.push([p, x]);
  }
  return new EmpiricalQuantiles(points);
}

function makeMixture(v: unknown, path: string): Distribution {
  if (!Array.isArray(v) || v.length === 0) fail(path, 'a non-empty array of {weight, dist}', v);
  const weights: number[] = [];
  const parts: Distribution[] = [];
  for (let i = 0; i < v.length; i++) {
    const c: unknown = v[i];
    const at = child(path, i);
    if (!isPlainObject(c)) fail(at, 'an object {weight, dist}', c);
    for (const k of Object.keys(c)) {
      if (k !== 'weight' && k !== 'dist') throw new DistributionError(child(at, k), 'a field of a mixture component (weight, dist)', `an unknown field "${k}"`);
    }
    weights.push(positiveNumber(c, 'weight', at));
    if (c.dist === undefined) fail(child(at, 'dist'), 'a distribution', undefined);
    parts.push(makeDistribution(c.dist, child(at, 'dist')));
  }
  return new Mixture(weights, parts);
}
