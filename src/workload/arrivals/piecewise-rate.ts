/**
 * Non-homogeneous Poisson arrivals with a piecewise-constant rate, generated exactly by
 * inverting the integrated rate (no thinning): draw E ~ Exp(1) and advance through the
 * segments until the integral of the rate reaches E (Ross, "Simulation", §5.5).
 * Optionally the schedule repeats with its total length as the period (e.g. a 24-hour profile).
 */
import type { Time } from '../../core/time.js';
import { SECOND } from '../../core/time.js';
import { ArrivalOptionError, ArrivalSourceBase, checkNumber, type CommonArrivalOptions } from './arrival-source.js';

/** One segment of a rate schedule. */
export interface RateSegment {
  /** Length of the segment, µs (> 0). */
  duration: Time;
  /** Arrival rate during the segment, arrivals per second (≥ 0). */
  rate: number;
}

export interface PiecewiseRateOptions extends CommonArrivalOptions {
  segments: readonly RateSegment[];
  /** Repeat the schedule forever (period = sum of durations). Default false: the source ends after the last segment. */
  repeat?: boolean;
}

function firePiecewise(src: PiecewiseRateArrivals): void {
  src.fire();
}

/** Exact piecewise-constant-rate Poisson process. Default stream "workload.piecewise". */
export class PiecewiseRateArrivals extends ArrivalSourceBase {
  private readonly durations: Float64Array;
  /** Rates in arrivals per µs. */
  private readonly ratesUs: Float64Array;
  private readonly repeat: boolean;
  private seg = 0;
  private segEnd = 0;
  private t = 0;

  constructor(opts: PiecewiseRateOptions) {
    super(opts, 'workload.piecewise');
    const segs = opts.segments;
    if (!Array.isArray(segs) || segs.length === 0) throw new ArrivalOptionError('segments', 'a non-empty array of {duration, rate}', segs);
    this.durations = Float64Array.from(segs, (s, i) => checkNumber(`segments[${i}].duration`, s.duration, 0, true));
    this.ratesUs = Float64Array.from(segs, (s, i) => checkNumber(`segments[${i}].rate`, s.rate, 0) / SECOND);
    this.repeat = opts.repeat ?? false;
    if (this.repeat && !this.ratesUs.some((r) => r > 0)) throw new ArrivalOptionError('segments', 'at least one positive rate when repeat is set', 'all rates 0');
  }

  protected begin(t0: Time): void {
    this.t = t0;
    this.seg = 0;
    this.segEnd = t0 + this.durations[0];
    this.advance();
  }

  /** Move t to the next arrival time and arm it, or finish when the schedule ends. */
  private advance(): void {
    let e = -Math.log(this.rng.nextOpen()); // Exp(1) mass still to cover
    for (;;) {
      const r = this.ratesUs[this.seg];
      const room = (this.segEnd - this.t) * r;
      if (e <= room && r > 0) {
        this.t += e / r;
        break;
      }
      e -= room;
      this.t = this.segEnd;
      this.seg++;
      if (this.seg === this.durations.length) {
        if (!this.repeat) {
          this.finished = true;
          this.pending = -1;
          return;
        }
        this.seg = 0;
      }
      this.segEnd = this.t + this.durations[this.seg];
      if (this.t >= this.until) {
        this.finished = true;
        this.pending = -1;
        return;
      }
    }
    this.arm(this.t, firePiecewise);
  }

  /** @internal event callback */
  fire(): void {
    this.emit(this.pickFunction(), -1);
    this.advance();
  }
}
