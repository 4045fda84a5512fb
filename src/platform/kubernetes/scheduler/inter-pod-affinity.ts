/**
 * InterPodAffinity (basic): required affinity / anti-affinity filter over topology domains and the
 * preferred-term score.
 * Sources: platform-semantics.md c.2 (required terms over topology domains are boolean checks) and
 * c.3 (score accumulation per topology value, hardPodAffinityWeight = 1, normalisation
 * 100·(raw − min)/(max − min) with min ≤ 0 ≤ max). Upstream semantics kept: a pod whose required
 * affinity matches no existing pod may still go where all its topology keys exist if it matches its
 * own terms (first pod of a group); nodes lacking a term's topology key fail required affinity.
 */
import { matchesLabelSelector } from './selectors.js';
import type { CycleState, FilterPlugin, NodeInfo, PodAffinityTerm, PodSpec, ScorePlugin } from './types.js';
import { MAX_NODE_SCORE } from './types.js';

/** hardPodAffinityWeight default [c.3]. */
export const HARD_POD_AFFINITY_WEIGHT = 1;

const ns = (p: PodSpec): string => p.namespace ?? 'default';
const pairKey = (k: string, v: string): string => `${k}\u0000${v}`;

/** Whether `target` matches a term owned by `owner` (namespaces default to the owner's). */
export function termMatches(term: PodAffinityTerm, owner: PodSpec, target: PodSpec): boolean {
  const namespaces = term.namespaces !== undefined && term.namespaces.length > 0 ? term.namespaces : [ns(owner)];
  if (!namespaces.includes(ns(target))) return false;
  return matchesLabelSelector(term.labelSelector, target.labels);
}

interface FilterCounts {
  affinity: Map<string, number>;
  antiAffinity: Map<string, number>;
  existingAnti: Map<string, number>;
}

function bump(m: Map<string, number>, k: string, d = 1): void {
  m.set(k, (m.get(k) ?? 0) + d);
}

function filterCounts(state: CycleState): FilterCounts {
  const cached = state.cache.get('InterPodAffinity/filter') as FilterCounts | undefined;
  if (cached) return cached;
  const pod = state.pod;
  const reqAff = pod.affinity?.podAffinity?.required ?? [];
  const reqAnti = pod.affinity?.podAntiAffinity?.required ?? [];
  const c: FilterCounts = { affinity: new Map(), antiAffinity: new Map(), existingAnti: new Map() };
  for (const ni of state.allNodes) {
    const labels = ni.node.labels ?? {};
    for (const ex of ni.pods) {
      for (const t of ex.affinity?.podAntiAffinity?.required ?? []) {
        if (labels[t.topologyKey] !== undefined && termMatches(t, ex, pod)) bump(c.existingAnti, pairKey(t.topologyKey, labels[t.topologyKey]));
      }
      for (const t of reqAff) {
        if (labels[t.topologyKey] !== undefined && termMatches(t, pod, ex)) bump(c.affinity, pairKey(t.topologyKey, labels[t.topologyKey]));
      }
      for (const t of reqAnti) {
        if (labels[t.topologyKey] !== undefined && termMatches(t, pod, ex)) bump(c.antiAffinity, pairKey(t.topologyKey, labels[t.topologyKey]));
      }
    }
  }
  state.cache.set('InterPodAffinity/filter', c);
  return c;
}

export const interPodAffinityFilter: FilterPlugin = {
  name: 'InterPodAffinity',
  filter(state, ni) {
    const pod = state.pod;
    const c = filterCounts(state);
    const labels = ni.node.labels ?? {};
    // Existing pods' required anti-affinity.
    if (c.existingAnti.size > 0) {
      for (const [k, v] of Object.entries(labels)) {
        if ((c.existingAnti.get(pairKey(k, v)) ?? 0) > 0) return ["node(s) didn't satisfy existing pods anti-affinity rules"];
      }
    }
    // Incoming pod's required affinity.
    const reqAff = pod.affinity?.podAffinity?.required ?? [];
    if (reqAff.length > 0) {
      let podsExist = true;
      for (const t of reqAff) {
        const v = labels[t.topologyKey];
        if (v === undefined) return ["node(s) didn't match pod affinity rules"];
        if ((c.affinity.get(pairKey(t.topologyKey, v)) ?? 0) <= 0) podsExist = false;
      }
      if (!podsExist) {
        const selfMatch = reqAff.every((t) => termMatches(t, pod, pod));
        if (!(c.affinity.size === 0 && selfMatch)) return ["node(s) didn't match pod affinity rules"];
      }
    }
    // Incoming pod's required anti-affinity.
    for (const t of pod.affinity?.podAntiAffinity?.required ?? []) {
      const v = labels[t.topologyKey];
      if (v !== undefined && (c.antiAffinity.get(pairKey(t.topologyKey, v)) ?? 0) > 0) {
        return ["node(s) didn't match pod anti-affinity rules"];
      }
    }
    return null;
  },
};

function topologyScores(state: CycleState): Map<string, number> {
  const cached = state.cache.get('InterPodAffinity/score') as Map<string, number> | undefined;
  if (cached) return cached;
  const pod = state.pod;
  const prefAff = pod.affinity?.podAffinity?.preferred ?? [];
  const prefAnti = pod.affinity?.podAntiAffinity?.preferred ?? [];
  const m = new Map<string, number>();
  const add = (labels: Readonly<Record<string, string>>, key: string, w: number): void => {
    const v = labels[key];
    if (v !== undefined) bump(m, pairKey(key, v), w);
  };
  for (const ni of state.allNodes) {
    const labels = ni.node.labels ?? {};
    for (const ex of ni.pods) {
      for (const t of prefAff) if (termMatches(t.podAffinityTerm, pod, ex)) add(labels, t.podAffinityTerm.topologyKey, t.weight);
      for (const t of prefAnti) if (termMatches(t.podAffinityTerm, pod, ex)) add(labels, t.podAffinityTerm.topologyKey, -t.weight);
      if (HARD_POD_AFFINITY_WEIGHT > 0) {
        for (const t of ex.affinity?.podAffinity?.required ?? []) if (termMatches(t, ex, pod)) add(labels, t.topologyKey, HARD_POD_AFFINITY_WEIGHT);
      }
      for (const t of ex.affinity?.podAffinity?.preferred ?? []) if (termMatches(t.podAffinityTerm, ex, pod)) add(labels, t.podAffinityTerm.topologyKey, t.weight);
      for (const t of ex.affinity?.podAntiAffinity?.preferred ?? []) if (termMatches(t.podAffinityTerm, ex, pod)) add(labels, t.podAffinityTerm.topologyKey, -t.weight);
    }
  }
  state.cache.set('InterPodAffinity/score', m);
  return m;
}

/** Raw node score: Σ over the node's labels of the topology score of (key, value) [c.3]. */
export function interPodAffinityRaw(state: CycleState, ni: NodeInfo): number {
  const m = topologyScores(state);
  if (m.size === 0) return 0;
  let s = 0;
  for (const [k, v] of Object.entries(ni.node.labels ?? {})) s += m.get(pairKey(k, v)) ?? 0;
  return s;
}

/** Normalisation of c.3: min ≤ 0 ≤ max; equal → all 0; int(100·(raw − min)/(max − min)). */
export function normalizeInterPodAffinity(scores: number[]): void {
  let min = 0;
  let max = 0;
  for (const s of scores) {
    if (s > max) max = s;
    if (s < min) min = s;
  }
  const diff = max - min;
  for (let i = 0; i < scores.length; i++) {
    scores[i] = diff > 0 ? Math.trunc((MAX_NODE_SCORE * (scores[i] - min)) / diff) : 0;
  }
}

export const interPodAffinityScore: ScorePlugin = {
  name: 'InterPodAffinity',
  score: interPodAffinityRaw,
  normalize(state, scores) {
    if (topologyScores(state).size === 0) return; // no terms anywhere: scores stay as they are
    normalizeInterPodAffinity(scores);
  },
};
