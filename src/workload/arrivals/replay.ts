/**
 * Replay of recorded arrival timestamps (µs, non-decreasing), optionally with a function
 * index and a service time per arrival. Arrays are held by reference, not copied.
 */
import type { Time } from '../../core/time.js';
import { ArrivalOptionError, ArrivalSourceBase, type CommonArrivalOptions } from './arrival-source.js';

export interface ReplayOptions extends Omit<CommonArrivalOptions, 'weights'> {
  /** Arrival times, µs, non-decreasing, relative to the start (added to `startAt` or the start time). */
  times: ArrayLike<number>;
  /** Function index of each arrival (default: all 0). */
  fns?: ArrayLike<number>;
  /** Service time of each arrival, µs (default: -1, none). */
  serviceTimes?: ArrayLike<number>;
}

function fireReplay(src: ReplayArrivals): void {
  src.fire();
}

/** Replays recorded timestamps exactly. Default stream "workload.replay" (unused: no randomness). */
export class ReplayArrivals extends ArrivalSourceBase {
  private readonly times: ArrayLike<number>;
  private readonly fns: ArrayLike<number> | undefined;
  private readonly serviceTimes: ArrayLike<number> | undefined;
  private i = 0;
  private base = 0;

  constructor(opts: ReplayOptions) {
    super(opts, 'workload.replay');
    const { times, fns, serviceTimes } = opts;
    if (times === null || typeof times !== 'object' || typeof times.length !== 'number') {
      throw new ArrivalOptionError('times', 'an array of arrival times (µs)', times);
    }
    for (let i = 0; i < times.length; i++) {
      const t = times[i];
      if (!(t >= 0) || !Number.isFinite(t)) throw new ArrivalOptionError(`times[${i}]`, 'a non-negative finite time (µs)', t);
      if (i > 0 && t < times[i - 1]) throw new ArrivalOptionError(`times[${i}]`, `a time not before times[${i - 1}] = ${times[i - 1]} (non-decreasing)`, t);
    }
    const n = this.functionNames.length;
    if (fns !== undefined) {
      if (fns.length !== times.length) throw new ArrivalOptionError('fns', `${times.length} function indices (one per time)`, fns.length);
      for (let i = 0; i < fns.length; i++) {
        if (!(Number.isInteger(fns[i]) && fns[i] >= 0 && fns[i] < n)) throw new ArrivalOptionError(`fns[${i}]`, `a function index in [0, ${n - 1}]`, fns[i]);
      }
    }
    if (serviceTimes !== undefined && serviceTimes.length !== times.length) {
      throw new ArrivalOptionError('serviceTimes', `${times.length} service times (one per time)`, serviceTimes.length);
    }
    this.times = times;
    this.fns = fns;
    this.serviceTimes = serviceTimes;
  }

  protected begin(t0: Time): void {
    this.base = t0;
    this.i = 0;
    if (this.times.length === 0) this.finished = true;
    else this.arm(this.base + this.times[0], fireReplay);
  }

  /** @internal event callback */
  fire(): void {
    const i = this.i++;
    this.emit(this.fns === undefined ? 0 : this.fns[i], this.serviceTimes === undefined ? -1 : Math.round(this.serviceTimes[i]));
    if (this.i < this.times.length) this.arm(this.base + this.times[this.i], fireReplay);
    else {
      this.finished = true;
      this.pending = -1;
    }
  }
}
