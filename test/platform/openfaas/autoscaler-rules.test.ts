import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MINUTE, SECOND } from '../../../src/core/time.js';
import {
  ProScaleDownWindow, ceAlertCondition, ceAlertReplicas, proDesiredReplicas, proLabels, shouldScaleToZero,
} from '../../../src/platform/openfaas/index.js';

describe('OpenFaaS CE alert rule (b.3)', () => {
  it('step = ceil(max/100 × factor) with max = min(label, 5)', () => {
    // factor 10: ceil(5/100·10) = ceil(0.5) = 1 → 1 + 1 = 2
    expect(ceAlertReplicas('firing', 1)).toBe(2);
    // factor 50: ceil(2.5) = 3 → 1 + 3 = 4; then 4 + 3 > 5 → 5
    expect(ceAlertReplicas('firing', 1, 5, 1, 50)).toBe(4);
    expect(ceAlertReplicas('firing', 4, 5, 1, 50)).toBe(5);
    // label max 20 is capped at 5 in CE: factor 100 → step 5 → min(1 + 5, 5) = 5
    expect(ceAlertReplicas('firing', 1, 20, 1, 100)).toBe(5);
    expect(ceAlertReplicas('resolved', 5, 5, 2)).toBe(2);
    // factor 0: step 0 → even a firing alert sets the minimum (upstream code path)
    expect(ceAlertReplicas('firing', 3, 5, 1, 0)).toBe(1);
    expect(ceAlertCondition(5)).toBe(false);
    expect(ceAlertCondition(5.1)).toBe(true);
    expect(() => ceAlertReplicas('firing', 1, 5, 1, 101)).toThrow(/scale\.factor: expected 0\.\.100, found 101/);
  });
});

describe('OpenFaaS Pro autoscaler (b.3)', () => {
  it('desired = ceil(ready × mean / (target × proportion)) clamped', () => {
    const l = proLabels();
    // 2 pods at 60 rps: 120 / (50 · 0.9) = 2.67 → 3
    expect(proDesiredReplicas(2, 60, l)).toBe(3);
    expect(proDesiredReplicas(10, 500, l)).toBe(20); // 5000/45 = 112 → max 20
    expect(proDesiredReplicas(1, 0, l)).toBe(1); // min 1
    expect(() => proLabels({ targetProportion: 1.5 })).toThrow(/target-proportion: expected in \(0, 1\]/);
  });

  it('scale-down window keeps the max recommendation over the window', () => {
    const w = new ProScaleDownWindow(60 * SECOND);
    expect(w.recommend(0, 8)).toBe(8);
    expect(w.recommend(30 * SECOND, 2)).toBe(8);
    expect(w.recommend(60 * SECOND, 2)).toBe(2); // the 0 s sample left the window
  });

  it('idle to zero after the inactivity duration (Pro default 15 min)', () => {
    const l = proLabels({ zero: true });
    expect(shouldScaleToZero(20 * MINUTE, 6 * MINUTE, l.zeroDuration, l.zero)).toBe(false);
    expect(shouldScaleToZero(21 * MINUTE, 6 * MINUTE, l.zeroDuration, l.zero)).toBe(true);
    expect(shouldScaleToZero(99 * MINUTE, null, l.zeroDuration, false)).toBe(false);
  });

  it('property: the Pro recommendation is always within [min, max]', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 1e4, noNaN: true }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 30 }), (ready, load, min, extra) => {
      const l = proLabels({ min, max: Math.max(1, min) + extra });
      const d = proDesiredReplicas(ready, load, l);
      expect(d).toBeGreaterThanOrEqual(l.min);
      expect(d).toBeLessThanOrEqual(l.max);
    }));
  });
});
