/**
 * One policy and one monitor on SimBackend (DESIGN.md rule 3): the scenario of
 * portable-scenario.ts, which policy-portability.realtime.test.ts runs unchanged on LocalBackend.
 */
import { describe, expect, it } from 'vitest';
import { desiredReplicas } from '../../src/backend/policies/threshold-autoscaler.js';
import { exercise, expectSameBehaviour, FN } from './portable-scenario.js';
import { simBackend } from './helpers.js';

describe('threshold rule', () => {
  it('desired = clamp(ceil(load / target), min, max)', () => {
    expect(desiredReplicas(0, 1, 1, 3)).toBe(1);
    expect(desiredReplicas(5, 2, 1, 10)).toBe(3);
    expect(desiredReplicas(50, 1, 1, 3)).toBe(3);
  });
});

describe('the same policy and monitor on SimBackend', () => {
  it('scales up under a burst and down after it; the monitor sees every record', async () => {
    expectSameBehaviour(await exercise(simBackend(7, [4], [FN])));
  });
});
