/**
 * Kubernetes runtime: pod lifecycle and its timings, scheduling against allocatable with backoff
 * and retry, graceful termination (drain, grace expiry), OOM kills, Deployment scaling and victim
 * order, Pod.execute under a CFS quota, the HPA controller loop, and a no-overcommit property.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SECOND } from '../../../src/core/time.js';
import { Deployment } from '../../../src/platform/kubernetes/runtime/deployment.js';
import { HpaController } from '../../../src/platform/kubernetes/runtime/hpa-controller.js';
import type { Pod } from '../../../src/platform/kubernetes/runtime/pod.js';
import type { PodEndReason } from '../../../src/platform/kubernetes/runtime/types.js';
import { cluster, template } from './fixtures.js';

describe('pod lifecycle', () => {
  it('goes Pending → Starting → Ready with the cold-start phases, and Terminating → Terminated', () => {
    const { sim, kc } = cluster(1, [{ cores: 4 }]);
    const events: string[] = [];
    kc.onPodEvent = (e) => events.push(e.type);
    const pod = kc.createPod(template('a', { imageMB: 200 }));
    expect(pod.phase).toBe('Pending');
    sim.run(120 * SECOND);
    expect(pod.phase).toBe('Ready');
    const b = pod.coldStart!;
    // 200 MB at the registry's 100 MB/s per pull (slower than the 10 Gbit/s NIC) + 1 s extract at 200 MB/s ≥ 3 s
    expect(b.phases.imagePull).toBeGreaterThanOrEqual(3 * SECOND);
    expect(pod.readyAt - pod.scheduledAt).toBe(b.total);
    expect(pod.scheduledAt - pod.createdAt).toBeGreaterThanOrEqual(5000); // scheduling U(5, 50) ms
    kc.deletePod(pod);
    expect(pod.phase).toBe('Terminated'); // nothing held, no drain
    expect(events).toEqual(['created', 'scheduled', 'ready', 'terminating', 'ended']);
    expect(kc.nodeInfos[0].requested.cpu).toBe(0);
    expect(kc.nodes[0].memoryUsedBytes).toBe(0);
  });

  it('a second pod of the same image hits the cache', () => {
    const { sim, kc } = cluster(2, [{ cores: 4 }]);
    const a = kc.createPod(template('a', { imageMB: 500 }));
    sim.run(60 * SECOND);
    const b = kc.createPod(template('a', { imageMB: 500 }));
    sim.run(120 * SECOND);
    expect(a.coldStart!.cacheHit).toBe(false);
    expect(b.coldStart!.cacheHit).toBe(true);
    expect(b.coldStart!.total).toBeLessThan(a.coldStart!.total - 5 * SECOND);
  });

  it('an unschedulable pod backs off and is placed when capacity frees up', () => {
    const { sim, kc } = cluster(3, [{ cores: 2 }]);
    const big = kc.createPod(template('big', { cpuReq: 1500 }));
    const other = kc.createPod(template('other', { cpuReq: 1000 }));
    sim.run(30 * SECOND);
    expect(big.phase).toBe('Ready');
    expect(other.phase).toBe('Pending');
    expect(other.failedSchedulingAttempts).toBeGreaterThanOrEqual(3);
    expect(other.lastSchedulingMessage).toMatch(/0\/1 nodes are available: 1 Insufficient cpu/);
    kc.deletePod(big);
    sim.run(40 * SECOND);
    expect(other.phase).not.toBe('Pending');
  });

  it('graceful termination waits for held requests and the drain time, and kills at the grace period', () => {
    const { sim, kc } = cluster(4, [{ cores: 4 }]);
    const t = { ...template('g'), drainTime: 5 * SECOND, terminationGracePeriod: 20 * SECOND };
    const gone: PodEndReason[] = [];
    const p1 = kc.createPod(t, { onPodGone: (_p, r) => gone.push(r) });
    const p2 = kc.createPod(t, { onPodGone: (_p, r) => gone.push(r) });
    sim.run(60 * SECOND);
    p1.hold();
    p2.hold();
    kc.deletePod(p1);
    kc.deletePod(p2);
    expect(p1.phase).toBe('Terminating');
    sim.run(63 * SECOND);
    p1.release(); // before the drain ends: ends at the drain (65 s)
    sim.run(64 * SECOND);
    expect(p1.phase).toBe('Terminating');
    sim.run(66 * SECOND);
    expect(p1.phase).toBe('Terminated');
    expect(p1.endedAt).toBe(p1.terminatingAt + 5 * SECOND);
    sim.run(90 * SECOND); // p2 still holds a request at its grace period
    expect(p2.phase).toBe('Failed');
    expect(p2.endedAt).toBe(p2.terminatingAt + 20 * SECOND);
    expect(gone).toEqual(['terminated', 'grace-expired']);
  });

  it('OOM-kills a container above its memory limit, and the node kills the largest user when full', () => {
    const { sim, kc } = cluster(5, [{ cores: 8, memoryGB: 4 }]);
    const over = kc.createPod(template('over', { memReqGB: 0.5, memLimGB: 1, wsGB: 1.5 }));
    const a = kc.createPod(template('a', { memReqGB: 0.5, wsGB: 1 }));
    const b = kc.createPod(template('b', { memReqGB: 0.5, wsGB: 3.5 }));
    sim.run(60 * SECOND);
    expect(over.phase).toBe('Failed');
    expect(over.endReason).toBe('OOMKilled');
    expect([a.phase, b.phase].sort()).toEqual(['Failed', 'Ready']);
    const victim = a.phase === 'Failed' ? a : b;
    expect(victim.endReason).toBe('NodeOOM');
    expect(kc.nodes[0].memoryUsedBytes).toBeLessThanOrEqual(4e9);
  });
});

describe('Pod.execute on the node CPU', () => {
  it('1 core-s of work on 8 threads under a 1-CPU quota on an 8-core node takes 1 s of CPU and about 1 s wall', () => {
    const { sim, kc } = cluster(6, [{ cores: 8 }]);
    const pod = kc.createPod(template('w', { cpuLim: 1000, threads: 8, work: 1 }));
    sim.run(60 * SECOND);
    expect(pod.threads).toBe(8);
    let done = -1;
    const t0 = sim.now;
    pod.execute(() => { done = sim.now; }, undefined);
    sim.run(70 * SECOND);
    // quota 100 ms per 100 ms period; ends between 0.9 and 1.1 s depending on the period phase
    expect((done - t0) / SECOND).toBeGreaterThan(0.9);
    expect((done - t0) / SECOND).toBeLessThan(1.1);
    const st = pod.cpuGroup!.stats();
    expect(st.usageUs / SECOND).toBeCloseTo(1, 3);
    expect(st.nrThrottled).toBeGreaterThanOrEqual(9);
  });

  it('visible-cores workloads run as many threads as the node has cores; cpu-aware ones ceil(limit)', () => {
    const { sim, kc } = cluster(7, [{ cores: 8 }]);
    const t = template('v', { cpuLim: 2000 });
    const a = kc.createPod({ ...t, workload: { ...t.workload, threads: 'visible-cores' } });
    const b = kc.createPod({ ...t, name: 'c', workload: { ...t.workload, threads: 'cpu-aware' } });
    sim.run(60 * SECOND);
    expect(a.threads).toBe(8);
    expect(b.threads).toBe(2);
  });
});

describe('Deployment', () => {
  it('scales up, then down removing not-Ready and newest pods first', () => {
    const { sim, kc } = cluster(8, [{ cores: 16 }]);
    const d = new Deployment(kc, template('d'), { replicas: 2 });
    sim.run(60 * SECOND);
    expect(d.readyCount).toBe(2);
    d.setReplicas(4);
    sim.run(sim.now + 10_000); // the new pods are still Pending/Starting
    const ready = d.readyPods.slice();
    const newest = ready.reduce((a, b) => (b.createdAt > a.createdAt || (b.createdAt === a.createdAt && b.id > a.id) ? b : a));
    d.setReplicas(2);
    expect(new Set(d.pods)).toEqual(new Set(ready)); // the two not-Ready pods went first
    d.setReplicas(1);
    expect(d.pods.length).toBe(1);
    expect(d.pods[0]).not.toBe(newest); // then the newest Ready pod
    sim.run(120 * SECOND);
    expect(d.readyCount).toBe(1);
  });

  it('replaces a failed pod after the restart backoff', () => {
    const { sim, kc } = cluster(9, [{ cores: 8 }]);
    const d = new Deployment(kc, template('oom', { memLimGB: 1, wsGB: 2 }), { replicas: 1 });
    sim.run(100 * SECOND);
    expect(d.created).toBeGreaterThanOrEqual(3); // keeps replacing the OOM-killed pod
    expect(d.readyCount).toBe(0);
  });
});

describe('HPA controller', () => {
  it('scales a CPU-bound deployment up towards the target utilisation', () => {
    const { sim, kc } = cluster(10, [{ cores: 16 }]);
    const d = new Deployment(kc, template('h', { cpuReq: 500, cpuLim: 1000, work: 0.5 }), { replicas: 1 });
    const hpa = new HpaController(sim, d, { maxReplicas: 6, targetCpuUtilization: 50 });
    hpa.start();
    // keep every Ready pod busy: each runs back-to-back requests (1 core at its limit = 200 % of request)
    const keepBusy = (p: Pod): void => { if (p.isReady) p.execute(keepBusy, p); };
    kc.onPodEvent = (e) => { if (e.type === 'ready') keepBusy(e.pod); };
    sim.run(300 * SECOND);
    expect(d.replicas).toBe(6);
    expect(hpa.history.some((h) => h.desired > h.current)).toBe(true);
  });
});

describe('no overcommit', () => {
  it('bound pods never exceed node allocatable cpu, memory or pod slots', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 1e6 }),
      fc.array(fc.record({ cores: fc.integer({ min: 1, max: 8 }), memoryGB: fc.integer({ min: 1, max: 8 }) }), { minLength: 1, maxLength: 4 }),
      fc.array(fc.record({ cpu: fc.integer({ min: 0, max: 4000 }), mem: fc.double({ min: 0, max: 4, noNaN: true }), del: fc.boolean() }), { minLength: 1, maxLength: 30 }),
      (seed, nodes, pods) => {
        const { sim, kc } = cluster(seed, nodes);
        let bad = '';
        kc.onPodEvent = () => {
          for (const ni of kc.nodeInfos) {
            if ((ni.requested.cpu ?? 0) > ni.node.allocatable.cpu || (ni.requested.memory ?? 0) > ni.node.allocatable.memory) bad = `${ni.node.name} overcommitted`;
          }
        };
        const made = pods.map((p, i) => kc.createPod(template(`p${i}`, { cpuReq: p.cpu, memReqGB: p.mem, wsGB: 0 })));
        sim.run(30 * SECOND);
        pods.forEach((p, i) => { if (p.del) kc.deletePod(made[i]); });
        sim.run(90 * SECOND);
        expect(bad).toBe('');
      },
    ), { numRuns: 40, seed: 99 });
  });
});
