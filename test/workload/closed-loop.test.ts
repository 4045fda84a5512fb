import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/core/simulation.js';
import { MS, SECOND } from '../../src/core/time.js';
import { ClosedLoopClient, STATUS_TIMEOUT, sortedQuantile, type ClientRequest, type CompletionCallback, type SystemUnderTest } from '../../src/workload/arrivals/closed-loop.js';

/** A c-server FIFO system with exponential service (mean in µs), completing via callbacks. */
function fifoSystem(sim: Simulation, servers: number, meanService: number): SystemUnderTest & { maxBusy: number; outstanding: number; maxOutstanding: number } {
  const rng = sim.random.stream('test.service');
  const queue: [ClientRequest, CompletionCallback][] = [];
  let busy = 0;
  const sys = {
    maxBusy: 0,
    outstanding: 0,
    maxOutstanding: 0,
    issue(req: ClientRequest, done: CompletionCallback): void {
      sys.outstanding++;
      sys.maxOutstanding = Math.max(sys.maxOutstanding, sys.outstanding);
      if (busy < servers) start(req, done);
      else queue.push([req, done]);
    },
  };
  const start = (req: ClientRequest, done: CompletionCallback): void => {
    busy++;
    sys.maxBusy = Math.max(sys.maxBusy, busy);
    sim.schedule(Math.round(rng.exponential(meanService)), () => {
      busy--;
      sys.outstanding--;
      done(req, true);
      const next = queue.shift();
      if (next) start(next[0], next[1]);
    }, undefined);
  };
  return sys;
}

describe('closed-loop client (hey semantics)', () => {
  it('runs stages back to back with exact request counts; concurrency never exceeds C', () => {
    const sim = new Simulation({ seed: 5 });
    const sys = fifoSystem(sim, 1000, 20 * MS);
    const stages = [
      { concurrency: 4, requests: 1000 },
      { concurrency: 16, requests: 2001 },
      { concurrency: 2, requests: 7 },
    ];
    let finishedAt = -1;
    const client = new ClosedLoopClient({ stages, gap: SECOND, onFinished: (t) => (finishedAt = t) });
    client.start(sim, sys);
    sim.run();
    for (let k = 0; k < 3; k++) {
      const s = client.stageSummary(k);
      expect(s.resolved).toBe(stages[k].requests);
      expect(s.maxInFlight).toBeLessThanOrEqual(stages[k].concurrency);
      expect(s.maxInFlight).toBe(stages[k].concurrency); // reached: each worker has work
      if (k > 0) expect(client.stageStart[k] - client.stageEnd[k - 1]).toBe(SECOND);
      expect(client.stageEnd[k]).toBeGreaterThan(client.stageStart[k]);
    }
    expect(client.finished).toBe(true);
    expect(finishedAt).toBe(client.stageEnd[2]);
    // Little's law in the closed loop with no queueing: throughput ≈ C / mean service
    const s1 = client.stageSummary(1);
    expect(s1.throughput).toBeGreaterThan(16 / 0.02 * 0.8);
    expect(s1.throughput).toBeLessThan(16 / 0.02 * 1.2);
  });

  it('property: in-flight ≤ C in every stage, every stage sends exactly N', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ concurrency: fc.integer({ min: 1, max: 20 }), requests: fc.integer({ min: 0, max: 200 }) }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 1000 }),
        (stages, servers, seed) => {
          const sim = new Simulation({ seed });
          const sys = fifoSystem(sim, servers, 5 * MS);
          const client = new ClosedLoopClient({ stages, timeout: Infinity });
          client.start(sim, sys);
          sim.run();
          expect(client.finished).toBe(true);
          stages.forEach((st, k) => {
            const s = client.stageSummary(k);
            expect(s.resolved).toBe(st.requests);
            expect(s.maxInFlight).toBeLessThanOrEqual(st.concurrency);
          });
          expect(sys.maxOutstanding).toBeLessThanOrEqual(Math.max(...stages.map((s) => s.concurrency)));
          const r = client.results();
          for (let i = 1; i < r.stage.length; i++) expect(r.stage[i]).toBeGreaterThanOrEqual(r.stage[i - 1]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('duration stages stop sending at the deadline; think time spaces requests', () => {
    const sim = new Simulation({ seed: 2 });
    const sys = fifoSystem(sim, 100, 10 * MS);
    const client = new ClosedLoopClient({ stages: [{ concurrency: 5, duration: 10 * SECOND, thinkTimeMs: { type: 'constant', value: 90 } }] });
    client.start(sim, sys);
    sim.run();
    const s = client.stageSummary(0);
    // each worker cycles in ≈ 100 ms (10 ms mean service + 90 ms think): ≈ 5 × 100 requests
    expect(Math.abs(s.resolved - 500)).toBeLessThan(40);
    const r = client.results();
    expect(Math.max(...r.sentAt)).toBeLessThan(10 * SECOND);
  });

  it('timeouts free the worker and late completions are ignored', () => {
    const sim = new Simulation();
    let calls = 0;
    const slow: SystemUnderTest = {
      issue(req, done) {
        calls++;
        sim.schedule(calls % 2 === 1 ? 30 * SECOND : SECOND, () => done(req, true), undefined);
      },
    };
    const client = new ClosedLoopClient({ stages: [{ concurrency: 1, requests: 4 }], timeout: 20 * SECOND });
    client.start(sim, slow);
    sim.run();
    const r = client.results();
    expect(Array.from(r.status)).toEqual([STATUS_TIMEOUT, 0, STATUS_TIMEOUT, 0]);
    expect(Array.from(r.latency)).toEqual([20 * SECOND, SECOND, 20 * SECOND, SECOND]);
    expect(client.lateCompletions).toBe(2);
  });

  it('a system that completes synchronously inside issue() does not recurse', () => {
    const sim = new Simulation();
    const client = new ClosedLoopClient({ stages: [{ concurrency: 3, requests: 100_000 }], timeout: Infinity });
    client.start(sim, { issue: (req, done) => done(req, false) });
    sim.run();
    expect(client.stageSummary(0).errors).toBe(100_000);
  });

  it('deterministic per seed', () => {
    const run = (seed: number): number[] => {
      const sim = new Simulation({ seed });
      const client = new ClosedLoopClient({ stages: [{ concurrency: 8, requests: 300 }], functions: ['a', 'b', 'c'] });
      client.start(sim, fifoSystem(sim, 3, 10 * MS));
      sim.run();
      return Array.from(client.results().latency);
    };
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });

  it('sortedQuantile interpolates (type 7)', () => {
    expect(sortedQuantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(sortedQuantile([10], 0.99)).toBe(10);
    expect(sortedQuantile([0, 10], 0.9)).toBe(9);
  });

  it('rejects bad stages', () => {
    expect(() => new ClosedLoopClient({ stages: [{ concurrency: 0, requests: 1 }] })).toThrow(/stages\[0\]\.concurrency: expected an integer ≥ 1, found 0/);
    expect(() => new ClosedLoopClient({ stages: [{ concurrency: 1 }] })).toThrow(/stages\[0\]: expected a stage with "requests" or "duration"/);
  });
});
