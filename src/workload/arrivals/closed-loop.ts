/**
 * Closed-loop load generator with `hey` semantics (rakyll/hey; calibration-targets.md study 3,
 * "Load generator"): C concurrent workers, each sends a request, waits for its response
 * (or the per-request timeout), optionally thinks, and sends the next. Stages run back to
 * back, each with its own concurrency and request count or duration, with an optional gap.
 *
 * - Requests mode: exactly N requests per stage, spread as evenly as possible over the
 *   workers (worker w gets ⌊N/C⌋, plus one if w < N mod C; study 3 suggested default).
 * - Duration mode: workers send until `duration` after the stage start; requests in flight
 *   at the deadline are awaited. With both, whichever ends first.
 * - A stage ends when its last worker finishes, so concurrency tails off at the end.
 * - Timeout (hey default 20 s): the worker moves on and records a timeout; a completion that
 *   arrives later is counted in `lateCompletions` and otherwise ignored.
 *
 * The system under test implements `issue(request, onDone)` and calls `onDone(request, ok)`
 * exactly once. `onDone` is one bound function for the client's life; no closure per request.
 */
import type { Simulation } from '../../core/simulation.js';
import type { EventId } from '../../core/event-queue.js';
import type { RandomStream } from '../../core/random.js';
import type { Time } from '../../core/time.js';
import { SECOND, MS } from '../../core/time.js';
import { makeDistribution, type Distribution, type DistributionSpec } from '../../core/distributions.js';
import type { PayloadSource, RequestPayload } from '../payload.js';
import { ArrivalOptionError, checkNumber } from './arrival-source.js';

/** Outcome codes recorded per request. */
export const STATUS_OK = 0;
export const STATUS_ERROR = 1;
export const STATUS_TIMEOUT = 2;

/** One request of the closed-loop client. */
export interface ClientRequest {
  readonly id: number;
  /** Function index (in the client's `functionNames`). */
  readonly fn: number;
  /** 0-based stage index. */
  readonly stage: number;
  readonly worker: number;
  /** Simulated send time, µs. */
  readonly sentAt: Time;
  readonly payload: RequestPayload | undefined;
}

/** Called by the system under test when a request completes (ok = success). */
export type CompletionCallback = (request: ClientRequest, ok: boolean) => void;

/** What the client drives. */
export interface SystemUnderTest {
  issue(request: ClientRequest, onDone: CompletionCallback): void;
}

export interface ClosedLoopStage {
  /** Concurrent workers (integer ≥ 1). */
  concurrency: number;
  /** Requests in this stage (integer ≥ 0). */
  requests?: number;
  /** Stage length, µs: no request is sent after start + duration. */
  duration?: Time;
  /** Think time between a response and the worker's next request, in milliseconds (default 0). */
  thinkTimeMs?: DistributionSpec;
  /** Name for reports (default "stage<k+1>"). */
  label?: string;
}

export interface ClosedLoopOptions {
  stages: readonly ClosedLoopStage[];
  /** Pause between the end of one stage and the start of the next, µs (default 0; study 3 suggests 1 s). */
  gap?: Time;
  /** Per-request timeout, µs (default 20 s as in hey; Infinity disables). */
  timeout?: Time;
  functions?: readonly string[];
  /** Relative weight of each function (default equal). */
  weights?: readonly number[];
  payload?: PayloadSource;
  /** Random substream name (default "workload.client"): think times and function choice. */
  stream?: string;
  /** Called after each request is resolved (ok, error or timeout); latency in µs. */
  onResponse?: (request: ClientRequest, latency: Time, status: number) => void;
  /** Called once when the last stage ends. */
  onFinished?: (now: Time) => void;
}

/** Per-stage summary of client-side results. */
export interface StageSummary {
  label: string;
  concurrency: number;
  start: Time;
  end: Time;
  /** Requests resolved (ok, error or timeout). */
  resolved: number;
  ok: number;
  errors: number;
  timeouts: number;
  /** Highest number of requests in flight during the stage. */
  maxInFlight: number;
  /** Completed requests (any status) per second of stage time. */
  throughput: number;
  /** Client-side latency of all resolved requests, µs. */
  meanLatency: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
}

interface Req extends ClientRequest {
  readonly client: ClosedLoopClient;
  readonly w: Worker;
  timer: EventId;
  state: number; // 0 in flight, 1 resolved
}

class Worker {
  constructor(readonly client: ClosedLoopClient, readonly index: number) {}
  quota = 0;
}

function fireWorker(w: Worker): void {
  w.client.send(w);
}
function fireTimeout(r: Req): void {
  r.client.timedOut(r);
}
function fireStage(c: ClosedLoopClient): void {
  c.startStage(c.stageIndex + 1);
}

/** Linear-interpolated quantile of a sorted array (type 7). Pure; exported for tests. */
export function sortedQuantile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** The closed-loop client. */
export class ClosedLoopClient {
  readonly functionNames: readonly string[];
  private readonly stages: readonly ClosedLoopStage[];
  private readonly think: (Distribution | null)[];
  private readonly gap: Time;
  private readonly timeout: Time;
  private readonly cumWeights: Float64Array | null;
  private readonly opts: ClosedLoopOptions;
  private sim: Simulation | null = null;
  private system: SystemUnderTest | null = null;
  private rng!: RandomStream;
  private readonly onDone: CompletionCallback;
  private workers: Worker[] = [];
  private activeWorkers = 0;
  private deadline = Infinity;
  private stopped = false;
  private issuing = false;
  private pendingStage: EventId = -1;
  /** Current stage (0-based; -1 before start, stages.length after the end). */
  stageIndex = -1;
  inFlight = 0;
  /** Highest in-flight count over the whole run. */
  maxInFlight = 0;
  sent = 0;
  lateCompletions = 0;
  finished = false;
  readonly stageStart: Float64Array;
  readonly stageEnd: Float64Array;
  private readonly stageMaxInFlight: Float64Array;
  // results (struct of arrays, growable)
  private cap = 1024;
  private n = 0;
  private rSent = new Float64Array(1024);
  private rLatency = new Float64Array(1024);
  private rStatus = new Uint8Array(1024);
  private rStage = new Uint16Array(1024);

  constructor(opts: ClosedLoopOptions) {
    this.opts = opts;
    if (!Array.isArray(opts.stages) || opts.stages.length === 0) throw new ArrivalOptionError('stages', 'a non-empty array of stages', opts.stages);
    this.stages = opts.stages;
    this.think = opts.stages.map((s, k) => {
      const p = `stages[${k}]`;
      if (!(Number.isInteger(s.concurrency) && s.concurrency >= 1)) throw new ArrivalOptionError(`${p}.concurrency`, 'an integer ≥ 1', s.concurrency);
      if (s.requests === undefined && s.duration === undefined) throw new ArrivalOptionError(p, 'a stage with "requests" or "duration"', 'neither');
      if (s.requests !== undefined && !(Number.isInteger(s.requests) && s.requests >= 0)) throw new ArrivalOptionError(`${p}.requests`, 'an integer ≥ 0', s.requests);
      if (s.duration !== undefined) checkNumber(`${p}.duration`, s.duration, 0, true);
      return s.thinkTimeMs === undefined ? null : makeDistribution(s.thinkTimeMs, `${p}.thinkTimeMs`);
    });
    this.gap = opts.gap === undefined ? 0 : checkNumber('gap', opts.gap, 0);
    this.timeout = opts.timeout === undefined ? 20 * SECOND : opts.timeout === Infinity ? Infinity : checkNumber('timeout', opts.timeout, 0, true);
    const names = opts.functions ?? ['fn0'];
    this.functionNames = names;
    if (opts.weights !== undefined) {
      if (opts.weights.length !== names.length) throw new ArrivalOptionError('weights', `${names.length} weights`, opts.weights.length);
      const cum = new Float64Array(names.length);
      let s = 0;
      opts.weights.forEach((w, i) => { s += checkNumber(`weights[${i}]`, w, 0); cum[i] = s; });
      if (!(s > 0)) throw new ArrivalOptionError('weights', 'at least one positive weight', opts.weights);
      for (let i = 0; i < cum.length; i++) cum[i] /= s;
      this.cumWeights = cum;
    } else this.cumWeights = names.length > 1 ? Float64Array.from(names, (_, i) => (i + 1) / names.length) : null;
    this.stageStart = new Float64Array(opts.stages.length).fill(NaN);
    this.stageEnd = new Float64Array(opts.stages.length).fill(NaN);
    this.stageMaxInFlight = new Float64Array(opts.stages.length);
    this.onDone = (req, ok) => this.completed(req as Req, ok);
  }

  /** Start stage 0 now. */
  start(sim: Simulation, system: SystemUnderTest): void {
    if (this.sim !== null) throw new Error('ClosedLoopClient: start() called twice');
    this.sim = sim;
    this.system = system;
    this.rng = sim.random.stream(this.opts.stream ?? 'workload.client');
    this.startStage(0);
  }

  /** Stop sending: no new requests; in-flight ones are still recorded. */
  stop(): void {
    this.stopped = true;
    if (this.pendingStage >= 0 && this.sim !== null) this.sim.cancel(this.pendingStage);
  }

  /** @internal */
  startStage(k: number): void {
    const sim = this.sim as Simulation;
    this.pendingStage = -1;
    this.stageIndex = k;
    if (k >= this.stages.length || this.stopped) {
      this.finished = true;
      this.opts.onFinished?.(sim.now);
      return;
    }
    const st = this.stages[k];
    this.stageStart[k] = sim.now;
    this.opts.payload?.stageStarted?.(k, sim.now);
    this.deadline = st.duration === undefined ? Infinity : sim.now + st.duration;
    const c = st.concurrency;
    const n = st.requests ?? Infinity;
    this.workers = [];
    this.activeWorkers = 0;
    for (let w = 0; w < c; w++) {
      const worker = new Worker(this, w);
      worker.quota = n === Infinity ? Infinity : Math.floor(n / c) + (w < n % c ? 1 : 0);
      this.workers.push(worker);
      if (worker.quota > 0) this.activeWorkers++;
    }
    if (this.activeWorkers === 0) {
      this.endStage();
      return;
    }
    for (const worker of this.workers) if (worker.quota > 0) this.send(worker);
  }

  private endStage(): void {
    const sim = this.sim as Simulation;
    const k = this.stageIndex;
    this.stageEnd[k] = sim.now;
    if (k + 1 < this.stages.length && !this.stopped) this.pendingStage = sim.schedule(this.gap, fireStage, this);
    else this.startStage(this.stages.length);
  }

  /** @internal send the worker's next request, or retire the worker. */
  send(w: Worker): void {
    const sim = this.sim as Simulation;
    if (this.stopped || w.quota <= 0 || sim.now >= this.deadline) {
      this.retire();
      return;
    }
    w.quota--;
    const k = this.stageIndex;
    const fn = this.pickFunction();
    const req: Req = {
      id: this.sent++,
      fn,
      stage: k,
      worker: w.index,
      client: this,
      w,
      sentAt: sim.now,
      payload: this.opts.payload?.sample(sim.now, fn),
      timer: -1,
      state: 0,
    };
    this.inFlight++;
    if (this.inFlight > this.maxInFlight) this.maxInFlight = this.inFlight;
    if (this.inFlight > this.stageMaxInFlight[k]) this.stageMaxInFlight[k] = this.inFlight;
    if (this.timeout !== Infinity) req.timer = sim.schedule(this.timeout, fireTimeout, req);
    this.issuing = true;
    try {
      (this.system as SystemUnderTest).issue(req, this.onDone);
    } finally {
      this.issuing = false;
    }
  }

  private retire(): void {
    this.activeWorkers--;
    if (this.activeWorkers === 0) this.endStage();
  }

  private pickFunction(): number {
    const cum = this.cumWeights;
    if (cum === null) return 0;
    const u = this.rng.next();
    let i = 0;
    while (i < cum.length - 1 && u >= cum[i]) i++;
    return i;
  }

  private completed(req: Req, ok: boolean): void {
    if (req.state !== 0) {
      this.lateCompletions++;
      return;
    }
    const sim = this.sim as Simulation;
    if (req.timer >= 0) sim.cancel(req.timer);
    this.resolve(req, ok ? STATUS_OK : STATUS_ERROR, sim.now - req.sentAt);
  }

  /** @internal */
  timedOut(req: Req): void {
    if (req.state !== 0) return;
    this.resolve(req, STATUS_TIMEOUT, this.timeout);
  }

  private resolve(req: Req, status: number, latency: Time): void {
    req.state = 1;
    this.inFlight--;
    this.record(req, status, latency);
    this.opts.onResponse?.(req, latency, status);
    const w = req.w;
    const think = this.think[req.stage];
    if (think === null || w.quota <= 0 || this.stopped) {
      // A system that completes inside issue() would otherwise recurse once per request.
      if (this.issuing) (this.sim as Simulation).schedule(0, fireWorker, w);
      else this.send(w);
    } else {
      const d = Math.max(0, Math.round(think.sample(this.rng) * MS));
      (this.sim as Simulation).schedule(d, fireWorker, w);
    }
  }

  private record(req: Req, status: number, latency: Time): void {
    if (this.n === this.cap) {
      this.cap *= 2;
      const grow = <T extends Float64Array | Uint8Array | Uint16Array>(a: T, make: (n: number) => T): T => {
        const b = make(this.cap);
        b.set(a);
        return b;
      };
      this.rSent = grow(this.rSent, (n) => new Float64Array(n));
      this.rLatency = grow(this.rLatency, (n) => new Float64Array(n));
      this.rStatus = grow(this.rStatus, (n) => new Uint8Array(n));
      this.rStage = grow(this.rStage, (n) => new Uint16Array(n));
    }
    const i = this.n++;
    this.rSent[i] = req.sentAt;
    this.rLatency[i] = latency;
    this.rStatus[i] = status;
    this.rStage[i] = req.stage;
  }

  /** Client-side records in resolution order: send time (µs), latency (µs), status, stage. */
  results(): { sentAt: Float64Array; latency: Float64Array; status: Uint8Array; stage: Uint16Array } {
    return {
      sentAt: this.rSent.slice(0, this.n),
      latency: this.rLatency.slice(0, this.n),
      status: this.rStatus.slice(0, this.n),
      stage: this.rStage.slice(0, this.n),
    };
  }

  /** Summary of stage k (0-based) from the client's records. */
  stageSummary(k: number): StageSummary {
    const st = this.stages[k];
    const lat: number[] = [];
    let ok = 0, errors = 0, timeouts = 0, sum = 0;
    for (let i = 0; i < this.n; i++) {
      if (this.rStage[i] !== k) continue;
      const s = this.rStatus[i];
      if (s === STATUS_OK) ok++;
      else if (s === STATUS_ERROR) errors++;
      else timeouts++;
      lat.push(this.rLatency[i]);
      sum += this.rLatency[i];
    }
    const sorted = Float64Array.from(lat).sort();
    const start = this.stageStart[k];
    const end = this.stageEnd[k];
    const span = (end - start) / SECOND;
    return {
      label: st.label ?? `stage${k + 1}`,
      concurrency: st.concurrency,
      start,
      end,
      resolved: lat.length,
      ok,
      errors,
      timeouts,
      maxInFlight: this.stageMaxInFlight[k],
      throughput: span > 0 ? lat.length / span : NaN,
      meanLatency: lat.length > 0 ? sum / lat.length : NaN,
      p50: sortedQuantile(sorted, 0.5),
      p90: sortedQuantile(sorted, 0.9),
      p95: sortedQuantile(sorted, 0.95),
      p99: sortedQuantile(sorted, 0.99),
    };
  }
}
