import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SECOND } from '../../../src/core/time.js';
import {
  HorizontalPodAutoscaler, defaultBehavior, plainMetricReplicas, resourceReplicas, scaleDownLimit, scaleUpLimit, usageRatioReplicas,
} from '../../../src/platform/kubernetes/index.js';
import type { HpaPod, PodMetric } from '../../../src/platform/kubernetes/index.js';

const S = SECOND;
const NOW = 3600 * S;
/** Ready pods started an hour ago (outside the 5 min CPU initialization period). */
const ready = (name: string, request = 1000): HpaPod => ({ name, phase: 'Running', ready: true, startTime: 0, readyTransitionTime: 10 * S, request });
const m = (pairs: [string, number][]): Map<string, PodMetric> => new Map(pairs.map(([n, v]) => [n, { value: v, timestamp: NOW - 5 * S, window: 30 * S }]));

describe('HPA replica calculation (c.6)', () => {
  const pods = [ready('a'), ready('b'), ready('c')];

  it('tolerance band: 85 % vs target 80 → ratio 1.0625 within 0.1 → keep 3', () => {
    // utilization = 100·(850·3)/(1000·3) = 85; 85/80 = 1.0625; |1 − 1.0625| ≤ 0.1
    expect(resourceReplicas(3, 80, pods, m([['a', 850], ['b', 850], ['c', 850]]), NOW).replicas).toBe(3);
  });

  it('scale up: 90 % → ratio 1.125 → ceil(1.125·3) = 4; scale down: 40 % → ceil(0.5·3) = 2', () => {
    expect(resourceReplicas(3, 80, pods, m([['a', 900], ['b', 900], ['c', 900]]), NOW).replicas).toBe(4);
    expect(resourceReplicas(3, 80, pods, m([['a', 400], ['b', 400], ['c', 400]]), NOW).replicas).toBe(2);
  });

  it('utilization is integer-truncated before the ratio', () => {
    // 100·(887 + 887 + 887)/3000 = 88.7 → 88; 88/80 = 1.1 → within tolerance (≤ 1.1) → 3
    const r = resourceReplicas(3, 80, pods, m([['a', 887], ['b', 887], ['c', 887]]), NOW);
    expect(r.usage).toBe(88);
    expect(r.replicas).toBe(3);
  });

  it('missing metric on scale-down counts as 100 % of request: 40 % → (400+400+1000)/3000 = 60 % → ceil(0.75·3) = 3', () => {
    expect(resourceReplicas(3, 80, pods, m([['a', 400], ['b', 400]]), NOW).replicas).toBe(3);
  });

  it('missing metric on scale-up counts as 0: 120 % → (1200+1200+0)/3000 = 80 % → within tolerance → 3', () => {
    expect(resourceReplicas(3, 80, pods, m([['a', 1200], ['b', 1200]]), NOW).replicas).toBe(3);
  });

  it('unready pods count as 0 only on scale-up', () => {
    const young: HpaPod = { name: 'c', phase: 'Running', ready: false, startTime: NOW - 60 * S, readyTransitionTime: NOW - 60 * S, request: 1000 };
    const ps = [ready('a'), ready('b'), young];
    // ready pods at 160 %: ratio 2.0; with c at 0: 3200·100/3000 = 106 → 1.325 → ceil(1.325·3) = ceil(3.975) = 4
    expect(resourceReplicas(3, 80, ps, m([['a', 1600], ['b', 1600], ['c', 50]]), NOW).replicas).toBe(4);
    // scale-down: unready ignored entirely: 40 % on 2 ready pods → ceil(0.5·2) = 1
    expect(resourceReplicas(3, 80, ps, m([['a', 400], ['b', 400], ['c', 50]]), NOW).replicas).toBe(1);
    // pending pods are unready too: ratio 160/80 = 2.0; with d at 0: 4800·100/4000 = 120 → 1.5 → ceil(1.5·4) = 6
    const pending: HpaPod = { name: 'd', phase: 'Pending', request: 1000 };
    expect(resourceReplicas(3, 80, [...pods, pending], m([['a', 1600], ['b', 1600], ['c', 1600]]), NOW).replicas).toBe(6);
  });

  it('plain per-pod metric and object metric', () => {
    // average (15 + 15)/2 = 15 vs 10 → 1.5 → ceil(1.5·2) = 3
    expect(plainMetricReplicas(2, 10, [ready('a'), ready('b')], m([['a', 15], ['b', 15]]), NOW).replicas).toBe(3);
    expect(usageRatioReplicas(4, 4, 300, 100)).toBe(12);
    expect(usageRatioReplicas(0, 0, 250, 100)).toBe(3);
  });

  it('clear errors', () => {
    expect(() => resourceReplicas(1, 80, [], m([]), NOW)).toThrow(/no pods returned/);
    expect(() => resourceReplicas(1, 80, [{ name: 'x', phase: 'Running', ready: true, startTime: 0 }], m([['x', 1]]), NOW)).toThrow(/pod "x": missing request/);
  });
});

describe('HPA controller: stabilization and rate limits (c.6)', () => {
  it('no behavior: downscale stabilization keeps the max recommendation of the last 300 s', () => {
    const h = new HorizontalPodAutoscaler({ minReplicas: 1, maxReplicas: 10 });
    // first reconcile seeds the history with current (5)
    expect(h.reconcile(0, 5, [2]).desiredReplicas).toBe(5);
    for (let t = 15; t <= 300; t += 15) expect(h.reconcile(t * S, 5, [2]).desiredReplicas).toBe(5);
    // at 315 s the samples at 0 s are older than the window → 2
    expect(h.reconcile(315 * S, 5, [2])).toMatchObject({ desiredReplicas: 2, rescale: true });
  });

  it('no behavior: scale-up limited to max(2·current, 4), then clamped to [min, max]', () => {
    const h = new HorizontalPodAutoscaler({ minReplicas: 1, maxReplicas: 50 });
    expect(h.reconcile(0, 2, [20]).desiredReplicas).toBe(4); // max(4, 4)
    expect(h.reconcile(15 * S, 4, [20]).desiredReplicas).toBe(8);
    expect(h.reconcile(30 * S, 60, [20]).desiredReplicas).toBe(50); // above max
    expect(new HorizontalPodAutoscaler({ minReplicas: 3, maxReplicas: 9 }).reconcile(0, 1, [1]).desiredReplicas).toBe(3);
    expect(new HorizontalPodAutoscaler({ minReplicas: 1, maxReplicas: 9 }).reconcile(0, 0, [5])).toMatchObject({ desiredReplicas: 0, rescale: false });
  });

  it('default behavior: scale up by max(4 pods, 100 %) per 15 s', () => {
    const h = new HorizontalPodAutoscaler({ minReplicas: 1, maxReplicas: 50, behavior: defaultBehavior() });
    // from 1: Pods 1 + 4 = 5, Percent ceil(1·2) = 2 → Max → 5
    expect(h.reconcile(0, 1, [20]).desiredReplicas).toBe(5);
    // 5 s later the +4 event is inside the 15 s period: start = 5 − 4 = 1 → limit 5 → stay 5
    expect(h.reconcile(5 * S, 5, [20]).desiredReplicas).toBe(5);
    // at 15 s the event at 0 is not strictly younger than 15 s → start 5 → max(9, 10) = 10
    expect(h.reconcile(15 * S, 5, [20]).desiredReplicas).toBe(10);
  });

  it('scale-down policy Pods 1 per 60 s with no stabilization', () => {
    const b = defaultBehavior({ scaleDown: { stabilizationWindow: 0, policies: [{ type: 'Pods', value: 1, period: 60 * S }] } });
    const h = new HorizontalPodAutoscaler({ minReplicas: 1, maxReplicas: 10, behavior: b });
    expect(h.reconcile(0, 5, [1]).desiredReplicas).toBe(4);
    expect(h.reconcile(30 * S, 4, [1]).desiredReplicas).toBe(4); // start = 4 + 1 = 5 → limit 4
    expect(h.reconcile(60 * S, 4, [1]).desiredReplicas).toBe(3);
  });

  it('limit helpers: percent up rounds up, percent down truncates, selectPolicy Min/Disabled', () => {
    const up = { policies: [{ type: 'Percent' as const, value: 50, period: 15 * S }], selectPolicy: 'Max' as const };
    expect(scaleUpLimit(3, [], [], up, 0)).toBe(5); // ceil(4.5)
    const down = { policies: [{ type: 'Percent' as const, value: 50, period: 15 * S }, { type: 'Pods' as const, value: 1, period: 15 * S }] };
    expect(scaleDownLimit(5, [], [], down, 0)).toBe(2); // Max change: min(trunc(2.5), 4) = 2
    expect(scaleDownLimit(5, [], [], { ...down, selectPolicy: 'Min' }, 0)).toBe(4);
    expect(scaleDownLimit(5, [], [], { ...down, selectPolicy: 'Disabled' }, 0)).toBe(5);
  });

  it('default behavior: scale-down stabilization (300 s) takes the max over the window', () => {
    const h = new HorizontalPodAutoscaler({ minReplicas: 1, maxReplicas: 10, behavior: defaultBehavior() });
    h.reconcile(0, 6, [6]);
    expect(h.reconcile(100 * S, 6, [2]).desiredReplicas).toBe(6);
    expect(h.reconcile(301 * S, 6, [2]).desiredReplicas).toBe(2); // samples at 0 s no longer strictly younger
  });
});

describe('HPA properties', () => {
  it('desired replicas stay within [minReplicas, maxReplicas] when scaling is enabled', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 40 }), fc.boolean(),
      fc.array(fc.record({ cur: fc.integer({ min: 1, max: 80 }), prop: fc.integer({ min: 0, max: 200 }), dt: fc.integer({ min: 1, max: 120 }) }), { minLength: 1, maxLength: 30 }),
      (min, extra, withBehavior, steps) => {
        const max = min + extra;
        const h = new HorizontalPodAutoscaler({ minReplicas: min, maxReplicas: max, behavior: withBehavior ? defaultBehavior() : undefined });
        let t = 0;
        for (const s of steps) {
          t += s.dt * S;
          const d = h.reconcile(t, s.cur, [s.prop]).desiredReplicas;
          expect(d).toBeGreaterThanOrEqual(Math.min(min, s.cur));
          // scale-up is never above max; an over-max current is brought down to max
          expect(d).toBeLessThanOrEqual(max);
          if (s.cur >= min) expect(d).toBeGreaterThanOrEqual(min);
        }
      },
    ), { numRuns: 300 });
  });
});
