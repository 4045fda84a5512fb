/**
 * Public types of the Kubernetes runtime: what a pod is made from (its template), its phases,
 * its workload (how it turns a request into CPU work on its node) and the observer interface
 * through which owners (Deployments, the Knative and OpenFaaS data paths) hear about it.
 *
 * Units: CPU in millicores, memory and image sizes in bytes, times in integer µs, CPU work in
 * core-seconds at speed 1 (a node of speed s does it s times faster).
 */
import type { Distribution } from '../../../core/distributions.js';
import type { Time } from '../../../core/time.js';
import type { PullPolicy, ReadinessProbe } from '../../../cluster/cold-start.js';
import type { ParallelOverheadParams } from '../../../cluster/cpu/parallel-overhead.js';
import type { Affinity, Toleration } from '../scheduler/types.js';

/** Requests and limits of one container. Unset = not set (Kubernetes semantics). */
export interface PodResources {
  /** CPU request, millicores (weight from the request, §d.2). */
  readonly cpuRequestMilli?: number;
  /** CPU limit, millicores (CFS quota = limit × period, §d.2); unset = no quota. */
  readonly cpuLimitMilli?: number;
  /** Memory request, bytes. */
  readonly memoryRequestBytes?: number;
  /** Memory limit, bytes; a working set above it is OOM-killed. Unset = no limit. */
  readonly memoryLimitBytes?: number;
}

/** A sidecar container (e.g. Knative's queue-proxy): counted by the scheduler, runs no modelled CPU work. */
export interface SidecarSpec {
  readonly name: string;
  readonly resources: PodResources;
}

/**
 * How the pod's user container turns one request into CPU work (issue 3 item 3; study 1
 * modelling note 1): `usefulWork` core-seconds at speed 1, spread over `threads` threads; with a
 * parallel-overhead model, CPU work = useful / (1 − waste(threads, limit)).
 */
export interface PodWorkload {
  /** Useful CPU work per request, core-seconds at speed 1 (a distribution; a number is a constant). */
  readonly usefulWork: Distribution | number;
  /**
   * Threads per request: 'visible-cores' (the node's cores, as real runtimes see them; study 1
   * CT1-16), 'cpu-aware' (ceil(limit)) or a fixed count.
   */
  readonly threads: 'visible-cores' | 'cpu-aware' | number;
  /** Parallel overhead under a quota (cluster/cpu/parallel-overhead.ts); absent = none. */
  readonly overhead?: ParallelOverheadParams;
  /** Constant working set of the user container, bytes (default 0). */
  readonly memoryWorkingSetBytes?: number;
}

/** Everything a pod is created from. */
export interface PodTemplate {
  /** Base name; pods are named `<name>-<n>`. */
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly image: { readonly name: string; readonly bytes: number };
  /** Default IfNotPresent (§c.5). */
  readonly pullPolicy?: PullPolicy;
  /** Key of the cold-start model's `runtimes` (app init distribution), e.g. `python`. */
  readonly runtime: string;
  /** Model artifact loaded from local disk at start, bytes (default 0). */
  readonly modelBytes?: number;
  /** Readiness probe (default Kubernetes: period 10 s; Knative's queue-proxy probes every 50 ms, §a.9). */
  readonly readiness?: Partial<ReadinessProbe>;
  /** The user container's resources. */
  readonly resources: PodResources;
  readonly sidecars?: readonly SidecarSpec[];
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly affinity?: Affinity;
  readonly tolerations?: readonly Toleration[];
  readonly workload: PodWorkload;
  /** terminationGracePeriodSeconds as µs (default 30 s, §c.5). */
  readonly terminationGracePeriod?: Time;
  /** Least time a deleted pod stays Terminating (e.g. queue-proxy drain 30 s, §a.9); default 0. */
  readonly drainTime?: Time;
  /** CFS period, µs (default 100 ms, §d.1). */
  readonly cfsPeriodUs?: number;
  /** Workload class for per-class node speed (node profile `speed.classes`). */
  readonly workloadClass?: string;
}

/**
 * Pod phases as the runtime tracks them:
 * Pending (not yet bound) → Starting (bound: sandbox, image pull, create, app init, readiness
 * probe; the per-phase times are in `coldStart` once Ready) → Ready → Terminating (deleted;
 * serving what it holds, at most the grace period) → Terminated; or Failed (killed: OOM, grace
 * expired, image never pulled).
 */
export type PodPhase = 'Pending' | 'Starting' | 'Ready' | 'Terminating' | 'Terminated' | 'Failed';

/** Why a pod ended. */
export type PodEndReason = 'terminated' | 'grace-expired' | 'OOMKilled' | 'NodeOOM' | 'ErrImageNeverPull' | 'deleted-before-start';

/** Callbacks of a pod's owner. All optional; called synchronously from the runtime's events. */
export interface PodObserver {
  /** The pod passed its readiness probe (it may now receive requests). */
  onPodReady?(pod: PodHandle): void;
  /** The pod is Terminating: take it out of load balancing (requests it holds may finish). */
  onPodTerminating?(pod: PodHandle): void;
  /** The pod is gone (Terminated or Failed); `reason` says why. Requests still held were lost. */
  onPodGone?(pod: PodHandle, reason: PodEndReason): void;
}

/** The read-only view of a pod that observers get (implemented by Pod). */
export interface PodHandle {
  readonly id: number;
  readonly name: string;
  readonly phase: PodPhase;
  /** Node name once bound, else ''. */
  readonly nodeName: string;
}
