/**
 * The seam to reality (DESIGN.md "The seam to a live cluster"): `ClusterBackend` is the one
 * interface the drift monitor, the DQN policy and the autoscaling policies use, whether the
 * cluster is the simulator (SimBackend), real processes under real cgroups on this machine
 * (LocalBackend) or a live Kubernetes cluster (KubernetesBackend).
 *
 * Shape of the contract:
 * - **Clock.** `now()` is the backend's time in integer µs since the backend started (simulated
 *   time for SimBackend, monotonic wall time for the live backends). Policies get `now` from the
 *   backend and never read a clock themselves (DESIGN.md rule 3). `every(interval, fn)` runs
 *   periodic work, `after(delay, fn)` one-shot work, `runFor(duration)` lets the backend's time
 *   pass (runs the simulation, or waits on the wall clock while timers and I/O run).
 * - **Observe** is synchronous and returns plain data: a snapshot of nodes, pods (placement,
 *   phase, limits, cgroup CPU counters) and functions (replicas, request counters), plus
 *   completed requests and inference records since a cursor. A live backend refreshes its
 *   snapshot before each `every` tick, so a tick sees one consistent picture.
 * - **Act** is declarative and synchronous, like a Kubernetes spec write: `scale`, `place`
 *   (node affinity: the function's pods move to the node), `setCpuLimit`. The backend
 *   reconciles towards the new desired state in its own time (pods start, old ones drain).
 *   A live backend applies the intents after the tick (KubernetesBackend: as API patches).
 *
 * Units everywhere: time in integer µs; CPU in millicores (limits, requests) or cores (rates);
 * CPU time counters in CPU-µs; CPU work in core-µs at speed 1.
 */
import type { Time } from '../core/time.js';
import type { InferenceRecord } from '../monitor/record.js';

/** Which kind of cluster a backend drives. */
export type BackendKind = 'sim' | 'local' | 'kubernetes';

/** One node. */
export interface NodeState {
  readonly name: string;
  /** CPU cores of the node. */
  readonly cores: number;
  /** Allocatable CPU, millicores. */
  readonly allocatableMilliCpu: number;
  /** Σ CPU requests of the pods bound to the node, millicores. */
  readonly requestedMilliCpu: number;
  /** CPU-µs used on the node by the backend's pods so far (cumulative; rate = Δ/Δt). */
  readonly cpuUsageUs: number;
  readonly labels: Readonly<Record<string, string>>;
}

/** Pod phases, the runtime's (platform/kubernetes/runtime/types.ts) reduced to what policies use. */
export type PodPhaseName = 'Pending' | 'Starting' | 'Ready' | 'Terminating' | 'Terminated' | 'Failed';

/** `cpu.stat`-style counters of a pod's cgroup, cumulative since the pod started. */
export interface PodCpuCounters {
  /** CPU-µs consumed. */
  readonly usageUs: number;
  /** CFS periods that ended with the pod runnable (quota pods only). */
  readonly nrPeriods: number;
  /** Periods that ended throttled. */
  readonly nrThrottled: number;
  /** Wall µs spent throttled. */
  readonly throttledUs: number;
}

/** One pod of a managed function. */
export interface PodState {
  readonly name: string;
  /** The function the pod serves. */
  readonly function: string;
  /** Node name once bound, '' before. */
  readonly node: string;
  readonly phase: PodPhaseName;
  /** CPU limit, millicores (null = no limit). */
  readonly cpuLimitMilli: number | null;
  /** CPU request, millicores (null = none). */
  readonly cpuRequestMilli: number | null;
  /** Threads a request runs on. */
  readonly threads: number;
  /** Requests the pod is executing now. */
  readonly inFlight: number;
  /** Requests it finished. */
  readonly served: number;
  /** CPU counters (zeros before the container exists). */
  readonly cpu: PodCpuCounters;
  /** Backend time the pod was created, µs. */
  readonly createdAt: Time;
  /** Backend time the pod became Ready, µs (−1 before). */
  readonly readyAt: Time;
}

/** One managed function (a Deployment, a Knative Service, a set of local workers). */
export interface FunctionState {
  readonly name: string;
  /** Desired replicas (spec). */
  readonly replicas: number;
  /** Ready pods (receiving requests). */
  readonly readyReplicas: number;
  /** Node the function is pinned to by node affinity (null = anywhere). */
  readonly node: string | null;
  readonly cpuLimitMilli: number | null;
  readonly cpuRequestMilli: number | null;
  /** Concurrent requests per pod (containerConcurrency; 0 = unlimited). */
  readonly containerConcurrency: number;
  /** Request counters since the backend started. */
  readonly arrived: number;
  readonly completed: number;
  readonly failed: number;
  /** Requests waiting in the router's queue. */
  readonly queued: number;
  /** Requests executing on pods. */
  readonly inFlight: number;
}

/** A snapshot of the cluster at `time`. */
export interface ClusterObservation {
  readonly time: Time;
  readonly nodes: readonly NodeState[];
  readonly pods: readonly PodState[];
  readonly functions: readonly FunctionState[];
}

/** A finished request (times are backend µs). */
export interface RequestRecord {
  /** Sequence number (the cursor of `requests(cursor)`), from 1. */
  readonly seq: number;
  readonly function: string;
  /** When the request reached the router. */
  readonly arrival: Time;
  /** When a pod started executing it (−1 if it never started). */
  readonly start: Time;
  /** When it finished (or failed). */
  readonly end: Time;
  /** Pod that executed it ('' if none). */
  readonly pod: string;
  /** Work it carried, core-µs at speed 1. */
  readonly workCoreUs: number;
  /** false when it failed (queue full, pod lost, timed out). */
  readonly ok: boolean;
  /** Why it failed ('' when ok). */
  readonly error: string;
}

/** An inference record and the backend time it became visible (the monitor's arrivalTime). */
export interface InferenceEntry {
  readonly record: InferenceRecord;
  readonly arrivalTime: Time;
}

/** Items since a cursor: pass `cursor` back to get the next ones. */
export interface Batch<T> {
  readonly items: readonly T[];
  readonly cursor: number;
}

/** The clock and scheduler of a backend. */
export interface BackendClock {
  /** Backend time, integer µs since the backend started. */
  now(): Time;
  /** Call `fn(now)` every `interval` µs (first after one interval); returns a function that stops it. */
  every(interval: Time, fn: (now: Time) => void): () => void;
  /** Call `fn(now)` once after `delay` µs; returns a function that cancels it. */
  after(delay: Time, fn: (now: Time) => void): () => void;
  /** Let `duration` µs of backend time pass, running timers, requests and reconciliation. */
  runFor(duration: Time): Promise<void>;
}

/** The interface policies, the monitor and the agent use. */
export interface ClusterBackend extends BackendClock {
  readonly kind: BackendKind;
  /** A consistent snapshot of nodes, pods and functions. */
  observe(): ClusterObservation;
  /** Finished requests after `cursor` (0 = from the start). */
  requests(cursor: number): Batch<RequestRecord>;
  /** Inference records after `cursor` (0 = from the start). */
  inferenceRecords(cursor: number): Batch<InferenceEntry>;
  /** Set the function's desired replicas (integer ≥ 0). */
  scale(fn: string, replicas: number): void;
  /**
   * Pin the function to `node` by node affinity (null = anywhere): new pods start there and
   * the old ones are drained once the new ones are Ready.
   */
  place(fn: string, node: string | null): void;
  /**
   * Set the CPU limit (millicores; null = none) and optionally the request of the function's
   * pods. Sim and local resize running pods in place (their cgroup quota and weight change at
   * once, like Kubernetes in-place pod resize); Kubernetes patches the pod template.
   */
  setCpuLimit(fn: string, limitMilli: number | null, requestMilli?: number | null): void;
  /** Stop everything the backend started and release its resources. Idempotent. */
  close(): Promise<void>;
}

/** One request sent into a backend that carries traffic (Sim and Local). */
export interface RequestInput {
  /** CPU work, core-µs at speed 1. */
  readonly workCoreUs: number;
  /** Feature values logged as an inference record (none = no record). */
  readonly features?: readonly number[];
  /** Model output logged with the record. */
  readonly prediction?: number;
}

/** A backend that can carry requests it is sent (SimBackend, LocalBackend). */
export interface TrafficBackend extends ClusterBackend {
  /** Send one request to function `fn` now. */
  send(fn: string, req: RequestInput): void;
}

/** The label every object servesim manages carries (KubernetesBackend refuses objects without it). */
export const MANAGED_LABEL = 'servesim.io/managed';

/** Bad input or a refused action: says what was expected and what was found. */
export class BackendError extends Error {
  override name = 'BackendError';
}
