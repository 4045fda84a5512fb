/**
 * Traffic for backends that carry requests (SimBackend, LocalBackend), written only against the
 * backend's clock so that the same plan replays the same way on both: the same arrival offsets
 * and the same per-request work.
 */
import type { Time } from '../core/time.js';
import type { RandomStream } from '../core/random.js';
import type { BackendClock, ClusterBackend, TrafficBackend } from './cluster-backend.js';

/** Arrivals relative to a start time, with each request's work. */
export interface ArrivalPlan {
  /** Arrival offsets from the start, µs, non-decreasing. */
  readonly offsets: readonly Time[];
  /** CPU work of each request, core-µs at speed 1 (same length as offsets). */
  readonly workCoreUs: readonly number[];
}

/**
 * A Poisson plan: `count` arrivals at `ratePerS`, exponential gaps drawn from `arrivals` and
 * work drawn by `work(rng)` from `works` (core-µs). Integer µs offsets.
 */
export function poissonPlan(count: number, ratePerS: number, arrivals: RandomStream, works: RandomStream, work: (rng: RandomStream) => number): ArrivalPlan {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`poissonPlan: count: expected an integer ≥ 0, found ${count}`);
  if (!(ratePerS > 0)) throw new RangeError(`poissonPlan: ratePerS: expected > 0, found ${ratePerS}`);
  const offsets: Time[] = [];
  const w: number[] = [];
  let t = 0;
  for (let i = 0; i < count; i++) {
    t += arrivals.exponential(1e6 / ratePerS);
    offsets.push(Math.round(t));
    const x = work(works);
    w.push(x > 0 ? x : 0);
  }
  return { offsets, workCoreUs: w };
}

/**
 * Send the plan's requests to `fn`, offsets counted from now. Each send schedules the next one
 * against the backend's clock (a late live timer does not shift later arrivals). `onSent` after
 * the last. Returns a function that stops the replay.
 */
export function replayPlan(backend: TrafficBackend, fn: string, plan: ArrivalPlan, onSent?: () => void): () => void {
  if (plan.offsets.length !== plan.workCoreUs.length) throw new RangeError(`replayPlan: expected as many works as offsets (${plan.offsets.length}), found ${plan.workCoreUs.length}`);
  const start = backend.now();
  let i = 0;
  let cancel: () => void = () => {};
  const next = (now: Time): void => {
    while (i < plan.offsets.length && start + plan.offsets[i] <= now) {
      backend.send(fn, { workCoreUs: plan.workCoreUs[i] });
      i++;
    }
    if (i < plan.offsets.length) cancel = backend.after(start + plan.offsets[i] - now, next);
    else onSent?.();
  };
  if (plan.offsets.length === 0) onSent?.();
  else cancel = backend.after(plan.offsets[0], next);
  return () => cancel();
}

/** Call `cb(now)` once `fn` has at least `replicas` Ready pods (polled every `poll` µs). */
export function whenReady(backend: ClusterBackend, fn: string, replicas: number, cb: (now: Time) => void, poll: Time = 10_000): () => void {
  const check = (): boolean => (backend.observe().functions.find((f) => f.name === fn)?.readyReplicas ?? 0) >= replicas;
  let stop: () => void = () => {};
  if (check()) {
    stop = backend.after(0, cb);
    return () => stop();
  }
  stop = backend.every(poll, (now) => {
    if (!check()) return;
    stop();
    cb(now);
  });
  return () => stop();
}

/** Resolve once `pred()` holds, checking every `poll` µs of backend time; reject after `timeout`. */
export async function runUntil(clock: BackendClock, pred: () => boolean, timeout: Time, poll: Time = 10_000): Promise<boolean> {
  const end = clock.now() + timeout;
  while (!pred()) {
    if (clock.now() >= end) return false;
    await clock.runFor(Math.min(poll, end - clock.now()));
  }
  return true;
}
