import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SECOND } from '../../../src/core/time.js';
import { makeDistribution } from '../../../src/core/distributions.js';
import {
  CE_DEFAULT_MAX_REPLICAS, COMPLETED, FAILED, FAIL_REASONS, IN_FLIGHT, type AsyncInvocation, type SyncCall,
} from '../../../src/platform/openfaas/index.js';
import { fnTemplate, openfaas } from './fixtures.js';

const scenario = fc.record({
  seed: fc.integer({ min: 1, max: 1000 }),
  mode: fc.constantFrom('ce' as const, 'pro' as const),
  workers: fc.integer({ min: 1, max: 4 }),
  proInflight: fc.integer({ min: 1, max: 6 }),
  ackWaitS: fc.integer({ min: 2, max: 20 }),
  autoscaler: fc.constantFrom('none' as const, 'ce' as const, 'pro' as const),
  idler: fc.boolean(),
  watchdogInflight: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  errorRate: fc.constantFrom(0, 0.2),
  minReplicas: fc.integer({ min: 0, max: 2 }),
  maxReplicas: fc.integer({ min: 2, max: 8 }),
  meanWorkS: fc.constantFrom(0.05, 0.5, 5),
  timeoutS: fc.integer({ min: 3, max: 30 }),
  calls: fc.array(fc.record({ atMs: fc.integer({ min: 0, max: 120_000 }), fn: fc.integer({ min: 0, max: 1 }), async: fc.boolean() }), { maxLength: 80 }),
  endS: fc.integer({ min: 30, max: 400 }),
});

describe('OpenFaaS properties', () => {
  it('no invocation is lost; worker in-flight ≤ limit; replicas within the autoscaler bounds', () => {
    fc.assert(fc.property(scenario, (s) => {
      const { sim, kc, of } = openfaas(s.seed, {
        gateway: { writeTimeout: (s.timeoutS + 5) * SECOND, upstreamTimeout: s.timeoutS * SECOND },
        queueWorker: s.mode === 'ce' ? { mode: 'ce', replicas: s.workers, ackWait: s.ackWaitS * SECOND } : { mode: 'pro', replicas: s.workers, maxInflight: s.proInflight, initialRetryWait: SECOND, maxRetryWait: 4 * SECOND, maxRetryAttempts: 4 },
        autoscaler: s.autoscaler,
        proPollInterval: 5 * SECOND,
        idler: s.idler ? { inactivityDuration: 20 * SECOND, reconcileInterval: 10 * SECOND } : undefined,
      }, 2);
      const fns = ['a', 'b'].map((n) => of.deploy({
        name: n,
        template: { ...fnTemplate(n, 0), workload: { usefulWork: makeDistribution({ type: 'exponential', mean: s.meanWorkS }), threads: 1 } },
        minReplicas: s.minReplicas, maxReplicas: s.maxReplicas, scaleToZero: true, maxInflight: s.watchdogInflight, errorRate: s.errorRate,
        pro: { target: 2, type: 'capacity' },
      }));
      const sync: SyncCall[] = [];
      const asyncs: AsyncInvocation[] = [];
      const ends = new Map<object, number>();
      const seen = (x: object) => ends.set(x, (ends.get(x) ?? 0) + 1);
      for (const c of s.calls) {
        sim.scheduleAt(c.atMs * 1000, () => {
          const name = fns[c.fn].name;
          if (c.async) asyncs.push(of.invokeAsync(name, seen));
          else sync.push(of.invoke(name, seen));
        }, undefined);
      }
      // replicas bounds, sampled at every pod event
      const violations: string[] = [];
      kc.onPodEvent = () => {
        for (const f of fns) {
          const r = f.replicas;
          const hi = s.autoscaler === 'ce' ? Math.max(f.minReplicas, 1, Math.min(f.maxReplicas, CE_DEFAULT_MAX_REPLICAS)) : Math.max(f.maxReplicas, 1);
          if (r > hi) violations.push(`${f.name}: ${r} > ${hi}`);
          if (r !== 0 && r < Math.max(1, f.minReplicas) && s.autoscaler !== 'none') violations.push(`${f.name}: ${r} < min`);
        }
      };
      sim.run(s.endS * SECOND);
      expect(violations).toEqual([]);
      for (const x of [...sync, ...asyncs]) {
        const n = ends.get(x) ?? 0;
        if (x.state === IN_FLIGHT) expect(n).toBe(0);
        else {
          expect(n).toBe(1);
          expect(x.end).toBeGreaterThanOrEqual(0);
          if (x.state === FAILED) expect(FAIL_REASONS).toContain(x.reason);
          else expect(x.state).toBe(COMPLETED);
        }
      }
      const g = of.gateway.counters;
      const failed = Object.values(g.failed).reduce((a, b) => a + b, 0);
      expect(g.completed + failed + of.gateway.inFlight).toBe(g.calls);
      const q = of.queue.counters;
      expect(q.enqueued).toBe(asyncs.length);
      expect(q.completed + q.failed + of.queue.inFlight).toBe(q.enqueued);
      expect(asyncs.filter((a) => a.state === IN_FLIGHT).length).toBe(of.queue.inFlight);
      const limit = s.mode === 'ce' ? 1 : s.proInflight;
      for (const w of of.queue.workers) expect(w.peakBusy).toBeLessThanOrEqual(limit);
      if (s.watchdogInflight !== undefined) for (const f of fns) expect(f.peakPodInflight).toBeLessThanOrEqual(s.watchdogInflight);
    }), { numRuns: 60 });
  });
});
