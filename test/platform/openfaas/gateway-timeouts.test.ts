/**
 * The OpenFaaS per-call timeouts (kept in deadline lists) fire at exactly arming time + timeout
 * and in the order one kernel event per call would give them (platform-semantics.md §b.1–§b.2).
 */
import { describe, expect, it } from 'vitest';
import { MS, SECOND } from '../../../src/core/time.js';
import { COMPLETED, FAILED, type SyncCall } from '../../../src/platform/openfaas/index.js';
import { fnTemplate, openfaas } from '../openfaas-data-path/fixtures.js';

describe('gateway timeouts on deadline lists', () => {
  it('each call longer than upstream_timeout gets its 504 at exactly proxy start + timeout; short calls in between complete', () => {
    const { sim, of } = openfaas(11, { gateway: { writeTimeout: 10 * SECOND, upstreamTimeout: 3 * SECOND } });
    of.deploy({ name: 'long', template: fnTemplate('long', 5) });
    of.deploy({ name: 'short', template: fnTemplate('short', 0.1) });
    sim.run(10 * SECOND); // both pods Ready
    const long: SyncCall[] = [];
    const short: SyncCall[] = [];
    // irregular arrivals (µs): long and short calls interleaved, so the list heads are often cancelled
    for (let i = 0; i < 12; i++) {
      const t = 10 * SECOND + i * 417_123 + (i % 3) * 7;
      sim.scheduleAt(t, () => { (i % 2 === 0 ? long : short).push(of.invoke(i % 2 === 0 ? 'long' : 'short')); }, undefined);
    }
    sim.run();
    expect(long.length).toBe(6);
    for (const c of long) {
      expect(c.state).toBe(FAILED);
      expect(c.reason).toBe('upstream-timeout');
      expect(c.status).toBe(504);
      expect(c.proxyStart).toBe(c.arrival); // warm: proxied at once
      expect(c.end).toBe(c.proxyStart + 3 * SECOND);
    }
    for (const c of short) {
      expect(c.state).toBe(COMPLETED);
      expect(c.end).toBeLessThan(c.arrival + 3 * SECOND);
    }
  });

  it('calls held by a scale from zero get the write-timeout 504 at exactly arrival + write_timeout', () => {
    const { sim, of } = openfaas(12, { gateway: { writeTimeout: 2 * SECOND, upstreamTimeout: 1 * SECOND } });
    of.deploy({ name: 'f', template: fnTemplate('f', 0.1), initialReplicas: 0 });
    // The pod is Ready at 2.81 s and the shared poll proxies at 2.9 s (data-path.test.ts); 0.1 s of work.
    const arrivals = [0, 300 * MS + 1, 600 * MS + 3, 1200 * MS];
    const calls: SyncCall[] = [];
    for (const t of arrivals) sim.scheduleAt(t, () => { calls.push(of.invoke('f')); }, undefined);
    sim.run();
    expect(calls.slice(0, 3).map((c) => [c.reason, c.end])).toEqual(arrivals.slice(0, 3).map((t) => ['gateway-timeout', t + 2 * SECOND]));
    const last = calls[3];
    expect(last.state).toBe(COMPLETED);
    expect(last.proxyStart).toBe(2.9 * SECOND);
    expect(last.end).toBe(3.0 * SECOND);
  });

  it('chart defaults (ack_wait = upstream_timeout = 60 s), one worker, a 70 s function: the ack wait expires first, as it was armed first', () => {
    // Async call at t0 = 10 s: ack wait armed at t0, then the gateway call's upstream timeout.
    // Both are due at t0 + 60 s; the ack wait runs first → redelivery (to the busy worker's inbox);
    // then the upstream 504 ends the invocation and acks it; the copy still runs (a duplicate)
    // and gets its own 504 at 70 + 60 = 130 s. Had the upstream timeout run first, the ack
    // would have cancelled the redelivery: one call, no duplicate.
    // An async call to an unknown function at 5 s (404 at once, acked) leaves the ack-wait list a
    // timer for its dead entry (due 65 s) and the upstream list none, so the ack list's timer for
    // t0 + 60 s is armed only at 65 s, after the upstream list's one: the lists must still
    // expire the two in arming order.
    const { sim, of } = openfaas(13, { queueWorker: { mode: 'ce', replicas: 1 } });
    of.deploy({ name: 'f', template: fnTemplate('f', 70) });
    sim.run(5 * SECOND);
    const missing = of.invokeAsync('nope');
    expect(missing.reason).toBe('not-found');
    sim.run(10 * SECOND);
    const calls: SyncCall[] = [];
    of.gateway.onCallEnd = (c) => { if (c.fn === 'f') calls.push(c); };
    const a = of.invokeAsync('f');
    sim.run(400 * SECOND);
    expect(a.reason).toBe('upstream-timeout');
    expect(a.end).toBe(70 * SECOND);
    expect(a.redeliveries).toBe(1);
    expect(a.attempts).toBe(2);
    expect(of.queue.counters.duplicateRuns).toBe(1);
    expect(calls.map((c) => [c.proxyStart, c.end, c.reason])).toEqual([
      [10 * SECOND, 70 * SECOND, 'upstream-timeout'],
      [70 * SECOND, 130 * SECOND, 'upstream-timeout'],
    ]);
  });
});
