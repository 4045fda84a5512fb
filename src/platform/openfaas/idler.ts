/**
 * The idler (legacy faas-idler; platform-semantics.md §b.3 "Scale to zero"): every
 * `reconcileInterval` (chart 2 m) it scales to zero each function labelled
 * `com.openfaas.scale.zero=true` that had no invocation for `inactivityDuration` (chart 3 m),
 * using `shouldScaleToZero`. A function with calls in flight or async messages queued is kept
 * [assumption: the idler's rate query sees the invocation counter move while calls complete].
 * The gateway scales it back from zero on the next call.
 */
import type { Simulation } from '../../core/simulation.js';
import { MINUTE, type Time } from '../../core/time.js';
import { shouldScaleToZero } from './autoscaler-rules.js';
import type { ScaleEvent } from './autoscaler.js';
import type { OpenFaasFunction } from './function.js';

/** Chart values of faas-idler: inactivityDuration 3m, reconcileInterval 2m [§b.3]. */
export const IDLER_INACTIVITY_DURATION = 3 * MINUTE;
export const IDLER_RECONCILE_INTERVAL = 2 * MINUTE;

export interface IdlerOptions {
  inactivityDuration?: Time;
  reconcileInterval?: Time;
}

export class Idler {
  readonly inactivityDuration: Time;
  readonly reconcileInterval: Time;
  readonly events: ScaleEvent[] = [];
  private stopTimer: (() => void) | null = null;

  constructor(readonly sim: Simulation, readonly fns: readonly OpenFaasFunction[], opts: IdlerOptions = {}) {
    this.inactivityDuration = opts.inactivityDuration ?? IDLER_INACTIVITY_DURATION;
    this.reconcileInterval = opts.reconcileInterval ?? IDLER_RECONCILE_INTERVAL;
    if (!(this.inactivityDuration > 0) || !(this.reconcileInterval > 0)) {
      throw new RangeError(`idler: expected inactivityDuration and reconcileInterval > 0 µs, found ${this.inactivityDuration}, ${this.reconcileInterval}`);
    }
  }

  start(): void {
    if (this.stopTimer === null) this.stopTimer = this.sim.every(this.reconcileInterval, (now) => this.reconcile(now));
  }

  stop(): void {
    this.stopTimer?.();
    this.stopTimer = null;
  }

  /** One pass at `now`. */
  reconcile(now: Time): void {
    for (const fn of this.fns) {
      const from = fn.replicas;
      if (from === 0 || fn.inflight > 0 || fn.queued > 0) continue;
      if (shouldScaleToZero(now, fn.lastInvocation, this.inactivityDuration, fn.scaleToZero, fn.createdAt)) {
        fn.setReplicas(0);
        this.events.push({ time: now, fn: fn.name, from, to: 0, cause: 'idler' });
      }
    }
  }
}
