// Same scenario + same seed => byte-identical summary.json (minus wall-clock fields) and CSVs;
// a different seed => different ones (DESIGN.md rule 1).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';
import { WALL_CLOCK_FIELDS } from '../src/experiment/results.js';
import { tempDir } from './scenario/helpers.js';
import { captureIO } from './cli/io.js';

async function runOnce(seed: string): Promise<{ summary: string; timeseries: string; requests: string }> {
  const out = tempDir();
  const code = await main(['run', 'experiments/quickstart.yaml', '--out', out, '--until', '90s', '--seed', seed, '--quiet'], captureIO());
  expect(code).toBe(0);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<string, unknown>;
  for (const f of WALL_CLOCK_FIELDS) {
    expect(f in summary).toBe(true);
    delete summary[f];
  }
  return {
    summary: JSON.stringify(summary),
    timeseries: readFileSync(join(out, 'timeseries.csv'), 'utf8'),
    requests: readFileSync(join(out, 'requests.csv'), 'utf8'),
  };
}

describe('determinism', () => {
  it('same seed gives identical results, another seed different ones', async () => {
    const a = await runOnce('7');
    const b = await runOnce('7');
    const c = await runOnce('8');
    expect(b.summary).toBe(a.summary);
    expect(b.timeseries).toBe(a.timeseries);
    expect(b.requests).toBe(a.requests);
    expect(c.summary).not.toBe(a.summary);
    expect(c.timeseries).not.toBe(a.timeseries);
    expect(c.requests).not.toBe(a.requests);
  });
});
