/**
 * Maximum mean discrepancy with a Gaussian RBF kernel (platform-semantics.md g.1, after
 * alibi-detect `mmd2_from_kernel_matrix` and `sigma_median`):
 * - unbiased MMD² = 1/(n(n−1)) Σ_{i≠j} k(x_i,x_j) + 1/(m(m−1)) Σ_{i≠j} k(y_i,y_j) − 2/(nm) Σ k(x_i,y_j);
 * - k(x,y) = exp(−‖x−y‖²/(2σ²)), σ by the median heuristic √(0.5·median ‖x_i−y_j‖²);
 * - p-value = fraction of label permutations whose MMD² ≥ the observed one.
 * Samples are row-major Float64Arrays of `dim` columns.
 */
import type { RandomStream } from '../../core/random.js';

export interface MmdResult {
  mmd2: number;
  pValue: number;
  sigma: number;
}

function sqDist(a: Float64Array, i: number, b: Float64Array, j: number, dim: number): number {
  let s = 0;
  const oi = i * dim;
  const oj = j * dim;
  for (let d = 0; d < dim; d++) {
    const t = a[oi + d] - b[oj + d];
    s += t * t;
  }
  return s;
}

/** Median-heuristic bandwidth σ = √(0.5·median over i,j of ‖x_i − y_j‖²). */
export function medianHeuristicSigma(x: Float64Array, y: Float64Array, dim: number): number {
  const n = x.length / dim;
  const m = y.length / dim;
  const d = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) d[i * m + j] = sqDist(x, i, y, j, dim);
  d.sort();
  const k = d.length;
  const med = k % 2 === 1 ? d[(k - 1) / 2] : 0.5 * (d[k / 2 - 1] + d[k / 2]);
  return Math.sqrt(0.5 * med);
}

/** Gaussian kernel matrix of the pooled sample [x; y], (n+m)² entries, row-major. */
export function rbfKernelMatrix(x: Float64Array, y: Float64Array, dim: number, sigma: number): Float64Array {
  const n = x.length / dim;
  const m = y.length / dim;
  const N = n + m;
  const pooled = new Float64Array(N * dim);
  pooled.set(x, 0);
  pooled.set(y, n * dim);
  const K = new Float64Array(N * N);
  const g = sigma > 0 ? 1 / (2 * sigma * sigma) : Infinity;
  for (let i = 0; i < N; i++) {
    K[i * N + i] = 1;
    for (let j = i + 1; j < N; j++) {
      const d2 = sqDist(pooled, i, pooled, j, dim);
      const v = d2 === 0 ? 1 : Math.exp(-d2 * g);
      K[i * N + j] = v;
      K[j * N + i] = v;
    }
  }
  return K;
}

/** Unbiased MMD² from a pooled kernel matrix, group label 0 = x (n of them), 1 = y (m). */
export function mmd2FromKernel(K: Float64Array, labels: ArrayLike<number>, n: number, m: number): number {
  const N = n + m;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < N; i++) {
    const li = labels[i];
    const row = i * N;
    for (let j = i + 1; j < N; j++) {
      const v = K[row + j];
      const s = li + labels[j];
      if (s === 0) sxx += v;
      else if (s === 2) syy += v;
      else sxy += v;
    }
  }
  return (2 * sxx) / (n * (n - 1)) + (2 * syy) / (m * (m - 1)) - (2 * sxy) / (n * m);
}

/**
 * Permutation test of MMD² between x (n rows) and y (m rows), both with n, m ≥ 2.
 * `sigma` defaults to the median heuristic on (x, y). Randomness only from `rng`.
 */
export function mmdTest(
  x: Float64Array,
  y: Float64Array,
  dim: number,
  permutations: number,
  rng: RandomStream,
  sigma?: number,
): MmdResult {
  const n = x.length / dim;
  const m = y.length / dim;
  if (n < 2 || m < 2) return { mmd2: NaN, pValue: NaN, sigma: NaN };
  const s = sigma ?? medianHeuristicSigma(x, y, dim);
  const K = rbfKernelMatrix(x, y, dim, s);
  const labels: number[] = new Array<number>(n + m);
  for (let i = 0; i < n + m; i++) labels[i] = i < n ? 0 : 1;
  const observed = mmd2FromKernel(K, labels, n, m);
  let ge = 0;
  for (let p = 0; p < permutations; p++) {
    rng.shuffle(labels);
    if (mmd2FromKernel(K, labels, n, m) >= observed) ge++;
  }
  return { mmd2: observed, pValue: permutations > 0 ? ge / permutations : NaN, sigma: s };
}
