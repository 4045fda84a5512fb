/**
 * Homogeneous Poisson arrivals: exponential inter-arrival times with mean 1/rate.
 * Times are accumulated in floating-point µs and rounded only when scheduled, so rounding
 * never biases the rate.
 */
import type { Time } from '../../core/time.js';
import { SECOND } from '../../core/time.js';
import { ArrivalSourceBase, checkNumber, type CommonArrivalOptions } from './arrival-source.js';

export interface PoissonOptions extends CommonArrivalOptions {
  /** Mean arrival rate, arrivals per second (> 0). */
  rate: number;
}

function firePoisson(src: PoissonArrivals): void {
  src.fire();
}

/** Poisson process of the given rate (arrivals/s). Default stream "workload.poisson". */
export class PoissonArrivals extends ArrivalSourceBase {
  private readonly meanGap: number;
  private t = 0;

  constructor(opts: PoissonOptions) {
    super(opts, 'workload.poisson');
    this.meanGap = SECOND / checkNumber('rate', opts.rate, 0, true);
  }

  protected begin(t0: Time): void {
    this.t = t0 + this.rng.exponential(this.meanGap);
    this.arm(this.t, firePoisson);
  }

  /** @internal event callback */
  fire(): void {
    this.emit(this.pickFunction(), -1);
    this.t += this.rng.exponential(this.meanGap);
    this.arm(this.t, firePoisson);
  }
}
