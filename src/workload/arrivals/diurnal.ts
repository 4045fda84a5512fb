/**
 * Diurnal arrival patterns, built on the two non-homogeneous generators:
 * - a sinusoid λ(t) = mean·(1 + amplitude·cos(2π(t − peak)/period)), by thinning;
 * - a profile of rates over equal slots of a period (e.g. 24 hourly rates), exact
 *   piecewise-constant generation, repeating every period.
 */
import type { Time } from '../../core/time.js';
import { DAY } from '../../core/time.js';
import { ArrivalOptionError, checkNumber, type CommonArrivalOptions } from './arrival-source.js';
import { ThinningArrivals } from './thinning.js';
import { PiecewiseRateArrivals } from './piecewise-rate.js';

export interface SinusoidOptions extends CommonArrivalOptions {
  /** Mean rate over a period, arrivals per second (> 0). */
  meanRate: number;
  /** Relative amplitude in [0, 1]: peak = mean·(1 + a), trough = mean·(1 − a). */
  amplitude: number;
  /** Period, µs (default 24 h). */
  period?: Time;
  /** Time of the peak within the period, µs (default period/2, i.e. noon for a day). */
  peakAt?: Time;
}

/** The sinusoidal rate at time t (µs), arrivals/s. Pure; exported for tests. */
export function sinusoidRate(t: Time, meanRate: number, amplitude: number, period: Time, peakAt: Time): number {
  return meanRate * (1 + amplitude * Math.cos((2 * Math.PI * (t - peakAt)) / period));
}

/** Sinusoidal diurnal Poisson arrivals (thinning). Default stream "workload.diurnal". */
export function sinusoidArrivals(opts: SinusoidOptions): ThinningArrivals {
  const mean = checkNumber('meanRate', opts.meanRate, 0, true);
  const amp = checkNumber('amplitude', opts.amplitude, 0);
  if (amp > 1) throw new ArrivalOptionError('amplitude', 'a number in [0, 1]', amp);
  const period = opts.period === undefined ? DAY : checkNumber('period', opts.period, 0, true);
  const peakAt = opts.peakAt === undefined ? period / 2 : checkNumber('peakAt', opts.peakAt, 0);
  return new ThinningArrivals({
    ...opts,
    stream: opts.stream ?? 'workload.diurnal',
    maxRate: mean * (1 + amp),
    rate: (t) => sinusoidRate(t, mean, amp, period, peakAt),
  });
}

export interface ProfileOptions extends CommonArrivalOptions {
  /** Rates (arrivals/s) of equal slots covering one period, e.g. 24 hourly rates. */
  rates: readonly number[];
  /** Period, µs (default 24 h); each slot lasts period / rates.length. */
  period?: Time;
}

/** Diurnal profile: piecewise-constant rates over a repeating period. Default stream "workload.diurnal". */
export function profileArrivals(opts: ProfileOptions): PiecewiseRateArrivals {
  if (!Array.isArray(opts.rates) || opts.rates.length === 0) throw new ArrivalOptionError('rates', 'a non-empty array of rates (arrivals/s)', opts.rates);
  const period = opts.period === undefined ? DAY : checkNumber('period', opts.period, 0, true);
  const slot = period / opts.rates.length;
  return new PiecewiseRateArrivals({
    ...opts,
    stream: opts.stream ?? 'workload.diurnal',
    segments: opts.rates.map((rate) => ({ duration: slot, rate })),
    repeat: true,
  });
}
