/**
 * The OpenFaaS gateway's synchronous path (platform-semantics.md §b.1):
 *
 * - `FunctionScaler.Scale`: the replica cache (expiry 250 ms) says AvailableReplicas > 0 →
 *   proxy now. Otherwise query the provider; at 0 replicas set replicas to
 *   max(1, com.openfaas.scale.min); then poll every 100 ms (FunctionPollInterval), at most 1000
 *   times (MaxPollCount), until AvailableReplicas > 0, then proxy. When the polls run out the
 *   gateway proxies anyway (and the call meets no endpoint: 503). The HTTP request is held
 *   meanwhile; concurrent callers share one poll loop (singleflight).
 * - Proxy: a random Ready pod of the function (kube-proxy); its watchdog may answer 429.
 * - Timeouts: `upstream_timeout` from the proxy start and `write_timeout` from the arrival
 *   (code defaults 60 s each; the chart sets write 65 s, upstream 60 s). A timed-out call is
 *   answered 504 while the function keeps running to its end (its CPU work is not cancelled).
 *   The timeouts are kept in deadline lists (deadline-list.ts), not one kernel event per call:
 *   each still fires at exactly arming time + timeout; `c.writeTimer` / `c.upstreamTimer` hold
 *   the list tickets.
 *
 * The replica-set call's own retries (SetScaleRetries 20 × 100 ms) never fail here: setting
 * replicas on the runtime's Deployment always succeeds.
 */
import type { Simulation } from '../../core/simulation.js';
import { MS, SECOND, type Time } from '../../core/time.js';
import { DeadlineList } from './deadline-list.js';
import type { OpenFaasFunction, FunctionHost } from './function.js';
import { COMPLETED, FAILED, FAIL_STATUS, IN_FLIGHT, SyncCall, type CallDoneCallback, type FailReason } from './invocation.js';

/** Gateway code defaults: read/write/upstream timeouts 60 s [§b.1]. */
export const GATEWAY_DEFAULT_TIMEOUT = 60 * SECOND;
/** Chart values: readTimeout/writeTimeout 1m05s, upstreamTimeout 1m [§b.1]. */
export const CHART_WRITE_TIMEOUT = 65 * SECOND;
export const CHART_UPSTREAM_TIMEOUT = 60 * SECOND;
/** Replica cache expiry [§b.1 step 1]. */
export const REPLICA_CACHE_EXPIRY = 250 * MS;
/** FunctionPollInterval and MaxPollCount [§b.1 steps 2–3]. */
export const FUNCTION_POLL_INTERVAL = 100 * MS;
export const MAX_POLL_COUNT = 1000;

export interface GatewayOptions {
  /** `write_timeout`, µs (default: chart 65 s). */
  writeTimeout?: Time;
  /** `upstream_timeout`, µs (default: chart 60 s; must be below the write timeout). */
  upstreamTimeout?: Time;
  /** `scale_from_zero` (default true, chart). */
  scaleFromZero?: boolean;
  /** Replica cache expiry, µs (default 250 ms). */
  cacheExpiry?: Time;
  /** Poll interval, µs (default 100 ms) and maximum polls (default 1000). */
  pollInterval?: Time;
  maxPollCount?: number;
}

/** Gateway counters. */
export interface GatewayCounters {
  calls: number;
  completed: number;
  failed: Record<FailReason, number>;
  /** Calls that found no available replica and waited for a scale from zero. */
  coldStartWaits: number;
  /** Scale-from-zero operations (replicas set from 0). */
  scaleFromZero: number;
}

interface ScaleWait {
  fn: OpenFaasFunction;
  waiters: SyncCall[];
  polls: number;
}

/** The gateway. */
export class Gateway implements FunctionHost {
  readonly writeTimeout: Time;
  readonly upstreamTimeout: Time;
  readonly scaleFromZero: boolean;
  readonly cacheExpiry: Time;
  readonly pollInterval: Time;
  readonly maxPollCount: number;
  readonly counters: GatewayCounters;
  /** Listener of every call end. */
  onCallEnd: CallDoneCallback | null = null;
  private readonly fns = new Map<string, OpenFaasFunction>();
  private readonly cache = new Map<string, { available: number; expires: Time }>();
  private readonly waits = new Map<string, ScaleWait>();
  /** Write timeouts (from the arrival) and upstream timeouts (from the proxy start) [§b.1]. */
  private readonly writeTimeouts: DeadlineList<SyncCall>;
  private readonly upstreamTimeouts: DeadlineList<SyncCall>;
  private nextId = 0;

  constructor(readonly sim: Simulation, opts: GatewayOptions = {}) {
    this.writeTimeout = opts.writeTimeout ?? CHART_WRITE_TIMEOUT;
    this.upstreamTimeout = opts.upstreamTimeout ?? CHART_UPSTREAM_TIMEOUT;
    if (!(this.upstreamTimeout > 0 && this.writeTimeout > 0)) throw new RangeError(`gateway: timeouts: expected > 0 µs, found write ${this.writeTimeout}, upstream ${this.upstreamTimeout}`);
    this.scaleFromZero = opts.scaleFromZero ?? true;
    this.cacheExpiry = opts.cacheExpiry ?? REPLICA_CACHE_EXPIRY;
    this.pollInterval = opts.pollInterval ?? FUNCTION_POLL_INTERVAL;
    this.maxPollCount = opts.maxPollCount ?? MAX_POLL_COUNT;
    if (!(this.pollInterval > 0) || !(Number.isInteger(this.maxPollCount) && this.maxPollCount >= 1)) {
      throw new RangeError(`gateway: expected pollInterval > 0 and maxPollCount ≥ 1, found ${this.pollInterval}, ${this.maxPollCount}`);
    }
    const failed = {} as Record<FailReason, number>;
    for (const r of ['not-found', 'no-endpoints', 'too-many-requests', 'upstream-timeout', 'gateway-timeout', 'pod-lost', 'function-error'] as const) failed[r] = 0;
    this.counters = { calls: 0, completed: 0, failed, coldStartWaits: 0, scaleFromZero: 0 };
    this.writeTimeouts = new DeadlineList(sim, this.writeTimeout, this.onWriteTimeout);
    this.upstreamTimeouts = new DeadlineList(sim, this.upstreamTimeout, this.onUpstreamTimeout);
  }

  /** Register a deployed function. */
  register(fn: OpenFaasFunction): void {
    if (this.fns.has(fn.name)) throw new Error(`gateway: function "${fn.name}" is already deployed`);
    this.fns.set(fn.name, fn);
    fn.host = this;
  }

  function(name: string): OpenFaasFunction | undefined {
    return this.fns.get(name);
  }

  /** Calls still in flight. */
  get inFlight(): number {
    let f = 0;
    for (const k of Object.keys(this.counters.failed) as FailReason[]) f += this.counters.failed[k];
    return this.counters.calls - this.counters.completed - f;
  }

  /** `POST /function/<name>` now; `onDone` runs once when the call ends. */
  invoke(name: string, onDone: CallDoneCallback | null, tag = 0): SyncCall {
    const now = this.sim.now;
    const c = new SyncCall(this.nextId++, name, now, onDone, tag);
    this.counters.calls++;
    const fn = this.fns.get(name);
    if (fn === undefined) {
      this.fail(c, 'not-found');
      return c;
    }
    fn.noteInvocation(now);
    c.writeTimer = this.writeTimeouts.arm(c);
    if (this.cachedAvailable(fn, now) > 0 || !this.scaleFromZero) {
      this.proxy(fn, c);
      return c;
    }
    // Scale from zero [§b.1 steps 2–3]: hold the call; one poll loop per function.
    c.coldStartWait = true;
    this.counters.coldStartWaits++;
    let w = this.waits.get(name);
    if (w === undefined) {
      if (fn.replicas === 0) {
        fn.setReplicas(Math.max(1, fn.minReplicas));
        this.counters.scaleFromZero++;
      }
      w = { fn, waiters: [], polls: 0 };
      this.waits.set(name, w);
      this.sim.schedule(this.pollInterval, this.poll, w);
    }
    w.waiters.push(c);
    return c;
  }

  private cachedAvailable(fn: OpenFaasFunction, now: Time): number {
    const e = this.cache.get(fn.name);
    if (e !== undefined && now < e.expires) return e.available;
    const available = fn.availableReplicas;
    this.cache.set(fn.name, { available, expires: now + this.cacheExpiry });
    return available;
  }

  private readonly poll = (w: ScaleWait): void => {
    w.polls++;
    const available = w.fn.availableReplicas;
    this.cache.set(w.fn.name, { available, expires: this.sim.now + this.cacheExpiry });
    if (available > 0 || w.polls >= this.maxPollCount) {
      this.waits.delete(w.fn.name);
      for (const c of w.waiters) if (c.state === IN_FLIGHT) this.proxy(w.fn, c);
      return;
    }
    this.sim.schedule(this.pollInterval, this.poll, w);
  };

  private proxy(fn: OpenFaasFunction, c: SyncCall): void {
    c.proxyStart = this.sim.now;
    const pod = fn.pickPod();
    if (pod === null) {
      this.fail(c, 'no-endpoints');
      return;
    }
    if (!fn.accept(pod, c)) {
      this.fail(c, 'too-many-requests');
      return;
    }
    c.upstreamTimer = this.upstreamTimeouts.arm(c);
  }

  private readonly onWriteTimeout = (c: SyncCall): void => {
    c.writeTimer = -1;
    if (c.state === IN_FLIGHT) this.fail(c, 'gateway-timeout');
  };

  private readonly onUpstreamTimeout = (c: SyncCall): void => {
    c.upstreamTimer = -1;
    if (c.state === IN_FLIGHT) this.fail(c, 'upstream-timeout');
  };

  /** FunctionHost: the function answered. */
  executed(c: SyncCall, status: number): void {
    if (c.state !== IN_FLIGHT) return; // already answered 504; the late result is dropped
    if (status === 200) this.complete(c);
    else this.fail(c, 'function-error');
  }

  /** FunctionHost: the pod died under the call. */
  lost(c: SyncCall): void {
    if (c.state === IN_FLIGHT) this.fail(c, 'pod-lost');
  }

  private clearTimers(c: SyncCall): void {
    if (c.writeTimer >= 0) this.writeTimeouts.cancel(c.writeTimer);
    if (c.upstreamTimer >= 0) this.upstreamTimeouts.cancel(c.upstreamTimer);
    c.writeTimer = -1;
    c.upstreamTimer = -1;
  }

  private complete(c: SyncCall): void {
    this.clearTimers(c);
    c.state = COMPLETED;
    c.status = 200;
    c.end = this.sim.now;
    this.counters.completed++;
    this.fns.get(c.fn)?.noteCompletion(c.end, 200);
    c.onDone?.(c);
    this.onCallEnd?.(c);
  }

  private fail(c: SyncCall, reason: FailReason): void {
    this.clearTimers(c);
    c.state = FAILED;
    c.reason = reason;
    c.status = FAIL_STATUS[reason];
    c.end = this.sim.now;
    this.counters.failed[reason]++;
    this.fns.get(c.fn)?.noteCompletion(c.end, c.status);
    c.onDone?.(c);
    this.onCallEnd?.(c);
  }
}
