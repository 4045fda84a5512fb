import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../../src/core/simulation.js';
import { HOUR, MS } from '../../../src/core/time.js';
import { NodeCpu } from '../../../src/cluster/cpu/node-cpu.js';
import { waterFill } from '../../../src/cluster/cpu/water-fill.js';
import { quotaExhaustionDelay } from '../../../src/cluster/cpu/cfs-period.js';
import { referenceRun, type RefGroup, type RefJob } from './reference-model.js';
import { fastRun } from './fast-runner.js';

describe('waterFill', () => {
  it('splits by weight and redistributes what a group cannot use', () => {
    const out = new Float64Array(3);
    const order = new Int32Array(3);
    // 4 cores, demands 1, 4, 4, weights 1, 1, 2 → group 0 takes 1; 3 left split 1:2
    const total = waterFill(4, 3, Float64Array.from([1, 4, 4]), Float64Array.from([1, 1, 2]), out, order);
    expect([...out]).toEqual([1, 1, 2]);
    expect(total).toBe(4);
  });
  it('gives every group its demand when the cores suffice', () => {
    const out = new Float64Array(2);
    waterFill(8, 2, Float64Array.from([2, 3]), Float64Array.from([10, 1]), out, new Int32Array(2));
    expect([...out]).toEqual([2, 3]);
  });
});

describe('quotaExhaustionDelay', () => {
  it('§d.3 example: limit 1 CPU, 8 busy threads → runs 12.5 ms of each 100 ms period', () => {
    expect(quotaExhaustionDelay(8, 100_000, 0, 0, 100_000, 0, 100_000)).toBe(12_500);
  });
  it('a rate at or below quota/period never exhausts', () => {
    expect(quotaExhaustionDelay(1, 50_000, 40_000, 0, 100_000, 0, 100_000)).toBe(Infinity);
    expect(quotaExhaustionDelay(1, 50_000, 90_000, 0, 100_000, 0, 100_000)).toBe(10_000);
  });
  it('crosses into the next period when the current one has room', () => {
    // 2 cores, quota 150 ms/100 ms, 10 ms left in the period with 100 ms used: next period after 75 ms
    expect(quotaExhaustionDelay(2, 10_000, 100_000, 0, 150_000, 0, 100_000)).toBe(10_000 + 75_000);
  });
  it('burst bucket carries unused quota (capped) and drains period by period', () => {
    // quota 50, burst 30, bucket 0, used 10 at the period end (toEnd 0+) at rate 0.6 core per 100 µs period:
    // first full period: bucket 30 → avail 80 < 60? no: 60 ≤ 80, bucket → 20; then 10 … exhaust when bucket < 10
    const d = quotaExhaustionDelay(0.6, 1, 9.4, 0, 50, 30, 100);
    // after this period: used 10 → bucket min(30, 40) = 30; deficit 10 → j = 3 full periods, then (50 + 0)/0.6
    expect(d).toBeCloseTo(1 + 3 * 100 + 50 / 0.6, 9);
  });
});

describe('NodeCpu basics', () => {
  it('single-threaded request latency under quota: c + (ceil(c/q) − 1)(p − q) (§d.3, mixin#108)', () => {
    const sim = new Simulation();
    const cpu = new NodeCpu(sim, { cores: 4 });
    const g = cpu.addGroup({ name: 'x', quotaUs: 13_000, periodUs: 100_000 });
    let done = -1;
    g.submit(30_000, { threads: 1, onDone: () => { done = sim.now; } });
    sim.run();
    expect(done).toBe(204_000);
    const st = g.stats();
    expect(st.nrThrottled).toBe(2);
    expect(st.usageUs).toBeCloseTo(30_000, 6);
    expect(st.throttledTimeUs).toBe(2 * 87_000);
  });
  it('8 threads under a 1-CPU limit: 12.5 ms running, 87.5 ms throttled per period', () => {
    const sim = new Simulation();
    const cpu = new NodeCpu(sim, { cores: 8 });
    const g = cpu.addGroup({ name: 'x', quotaUs: 100_000 });
    let done = -1;
    g.submit(300_000, { onDone: () => { done = sim.now; } });
    sim.run();
    expect(done).toBe(212_500); // two throttled periods, then 100 ms of CPU in 12.5 ms
    expect(g.stats().nrThrottled).toBe(2);
    expect(g.stats().throttledTimeUs).toBe(2 * 87_500);
  });
  it('an idle hour costs zero events; an unthrottled long job costs one', () => {
    const sim = new Simulation();
    const cpu = new NodeCpu(sim, { cores: 2 });
    const g = cpu.addGroup({ name: 'x', quotaUs: 150_000 });
    sim.run(HOUR);
    expect(cpu.events).toBe(0);
    expect(sim.eventsProcessed).toBe(0);
    g.submit(1000 * 1_000_000, { threads: 1 }); // 1000 s of work at 1 core under a 1.5-core limit
    sim.run();
    expect(cpu.events).toBe(1);
    expect(g.stats().nrThrottled).toBe(0);
    expect(g.stats().nrPeriods).toBe(10_000);
  });
  it('speed factor scales progress, not CPU usage', () => {
    const sim = new Simulation();
    const cpu = new NodeCpu(sim, { cores: 1, speed: 2 });
    const g = cpu.addGroup({ name: 'x' });
    let done = -1;
    g.submit(100 * MS, { threads: 1, onDone: () => { done = sim.now; } });
    sim.run();
    expect(done).toBe(50 * MS);
    expect(g.stats().usageUs).toBeCloseTo(50 * MS, 6);
  });
  it('work conservation: a saturated node with unthrottled demand uses all cores', () => {
    const sim = new Simulation();
    const cpu = new NodeCpu(sim, { cores: 4 });
    const a = cpu.addGroup({ name: 'a', weight: 1, quotaUs: 50_000 }); // capped at 0.5 core
    const b = cpu.addGroup({ name: 'b', weight: 1000 });
    const c = cpu.addGroup({ name: 'c', weight: 1 });
    a.submit(1e9, { threads: 4 });
    b.submit(1e9, { threads: 1 });
    c.submit(1e9, { threads: 8 });
    expect(cpu.busyCores()).toBeCloseTo(4, 9);
    sim.run(10_000_000);
    // a is throttled most of each period; b and c absorb the rest
    expect(cpu.busyCores()).toBeCloseTo(4, 9);
    const total = a.stats().usageUs + b.stats().usageUs + c.stats().usageUs;
    // exhaustion instants are rounded up to the next µs: at most ~1 CPU-µs per throttle is lost
    expect(total).toBeLessThanOrEqual(4 * 10_000_000 + 1e-6);
    expect(total).toBeGreaterThanOrEqual(4 * 10_000_000 - a.stats().nrThrottled * 4);
    expect(a.stats().usageUs).toBeLessThanOrEqual(100 * 50_000 + 1e-6);
  });
  it('rejects bad input with the path and the value', () => {
    const sim = new Simulation();
    expect(() => new NodeCpu(sim, { cores: 0, name: 'n1' })).toThrow(/n1: cores.*found 0/);
    const cpu = new NodeCpu(sim, { cores: 2, name: 'n1' });
    expect(() => cpu.addGroup({ name: 'p', quotaUs: 10 })).toThrow(/group "p": quotaUs.*found 10/);
    expect(() => cpu.addGroup({ name: 'p', periodUs: 10 })).toThrow(/CFS period.*found 10/);
    const g = cpu.addGroup({ name: 'q' });
    expect(() => g.submit(-1)).toThrow(/work ≥ 0.*found -1/);
    cpu.removeGroup(g);
    expect(() => g.submit(1)).toThrow(/does not belong/);
  });
});

// ---- fast model vs reference model -------------------------------------------------------

const TICK = 10;
const groupArb: fc.Arbitrary<RefGroup> = fc
  .record({
    weight: fc.integer({ min: 1, max: 1000 }),
    periodMs: fc.constantFrom(10, 20, 50, 100),
    quotaFrac: fc.option(fc.double({ min: 0.1, max: 3, noNaN: true }), { nil: undefined }),
    burstFrac: fc.constantFrom(0, 0, 0.5),
    phaseFrac: fc.double({ min: 0, max: 0.99, noNaN: true }),
    cpuset: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  })
  .map((r) => {
    const periodUs = r.periodMs * 1000;
    const quotaUs = r.quotaFrac === undefined ? undefined : Math.max(1000, Math.round((r.quotaFrac * periodUs) / TICK) * TICK);
    return {
      weight: r.weight,
      periodUs,
      quotaUs,
      burstUs: quotaUs === undefined ? 0 : Math.round(r.burstFrac * quotaUs),
      phaseUs: Math.floor((r.phaseFrac * r.periodMs)) * 1000,
      cpusetCores: r.cpuset,
    };
  });

const workloadArb = fc
  .record({
    cores: fc.constantFrom(1, 2, 3, 4, 8),
    speed: fc.constantFrom(0.5, 1, 1.7),
    groups: fc.array(groupArb, { minLength: 1, maxLength: 4 }),
    jobs: fc.array(
      fc.record({
        g: fc.nat(),
        arrivalMs: fc.integer({ min: 0, max: 300 }),
        workMs: fc.integer({ min: 2, max: 150 }),
        threads: fc.constantFrom(1, 2, 3, 4, 8, 0.5),
      }),
      { minLength: 1, maxLength: 6 },
    ),
  })
  .map((w) => ({
    cores: w.cores,
    speed: w.speed,
    groups: w.groups,
    jobs: w.jobs.map((j): RefJob => ({ group: j.g % w.groups.length, arrivalUs: j.arrivalMs * 1000, work: j.workMs * 1000, threads: j.threads })),
  }));

describe('fast model vs period-stepping reference (property)', () => {
  it('completion times agree within 1% and the invariants hold', () => {
    fc.assert(
      fc.property(workloadArb, (w) => {
        const fast = fastRun(w.cores, w.speed, w.groups, w.jobs, { checkPeriods: true });
        const ref = referenceRun(w.cores, w.speed, w.groups, w.jobs, TICK, 60_000_000);
        w.jobs.forEach((j, i) => {
          const rf = ref.completion[i] - j.arrivalUs;
          const ff = fast.completion[i] - j.arrivalUs;
          expect(Number.isNaN(rf)).toBe(false);
          // 1% of the response time, plus a few ticks for the reference's quantisation
          expect(Math.abs(ff - rf)).toBeLessThanOrEqual(0.01 * rf + 3 * TICK);
        });
        w.groups.forEach((g, i) => {
          expect(fast.maxPeriodExcess[i]).toBeLessThanOrEqual(1e-6 * (g.quotaUs ?? 1) + 1e-6);
          expect(ref.maxPeriodExcess[i]).toBeLessThanOrEqual(1e-6);
          const usage = fast.stats[i].usageUs;
          expect(Math.abs(usage - ref.usageUs[i])).toBeLessThanOrEqual(0.01 * ref.usageUs[i] + 1);
          // cpu.stat counters agree up to the period in progress when the run ends
          expect(Math.abs(fast.stats[i].nrThrottled - ref.nrThrottled[i])).toBeLessThanOrEqual(1);
          expect(Math.abs(fast.stats[i].nrPeriods - ref.nrPeriods[i])).toBeLessThanOrEqual(1);
          expect(Math.abs(fast.stats[i].throttledTimeUs - ref.throttledTimeUs[i])).toBeLessThanOrEqual(0.01 * ref.throttledTimeUs[i] + g.periodUs);
        });
        expect(fast.maxRateExcess).toBeLessThanOrEqual(1e-9);
        expect(fast.maxBusyExcess).toBeLessThanOrEqual(1e-9);
        const totalUsage = fast.stats.reduce((s, st) => s + st.usageUs, 0);
        expect(totalUsage).toBeLessThanOrEqual(w.cores * fast.end * (1 + 1e-12) + 1e-6);
      }),
      { numRuns: 120, seed: 20240601 },
    );
  });

  it('is deterministic: the same workload gives identical results and event counts', () => {
    fc.assert(
      fc.property(workloadArb, (w) => {
        const a = fastRun(w.cores, w.speed, w.groups, w.jobs);
        const b = fastRun(w.cores, w.speed, w.groups, w.jobs);
        expect(b.completion).toEqual(a.completion);
        expect(b.stats).toEqual(a.stats);
        expect(b.events).toBe(a.events);
      }),
      { numRuns: 30, seed: 7 },
    );
  });
});
