/**
 * Request payloads: feature values per request, drawn from per-feature distributions
 * (optionally correlated Gaussians), with scheduled, labelled changes so a drift monitor's
 * detections can be scored against ground truth:
 * - drift: location shift, scale change around the reference mean, and mixture with a new
 *   distribution; abrupt (ramp 0) or gradual (linear ramp of the effect over `ramp` µs);
 * - outlier injection at a rate: values replaced by mean ± z·sd with |z| ~ U[k0, k1],
 *   per value or per instance, on the high, low or both sides.
 * Changes start and end at absolute simulated times or at the start of a closed-loop stage
 * (the client calls `stageStarted`). The Iris preset follows calibration-targets.md, study 3
 * (Tab 3.3.1 baseline and the suggested generator defaults of its Workload section).
 *
 * Order of application for one draw: base value → mixture → scale → shift → outliers.
 * Random substreams: `<stream>.features` (base values), `<stream>.drift` (mixture choices
 * and draws), `<stream>.outliers` (outlier positions and magnitudes).
 */
import type { RandomStream, RandomStreams } from '../core/random.js';
import type { Time } from '../core/time.js';
import { makeDistribution, type Distribution, type DistributionSpec } from '../core/distributions.js';

/** A request's features and their ground-truth labels. */
export interface RequestPayload {
  /** Simulated time of the draw, µs. */
  readonly time: Time;
  /** Feature values, in the order of `featureNames`. */
  readonly values: Float64Array;
  /** Bit i set: feature i holds an injected outlier. */
  readonly outlierMask: number;
  /** Bit j set: change j of `schedule()` had a positive effect on this draw. */
  readonly changeMask: number;
}

/** What arrival sources and clients call to attach a payload to each request. */
export interface PayloadSource {
  readonly featureNames: readonly string[];
  /** Draw the payload of a request arriving at `now` (µs) for function `fn`. */
  sample(now: Time, fn: number): RequestPayload;
  /** Closed-loop clients call this when stage `stage` (0-based) starts at `now`. */
  stageStarted?(stage: number, now: Time): void;
}

/** A Gaussian feature N(mean, sd²), optionally truncated to mean ± truncateSd·sd; may be correlated. */
export interface GaussianFeature {
  name: string;
  mean: number;
  sd: number;
  truncateSd?: number;
}

/** A feature with any distribution (see core/distributions.ts); mean/sd default to the distribution's. */
export interface DistributionFeature {
  name: string;
  dist: DistributionSpec;
  /** Reference mean for scale changes and outliers (default: the distribution's mean). */
  mean?: number;
  /** Reference sd for shifts in sd units and outliers (default: √variance of the distribution). */
  sd?: number;
}

export type FeatureSpec = GaussianFeature | DistributionFeature;

/** When a change starts or ends: an absolute simulated time (µs) or the start of a closed-loop stage (0-based). */
export type ChangeTime = Time | { stage: number };

/** A drift change. Any of shift / shiftSd / scale / mixture may be combined. */
export interface DriftSpec {
  kind: 'drift';
  label: string;
  /** Affected features (default: all). */
  features?: readonly string[];
  start: ChangeTime;
  /** Removed abruptly at this time (default: never). */
  end?: ChangeTime;
  /** Linear ramp of the effect from 0 to full over this many µs (default 0: abrupt). */
  ramp?: Time;
  /** Location shift in feature units (number for all features, or per feature name). */
  shift?: number | Readonly<Record<string, number>>;
  /** Location shift in units of each feature's reference sd. */
  shiftSd?: number | Readonly<Record<string, number>>;
  /** Spread multiplied by this factor around the reference mean (> 0). */
  scale?: number | Readonly<Record<string, number>>;
  /** At full effect, a share `weight` of draws comes from `dist` instead. */
  mixture?: { weight: number; dist: DistributionSpec };
}

/** Outlier injection: values k sd away from the reference mean. */
export interface OutlierSpec {
  kind: 'outliers';
  label: string;
  features?: readonly string[];
  start: ChangeTime;
  end?: ChangeTime;
  /** Probability per value (per = 'value') or per request (per = 'instance'), in [0, 1]. */
  rate: number;
  per?: 'value' | 'instance';
  /** |z| uniform in [k[0], k[1]] (default [3, 4.5], study 3 suggested default). */
  k?: readonly [number, number];
  /** Side of the outliers: one for all, or per feature (default 'both'). */
  side?: OutlierSide | Readonly<Record<string, OutlierSide>>;
}
export type OutlierSide = 'both' | 'high' | 'low';

export type ChangeSpec = DriftSpec | OutlierSpec;

export interface PayloadOptions {
  features: readonly FeatureSpec[];
  /** Correlation matrix of the (all-Gaussian) features, symmetric positive definite. */
  correlation?: readonly (readonly number[])[];
  changes?: readonly ChangeSpec[];
  /** Prefix of the random substreams (default "payload"). */
  stream?: string;
}

/** Ground truth of one change, with times resolved once known (µs; undefined while a stage has not started). */
export interface ChangeRecord {
  readonly index: number;
  readonly label: string;
  readonly kind: 'drift' | 'outliers';
  readonly features: readonly string[];
  readonly start: Time | undefined;
  /** Time the effect reaches full strength (start + ramp). */
  readonly fullAt: Time | undefined;
  readonly end: Time | undefined;
}

/** A bad payload option: the path inside the options, what was expected, what was found. */
export class PayloadOptionError extends Error {
  constructor(readonly path: string, expected: string, found: unknown) {
    super(`${path}: expected ${expected}, found ${typeof found === 'object' ? JSON.stringify(found) : String(found)}`);
    this.name = 'PayloadOptionError';
  }
}

/**
 * Effect weight of a change at time t: 0 before start and from end on, a linear ramp from
 * 0 to 1 over [start, start + ramp), 1 afterwards. Pure; exported for tests.
 */
export function changeWeight(t: Time, start: Time | undefined, ramp: Time, end: Time | undefined): number {
  if (start === undefined || t < start) return 0;
  if (end !== undefined && t >= end) return 0;
  if (ramp <= 0) return 1;
  const w = (t - start) / ramp;
  return w >= 1 ? 1 : w;
}

/** Cholesky factor L (lower, row-major n×n) of a symmetric positive-definite matrix; throws on failure. */
export function cholesky(m: readonly (readonly number[])[], path = 'correlation'): Float64Array {
  const n = m.length;
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    if (!Array.isArray(m[i]) || m[i].length !== n) throw new PayloadOptionError(`${path}[${i}]`, `a row of ${n} numbers`, m[i]);
    for (let j = 0; j < n; j++) {
      if (!Number.isFinite(m[i][j])) throw new PayloadOptionError(`${path}[${i}][${j}]`, 'a finite number', m[i][j]);
      if (Math.abs(m[i][j] - m[j]?.[i]) > 1e-12) throw new PayloadOptionError(`${path}[${i}][${j}]`, `a symmetric matrix (equal to [${j}][${i}] = ${m[j]?.[i]})`, m[i][j]);
    }
  }
  for (let j = 0; j < n; j++) {
    let d = m[j][j];
    for (let k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
    if (!(d > 0)) throw new PayloadOptionError(path, 'a positive-definite matrix', `a non-positive pivot at row ${j}`);
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = m[i][j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

interface ResolvedChange {
  spec: ChangeSpec;
  featureIdx: Int32Array;
  start: Time | undefined;
  end: Time | undefined;
  ramp: Time;
  startStage: number;
  endStage: number;
  // drift, per feature index (NaN = no effect)
  shift: Float64Array;
  scale: Float64Array;
  mixWeight: number;
  mixDist: Distribution | null;
  // outliers
  rate: number;
  perInstance: boolean;
  k0: number;
  k1: number;
  side: Int8Array; // 0 both, 1 high, -1 low
}

/** A payload model: draws feature vectors with scheduled drift and outliers. */
export class PayloadModel implements PayloadSource {
  readonly featureNames: readonly string[];
  private readonly n: number;
  private readonly means: Float64Array;
  private readonly sds: Float64Array;
  private readonly dists: (Distribution | null)[];
  private readonly truncate: Float64Array;
  private readonly chol: Float64Array | null;
  private readonly changes: ResolvedChange[];
  private readonly rngFeatures: RandomStream;
  private readonly rngDrift: RandomStream;
  private readonly rngOutliers: RandomStream;
  private readonly z: Float64Array;

  constructor(opts: PayloadOptions, random: RandomStreams) {
    const feats = opts.features;
    if (!Array.isArray(feats) || feats.length === 0) throw new PayloadOptionError('features', 'a non-empty array of features', feats);
    if (feats.length > 31) throw new PayloadOptionError('features', 'at most 31 features (outlier masks are 31-bit)', feats.length);
    const n = feats.length;
    this.n = n;
    this.featureNames = feats.map((f, i) => {
      if (typeof f?.name !== 'string' || f.name === '') throw new PayloadOptionError(`features[${i}].name`, 'a non-empty string', f?.name);
      return f.name;
    });
    const dup = this.featureNames.find((nm, i) => this.featureNames.indexOf(nm) !== i);
    if (dup !== undefined) throw new PayloadOptionError('features', 'distinct feature names', `"${dup}" twice`);
    this.means = new Float64Array(n);
    this.sds = new Float64Array(n);
    this.truncate = new Float64Array(n).fill(Infinity);
    this.dists = [];
    let allGaussian = true;
    feats.forEach((f, i) => {
      const p = `features[${i}]`;
      if ('dist' in f) {
        allGaussian = false;
        const d = makeDistribution(f.dist, `${p}.dist`);
        this.dists.push(d);
        this.means[i] = f.mean ?? d.mean;
        this.sds[i] = f.sd ?? Math.sqrt(d.variance);
      } else {
        if (!Number.isFinite(f.mean)) throw new PayloadOptionError(`${p}.mean`, 'a finite number', f.mean);
        if (!(f.sd > 0)) throw new PayloadOptionError(`${p}.sd`, 'a positive number', f.sd);
        this.means[i] = f.mean;
        this.sds[i] = f.sd;
        if (f.truncateSd !== undefined) {
          if (!(f.truncateSd > 0)) throw new PayloadOptionError(`${p}.truncateSd`, 'a positive number', f.truncateSd);
          this.truncate[i] = f.truncateSd;
        }
        const spec: DistributionSpec =
          f.truncateSd === undefined
            ? { type: 'normal', mean: f.mean, sd: f.sd }
            : { type: 'normal', mean: f.mean, sd: f.sd, min: f.mean - f.truncateSd * f.sd, max: f.mean + f.truncateSd * f.sd };
        this.dists.push(makeDistribution(spec, p));
      }
    });
    if (opts.correlation !== undefined) {
      if (!allGaussian) throw new PayloadOptionError('correlation', 'only Gaussian features {name, mean, sd} when a correlation matrix is given', 'a feature with "dist"');
      if (opts.correlation.length !== n) throw new PayloadOptionError('correlation', `a ${n}×${n} matrix`, `${opts.correlation.length} rows`);
      opts.correlation.forEach((row, i) => {
        if (row?.[i] !== 1) throw new PayloadOptionError(`correlation[${i}][${i}]`, '1 (a correlation matrix has a unit diagonal)', row?.[i]);
      });
      this.chol = cholesky(opts.correlation);
    } else this.chol = null;
    this.z = new Float64Array(n);
    this.changes = (opts.changes ?? []).map((c, j) => this.resolveChange(c, `changes[${j}]`));
    if (this.changes.length > 31) throw new PayloadOptionError('changes', 'at most 31 changes (change masks are 31-bit)', this.changes.length);
    const prefix = opts.stream ?? 'payload';
    this.rngFeatures = random.stream(`${prefix}.features`);
    this.rngDrift = random.stream(`${prefix}.drift`);
    this.rngOutliers = random.stream(`${prefix}.outliers`);
  }

  private featureIndex(name: string, path: string): number {
    const i = this.featureNames.indexOf(name);
    if (i < 0) throw new PayloadOptionError(path, `a feature name (${this.featureNames.join(', ')})`, `"${name}"`);
    return i;
  }

  private perFeature(v: number | Readonly<Record<string, number>> | undefined, path: string, idx: Int32Array, check: (x: number) => boolean, what: string): Float64Array {
    const out = new Float64Array(this.n).fill(NaN);
    if (v === undefined) return out;
    if (typeof v === 'number') {
      if (!check(v)) throw new PayloadOptionError(path, what, v);
      for (const i of idx) out[i] = v;
      return out;
    }
    for (const [name, x] of Object.entries(v)) {
      const i = this.featureIndex(name, `${path}.${name}`);
      if (!idx.includes(i)) throw new PayloadOptionError(`${path}.${name}`, 'a feature listed in "features"', `"${name}"`);
      if (!check(x)) throw new PayloadOptionError(`${path}.${name}`, what, x);
      out[i] = x;
    }
    return out;
  }

  private resolveTime(t: ChangeTime | undefined, path: string): { time: Time | undefined; stage: number } {
    if (t === undefined) return { time: undefined, stage: -1 };
    if (typeof t === 'number') {
      if (!(t >= 0) || !Number.isFinite(t)) throw new PayloadOptionError(path, 'a non-negative time in µs or {stage: n}', t);
      return { time: t, stage: -1 };
    }
    if (typeof t === 'object' && t !== null && Number.isInteger(t.stage) && t.stage >= 0) return { time: undefined, stage: t.stage };
    throw new PayloadOptionError(path, 'a non-negative time in µs or {stage: n} with n a 0-based stage index', t);
  }

  private resolveChange(c: ChangeSpec, p: string): ResolvedChange {
    if (c === null || typeof c !== 'object') throw new PayloadOptionError(p, 'a change object', c);
    if (c.kind !== 'drift' && c.kind !== 'outliers') throw new PayloadOptionError(`${p}.kind`, '"drift" or "outliers"', (c as { kind?: unknown }).kind);
    if (typeof c.label !== 'string' || c.label === '') throw new PayloadOptionError(`${p}.label`, 'a non-empty label', c.label);
    const names = c.features ?? this.featureNames;
    const featureIdx = Int32Array.from(names, (nm, i) => this.featureIndex(nm, `${p}.features[${i}]`));
    const s = this.resolveTime(c.start, `${p}.start`);
    if (s.time === undefined && s.stage < 0) throw new PayloadOptionError(`${p}.start`, 'a time in µs or {stage: n}', c.start);
    const e = this.resolveTime(c.end, `${p}.end`);
    if (s.time !== undefined && e.time !== undefined && !(e.time > s.time)) throw new PayloadOptionError(`${p}.end`, `a time after start (${s.time})`, e.time);
    if (s.stage >= 0 && e.stage >= 0 && !(e.stage > s.stage)) throw new PayloadOptionError(`${p}.end`, `a stage after the start stage (${s.stage})`, e.stage);
    const r: ResolvedChange = {
      spec: c, featureIdx, start: s.time, end: e.time, ramp: 0, startStage: s.stage, endStage: e.stage,
      shift: new Float64Array(this.n).fill(NaN), scale: new Float64Array(this.n).fill(NaN), mixWeight: 0, mixDist: null,
      rate: 0, perInstance: false, k0: 3, k1: 4.5, side: new Int8Array(this.n),
    };
    if (c.kind === 'drift') {
      if (c.ramp !== undefined && !(c.ramp >= 0)) throw new PayloadOptionError(`${p}.ramp`, 'a non-negative duration in µs', c.ramp);
      r.ramp = c.ramp ?? 0;
      const finite = (x: number): boolean => Number.isFinite(x);
      const shift = this.perFeature(c.shift, `${p}.shift`, featureIdx, finite, 'a finite number');
      const shiftSd = this.perFeature(c.shiftSd, `${p}.shiftSd`, featureIdx, finite, 'a finite number');
      for (let i = 0; i < this.n; i++) {
        const a = shift[i] === shift[i] ? shift[i] : 0;
        const b = shiftSd[i] === shiftSd[i] ? shiftSd[i] * this.sds[i] : 0;
        r.shift[i] = shift[i] === shift[i] || shiftSd[i] === shiftSd[i] ? a + b : NaN;
      }
      r.scale = this.perFeature(c.scale, `${p}.scale`, featureIdx, (x) => x > 0, 'a positive factor');
      if (c.mixture !== undefined) {
        const w = c.mixture.weight;
        if (!(w >= 0 && w <= 1)) throw new PayloadOptionError(`${p}.mixture.weight`, 'a share in [0, 1]', w);
        r.mixWeight = w;
        r.mixDist = makeDistribution(c.mixture.dist, `${p}.mixture.dist`);
      }
      if (c.shift === undefined && c.shiftSd === undefined && c.scale === undefined && c.mixture === undefined) {
        throw new PayloadOptionError(p, 'a drift with at least one of shift, shiftSd, scale, mixture', 'none');
      }
    } else {
      if (!(c.rate >= 0 && c.rate <= 1)) throw new PayloadOptionError(`${p}.rate`, 'a probability in [0, 1]', c.rate);
      r.rate = c.rate;
      if (c.per !== undefined && c.per !== 'value' && c.per !== 'instance') throw new PayloadOptionError(`${p}.per`, '"value" or "instance"', c.per);
      r.perInstance = c.per === 'instance';
      if (c.k !== undefined) {
        if (!Array.isArray(c.k) || c.k.length !== 2 || !(c.k[0] > 0) || !(c.k[1] >= c.k[0])) {
          throw new PayloadOptionError(`${p}.k`, '[k0, k1] with 0 < k0 ≤ k1', c.k);
        }
        r.k0 = c.k[0];
        r.k1 = c.k[1];
      }
      const sideOf = (v: unknown, path: string): number => {
        if (v === 'both') return 0;
        if (v === 'high') return 1;
        if (v === 'low') return -1;
        throw new PayloadOptionError(path, '"both", "high" or "low"', v);
      };
      if (typeof c.side === 'string') r.side.fill(sideOf(c.side, `${p}.side`));
      else if (c.side !== undefined) {
        for (const [name, v] of Object.entries(c.side)) r.side[this.featureIndex(name, `${p}.side.${name}`)] = sideOf(v, `${p}.side.${name}`);
      }
    }
    return r;
  }

  stageStarted(stage: number, now: Time): void {
    for (const c of this.changes) {
      if (c.startStage === stage && c.start === undefined) c.start = now;
      if (c.endStage === stage && c.end === undefined) c.end = now;
    }
  }

  /** Ground truth: every change with its resolved times. */
  schedule(): ChangeRecord[] {
    return this.changes.map((c, index) => ({
      index,
      label: c.spec.label,
      kind: c.spec.kind,
      features: Array.from(c.featureIdx, (i) => this.featureNames[i]),
      start: c.start,
      fullAt: c.start === undefined ? undefined : c.start + c.ramp,
      end: c.end,
    }));
  }

  /** Labels of the changes in effect at time t. */
  activeLabels(t: Time): string[] {
    return this.changes.filter((c) => changeWeight(t, c.start, c.ramp, c.end) > 0).map((c) => c.spec.label);
  }

  /** The reference mean and sd of each feature (the baseline outliers and sd-shifts refer to). */
  reference(): { mean: Float64Array; sd: Float64Array } {
    return { mean: this.means.slice(), sd: this.sds.slice() };
  }

  sample(now: Time, _fn: number): RequestPayload {
    const n = this.n;
    const v = new Float64Array(n);
    this.drawBase(v);
    let changeMask = 0;
    let outlierMask = 0;
    const changes = this.changes;
    for (let j = 0; j < changes.length; j++) {
      const c = changes[j];
      const w = changeWeight(now, c.start, c.ramp, c.end);
      if (w <= 0) continue;
      if (c.spec.kind === 'drift') {
        changeMask |= 1 << j;
        const idx = c.featureIdx;
        for (let a = 0; a < idx.length; a++) {
          const i = idx[a];
          if (c.mixDist !== null && this.rngDrift.next() < w * c.mixWeight) v[i] = c.mixDist.sample(this.rngDrift);
          const sc = c.scale[i];
          if (sc === sc) v[i] = this.means[i] + (v[i] - this.means[i]) * (1 + w * (sc - 1));
          const sh = c.shift[i];
          if (sh === sh) v[i] += w * sh;
        }
      } else {
        const rng = this.rngOutliers;
        const idx = c.featureIdx;
        const all = c.perInstance ? rng.next() < c.rate : true;
        if (!all) continue;
        let hit = false;
        for (let a = 0; a < idx.length; a++) {
          const i = idx[a];
          if (!c.perInstance && !(rng.next() < c.rate)) continue;
          const z = c.k0 + (c.k1 - c.k0) * rng.next();
          const side = c.side[i];
          const sign = side === 0 ? (rng.next() < 0.5 ? -1 : 1) : side;
          v[i] = this.means[i] + sign * z * this.sds[i];
          outlierMask |= 1 << i;
          hit = true;
        }
        if (hit) changeMask |= 1 << j;
      }
    }
    return { time: now, values: v, outlierMask, changeMask };
  }

  private drawBase(v: Float64Array): void {
    const rng = this.rngFeatures;
    const n = this.n;
    if (this.chol === null) {
      for (let i = 0; i < n; i++) v[i] = (this.dists[i] as Distribution).sample(rng);
      return;
    }
    // Correlated Gaussians: x = mean + sd·(L·e), e iid N(0,1); truncation by rejection of the vector.
    const l = this.chol, z = this.z;
    for (let attempt = 0; ; attempt++) {
      let ok = true;
      for (let i = 0; i < n; i++) z[i] = rng.normal();
      for (let i = n - 1; i >= 0; i--) {
        let s = 0;
        for (let k = 0; k <= i; k++) s += l[i * n + k] * z[k];
        if (Math.abs(s) > this.truncate[i]) ok = false;
        v[i] = this.means[i] + this.sds[i] * s;
      }
      if (ok) return;
      if (attempt > 10_000) throw new Error('payload: truncation rejects almost every correlated draw; widen truncateSd');
    }
  }
}

/**
 * Iris training baseline, calibration-targets.md study 3, Tab 3.3.1 (120 training rows):
 * average and sample standard deviation per feature, in cm, with training min/max.
 */
export const IRIS_BASELINE = [
  { name: 'petal_width', mean: 1.1966667, sd: 0.7820393, min: 0.1, max: 2.5 },
  { name: 'petal_length', mean: 3.7391667, sd: 1.8221004, min: 1.0, max: 6.9 },
  { name: 'sepal_width', mean: 3.065, sd: 0.42715594, min: 2.0, max: 4.4 },
  { name: 'sepal_length', mean: 5.845, sd: 0.86857843, min: 4.4, max: 7.9 },
] as const;

/** The four Iris features as independent Gaussians, truncated to ±truncateSd (study 3 suggested default 3). */
export function irisFeatures(truncateSd = 3): GaussianFeature[] {
  return IRIS_BASELINE.map((f) => ({ name: f.name, mean: f.mean, sd: f.sd, truncateSd }));
}

export interface IrisStudyOptions {
  /** Outlier share in stages 2 and 4 (default 0.10, Tab 5.5.1). */
  outlierRate?: number;
  /** 'value' (default) or 'instance': the study does not say which (study 3, suggested default). */
  outliersPer?: 'value' | 'instance';
  /** Drift of stage 3 in sd units (default +1.5σ) and scale (default ×1.5), study 3 suggested defaults. */
  driftShiftSd?: number;
  driftScale?: number;
}

/**
 * Payload options of study 3's five closed-loop stages (0-based stage indices 0–4):
 * normal / 10% outliers / drift / 10% outliers / normal. Outliers have |z| ~ U[3, 4.5],
 * high side only for the petal features (their μ − 3σ is negative). Labels:
 * "outliers-stage2", "drift-stage3", "outliers-stage4".
 */
export function irisStudyPayload(opts: IrisStudyOptions = {}): PayloadOptions {
  const rate = opts.outlierRate ?? 0.1;
  const per = opts.outliersPer ?? 'value';
  const side = { petal_width: 'high', petal_length: 'high', sepal_width: 'both', sepal_length: 'both' } as const;
  return {
    features: irisFeatures(3),
    changes: [
      { kind: 'outliers', label: 'outliers-stage2', start: { stage: 1 }, end: { stage: 2 }, rate, per, k: [3, 4.5], side },
      { kind: 'drift', label: 'drift-stage3', start: { stage: 2 }, end: { stage: 3 }, shiftSd: opts.driftShiftSd ?? 1.5, scale: opts.driftScale ?? 1.5 },
      { kind: 'outliers', label: 'outliers-stage4', start: { stage: 3 }, end: { stage: 4 }, rate, per, k: [3, 4.5], side },
    ],
  };
}
