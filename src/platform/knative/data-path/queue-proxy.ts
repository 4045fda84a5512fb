/**
 * The queue-proxy sidecar of one pod (platform-semantics.md §a.1, §a.9, §a.12 item 1):
 *
 * - stats: a request counts in the concurrency from the moment it reaches the queue-proxy,
 *   **before** the breaker (`stats.HandleEvent(in)` precedes `breaker.Maybe`), so requests
 *   waiting in its queue count as concurrency. The time integral of the concurrency (and of the
 *   proxied concurrency, requests that came through the activator) gives the time-weighted
 *   average over each 1 s reporting period (`AverageConcurrentRequests`), with the arrival count;
 * - breaker: containerConcurrency CC ≥ 1 → at most CC requests in the user container and a FIFO
 *   queue of depth 10·CC; beyond that → 503. CC = 0 → no breaker.
 *
 * The user container runs each request as a CPU job of its pod (`Pod.execute`).
 */
import type { CpuJob } from '../../../cluster/cpu/node-cpu.js';
import type { Time } from '../../../core/time.js';
import type { Pod } from '../../kubernetes/runtime/pod.js';
import { Fifo } from './fifo.js';
import { KnRequest, IN_FLIGHT } from './request.js';

/** Queue depth per unit of containerConcurrency (`QueueDepth = 10 × CC`) [a.9]. */
export const QUEUE_PROXY_DEPTH_FACTOR = 10;

/** What the queue-proxy calls back into its revision. */
export interface QueueProxyHost {
  /** The user container finished `r` (state still IN_FLIGHT). */
  serviceDone(r: KnRequest): void;
  /** The breaker rejected `r` (overflow). */
  overflow(r: KnRequest): void;
  readonly now: Time;
}

function onJobDone(r: KnRequest): void {
  const qp = (r.pod as Pod).ownerData as QueueProxy;
  qp.jobDone(r);
}

/** One pod's queue-proxy. */
export class QueueProxy {
  /** Requests in the user container. */
  executing = 0;
  /** Live requests waiting in the breaker queue. */
  waiting = 0;
  private readonly queue = new Fifo<KnRequest>();
  private readonly running: KnRequest[] = [];
  /** The user container's concurrency limit (0 = unlimited) and queue depth. */
  readonly maxConcurrency: number;
  readonly queueDepth: number;
  // stats (time-weighted integrals since the last report)
  concurrency = 0;
  proxiedConcurrency = 0;
  private lastT: Time;
  private integral = 0;
  private proxiedIntegral = 0;
  private requests = 0;
  private proxiedRequests = 0;
  /** Values of the last report(). */
  avgConcurrency = 0;
  avgProxiedConcurrency = 0;
  reportedRequests = 0;
  reportedProxiedRequests = 0;
  /** Peak requests in the user container (for the containerConcurrency invariant). */
  peakExecuting = 0;

  constructor(readonly pod: Pod, containerConcurrency: number, private readonly host: QueueProxyHost, now: Time) {
    this.maxConcurrency = containerConcurrency;
    this.queueDepth = QUEUE_PROXY_DEPTH_FACTOR * containerConcurrency;
    this.lastT = now;
    pod.ownerData = this;
  }

  private integrate(now: Time): void {
    const dt = now - this.lastT;
    if (dt > 0) {
      this.integral += this.concurrency * dt;
      this.proxiedIntegral += this.proxiedConcurrency * dt;
      this.lastT = now;
    }
  }

  /** A request reaches the queue-proxy. */
  enter(r: KnRequest): void {
    const now = this.host.now;
    this.integrate(now);
    this.concurrency++;
    this.requests++;
    if (r.proxied) {
      this.proxiedConcurrency++;
      this.proxiedRequests++;
    }
    r.queueProxyIn = now;
    r.pod = this.pod;
    this.pod.hold();
    const cc = this.maxConcurrency;
    if (cc === 0 || this.executing < cc) {
      this.start(r);
      return;
    }
    if (this.waiting >= this.queueDepth) {
      this.leave(r);
      this.host.overflow(r);
      return;
    }
    r.queued = true;
    this.waiting++;
    this.queue.push(r);
  }

  private start(r: KnRequest): void {
    this.executing++;
    if (this.executing > this.peakExecuting) this.peakExecuting = this.executing;
    r.serviceStart = this.host.now;
    r.slot = this.running.length;
    this.running.push(r);
    r.job = this.pod.execute(onJobDone, r);
  }

  /** Stats out and release the pod hold. */
  private leave(r: KnRequest): void {
    this.integrate(this.host.now);
    this.concurrency--;
    if (r.proxied) this.proxiedConcurrency--;
    this.pod.release();
  }

  /** @internal the CPU job of `r` finished. */
  jobDone(r: KnRequest): void {
    r.job = null;
    this.unrun(r);
    this.executing--;
    r.serviceEnd = this.host.now;
    this.leave(r);
    this.host.serviceDone(r);
    this.next();
  }

  private unrun(r: KnRequest): void {
    const last = this.running.pop() as KnRequest;
    if (last !== r) {
      this.running[r.slot] = last;
      last.slot = r.slot;
    }
    r.slot = -1;
  }

  private next(): void {
    const cc = this.maxConcurrency;
    while (this.waiting > 0 && (cc === 0 || this.executing < cc)) {
      const r = this.queue.shift() as KnRequest;
      if (!r.queued) continue; // removed (timed out)
      r.queued = false;
      this.waiting--;
      this.start(r);
    }
  }

  /**
   * Take `r` out of this queue-proxy without completing it (timeout or the pod died): cancels
   * its CPU job or removes it from the queue. The caller ends the request.
   */
  abort(r: KnRequest): void {
    if (r.state !== IN_FLIGHT) return;
    if (r.queued) {
      r.queued = false;
      this.waiting--;
    } else if (r.job !== null) {
      const g = this.pod.cpuGroup;
      if (g !== null) g.cancel(r.job as unknown as CpuJob<unknown>);
      r.job = null;
      this.unrun(r);
      this.executing--;
    }
    this.leave(r);
    this.next();
  }

  /** Live requests it holds (queued or executing), for failing them when the pod dies. */
  heldRequests(out: KnRequest[]): void {
    for (const r of this.running) out.push(r);
    const q = this.queue;
    for (let i = 0; i < q.size; i++) {
      const r = q.at(i);
      if (r.queued) out.push(r);
    }
  }

  /**
   * The 1 s report (§a.1): time-weighted average concurrency and proxied concurrency over the
   * period since the last report, and the arrivals; resets the period.
   */
  report(now: Time, periodStart: Time): void {
    this.integrate(now);
    const span = now - Math.max(periodStart, this.pod.readyAt);
    this.avgConcurrency = span > 0 ? this.integral / span : this.concurrency;
    this.avgProxiedConcurrency = span > 0 ? this.proxiedIntegral / span : this.proxiedConcurrency;
    this.reportedRequests = this.requests;
    this.reportedProxiedRequests = this.proxiedRequests;
    this.integral = 0;
    this.proxiedIntegral = 0;
    this.requests = 0;
    this.proxiedRequests = 0;
  }
}
