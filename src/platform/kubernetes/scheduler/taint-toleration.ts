/**
 * TaintToleration filter and score, plus NodeUnschedulable and NodeName filters.
 * Sources: platform-semantics.md c.2 (untolerated NoSchedule/NoExecute taint rejects the node) and
 * c.3 (raw = untolerated PreferNoSchedule taints; DefaultNormalizeScore(100, reverse=true)).
 */
import { defaultNormalizeScore } from './normalize.js';
import { toleratedByAny } from './selectors.js';
import type { FilterPlugin, ScorePlugin, Toleration } from './types.js';

export const taintTolerationFilter: FilterPlugin = {
  name: 'TaintToleration',
  filter(state, ni) {
    for (const t of ni.node.taints ?? []) {
      if ((t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !toleratedByAny(state.pod.tolerations, t)) {
        return [`node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`];
      }
    }
    return null;
  },
};

/** Untolerated PreferNoSchedule taints, counting only tolerations with effect empty or PreferNoSchedule. */
export function countIntolerablePreferNoSchedule(taints: readonly { key: string; value?: string; effect: string }[] | undefined, tolerations: readonly Toleration[] | undefined): number {
  const tols = (tolerations ?? []).filter((t) => t.effect === undefined || t.effect === 'PreferNoSchedule');
  let n = 0;
  for (const t of taints ?? []) {
    if (t.effect !== 'PreferNoSchedule') continue;
    if (!toleratedByAny(tols, t as { key: string; value?: string; effect: 'PreferNoSchedule' })) n++;
  }
  return n;
}

export const taintTolerationScore: ScorePlugin = {
  name: 'TaintToleration',
  score(state, ni) {
    return countIntolerablePreferNoSchedule(ni.node.taints, state.pod.tolerations);
  },
  normalize(_state, scores) {
    defaultNormalizeScore(scores, true);
  },
};

const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' as const };

/** NodeUnschedulable: a cordoned node is rejected unless the pod tolerates the unschedulable taint. */
export const nodeUnschedulableFilter: FilterPlugin = {
  name: 'NodeUnschedulable',
  filter(state, ni) {
    if (ni.node.unschedulable === true && !toleratedByAny(state.pod.tolerations, UNSCHEDULABLE_TAINT)) {
      return ['node(s) were unschedulable'];
    }
    return null;
  },
};

/** NodeName: a pod with spec.nodeName only fits that node. */
export const nodeNameFilter: FilterPlugin = {
  name: 'NodeName',
  filter(state, ni) {
    const want = state.pod.nodeName;
    return want === undefined || want === ni.node.name ? null : ["node(s) didn't match the requested node name"];
  },
};
