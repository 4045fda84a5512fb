/**
 * The simulation kernel: integer-microsecond clock, event queue, processes, named random
 * streams. Events at equal times run in insertion order. Nothing here reads a wall clock.
 */
import { EventQueue, type EventCallback, type EventId } from './event-queue.js';
import { Process, timeoutEvent, allOf, anyOf, type ProcessBody } from './process.js';
import { RandomStreams } from './random.js';
import type { Scheduler } from './scheduler.js';
import { SimEvent } from './sim-event.js';
import type { Time } from './time.js';

export interface SimulationOptions {
  /** Root seed of all random substreams. */
  seed?: number | string;
  /** Initial capacity of the event heap. */
  initialQueueCapacity?: number;
}

/**
 * Work done by every Simulation of this thread, for cost reporting only (events/s and
 * simulated seconds per wall second of runs whose models create their own simulations, such
 * as studies that run one simulation per configuration). It never feeds back into a model.
 */
export const simulationTotals = { events: 0, simulatedUs: 0 };

export class Simulation implements Scheduler {
  private _now: Time = 0;
  private readonly queue: EventQueue;
  private stopRequested = false;
  /** Events executed so far (cancelled events are not counted). */
  eventsProcessed = 0;
  readonly random: RandomStreams;

  constructor(opts: SimulationOptions = {}) {
    this.queue = new EventQueue(opts.initialQueueCapacity ?? 1024);
    this.random = new RandomStreams(opts.seed ?? 1);
  }

  /** Current simulated time in microseconds. */
  get now(): Time {
    return this._now;
  }

  /** Number of events waiting to run. */
  get pendingEvents(): number {
    return this.queue.pending;
  }

  /** Schedule `fn(arg)` after `delay` µs (rounded to an integer; must be non-negative). */
  schedule<T>(delay: Time, fn: EventCallback<T>, arg: T): EventId {
    if (!(delay >= 0 && delay !== Infinity)) {
      throw new RangeError(`schedule: delay must be a finite non-negative number of µs, found ${delay}`);
    }
    return this.queue.push(this._now + (Number.isInteger(delay) ? delay : Math.round(delay)), fn, arg);
  }

  /** Schedule `fn(arg)` at absolute time `time` (not in the past). */
  scheduleAt<T>(time: Time, fn: EventCallback<T>, arg: T): EventId {
    if (!(time >= this._now && time !== Infinity)) {
      throw new RangeError(`scheduleAt: time must be finite and not before now (${this._now}), found ${time}`);
    }
    return this.queue.push(Number.isInteger(time) ? time : Math.round(time), fn, arg);
  }

  /** An ordering token: an event later scheduled with it runs, among the events of its time, where one scheduled now would. */
  reserveOrder(): number {
    return this.queue.reserveSeq();
  }

  /** Schedule `fn(arg)` at `time` (integer, not in the past) in the position of ordering token `order`. */
  scheduleAtOrder<T>(time: Time, order: number, fn: EventCallback<T>, arg: T): EventId {
    if (!(time >= this._now && time !== Infinity && Number.isInteger(time))) {
      throw new RangeError(`scheduleAtOrder: time must be an integer µs not before now (${this._now}), found ${time}`);
    }
    return this.queue.pushSeq(time, order, fn, arg);
  }

  /** Cancel a scheduled event; false if it already ran or was cancelled. */
  cancel(id: EventId): boolean {
    return this.queue.cancel(id);
  }

  isPending(id: EventId): boolean {
    return this.queue.isPending(id);
  }

  /** Time of the next pending event (Infinity if none). */
  peek(): Time {
    return this.queue.peekTime();
  }

  /** Run one event. Returns false when no event is pending. */
  step(): boolean {
    const q = this.queue;
    const t = q.pop();
    if (t < 0) return false;
    simulationTotals.simulatedUs += t - this._now;
    simulationTotals.events++;
    this._now = t;
    this.eventsProcessed++;
    (q.poppedFn as EventCallback<unknown>)(q.poppedArg);
    return true;
  }

  /**
   * Run events in order until none is left, stop() is called, or the next event lies after
   * `until`; then the clock is set to `until` (when finite and not stopped early).
   */
  run(until: Time = Infinity): void {
    if (Number.isNaN(until)) throw new RangeError('run: until must be a time in µs, found NaN');
    // The clock stays on the integer-µs grid: a fractional horizon is rounded down.
    until = until === Infinity ? Infinity : Math.floor(until);
    const q = this.queue;
    this.stopRequested = false;
    const start = this._now;
    let n = 0;
    try {
      while (!this.stopRequested) {
        const t = q.popUntil(until);
        if (t < 0) break;
        this._now = t;
        n++;
        (q.poppedFn as EventCallback<unknown>)(q.poppedArg);
      }
    } finally {
      this.eventsProcessed += n;
      simulationTotals.events += n;
    }
    if (!this.stopRequested && until !== Infinity && until > this._now) this._now = until;
    simulationTotals.simulatedUs += this._now - start;
  }

  /** Stop run() after the current event. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Call `fn(now)` every `interval` µs, first after `firstDelay`; returns a function that stops it. */
  every(interval: Time, fn: (now: Time) => void, firstDelay: Time = interval): () => void {
    if (!(interval > 0)) throw new RangeError(`every: interval must be positive, found ${interval}`);
    let id: EventId = -1;
    let stopped = false;
    const tick = (): void => {
      if (stopped) return;
      id = this.schedule(interval, tick, undefined);
      fn(this._now);
    };
    id = this.schedule(firstDelay, tick, undefined);
    return () => {
      stopped = true;
      this.cancel(id);
    };
  }

  /** Start a generator process. */
  process<R>(body: ProcessBody<R> | (() => ProcessBody<R>), name?: string): Process<R> {
    const gen = typeof body === 'function' ? body() : body;
    return new Process<R>(this, gen, name);
  }

  /** A fresh pending event. */
  event<T = unknown>(): SimEvent<T> {
    return new SimEvent<T>(this);
  }

  /** An event that succeeds after `delay` µs. */
  timeout<T = undefined>(delay: Time, value?: T): SimEvent<T> {
    return timeoutEvent(this, delay, value);
  }

  allOf(events: readonly SimEvent<unknown>[]): SimEvent<unknown[]> {
    return allOf(this, events);
  }

  anyOf(events: readonly SimEvent<unknown>[]): SimEvent<{ index: number; value: unknown }> {
    return anyOf(this, events);
  }
}
