/**
 * One request on the Knative data path and how it ended. Every request ends exactly once, as
 * completed or rejected with a reason, or is still in flight when the run stops:
 *
 * - `activator-queue-full`: the activator's revision breaker had no slot (HTTP 503, §a.8);
 * - `queue-proxy-full`: the pod's queue-proxy breaker was full (HTTP 503, §a.9);
 * - `timeout`: the revision timeout (default 300 s, §a.10) passed before the response (503);
 * - `pod-lost`: the pod serving or queueing it was killed (OOM, grace period expired) (502).
 *
 * Times are µs of simulated time; −1 = not reached.
 */
import type { CpuJob } from '../../../cluster/cpu/node-cpu.js';
import type { Time } from '../../../core/time.js';
import type { Pod } from '../../kubernetes/runtime/pod.js';

export type RejectReason = 'activator-queue-full' | 'queue-proxy-full' | 'timeout' | 'pod-lost';
export const REJECT_REASONS: readonly RejectReason[] = ['activator-queue-full', 'queue-proxy-full', 'timeout', 'pod-lost'];

/** Request state: 0 in flight, 1 completed, 2 rejected. */
export const IN_FLIGHT = 0;
export const COMPLETED = 1;
export const REJECTED = 2;
export type RequestState = typeof IN_FLIGHT | typeof COMPLETED | typeof REJECTED;

/** Called once when a request ends (completed or rejected). */
export type RequestDoneCallback = (r: KnRequest) => void;

/** A request to a Knative revision. */
export class KnRequest {
  state: RequestState = IN_FLIGHT;
  reason: RejectReason | null = null;
  /** Entered the activator (−1: went straight to a pod). */
  activatorIn: Time = -1;
  /** Left the activator towards a pod. */
  dispatched: Time = -1;
  /** Reached the pod's queue-proxy. */
  queueProxyIn: Time = -1;
  /** The user container started / finished it (its "duration" is serviceEnd − serviceStart). */
  serviceStart: Time = -1;
  serviceEnd: Time = -1;
  /** Ended (response or rejection at the data path's edge). */
  end: Time = -1;
  /** Went through the activator. */
  proxied = false;
  /** The revision had no Ready pod when the request arrived (it waited for a cold start). */
  coldStartWait = false;
  pod: Pod | null = null;
  /** @internal executing CPU job */
  job: CpuJob<KnRequest> | null = null;
  /** @internal the activator pod tracker it holds a slot of */
  tracker: unknown = null;
  /** @internal index in the queue-proxy's running list */
  slot = -1;
  /** @internal waiting in a queue (activator or queue-proxy) */
  queued = false;

  constructor(
    readonly id: number,
    /** Arrival at the data path (ingress). */
    readonly arrival: Time,
    readonly deadline: Time,
    readonly onDone: RequestDoneCallback | null,
    /** Caller's tag (e.g. the client's request index). */
    readonly tag: number,
  ) {}

  /** serviceEnd − serviceStart for completed requests, else −1 (µs). */
  get duration(): Time {
    return this.state === COMPLETED ? this.serviceEnd - this.serviceStart : -1;
  }
}
