import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { SMALL_YAML, smallWith, tempDir, tempFile } from '../scenario/helpers.js';
import { captureIO } from './io.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('servesim validate', () => {
  it('accepts valid files and rejects invalid ones with exit code 2', async () => {
    const good = tempFile('good.yaml', SMALL_YAML);
    const bad = tempFile('bad.yaml', smallWith('cores: 4', 'cores: lots'));
    const io = captureIO();
    expect(await main(['validate', good], io)).toBe(0);
    expect(io.stdout()).toContain(`ok       ${good}: "small", kind serving, 30s`);
    const io2 = captureIO();
    expect(await main(['validate', good, bad, '/no/such.yaml'], io2)).toBe(2);
    expect(io2.stderr()).toContain(`${bad}:6:12: nodes[0].cores: expected a number, found the string "lots"`);
    expect(io2.stderr()).toContain('/no/such.yaml: expected a readable scenario file, found no such file');
    expect(io2.stdout()).toContain('1 of 3 files valid');
  });

  it('validates the shipped quickstart', async () => {
    expect(await main(['validate', 'experiments/quickstart.yaml'], captureIO())).toBe(0);
  });
});

describe('servesim command line', () => {
  it('prints per-command help with exit code 0', async () => {
    const io = captureIO();
    expect(await main(['run', '--help'], io)).toBe(0);
    expect(io.stdout()).toMatch(/servesim run <scenario>/);
    expect(io.stdout()).toMatch(/--until/);
    const io2 = captureIO();
    expect(await main(['validate', '--help'], io2)).toBe(0);
    expect(io2.stdout()).toMatch(/servesim validate <files\.\.>/);
  });

  it('bad flags get exit code 2 and name the flag and expected form', async () => {
    const file = tempFile('s.yaml', SMALL_YAML);
    const cases: [string[], RegExp][] = [
      [['run', file, '--until', 'soon'], /--until: expected a duration with a unit such as 90s, 15m, 2h, 250ms or 1h30m, found "soon"/],
      [['run', file, '--until', '90'], /--until: expected .* found "90" \(no unit\)/],
      [['run', file, '--seed', 'abc'], /--seed: expected a non-negative integer such as 42, found "abc"/],
      [['run', file, '--bogus'], /Unknown argument: bogus/],
      [['run'], /Not enough non-option arguments/],
      [['frobnicate'], /Unknown argument: frobnicate/],
      [[], /Give a command: run, validate\b/],
      [['run', file, '--set', 'functions[0].nope=1'], /functions\[0\]\.nope \(from --set functions\[0\]\.nope=1\)/],
    ];
    for (const [argv, re] of cases) {
      const io = captureIO();
      expect(await main(argv, io), argv.join(' ')).toBe(2);
      expect(io.stderr(), argv.join(' ')).toMatch(re);
      expect(io.stderr()).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it('an unwritable out directory is a failure (exit 1) without a stack trace', async () => {
    const file = tempFile('s.yaml', SMALL_YAML);
    const blocker = tempFile('not-a-dir', 'x');
    const io = captureIO();
    expect(await main(['run', file, '--quiet', '--out', join(blocker, 'sub')], io)).toBe(1);
    expect(io.stderr()).toMatch(/servesim: failed: /);
    expect(io.stderr()).not.toMatch(/\n\s+at /);
  });

  it('--until, --seed and --set change the run', async () => {
    const file = tempFile('s.yaml', SMALL_YAML);
    const out = tempDir();
    const io = captureIO();
    const ignored = join(tempDir(), 'ignored');
    const argv = ['run', file, '--out', ignored, '--out', out, '--until', '12s', '--seed', '77', '--set', 'output.requests=true', '--set', 'nodes[0].speed=2', '--quiet'];
    expect(await main(argv, io)).toBe(0);
    expect(existsSync(ignored)).toBe(false); // a repeated --out: the last one wins
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.seed).toBe(77);
    expect(summary.simulatedSeconds).toBe(12);
    expect(summary.metrics.nodes.a.speed).toBe(2); // both --set applied
    expect(existsSync(join(out, 'requests.csv'))).toBe(true);
    expect(readFileSync(join(out, 'timeseries.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 13);
    expect(io.stdout()).toMatch(/simulated 12s in [\d.]+ s wall/);
    expect(io.stdout()).not.toMatch(/Functions/); // --quiet: no tables
  });
});

describe('servesim run limits', () => {
  it('a sample interval giving too many rows is bad input, not a crash', async () => {
    const file = tempFile('s.yaml', SMALL_YAML);
    const io = captureIO();
    expect(await main(['run', file, '--quiet', '--out', tempDir(), '--until', '2h', '--set', 'output.sampleInterval=1ms'], io)).toBe(2);
    expect(io.stderr()).toMatch(/output\.sampleInterval: expected an interval giving at most 5000000 samples over 2h00m0s .*found 1ms \(7200001 samples\)/);
  });
});
