/**
 * One scheduling cycle: filter (with node sampling from a rotating start index), score, weighted
 * sum, and host selection with a seeded uniform tie-break.
 *
 * Sources: platform-semantics.md c.1 (numFeasibleNodesToFind, default weights, selectHost by
 * reservoir sampling) and c.4. Upstream `schedule_one.go`: with exactly one feasible node the
 * scoring phase is skipped and that node is chosen; `nextStartNodeIndex` advances by the number of
 * nodes processed (feasible + rejected). Filters run sequentially here (upstream runs them in
 * parallel, which makes its sampled set order-dependent); sequential order keeps runs reproducible.
 * PodTopologySpread (default weight 2) is not modelled: see the report.
 */
import type { RandomStream } from '../../../core/random.js';
import { balancedAllocation, nodeResourcesFitFilter, nodeResourcesFitScore } from './node-resources.js';
import type { ScoringStrategy } from './node-resources.js';
import { imageLocality } from './image-locality.js';
import { interPodAffinityFilter, interPodAffinityScore } from './inter-pod-affinity.js';
import { nodeAffinityFilter, nodeAffinityScore } from './node-affinity.js';
import { podNonZeroRequests, podRequests } from './requests.js';
import { nodeNameFilter, nodeUnschedulableFilter, taintTolerationFilter, taintTolerationScore } from './taint-toleration.js';
import type { CycleState, FilterPlugin, NodeInfo, PodSpec, ScorePlugin } from './types.js';

/** Minimum feasible nodes to find before sampling applies (`minFeasibleNodesToFind`) [c.1]. */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** Lower bound of the adaptive percentage (`minFeasibleNodesPercentageToFind`) [c.1]. */
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/**
 * How many feasible nodes to find before stopping the filter phase [c.1]:
 * all if N < 100 or pct ≥ 100; pct 0 → adaptive max(5, 50 − N/125) (integer division);
 * result max(100, N·pct/100).
 */
export function numFeasibleNodesToFind(numAllNodes: number, percentageOfNodesToScore = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND || percentageOfNodesToScore >= 100) return numAllNodes;
  let pct = percentageOfNodesToScore;
  if (pct <= 0) {
    pct = 50 - Math.trunc(numAllNodes / 125);
    if (pct < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) pct = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const n = Math.trunc((numAllNodes * pct) / 100);
  return n < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : n;
}

export interface WeightedScorePlugin {
  readonly plugin: ScorePlugin;
  readonly weight: number;
}

/** A scheduler profile: the filter chain (in order) and the weighted score plugins. */
export interface SchedulerProfile {
  readonly filters: readonly FilterPlugin[];
  readonly scores: readonly WeightedScorePlugin[];
  /** percentageOfNodesToScore; 0 = adaptive (default). */
  readonly percentageOfNodesToScore?: number;
}

/** Default score weights [c.1]: TaintToleration 3, NodeAffinity 2, InterPodAffinity 2, Fit 1, Balanced 1, ImageLocality 1. */
export const DEFAULT_SCORE_WEIGHTS: Readonly<Record<string, number>> = Object.freeze({
  TaintToleration: 3,
  NodeAffinity: 2,
  PodTopologySpread: 2,
  InterPodAffinity: 2,
  NodeResourcesFit: 1,
  NodeResourcesBalancedAllocation: 1,
  ImageLocality: 1,
});

/** The default profile with the given NodeResourcesFit strategy (LeastAllocated = spread, MostAllocated = bin-pack) [c.4]. */
export function defaultProfile(strategy: ScoringStrategy = 'LeastAllocated'): SchedulerProfile {
  return {
    filters: [nodeUnschedulableFilter, nodeNameFilter, taintTolerationFilter, nodeAffinityFilter, nodeResourcesFitFilter, interPodAffinityFilter],
    scores: [
      { plugin: taintTolerationScore, weight: DEFAULT_SCORE_WEIGHTS.TaintToleration },
      { plugin: nodeAffinityScore, weight: DEFAULT_SCORE_WEIGHTS.NodeAffinity },
      { plugin: interPodAffinityScore, weight: DEFAULT_SCORE_WEIGHTS.InterPodAffinity },
      { plugin: nodeResourcesFitScore(strategy), weight: DEFAULT_SCORE_WEIGHTS.NodeResourcesFit },
      { plugin: balancedAllocation, weight: DEFAULT_SCORE_WEIGHTS.NodeResourcesBalancedAllocation },
      { plugin: imageLocality, weight: DEFAULT_SCORE_WEIGHTS.ImageLocality },
    ],
  };
}

/** Per-node scores of one cycle: each plugin's normalised (unweighted) score and the weighted total. */
export interface NodeScore {
  readonly node: string;
  readonly total: number;
  readonly plugins: Readonly<Record<string, number>>;
}

export type ScheduleResult =
  | {
      readonly kind: 'scheduled';
      readonly node: string;
      /** Index of the chosen node in the input array. */
      readonly nodeIndex: number;
      /** Scores of every feasible node evaluated (empty when only one node was feasible). */
      readonly scores: readonly NodeScore[];
      readonly feasibleNodes: readonly string[];
      readonly nextStartIndex: number;
    }
  | {
      readonly kind: 'unschedulable';
      /** Failure reasons by node name. */
      readonly reasons: Readonly<Record<string, readonly string[]>>;
      /** Upstream-style summary, e.g. "0/3 nodes are available: 2 Insufficient cpu, 1 node(s) had untolerated taint {…}." */
      readonly message: string;
      readonly nextStartIndex: number;
    };

export interface ScheduleOptions {
  readonly profile?: SchedulerProfile;
  /** Rotating start index (`nextStartNodeIndex`); 0 by default. */
  readonly startIndex?: number;
}

/** Build the per-cycle state for a pod. */
export function makeCycleState(pod: PodSpec, allNodes: readonly NodeInfo[]): CycleState {
  return { pod, podRequest: podRequests(pod), podNonZeroRequest: podNonZeroRequests(pod), allNodes, cache: new Map() };
}

/** Run the filter chain on one node; null = feasible, else the first failing plugin's reasons. */
export function runFilters(filters: readonly FilterPlugin[], state: CycleState, node: NodeInfo): readonly string[] | null {
  for (const f of filters) {
    const r = f.filter(state, node);
    if (r !== null) return r;
  }
  return null;
}

/**
 * `selectHost` [c.1]: the highest total wins; ties broken uniformly at random by reservoir sampling
 * (the k-th tied node replaces the choice with probability 1/k), drawing from `rng`.
 */
export function selectHost(scores: readonly { total: number }[], rng: RandomStream): number {
  if (scores.length === 0) throw new Error('selectHost: expected at least one scored node, found none');
  let best = 0;
  let max = scores[0].total;
  let cnt = 1;
  for (let i = 1; i < scores.length; i++) {
    const s = scores[i].total;
    if (s > max) {
      max = s;
      best = i;
      cnt = 1;
    } else if (s === max) {
      cnt++;
      if (rng.int(cnt) === 0) best = i;
    }
  }
  return best;
}

/**
 * Schedule `pod` onto one of `nodes` [c.1]. Pure apart from `rng` draws on ties; does not bind
 * (call `addPod` on the chosen NodeInfo to account it).
 */
export function schedule(pod: PodSpec, nodes: readonly NodeInfo[], rng: RandomStream, options: ScheduleOptions = {}): ScheduleResult {
  const profile = options.profile ?? defaultProfile();
  const n = nodes.length;
  const start = n === 0 ? 0 : ((options.startIndex ?? 0) % n + n) % n;
  const state = makeCycleState(pod, nodes);
  const toFind = numFeasibleNodesToFind(n, profile.percentageOfNodesToScore ?? 0);
  const feasible: number[] = [];
  const reasons: Record<string, readonly string[]> = {};
  let processed = 0;
  for (let k = 0; k < n && feasible.length < toFind; k++) {
    const i = (start + k) % n;
    processed++;
    const r = runFilters(profile.filters, state, nodes[i]);
    if (r === null) feasible.push(i);
    else reasons[nodes[i].node.name] = r;
  }
  const nextStartIndex = n === 0 ? 0 : (start + processed) % n;
  if (feasible.length === 0) {
    return { kind: 'unschedulable', reasons, message: unschedulableMessage(n, reasons), nextStartIndex };
  }
  const feasibleNodes = feasible.map((i) => nodes[i].node.name);
  if (feasible.length === 1) {
    return { kind: 'scheduled', node: feasibleNodes[0], nodeIndex: feasible[0], scores: [], feasibleNodes, nextStartIndex };
  }
  const fNodes = feasible.map((i) => nodes[i]);
  const totals = new Array<number>(feasible.length).fill(0);
  const perPlugin: Record<string, number>[] = feasible.map(() => ({}));
  for (const { plugin, weight } of profile.scores) {
    plugin.preScore?.(state, fNodes);
    const s = fNodes.map((ni) => plugin.score(state, ni));
    plugin.normalize?.(state, s);
    for (let j = 0; j < s.length; j++) {
      perPlugin[j][plugin.name] = s[j];
      totals[j] += s[j] * weight;
    }
  }
  const scores: NodeScore[] = feasible.map((_, j) => ({ node: feasibleNodes[j], total: totals[j], plugins: perPlugin[j] }));
  const chosen = selectHost(scores, rng);
  return { kind: 'scheduled', node: feasibleNodes[chosen], nodeIndex: feasible[chosen], scores, feasibleNodes, nextStartIndex };
}

/** "0/N nodes are available: <count> <reason>, …." with reasons sorted by text for determinism. */
export function unschedulableMessage(numNodes: number, reasons: Readonly<Record<string, readonly string[]>>): string {
  const counts = new Map<string, number>();
  for (const rs of Object.values(reasons)) for (const r of rs) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([r, c]) => `${c} ${r}`);
  return `0/${numNodes} nodes are available: ${parts.join(', ')}.`;
}

/**
 * A scheduler holding only its rotating start index, so successive cycles sample nodes as upstream.
 */
export class KubeScheduler {
  private nextStart = 0;
  constructor(readonly profile: SchedulerProfile = defaultProfile()) {}

  schedule(pod: PodSpec, nodes: readonly NodeInfo[], rng: RandomStream): ScheduleResult {
    const r = schedule(pod, nodes, rng, { profile: this.profile, startIndex: this.nextStart });
    this.nextStart = r.nextStartIndex;
    return r;
  }
}
