/**
 * NodeAffinity: filter on nodeSelector and required terms; score on preferred terms.
 * Sources: platform-semantics.md c.2 (boolean check) and c.3 (sum of matching preferred weights,
 * DefaultNormalizeScore(100, false)).
 */
import { defaultNormalizeScore } from './normalize.js';
import { matchesAnyNodeSelectorTerm, matchesNodeSelectorTerm } from './selectors.js';
import type { FilterPlugin, ScorePlugin } from './types.js';

export const nodeAffinityFilter: FilterPlugin = {
  name: 'NodeAffinity',
  filter(state, ni) {
    const labels = ni.node.labels ?? {};
    for (const [k, v] of Object.entries(state.pod.nodeSelector ?? {})) {
      if (labels[k] !== v) return ["node(s) didn't match Pod's node affinity/selector"];
    }
    const req = state.pod.affinity?.nodeAffinity?.required;
    if (req !== undefined && req.length > 0 && !matchesAnyNodeSelectorTerm(req, labels)) {
      return ["node(s) didn't match Pod's node affinity/selector"];
    }
    return null;
  },
};

export const nodeAffinityScore: ScorePlugin = {
  name: 'NodeAffinity',
  score(state, ni) {
    let s = 0;
    for (const p of state.pod.affinity?.nodeAffinity?.preferred ?? []) {
      if (p.weight !== 0 && matchesNodeSelectorTerm(p.preference, ni.node.labels)) s += p.weight;
    }
    return s;
  },
  normalize(_state, scores) {
    defaultNormalizeScore(scores, false);
  },
};
