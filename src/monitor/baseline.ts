/**
 * The training-set baseline the monitor compares against (calibration-targets.md study 3,
 * `monitoring.baseline`): per feature, descriptive statistics (avg, stddev, min, max; Tab
 * 3.3.1), the training histogram on equal-width bins keyed by left edge, and optionally the
 * training samples themselves (needed by KS, sample Wasserstein and MMD).
 */
import { binSpecFromEdges, binIndex, equalWidthBins, type BinSpec } from './histogram.js';
import { MonitorInputError } from './record.js';

export interface FeatureBaseline {
  name: string;
  /** Training mean (NaN when not given). */
  avg: number;
  /** Training standard deviation (NaN when not given). */
  stddev: number;
  min: number;
  max: number;
  /** Training histogram bins and counts, when given. */
  bins?: BinSpec;
  counts?: Float64Array;
  /** Training values, ascending, when given. */
  sortedSamples?: Float64Array;
}

export interface Baseline {
  features: FeatureBaseline[];
  /** Training rows, row-major (rows × features), when samples were given: for MMD. */
  sampleRows?: Float64Array;
  sampleCount: number;
}

/** A histogram given either as {leftEdge: count} (the study's form) or as parallel arrays. */
export type DistributionInput = Record<string, number> | { edges: number[]; counts: number[] };

export interface BaselineInput {
  descriptive?: Record<string, Record<string, number>>;
  distributions?: Record<string, DistributionInput>;
  /** Training values per feature, all of the same length (row i = the i-th value of each). */
  samples?: Record<string, number[]>;
}

function histogramFromInput(d: DistributionInput, where: string): { bins: BinSpec; counts: Float64Array } {
  let edges: number[];
  let counts: number[];
  if ('edges' in d && Array.isArray(d.edges)) {
    const dd = d as { edges: number[]; counts: number[] };
    edges = dd.edges;
    counts = dd.counts;
    if (!Array.isArray(counts) || counts.length !== edges.length) {
      throw new MonitorInputError(`${where}: expected as many counts as edges, found ${edges.length} edges and ${String(counts?.length)} counts`);
    }
  } else {
    const pairs = Object.entries(d as Record<string, number>).map(([k, v]) => {
      const e = Number(k);
      if (!Number.isFinite(e)) throw new MonitorInputError(`${where}: expected numeric bin left edges as keys, found "${k}"`);
      return [e, v] as const;
    });
    pairs.sort((a, b) => a[0] - b[0]);
    edges = pairs.map((p) => p[0]);
    counts = pairs.map((p) => p[1]);
  }
  for (let i = 0; i < counts.length; i++) {
    if (!(counts[i] >= 0)) throw new MonitorInputError(`${where}: expected non-negative counts, found ${counts[i]} at edge ${edges[i]}`);
  }
  return { bins: binSpecFromEdges(edges, where), counts: Float64Array.from(counts) };
}

/** Build a baseline for `features` (in record order) from the spec's `baseline` section. */
export function makeBaseline(features: readonly string[], input: BaselineInput, where = 'baseline'): Baseline {
  const out: FeatureBaseline[] = [];
  let sampleCount = -1;
  for (const name of features) {
    const d = input.descriptive?.[name];
    const fb: FeatureBaseline = {
      name,
      avg: d?.avg ?? d?.mean ?? NaN,
      stddev: d?.stddev ?? NaN,
      min: d?.min ?? NaN,
      max: d?.max ?? NaN,
    };
    const dist = input.distributions?.[name];
    if (dist !== undefined) {
      const h = histogramFromInput(dist, `${where}.distributions.${name}`);
      fb.bins = h.bins;
      fb.counts = h.counts;
    }
    const s = input.samples?.[name];
    if (s !== undefined) {
      if (sampleCount >= 0 && s.length !== sampleCount) {
        throw new MonitorInputError(`${where}.samples.${name}: expected ${sampleCount} values like the other features, found ${s.length}`);
      }
      sampleCount = s.length;
      fb.sortedSamples = Float64Array.from(s).sort();
    }
    out.push(fb);
  }
  for (const key of Object.keys(input.descriptive ?? {})) {
    if (!features.includes(key)) throw new MonitorInputError(`${where}.descriptive.${key}: expected one of the features [${features.join(', ')}], found "${key}"`);
  }
  for (const key of Object.keys(input.distributions ?? {})) {
    if (!features.includes(key)) throw new MonitorInputError(`${where}.distributions.${key}: expected one of the features [${features.join(', ')}], found "${key}"`);
  }
  let sampleRows: Float64Array | undefined;
  if (sampleCount > 0 && input.samples !== undefined) {
    const F = features.length;
    sampleRows = new Float64Array(sampleCount * F);
    for (let f = 0; f < F; f++) {
      const s = input.samples[features[f]];
      if (s === undefined) throw new MonitorInputError(`${where}.samples: expected values for every feature, found none for "${features[f]}"`);
      for (let i = 0; i < sampleCount; i++) sampleRows[i * F + f] = s[i];
    }
  }
  return { features: out, sampleRows, sampleCount: Math.max(sampleCount, 0) };
}

/**
 * A complete baseline from training rows (e.g. after retraining): avg, sample stddev, min,
 * max, a `bins`-bin equal-width histogram from min to max (20 bins as in the study), and the samples.
 */
export function baselineFromRows(features: readonly string[], rows: ReadonlyArray<ArrayLike<number>>, bins = 20): Baseline {
  const F = features.length;
  const n = rows.length;
  if (n < 2) throw new MonitorInputError(`baseline from rows: expected at least 2 rows, found ${n}`);
  const samples: Record<string, number[]> = {};
  const descriptive: Record<string, Record<string, number>> = {};
  const distributions: Record<string, DistributionInput> = {};
  for (let f = 0; f < F; f++) {
    const v: number[] = new Array<number>(n);
    let mean = 0;
    let m2 = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      if (row.length !== F) throw new MonitorInputError(`baseline from rows: row ${i} has ${row.length} values, expected ${F}`);
      const x = row[f];
      v[i] = x;
      const d = x - mean;
      mean += d / (i + 1);
      m2 += d * (x - mean);
      if (x < min) min = x;
      if (x > max) max = x;
    }
    samples[features[f]] = v;
    descriptive[features[f]] = { avg: mean, stddev: Math.sqrt(m2 / (n - 1)), min, max };
    if (max > min) {
      const spec = equalWidthBins(min, max, bins);
      const counts = new Array<number>(bins).fill(0);
      for (const x of v) {
        const b = binIndex(spec, x, 'correct');
        if (b >= 0) counts[b]++;
      }
      distributions[features[f]] = { edges: Array.from(spec.edges), counts };
    }
  }
  return makeBaseline(features, { descriptive, distributions, samples });
}
