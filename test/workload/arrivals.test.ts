import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/core/simulation.js';
import { SECOND, MINUTE, HOUR, DAY } from '../../src/core/time.js';
import { PoissonArrivals } from '../../src/workload/arrivals/poisson.js';
import { ConstantRateArrivals } from '../../src/workload/arrivals/constant-rate.js';
import { PiecewiseRateArrivals } from '../../src/workload/arrivals/piecewise-rate.js';
import { sinusoidArrivals, profileArrivals, sinusoidRate } from '../../src/workload/arrivals/diurnal.js';
import { MmppArrivals, onOffArrivals } from '../../src/workload/arrivals/mmpp.js';
import { ReplayArrivals } from '../../src/workload/arrivals/replay.js';
import type { ArrivalSource } from '../../src/workload/arrivals/arrival-source.js';

/** Run a source to `until` and collect arrival times; also checks one pending event at a time. */
function collect(src: ArrivalSource, until: number, seed = 1): { times: number[]; fns: number[]; sim: Simulation } {
  const sim = new Simulation({ seed });
  const times: number[] = [];
  const fns: number[] = [];
  let maxPending = 0;
  src.start(sim, (fn) => {
    times.push(sim.now);
    fns.push(fn);
    maxPending = Math.max(maxPending, sim.pendingEvents);
  });
  sim.run(until);
  expect(maxPending).toBeLessThanOrEqual(1);
  return { times, fns, sim };
}

/** |count − mean| within z·sd of a Poisson count (z = 4: false-failure rate ≈ 6e-5). */
function expectPoissonCount(count: number, mean: number, z = 4): void {
  expect(Math.abs(count - mean)).toBeLessThan(z * Math.sqrt(mean));
}

describe('open-loop generators', () => {
  it('Poisson: count within a 4σ bound and exponential gaps (CV ≈ 1)', () => {
    const { times } = collect(new PoissonArrivals({ rate: 200 }), 100 * SECOND);
    expectPoissonCount(times.length, 20_000);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, b) => a + (b - mean) ** 2, 0) / gaps.length);
    expect(sd / mean).toBeGreaterThan(0.95);
    expect(sd / mean).toBeLessThan(1.05);
  });

  it('Poisson: rate property over random rates and seeds', () => {
    fc.assert(
      fc.property(fc.double({ min: 5, max: 500, noNaN: true }), fc.integer({ min: 1, max: 1e6 }), (rate, seed) => {
        const { times } = collect(new PoissonArrivals({ rate }), 20 * SECOND, seed);
        expectPoissonCount(times.length, rate * 20, 4.5);
      }),
      { numRuns: 20 },
    );
  });

  it('determinism: same seed same arrivals, different seed different arrivals', () => {
    const a = collect(new PoissonArrivals({ rate: 50, functions: ['a', 'b'] }), 10 * SECOND, 7);
    const b = collect(new PoissonArrivals({ rate: 50, functions: ['a', 'b'] }), 10 * SECOND, 7);
    const c = collect(new PoissonArrivals({ rate: 50, functions: ['a', 'b'] }), 10 * SECOND, 8);
    expect(a.times).toEqual(b.times);
    expect(a.fns).toEqual(b.fns);
    expect(a.times).not.toEqual(c.times);
  });

  it('constant rate: exact count and spacing; weights split functions', () => {
    const src = new ConstantRateArrivals({ rate: 4, functions: ['x', 'y'], weights: [3, 1] });
    const { times, fns } = collect(src, 1000 * SECOND - 1);
    expect(times.length).toBe(4000);
    expect(times[1] - times[0]).toBe(250_000);
    expect(times[3999]).toBe(999_750_000);
    const y = fns.filter((f) => f === 1).length;
    expect(Math.abs(y - 1000)).toBeLessThan(4 * Math.sqrt(4000 * 0.25 * 0.75));
    expect(src.counters.perFunction()[1]).toBe(y);
  });

  it('until and maxArrivals end the source', () => {
    const a = collect(new ConstantRateArrivals({ rate: 10, until: 2 * SECOND }), 10 * SECOND);
    expect(a.times.length).toBe(20);
    const b = collect(new PoissonArrivals({ rate: 100, maxArrivals: 37 }), 10 * SECOND);
    expect(b.times.length).toBe(37);
  });

  it('piecewise exact: counts per segment match rate × duration, zero-rate segments are empty', () => {
    const segs = [
      { duration: 50 * SECOND, rate: 100 },
      { duration: 20 * SECOND, rate: 0 },
      { duration: 30 * SECOND, rate: 400 },
    ];
    const { times } = collect(new PiecewiseRateArrivals({ segments: segs }), Infinity);
    const inSeg = (a: number, b: number): number => times.filter((t) => t >= a * SECOND && t < b * SECOND).length;
    expectPoissonCount(inSeg(0, 50), 5000);
    expect(inSeg(50, 70)).toBe(0);
    expectPoissonCount(inSeg(70, 100), 12_000);
    expect(times.length).toBe(inSeg(0, 100));
  });

  it('diurnal sinusoid: hourly counts follow the rate curve (peak, trough, shape)', () => {
    const src = sinusoidArrivals({ meanRate: 2, amplitude: 0.8, peakAt: 14 * HOUR });
    const { times } = collect(src, DAY);
    const hourly = new Array(24).fill(0);
    for (const t of times) hourly[Math.floor(t / HOUR)]++;
    for (let h = 0; h < 24; h++) {
      // expected count: integral of the rate over the hour (midpoint rule is within 0.1% here)
      let e = 0;
      for (let k = 0; k < 60; k++) e += sinusoidRate((h * 60 + k + 0.5) * MINUTE, 2, 0.8, DAY, 14 * HOUR) * 60;
      expectPoissonCount(hourly[h], e);
    }
    expect(hourly.indexOf(Math.max(...hourly))).toBeGreaterThanOrEqual(12);
    expect(hourly.indexOf(Math.max(...hourly))).toBeLessThanOrEqual(15);
  });

  it('diurnal profile: repeats every period with the given hourly rates', () => {
    const rates = Array.from({ length: 24 }, (_, h) => (h < 8 ? 0.2 : 1.5));
    const { times } = collect(profileArrivals({ rates }), 2 * DAY);
    const night = times.filter((t) => t % DAY < 8 * HOUR).length;
    const day = times.length - night;
    expectPoissonCount(night, 0.2 * 8 * 3600 * 2);
    expectPoissonCount(day, 1.5 * 16 * 3600 * 2);
  });

  it('MMPP on-off: time fraction on ≈ meanOn/(meanOn+meanOff), arrivals only when on', () => {
    const src = onOffArrivals({ onRate: 50, meanOn: 2 * SECOND, meanOff: 6 * SECOND });
    const { times } = collect(src, 4000 * SECOND);
    const on = src.timeInState[0], off = src.timeInState[1];
    const frac = on / (on + off);
    // about 500 on/off cycles: the fraction's sd is roughly 0.02
    expect(Math.abs(frac - 0.25)).toBeLessThan(0.06);
    expect(src.arrivalsInState[1]).toBe(0);
    expectPoissonCount(times.length, 50 * (on / SECOND), 4.5);
    expect(src.transitions).toBeGreaterThan(800);
  });

  it('MMPP three states: arrivals per state match each state rate × its time', () => {
    const src = new MmppArrivals({ rates: [10, 100, 1], meanSojourn: [SECOND, 0.5 * SECOND, 2 * SECOND] });
    collect(src, 2000 * SECOND);
    for (let s = 0; s < 3; s++) expectPoissonCount(src.arrivalsInState[s], src.timeInState[s] / SECOND * [10, 100, 1][s], 4.5);
  });

  it('replay: exact timestamps, functions and service times; rejects unsorted input', () => {
    const times = [0, 5, 5, 1000, 2_000_000];
    const src = new ReplayArrivals({ times, fns: [0, 1, 0, 1, 1], serviceTimes: [1, 2, 3, 4, 5], functions: ['a', 'b'] });
    const sim = new Simulation();
    const got: number[][] = [];
    src.start(sim, (fn, st) => got.push([sim.now, fn, st]));
    sim.run();
    expect(got).toEqual([[0, 0, 1], [5, 1, 2], [5, 0, 3], [1000, 1, 4], [2_000_000, 1, 5]]);
    expect(src.done).toBe(true);
    expect(() => new ReplayArrivals({ times: [3, 2] })).toThrow(/times\[1\]: expected a time not before times\[0\] = 3/);
  });

  it('stop() cancels the pending event', () => {
    const src = new PoissonArrivals({ rate: 10 });
    const sim = new Simulation();
    let n = 0;
    src.start(sim, () => {
      if (++n === 5) src.stop();
    });
    sim.run(100 * SECOND);
    expect(n).toBe(5);
    expect(sim.pendingEvents).toBe(0);
  });

  it('bad options name the option', () => {
    expect(() => new PoissonArrivals({ rate: -1 })).toThrow(/rate: expected a finite number > 0, found -1/);
    expect(() => new MmppArrivals({ rates: [1, 2], meanSojourn: [1] })).toThrow(/meanSojourn/);
    expect(() => new PoissonArrivals({ rate: 1, functions: ['a'], weights: [1, 2] })).toThrow(/weights: expected 1 weights/);
  });
});
