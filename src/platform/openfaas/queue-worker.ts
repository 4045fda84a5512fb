/**
 * The asynchronous path (platform-semantics.md §b.2): a NATS queue of invocations and a pool of
 * queue-worker replicas that call the function through the gateway (`/function/<name>`, so
 * scale from zero and the gateway timeouts apply to async calls too).
 *
 * Community Edition (`mode: 'ce'`, NATS Streaming):
 * - MaxInflight is fixed at 1: a worker runs one message at a time and auto-acks when its
 *   handler returns (the gateway's answer, whatever the status: no retries);
 * - the server delivers a new message to the queue-group member with the fewest unacked
 *   messages below MaxInflight (ties: lowest index);
 * - a message not acked within `ack_wait` (chart 60 s; code default 30 s) is redelivered, even
 *   to a member at its MaxInflight (redeliveries are forced), to the member with the fewest
 *   unacked messages (it moves there; the old holder's ack is then ignored). A worker still
 *   busy with the first copy runs the copy after it: **a function longer than ack_wait runs
 *   twice** (three times beyond 2·ack_wait, …). With two or more workers each redelivery moves
 *   to an idle member and implicitly acks for the old one, so a message whose every run outlives
 *   ack_wait is never acked and keeps being re-run every ack_wait (nats-streaming-server
 *   `performAckExpirationRedelivery` picks the best queue member and calls `processAck` for the
 *   original one). The callback fires after every handler run; the invocation's outcome is the
 *   first one.
 *
 * Pro (`mode: 'pro'`, JetStream static mode):
 * - each worker runs up to `maxInflight` calls (chart 50) from one shared FIFO consumer;
 * - the lease is extended while a call is in flight, so a long function is not redelivered;
 * - a status in `httpRetryCodes` is retried after `retryDelay` (retry-backoff.ts) until
 *   `maxRetryAttempts` calls were made [assumption: the attempts count the first call]; due
 *   retries are served before new messages [assumption]. Then the last answer is final.
 *
 * Total async concurrency = replicas × max_inflight [§b.2, async.md].
 */
import type { RandomStream } from '../../core/random.js';
import type { Simulation } from '../../core/simulation.js';
import { SECOND, type Time } from '../../core/time.js';
import { DeadlineList } from './deadline-list.js';
import type { Gateway } from './gateway.js';
import { AsyncInvocation, COMPLETED, FAILED, IN_FLIGHT, type FailReason, type SyncCall } from './invocation.js';
import {
  PRO_HTTP_RETRY_CODES, PRO_INITIAL_RETRY_WAIT, PRO_MAX_INFLIGHT, PRO_MAX_RETRY_ATTEMPTS, PRO_MAX_RETRY_WAIT,
  jitterDelay, retryDelay, type RetryJitter,
} from './retry-backoff.js';

/** CE `ack_wait`: code default 30 s; the chart sets 60 s [§b.2]. */
export const CE_ACK_WAIT_CODE_DEFAULT = 30 * SECOND;
export const CE_ACK_WAIT_CHART = 60 * SECOND;

export type QueueWorkerMode = 'ce' | 'pro';

export interface QueueWorkerOptions {
  mode: QueueWorkerMode;
  /** Queue-worker replicas (default 1). */
  replicas?: number;
  /** CE: ack_wait, µs (default: chart 60 s). */
  ackWait?: Time;
  /** Pro: max_inflight per replica (default 50). CE: must be 1 when given. */
  maxInflight?: number;
  /** Pro: total calls per invocation, first included (default 100). */
  maxRetryAttempts?: number;
  /** Pro: initialRetryWait / maxRetryWait, µs (defaults 10 s / 120 s). */
  initialRetryWait?: Time;
  maxRetryWait?: Time;
  /** Pro: statuses that are retried (default 408, 429, 500, 502, 503, 504). */
  httpRetryCodes?: readonly number[];
  /** Pro: jitter mode (default exponential = none). */
  jitter?: RetryJitter;
}

/** Pool counters. */
export interface QueueWorkerCounters {
  enqueued: number;
  completed: number;
  failed: number;
  /** Gateway calls made by workers (first tries + redeliveries + retries). */
  calls: number;
  redeliveries: number;
  retries: number;
  /** Handler runs after the invocation already had its outcome (CE duplicates). */
  duplicateRuns: number;
}

/** One queue-worker replica. */
export class QueueWorker {
  /** Calls in progress. */
  busy = 0;
  peakBusy = 0;
  /** Server side: messages delivered to it and not acked (CE). */
  outstanding = 0;
  /** Client side: delivered copies waiting for the handler (CE). */
  readonly inbox: AsyncInvocation[] = [];
  /** Scaled away: gets no new message, finishes what it has. */
  draining = false;
  constructor(readonly index: number) {}
}

/** The queue and its workers. */
export class QueueWorkerPool {
  readonly mode: QueueWorkerMode;
  readonly ackWait: Time;
  readonly maxInflight: number;
  readonly maxRetryAttempts: number;
  readonly initialRetryWait: Time;
  readonly maxRetryWait: Time;
  readonly retryCodes: ReadonlySet<number>;
  readonly jitter: RetryJitter;
  readonly workers: QueueWorker[] = [];
  readonly counters: QueueWorkerCounters = { enqueued: 0, completed: 0, failed: 0, calls: 0, redeliveries: 0, retries: 0, duplicateRuns: 0 };
  /** Listener of every invocation outcome. */
  onInvocationEnd: ((a: AsyncInvocation) => void) | null = null;
  private readonly pending: AsyncInvocation[] = [];
  private pHead = 0;
  private readonly due: AsyncInvocation[] = [];
  private dHead = 0;
  private nextId = 0;
  private readonly rng: RandomStream;
  /** CE: ack-wait deadlines of delivered, unacked messages (`a.timer` holds the ticket) [§b.2]. */
  private readonly ackWaits: DeadlineList<AsyncInvocation>;

  constructor(readonly sim: Simulation, readonly gateway: Gateway, opts: QueueWorkerOptions) {
    this.mode = opts.mode;
    if (opts.mode !== 'ce' && opts.mode !== 'pro') throw new RangeError(`queueWorker.mode: expected "ce" or "pro", found ${JSON.stringify(opts.mode)}`);
    if (opts.mode === 'ce' && opts.maxInflight !== undefined && opts.maxInflight !== 1) {
      throw new RangeError(`queueWorker.maxInflight: expected 1 in Community Edition (max_inflight is an OpenFaaS Pro feature since Dec 2022, §b.2), found ${opts.maxInflight}`);
    }
    this.ackWait = opts.ackWait ?? CE_ACK_WAIT_CHART;
    this.maxInflight = opts.mode === 'ce' ? 1 : opts.maxInflight ?? PRO_MAX_INFLIGHT;
    this.maxRetryAttempts = opts.maxRetryAttempts ?? PRO_MAX_RETRY_ATTEMPTS;
    this.initialRetryWait = opts.initialRetryWait ?? PRO_INITIAL_RETRY_WAIT;
    this.maxRetryWait = opts.maxRetryWait ?? PRO_MAX_RETRY_WAIT;
    this.retryCodes = new Set(opts.httpRetryCodes ?? PRO_HTTP_RETRY_CODES);
    this.jitter = opts.jitter ?? 'exponential';
    const bad = (k: string, exp: string, v: unknown): never => {
      throw new RangeError(`queueWorker.${k}: expected ${exp}, found ${JSON.stringify(v)}`);
    };
    if (!(this.ackWait > 0)) bad('ackWait', '> 0 µs', this.ackWait);
    if (!(Number.isInteger(this.maxInflight) && this.maxInflight >= 1)) bad('maxInflight', 'an integer ≥ 1', this.maxInflight);
    if (!(Number.isInteger(this.maxRetryAttempts) && this.maxRetryAttempts >= 1)) bad('maxRetryAttempts', 'an integer ≥ 1', this.maxRetryAttempts);
    if (!(this.initialRetryWait > 0 && this.maxRetryWait >= this.initialRetryWait)) bad('initialRetryWait/maxRetryWait', '0 < initial ≤ max', [this.initialRetryWait, this.maxRetryWait]);
    this.rng = sim.random.stream('openfaas/queue-worker/jitter');
    this.ackWaits = new DeadlineList(sim, this.ackWait, this.onAckTimeout);
    this.setReplicas(opts.replicas ?? 1);
  }

  /** Live (non-draining) replicas. */
  get replicas(): number {
    let n = 0;
    for (const w of this.workers) if (!w.draining) n++;
    return n;
  }

  /** Scale the queue-worker Deployment (new replicas take messages at once; removed ones drain). */
  setReplicas(n: number): void {
    if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`queueWorker.replicas: expected an integer ≥ 1, found ${n}`);
    let live = 0;
    for (const w of this.workers) {
      if (w.draining) continue;
      live++;
      if (live > n) w.draining = true;
    }
    while (live < n) {
      this.workers.push(new QueueWorker(this.workers.length));
      live++;
    }
    this.dispatch();
  }

  /** Messages waiting in the queue (not yet delivered). */
  get queueDepth(): number {
    return this.pending.length - this.pHead + (this.due.length - this.dHead);
  }

  /** Invocations not yet ended. */
  get inFlight(): number {
    return this.counters.enqueued - this.counters.completed - this.counters.failed;
  }

  /** `POST /async-function/<name>`: 202 at once; the invocation ends later. */
  enqueue(fn: string, onDone: ((a: AsyncInvocation) => void) | null = null, tag = 0): AsyncInvocation {
    const a = new AsyncInvocation(this.nextId++, fn, this.sim.now, onDone, tag);
    this.counters.enqueued++;
    this.pending.push(a);
    this.adjustQueued(a, 1);
    this.dispatch();
    return a;
  }

  private adjustQueued(a: AsyncInvocation, d: number): void {
    const f = this.gateway.function(a.fn);
    if (f !== undefined) f.queued += d;
  }

  private nextMessage(): AsyncInvocation | null {
    if (this.dHead < this.due.length) return this.due[this.dHead++];
    if (this.pHead < this.pending.length) {
      const a = this.pending[this.pHead++];
      if (this.pHead > 1024 && this.pHead * 2 > this.pending.length) {
        this.pending.splice(0, this.pHead);
        this.pHead = 0;
      }
      return a;
    }
    return null;
  }

  /** The member with the fewest in-progress (Pro) / unacked (CE) messages below the limit. */
  private bestWorker(forced: boolean): QueueWorker | null {
    let best: QueueWorker | null = null;
    for (const w of this.workers) {
      if (w.draining) continue;
      const load = this.mode === 'ce' ? w.outstanding : w.busy;
      if (!forced && load >= this.maxInflight) continue;
      if (best === null || load < (this.mode === 'ce' ? best.outstanding : best.busy)) best = w;
    }
    return best;
  }

  private dispatch(): void {
    for (;;) {
      if (this.queueDepth === 0) return;
      const w = this.bestWorker(false);
      if (w === null) return;
      const a = this.nextMessage() as AsyncInvocation;
      if (a.firstDequeue < 0) {
        a.firstDequeue = this.sim.now;
        this.adjustQueued(a, -1);
      }
      if (this.mode === 'ce') this.deliverCe(a, w);
      else this.call(a, w);
    }
  }

  // ---- CE: NATS Streaming delivery, ack wait and forced redelivery -----------------------

  private deliverCe(a: AsyncInvocation, w: QueueWorker): void {
    if (a.owner !== w.index) {
      if (a.owner >= 0) this.workers[a.owner].outstanding--;
      w.outstanding++;
      a.owner = w.index;
    }
    a.timer = this.ackWaits.arm(a);
    w.inbox.push(a);
    this.pumpCe(w);
  }

  private pumpCe(w: QueueWorker): void {
    if (w.busy > 0 || w.inbox.length === 0) return;
    this.call(w.inbox.shift() as AsyncInvocation, w);
  }

  private readonly onAckTimeout = (a: AsyncInvocation): void => {
    a.timer = -1;
    if (a.owner < 0) return; // acked
    const w = this.bestWorker(true) ?? this.workers[a.owner];
    a.redeliveries++;
    this.counters.redeliveries++;
    this.deliverCe(a, w);
  };

  private ackCe(a: AsyncInvocation, w: QueueWorker): void {
    if (a.owner !== w.index) return; // not held by this member (moved, or already acked)
    if (a.timer >= 0) this.ackWaits.cancel(a.timer);
    a.timer = -1;
    a.owner = -1;
    w.outstanding--;
  }

  // ---- both modes: one gateway call ------------------------------------------------------

  private call(a: AsyncInvocation, w: QueueWorker): void {
    w.busy++;
    if (w.busy > w.peakBusy) w.peakBusy = w.busy;
    a.attempts++;
    this.counters.calls++;
    this.gateway.invoke(a.fn, (c: SyncCall) => this.callDone(a, w, c), a.id);
  }

  private callDone(a: AsyncInvocation, w: QueueWorker, c: SyncCall): void {
    w.busy--;
    if (c.serviceStart >= 0) a.executions++;
    if (a.state !== IN_FLIGHT) this.counters.duplicateRuns++;
    if (this.mode === 'ce') {
      if (a.state === IN_FLIGHT) this.finish(a, c);
      this.ackCe(a, w);
      this.pumpCe(w);
    } else if (a.state === IN_FLIGHT) {
      if (c.status !== 200 && this.retryCodes.has(c.status) && a.attempts < this.maxRetryAttempts) {
        a.retries++;
        this.counters.retries++;
        const d = jitterDelay(retryDelay(a.retries, this.initialRetryWait, this.maxRetryWait), this.jitter, this.rng);
        a.timer = this.sim.schedule(d, this.retryDue, a);
      } else this.finish(a, c);
    }
    this.dispatch();
  }

  private readonly retryDue = (a: AsyncInvocation): void => {
    a.timer = -1;
    this.due.push(a);
    if (this.dHead > 1024 && this.dHead * 2 > this.due.length) {
      this.due.splice(0, this.dHead);
      this.dHead = 0;
    }
    this.dispatch();
  };

  private finish(a: AsyncInvocation, c: SyncCall): void {
    a.end = this.sim.now;
    a.status = c.status;
    if (c.state === COMPLETED) {
      a.state = COMPLETED;
      this.counters.completed++;
    } else {
      a.state = FAILED;
      a.reason = c.reason as FailReason;
      this.counters.failed++;
    }
    a.onDone?.(a);
    this.onInvocationEnd?.(a);
  }
}

