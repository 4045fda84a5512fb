import { describe, it, expect } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Simulation } from '../../src/core/simulation.js';
import { MINUTE, SECOND } from '../../src/core/time.js';
import { readAzure2019, durationAtQuantile, type Azure2019Trace } from '../../src/workload/traces/azure2019.js';
import { Azure2019Arrivals, type MinuteSpread } from '../../src/workload/traces/azure2019-arrivals.js';
import { Azure2021Arrivals, CsvTraceArrivals } from '../../src/workload/traces/streamed-arrivals.js';
import { synthesizeTrace } from '../../src/workload/traces/synth.js';
import { TraceFormatError } from '../../src/workload/traces/csv-records.js';
import type { ArrivalSource } from '../../src/workload/arrivals/arrival-source.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const vhiveDir = resolve(repoRoot, '../shared/traces/azure2019-vhive-example');
const shippedDir = resolve(repoRoot, 'traces');

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'servesim-traces-'));
}

/** Replay a source to the end; returns per-name totals, the time series and checks order. */
function replay(src: ArrivalSource, seed = 1): { total: number; byName: Map<string, number>; times: number[]; services: number[] } {
  const sim = new Simulation({ seed });
  const byName = new Map<string, number>();
  const times: number[] = [];
  const services: number[] = [];
  src.start(sim, (fn, st) => {
    const name = src.functionNames[fn];
    byName.set(name, (byName.get(name) ?? 0) + 1);
    times.push(sim.now);
    services.push(st);
    expect(sim.pendingEvents).toBeLessThanOrEqual(1);
  });
  sim.run();
  for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
  return { total: times.length, byName, times, services };
}

function totalsOf(trace: Azure2019Trace): Map<string, number> {
  return new Map(trace.functions.map((f) => [f.name, f.total]));
}

describe('Azure 2019 reader and replay', () => {
  it.skipIf(!existsSync(vhiveDir))(`replays the vHive example exactly, per function and per minute (skipped when ${vhiveDir} is absent)`, () => {
    const trace = readAzure2019(vhiveDir);
    // Independent count straight from the CSV text.
    const lines = readFileSync(join(vhiveDir, 'invocations.csv'), 'utf8').trim().split('\n').slice(1);
    const fromText = new Map(lines.map((l) => {
      const c = l.split(',');
      return [`${c[1]}/${c[2]}`, c.slice(4).reduce((a, b) => a + Number(b), 0)];
    }));
    expect(trace.functions.length).toBe(lines.length);
    expect(totalsOf(trace)).toEqual(fromText);
    expect(trace.durations.every((d) => d !== undefined)).toBe(true);
    expect(trace.memory.every((m) => m !== undefined)).toBe(true);
    expect(trace.durations[0]?.[3]).toBe(100); // percentile_Average_50 of the first function
    for (const spread of ['exponential', 'uniform', 'equidistant'] as MinuteSpread[]) {
      const src = new Azure2019Arrivals(trace, { spread });
      const r = replay(src);
      expect(r.total).toBe(trace.totalInvocations);
      expect(r.byName).toEqual(fromText);
      // per-minute counts of the first function are preserved
      const f0 = trace.functions[0].name;
      const perMinute = new Array(1440).fill(0);
      const src2 = new Azure2019Arrivals(trace, { spread });
      const sim = new Simulation();
      src2.start(sim, (fn) => { if (src2.functionNames[fn] === f0) perMinute[Math.floor(sim.now / MINUTE)]++; });
      sim.run();
      expect(perMinute).toEqual(Array.from(trace.counts.subarray(0, 1440)));
      // service times come from the percentile table (first function: 99–101 ms)
      expect(r.services.every((s) => s >= 99_000 && s <= 501_000)).toBe(true);
    }
  });

  it.skipIf(!existsSync(vhiveDir))('selects functions and a minute range (skipped when ../shared/traces is absent)', () => {
    const all = readAzure2019(vhiveDir);
    const pick = all.functions[1].func;
    const one = readAzure2019(vhiveDir, { functions: [pick] });
    expect(one.functions.map((f) => f.func)).toEqual([pick]);
    const src = new Azure2019Arrivals(all, { fromMinute: 60, toMinute: 120 });
    const r = replay(src);
    expect(r.total).toBe(src.expected().total);
    expect(r.times.every((t) => t < 60 * MINUTE)).toBe(true);
    const timers = readAzure2019(vhiveDir, { triggers: ['timer'] });
    expect(timers.functions.every((f) => f.trigger === 'timer')).toBe(true);
  });

  it('equidistant spread places c arrivals at k·60 s/c', () => {
    const dir = tmp();
    const counts = new Array(1440).fill(0);
    counts[2] = 4;
    writeFileSync(join(dir, 'invocations.csv'), `HashOwner,HashApp,HashFunction,Trigger,${counts.map((_, i) => i + 1).join(',')}\no,a,f,http,${counts.join(',')}\n`);
    const r = replay(new Azure2019Arrivals(readAzure2019(dir), { spread: 'equidistant' }));
    expect(r.times).toEqual([120, 135, 150, 165].map((s) => s * SECOND));
    expect(r.services).toEqual([-1, -1, -1, -1]);
  });

  it('exponential spread: within-minute offsets are uniform (Poisson given the count)', () => {
    const dir = tmp();
    const counts = new Array(1440).fill(0).map((_, i) => (i < 100 ? 50 : 0));
    writeFileSync(join(dir, 'invocations.csv'), `HashOwner,HashApp,HashFunction,Trigger,${counts.map((_, i) => i + 1).join(',')}\no,a,f,http,${counts.join(',')}\n`);
    const r = replay(new Azure2019Arrivals(readAzure2019(dir)));
    const deciles = new Array(10).fill(0);
    for (const t of r.times) deciles[Math.floor(((t % MINUTE) / MINUTE) * 10)]++;
    for (const d of deciles) expect(Math.abs(d - 500)).toBeLessThan(4 * Math.sqrt(500 * 0.9));
  });

  it('durationAtQuantile interpolates the percentile table', () => {
    const t = [10, 20, 40, 50, 70, 200, 400];
    expect(durationAtQuantile(t, 0)).toBe(10);
    expect(durationAtQuantile(t, 0.005)).toBeCloseTo(15, 12);
    expect(durationAtQuantile(t, 0.5)).toBe(50);
    expect(durationAtQuantile(t, 0.625)).toBeCloseTo(60, 12);
    expect(durationAtQuantile(t, 0.995)).toBeCloseTo(300, 12);
    expect(durationAtQuantile(t, 1)).toBe(400);
  });

  it('bad rows: error names file, line and column; skipBadRows counts and skips', () => {
    const dir = tmp();
    const hdr = `HashOwner,HashApp,HashFunction,Trigger,${Array.from({ length: 1440 }, (_, i) => i + 1).join(',')}`;
    const good = `o,a,f1,http,${new Array(1440).fill(1).join(',')}`;
    const badCells = new Array(1440).fill(1);
    badCells[9] = 'x';
    const bad = `o,a,f2,http,${badCells.join(',')}`;
    const f = join(dir, 'invocations.csv');
    writeFileSync(f, `${hdr}\n${good}\n${bad}\n${good.replace('f1', 'f3')}\n`);
    let err: unknown;
    try {
      readAzure2019(f);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TraceFormatError);
    const te = err as TraceFormatError;
    expect([te.file, te.line, te.column, te.columnName]).toEqual([f, 3, 14, '10']);
    expect(te.message).toContain(`${f}:3:14 (column "10"): expected a non-negative integer invocation count, found "x"`);
    const t = readAzure2019(f, { skipBadRows: true });
    expect(t.skippedRows.invocations).toBe(1);
    expect(t.functions.map((x) => x.func)).toEqual(['f1', 'f3']);
    writeFileSync(f, `${hdr}\n${good}\no,a,short,http,1,2\n`);
    expect(() => readAzure2019(f)).toThrow(/invocations\.csv:3:6 \(column "2"\): expected 1444 fields as in the header, found 6/);
    writeFileSync(join(dir, 'durations.csv'), 'HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,percentile_Average_1,percentile_Average_25,percentile_Average_50,percentile_Average_75,percentile_Average_99,percentile_Average_100\no,a,f1,1,1,1,1,5,4,6,7,8,9,10\n');
    writeFileSync(f, `${hdr}\n${good}\n`);
    expect(() => readAzure2019(dir)).toThrow(/durations\.csv:2:9 \(column "percentile_Average_1"\): expected percentiles not decreasing/);
  });
});

describe('synthesized traces: all three formats replay the same invocations exactly', () => {
  const dir = tmp();
  const res = synthesizeTrace({ seed: 3, functions: 12, invocations: 6000, minutes: 90 }, dir);
  const expected = new Map(res.functionNames.map((n, i) => [n, res.perFunction[i]]).filter(([, c]) => (c as number) > 0) as [string, number][]);

  it('synth totals are exact and heavy-tailed', () => {
    expect(res.totalInvocations).toBe(6000);
    const sorted = Array.from(res.perFunction).sort((a, b) => b - a);
    expect(sorted[0] + sorted[1] + sorted[2]).toBeGreaterThan(0.5 * 6000); // top quarter of functions carries most
  });

  it('Azure 2019 files', () => {
    const trace = readAzure2019(dir);
    expect(trace.totalInvocations).toBe(6000);
    const r = replay(new Azure2019Arrivals(trace));
    expect(r.total).toBe(6000);
    expect(r.byName).toEqual(expected);
    expect(r.times.at(-1)).toBeLessThan(90 * MINUTE);
  });

  it('Azure 2021 file (rows in end-time order, start = end − duration)', () => {
    const src = new Azure2021Arrivals(res.files.azure2021 as string, { chunkBytes: 4096 });
    const r = replay(src);
    expect(r.total).toBe(6000);
    expect(r.byName).toEqual(expected);
    expect(src.lateRows).toBe(0);
  });

  it('generic CSV file, and the same arrival times as the 2021 file', () => {
    const a = replay(new CsvTraceArrivals(res.files.csv as string));
    const b = replay(new Azure2021Arrivals(res.files.azure2021 as string));
    expect(a.total).toBe(6000);
    expect(a.byName).toEqual(expected);
    expect(a.times).toEqual(b.times);
    expect(a.services.slice().sort()).toEqual(b.services.slice().sort());
  });

  it('streamed sources select functions and time ranges', () => {
    const name = res.functionNames[res.perFunction.indexOf(Math.max(...res.perFunction))];
    const one = replay(new CsvTraceArrivals(res.files.csv as string, { functions: [name] }));
    expect([...one.byName.keys()]).toEqual([name]);
    expect(one.total).toBe(expected.get(name));
    const full = replay(new CsvTraceArrivals(res.files.csv as string));
    const inRange = full.times.filter((t) => t >= 600 * SECOND && t < 1200 * SECOND).length;
    const part = replay(new CsvTraceArrivals(res.files.csv as string, { from: 600, to: 1200 }));
    expect(part.total).toBe(inRange);
    expect(part.times[0]).toBeGreaterThanOrEqual(0); // origin defaults to `from`
    expect(part.times.at(-1)).toBeLessThan(600 * SECOND);
    const part21 = replay(new Azure2021Arrivals(res.files.azure2021 as string, { from: 600, to: 1200 }));
    expect(part21.total).toBe(inRange);
  });

  it('same seed gives byte-identical files', () => {
    const d2 = tmp();
    synthesizeTrace({ seed: 3, functions: 12, invocations: 6000, minutes: 90 }, d2);
    for (const f of ['invocations.csv', 'durations.csv', 'memory.csv', 'azure2021.csv', 'trace.csv']) {
      expect(readFileSync(join(d2, f)).equals(readFileSync(join(dir, f)))).toBe(true);
    }
  });
});

describe('streamed readers: bad rows', () => {
  it('Azure 2021: error with file, line, column; skipBadRows counts', () => {
    const dir = tmp();
    const f = join(dir, 'a.csv');
    writeFileSync(f, 'app,func,end_timestamp,duration\na,f,5160.14,0.134\na,f,5161.0,-2\na,g,5162.5,0.5\n');
    expect(() => replay(new Azure2021Arrivals(f))).toThrow(new RegExp(`a\\.csv:3:4 \\(column "duration"\\): expected a non-negative duration in seconds, found "-2"`));
    const src = new Azure2021Arrivals(f, { skipBadRows: true });
    const r = replay(src);
    expect(r.total).toBe(2);
    expect(src.skippedRows).toBe(1);
    expect(r.times[0]).toBe(5160_006_000); // 5160.14 − 0.134 s
    expect(r.services[0]).toBe(134_000);
  });

  it('CSV: rows out of order beyond the window are emitted late, never dropped', () => {
    const dir = tmp();
    const f = join(dir, 't.csv');
    writeFileSync(f, 'timestamp,function,duration\n1,a,5\n3,b,5\n2,a,5\n4,b,5\n');
    const src = new CsvTraceArrivals(f);
    const r = replay(src);
    expect(r.total).toBe(4);
    expect(src.lateRows).toBe(1);
    const src2 = new CsvTraceArrivals(f, { reorderWindow: 2 });
    const r2 = replay(src2);
    expect(r2.times).toEqual([1, 2, 3, 4].map((s) => s * SECOND));
    expect(src2.lateRows).toBe(0);
    expect(() => new CsvTraceArrivals(join(dir, 'missing.csv'))).toThrow(/ENOENT/);
    writeFileSync(f, 'time,fn\n1,a\n');
    expect(() => new CsvTraceArrivals(f)).toThrow(/t\.csv:1: expected a header with column "timestamp"/);
  });
});

describe('shipped traces in traces/', () => {
  it.skipIf(!existsSync(join(shippedDir, 'synthetic-small')))('are reproduced byte for byte by the generator (traces/README.md)', () => {
    const d = tmp();
    synthesizeTrace({ seed: 1, functions: 10, invocations: 2000 }, d);
    for (const f of ['invocations.csv', 'durations.csv', 'memory.csv', 'azure2021.csv', 'trace.csv']) {
      expect(readFileSync(join(d, f)).equals(readFileSync(join(shippedDir, 'synthetic-small', f))), f).toBe(true);
    }
  });

  it.skipIf(!existsSync(join(shippedDir, 'synthetic-small')))('replay exactly in every format', () => {
    const d = join(shippedDir, 'synthetic-small');
    const trace = readAzure2019(d);
    const expected = totalsOf(trace);
    for (const [k, v] of [...expected]) if (v === 0) expected.delete(k);
    const a = replay(new Azure2019Arrivals(trace));
    expect(a.total).toBe(trace.totalInvocations);
    expect(a.byName).toEqual(expected);
    const b = replay(new Azure2021Arrivals(join(d, 'azure2021.csv')));
    expect(b.byName).toEqual(expected);
    const c = replay(new CsvTraceArrivals(join(d, 'trace.csv')));
    expect(c.byName).toEqual(expected);
  });
});
