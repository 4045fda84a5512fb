// Running sweeps end to end (in-process and on worker threads): atomic point directories,
// resume after an interruption gives a byte-identical aggregate, two shards merged equal
// the unsharded run, and the out-directory guards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSweep } from '../../src/experiment/sweep/runner.js';
import { mergeSweeps } from '../../src/experiment/sweep/merge.js';
import { readManifest } from '../../src/experiment/sweep/manifest.js';
import { SweepError } from '../../src/experiment/sweep/errors.js';
import { meanCi95 } from '../../src/experiment/sweep/stats.js';
import { parseCsv } from '../../src/experiment/report/csv-read.js';
import { tempDir } from '../scenario/helpers.js';
import { SMALL_SWEEP_YAML, text, writeScenario } from './helpers.js';
import { buildWorker } from './worker-build.js';

let file: string;
let fullDir: string;
let fullAggregate: string;

beforeAll(async () => {
  file = writeScenario(SMALL_SWEEP_YAML);
  fullDir = join(tempDir(), 'full');
  const r = await runSweep({ file, out: fullDir, jobs: 1 });
  expect(r.complete).toBe(true);
  expect(r.ran).toBe(12);
  fullAggregate = text(join(fullDir, 'aggregate.csv'));
});

describe('an uninterrupted sweep', () => {
  it('writes one complete directory per point, a manifest and the aggregate', () => {
    const configs = readdirSync(join(fullDir, 'runs')).sort();
    expect(configs).toEqual([
      'functions.0.arrivals.rate=10__functions.0.replicas=1',
      'functions.0.arrivals.rate=10__functions.0.replicas=3',
      'functions.0.arrivals.rate=40__functions.0.replicas=1',
      'functions.0.arrivals.rate=40__functions.0.replicas=3',
    ]);
    for (const c of configs) {
      expect(readdirSync(join(fullDir, 'runs', c)).sort()).toEqual(['seed-7', 'seed-8', 'seed-9']);
      for (const s of [7, 8, 9]) {
        const summary = JSON.parse(text(join(fullDir, 'runs', c, `seed-${s}`, 'summary.json')));
        expect(summary.seed).toBe(s);
        expect(existsSync(join(fullDir, 'runs', c, `seed-${s}`, 'requests.csv'))).toBe(true);
      }
    }
    const m = readManifest(fullDir);
    expect(m.points).toBe(12);
    expect(m.shard).toBeNull();
  });

  it('applies each configuration\'s values: offered rate and replica count follow the axes', () => {
    const s = JSON.parse(text(join(fullDir, 'runs', 'functions.0.arrivals.rate=40__functions.0.replicas=3', 'seed-8', 'summary.json')));
    expect(s.metrics.functions.f.offeredRate).toBeGreaterThan(30);
    expect(s.metrics.replicas.filter((r: { function: string }) => r.function === 'f')).toHaveLength(3);
  });

  it('aggregates mean and t-CI over the seeds of each configuration', () => {
    const t = parseCsv(fullAggregate);
    expect(t.headers).toEqual(['config', 'functions[0].arrivals.rate', 'functions[0].replicas', 'metric', 'n', 'mean', 'sd', 'ci95_low', 'ci95_high', 'ci95_half']);
    const cfg = 'functions.0.arrivals.rate=40__functions.0.replicas=1';
    const metric = 'functions.f.latencyMs.p99';
    const row = t.rows.find((r) => r[0] === cfg && r[3] === metric);
    expect(row).toBeDefined();
    const xs = [7, 8, 9].map((s) => JSON.parse(text(join(fullDir, 'runs', cfg, `seed-${s}`, 'summary.json'))).metrics.functions.f.latencyMs.p99 as number);
    const ci = meanCi95(xs);
    expect(row!.slice(1, 5)).toEqual(['40', '1', metric, '3']);
    expect(Number(row![5])).toBeCloseTo(ci.mean, 6);
    expect(Number(row![9])).toBeCloseTo(ci.half, 6);
    // Hand check of the half-width: t(0.975, 2) = 4.3027 × s / √3.
    expect(Number(row![9])).toBeCloseTo((4.302653 * ci.sd) / Math.sqrt(3), 4);
    // Every configuration has the same metrics.
    const metrics = new Set(t.rows.map((r) => r[3]));
    expect(t.rows).toHaveLength(4 * metrics.size);
  });
});

describe('resume', () => {
  it('after an interruption (abort, a half-written temp dir, a lost point) gives a byte-identical aggregate', async () => {
    const out = join(tempDir(), 'resumed');
    const ctl = new AbortController();
    const first = await runSweep({
      file,
      out,
      jobs: 1,
      signal: ctl.signal,
      onProgress: (p) => {
        if (p.ran === 5) ctl.abort();
      },
    });
    expect(first.ran).toBe(5);
    expect(first.complete).toBe(false);
    expect(existsSync(join(out, 'aggregate.csv'))).toBe(false);
    // A crash mid-write leaves a temp directory; a point without summary.json is incomplete.
    const cfg = join(out, 'runs', 'functions.0.arrivals.rate=40__functions.0.replicas=3');
    mkdirSync(join(cfg, '.tmp-seed-9-123-0-0'), { recursive: true });
    writeFileSync(join(cfg, '.tmp-seed-9-123-0-0', 'timeseries.csv'), 'time_s\n0\n');
    rmSync(join(out, 'runs', 'functions.0.arrivals.rate=10__functions.0.replicas=1', 'seed-8', 'summary.json'));

    await expect(runSweep({ file, out, jobs: 1 })).rejects.toThrow(/already holds results of this sweep: pass --resume/);
    const second = await runSweep({ file, out, jobs: 1, resume: true });
    expect(second.skipped).toBe(4);
    expect(second.ran).toBe(8);
    expect(second.complete).toBe(true);
    expect(text(join(out, 'aggregate.csv'))).toBe(fullAggregate);
    expect(readdirSync(cfg)).toEqual(['seed-7', 'seed-8', 'seed-9']);
    // Resuming a complete sweep runs nothing and rewrites the same aggregate.
    const third = await runSweep({ file, out, jobs: 1, resume: true });
    expect(third.ran).toBe(0);
    expect(text(join(out, 'aggregate.csv'))).toBe(fullAggregate);
  });

  it('refuses an out directory that holds another sweep', async () => {
    const out = join(tempDir(), 'other');
    await runSweep({ file, out, jobs: 1, shard: { index: 0, count: 6 } });
    await expect(runSweep({ file, out, jobs: 1, resume: true })).rejects.toThrow(SweepError);
    await expect(runSweep({ file, out, jobs: 1, resume: true, set: ['functions[1].arrivals.rate=5'], shard: { index: 0, count: 6 } })).rejects.toThrow(/holds another sweep/);
  });
});

describe('shards and merge', () => {
  it('two shards merged equal the unsharded run', async () => {
    const base = tempDir();
    const a = await runSweep({ file, out: join(base, 'shard-0'), jobs: 1, shard: { index: 0, count: 2 } });
    const b = await runSweep({ file, out: join(base, 'shard-1'), jobs: 1, shard: { index: 1, count: 2 } });
    expect(a.points.map((p) => p.index)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(b.points.map((p) => p.index)).toEqual([1, 3, 5, 7, 9, 11]);
    expect(readManifest(join(base, 'shard-1')).shard).toEqual({ index: 1, count: 2 });
    const merged = await mergeSweeps([join(base, 'shard-0'), join(base, 'shard-1')], join(base, 'merged'));
    expect(merged.taken.map((t) => t.points)).toEqual([6, 6]);
    expect(text(join(base, 'merged', 'aggregate.csv'))).toBe(fullAggregate);
    expect(readManifest(join(base, 'merged')).shard).toBeNull();
    // The merged directory holds every point.
    expect(readdirSync(join(base, 'merged', 'runs'))).toHaveLength(4);
    // One shard alone is not the whole sweep.
    await expect(mergeSweeps([join(base, 'shard-0')], join(base, 'm2'))).rejects.toThrow(/6 are missing: runs\/functions.0.arrivals.rate=10__functions.0.replicas=1\/seed-8/);
  });

  it('refuses to merge directories of different sweeps', async () => {
    const base = tempDir();
    await runSweep({ file, out: join(base, 'x'), jobs: 1, shard: { index: 0, count: 12 } });
    await runSweep({ file, out: join(base, 'y'), jobs: 1, shard: { index: 1, count: 12 }, set: ['functions[1].arrivals.rate=5'] });
    await expect(mergeSweeps([join(base, 'x'), join(base, 'y')], join(base, 'm'))).rejects.toThrow(/expected shards of one sweep/);
  });
});

describe('worker threads', () => {
  let worker: Awaited<ReturnType<typeof buildWorker>>;
  beforeAll(async () => {
    worker = await buildWorker();
  });
  afterAll(() => worker.cleanup());

  it('--jobs 2 on the pool gives the same aggregate as in-process', async () => {
    const out = join(tempDir(), 'threads');
    const seen: number[] = [];
    const r = await runSweep({ file, out, jobs: 2, workerUrl: worker.workerUrl, onProgress: (p) => seen.push(p.ran) });
    expect(r.failures).toEqual([]);
    expect(r.ran).toBe(12);
    expect(seen[seen.length - 1]).toBe(12);
    expect(text(join(out, 'aggregate.csv'))).toBe(fullAggregate);
  });

  it('a point that fails on a worker is reported and the others still run', async () => {
    // The worker cannot read a file that is removed after planning: every point fails cleanly.
    const f2 = writeScenario(SMALL_SWEEP_YAML);
    const out = join(tempDir(), 'fail');
    const plan = runSweep({ file: f2, out, jobs: 2, workerUrl: worker.workerUrl, onProgress: (p) => (p.ran + p.failed === 0 ? rmSync(f2) : undefined) });
    const r = await plan;
    expect(r.failures).toHaveLength(12);
    expect(r.failures[0].errorName).toBe('ScenarioError');
    expect(r.failures[0].message).toMatch(/expected a readable scenario file, found no such file/);
    expect(r.complete).toBe(false);
    expect(existsSync(join(out, 'aggregate.csv'))).toBe(false);
    expect(readFileSync(join(out, 'sweep.json'), 'utf8')).toContain('"points": 12');
  });
});
