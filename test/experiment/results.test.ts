import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeCsvAtomic, writeFileAtomic } from '../../src/experiment/atomic.js';
import { formatTable, checksTable } from '../../src/experiment/table.js';
import { summaryOf, WALL_CLOCK_FIELDS } from '../../src/experiment/results.js';
import type { RunResult } from '../../src/experiment/run.js';
import { tempDir } from '../scenario/helpers.js';

describe('atomic result files', () => {
  it('writeFileAtomic creates directories, replaces content, leaves no temp file', async () => {
    const dir = join(tempDir(), 'a', 'b');
    const file = join(dir, 'x.json');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, 'two');
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(readdirSync(dir)).toEqual(['x.json']);
  });

  it('writeCsvAtomic streams rows through fast-csv with quoting', async () => {
    const file = join(tempDir(), 'r.csv');
    function* rows() {
      const row: (string | number)[] = ['', 0];
      for (let i = 0; i < 3; i++) {
        row[0] = i === 1 ? 'a,b' : `r${i}`;
        row[1] = i / 4;
        yield row;
      }
    }
    await writeCsvAtomic(file, ['name', 'value'], rows());
    expect(readFileSync(file, 'utf8')).toBe('name,value\nr0,0\n"a,b",0.25\nr2,0.5');
    expect(readdirSync(join(file, '..'))).toEqual(['r.csv']);
  });

  it('a failing row source leaves no partial file', async () => {
    const file = join(tempDir(), 'bad.csv');
    function* rows(): Generator<string[]> {
      yield ['1'];
      throw new Error('boom');
    }
    await expect(writeCsvAtomic(file, ['a'], rows())).rejects.toThrow('boom');
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(join(file, '..'))).toEqual([]);
  });
});

describe('summary', () => {
  const result = {
    file: 'x.yaml',
    header: { name: 'x', duration: 90_000_000, kind: 'serving', output: { requests: false, sampleInterval: 1e6 } },
    seed: 5,
    until: 90_000_000,
    eventsProcessed: 1000,
    simulatedUsTotal: 90_000_000,
    wallSeconds: 0.5,
    metrics: { a: 1 },
    checks: [{ name: 'CT0-1 demo', simulated: 1.02, reported: 1, tolerance: 0.05, pass: true }],
    tables: [],
  } satisfies RunResult;

  it('holds the run facts, rates and checks', () => {
    const s = summaryOf(result);
    expect(s).toMatchObject({
      scenario: 'x', file: 'x.yaml', seed: 5, simulatedDuration: '1m30s', simulatedSeconds: 90,
      eventsProcessed: 1000, wallTimeSeconds: 0.5, eventsPerSecond: 2000, simulatedSecondsPerWallSecond: 180,
      metrics: { a: 1 },
    });
    expect(s.checks).toEqual(result.checks);
    expect(typeof s.servesim).toBe('string');
    for (const f of WALL_CLOCK_FIELDS) expect(f in s).toBe(true);
    expect('checks' in summaryOf({ ...result, checks: [] })).toBe(false);
  });

  it('rates count the simulated time of every simulation a study ran', () => {
    // A study that ran 10 configurations of 90 s each inside one 90 s run.
    const s = summaryOf({ ...result, simulatedUsTotal: 900_000_000 });
    expect(s).toMatchObject({ simulatedSeconds: 90, simulatedSecondsAllSimulations: 900, simulatedSecondsPerWallSecond: 1800 });
  });

  it('prints tables with aligned columns and a checks table', () => {
    const text = formatTable(checksTable(result.checks));
    expect(text.split('\n')).toEqual([
      'Checks (simulated vs reported)',
      'check       simulated  reported  tolerance  result',
      '----------  ---------  --------  ---------  ------',
      'CT0-1 demo       1.02         1       0.05  pass',
    ]);
  });
});
