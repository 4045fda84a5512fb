import { describe, expect, it } from 'vitest';
import { SECOND, MINUTE } from '../../../src/core/time.js';
import {
  COMPLETED, FAILED, IN_FLIGHT, retryDelay, jitterDelay, type AsyncInvocation, type SyncCall,
} from '../../../src/platform/openfaas/index.js';
import { fnTemplate, openfaas } from './fixtures.js';

const LONG = { writeTimeout: 10 * MINUTE, upstreamTimeout: 9 * MINUTE };

describe('gateway scale from zero (§b.1)', () => {
  it('holds the call, scales to 1 and proxies at the first 100 ms poll after the pod is Ready', () => {
    const { sim, of } = openfaas(1);
    const fn = of.deploy({ name: 'f', template: fnTemplate('f', 0.1), initialReplicas: 0 });
    expect(fn.replicas).toBe(0);
    sim.run(SECOND); // nothing happens without calls
    expect(fn.replicas).toBe(0);
    let done: SyncCall | null = null;
    const c = of.invoke('f', (x) => { done = x; });
    expect(fn.replicas).toBe(1);
    sim.run();
    // Pod: scheduling 0.01 + sandbox 0.5 + manifest check (Always, cached) 0.1 + create 0.2 = container
    // start 0.81 s; python init 0.5 → app ready 1.31 s; probes every 2 s from 0.81 → Ready 2.81 s.
    // Polls at 0.1, 0.2, …: the first at or after 2.81 is 2.9 s → proxy; 0.1 s of work → 3.0 s.
    expect(done).toBe(c);
    expect(c.state).toBe(COMPLETED);
    expect(c.coldStartWait).toBe(true);
    expect(c.proxyStart - c.arrival).toBe(2.9 * SECOND);
    expect(c.latency).toBe(3.0 * SECOND);
    expect(fn.deployment.readyPods[0].readyAt - c.arrival).toBe(2.81 * SECOND);
    expect(of.gateway.counters.scaleFromZero).toBe(1);
  });

  it('concurrent callers share one scale-up (singleflight) and all proxy at the same poll', () => {
    const { sim, of } = openfaas(2);
    const fn = of.deploy({ name: 'f', template: fnTemplate('f', 0.1), initialReplicas: 0 });
    const calls: SyncCall[] = [];
    for (let i = 0; i < 3; i++) sim.schedule(i * 300_000, () => { calls.push(of.invoke('f')); }, undefined);
    sim.run();
    expect(fn.deployment.created).toBe(1);
    expect(new Set(calls.map((c) => c.proxyStart))).toEqual(new Set([2.9 * SECOND]));
    expect(calls.every((c) => c.state === COMPLETED)).toBe(true);
  });

  it('write timeout ends a call held too long (504), and a warm call is proxied at once', () => {
    const { sim, of } = openfaas(3, { gateway: { writeTimeout: 2 * SECOND, upstreamTimeout: 1 * SECOND } });
    of.deploy({ name: 'f', template: fnTemplate('f', 0.1), initialReplicas: 0 });
    const c = of.invoke('f');
    sim.run();
    expect(c.state).toBe(FAILED);
    expect(c.reason).toBe('gateway-timeout');
    expect(c.status).toBe(504);
    expect(c.end).toBe(2 * SECOND);
    const w = of.invoke('f');
    sim.run();
    expect(w.coldStartWait).toBe(false);
    expect(w.latency).toBe(0.1 * SECOND);
  });

  it('upstream timeout answers 504 while the function keeps running', () => {
    const { sim, of } = openfaas(4, { gateway: { writeTimeout: 10 * SECOND, upstreamTimeout: 3 * SECOND } });
    const fn = of.deploy({ name: 'f', template: fnTemplate('f', 5) });
    sim.run(10 * SECOND);
    const c = of.invoke('f');
    sim.run(11 * SECOND);
    expect(fn.inflight).toBe(1);
    sim.run();
    expect(c.reason).toBe('upstream-timeout');
    expect(c.latency).toBe(3 * SECOND);
    expect(c.serviceEnd - c.serviceStart).toBe(5 * SECOND);
    expect(fn.inflight).toBe(0);
  });
});

function asyncRun(mode: 'ce' | 'pro', workers: number, work: number, maxInflight?: number) {
  const { sim, of } = openfaas(5, { gateway: LONG, queueWorker: { mode, replicas: workers, maxInflight } });
  of.deploy({ name: 'long', template: fnTemplate('long', work) });
  sim.run(10 * SECOND); // warm
  const a = of.invokeAsync('long');
  sim.run();
  return { a, of };
}

describe('queue-worker redelivery (§b.2)', () => {
  it('CE: a function longer than ack_wait (60 s) runs twice; the copy waits for the busy worker', () => {
    const { a, of } = asyncRun('ce', 1, 70);
    expect(a.state).toBe(COMPLETED);
    expect(a.end - a.enqueued).toBe(70 * SECOND);
    expect(a.redeliveries).toBe(1);
    expect(a.executions).toBe(2);
    expect(of.queue.counters.duplicateRuns).toBe(1);
    expect(of.gateway.counters.completed).toBe(2);
  });

  it('CE: with two workers each redelivery moves to the idle worker, so a long function keeps being re-run', () => {
    // NATS Streaming redelivers to the queue member with the fewest unacked messages and acks
    // implicitly for the old one; each copy outlives ack_wait, so the message never gets acked.
    const { sim, of } = openfaas(5, { gateway: LONG, queueWorker: { mode: 'ce', replicas: 2 } });
    of.deploy({ name: 'long', template: fnTemplate('long', 70) });
    sim.run(10 * SECOND);
    const a = of.invokeAsync('long');
    sim.run(10 * SECOND + 200 * SECOND);
    // starts at 0 (worker 0), 60 (worker 1), 120 (worker 0), 180 s (worker 1)
    expect(a.redeliveries).toBe(3);
    expect(a.executions).toBe(3); // runs that returned by 200 s (the fourth is still running)
    expect(a.attempts).toBe(4);
    expect(a.state).toBe(COMPLETED); // the first run answered at 70 s
    expect(a.end - a.enqueued).toBe(70 * SECOND);
    expect(of.queue.workers.map((w) => w.peakBusy)).toEqual([1, 1]);
  });

  it('CE: a function shorter than ack_wait runs once', () => {
    const { a } = asyncRun('ce', 1, 50);
    expect(a.executions).toBe(1);
    expect(a.redeliveries).toBe(0);
  });

  it('CE: beyond 2·ack_wait it runs three times', () => {
    const { a } = asyncRun('ce', 1, 130);
    expect(a.redeliveries).toBe(2);
    expect(a.executions).toBe(3);
  });

  it('Pro with max_inflight: no redelivery of a long function (the lease is extended)', () => {
    const { a, of } = asyncRun('pro', 1, 200, 5);
    expect(a.executions).toBe(1);
    expect(a.redeliveries).toBe(0);
    expect(of.queue.counters.duplicateRuns).toBe(0);
  });

  it('CE rejects max_inflight ≠ 1 with a clear error', () => {
    expect(() => openfaas(1, { queueWorker: { mode: 'ce', maxInflight: 4 } })).toThrow(/expected 1 in Community Edition/);
  });
});

describe('retries with back-off (Pro, §b.2)', () => {
  it('delay_k = min(max, initial·2^(k−1)): 10, 20, 40, 80, 120, 120 s with the chart values', () => {
    expect([1, 2, 3, 4, 5, 6].map((k) => retryDelay(k, 10 * SECOND, 120 * SECOND) / SECOND)).toEqual([10, 20, 40, 80, 120, 120]);
    expect(retryDelay(2000, SECOND, 5 * SECOND)).toBe(5 * SECOND);
    expect(() => retryDelay(0, SECOND, SECOND)).toThrow(/k: expected an integer ≥ 1/);
    const rng = { next: () => 0.5 } as never;
    expect(jitterDelay(100, 'full', rng)).toBe(50);
    expect(jitterDelay(100, 'equal', rng)).toBe(75);
    expect(jitterDelay(100, 'exponential', rng)).toBe(100);
  });

  it('429s from the watchdog are retried at 10 s, then 20 s later (hand-computed)', () => {
    const { sim, of } = openfaas(6, { queueWorker: { mode: 'pro', replicas: 1, maxInflight: 3 } });
    of.deploy({ name: 'f', template: fnTemplate('f', 1), maxInflight: 1 });
    sim.run(10 * SECOND);
    const t0 = sim.now;
    const as: AsyncInvocation[] = [0, 1, 2].map(() => of.invokeAsync('f'));
    sim.run();
    // t0: all three called; a0 runs 0–1 s, a1 and a2 get 429 → retry at 10 s; a1 runs 10–11 s,
    // a2 gets 429 again → second retry 20 s later, at 30 s → done at 31 s.
    expect(as.map((a) => (a.end - t0) / SECOND)).toEqual([1, 11, 31]);
    expect(as.map((a) => a.retries)).toEqual([0, 1, 2]);
    expect(as.map((a) => a.attempts)).toEqual([1, 2, 3]);
    expect(as.every((a) => a.state === COMPLETED)).toBe(true);
  });

  it('after maxRetryAttempts the last status is final; CE never retries', () => {
    const { sim, of } = openfaas(7, { queueWorker: { mode: 'pro', replicas: 1, maxInflight: 2, maxRetryAttempts: 2, initialRetryWait: SECOND, maxRetryWait: SECOND } });
    of.deploy({ name: 'f', template: fnTemplate('f', 0.1), errorRate: 1 });
    sim.run(10 * SECOND);
    const a = of.invokeAsync('f');
    sim.run();
    expect(a.state).toBe(FAILED);
    expect(a.status).toBe(500);
    expect(a.reason).toBe('function-error');
    expect(a.attempts).toBe(2);

    const ce = openfaas(7, { queueWorker: { mode: 'ce', replicas: 2 } });
    ce.of.deploy({ name: 'f', template: fnTemplate('f', 1), maxInflight: 1 });
    ce.sim.run(10 * SECOND);
    const x = ce.of.invokeAsync('f');
    const y = ce.of.invokeAsync('f');
    ce.sim.run();
    expect(x.state).toBe(COMPLETED);
    expect(y.state).toBe(FAILED);
    expect(y.status).toBe(429);
    expect(y.attempts).toBe(1);
  });

  it('a status outside httpRetryCodes is final at once', () => {
    const { sim, of } = openfaas(8, { queueWorker: { mode: 'pro', httpRetryCodes: [429] } });
    of.deploy({ name: 'f', template: fnTemplate('f', 0.1), errorRate: 1 });
    sim.run(10 * SECOND);
    const a = of.invokeAsync('f');
    sim.run();
    expect(a.attempts).toBe(1);
    expect(a.state).not.toBe(IN_FLIGHT);
  });
});

describe('autoscalers and idler (§b.3)', () => {
  it('CE: sustained 200s above 5 rps fire the alert; replicas step by ceil(5·10/100) = 1 up to 5, then back to min', () => {
    const { sim, of } = openfaas(9, { autoscaler: 'ce' });
    const fn = of.deploy({ name: 'f', template: fnTemplate('f', 0.01) });
    const stop = sim.every(50_000, () => { of.invoke('f'); }); // 20 rps
    sim.run(4 * MINUTE);
    stop();
    const ev = of.scaleEvents();
    expect(ev.length).toBeGreaterThan(0);
    // first: evaluations at 15 s (pending), 30 s (firing), notification at 35 s
    expect(ev[0]).toMatchObject({ time: 35 * SECOND, from: 1, to: 2, cause: 'firing' });
    expect(ev[1].time - ev[0].time).toBe(30 * SECOND); // repeat_interval
    expect(fn.replicas).toBe(5);
    sim.run(6 * MINUTE);
    expect(fn.replicas).toBe(1);
    expect(of.scaleEvents().at(-1)?.cause).toBe('resolved');
    for (const e of of.scaleEvents()) expect(e.to).toBeLessThanOrEqual(5);
  });

  it('Pro rps: desired = ceil(ready × rps/ready / (50 × 0.9)); 100 rps → 3 replicas', () => {
    const { sim, of } = openfaas(10, { autoscaler: 'pro' });
    const fn = of.deploy({ name: 'f', template: fnTemplate('f', 0.001) });
    sim.every(10_000, () => { of.invoke('f'); });
    sim.run(60 * SECOND);
    expect(fn.replicas).toBe(3);
  });

  it('idler: scales to zero after 3 m without calls (checked every 2 m), and the gateway brings it back', () => {
    const { sim, of } = openfaas(11, { idler: {} });
    const fn = of.deploy({ name: 'f', template: fnTemplate('f', 0.1), scaleToZero: true });
    const keep = of.deploy({ name: 'g', template: fnTemplate('g', 0.1) });
    of.invoke('f');
    sim.run(3 * MINUTE);
    expect(fn.replicas).toBe(1); // passes at 2 m: idle 2 m < 3 m
    sim.run(4 * MINUTE + 1);
    expect(fn.replicas).toBe(0); // pass at 4 m: idle 4 m ≥ 3 m
    expect(keep.replicas).toBe(1);
    const c = of.invoke('f');
    sim.run(5 * MINUTE);
    expect(c.state).toBe(COMPLETED);
    expect(c.coldStartWait).toBe(true);
  });
});
