/**
 * Chi-square tests on binned data (platform-semantics.md g.1):
 * - goodness of fit (Evidently, scipy `chisquare`): E_i = refCount_i · n_cur/n_ref, df = k−1;
 * - 2×k contingency (alibi-detect, scipy `chi2_contingency`): df = k−1, Yates correction
 *   only when df = 1.
 * p-value = Q(df/2, χ²/2).
 */
import { chiSquareSurvival } from './special-functions.js';
import type { TestResult } from './kolmogorov-smirnov.js';

export interface ChiSquareResult extends TestResult {
  df: number;
}

/**
 * Goodness of fit of `observed` counts to `reference` counts. Bins where both are zero are
 * left out (and do not count towards df); a bin with E = 0 and O > 0 makes χ² infinite.
 */
export function chiSquareGoodnessOfFit(observed: ArrayLike<number>, reference: ArrayLike<number>): ChiSquareResult {
  if (observed.length !== reference.length) {
    throw new RangeError(`chi-square: expected the same bins, found ${observed.length} and ${reference.length}`);
  }
  let nObs = 0;
  let nRef = 0;
  for (let i = 0; i < observed.length; i++) {
    nObs += observed[i];
    nRef += reference[i];
  }
  if (!(nObs > 0) || !(nRef > 0)) return { statistic: NaN, pValue: NaN, df: 0 };
  let chi = 0;
  let k = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = (reference[i] * nObs) / nRef;
    const o = observed[i];
    if (e === 0 && o === 0) continue;
    k++;
    chi += e === 0 ? Infinity : ((o - e) * (o - e)) / e;
  }
  const df = k - 1;
  return { statistic: chi, pValue: df > 0 ? chiSquareSurvival(chi, df) : NaN, df };
}

/**
 * Chi-square test of independence on the 2×k table [a; b]. Columns whose total is zero are
 * dropped; df = (k' − 1). Yates' continuity correction (|O−E| reduced by 0.5, not below 0)
 * when df = 1, as scipy does.
 */
export function chiSquareContingency(a: ArrayLike<number>, b: ArrayLike<number>): ChiSquareResult {
  if (a.length !== b.length) {
    throw new RangeError(`chi-square: expected the same bins, found ${a.length} and ${b.length}`);
  }
  let na = 0;
  let nb = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    na += a[i];
    nb += b[i];
    if (a[i] + b[i] > 0) k++;
  }
  const n = na + nb;
  const df = k - 1;
  if (!(na > 0) || !(nb > 0) || df < 1) return { statistic: NaN, pValue: NaN, df: Math.max(df, 0) };
  const yates = df === 1;
  let chi = 0;
  for (let i = 0; i < a.length; i++) {
    const col = a[i] + b[i];
    if (col === 0) continue;
    const ea = (na * col) / n;
    const eb = (nb * col) / n;
    let da = Math.abs(a[i] - ea);
    let db = Math.abs(b[i] - eb);
    if (yates) {
      da = Math.max(0, da - 0.5);
      db = Math.max(0, db - 0.5);
    }
    chi += (da * da) / ea + (db * db) / eb;
  }
  return { statistic: chi, pValue: chiSquareSurvival(chi, df), df };
}
