/**
 * Weighted water-filling: the work-conserving proportional share of CFS among runnable
 * groups (platform-semantics.md §d.3 "Weights under contention"). Each group i gets
 * `min(demand_i, C_rem · w_i / Σ_rem w)`, processed in ascending order of demand/weight, so
 * capacity a group cannot use is redistributed to the others in proportion to their weights.
 */

/**
 * Fill `out[0..n)` with the rate (cores) of each of `n` groups sharing `capacity` cores
 * (`out` must not alias `demand` or `weight`; it doubles as the sort-key scratch).
 * `demand[i]` (cores, ≥ 0) and `weight[i]` (> 0) describe group i. `order` is scratch space of
 * length ≥ n (its content on return is the processing order). Allocation-free.
 * Returns the total rate handed out (≤ capacity and ≤ Σ demand).
 */
export function waterFill(
  capacity: number,
  n: number,
  demand: Float64Array,
  weight: Float64Array,
  out: Float64Array,
  order: Int32Array,
): number {
  // Insertion sort by demand/weight (n is small: the groups runnable on one node). The keys are
  // computed once into `out` (every out[i] is overwritten with the rate below), not per comparison.
  for (let i = 0; i < n; i++) {
    const key = demand[i] / weight[i];
    out[i] = key;
    let j = i - 1;
    while (j >= 0 && out[order[j]] > key) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = i;
  }
  let capRem = capacity;
  let wRem = 0;
  for (let i = 0; i < n; i++) wRem += weight[i];
  let total = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const fair = wRem > 0 ? (capRem * weight[i]) / wRem : 0;
    if (demand[i] <= fair) {
      out[i] = demand[i];
      capRem -= demand[i];
      wRem -= weight[i];
      total += demand[i];
    } else {
      // Every remaining group wants at least its fair share: split what is left by weight.
      for (let m = k; m < n; m++) {
        const g = order[m];
        out[g] = (capRem * weight[g]) / wRem;
        total += out[g];
      }
      return total;
    }
  }
  return total;
}
