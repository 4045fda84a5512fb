/**
 * LocalBackend smoke test (a few seconds): real worker processes under real cgroup CPU quotas,
 * requests over the HTTP front on 127.0.0.1, throttling counters read from cpu.stat, in-place
 * resize, and cleanup of processes and cgroups. Skips with the reason where cgroup CPU quotas
 * are not writable (not root, no cgroup cpu controller).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { MS, SECOND } from '../../src/core/time.js';
import { LocalBackend } from '../../src/backend/local/local-backend.js';
import { parseInvokeBody } from '../../src/backend/local/http-front.js';
import { parseCpuStat } from '../../src/backend/local/cgroup.js';
import { runUntil } from '../../src/backend/traffic.js';

const skip = LocalBackend.probe();
const open: LocalBackend[] = [];
afterAll(async () => {
  for (const b of open) await b.close();
});

describe('cpu.stat and request parsing', () => {
  it('parses v1 and v2 cpu.stat', () => {
    expect(parseCpuStat('v1', 'nr_periods 12\nnr_throttled 5\nthrottled_time 250000000\nnr_bursts 0\n', '123456000\n'))
      .toEqual({ usageUs: 123456, nrPeriods: 12, nrThrottled: 5, throttledUs: 250000 });
    expect(parseCpuStat('v2', 'usage_usec 900\nuser_usec 800\nsystem_usec 100\nnr_periods 3\nnr_throttled 1\nthrottled_usec 4000\n'))
      .toEqual({ usageUs: 900, nrPeriods: 3, nrThrottled: 1, throttledUs: 4000 });
  });
  it('checks invocation bodies', () => {
    expect(parseInvokeBody('{"workCoreUs": 5000, "features": [1, 2]}')).toEqual({ workCoreUs: 5000, features: [1, 2], prediction: undefined });
    expect(parseInvokeBody('{"workCoreUs": -1}')).toMatch(/workCoreUs: expected a finite number ≥ 0/);
    expect(parseInvokeBody('[1]')).toMatch(/expected a JSON object body/);
    expect(parseInvokeBody('{"workCoreUs": 1, "features": ["a"]}')).toMatch(/features: expected an array of numbers/);
  });
});

describe.skipIf(skip !== null)(`LocalBackend on real cgroups${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('serves requests under a quota, counts throttling, resizes in place and cleans up', async () => {
    const b = await LocalBackend.start({ functions: [{ name: 'f', replicas: 1, threads: 2, cpuLimitMilli: 250, containerConcurrency: 1 }] });
    open.push(b);
    expect(b.itersPerUs).toBeGreaterThan(0);
    const pod0 = b.observe().pods[0];
    expect(pod0.phase).toBe('Ready');
    expect(pod0.cpuLimitMilli).toBe(250);
    const groupDir = `/sys/fs/cgroup/cpu/servesim-local-${process.pid}-`;
    // 4 requests of 60 ms CPU on 2 threads under 0.25 CPU: ≥ 60/25 periods each ⇒ throttled
    for (let i = 0; i < 4; i++) b.send('f', { workCoreUs: 60 * MS, features: [i] });
    expect(await runUntil(b, () => b.observe().functions[0].completed === 4, 10 * SECOND)).toBe(true);
    const recs = b.requests(0).items;
    expect(recs.every((r) => r.ok && r.pod === pod0.name)).toBe(true);
    // 240 ms of CPU at ≤ 0.25 CPU takes ≥ ~0.9 s of wall time (a period's slack either way)
    expect(recs[3].end - recs[0].start).toBeGreaterThan(800 * MS);
    const cpu = b.observe().pods[0].cpu;
    expect(cpu.nrThrottled).toBeGreaterThanOrEqual(4);
    expect(cpu.throttledUs).toBeGreaterThan(0);
    expect(cpu.usageUs).toBeGreaterThan(200 * MS);
    expect(b.inferenceRecords(0).items.map((e) => e.record.features[0])).toEqual([0, 1, 2, 3]);
    // in-place resize to no limit: the next request is not throttled
    b.setCpuLimit('f', null);
    const before = b.observe().pods[0].cpu.nrThrottled;
    b.send('f', { workCoreUs: 40 * MS });
    expect(await runUntil(b, () => b.observe().functions[0].completed === 5, 5 * SECOND)).toBe(true);
    expect(b.observe().pods[0].cpu.nrThrottled).toBe(before);
    // scale to 2: a second worker process in its own cgroup
    b.scale('f', 2);
    expect(await runUntil(b, () => b.observe().functions[0].readyReplicas === 2, 10 * SECOND)).toBe(true);
    const dirs = readdirSync('/sys/fs/cgroup/cpu').filter((d) => d.startsWith(`servesim-local-${process.pid}-`));
    expect(dirs.length).toBe(1);
    expect(readdirSync(`/sys/fs/cgroup/cpu/${dirs[0]}`).filter((d) => d.startsWith('f-')).length).toBe(2);
    await b.close();
    expect(existsSync(`/sys/fs/cgroup/cpu/${dirs[0]}`)).toBe(false);
    expect(readdirSync('/sys/fs/cgroup/cpu').some((d) => d.startsWith(groupDir.slice('/sys/fs/cgroup/cpu/'.length)))).toBe(false);
  }, 30_000);
});
