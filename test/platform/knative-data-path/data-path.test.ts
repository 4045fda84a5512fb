/**
 * Knative data path unit tests (platform-semantics.md §a): queue-proxy stats count queued
 * requests; activator FIFO hand-off one request per pod at CC 1; the first-request poke scales
 * 0 → 1 at once; queue-proxy overflow, activator overflow, timeouts and lost pods end requests
 * with their reasons; scale-to-zero after stable window + retention.
 */
import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/core/time.js';
import { KnativeRevision } from '../../../src/platform/knative/data-path/revision.js';
import { QueueProxy } from '../../../src/platform/knative/data-path/queue-proxy.js';
import { KnRequest } from '../../../src/platform/knative/data-path/request.js';
import type { Pod } from '../../../src/platform/kubernetes/runtime/pod.js';
import { validateAutoscalerConfig } from '../../../src/platform/knative/config.js';
import { cluster, template } from '../runtime/fixtures.js';

function rev(seed: number, o: { cc: number; work: number; maxScale?: number; tbc?: string; timeoutS?: number; depth?: number; retentionS?: number; lim?: number }) {
  const { sim, kc } = cluster(seed, [{ cores: 8 }]);
  const ann: Record<string, string> = { 'autoscaling.knative.dev/target-burst-capacity': o.tbc ?? '211' };
  if (o.maxScale) ann['autoscaling.knative.dev/max-scale'] = String(o.maxScale);
  const r = new KnativeRevision(kc, {
    name: 's', template: template('s', { cpuLim: o.lim ?? 1000, work: o.work }), containerConcurrency: o.cc, annotations: ann,
    timeout: (o.timeoutS ?? 300) * SECOND, activatorQueueDepth: o.depth, startAtZero: true,
    config: validateAutoscalerConfig({ scaleToZeroPodRetentionPeriod: (o.retentionS ?? 0) * SECOND }),
  });
  const ended: KnRequest[] = [];
  const send = (n: number): KnRequest[] => Array.from({ length: n }, (_, i) => r.submit(i, (x) => ended.push(x)));
  return { sim, kc, r, ended, send };
}

describe('queue-proxy', () => {
  it('counts requests waiting in its breaker queue in the time-weighted concurrency', () => {
    const { sim, kc } = cluster(1, [{ cores: 4 }]);
    const pod = kc.createPod(template('q', { work: 0.5 }));
    sim.run(60 * SECOND);
    const done: KnRequest[] = [];
    const host = { now: 0, serviceDone: (x: KnRequest) => done.push(x), overflow: () => { throw new Error('overflow'); } };
    Object.defineProperty(host, 'now', { get: () => sim.now });
    const qp = new QueueProxy(pod as Pod, 1, host, sim.now);
    const start = sim.now;
    const mk = (i: number): KnRequest => new KnRequest(i, sim.now, Infinity, null, i);
    qp.enter(mk(0));
    qp.enter(mk(1)); // queued behind the first (CC 1)
    expect(qp.executing).toBe(1);
    expect(qp.waiting).toBe(1);
    sim.run(start + SECOND); // both requests of 0.5 s run back to back: concurrency 2 for 0.5 s, 1 for 0.5 s
    qp.report(sim.now, start);
    expect(done.length).toBe(2);
    expect(qp.avgConcurrency).toBeCloseTo(1.5, 2);
    expect(qp.reportedRequests).toBe(2);
  });
});

describe('activator and revision', () => {
  it('scales from zero on the first request and hands requests to the pod one at a time in FIFO order (CC 1, max scale 1)', () => {
    const { sim, r, ended, send } = rev(2, { cc: 1, work: 0.2, maxScale: 1 });
    sim.run(10 * SECOND);
    expect(r.deployment.replicas).toBe(0);
    send(8);
    expect(r.deployment.replicas).toBe(1); // the poke ticks at once
    expect(r.activator.waiting).toBe(8);
    sim.run(120 * SECOND);
    expect(ended.length).toBe(8);
    const byStart = ended.slice().sort((a, b) => a.serviceStart - b.serviceStart);
    for (let i = 1; i < byStart.length; i++) {
      expect(byStart[i].serviceStart).toBeGreaterThanOrEqual(byStart[i - 1].serviceEnd);
      expect(byStart[i].id).toBeGreaterThan(byStart[i - 1].id);
    }
    const pod = byStart[0].pod!;
    expect(byStart[0].serviceStart).toBeGreaterThanOrEqual(pod.readyAt);
    expect(byStart[0].serviceStart - pod.readyAt).toBeLessThanOrEqual(0.2 * SECOND); // activator probe 0–200 ms
    expect(ended.every((x) => x.coldStartWait && x.proxied)).toBe(true);
  });

  it('rejects with activator-queue-full beyond queue depth + capacity', () => {
    const { sim, r, ended, send } = rev(3, { cc: 1, work: 0.2, maxScale: 1, depth: 5 });
    send(8);
    expect(ended.filter((x) => x.reason === 'activator-queue-full').length).toBe(3);
    sim.run(100 * SECOND);
    expect(r.counters.completed).toBe(5);
  });

  it('rejects requests not answered within the revision timeout', () => {
    const { sim, r, ended, send } = rev(4, { cc: 1, work: 2, maxScale: 1, timeoutS: 10 });
    send(10);
    sim.run(100 * SECOND);
    const timedOut = ended.filter((x) => x.reason === 'timeout');
    expect(timedOut.length).toBeGreaterThan(0);
    for (const x of timedOut) expect(x.end - x.arrival).toBe(10 * SECOND);
    expect(r.counters.completed + timedOut.length).toBe(10);
  });

  it('with the activator out of the path (TBC 0) a full queue-proxy breaker rejects with queue-proxy-full', () => {
    const { sim, r, ended, send } = rev(5, { cc: 1, work: 1, maxScale: 1, tbc: '0' });
    send(1);
    sim.run(60 * SECOND);
    expect(r.mode).toBe('Serve');
    send(15); // 1 executing + 10 queued (10 × CC) + 4 rejected
    expect(ended.filter((x) => x.reason === 'queue-proxy-full').length).toBe(4);
    sim.run(120 * SECOND);
    expect(r.counters.completed).toBe(12);
  });

  it('fails the requests of a pod killed at its grace period with pod-lost, and the ReplicaSet replaces the pod', () => {
    const { sim, kc } = cluster(6, [{ cores: 8 }]);
    const r = new KnativeRevision(kc, {
      name: 's', template: { ...template('s', { cpuLim: 1000, work: 50 }), terminationGracePeriod: 5 * SECOND, drainTime: 0 },
      containerConcurrency: 2, annotations: { 'autoscaling.knative.dev/max-scale': '1' }, startAtZero: true,
    });
    const ended: KnRequest[] = [];
    for (let i = 0; i < 3; i++) r.submit(i, (x) => ended.push(x));
    sim.run(60 * SECOND);
    const pod = r.deployment.readyPods[0];
    expect(r.activator.inflight).toBe(2); // CC 2: two on the pod, one waits in the activator
    kc.deletePod(pod);
    sim.run(66 * SECOND);
    expect(pod.phase).toBe('Failed');
    expect(pod.endReason).toBe('grace-expired');
    expect(ended.filter((x) => x.reason === 'pod-lost').length).toBe(2);
    sim.run(200 * SECOND);
    expect(r.deployment.created).toBe(2);
    expect(ended.length).toBe(3);
    expect(ended.filter((x) => x.state === 1).length).toBe(1); // the queued one ran on the replacement
  });

  it('removes the last pod stable window + retention after the last request', () => {
    for (const retentionS of [0, 50]) {
      const { sim, r, ended, send } = rev(7, { cc: 1, work: 0.1, maxScale: 1, retentionS });
      send(1);
      sim.run(30 * SECOND);
      expect(ended.length).toBe(1);
      const last = ended[0].end;
      let zeroAt = -1;
      while (sim.now < 400 * SECOND && zeroAt < 0) {
        sim.run(sim.now + 100_000);
        if (r.readyPods === 0) zeroAt = sim.now;
      }
      const idle = (zeroAt - last) / SECOND;
      // the decider says 0 about 60–63 s after the last request; then max(grace 30 s, retention) once inactive,
      // or at once when the activator has proxied for ≥ 30 s already (it always has at CC 1)
      const lo = retentionS === 0 ? 60 : 110;
      expect(idle).toBeGreaterThan(lo);
      expect(idle).toBeLessThan(lo + 6);
    }
  });
});
