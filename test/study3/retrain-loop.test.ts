import { describe, expect, test } from 'vitest';
import { Simulation } from '../../src/core/simulation.js';
import { SECOND } from '../../src/core/time.js';
import type { WindowResult } from '../../src/monitor/monitor.js';
import { ConsecutiveWindowPolicy, thresholdFromStationary } from '../../src/platform/retrain/alert-policy.js';
import { buildDriftRetrain, driftRetrainBodySchema, driftSchedule, summarizeDriftRetrain } from '../../src/experiment/studies/drift-retrain.js';

function win(start: number, value: number): WindowResult {
  return {
    start, end: start + 10, emittedAt: start + 20, count: 1, features: ['a'], stats: [],
    drift: [{ feature: 'a', featureIndex: 0, measure: 'wasserstein', value, drift: false }],
  };
}

describe('consecutive-window alert policy', () => {
  test('fires once when a coefficient exceeds its threshold in 2 windows in a row; a dip resets the streak', () => {
    const p = new ConsecutiveWindowPolicy({ thresholds: { wasserstein: 2.7 }, consecutive: 2 });
    const fired = [3, 1, 3, 3, 3, 0, 2.7, 2.8].map((v, i) => p.observe(win(i * 10, v)).length);
    expect(fired).toEqual([0, 0, 0, 1, 0, 0, 0, 0]);
    p.reset(100);
    expect(p.observe(win(90, 9)).length).toBe(0); // before ignoreBefore
  });
  test('mean + 3 sd threshold of stationary coefficients', () => {
    expect(thresholdFromStationary([1, 2, 3])).toBeCloseTo(2 + 3, 12);
    expect(() => thresholdFromStationary([1])).toThrow(/at least 2 values/);
  });
});

describe('abrupt drift → one retrain → new revision → alerts stop', () => {
  const body = driftRetrainBodySchema.parse({ windowSeconds: 5, watermarkSeconds: 2, stationaryWindows: 12, rampWindows: 1, holdWindows: 40, concurrency: 48, drainSeconds: 10 });
  const sim = new Simulation({ seed: 3 });
  const d = buildDriftRetrain(sim, body);
  const sch = driftSchedule(body);
  sim.run(sch.end + 40 * SECOND);
  const s = summarizeDriftRetrain(d);
  test('exactly one retraining cycle, after the onset, and the new revision takes the traffic', () => {
    expect(d.loop.cycles.length).toBe(1);
    const c = d.loop.cycles[0];
    expect(c.alert.windowStart + sch.window).toBeGreaterThan(sch.onset);
    expect(c.pipelineEnd).toBeGreaterThan(c.pipelineStart);
    expect(c.jobs.map((j) => j.name)).toEqual(['fetch-data', 'train', 'evaluate']);
    // the 60 s train job runs for at least its CPU work
    const train = c.jobs[1];
    expect(train.end - train.start).toBeGreaterThanOrEqual(60 * SECOND);
    expect(c.revisionReady).toBeGreaterThan(c.pipelineEnd);
    expect(c.trafficSwitch).toBe(c.revisionReady);
    expect(d.run.service.active).toBe(1);
    expect(s.falseAlerts).toBe(0);
  });
  test('no alert from windows that start after the baseline swap; coefficients back below the thresholds', () => {
    const swap = d.loop.cycles[0].baselineSwap;
    expect(d.loop.alerts.filter((a) => a.windowStart >= swap).length).toBe(0);
    expect(s.metrics.windowsAfterSwapUntilBelow).toBe(0);
    const after = s.metrics.coefficientsAfterRedeploy as Record<string, number>;
    expect(after.wasserstein).toBeLessThan(2.7);
  });
  test('requests after the first alert are served by the old model until the switch (stale share in (0, 1))', () => {
    const share = s.metrics.staleShareAfterFirstAlert as number;
    expect(share).toBeGreaterThan(0);
    expect(share).toBeLessThan(1);
  });
});

describe('experiments/drift-retrain.yaml', () => {
  test('validates with the spec defaults (R = 10 windows of 15 s, thresholds 2.7 / 1.3 / 0.5, sweep R × window)', async () => {
    const { loadScenario } = await import('../../src/scenario/load.js');
    await import('../../src/experiment/studies/index.js');
    const sc = loadScenario('experiments/drift-retrain.yaml');
    const b = sc.body as ReturnType<typeof driftRetrainBodySchema.parse>;
    expect(sc.kind.kind).toBe('drift-retrain');
    expect([b.rampWindows, b.windowSeconds, b.stationaryWindows, b.concurrency]).toEqual([10, 15, 20, 96]);
    expect(b.thresholds).toEqual({ wasserstein: 2.7, kullbackLeibler: 1.3, jensenShannon: 0.5 });
    expect(b.rampSweep.rampWindows).toEqual([1, 10, 40]);
    expect(b.rampSweep.windowSeconds).toEqual([5, 15, 60]);
    expect(() => loadScenario('experiments/drift-retrain.yaml', { set: ['rampWindows=0'] })).toThrow(/rampWindows/);
  });
});
