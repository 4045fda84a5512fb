/**
 * The seam between the workflow-scheduling environment and a model of the cluster that runs the
 * video workflow (calibration-targets.md, "DRL scheduler design", Components: System Monitor,
 * Runtime Engine, Function Mapper). The environment drives a backend step by step; a backend
 * advances *simulated* time only (never the wall clock). Adapters in this directory implement it
 * on the video workflow model of `platform/workflows` and on an analytic stand-in.
 *
 * Units: times in integer µs; CPU pressure in percent of the node's cores.
 */
import type { Time } from '../../core/time.js';

/** A worker node as the environment sees it. */
export interface WorkflowNode {
  readonly name: string;
  /** vCPUs (cores) of the node. */
  readonly vcpus: number;
  /** Allocatable memory, bytes (what the kube-scheduler sees). */
  readonly memoryBytes: number;
}

/**
 * PCM-like counters of one node over its latest complete 500 ms sample (§5.2.1; spec "Counter
 * synthesis"): IPC, memory reads and writes (bytes/s), L3 misses (per s), C0 and C1 core
 * residency fractions in [0, 1].
 */
export interface NodeCounters {
  readonly ipc: number;
  readonly memReads: number;
  readonly memWrites: number;
  readonly l3Misses: number;
  readonly c0: number;
  readonly c1: number;
}

/** Result of one workflow execution. */
export interface WorkflowRun {
  /** True end-to-end latency, µs. */
  readonly latency: Time;
  /** Latency as the runtime engine reports it (polling error ≤ 0.4 s, CT5-19), µs. */
  readonly reportedLatency: Time;
}

/** A model of the cluster running the workflow, advanced in simulated time by the caller. */
export interface WorkflowBackend {
  /** Worker nodes, in the order of the observation (w01 … w04). */
  readonly nodes: readonly WorkflowNode[];
  /** Workflow functions (Framer, FaceDetector, FaceAnalyzer, Mobilenet, Outputter). */
  readonly functions: readonly string[];
  /** Current simulated time, µs. */
  now(): Time;
  /** Set the node affinity of every replica of `fn` (takes effect at the next `rollout`). */
  place(fn: string, node: string): void;
  /** Set the replica count of `fn` (takes effect at the next `rollout`). */
  scale(fn: string, replicas: number): void;
  /** Run CPU stressors occupying `occupiedCores(level, vcpus)` cores of `node` (instantaneous start). */
  setCpuPressure(node: string, levelPercent: number): void;
  /** Apply pending placement/replica changes and advance until the new pods are ready; returns the µs it took (0 when nothing changed). */
  rollout(): Time;
  /** Run one workflow instance of `frames` frames under the current placement; advances until it completes. */
  runWorkflow(frames: number): WorkflowRun;
  /** Advance simulated time by `duration` µs (the study's 8.5 s wait). */
  advance(duration: Time): void;
  /** Counters of `node` over its latest complete sample. */
  counters(node: string): NodeCounters;
}

/** Options every backend factory receives. */
export interface BackendOptions {
  /** Root seed of the backend's simulation (noise, face draws, …). */
  readonly seed: number;
  /** False: no measurement noise and no polling error (oracle profiling, exhaustive sweeps). */
  readonly noise: boolean;
}

/** Builds a fresh backend (a new simulation) for an episode or a profiling run. */
export type WorkflowBackendFactory = (opts: BackendOptions) => WorkflowBackend;
