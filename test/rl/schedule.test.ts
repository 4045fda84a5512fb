import { describe, expect, it } from 'vitest';
import { linearEpsilon } from '../../src/rl/dqn/schedule.js';

describe('ε-greedy schedule (SB3 get_linear_fn over progress = step / total)', () => {
  // Study values: 500 steps, ε 1 → 0.01 over the first 0.2 (calibration-targets.md DQN table).
  const eps = (t: number): number => linearEpsilon(t, 500, 1, 0.01, 0.2);
  it('matches hand-computed values at given steps', () => {
    expect(eps(0)).toBe(1);
    expect(eps(25)).toBeCloseTo(1 - 0.05 * (0.99 / 0.2), 12); // 0.7525
    expect(eps(25)).toBeCloseTo(0.7525, 12);
    expect(eps(50)).toBeCloseTo(0.505, 12);
    expect(eps(99)).toBeCloseTo(1 - 0.198 * 4.95, 12); // 0.0199
    expect(eps(100)).toBeCloseTo(0.01, 12); // progress 0.2 is not > 0.2: formula gives the end value
    expect(eps(101)).toBe(0.01);
    expect(eps(499)).toBe(0.01);
  });
  it('is non-increasing and stays within [final, initial]', () => {
    let prev = Infinity;
    for (let t = 0; t <= 500; t++) {
      const e = eps(t);
      expect(e).toBeLessThanOrEqual(prev);
      expect(e).toBeGreaterThanOrEqual(0.01 - 1e-12);
      expect(e).toBeLessThanOrEqual(1);
      prev = e;
    }
  });
  it('fraction 0 means the final value from the start; bad arguments throw', () => {
    expect(linearEpsilon(0, 10, 1, 0.05, 0)).toBe(0.05);
    expect(() => linearEpsilon(0, 0, 1, 0, 0.1)).toThrow(/totalSteps must be > 0, found 0/);
    expect(() => linearEpsilon(0, 10, 1, 0, 1.5)).toThrow(/fraction must be in \[0, 1\], found 1.5/);
  });
});
