import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { readAzure2019 } from '../../src/workload/traces/azure2019.js';
import { tempDir } from '../scenario/helpers.js';
import { captureIO } from './io.js';

describe('servesim trace synth', () => {
  it('writes the three formats with the requested invocation total, reproducibly', async () => {
    const a = tempDir();
    const b = tempDir();
    const io = captureIO();
    expect(await main(['trace', 'synth', '--seed', '3', '--functions', '6', '--invocations', '500', '--minutes', '60', '--out', a], io)).toBe(0);
    expect(io.stdout()).toMatch(/wrote 500 invocations of 6 functions/);
    expect(await main(['trace', 'synth', '--seed', '3', '--functions', '6', '--invocations', '500', '--minutes', '60', '--out', b, '--quiet'], captureIO())).toBe(0);
    const files = readdirSync(a).sort();
    expect(files).toEqual(['azure2021.csv', 'durations.csv', 'invocations.csv', 'memory.csv', 'trace.csv']);
    for (const f of files) expect(readFileSync(join(a, f), 'utf8')).toBe(readFileSync(join(b, f), 'utf8'));
    const trace = readAzure2019(a);
    let total = 0;
    for (const c of trace.counts) total += c;
    expect(total).toBe(500);
  });

  it('--formats limits the output; a different seed gives a different trace', async () => {
    const a = tempDir();
    const b = tempDir();
    expect(await main(['trace', 'synth', '--formats', 'csv', '--invocations', '300', '--out', a, '--quiet'], captureIO())).toBe(0);
    expect(readdirSync(a)).toEqual(['trace.csv']);
    expect(await main(['trace', 'synth', '--formats', 'csv', '--invocations', '300', '--seed', '2', '--out', b, '--quiet'], captureIO())).toBe(0);
    expect(readFileSync(join(a, 'trace.csv'), 'utf8')).not.toBe(readFileSync(join(b, 'trace.csv'), 'utf8'));
  });

  it('bad flags get exit code 2 and name the flag and the expected form', async () => {
    const out = tempDir();
    const cases: [string[], RegExp][] = [
      [['trace', 'synth', '--out', out, '--functions', '2.5'], /--functions: expected an integer, found "2.5"/],
      [['trace', 'synth', '--out', out, '--burst-factor', 'big'], /--burst-factor: expected a number, found "big"/],
      [['trace', 'synth', '--out', out, '--formats', 'azure2019,parquet'], /--formats: expected a comma-separated list of azure2019, azure2021, csv, found "parquet"/],
      [['trace', 'synth', '--out', out, '--seed', '-1'], /--seed: expected a non-negative integer/],
      [['trace', 'synth'], /--out: expected the directory to write the trace into/],
      [['trace', 'synth', '--out', out, '--minutes', '2000'], /minutes/],
      [['trace', 'unzip', '--out', out], /Invalid values/],
    ];
    for (const [argv, re] of cases) {
      const io = captureIO();
      expect(await main(argv, io), argv.join(' ')).toBe(2);
      expect(io.stderr(), argv.join(' ')).toMatch(re);
      expect(io.stderr()).not.toMatch(/\n\s+at /);
    }
  });
});
