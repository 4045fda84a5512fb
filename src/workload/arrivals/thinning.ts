/**
 * Non-homogeneous Poisson arrivals for an arbitrary bounded rate function, by thinning
 * (Lewis & Shedler 1979): candidates at rate λmax, each kept with probability λ(t)/λmax.
 * Rejected candidates cost two draws and no kernel event.
 */
import type { Time } from '../../core/time.js';
import { SECOND } from '../../core/time.js';
import { ArrivalOptionError, ArrivalSourceBase, checkNumber, type CommonArrivalOptions } from './arrival-source.js';

export interface ThinningOptions extends CommonArrivalOptions {
  /** Rate at simulated time t (µs), in arrivals per second; must stay in [0, maxRate]. */
  rate: (t: Time) => number;
  /** An upper bound of `rate` over the run, arrivals per second (> 0). */
  maxRate: number;
}

function fireThinning(src: ThinningArrivals): void {
  src.fire();
}

/** Thinning generator. Default stream "workload.thinning". Throws if rate(t) exceeds maxRate. */
export class ThinningArrivals extends ArrivalSourceBase {
  private readonly rate: (t: Time) => number;
  private readonly maxRate: number;
  private readonly meanGap: number;
  private t = 0;

  constructor(opts: ThinningOptions) {
    super(opts, 'workload.thinning');
    if (typeof opts.rate !== 'function') throw new ArrivalOptionError('rate', 'a function of time returning arrivals/s', opts.rate);
    this.rate = opts.rate;
    this.maxRate = checkNumber('maxRate', opts.maxRate, 0, true);
    this.meanGap = SECOND / this.maxRate;
  }

  protected begin(t0: Time): void {
    this.t = t0;
    this.advance();
  }

  private advance(): void {
    const rng = this.rng;
    for (;;) {
      this.t += rng.exponential(this.meanGap);
      if (this.t >= this.until) break;
      const r = this.rate(this.t);
      if (!(r >= 0 && r <= this.maxRate * (1 + 1e-12))) {
        throw new ArrivalOptionError(`rate(${Math.round(this.t)} µs)`, `a rate in [0, maxRate = ${this.maxRate}]`, r);
      }
      if (rng.next() * this.maxRate < r) break;
    }
    this.arm(this.t, fireThinning);
  }

  /** @internal event callback */
  fire(): void {
    this.emit(this.pickFunction(), -1);
    this.advance();
  }
}
