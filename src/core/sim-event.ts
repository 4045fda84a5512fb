/**
 * One-shot events that processes and callbacks wait on. An event is pending until it
 * succeeds or fails; its callbacks then run from the event queue at the current time
 * (ordered like any other event), never synchronously inside succeed()/fail().
 */
import type { Scheduler } from './scheduler.js';

export type EventState = 0 | 1 | 2; // pending, triggered (callbacks scheduled), processed
export const PENDING: EventState = 0;
export const TRIGGERED: EventState = 1;
export const PROCESSED: EventState = 2;

// Method-style (bivariant) so that SimEvent<Request> is usable wherever SimEvent<unknown> is.
export type WaitCallback<T> = { bivarianceHack(ev: SimEvent<T>): void }['bivarianceHack'];

export class SimEvent<T = unknown> {
  state: EventState = PENDING;
  ok = true;
  value: T | undefined = undefined;
  error: unknown = undefined;
  /** Set by a waiter that handles failure, so that an unhandled failure is not rethrown. */
  defused = false;
  private callbacks: WaitCallback<T>[] | null = null;

  constructor(readonly sim: Scheduler) {}

  get triggered(): boolean {
    return this.state !== PENDING;
  }

  /** Trigger successfully with a value; waiters run at the current simulated time. */
  succeed(value?: T): this {
    if (this.state !== PENDING) throw new Error('event already triggered');
    this.value = value;
    this.state = TRIGGERED;
    this.sim.schedule(0, fireEvent, this as SimEvent<unknown>);
    return this;
  }

  /** Trigger with an error; processes waiting on it get the error thrown at their yield. */
  fail(error: unknown): this {
    if (this.state !== PENDING) throw new Error('event already triggered');
    this.ok = false;
    this.error = error;
    this.state = TRIGGERED;
    this.sim.schedule(0, fireEvent, this as SimEvent<unknown>);
    return this;
  }

  /**
   * Mark as triggered without scheduling callbacks (used for immediate grants that a
   * process continues from synchronously). Callbacks added later are scheduled one by one.
   */
  settleNow(value?: T): this {
    if (this.state !== PENDING) throw new Error('event already triggered');
    this.value = value;
    this.state = PROCESSED;
    return this;
  }

  /** Run `cb` once the event has triggered (at once, via the queue, if it already has). */
  addCallback(cb: WaitCallback<T>): void {
    if (this.state === PROCESSED) {
      this.sim.schedule(0, runLateCallback, { ev: this as SimEvent<unknown>, cb: cb as WaitCallback<unknown> });
      return;
    }
    if (this.callbacks === null) this.callbacks = [cb];
    else this.callbacks.push(cb);
  }

  /** Remove a callback that has not run yet. */
  removeCallback(cb: WaitCallback<T>): void {
    if (this.callbacks === null) return;
    const i = this.callbacks.indexOf(cb);
    if (i >= 0) this.callbacks.splice(i, 1);
  }

  /** @internal run the callbacks (called from the event queue). */
  fire(): void {
    this.state = PROCESSED;
    const cbs = this.callbacks;
    this.callbacks = null;
    if (cbs !== null) for (let i = 0; i < cbs.length; i++) cbs[i](this);
    if (!this.ok && !this.defused) {
      throw this.error instanceof Error ? this.error : new Error(String(this.error));
    }
  }
}

function fireEvent(ev: SimEvent<unknown>): void {
  ev.fire();
}

function runLateCallback(a: { ev: SimEvent<unknown>; cb: WaitCallback<unknown> }): void {
  a.cb(a.ev);
}
