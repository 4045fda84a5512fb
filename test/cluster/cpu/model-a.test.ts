/**
 * Study 1 Exp. 2 (vertical scaling) on the CPU model: Model A's calibrated profile
 * (models/workloads/model-a.yaml) under CPU limits 0.5/1/2/4/8 on the dedicated 8-core node,
 * one request at a time, must land within CT1-1…CT1-5 (±10 %) and satisfy CT1-6…CT1-11
 * (calibration-targets.md study 1). Prints simulated vs reported.
 */
import { describe, it, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadWorkloadProfile, workloadProfileFrom } from '../../../src/cluster/cpu/workload-profile.js';
import { barrierWaste, parallelOverhead, serverThreads } from '../../../src/cluster/cpu/parallel-overhead.js';
import { meanDuration, STUDY1_DEDICATED } from './model-a-harness.js';

const PROFILE = fileURLToPath(new URL('../../../models/workloads/model-a.yaml', import.meta.url));
const LIMITS = [0.5, 1, 2, 4, 8];
const REPORTED = [6.507, 1.891, 0.778, 0.283, 0.148]; // CT1-1…CT1-5, s

describe('Model A vertical scaling (study 1, CT1-1…CT1-11)', () => {
  const profile = loadWorkloadProfile(PROFILE);
  const sim = LIMITS.map((l) => meanDuration(profile, l, STUDY1_DEDICATED));
  const relPerf = (i: number): number => sim[1] / (sim[i] * LIMITS[i]);
  const rows: string[] = ['', 'Model A, dedicated node (8 cores, daemons 0.15 cores), T = 8 threads, 60 requests back to back', 'id     quantity                 simulated   reported   error    tolerance'];
  const line = (id: string, q: string, s: number, r: number, tol: string): void => {
    rows.push(`${id.padEnd(6)} ${q.padEnd(24)} ${s.toFixed(3).padStart(9)} ${r.toFixed(3).padStart(10)} ${((s / r - 1) * 100).toFixed(1).padStart(6)}%   ${tol}`);
  };
  LIMITS.forEach((l, i) => line(`CT1-${i + 1}`, `mean duration @${l} CPU`, sim[i], REPORTED[i], '±10%'));
  line('CT1-6', 'speed-up 1→4', sim[1] / sim[3], 6.69, '±15%');
  line('CT1-7', 'relPerf(4)', relPerf(3), 1.67, '1.51–1.84');
  line('CT1-8', 'relPerf(2)', relPerf(2), 1.22, '1 < rp(2) < rp(4)');
  line('CT1-9', 'relPerf(8)/relPerf(4)', relPerf(4) / relPerf(3), 0.953, '0.85 ≤ x < 1');
  line('CT1-11', 'relPerf(0.5)', relPerf(0), 0.58, '±15%');
  console.log(rows.join('\n'));

  it('CT1-1…CT1-5: mean duration per limit within ±10 %', () => {
    LIMITS.forEach((_, i) => expect(Math.abs(sim[i] / REPORTED[i] - 1), `limit ${LIMITS[i]}`).toBeLessThanOrEqual(0.10));
  });
  it('CT1-6: speed-up 1 → 4 cores 6.69 ± 15 %', () => {
    expect(sim[1] / sim[3]).toBeGreaterThanOrEqual(5.69);
    expect(sim[1] / sim[3]).toBeLessThanOrEqual(7.69);
  });
  it('CT1-7: relPerf(4) within 1.51–1.84', () => {
    expect(relPerf(3)).toBeGreaterThanOrEqual(1.51);
    expect(relPerf(3)).toBeLessThanOrEqual(1.84);
  });
  it('CT1-8: per-core performance rises up to 4 cores', () => {
    expect(relPerf(2)).toBeGreaterThan(1);
    expect(relPerf(3)).toBeGreaterThan(relPerf(2));
  });
  it('CT1-9: small per-core drop 4 → 8 cores (0.85 ≤ ratio < 1)', () => {
    const r = relPerf(4) / relPerf(3);
    expect(r).toBeLessThan(1);
    expect(r).toBeGreaterThanOrEqual(0.85);
  });
  it('CT1-10: mean duration strictly decreasing in the limit', () => {
    for (let i = 1; i < sim.length; i++) expect(sim[i]).toBeLessThan(sim[i - 1]);
  });
  it('CT1-11: relPerf(0.5) = 0.58 ± 15 %', () => {
    expect(Math.abs(relPerf(0) / 0.58 - 1)).toBeLessThanOrEqual(0.15);
  });

  it('stays sane on a 32-core generic node (T = 32)', () => {
    const generic = { cores: 32, daemonCores: 0.15, requests: 20, seed: 2 };
    const lims = [0.5, 1, 2, 4, 8, 16, 32];
    const d = lims.map((l) => meanDuration(profile, l, generic));
    console.log(['', 'Model A on an idle 32-core node (T = 32): limit → mean duration (s), CPU overhead',
      ...lims.map((l, i) => `  ${String(l).padStart(4)} CPU  ${d[i].toFixed(3).padStart(7)} s   overhead ${(parallelOverhead(32, l, profile.overhead) * 100).toFixed(0)}%`)].join('\n'));
    for (let i = 1; i < d.length; i++) expect(d[i]).toBeLessThan(d[i - 1]);
    // overhead → 0 as the limit → T (none above T/2^d, about T/2); bounded overhead below
    expect(parallelOverhead(32, 32, profile.overhead)).toBe(0);
    expect(parallelOverhead(32, 32 / 2 ** profile.overhead.d, profile.overhead)).toBeCloseTo(0, 12);
    expect(parallelOverhead(32, 16, profile.overhead)).toBeLessThan(0.01);
    expect(barrierWaste(32, 0.5, profile.overhead)).toBeLessThanOrEqual(profile.overhead.maxWaste);
    // duration never exceeds useful work at the limit divided by (1 − maxWaste)
    lims.forEach((l, i) => expect(d[i]).toBeLessThanOrEqual((profile.usefulWorkCoreUs / 1e6) / l / (1 - profile.overhead.maxWaste) * 1.01));
    // more visible cores at the same limit costs more (more threads per core of quota)
    expect(d[1]).toBeGreaterThan(sim[1]);
  });

  it('CPU-aware servers run ceil(limit) threads and pay no overhead', () => {
    expect(serverThreads(8, 0.5, true)).toBe(1);
    expect(serverThreads(8, 2, true)).toBe(2);
    expect(serverThreads(8, 1.5, true)).toBe(2);
    expect(serverThreads(8, 2, false)).toBe(8);
    expect(barrierWaste(serverThreads(32, 4, true), 4, profile.overhead)).toBe(0);
  });

  it('a profile without provenance or with bad values is rejected with the path', () => {
    const base = { name: 'x', threads: 'visible-cores', usefulWorkCoreSeconds: { value: 1, fittedTo: 'CT' },
      parallelOverhead: { model: 'barrier-waste-log2', c: { value: 0.2, fittedTo: 'CT' }, d: { value: 1, fittedTo: 'CT' }, maxWaste: { value: 0.8, assumption: 'a' } } };
    expect(() => workloadProfileFrom({ ...base, usefulWorkCoreSeconds: { value: 1 } }, 'f.yaml')).toThrow(/f\.yaml.*usefulWorkCoreSeconds.*provenance/s);
    expect(() => workloadProfileFrom({ ...base, parallelOverhead: { ...base.parallelOverhead, maxWaste: { value: 1, source: 's' } } }, 'f.yaml'))
      .toThrow(/f\.yaml: parallelOverhead\.maxWaste\.value: expected a fraction in \[0, 1\), found 1/);
    expect(workloadProfileFrom(base, 'f.yaml').usefulWorkCoreUs).toBe(1e6);
  });
});
