/**
 * servesim compare: the latency comparison against hand-computed values, the arrival plan's
 * determinism and substreams, the compare kind's validation, the CLI refusing other kinds and the
 * simulated half under servesim run (the end-to-end run on both backends is in
 * compare.realtime.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { compareLatencies, relativeError } from '../../src/backend/compare/latency-comparison.js';
import { comparePlan, compareSchema } from '../../src/backend/compare/compare-kind.js';
import { loadScenario } from '../../src/scenario/load.js';
import { main } from '../../src/cli/main.js';
import { runScenario } from '../../src/experiment/run.js';
import { SECOND } from '../../src/core/time.js';
import { captureIO } from '../cli/io.js';

describe('latency comparison', () => {
  it('type-7 percentiles, relative error and KS distance by hand', () => {
    // measured 1..10; simulated 2..11: p50 5.5 vs 6.5; p95 = 1 + 0.95·9 = 9.55 vs 10.55
    const measured = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    const simulated = measured.map((x) => x + 1);
    const c = compareLatencies(simulated, measured);
    expect(c.rows[0]).toEqual({ p: 0.5, simulated: 6.5, measured: 5.5, relativeError: 6.5 / 5.5 - 1 });
    expect(c.rows[1].measured).toBeCloseTo(9.55, 12);
    expect(c.rows[2].simulated).toBeCloseTo(10.91, 12);
    expect(c.ks).toBeCloseTo(0.1, 12); // the CDFs differ by one step of 1/10
    expect(c.simulatedMean).toBe(6.5);
    expect(relativeError(1, 0)).toBeNaN();
  });
});

const BODY = {
  node: { cores: 2 }, function: { threads: 2, cpuLimit: 500 },
  work: { type: 'lognormal', median: 10, p99: 30 }, arrivals: { type: 'poisson', rate: 20 },
};

describe('compare plan and kind', () => {
  it('the plan is a pure function of (body, seed, window), with work in core-µs', () => {
    const body = compareSchema.parse(BODY);
    const a = comparePlan(body, 5, 10 * SECOND);
    const b = comparePlan(body, 5, 10 * SECOND);
    const c = comparePlan(body, 6, 10 * SECOND);
    expect(a).toEqual(b);
    expect(a.offsets).not.toEqual(c.offsets);
    expect(a.offsets.every((t, i) => Number.isInteger(t) && t < 10 * SECOND && (i === 0 || t >= a.offsets[i - 1]))).toBe(true);
    expect(a.offsets.length).toBeGreaterThan(150); // Poisson(200)
    expect(a.offsets.length).toBeLessThan(250);
    const sorted = [...a.workCoreUs].sort((x, y) => x - y);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeGreaterThan(7000); // median 10 core-ms
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(13000);
  });

  it('validates the file and the CLI refuses other kinds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'servesim-compare-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: x\nduration: 5s\nkind: compare\nnode: {cores: 2}\nfunction: {threads: 0, cpuLimit: 500, cpuRequest: 800}\nwork: 10\narrivals: {type: poisson, rate: 1}\n');
    expect(() => loadScenario(bad)).toThrow(/function\.threads/);
    const io = captureIO();
    expect(await main(['compare', 'experiments/quickstart.yaml'], io)).toBe(2);
    expect(io.stderr()).toMatch(/kind.*expected compare/s);
    expect(loadScenario('experiments/compare-throttled.yaml').header.kind).toBe('compare');
    expect(loadScenario('experiments/compare-unthrottled.yaml').header.kind).toBe('compare');
  });

  it('servesim run runs the simulated half alone, deterministically', () => {
    const s = loadScenario('experiments/compare-throttled.yaml', { set: ['duration=20s'] });
    const a = runScenario(s, { until: 40 * SECOND });
    const b = runScenario(s, { until: 40 * SECOND });
    expect(a.metrics).toEqual(b.metrics);
    expect(a.metrics.completed).toBe(a.metrics.requests);
    expect(a.metrics.latencyMsP50 as number).toBeGreaterThan(25); // 60 core-ms median on 2 cores ≥ 30 ms
  });
});
