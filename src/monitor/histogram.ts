/**
 * Histogram bins for windowed distributions (calibration-targets.md study 3, "Windowed
 * statistics", `distr`): bins are the baseline's equal-width bins, keyed by left edge.
 * - correct (default): bin i is [e_i, e_{i+1}); the last bin is closed, [e_last, e_last + w]
 *   (numpy convention), so the training maximum is counted;
 * - reference: a value goes into the bin with the largest left edge ≤ value; values below the
 *   first edge or ≥ last edge + width are dropped (so the training maximum itself is dropped).
 * Values outside the bins are not counted in either mode (they are reported as under/overflow).
 */
import { MonitorInputError } from './record.js';

export type Compat = 'correct' | 'reference';

export interface BinSpec {
  /** Left edges, strictly ascending, equally spaced. */
  edges: Float64Array;
  /** Bin width. */
  width: number;
  /** Right end of the last bin = last edge + width. */
  upper: number;
}

/** Bins from ascending, equally spaced left edges (relative spacing tolerance 1e−6). */
export function binSpecFromEdges(edges: ArrayLike<number>, what = 'bin edges'): BinSpec {
  const k = edges.length;
  if (k < 2) throw new MonitorInputError(`${what}: expected at least 2 equally spaced left edges, found ${k}`);
  const e = Float64Array.from(edges);
  const width = (e[k - 1] - e[0]) / (k - 1);
  if (!(width > 0)) throw new MonitorInputError(`${what}: expected ascending left edges, found ${e[0]} … ${e[k - 1]}`);
  for (let i = 1; i < k; i++) {
    const w = e[i] - e[i - 1];
    if (Math.abs(w - width) > 1e-6 * width) {
      throw new MonitorInputError(
        `${what}: expected equally spaced left edges (width ${width}), found a gap of ${w} between ${e[i - 1]} and ${e[i]}`,
      );
    }
  }
  return { edges: e, width, upper: e[k - 1] + width };
}

/** k equal-width bins spanning [min, max] (the baseline layout: 20 bins from training min to max). */
export function equalWidthBins(min: number, max: number, k: number): BinSpec {
  if (!(max > min) || !(k >= 1)) throw new MonitorInputError(`equal-width bins: expected min < max and k >= 1, found [${min}, ${max}], k=${k}`);
  const width = (max - min) / k;
  const edges = new Float64Array(k);
  for (let i = 0; i < k; i++) edges[i] = min + i * width;
  return { edges, width, upper: edges[k - 1] + width };
}

/** Bin of x: 0..k−1, or −1 below the first edge, −2 above the bins (or NaN). */
export function binIndex(b: BinSpec, x: number, compat: Compat): number {
  const e = b.edges;
  const last = e.length - 1;
  if (!(x >= e[0])) return x < e[0] ? -1 : -2;
  let i = Math.floor((x - e[0]) / b.width);
  if (i > last) i = last;
  while (i > 0 && x < e[i]) i--;
  while (i < last && x >= e[i + 1]) i++;
  if (i === last) {
    if (compat === 'reference') {
      if (x >= b.upper) return -2;
    } else if (x > b.upper + 1e-9 * b.width) {
      return -2;
    }
  }
  return i;
}

/**
 * Sturges bin count for n values. Correct: ⌈log₂ n⌉ + 1 (numpy `sturges`). Reference:
 * ⌈1 + 3.322·log₂ n⌉, the public code's form (it applies the log₁₀ factor to log₂).
 */
export function sturgesBins(n: number, compat: Compat): number {
  if (n <= 1) return 1;
  return compat === 'reference' ? Math.ceil(1 + 3.322 * Math.log2(n)) : Math.ceil(Math.log2(n)) + 1;
}
