/**
 * Reader of the Azure Functions 2019 public trace format (platform-semantics.md (h)):
 * - invocations: `HashOwner, HashApp, HashFunction, Trigger, 1, …, 1440` per-minute counts of one day;
 * - durations:   `HashOwner, HashApp, HashFunction, Average, Count, Minimum, Maximum,
 *                 percentile_Average_{0,1,25,50,75,99,100}` in ms (percentiles of 30 s averages,
 *                 cold starts excluded);
 * - memory:      `HashOwner, HashApp, [HashFunction,] SampleCount, AverageAllocatedMb,
 *                 AverageAllocatedMb_pct{1,5,25,50,75,95,99,100}` per application (the vHive
 *                 loader's example adds the HashFunction column; both layouts are accepted).
 *
 * The invocations file is read once, streamed record by record, into one compact
 * Uint32Array of functions × 1440 counts (4 bytes per cell: 5.8 KB per function), which is
 * what minute-by-minute merging across functions needs (Azure2019Arrivals). Duration and
 * memory files are small (one row per function or app). Columns are found by header name.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CsvRecordReader, TraceFormatError, parseCount, parseNumber } from './csv-records.js';

/** Minutes per day file. */
export const AZURE2019_MINUTES = 1440;
/** Probabilities of the duration percentile columns, in order. */
export const DURATION_PERCENTILES = [0, 0.01, 0.25, 0.5, 0.75, 0.99, 1] as const;
const DURATION_COLUMNS = [0, 1, 25, 50, 75, 99, 100].map((p) => `percentile_Average_${p}`);
/** Probabilities of the memory percentile columns, in order. */
export const MEMORY_PERCENTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1] as const;
const MEMORY_COLUMNS = [1, 5, 25, 50, 75, 95, 99, 100].map((p) => `AverageAllocatedMb_pct${p}`);

export interface Azure2019Files {
  invocations: string;
  durations?: string;
  memory?: string;
}

export interface Azure2019ReadOptions {
  /** Keep only these functions: each entry matches a HashFunction or "HashApp/HashFunction". */
  functions?: readonly string[];
  /** Keep only these triggers (http, timer, event, queue, storage, orchestration, others). */
  triggers?: readonly string[];
  /** Count and skip malformed rows instead of throwing (see `skippedRows`). */
  skipBadRows?: boolean;
}

export interface Azure2019Function {
  owner: string;
  app: string;
  func: string;
  trigger: string;
  /** "HashApp/HashFunction": the function's name in arrival sources. */
  name: string;
  /** Invocations over the day. */
  total: number;
}

/** A loaded Azure 2019 day. */
export interface Azure2019Trace {
  readonly functions: readonly Azure2019Function[];
  /** counts[f·1440 + m] = invocations of function f in minute m (0-based). */
  readonly counts: Uint32Array;
  /** Per function: duration percentiles in ms at DURATION_PERCENTILES, or undefined if absent. */
  readonly durations: readonly (Float64Array | undefined)[];
  /** Per function (its application's): average and percentiles of allocated memory, MB, at MEMORY_PERCENTILES. */
  readonly memory: readonly ({ average: number; percentiles: Float64Array } | undefined)[];
  /** Rows skipped with skipBadRows, per file. */
  readonly skippedRows: { invocations: number; durations: number; memory: number };
  /** Total invocations of the loaded functions. */
  readonly totalInvocations: number;
}

/** Resolve a directory holding invocations.csv / durations.csv / memory.csv (vHive layout, servesim's synth output). */
export function azure2019FilesIn(dir: string): Azure2019Files {
  const f = (n: string): string | undefined => (existsSync(join(dir, n)) ? join(dir, n) : undefined);
  const invocations = f('invocations.csv');
  if (invocations === undefined) throw new Error(`${dir}: expected an Azure 2019 trace directory with invocations.csv (and optionally durations.csv, memory.csv), found no invocations.csv`);
  return { invocations, durations: f('durations.csv'), memory: f('memory.csv') };
}

/**
 * Duration (ms) at quantile u ∈ [0, 1] of a percentile table (values at DURATION_PERCENTILES),
 * by linear interpolation between the tabulated points. Pure; exported for tests.
 */
export function durationAtQuantile(table: ArrayLike<number>, u: number): number {
  const ps = DURATION_PERCENTILES;
  let i = 0;
  while (i < ps.length - 2 && u >= ps[i + 1]) i++;
  const w = (u - ps[i]) / (ps[i + 1] - ps[i]);
  return table[i] + w * (table[i + 1] - table[i]);
}

/** Read an Azure 2019 trace (a directory in the vHive layout, or explicit file paths). */
export function readAzure2019(files: string | Azure2019Files, opts: Azure2019ReadOptions = {}): Azure2019Trace {
  const paths = typeof files === 'string' ? (statSync(files).isDirectory() ? azure2019FilesIn(files) : { invocations: files }) : files;
  const skip = opts.skipBadRows ?? false;
  const wantFns = opts.functions === undefined ? null : new Set(opts.functions);
  const wantTriggers = opts.triggers === undefined ? null : new Set(opts.triggers);
  const skipped = { invocations: 0, durations: 0, memory: 0 };

  // --- invocations ---
  const r = new CsvRecordReader(paths.invocations);
  const iOwner = r.requireColumn('HashOwner');
  const iApp = r.requireColumn('HashApp');
  const iFunc = r.requireColumn('HashFunction');
  const iTrig = r.requireColumn('Trigger');
  const minuteCol = new Int32Array(AZURE2019_MINUTES);
  for (let m = 0; m < AZURE2019_MINUTES; m++) minuteCol[m] = r.requireColumn(String(m + 1));
  const functions: Azure2019Function[] = [];
  let counts = new Uint32Array(AZURE2019_MINUTES * 64);
  const row = new Uint32Array(AZURE2019_MINUTES);
  let total = 0;
  let rec: string[] | null;
  while ((rec = r.next()) !== null) {
    try {
      if (rec.length !== r.header.length) throw r.error(Math.min(rec.length, r.header.length) - 1, `expected ${r.header.length} fields as in the header, found ${rec.length}`);
      const func = rec[iFunc], app = rec[iApp];
      if (func === '') throw r.error(iFunc, 'expected a function hash, found an empty field');
      if (wantFns !== null && !wantFns.has(func) && !wantFns.has(`${app}/${func}`)) continue;
      if (wantTriggers !== null && !wantTriggers.has(rec[iTrig])) continue;
      let sum = 0;
      for (let m = 0; m < AZURE2019_MINUTES; m++) {
        const c = parseCount(rec[minuteCol[m]]);
        if (!(c >= 0 && c <= 0xffffffff)) throw r.error(minuteCol[m], `expected a non-negative integer invocation count, found ${JSON.stringify(rec[minuteCol[m]])}`);
        row[m] = c;
        sum += c;
      }
      const f = functions.length;
      if ((f + 1) * AZURE2019_MINUTES > counts.length) {
        const c2 = new Uint32Array(counts.length * 2);
        c2.set(counts);
        counts = c2;
      }
      counts.set(row, f * AZURE2019_MINUTES);
      functions.push({ owner: rec[iOwner], app, func, trigger: rec[iTrig], name: `${app}/${func}`, total: sum });
      total += sum;
    } catch (e) {
      if (skip && e instanceof TraceFormatError) skipped.invocations++;
      else {
        r.close();
        throw e;
      }
    }
  }
  counts = counts.slice(0, functions.length * AZURE2019_MINUTES);

  const byKey = new Map<string, number[]>();
  functions.forEach((fn, i) => {
    const k = `${fn.owner}\u0000${fn.app}\u0000${fn.func}`;
    const list = byKey.get(k);
    if (list === undefined) byKey.set(k, [i]);
    else list.push(i);
  });

  // --- durations ---
  const durations: (Float64Array | undefined)[] = new Array(functions.length).fill(undefined);
  if (paths.durations !== undefined) {
    const d = new CsvRecordReader(paths.durations);
    const cO = d.requireColumn('HashOwner'), cA = d.requireColumn('HashApp'), cF = d.requireColumn('HashFunction');
    const cols = DURATION_COLUMNS.map((c) => d.requireColumn(c));
    while ((rec = d.next()) !== null) {
      try {
        if (rec.length !== d.header.length) throw d.error(Math.min(rec.length, d.header.length) - 1, `expected ${d.header.length} fields as in the header, found ${rec.length}`);
        const idx = byKey.get(`${rec[cO]}\u0000${rec[cA]}\u0000${rec[cF]}`);
        if (idx === undefined) continue;
        const t = new Float64Array(cols.length);
        for (let j = 0; j < cols.length; j++) {
          const v = parseNumber(rec[cols[j]]);
          if (!(v >= 0)) throw d.error(cols[j], `expected a non-negative duration in ms, found ${JSON.stringify(rec[cols[j]])}`);
          if (j > 0 && v < t[j - 1]) throw d.error(cols[j], `expected percentiles not decreasing (${DURATION_COLUMNS[j - 1]} = ${t[j - 1]}), found ${v}`);
          t[j] = v;
        }
        for (const i of idx) durations[i] = t;
      } catch (e) {
        if (skip && e instanceof TraceFormatError) skipped.durations++;
        else {
          d.close();
          throw e;
        }
      }
    }
  }

  // --- memory (per application) ---
  const memory: ({ average: number; percentiles: Float64Array } | undefined)[] = new Array(functions.length).fill(undefined);
  if (paths.memory !== undefined) {
    const byApp = new Map<string, number[]>();
    functions.forEach((fn, i) => {
      const k = `${fn.owner}\u0000${fn.app}`;
      const list = byApp.get(k);
      if (list === undefined) byApp.set(k, [i]);
      else list.push(i);
    });
    const mr = new CsvRecordReader(paths.memory);
    const cO = mr.requireColumn('HashOwner'), cA = mr.requireColumn('HashApp');
    const cAvg = mr.requireColumn('AverageAllocatedMb');
    const cols = MEMORY_COLUMNS.map((c) => mr.requireColumn(c));
    while ((rec = mr.next()) !== null) {
      try {
        if (rec.length !== mr.header.length) throw mr.error(Math.min(rec.length, mr.header.length) - 1, `expected ${mr.header.length} fields as in the header, found ${rec.length}`);
        const idx = byApp.get(`${rec[cO]}\u0000${rec[cA]}`);
        if (idx === undefined) continue;
        const average = parseNumber(rec[cAvg]);
        if (!(average >= 0)) throw mr.error(cAvg, `expected a non-negative memory size in MB, found ${JSON.stringify(rec[cAvg])}`);
        const p = new Float64Array(cols.length);
        for (let j = 0; j < cols.length; j++) {
          const v = parseNumber(rec[cols[j]]);
          if (!(v >= 0)) throw mr.error(cols[j], `expected a non-negative memory size in MB, found ${JSON.stringify(rec[cols[j]])}`);
          p[j] = v;
        }
        for (const i of idx) memory[i] = { average, percentiles: p };
      } catch (e) {
        if (skip && e instanceof TraceFormatError) skipped.memory++;
        else {
          mr.close();
          throw e;
        }
      }
    }
  }

  return { functions, counts, durations, memory, skippedRows: skipped, totalInvocations: total };
}
