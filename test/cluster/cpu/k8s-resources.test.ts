import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  milliCpuToShares, milliCpuToQuota, sharesToWeightLinear, sharesToWeightLog, qosClass, cgroupCpuSettings,
  NO_QUOTA, MAX_SHARES,
} from '../../../src/cluster/k8s-resources.js';

describe('milliCpuToShares (kubelet, platform-semantics §d.2)', () => {
  it('maps requests to shares with min 2 and max 262144', () => {
    expect(milliCpuToShares(0)).toBe(2); // BestEffort
    expect(milliCpuToShares(1)).toBe(2); // 1.024 → 1 → clamped to 2
    expect(milliCpuToShares(250)).toBe(256);
    expect(milliCpuToShares(1000)).toBe(1024);
    expect(milliCpuToShares(1500)).toBe(1536);
    expect(milliCpuToShares(300_000)).toBe(MAX_SHARES);
  });
  it('rejects fractional or negative milliCPU with a clear error', () => {
    expect(() => milliCpuToShares(-1)).toThrow(/non-negative integer milliCPU.*found -1/);
    expect(() => milliCpuToShares(0.5)).toThrow(/found 0.5/);
  });
});

describe('milliCpuToQuota (kubelet)', () => {
  it('maps limits to quota µs per 100 ms period, min 1 ms, none → -1', () => {
    expect(milliCpuToQuota(500)).toBe(50_000);
    expect(milliCpuToQuota(1000)).toBe(100_000);
    expect(milliCpuToQuota(8000)).toBe(800_000);
    expect(milliCpuToQuota(130)).toBe(13_000); // kubernetes-mixin#108 example, §d.3
    expect(milliCpuToQuota(5)).toBe(1000);
    expect(milliCpuToQuota(undefined)).toBe(NO_QUOTA);
    expect(milliCpuToQuota(0)).toBe(NO_QUOTA);
    expect(milliCpuToQuota(1000, 10_000)).toBe(10_000);
  });
  it('rejects periods outside [1 ms, 1 s]', () => {
    expect(() => milliCpuToQuota(1000, 500)).toThrow(/CFS period.*found 500/);
  });
});

describe('shares → cgroup v2 weight (runc)', () => {
  it('linear map: 1024 ⇒ 39, 2 ⇒ 1, 262144 ⇒ 10000, 256 ⇒ 10', () => {
    expect(sharesToWeightLinear(1024)).toBe(39);
    expect(sharesToWeightLinear(2)).toBe(1);
    expect(sharesToWeightLinear(262144)).toBe(10000);
    expect(sharesToWeightLinear(256)).toBe(10); // 1 + floor(254·9999/262142) = 1 + 9
    expect(sharesToWeightLinear(0)).toBe(0);
  });
  it('log-quadratic map: 1024 ⇒ 100, 2 ⇒ 1, 262144 ⇒ 10000, 256 ⇒ 35', () => {
    expect(sharesToWeightLog(1024)).toBe(100);
    expect(sharesToWeightLog(2)).toBe(1);
    expect(sharesToWeightLog(262144)).toBe(10000);
    // l = 8: (64 + 1000)/612 − 7/34 = 1.53268 → 10^1.53268 = 34.09 → 35
    expect(sharesToWeightLog(256)).toBe(35);
    expect(sharesToWeightLog(0)).toBe(0);
  });
  it('both maps are monotone and stay in [1, 10000]', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 262143 }), (s) => {
      for (const f of [sharesToWeightLinear, sharesToWeightLog]) {
        const w = f(s);
        expect(w).toBeGreaterThanOrEqual(1);
        expect(w).toBeLessThanOrEqual(10000);
        expect(f(s + 1)).toBeGreaterThanOrEqual(w);
      }
    }));
  });
});

describe('qosClass', () => {
  const GB = 2 ** 30;
  it('classifies BestEffort, Burstable and Guaranteed', () => {
    expect(qosClass([{}])).toBe('BestEffort');
    expect(qosClass([{ cpuRequestMilli: 0 }])).toBe('BestEffort');
    // study 1 model A: request 0.25, limit 1, memory 2–10 GB → Burstable (CT1-17)
    expect(qosClass([{ cpuRequestMilli: 250, cpuLimitMilli: 1000, memoryRequestBytes: 2 * GB, memoryLimitBytes: 10 * GB }])).toBe('Burstable');
    expect(qosClass([{ cpuLimitMilli: 1000, memoryLimitBytes: GB }])).toBe('Guaranteed');
    expect(qosClass([{ cpuRequestMilli: 1000, cpuLimitMilli: 1000, memoryRequestBytes: GB, memoryLimitBytes: GB }])).toBe('Guaranteed');
    expect(qosClass([{ cpuLimitMilli: 1000, memoryLimitBytes: GB }, {}])).toBe('Burstable');
    expect(qosClass([{ cpuLimitMilli: 1000 }])).toBe('Burstable');
  });
  it('names the bad field', () => {
    expect(() => qosClass([{}, { cpuLimitMilli: -3 }])).toThrow(/containers\[1\]\.cpuLimitMilli.*found -3/);
    expect(() => qosClass([])).toThrow(/at least one container/);
  });
});

describe('cgroupCpuSettings', () => {
  it('request 250m, limit 1 → shares 256, quota 100 ms', () => {
    expect(cgroupCpuSettings(250, 1000)).toEqual({ shares: 256, weight: 35, quotaUs: 100_000, periodUs: 100_000 });
    expect(cgroupCpuSettings(250, 1000, { weightMap: 'linear' }).weight).toBe(10);
    expect(cgroupCpuSettings(undefined, 2000).shares).toBe(2048); // request defaults to the limit
    expect(cgroupCpuSettings(undefined, undefined).quotaUs).toBe(NO_QUOTA);
  });
});
