/**
 * The activator's handling of one revision (platform-semantics.md §a.1, §a.8, §a.12 item 6):
 *
 * - a revision breaker: a FIFO queue of depth `breakerQueueDepth` (10 000) plus the capacity of
 *   the pods it knows (containerConcurrency × pod trackers; infinite when CC = 0). A request that
 *   finds queue + capacity full is rejected (503);
 * - one pod tracker per Ready pod, added only after the activator's own probe succeeds (0–200 ms
 *   after readiness, `ProbeFrequency` 200 ms); a tracker admits CC requests at a time;
 * - load balancing: CC ≤ 3 → first available tracker (in the order pods became known); CC > 3 →
 *   round robin; CC = 0 → power of two random choices (the one with fewer requests in flight);
 * - stats: the activator's concurrency is the time-weighted average of the requests it holds
 *   (queued and proxied in flight), reported every second; the first request after an idle
 *   report sends an immediate stat {concurrency 1, requests 1} and pokes the autoscaler; the next
 *   report subtracts that request (`firstAdj`).
 *
 * One logical activator per revision: the split of pods across several activators (§a.6) is not
 * modelled (it only matters for very large revisions).
 */
import type { RandomStream } from '../../../core/random.js';
import type { Time } from '../../../core/time.js';
import type { Pod } from '../../kubernetes/runtime/pod.js';
import { Fifo } from './fifo.js';
import type { QueueProxy } from './queue-proxy.js';
import type { KnRequest } from './request.js';

/** `breakerQueueDepth` of the revision throttler [a.8]. */
export const ACTIVATOR_QUEUE_DEPTH = 10_000;

/** A pod as the activator tracks it. */
export interface PodTracker {
  readonly pod: Pod;
  readonly qp: QueueProxy;
  inflight: number;
  active: boolean;
}

/** What the activator calls back into its revision. */
export interface ActivatorHost {
  readonly now: Time;
  /** Send a dispatched request to its pod's queue-proxy. */
  forward(r: KnRequest, t: PodTracker): void;
  /** The first request after an idle report: immediate stat + poke. */
  firstRequest(): void;
}

/** The activator's per-revision throttler, queue and stats. */
export class Activator {
  readonly trackers: PodTracker[] = [];
  /** Requests waiting in the queue. */
  waiting = 0;
  /** Requests proxied to pods and not yet answered. */
  inflight = 0;
  /** Peak of `waiting`. */
  peakWaiting = 0;
  private readonly queue = new Fifo<KnRequest>();
  private rr = 0;
  private dispatching = false;
  private again = false;
  // stats
  private lastT: Time;
  private integral = 0;
  private requests = 0;
  /** The activator has a stats entry for the revision (a request since the last idle report). */
  hasStats = false;
  private firstAdj = 0;

  constructor(
    readonly containerConcurrency: number,
    readonly queueDepth: number,
    private readonly host: ActivatorHost,
    private readonly rng: RandomStream,
    now: Time,
  ) {
    this.lastT = now;
  }

  /** Requests the activator holds (queued + proxied). */
  get held(): number {
    return this.waiting + this.inflight;
  }

  /** Revision breaker capacity (CC × trackers; Infinity for CC = 0). */
  get capacity(): number {
    return this.containerConcurrency === 0 ? Infinity : this.containerConcurrency * this.trackers.length;
  }

  private integrate(now: Time): void {
    const dt = now - this.lastT;
    if (dt > 0) {
      this.integral += (this.waiting + this.inflight) * dt;
      this.lastT = now;
    }
  }

  /** Admit a request; false when the breaker is full (the caller rejects it with a 503). */
  enter(r: KnRequest): boolean {
    if (this.waiting + this.inflight >= this.queueDepth + this.capacity) return false;
    const now = this.host.now;
    this.integrate(now);
    r.proxied = true;
    r.activatorIn = now;
    r.queued = true;
    this.waiting++;
    if (this.waiting > this.peakWaiting) this.peakWaiting = this.waiting;
    this.requests++;
    this.queue.push(r);
    if (!this.hasStats) {
      this.hasStats = true;
      this.firstAdj = 1;
      this.host.firstRequest();
    }
    this.dispatch();
    return true;
  }

  /** Hand queued requests to pods with free slots, in FIFO order. */
  dispatch(): void {
    if (this.dispatching) {
      this.again = true;
      return;
    }
    this.dispatching = true;
    do {
      this.again = false;
      while (this.waiting > 0) {
        const t = this.pick();
        if (t === null) break;
        // waiting > 0: a live entry is queued; entries taken out by abortQueued are skipped
        let r = this.queue.shift() as KnRequest;
        while (!r.queued) r = this.queue.shift() as KnRequest;
        r.queued = false;
        this.waiting--;
        this.inflight++;
        t.inflight++;
        r.tracker = t;
        r.dispatched = this.host.now;
        this.host.forward(r, t);
      }
    } while (this.again);
    this.dispatching = false;
  }

  private pick(): PodTracker | null {
    const ts = this.trackers;
    const n = ts.length;
    if (n === 0) return null;
    const cc = this.containerConcurrency;
    if (cc === 0) {
      if (n === 1) return ts[0];
      const a = ts[this.rng.int(n)];
      const b = ts[this.rng.int(n)];
      return b.inflight < a.inflight ? b : a;
    }
    if (cc <= 3) {
      for (let i = 0; i < n; i++) if (ts[i].inflight < cc) return ts[i];
      return null;
    }
    for (let k = 0; k < n; k++) {
      const t = ts[(this.rr + k) % n];
      if (t.inflight < cc) {
        this.rr = (this.rr + k + 1) % n;
        return t;
      }
    }
    return null;
  }

  /** A proxied request ended (answered or failed): free its tracker slot. */
  release(r: KnRequest): void {
    const t = r.tracker as PodTracker;
    r.tracker = null;
    this.integrate(this.host.now);
    t.inflight--;
    this.inflight--;
    if (t.active) this.dispatch();
  }

  /** Remove a queued request (timeout). */
  abortQueued(r: KnRequest): void {
    if (!r.queued) return;
    this.integrate(this.host.now);
    r.queued = false;
    this.waiting--;
  }

  /** The activator's probe of a Ready pod succeeded: start sending it requests. */
  addPod(pod: Pod, qp: QueueProxy): void {
    if (!pod.isReady) return;
    for (const t of this.trackers) if (t.pod === pod) return;
    this.trackers.push({ pod, qp, inflight: 0, active: true });
    this.dispatch();
  }

  /** The pod left the endpoints (Terminating or gone). */
  removePod(pod: Pod): void {
    const i = this.trackers.findIndex((t) => t.pod === pod);
    if (i < 0) return;
    this.trackers[i].active = false;
    this.trackers.splice(i, 1);
    if (this.rr >= this.trackers.length) this.rr = 0;
  }

  /**
   * The 1 s report: average concurrency over the period and arrivals (minus the request already
   * sent in the first-request stat); an idle period (nothing held, no arrivals) drops the entry.
   */
  report(now: Time, periodStart: Time): { concurrency: number; requests: number } {
    this.integrate(now);
    const span = now - periodStart;
    const c = span > 0 ? this.integral / span : this.waiting + this.inflight;
    const req = this.requests - this.firstAdj;
    const idle = this.integral === 0 && this.requests === 0 && this.waiting + this.inflight === 0;
    this.integral = 0;
    this.requests = 0;
    this.firstAdj = 0;
    if (idle) this.hasStats = false;
    return { concurrency: c, requests: req > 0 ? req : 0 };
  }
}
