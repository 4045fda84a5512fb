/**
 * Multiple-testing corrections for per-feature p-values (platform-semantics.md g.2,
 * alibi-detect `cd/base.py`): Bonferroni (drift if p_f < α/n) and Benjamini–Hochberg
 * (sort p-values, drift if any p_(i) < α·i/n: every feature up to the largest such i drifts).
 */

export type Correction = 'bonferroni' | 'fdr' | 'none';

/** Which of the p-values are significant at level alpha under the correction. NaN is never significant. */
export function significant(pValues: ArrayLike<number>, alpha: number, correction: Correction): boolean[] {
  const n = pValues.length;
  const out: boolean[] = new Array<boolean>(n).fill(false);
  if (correction === 'none' || correction === 'bonferroni') {
    const level = correction === 'none' ? alpha : alpha / n;
    for (let i = 0; i < n; i++) out[i] = pValues[i] < level;
    return out;
  }
  const order = Array.from({ length: n }, (_, i) => i).filter((i) => pValues[i] === pValues[i]);
  order.sort((x, y) => pValues[x] - pValues[y] || x - y);
  let last = -1;
  for (let r = 0; r < order.length; r++) if (pValues[order[r]] < (alpha * (r + 1)) / n) last = r;
  for (let r = 0; r <= last; r++) out[order[r]] = true;
  return out;
}
