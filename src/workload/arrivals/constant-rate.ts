/**
 * Constant-rate (deterministic) arrivals: one every 1/rate seconds, the first at
 * start + phase. Times accumulate in floating-point µs and are rounded when scheduled.
 */
import type { Time } from '../../core/time.js';
import { SECOND } from '../../core/time.js';
import { ArrivalSourceBase, checkNumber, type CommonArrivalOptions } from './arrival-source.js';

export interface ConstantRateOptions extends CommonArrivalOptions {
  /** Arrivals per second (> 0). */
  rate: number;
  /** Offset of the first arrival after the start, µs (default 0: first arrival at the start). */
  phase?: Time;
}

function fireConstant(src: ConstantRateArrivals): void {
  src.fire();
}

/** Deterministic arrivals at a fixed rate. Default stream "workload.constant" (used only to pick functions). */
export class ConstantRateArrivals extends ArrivalSourceBase {
  private readonly gap: number;
  private readonly phase: number;
  private t0 = 0;
  private k = 0;

  constructor(opts: ConstantRateOptions) {
    super(opts, 'workload.constant');
    this.gap = SECOND / checkNumber('rate', opts.rate, 0, true);
    this.phase = opts.phase === undefined ? 0 : checkNumber('phase', opts.phase, 0);
  }

  protected begin(t0: Time): void {
    this.t0 = t0 + this.phase;
    this.arm(this.t0, fireConstant);
  }

  /** @internal event callback */
  fire(): void {
    this.emit(this.pickFunction(), -1);
    // t0 + k·gap (not repeated addition) keeps the k-th arrival exact for long runs.
    this.k++;
    this.arm(this.t0 + this.k * this.gap, fireConstant);
  }
}
