/**
 * The arrival-source contract shared by every open-loop generator and trace replayer, and
 * the base class that keeps their counters and attaches request payloads.
 *
 * Hot path (DESIGN.md rule 5): a source keeps exactly one pending kernel event, scheduled
 * with a module-level callback and the source itself as the argument, so no closure or
 * object is allocated per arrival (a payload, when configured, is the one allocation).
 */
import type { Simulation } from '../../core/simulation.js';
import type { EventId } from '../../core/event-queue.js';
import type { RandomStream } from '../../core/random.js';
import type { Time } from '../../core/time.js';
import type { PayloadSource, RequestPayload } from '../payload.js';

/**
 * Called once per arrival, at the arrival's simulated time (`sim.now`).
 * - `fn`: index of the function in the source's `functionNames`;
 * - `serviceTime`: the execution time the trace records or samples for this invocation, in
 *   µs, or -1 when the source has none (open-loop generators, traces without durations);
 * - `payload`: the request's feature values when the source has a payload model.
 */
export type ArrivalCallback = (fn: number, serviceTime: Time, payload: RequestPayload | undefined) => void;

/** Counts an arrival source keeps (read at any time; they only grow). */
export interface ArrivalCounters {
  /** Arrivals delivered to the callback. */
  readonly arrivals: number;
  /** Arrivals delivered per function index (same order as `functionNames`). */
  perFunction(): Float64Array;
}

/** Anything that emits arrivals into a simulation. */
export interface ArrivalSource {
  /** Function names; index i is the `fn` argument of the callback. Streamed traces may append names as they read. */
  readonly functionNames: readonly string[];
  /** Begin emitting on `sim` (first arrival not before `sim.now`). Throws if already started. */
  start(sim: Simulation, onArrival: ArrivalCallback): void;
  /** Stop emitting: cancels the one pending event. Idempotent. */
  stop(): void;
  /** True once the source has nothing more to emit (exhausted, past its end, or stopped). */
  readonly done: boolean;
  readonly counters: ArrivalCounters;
}

/** Options every generator accepts. */
export interface CommonArrivalOptions {
  /** Function names; arrivals are spread over them by `weights` (default: one function "fn0"). */
  functions?: readonly string[];
  /** Relative weight of each function (default: equal). Same length as `functions`. */
  weights?: readonly number[];
  /** Name of the random substream (default: a per-generator name, e.g. "workload.poisson"). */
  stream?: string;
  /** Simulated time of the earliest arrival, µs (default: the time start() is called). */
  startAt?: Time;
  /** No arrival at or after this time, µs (default: never ends). */
  until?: Time;
  /** Stop after this many arrivals (default: unlimited). */
  maxArrivals?: number;
  /** Payload model: each arrival carries `payload.sample(now, fn)`. */
  payload?: PayloadSource;
}

/** A bad generator option: names the option, what was expected and what was found. */
export class ArrivalOptionError extends Error {
  constructor(readonly option: string, expected: string, found: unknown) {
    super(`${option}: expected ${expected}, found ${typeof found === 'object' ? JSON.stringify(found) : String(found)}`);
    this.name = 'ArrivalOptionError';
  }
}

/** Throw ArrivalOptionError unless `v` is a finite number ≥ min (or > min when `strict`). */
export function checkNumber(option: string, v: unknown, min: number, strict = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (strict ? !(v > min) : !(v >= min))) {
    throw new ArrivalOptionError(option, `a finite number ${strict ? '>' : '≥'} ${min}`, v);
  }
  return v;
}

/** Growable per-function counter array. */
export class FunctionCounts {
  private counts = new Float64Array(8);
  private n = 0;
  add(fn: number): void {
    if (fn >= this.counts.length) {
      const c = new Float64Array(Math.max(fn + 1, this.counts.length * 2));
      c.set(this.counts);
      this.counts = c;
    }
    this.counts[fn]++;
    if (fn >= this.n) this.n = fn + 1;
  }
  /** A copy of the counts, one entry per function index seen (or `size` entries). */
  snapshot(size = this.n): Float64Array {
    const out = new Float64Array(size);
    out.set(this.counts.subarray(0, Math.min(size, this.counts.length)));
    return out;
  }
}

/**
 * Base of the arrival sources: start/stop bookkeeping, counters, function choice by
 * weight, payload attachment. Subclasses implement `begin()` (schedule the first event)
 * and call `emit(fn, serviceTime)` from their event callback, then `arm(time)` for the next.
 */
export abstract class ArrivalSourceBase implements ArrivalSource, ArrivalCounters {
  functionNames: readonly string[];
  arrivals = 0;
  protected sim: Simulation | null = null;
  protected onArrival: ArrivalCallback | null = null;
  protected pending: EventId = -1;
  protected stopped = false;
  protected finished = false;
  protected rng!: RandomStream;
  protected readonly startAt: Time | undefined;
  protected readonly until: Time;
  protected readonly maxArrivals: number;
  protected readonly payload: PayloadSource | undefined;
  private readonly cumWeights: Float64Array | null;
  private readonly fnCounts = new FunctionCounts();
  private readonly streamName: string;

  constructor(opts: CommonArrivalOptions, defaultStream: string) {
    const names = opts.functions ?? ['fn0'];
    if (!Array.isArray(names) || names.length === 0) throw new ArrivalOptionError('functions', 'a non-empty array of names', names);
    this.functionNames = names;
    this.cumWeights = null;
    if (opts.weights !== undefined) {
      if (opts.weights.length !== names.length) {
        throw new ArrivalOptionError('weights', `${names.length} weights (one per function)`, `${opts.weights.length}`);
      }
      const cum = new Float64Array(names.length);
      let s = 0;
      opts.weights.forEach((w, i) => {
        s += checkNumber(`weights[${i}]`, w, 0);
        cum[i] = s;
      });
      if (!(s > 0)) throw new ArrivalOptionError('weights', 'at least one positive weight', opts.weights);
      for (let i = 0; i < cum.length; i++) cum[i] /= s;
      cum[cum.length - 1] = 1;
      this.cumWeights = cum;
    } else if (names.length > 1) {
      this.cumWeights = Float64Array.from(names, (_, i) => (i + 1) / names.length);
    }
    this.startAt = opts.startAt === undefined ? undefined : checkNumber('startAt', opts.startAt, 0);
    this.until = opts.until === undefined ? Infinity : checkNumber('until', opts.until, 0);
    this.maxArrivals = opts.maxArrivals === undefined ? Infinity : checkNumber('maxArrivals', opts.maxArrivals, 0);
    this.payload = opts.payload;
    this.streamName = opts.stream ?? defaultStream;
  }

  get counters(): ArrivalCounters {
    return this;
  }

  get done(): boolean {
    return this.finished || this.stopped;
  }

  perFunction(): Float64Array {
    return this.fnCounts.snapshot(Math.max(this.functionNames.length, 0));
  }

  start(sim: Simulation, onArrival: ArrivalCallback): void {
    if (this.sim !== null) throw new Error(`${this.constructor.name}: start() called twice`);
    this.sim = sim;
    this.onArrival = onArrival;
    this.rng = sim.random.stream(this.streamName);
    const t0 = Math.max(sim.now, this.startAt ?? sim.now);
    if (this.maxArrivals === 0 || t0 >= this.until) {
      this.finished = true;
      return;
    }
    this.begin(t0);
  }

  stop(): void {
    this.stopped = true;
    if (this.sim !== null && this.pending >= 0) this.sim.cancel(this.pending);
    this.pending = -1;
  }

  /** Schedule the first event; `t0` is the earliest arrival time (µs). */
  protected abstract begin(t0: Time): void;

  /** Pick a function index by weight (one uniform draw when there are several functions). */
  protected pickFunction(): number {
    const cum = this.cumWeights;
    if (cum === null) return 0;
    const u = this.rng.next();
    let lo = 0, hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (u < cum[mid]) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /**
   * Schedule `cb(this)` at absolute time `t` (float µs, rounded) if it lies before `until`;
   * otherwise mark the source finished. Returns whether an event was scheduled.
   */
  protected arm(t: number, cb: (src: this) => void): boolean {
    const at = Math.round(t);
    if (this.stopped || at >= this.until || this.arrivals >= this.maxArrivals) {
      this.finished = true;
      this.pending = -1;
      return false;
    }
    this.pending = (this.sim as Simulation).scheduleAt(at, cb, this);
    return true;
  }

  /** Deliver one arrival now. */
  protected emit(fn: number, serviceTime: Time): void {
    this.arrivals++;
    this.fnCounts.add(fn);
    const sim = this.sim as Simulation;
    const payload = this.payload === undefined ? undefined : this.payload.sample(sim.now, fn);
    (this.onArrival as ArrivalCallback)(fn, serviceTime, payload);
  }
}
