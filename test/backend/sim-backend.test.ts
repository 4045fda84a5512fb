/**
 * The ClusterBackend contract on SimBackend: scale, move (node affinity rollout), in-place CPU
 * limits, observation of pods/nodes/functions, request records and inference records with
 * cursors, bad input named, and the CPU work of a request under a quota against hand-computed
 * CFS arithmetic.
 */
import { describe, expect, it } from 'vitest';
import { MS, SECOND } from '../../src/core/time.js';
import { BackendError } from '../../src/backend/cluster-backend.js';
import { runUntil } from '../../src/backend/traffic.js';
import { simBackend } from './helpers.js';

const ready = (b: ReturnType<typeof simBackend>, fn: string) => b.observe().functions.find((f) => f.name === fn)!.readyReplicas;

describe('SimBackend contract', () => {
  it('scales up and down, pods reach Ready on the runtime, victims are the newest', async () => {
    const b = simBackend(1, [4], [{ name: 'f', replicas: 1, threads: 1, cpuLimitMilli: 1000 }]);
    expect(await runUntil(b, () => ready(b, 'f') === 1, 30 * SECOND)).toBe(true);
    b.scale('f', 3);
    expect(b.observe().functions[0].replicas).toBe(3);
    expect(await runUntil(b, () => ready(b, 'f') === 3, 30 * SECOND)).toBe(true);
    const pods = b.observe().pods;
    expect(pods.map((p) => p.phase)).toEqual(['Ready', 'Ready', 'Ready']);
    expect(pods.every((p) => p.node === 'n0' && p.cpuLimitMilli === 1000)).toBe(true);
    const first = pods[0].name;
    b.scale('f', 1);
    await b.runFor(1 * SECOND);
    const left = b.observe().pods;
    expect(left.map((p) => p.name)).toEqual([first]);
    expect(b.observe().nodes[0].requestedMilliCpu).toBe(1000);
  });

  it('place moves the function: new pods on the target node, old ones drained after they are Ready', async () => {
    const b = simBackend(2, [2, 2], [{ name: 'f', replicas: 2, threads: 1, node: 'n0' }]);
    await runUntil(b, () => ready(b, 'f') === 2, 30 * SECOND);
    expect(b.observe().pods.every((p) => p.node === 'n0')).toBe(true);
    b.place('f', 'n1');
    // during the rollout the old pods keep serving
    expect(b.observe().pods.filter((p) => p.phase === 'Ready').length).toBe(2);
    expect(await runUntil(b, () => b.observe().pods.every((p) => p.node === 'n1' && p.phase === 'Ready') && b.observe().pods.length === 2, 60 * SECOND)).toBe(true);
    expect(b.observe().functions[0].node).toBe('n1');
  });

  it('setCpuLimit resizes running pods in place: a request of 140 ms CPU on 1 thread under 0.5 CPU takes 240 ms', async () => {
    const b = simBackend(3, [4], [{ name: 'f', replicas: 1, threads: 1 }]);
    await runUntil(b, () => ready(b, 'f') === 1, 30 * SECOND);
    b.setCpuLimit('f', 500);
    const pod = b.observe().pods[0];
    expect(pod.cpuLimitMilli).toBe(500);
    // CFS periods of the pod's cgroup start when it became Ready: send at a period boundary;
    // 140 ms at 1 core under 50 ms/100 ms: run 50, throttled 50, run 50, throttled 50, run 40 ⇒ 240 ms
    const since = b.now() - pod.readyAt;
    b.after((100 * MS - (since % (100 * MS))) % (100 * MS), () => b.send('f', { workCoreUs: 140 * MS, features: [1, 2], prediction: 0 }));
    await b.runFor(1 * SECOND);
    const { items, cursor } = b.requests(0);
    expect(items.length).toBe(1);
    expect(items[0].ok).toBe(true);
    expect(items[0].end - items[0].start).toBe(240 * MS);
    const cpu = b.observe().pods[0].cpu;
    expect(cpu.nrThrottled).toBe(2);
    expect(cpu.usageUs).toBeCloseTo(140 * MS, -1);
    expect(b.requests(cursor).items.length).toBe(0);
    const inf = b.inferenceRecords(0);
    expect(inf.items[0].record.features).toEqual([1, 2]);
    expect(inf.items[0].arrivalTime).toBe(items[0].end);
  });

  it('queues beyond containerConcurrency and serves FIFO', async () => {
    const b = simBackend(4, [4], [{ name: 'f', replicas: 1, threads: 1, containerConcurrency: 1, queueLimit: 2 }]);
    await runUntil(b, () => ready(b, 'f') === 1, 30 * SECOND);
    for (let i = 0; i < 4; i++) b.send('f', { workCoreUs: 10 * MS });
    expect(b.observe().functions[0].queued).toBe(2);
    await b.runFor(1 * SECOND);
    const items = b.requests(0).items;
    expect(items.map((r) => r.ok)).toEqual([false, true, true, true]); // the 4th was refused at once
    expect(items[0].error).toBe('queue full');
    const okEnds = items.filter((r) => r.ok).map((r) => r.end - items[1].arrival);
    expect(okEnds).toEqual([10 * MS, 20 * MS, 30 * MS]);
  });

  it('every/after run on simulated time', async () => {
    const b = simBackend(5, [1], [{ name: 'f', replicas: 0, threads: 1 }]);
    const ticks: number[] = [];
    const stop = b.every(100 * MS, (now) => ticks.push(now));
    b.after(250 * MS, (now) => ticks.push(-now));
    await b.runFor(350 * MS);
    stop();
    await b.runFor(1 * SECOND);
    expect(ticks).toEqual([100 * MS, 200 * MS, -250 * MS, 300 * MS]);
  });

  it('names bad input', () => {
    const b = simBackend(6, [1], [{ name: 'f', replicas: 0, threads: 1 }]);
    expect(() => b.scale('g', 1)).toThrow(/expected one of the functions "f", found "g"/);
    expect(() => b.scale('f', -1)).toThrow(BackendError);
    expect(() => b.place('f', 'nx')).toThrow(/expected one of the nodes "n0", found "nx"/);
    expect(() => b.setCpuLimit('f', 1.5)).toThrow(/positive integer of millicores/);
    expect(() => simBackend(1, [1], [{ name: 'F', replicas: 0, threads: 1 }])).toThrow(/functions\[0\]\.name: expected a DNS label/);
  });
});
