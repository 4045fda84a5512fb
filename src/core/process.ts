/**
 * Generator-function processes, for readable scenario logic (not per-request hot paths).
 *
 * A process body is a generator that yields:
 *   - a number: wait that many microseconds;
 *   - a SimEvent: wait until it triggers; the yield evaluates to its value, or throws its error.
 * `yield Infinity` sleeps until interrupted. An already-triggered event is continued from synchronously. A process is itself an
 * event that triggers with the generator's return value, so processes can wait for each other.
 * `interrupt(cause)` throws an Interrupt into the process at its current yield.
 */
import type { EventId } from './event-queue.js';
import type { Scheduler } from './scheduler.js';
import { SimEvent, PENDING } from './sim-event.js';
import type { Time } from './time.js';

export type Yieldable = number | SimEvent<unknown>;
export type ProcessBody<R = unknown> = Generator<Yieldable, R, unknown>;

/** Thrown into a process by Process.interrupt(). */
export class Interrupt extends Error {
  constructor(readonly reason: unknown) {
    super(`interrupted: ${String(reason)}`);
    this.name = 'Interrupt';
  }
}

export class Process<R = unknown> extends SimEvent<R> {
  private timer: EventId = -1;
  private waitingOn: SimEvent<unknown> | null = null;
  private readonly onEvent = (ev: SimEvent<unknown>): void => {
    this.waitingOn = null;
    if (ev.ok) this.advance(ev.value, undefined, false);
    else {
      ev.defused = true;
      this.advance(undefined, ev.error, true);
    }
  };

  constructor(sim: Scheduler, private readonly body: ProcessBody<R>, readonly name = 'process') {
    super(sim);
    sim.schedule(0, startProcess, this as Process<unknown>);
  }

  /** True while the generator has not returned or thrown. */
  get isAlive(): boolean {
    return this.state === PENDING;
  }

  /** Throw an Interrupt into the process at the current time. */
  interrupt(reason?: unknown): void {
    if (!this.isAlive) throw new Error(`cannot interrupt ${this.name}: it has finished`);
    this.detach();
    this.sim.schedule(0, interruptProcess, { proc: this as Process<unknown>, reason });
  }

  /** @internal */
  onTimer(): void {
    this.timer = -1;
    this.advance(undefined, undefined, false);
  }

  /** @internal */
  deliverInterrupt(reason: unknown): void {
    if (!this.isAlive) return;
    this.detach();
    this.advance(undefined, new Interrupt(reason), true);
  }

  private detach(): void {
    if (this.timer >= 0) {
      this.sim.cancel(this.timer);
      this.timer = -1;
    }
    if (this.waitingOn !== null) {
      this.waitingOn.removeCallback(this.onEvent);
      this.waitingOn = null;
    }
  }

  /** Run the generator until it waits on something not yet triggered, or ends. */
  advance(value: unknown, error: unknown, isError: boolean): void {
    const body = this.body;
    for (;;) {
      let r: IteratorResult<Yieldable, R>;
      try {
        r = isError ? body.throw(error) : body.next(value);
      } catch (e) {
        this.fail(e);
        return;
      }
      if (r.done) {
        this.succeed(r.value);
        return;
      }
      const y = r.value;
      if (typeof y === 'number') {
        if (!(y >= 0)) {
          isError = true;
          error = new RangeError(`${this.name}: yielded an invalid delay ${y}`);
          continue;
        }
        // `yield Infinity` waits until interrupted.
        if (y !== Infinity) this.timer = this.sim.schedule(y, resumeProcess, this as Process<unknown>);
        return;
      }
      if (y instanceof SimEvent) {
        if (y.state === 2 /* PROCESSED */) {
          if (y.ok) { value = y.value; isError = false; }
          else { y.defused = true; error = y.error; isError = true; }
          continue;
        }
        this.waitingOn = y;
        y.addCallback(this.onEvent);
        return;
      }
      isError = true;
      error = new TypeError(`${this.name}: yielded ${String(y)}; expected a delay (number) or a SimEvent`);
    }
  }
}

function startProcess(p: Process<unknown>): void {
  p.advance(undefined, undefined, false);
}

function resumeProcess(p: Process<unknown>): void {
  p.onTimer();
}

function interruptProcess(a: { proc: Process<unknown>; reason: unknown }): void {
  a.proc.deliverInterrupt(a.reason);
}

/** An event that succeeds after `delay`. */
export function timeoutEvent<T>(sim: Scheduler, delay: Time, value?: T): SimEvent<T> {
  const ev = new SimEvent<T>(sim);
  sim.schedule(delay, (e: SimEvent<T>) => e.succeed(value), ev);
  return ev;
}

/** An event that succeeds with all values once every event has succeeded (fails on the first failure). */
export function allOf(sim: Scheduler, events: readonly SimEvent<unknown>[]): SimEvent<unknown[]> {
  const all = new SimEvent<unknown[]>(sim);
  let remaining = events.length;
  if (remaining === 0) return all.settleNow([]);
  const onOne = (ev: SimEvent<unknown>): void => {
    if (all.triggered) return;
    if (!ev.ok) {
      ev.defused = true;
      all.fail(ev.error);
      return;
    }
    if (--remaining === 0) all.succeed(events.map((e) => e.value));
  };
  for (const e of events) e.addCallback(onOne);
  return all;
}

/** An event that succeeds with {index, value} of the first event to trigger. */
export function anyOf(sim: Scheduler, events: readonly SimEvent<unknown>[]): SimEvent<{ index: number; value: unknown }> {
  const any = new SimEvent<{ index: number; value: unknown }>(sim);
  if (events.length === 0) throw new Error('anyOf needs at least one event');
  events.forEach((e, index) => {
    e.addCallback((ev) => {
      if (any.triggered) return;
      if (!ev.ok) {
        ev.defused = true;
        any.fail(ev.error);
      } else any.succeed({ index, value: ev.value });
    });
  });
  return any;
}
