import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SECOND } from '../../../src/core/time.js';
import {
  DEFAULT_AUTOSCALER_CONFIG, KpaAutoscaler, KpaDecider, KpaMetricCollector, MaxTimeWindow, MetricBuckets,
  deciderSpecFrom, excessBurstCapacity, initialDeciderStatus, numActivators, resolveRevisionSpec,
  scrapeSampleSize, shouldPoke, smoothingCoefficient,
} from '../../../src/platform/knative/index.js';
import type { DeciderSpec } from '../../../src/platform/knative/index.js';

const S = SECOND;
const defaults = resolveRevisionSpec(DEFAULT_AUTOSCALER_CONFIG, {}, { containerConcurrency: 0, reachable: true });
const spec = (over: Partial<DeciderSpec> = {}): DeciderSpec => ({ ...deciderSpecFrom(defaults), ...over });
const obs = (readyPods: number, stable: number, panic = stable) => ({ readyPods, metrics: { stable, panic } });

describe('MetricBuckets (a.3)', () => {
  it('linear average over the buckets seen so far, then over the full window', () => {
    const b = new MetricBuckets(6 * S);
    b.record(0, 10);
    b.record(1 * S + 300_000, 20); // same bucket as 1 s
    // firstWrite 0, lastWrite 1 s: (10 + 20) / min(2, 6) = 15
    expect(b.windowAverage(1 * S)).toBe(15);
    // 2 s without writes (< window): the buckets in (1 s, 3 s] are empty; divide by min(2, 6 − 2) = 2 → 15
    expect(b.windowAverage(3.5 * S)).toBe(15);
    // a full window after the last write → 0
    expect(b.windowAverage(7 * S)).toBe(0);
    expect(b.isEmpty(7 * S)).toBe(false); // 7 − 1 = 6 is not > 6
    expect(b.isEmpty(8 * S)).toBe(true);
  });

  it('values in the same second are summed; after 10 s of 10/s the 6 s average is 10', () => {
    const b = new MetricBuckets(6 * S);
    for (let t = 0; t < 10; t++) {
      b.record(t * S, 4);
      b.record(t * S + 500_000, 6); // scrape + activator report in the same bucket
    }
    // buckets 4..9 hold 10 each: 60 / min(10, 6) = 10
    expect(b.windowAverage(9 * S)).toBe(10);
    // at 12 s: drop buckets 10..12 (the ring slots of 4..6): 60 − 30 = 30, / min(10, 6 − 3) = 10
    expect(b.windowAverage(12 * S)).toBe(10);
  });

  it('a gap of a full window resets the buckets and firstWrite', () => {
    const b = new MetricBuckets(6 * S);
    b.record(0, 100);
    b.record(6 * S, 3);
    // reset: only the new bucket counts: 3 / 1
    expect(b.windowAverage(6 * S)).toBe(3);
  });

  it('truncates to 6 decimals (floor, as upstream roundToNDigits)', () => {
    const b = new MetricBuckets(3 * S);
    b.record(0, 1);
    b.record(1 * S, 1);
    b.record(2 * S, 0);
    // 2 / 3 = 0.6666666… → 0.666666
    expect(b.windowAverage(2 * S)).toBe(0.666666);
  });

  it('weighted-exponential: [10, 10, 5, 5] newest last with α = 0.9 (4 buckets) gives 5.049', () => {
    // α = max(1 − 0.0001^(1/4), 0.2) = 1 − 0.1 = 0.9
    expect(smoothingCoefficient(4)).toBeCloseTo(0.9, 12);
    const b = new MetricBuckets(4 * S, 'weighted-exponential');
    [10, 10, 5, 5].forEach((v, i) => b.record(i * S, v));
    // 5·0.9 + 5·0.9·0.1 + 10·0.9·0.01 + 10·0.9·0.001 = 4.5 + 0.45 + 0.09 + 0.009 = 5.049
    expect(b.windowAverage(3 * S)).toBeCloseTo(5.049, 9);
    // one empty second later: multiplier starts at 0.9·0.1, 3 buckets: 5·0.09 + 5·0.009 + 10·0.0009 = 0.504
    expect(b.windowAverage(4 * S)).toBeCloseTo(0.504, 9);
  });
});

describe('scrape sample size (a.2)', () => {
  it('matches the spec examples', () => {
    expect([1, 3, 10, 100].map(scrapeSampleSize)).toEqual([1, 3, 7, 14]);
    expect(scrapeSampleSize(100_000)).toBe(16);
  });
});

describe('KPA decision tick (a.5)', () => {
  it('stable mode: 3 ready pods, 150 concurrent → ceil(150/70) = 3 pods, EBC = floor(300 − 211 − 150) = −61', () => {
    const d = new KpaDecider(spec(), 0, 0);
    const r = d.scale(2 * S, obs(3, 150));
    // maxScaleDown = floor(3/2) = 1, maxScaleUp = ceil(1000·3) = 3000; dspc = 3; dppc/ready = 3/3 = 1 < 2
    expect(r).toMatchObject({ valid: true, desiredPodCount: 3, excessBurstCapacity: -61, inPanic: false });
    // 400 concurrent on 5 pods: ceil(400/70) = ceil(5.71) = 6
    expect(d.scale(4 * S, obs(5, 400)).desiredPodCount).toBe(6);
  });

  it('panic entry, hold for a stable window, and exit', () => {
    const d = new KpaDecider(spec(), 0, 0);
    // 4 ready, panic avg 560 → dppc = 8, 8/4 = 2 ≥ 2 → panic. stable 200 → dspc = 3.
    let r = d.scale(10 * S, obs(4, 200, 560));
    expect(r.inPanic).toBe(true);
    expect(r.desiredPodCount).toBe(8); // max(3, 8)
    // 8 ready, panic 300 → dppc = ceil(4.29) = 5; 5/8 < 2: not extended, but within 60 s: no scale down
    r = d.scale(12 * S, obs(8, 250, 300));
    expect(r.inPanic).toBe(true);
    expect(r.desiredPodCount).toBe(8); // maxPanicPods
    // exactly panicTime + 60 s: `panicTime + StableWindow < now` is false → still panicking
    r = d.scale(70 * S, obs(8, 250, 100));
    expect(r.inPanic).toBe(true);
    expect(r.desiredPodCount).toBe(8);
    // 72 s: exit; stable 250 → dspc = ceil(3.57) = 4 ≥ maxScaleDown floor(8/2) = 4 → 4
    r = d.scale(72 * S, obs(8, 250, 100));
    expect(r.inPanic).toBe(false);
    expect(r.desiredPodCount).toBe(4);
  });

  it('a panic extension restarts the 60 s hold', () => {
    const d = new KpaDecider(spec(), 0, 0);
    d.scale(0, obs(2, 100, 300)); // dppc = 5, 5/2 ≥ 2 → panic at 0
    d.scale(50 * S, obs(5, 100, 700)); // dppc = 10, 10/5 = 2 → extended to 50 s
    expect(d.scale(62 * S, obs(10, 100, 100)).inPanic).toBe(true); // 50 + 60 > 62
    expect(d.scale(112 * S, obs(10, 100, 100)).inPanic).toBe(false); // 50 + 60 < 112
  });

  it('starts in panic when created with more than one ready pod (keeps the scale after a restart)', () => {
    const d = new KpaDecider(spec(), 0, 5);
    // no load: dspc = 0, maxScaleDown = floor(5/2) = 2 → desiredStable 2, but maxPanicPods = 5
    expect(d.scale(2 * S, obs(5, 0)).desiredPodCount).toBe(5);
    expect(d.scale(62 * S, obs(5, 0)).desiredPodCount).toBe(2); // 0 + 60 < 62 → exit
  });

  it('scale-down rate limit: at most halving per tick (max-scale-down-rate 2)', () => {
    const d = new KpaDecider(spec(), 0, 0);
    // load for 1 pod (dspc = ceil(70/70) = 1): 10 → floor(10/2) = 5 → floor(5/2) = 2 → floor(2/2) = 1
    const seq = [10, 5, 2, 1].map((ready, i) => d.scale((i + 1) * 2 * S, obs(ready, 70, 0)).desiredPodCount);
    expect(seq).toEqual([5, 2, 1, 1]);
    // one pod with no load: floor(1/2) = 0 → 0 in one step
    expect(d.scale(20 * S, obs(1, 0)).desiredPodCount).toBe(0);
    // unreachable revisions have no scale-down floor
    const u = new KpaDecider(spec({ reachable: false }), 0, 0);
    expect(u.scale(2 * S, obs(10, 70, 0)).desiredPodCount).toBe(1);
  });

  it('scale-up rate limit: ceil(rate × ready)', () => {
    const d = new KpaDecider(spec({ maxScaleUpRate: 2 }), 0, 0);
    // dspc = ceil(700/70) = 10, maxScaleUp = ceil(2·2) = 4
    expect(d.scale(2 * S, obs(2, 700, 0)).desiredPodCount).toBe(4);
    // upstream example: rate 1.1, 2 ready, target 1, load 3 → ceil(2.2) = 3 (grows by at least one)
    const e = new KpaDecider(spec({ maxScaleUpRate: 1.1, targetValue: 1 }), 0, 0);
    expect(e.scale(2 * S, obs(2, 3, 0)).desiredPodCount).toBe(3);
  });

  it('activation-scale raises a non-zero decision', () => {
    const d = new KpaDecider(spec({ activationScale: 3 }), 0, 0);
    expect(d.scale(2 * S, obs(0, 10, 0)).desiredPodCount).toBe(3); // dspc = 1 < 3
    expect(d.scale(4 * S, obs(0, 0, 0)).desiredPodCount).toBe(0); // dspc = 0: not raised
  });

  it('scale-down-delay keeps the maximum over the delay (2 s granularity as upstream)', () => {
    const d = new KpaDecider(spec({ scaleDownDelay: 4 * S }), 0, 0);
    expect(d.scale(0, obs(5, 350, 0)).desiredPodCount).toBe(5); // ceil(350/70) = 5
    expect(d.scale(2 * S, obs(5, 140, 0)).desiredPodCount).toBe(5); // wants 2, delayed
    expect(d.scale(4 * S, obs(5, 140, 0)).desiredPodCount).toBe(2); // the 0 s sample expired
    const w = new MaxTimeWindow(4 * S);
    w.record(0, 7);
    w.record(2 * S, 3);
    expect(w.current()).toBe(7);
  });

  it('no data → invalid decision; TBC −1 (no scrape target) → empty buckets read as 0', () => {
    const c = new KpaMetricCollector(60 * S, 6 * S);
    expect(c.stableAndPanic(0, 'concurrency')).toBeNull();
    const d = new KpaDecider(spec(), 0, 0);
    expect(d.scale(0, { readyPods: 1, metrics: c.stableAndPanic(0, 'concurrency') }).valid).toBe(false);
    const c2 = new KpaMetricCollector(60 * S, 6 * S, 'linear', false);
    expect(c2.stableAndPanic(0, 'concurrency')).toEqual({ stable: 0, panic: 0 });
  });

  it('EBC, activator count, initial status, poke', () => {
    expect(excessBurstCapacity(3, 100, 211, 0)).toBe(89);
    expect(excessBurstCapacity(2, 100, 211, 0)).toBe(-11);
    expect(excessBurstCapacity(0, 100, 0, 50)).toBe(0);
    expect(excessBurstCapacity(9, 100, -1, 0)).toBe(-1);
    expect(numActivators(3, 100, 211, 100)).toBe(6); // ceil((300 + 211)/100)
    expect(numActivators(0, 100, 211, 100)).toBe(3); // ceil(2.11)
    expect(numActivators(50, 100, 0, 100)).toBe(2);
    expect(initialDeciderStatus({ targetBurstCapacity: 211, totalValue: 100, initialScale: 1 })).toEqual({ desiredScale: -1, excessBurstCapacity: -111 });
    expect(initialDeciderStatus({ targetBurstCapacity: -1, totalValue: 100, initialScale: 1 }).excessBurstCapacity).toBe(-1);
    expect(shouldPoke(0, 1)).toBe(true);
    expect(shouldPoke(1, 1)).toBe(false);
    expect(shouldPoke(0, 0)).toBe(false);
  });

  it('scale from zero: the activator first-request stat gives ceil(1/70) = 1 pod', () => {
    const a = new KpaAutoscaler(defaults, 0, 0);
    a.record(5 * S, { concurrency: 1, rps: 1 });
    const { decision, changed } = a.tick(5 * S, 0);
    expect(decision.desiredPodCount).toBe(1);
    expect(changed).toBe(true); // −1 → 1
  });

  it('rejects an invalid decider spec with the field named', () => {
    expect(() => new KpaDecider(spec({ targetValue: 0 }), 0)).toThrow(/spec\.targetValue: expected > 0, found 0/);
  });
});

describe('KPA properties', () => {
  it('stable mode: desired pods are monotone non-decreasing in observed concurrency', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 200 }), fc.double({ min: 0, max: 5000, noNaN: true }), fc.double({ min: 0, max: 5000, noNaN: true }),
      (ready, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const d1 = new KpaDecider(spec(), 0, 0).scale(2 * S, { readyPods: ready, metrics: { stable: lo, panic: 0 } });
        const d2 = new KpaDecider(spec(), 0, 0).scale(2 * S, { readyPods: ready, metrics: { stable: hi, panic: 0 } });
        expect(d1.inPanic || d2.inPanic).toBe(false);
        expect(d1.desiredPodCount).toBeLessThanOrEqual(d2.desiredPodCount);
      },
    ), { numRuns: 300 });
  });

  it('decider output is never negative and never above ceil(rate·max(1, ready)) outside panic memory', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ ready: fc.integer({ min: 0, max: 50 }), s: fc.double({ min: 0, max: 3000, noNaN: true }), p: fc.double({ min: 0, max: 3000, noNaN: true }) }), { minLength: 1, maxLength: 40 }),
      (ticks) => {
        const d = new KpaDecider(spec({ maxScaleUpRate: 3 }), 0, 0);
        let maxSeen = 0;
        ticks.forEach((t, i) => {
          const r = d.scale((i + 1) * 2 * S, obs(t.ready, t.s, t.p));
          expect(r.desiredPodCount).toBeGreaterThanOrEqual(0);
          maxSeen = Math.max(maxSeen, Math.ceil(3 * Math.max(1, t.ready)));
          expect(r.desiredPodCount).toBeLessThanOrEqual(maxSeen);
        });
      },
    ), { numRuns: 200 });
  });
});
