/**
 * One invocation through the OpenFaaS gateway and how it ended. Every invocation ends exactly
 * once, as completed (HTTP 200) or failed with a reason and an HTTP status, or is still in
 * flight when the run stops (platform-semantics.md §b.1, §b.2):
 *
 * - `not-found`: no such function (404);
 * - `no-endpoints`: the gateway proxied but the function had no Ready pod (503; also what a
 *   proxy after 1000 unsuccessful scale-from-zero polls meets, §b.1 step 3);
 * - `too-many-requests`: the watchdog's `max_inflight` was reached (429, §b.1 "Watchdog");
 * - `upstream-timeout`: no response within `upstream_timeout` of the proxy start (504, §b.1);
 * - `gateway-timeout`: the gateway's `write_timeout` from arrival passed, e.g. while it held the
 *   request for a scale from zero (504, §b.1);
 * - `pod-lost`: the pod running it was killed (OOM, grace period expired) (502);
 * - `function-error`: the function itself answered 500 (an error drawn at its `errorRate`).
 *
 * The 504 status of both timeouts and the 502 of a lost pod are [assumptions]: the spec gives no
 * codes for them. Times are integer µs; −1 = not reached.
 */
import type { CpuJob } from '../../cluster/cpu/node-cpu.js';
import type { EventId } from '../../core/event-queue.js';
import type { Time } from '../../core/time.js';
import type { Pod } from '../kubernetes/runtime/pod.js';

export type FailReason = 'not-found' | 'no-endpoints' | 'too-many-requests' | 'upstream-timeout' | 'gateway-timeout' | 'pod-lost' | 'function-error';
export const FAIL_REASONS: readonly FailReason[] = ['not-found', 'no-endpoints', 'too-many-requests', 'upstream-timeout', 'gateway-timeout', 'pod-lost', 'function-error'];

/** HTTP status the caller sees for each failure. */
export const FAIL_STATUS: Readonly<Record<FailReason, number>> = Object.freeze({
  'not-found': 404, 'no-endpoints': 503, 'too-many-requests': 429, 'upstream-timeout': 504, 'gateway-timeout': 504, 'pod-lost': 502, 'function-error': 500,
});

/** Invocation states. */
export const IN_FLIGHT = 0;
export const COMPLETED = 1;
export const FAILED = 2;
export type InvocationState = typeof IN_FLIGHT | typeof COMPLETED | typeof FAILED;

/** Called once when a synchronous call ends. */
export type CallDoneCallback = (c: SyncCall) => void;

/** A synchronous call through the gateway (`POST /function/<name>`), also made by queue-workers. */
export class SyncCall {
  state: InvocationState = IN_FLIGHT;
  status = 0;
  reason: FailReason | null = null;
  /** The gateway found no available replica and held the call for a scale from zero. */
  coldStartWait = false;
  /** Proxied to a pod (after any scale-from-zero wait). */
  proxyStart: Time = -1;
  /** The function started / finished executing it. */
  serviceStart: Time = -1;
  serviceEnd: Time = -1;
  end: Time = -1;
  pod: Pod | null = null;
  /** @internal */
  job: CpuJob<SyncCall> | null = null;
  /** @internal write-timeout and upstream-timeout tickets (gateway deadline lists; −1 = none) */
  writeTimer: number = -1;
  upstreamTimer: number = -1;

  constructor(
    readonly id: number,
    readonly fn: string,
    readonly arrival: Time,
    readonly onDone: CallDoneCallback | null,
    /** Caller's tag. */
    readonly tag: number,
  ) {}

  /** end − arrival for ended calls, else −1 (µs). */
  get latency(): Time {
    return this.end < 0 ? -1 : this.end - this.arrival;
  }
}

/** An asynchronous invocation (`POST /async-function/<name>` → 202 + X-Call-Id, §b.2). */
export class AsyncInvocation {
  state: InvocationState = IN_FLIGHT;
  /** Final status reported to the callback (0 while in flight). */
  status = 0;
  reason: FailReason | null = null;
  /** Calls the queue-workers made for it (first tries, redeliveries and retries). */
  attempts = 0;
  /** Of those, redeliveries of an unacknowledged message (CE `ack_wait`). */
  redeliveries = 0;
  /** Of those, retries after a retryable status (Pro). */
  retries = 0;
  /** Calls that returned after reaching a function pod (a CE redelivery runs it again). */
  executions = 0;
  /** First time a queue-worker picked it up. */
  firstDequeue: Time = -1;
  /** Final callback time. */
  end: Time = -1;
  /** @internal pending retry timer (kernel event id) or ack-wait ticket (deadline list); −1 = none */
  timer: EventId = -1;
  /** @internal index of the worker holding it unacked (CE), −1 none */
  owner = -1;

  constructor(
    readonly id: number,
    readonly fn: string,
    /** 202 Accepted time (enqueued). */
    readonly enqueued: Time,
    readonly onDone: ((a: AsyncInvocation) => void) | null,
    readonly tag: number,
  ) {}
}
