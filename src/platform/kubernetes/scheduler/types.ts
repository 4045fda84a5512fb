/**
 * Scheduler framework types: pods and nodes as the scheduler sees them, and the filter and score
 * plugin interfaces. Custom schedulers (e.g. the DQN) plug in through the same interfaces or
 * replace `schedule` entirely and reuse the filters.
 *
 * Source: platform-semantics.md c.1–c.3 (kubernetes `pkg/scheduler/framework`).
 * Units: cpu in millicores, memory and storage in bytes, image sizes in bytes.
 */

/** Resource quantities by name: `cpu` (millicores), `memory` (bytes), `pods`, extended names. */
export type ResourceList = Readonly<Record<string, number>>;

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: TaintEffect;
}

export interface Toleration {
  /** Empty key with operator Exists tolerates every taint. */
  readonly key?: string;
  /** Default Equal. */
  readonly operator?: 'Equal' | 'Exists';
  readonly value?: string;
  /** Empty matches all effects. */
  readonly effect?: TaintEffect;
}

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  readonly values?: readonly string[];
}

/** Requirements are ANDed; a list of terms is ORed. An empty term matches nothing. */
export interface NodeSelectorTerm {
  readonly matchExpressions?: readonly NodeSelectorRequirement[];
}

export interface PreferredSchedulingTerm {
  readonly weight: number;
  readonly preference: NodeSelectorTerm;
}

export interface PodAffinityTerm {
  readonly labelSelector?: LabelSelector;
  /** Empty: the namespace of the pod that owns the term. */
  readonly namespaces?: readonly string[];
  readonly topologyKey: string;
}

export interface WeightedPodAffinityTerm {
  readonly weight: number;
  readonly podAffinityTerm: PodAffinityTerm;
}

export interface Affinity {
  readonly nodeAffinity?: {
    readonly required?: readonly NodeSelectorTerm[];
    readonly preferred?: readonly PreferredSchedulingTerm[];
  };
  readonly podAffinity?: {
    readonly required?: readonly PodAffinityTerm[];
    readonly preferred?: readonly WeightedPodAffinityTerm[];
  };
  readonly podAntiAffinity?: {
    readonly required?: readonly PodAffinityTerm[];
    readonly preferred?: readonly WeightedPodAffinityTerm[];
  };
}

export interface Container {
  readonly name: string;
  readonly image: string;
  /** Absent keys are "unset" (0 for the filter, the non-zero defaults for LeastAllocated). */
  readonly requests?: ResourceList;
}

/** A pod as the scheduler reads it. */
export interface PodSpec {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly containers: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly overhead?: ResourceList;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly nodeName?: string;
  readonly affinity?: Affinity;
  readonly tolerations?: readonly Toleration[];
}

export interface ImageOnNode {
  /** Normalised name (see normalizeImageName). */
  readonly name: string;
  readonly sizeBytes: number;
}

export interface NodeSpec {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** Must contain `cpu`, `memory`; `pods` defaults to 110 (kubelet maxPods) [c.2]. */
  readonly allocatable: ResourceList;
  readonly taints?: readonly Taint[];
  readonly unschedulable?: boolean;
  readonly images?: readonly ImageOnNode[];
}

/**
 * A node with its pods and precomputed sums (upstream `NodeInfo`). Build with `makeNodeInfo` and
 * keep it updated with `addPod`/`removePod` (requests.ts).
 */
export interface NodeInfo {
  readonly node: NodeSpec;
  readonly pods: PodSpec[];
  /** Σ actual requests (0 when unset), by resource. */
  readonly requested: Record<string, number>;
  /** Σ non-zero requests for cpu/memory (defaults 100m / 200 MiB when unset) [c.3]. */
  readonly nonZeroRequested: { cpu: number; memory: number };
}

/** Per-cycle data shared by the plugins; plugins may cache pre-computations in `cache`. */
export interface CycleState {
  readonly pod: PodSpec;
  /** Effective actual request of the pod: max(Σ app, max init) + overhead [c.2]. */
  readonly podRequest: ResourceList;
  /** Effective non-zero request (cpu, memory) [c.3]. */
  readonly podNonZeroRequest: { cpu: number; memory: number };
  /** Every node in the cluster (not just the sampled ones). */
  readonly allNodes: readonly NodeInfo[];
  readonly cache: Map<string, unknown>;
}

/** A filter plugin: returns null when the node passes, or the reasons it fails. */
export interface FilterPlugin {
  readonly name: string;
  filter(state: CycleState, node: NodeInfo): readonly string[] | null;
}

/** A score plugin: raw score per node, then optional normalisation to 0..100 in place. */
export interface ScorePlugin {
  readonly name: string;
  /** Called once per cycle with the feasible nodes before any score (PreScore). */
  preScore?(state: CycleState, feasible: readonly NodeInfo[]): void;
  score(state: CycleState, node: NodeInfo): number;
  normalize?(state: CycleState, scores: number[]): void;
}

export const MAX_NODE_SCORE = 100;
