import { describe, expect, it } from 'vitest';
import { groupMetrics, runMetrics, seedStats, timeToConvergence, windowAverages, type MetricStep } from '../../src/rl/envs/metrics.js';

const b = (s: string): boolean[] => [...s].map((c) => c === '1');

describe('metrics', () => {
  it('time to convergence: first step after which the moving success rate stays >= threshold', () => {
    // window 4, threshold 0.75: rates at each step of 0 0 1 1 1 1 0 1 1 1
    // i=0:0 1:0 2:1/3 3:2/4 4:3/4 5:4/4 6:3/4 7:3/4 8:3/4 9:3/4 → stays >= .75 from i=4
    expect(timeToConvergence(b('0011110111'), 4, 0.75)).toBe(4);
    expect(timeToConvergence(b('1111111110'), 4, 0.8)).toBeNull();
    expect(timeToConvergence(b('1111'), 20, 0.8)).toBe(0);
    expect(timeToConvergence(b('0000000001'), 2, 0.5)).toBe(9);
  });

  it('group metrics, window averages, per-target convergence and last-target reward', () => {
    const steps: MetricStep[] = [];
    for (let i = 0; i < 10; i++) steps.push({ phase: i < 5 ? 0 : 1, target: i < 6 ? 35 : 26, q: i % 2 === 0 ? 0.8 : 1.2, reward: i % 2 === 0 ? 10 : -5.2, success: i % 2 === 0, actionName: i % 3 === 0 ? 'no-op' : 'scale-up' });
    const g = groupMetrics(steps);
    expect(g.successes).toBe(5);
    expect(g.violationRatio).toBe(0.5);
    expect(g.meanQ).toBeCloseTo(1, 12);
    expect(g.meanQSuccess).toBeCloseTo(0.8, 12);
    const m = runMetrics(steps, 2, 0.5);
    expect(m.byTarget['35'].steps).toBe(6);
    expect(m.byTarget['26'].steps).toBe(4);
    expect(m.byTarget['26'].convergenceStep).toBe(0);
    expect(m.byPhase[0].actions).toEqual({ 'no-op': 2, 'scale-up': 3 });
    expect(m.cumulativeReward).toBeCloseTo(5 * 10 - 5 * 5.2, 9);
    expect(m.meanRewardLastTarget).toBeCloseTo((10 - 5.2 + 10 - 5.2) / 4, 12);
    expect(windowAverages([1, 2, 3, 4, 5, 6, 7], 5)).toEqual([3, 6.5]);
    expect(seedStats([1, 2, 3, null, NaN])).toEqual({ mean: 2, sd: 1, min: 1, max: 3, n: 3 });
  });
});
