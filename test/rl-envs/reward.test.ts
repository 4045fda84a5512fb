import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REWARD_CONSTANTS, rewardBounds, validateRewardConstants, workflowReward } from '../../src/rl/envs/reward.js';

describe('Eq. 5.1 reward', () => {
  it('hand-computed values with the defaults N=4, Rs=4, k1=4, k2=6, k3=4', () => {
    // success: 4/sp + 4/r + 4q
    expect(workflowReward(26, 26, 1, 1)).toBeCloseTo(4 + 4 + 4, 12);
    expect(workflowReward(13, 26, 2, 4)).toBeCloseTo(2 + 1 + 2, 12);
    expect(workflowReward(30, 35, 3, 2)).toBeCloseTo(4 / 3 + 2 + (4 * 30) / 35, 12);
    // violation: max(-6, -4 - q)
    expect(workflowReward(39, 26, 1, 1)).toBeCloseTo(-5.5, 12);
    expect(workflowReward(52, 26, 1, 1)).toBe(-6);
    expect(workflowReward(100, 26, 4, 4)).toBe(-6);
  });

  it('constants are configurable', () => {
    const c = { N: 4, Rs: 4, k1: 1, k2: 50, k3: 10 };
    expect(workflowReward(40, 20, 1, 1, c)).toBeCloseTo(-12, 12);
    expect(workflowReward(10, 20, 4, 4, c)).toBeCloseTo(1 + 1 + 0.5, 12);
    expect(() => validateRewardConstants({ ...c, k3: -2 })).toThrow(/reward\.k3: expected a number > -1/);
    expect(() => workflowReward(1, 0, 1, 1)).toThrow(/positive QoS target/);
    expect(() => workflowReward(1, 1, 5, 1)).toThrow(/sp in \[1, N=4\], found 5/);
  });

  it('property (CT5-18): reward >= -k2 always; reward > 0 iff L_a <= L_t; within the derived bounds', () => {
    const consts = fc.record({
      N: fc.integer({ min: 1, max: 8 }),
      Rs: fc.integer({ min: 1, max: 8 }),
      k1: fc.double({ min: 0.01, max: 20, noNaN: true }),
      k2: fc.double({ min: 0.5, max: 50, noNaN: true }),
      k3: fc.double({ min: -0.99, max: 20, noNaN: true }),
    });
    fc.assert(
      fc.property(consts, fc.double({ min: 0, max: 500, noNaN: true }), fc.double({ min: 0.1, max: 100, noNaN: true }), fc.nat(), fc.nat(), (c, la, lt, spRaw, rRaw) => {
        const sp = 1 + (spRaw % c.N);
        const r = 1 + (rRaw % c.Rs);
        const v = workflowReward(la, lt, sp, r, c);
        const b = rewardBounds(c);
        expect(v).toBeGreaterThanOrEqual(-c.k2);
        expect(v > 0).toBe(la <= lt);
        if (la <= lt) {
          expect(v).toBeGreaterThanOrEqual(b.successLow - 1e-9);
          expect(v).toBeLessThanOrEqual(b.successHigh + 1e-9);
        } else expect(v).toBeLessThanOrEqual(b.failureHigh + 1e-9);
      }),
      { numRuns: 2000 },
    );
    expect(DEFAULT_REWARD_CONSTANTS.k2).toBe(6);
  });
});
