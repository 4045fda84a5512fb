/**
 * Distances and divergences between two discrete distributions on the same bins
 * (platform-semantics.md g.1), plus the reference implementation's forms
 * (calibration-targets.md study 3, "Drift detection", exact computation in the public code).
 *
 * Inputs are bin counts or proportions; every function normalises what it is given, so
 * counts and proportions give the same answer. Empty inputs give NaN.
 */

type Vec = ArrayLike<number>;

function checkSameLength(p: Vec, q: Vec, what: string): void {
  if (p.length !== q.length) {
    throw new RangeError(`${what}: expected two distributions over the same bins, found ${p.length} and ${q.length} bins`);
  }
}

function total(v: Vec): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s;
}

/** Proportions v / Σv (a new array). A zero total gives all NaN. */
export function normalize(v: Vec): Float64Array {
  const s = total(v);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] / s;
  return out;
}

/**
 * Kullback–Leibler divergence KL(P‖Q) = Σ p ln(p/q) / ln(base), scipy `entropy(p, q)` semantics:
 * terms with p = 0 contribute 0; p > 0 with q = 0 gives +Infinity.
 */
export function klDivergence(p: Vec, q: Vec, base = Math.E): number {
  checkSameLength(p, q, 'KL divergence');
  const sp = total(p);
  const sq = total(q);
  if (!(sp > 0) || !(sq > 0)) return NaN;
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / sp;
    if (pi === 0) continue;
    const qi = q[i] / sq;
    if (qi === 0) return Infinity;
    s += pi * Math.log(pi / qi);
  }
  return s / Math.log(base);
}

/** Jensen–Shannon divergence ½KL(P‖M) + ½KL(Q‖M), M = (P+Q)/2; range [0, ln 2] in nats (g.1). */
export function jensenShannonDivergence(p: Vec, q: Vec, base = Math.E): number {
  checkSameLength(p, q, 'Jensen-Shannon divergence');
  const sp = total(p);
  const sq = total(q);
  if (!(sp > 0) || !(sq > 0)) return NaN;
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / sp;
    const qi = q[i] / sq;
    const mi = 0.5 * (pi + qi);
    if (pi > 0) s += 0.5 * pi * Math.log(pi / mi);
    if (qi > 0) s += 0.5 * qi * Math.log(qi / mi);
  }
  return Math.max(0, s) / Math.log(base);
}

/**
 * Jensen–Shannon distance √JSD, scipy `spatial.distance.jensenshannon` (natural log by
 * default: range [0, √ln2 ≈ 0.833]; base 2 gives [0, 1]) (g.1). Evidently's `jensenshannon`
 * test reports this value.
 */
export function jensenShannonDistance(p: Vec, q: Vec, base = Math.E): number {
  return Math.sqrt(jensenShannonDivergence(p, q, base));
}

/** Hellinger distance (1/√2)·‖√p − √q‖₂, in [0, 1] (g.1). */
export function hellingerDistance(p: Vec, q: Vec): number {
  checkSameLength(p, q, 'Hellinger distance');
  const sp = total(p);
  const sq = total(q);
  if (!(sp > 0) || !(sq > 0)) return NaN;
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const d = Math.sqrt(p[i] / sp) - Math.sqrt(q[i] / sq);
    s += d * d;
  }
  return Math.sqrt(s) / Math.SQRT2;
}

/**
 * Evidently's zero handling for binned tests (g.1, PSI): every zero proportion is replaced by
 * 0.0001, or by min_nonzero/10⁶ when the smallest non-zero proportion is ≤ 0.0001. No
 * renormalisation afterwards (as in Evidently). Input proportions, output a new array.
 */
export function fillZerosEvidently(prop: Vec): Float64Array {
  let minNonZero = Infinity;
  for (let i = 0; i < prop.length; i++) if (prop[i] !== 0 && prop[i] < minNonZero) minNonZero = prop[i];
  const fill = minNonZero <= 0.0001 ? minNonZero / 1e6 : 0.0001;
  const out = new Float64Array(prop.length);
  for (let i = 0; i < prop.length; i++) out[i] = prop[i] === 0 ? fill : prop[i];
  return out;
}

/**
 * Population stability index Σ (q − p)·ln(q/p), P = reference, Q = current (g.1), with
 * Evidently's zero handling applied to both (so the value is always finite).
 * Rule of thumb: < 0.1 no significant shift, 0.1–0.25 moderate, > 0.25 significant.
 */
export function populationStabilityIndex(reference: Vec, current: Vec): number {
  checkSameLength(reference, current, 'PSI');
  if (!(total(reference) > 0) || !(total(current) > 0)) return NaN;
  const p = fillZerosEvidently(normalize(reference));
  const q = fillZerosEvidently(normalize(current));
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (q[i] - p[i]) * Math.log(q[i] / p[i]);
  return s;
}

/**
 * Wasserstein-1 between two histograms on equal-width bins: width · Σ_i |Σ_{j≤i}(p_j − q_j)|.
 * This is the exact W₁ between the two discrete distributions that put each bin's mass at
 * the same point of the bin (W₁ = ∫|F_P − F_Q|, g.1), in the units of the values.
 */
export function wassersteinHistogram(p: Vec, q: Vec, binWidth: number): number {
  return binWidth * wassersteinBinUnits(p, q);
}

/** Σ_i |Σ_{j≤i}(p_j − q_j)| on normalised p, q: W₁ in bin units. */
function wassersteinBinUnits(p: Vec, q: Vec): number {
  checkSameLength(p, q, 'Wasserstein distance');
  const sp = total(p);
  const sq = total(q);
  if (!(sp > 0) || !(sq > 0)) return NaN;
  let cum = 0;
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    cum += p[i] / sp - q[i] / sq;
    s += Math.abs(cum);
  }
  return s;
}

// ---------------------------------------------------------------------------------------
// Reference implementation forms (study 3, "Exact computation in the public code", items 2–5).

/** Bins at or below this proportion are skipped by the reference KL (public code, item 3). */
export const REFERENCE_KL_SKIP = 1e-11;

/**
 * The reference implementation's KL(P‖Q): natural log, skipping bins where P ≤ 1e−11 or
 * Q ≤ 1e−11: never infinite, and negative when P has mass where Q ≤ 1e−11.
 * P = window proportions, Q = baseline proportions.
 */
export function referenceKL(p: Vec, q: Vec): number {
  checkSameLength(p, q, 'KL divergence');
  const sp = total(p);
  const sq = total(q);
  if (!(sp > 0) || !(sq > 0)) return NaN;
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / sp;
    const qi = q[i] / sq;
    if (pi <= REFERENCE_KL_SKIP || qi <= REFERENCE_KL_SKIP) continue;
    s += pi * Math.log(pi / qi);
  }
  return s;
}

/** The reference JS: ½·refKL(P‖M) + ½·refKL(Q‖M), M = (P+Q)/2; maximum ln 2 (item 4). */
export function referenceJS(p: Vec, q: Vec): number {
  checkSameLength(p, q, 'Jensen-Shannon divergence');
  const pn = normalize(p);
  const qn = normalize(q);
  const m = new Float64Array(p.length);
  for (let i = 0; i < m.length; i++) m[i] = 0.5 * (pn[i] + qn[i]);
  return 0.5 * referenceKL(pn, m) + 0.5 * referenceKL(qn, m);
}

/** The reference Wasserstein: Σ_i |Σ_{j≤i}(P_j − Q_j)|, in bin units, not × bin width (item 5). */
export function referenceWasserstein(p: Vec, q: Vec): number {
  return wassersteinBinUnits(p, q);
}
