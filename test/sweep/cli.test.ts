// servesim sweep / merge through main(): output, files and exit codes.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { main } from '../../src/cli/main.js';
import { captureIO } from '../cli/io.js';
import { tempDir } from '../scenario/helpers.js';
import { SMALL_SWEEP_YAML, writeScenario } from './helpers.js';

const file = writeScenario(SMALL_SWEEP_YAML);

describe('servesim sweep', () => {
  it('runs the sweep, prints the aggregate and writes the sweep directory', async () => {
    const out = join(tempDir(), 's');
    const io = captureIO();
    expect(await main(['sweep', file, '--jobs', '1', '--out', out, '--until', '5s'], io)).toBe(0);
    const text = io.stdout();
    expect(text).toContain('small-sweep: sweep ');
    expect(text).toContain('functions[0].arrivals.rate (2) × functions[0].replicas (2) × 3 seeds = 12 points');
    expect(text).toMatch(/ran 12 points \(0 already complete\)/);
    expect(text).toMatch(/Aggregate over 3 seeds: mean ± 95% CI/);
    expect(text).toMatch(/\n\s+40\s+3\s+functions\.f\.latencyMs\.p99\s+3\s+[\d.]+\s+[\d.]+\n/);
    expect(existsSync(join(out, 'aggregate.csv'))).toBe(true);
    expect(text).toMatch(/results in .*: sweep\.json, aggregate\.csv, runs\/ \(12 points\)/);
    expect(text).not.toMatch(/incomplete/);
    // Again without --resume: refused with exit 2 and a hint; with --resume: nothing to run.
    const again = captureIO();
    expect(await main(['sweep', file, '--jobs', '1', '--out', out, '--until', '5s'], again)).toBe(2);
    expect(again.stderr()).toMatch(/already holds results of this sweep: pass --resume/);
    const resumed = captureIO();
    expect(await main(['sweep', file, '--jobs', '1', '--out', out, '--until', '5s', '--resume', '--quiet', '--report'], resumed)).toBe(0);
    expect(resumed.stdout()).toMatch(/ran 0 points \(12 already complete\)/);
    expect(resumed.stdout()).toMatch(/sweep report written to .*report\.html \(\d+ plots\)/);
    expect(resumed.stdout()).not.toMatch(/incomplete/);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  });

  it('runs shards and merges them', async () => {
    const base = tempDir();
    for (const i of [0, 1, 2]) {
      const io = captureIO();
      expect(await main(['sweep', file, '--jobs', '1', '--shard', `${i}/3`, '--out', join(base, `shard-${i}`), '--until', '5s', '--quiet'], io)).toBe(0);
      expect(io.stdout()).toContain(`shard ${i}/3: 4 points`);
    }
    const partial = captureIO();
    expect(await main(['merge', join(base, 'shard-0'), join(base, 'shard-2'), '--out', join(base, 'bad')], partial)).toBe(2);
    expect(partial.stderr()).toMatch(/4 are missing/);
    const io = captureIO();
    expect(await main(['merge', join(base, 'shard-0'), join(base, 'shard-1'), join(base, 'shard-2'), '--quiet'], io)).toBe(0);
    expect(io.stdout()).toContain('merged sweep');
    expect(existsSync(join(base, 'merged', 'aggregate.csv'))).toBe(true);
  });

  it('emits a Kubernetes Indexed Job', async () => {
    const out = tempDir();
    const io = captureIO();
    expect(await main(['sweep', file, '--emit', 'k8s-job', '--shards', '3', '--out', out, '--image', 'x/servesim:1'], io)).toBe(0);
    expect(io.stdout()).toMatch(/12 points in 3 shards \(4–4 points each\); Kubernetes Indexed Job written to/);
    const job = parse(readFileSync(join(out, 'k8s-job.yaml'), 'utf8')) as { spec: { completions: number } };
    expect(job.spec.completions).toBe(3);
  });

  it('rejects bad flags with exit code 2 and the expected form', async () => {
    for (const [args, msg] of [
      [['--shard', '3/3'], /--shard: expected i\/n with n >= 1 and 0 <= i < n, found "3\/3"/],
      [['--jobs', '0'], /--jobs: expected a positive integer, found "0"/],
      [['--emit', 'nomad'], /--emit: expected k8s-job or slurm, found "nomad"/],
    ] as [string[], RegExp][]) {
      const io = captureIO();
      expect(await main(['sweep', file, ...args], io)).toBe(2);
      expect(io.stderr()).toMatch(msg);
      expect(io.stderr()).toContain('servesim sweep --help');
    }
  });
});
