/**
 * NodeResourcesFit (filter; LeastAllocated / MostAllocated scoring) and
 * NodeResourcesBalancedAllocation.
 *
 * Sources: platform-semantics.md c.2 (fit filter on actual requests, pod count ≤ allocatable.pods)
 * and c.3 (exact integer formulas; MaxNodeScore 100; resource weights cpu 1, memory 1; Balanced
 * uses actual requests and is skipped for BestEffort pods).
 */
import { allocatablePods, isBestEffort } from './requests.js';
import type { CycleState, FilterPlugin, NodeInfo, ScorePlugin } from './types.js';
import { MAX_NODE_SCORE } from './types.js';

export type ScoringStrategy = 'LeastAllocated' | 'MostAllocated';

/** Default resource weights for NodeResourcesFit scoring (cpu 1, memory 1) [c.3]. */
export const DEFAULT_RESOURCE_WEIGHTS: Readonly<Record<string, number>> = Object.freeze({ cpu: 1, memory: 1 });

/** Reasons in the upstream wording: `Insufficient cpu`, `Too many pods`. */
export function fitReasons(state: CycleState, ni: NodeInfo): string[] {
  const reasons: string[] = [];
  if (ni.pods.length + 1 > allocatablePods(ni.node)) reasons.push('Too many pods');
  const req = state.podRequest;
  for (const r of Object.keys(req)) {
    if (r === 'pods') continue;
    const want = req[r];
    if (!(want > 0)) continue;
    const alloc = ni.node.allocatable[r] ?? 0;
    if (want > alloc - (ni.requested[r] ?? 0)) reasons.push(`Insufficient ${r}`);
  }
  return reasons;
}

/** NodeResourcesFit filter: Σ requests + pod request ≤ allocatable for every requested resource. */
export const nodeResourcesFitFilter: FilterPlugin = {
  name: 'NodeResourcesFit',
  filter(state, ni) {
    const r = fitReasons(state, ni);
    return r.length === 0 ? null : r;
  },
};

/** LeastAllocated per-resource score: (alloc − req)·100 / alloc; 0 if req > alloc or alloc = 0 [c.3]. */
export function leastAllocatedScore(requested: number, allocatable: number): number {
  if (allocatable === 0 || requested > allocatable) return 0;
  return Math.trunc(((allocatable - requested) * MAX_NODE_SCORE) / allocatable);
}

/** MostAllocated per-resource score: min(req, alloc)·100 / alloc; 0 if alloc = 0 [c.3]. */
export function mostAllocatedScore(requested: number, allocatable: number): number {
  if (allocatable === 0) return 0;
  return Math.trunc((Math.min(requested, allocatable) * MAX_NODE_SCORE) / allocatable);
}

/** Weighted integer average Σ score_r·w_r / Σ w_r over resources [c.3]. */
export function resourceAllocationScore(
  strategy: ScoringStrategy,
  requested: Readonly<Record<string, number>>,
  allocatable: Readonly<Record<string, number>>,
  weights: Readonly<Record<string, number>> = DEFAULT_RESOURCE_WEIGHTS,
): number {
  let score = 0;
  let wsum = 0;
  for (const r of Object.keys(weights)) {
    const w = weights[r];
    const s = strategy === 'LeastAllocated'
      ? leastAllocatedScore(requested[r] ?? 0, allocatable[r] ?? 0)
      : mostAllocatedScore(requested[r] ?? 0, allocatable[r] ?? 0);
    score += s * w;
    wsum += w;
  }
  return wsum === 0 ? 0 : Math.trunc(score / wsum);
}

/** NodeResourcesFit score plugin with the given strategy (default LeastAllocated) on non-zero requests. */
export function nodeResourcesFitScore(strategy: ScoringStrategy = 'LeastAllocated', weights = DEFAULT_RESOURCE_WEIGHTS): ScorePlugin {
  return {
    name: 'NodeResourcesFit',
    score(state, ni) {
      const requested: Record<string, number> = {};
      for (const r of Object.keys(weights)) {
        if (r === 'cpu') requested.cpu = ni.nonZeroRequested.cpu + state.podNonZeroRequest.cpu;
        else if (r === 'memory') requested.memory = ni.nonZeroRequested.memory + state.podNonZeroRequest.memory;
        else requested[r] = (ni.requested[r] ?? 0) + (state.podRequest[r] ?? 0);
      }
      return resourceAllocationScore(strategy, requested, ni.node.allocatable, weights);
    },
  };
}

/**
 * BalancedAllocation score from per-resource fractions f_r = min(1, req_r/alloc_r) (resources with
 * alloc 0 skipped): std = |f0 − f1|/2 for two, population std for more; int((1 − std)·100) [c.3].
 */
export function balancedAllocationScore(requested: readonly number[], allocatable: readonly number[]): number {
  const fr: number[] = [];
  let total = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    const f = Math.min(1, requested[i] / allocatable[i]);
    total += f;
    fr.push(f);
  }
  let std = 0;
  if (fr.length === 2) std = Math.abs((fr[0] - fr[1]) / 2);
  else if (fr.length > 2) {
    const mean = total / fr.length;
    let s = 0;
    for (const f of fr) s += (f - mean) * (f - mean);
    std = Math.sqrt(s / fr.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

/** NodeResourcesBalancedAllocation plugin (cpu, memory; actual requests; 0 for BestEffort pods). */
export const balancedAllocation: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  preScore(state) {
    state.cache.set('BalancedAllocation/skip', isBestEffort(state.pod));
  },
  score(state, ni) {
    if (state.cache.get('BalancedAllocation/skip') === true) return 0;
    const req = [
      (ni.requested.cpu ?? 0) + (state.podRequest.cpu ?? 0),
      (ni.requested.memory ?? 0) + (state.podRequest.memory ?? 0),
    ];
    return balancedAllocationScore(req, [ni.node.allocatable.cpu ?? 0, ni.node.allocatable.memory ?? 0]);
  },
};
