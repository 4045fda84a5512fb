/**
 * What the report reads from a run directory: summary.json, and when present
 * timeseries.csv, requests.csv (latencies and arrivals per function) and learning.csv.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { columnIndex, readCsv, type CsvTable } from './csv-read.js';
import { ReportError } from './report-error.js';

/** Latencies (ms, ascending) and arrival times (s, ascending) of one function. */
export interface FunctionRequests {
  name: string;
  latencies: Float64Array;
  arrivals: Float64Array;
  /** Requests that did not complete (timed out or in flight). */
  notCompleted: number;
}

/** The parsed files of a run directory. */
export interface RunData {
  dir: string;
  summary: Record<string, unknown>;
  timeSeries?: { columns: string[]; times: Float64Array; values: Float64Array[] };
  requests?: FunctionRequests[];
  learning?: CsvTable;
}

/** Read the summary.json of a run directory (ReportError when missing or malformed). */
export function readSummary(dir: string): Record<string, unknown> {
  const file = join(dir, 'summary.json');
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (s === null || typeof s !== 'object' || Array.isArray(s)) throw new Error('not a JSON object');
    return s as Record<string, unknown>;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ReportError(`${file}: expected the summary.json of a run (written by servesim run or sweep), found ${code === 'ENOENT' ? 'no such file' : `unreadable JSON (${(e as Error).message})`}`);
  }
}

function numbers(t: CsvTable, col: number): Float64Array {
  const out = new Float64Array(t.rows.length);
  for (let i = 0; i < t.rows.length; i++) out[i] = t.rows[i][col] === '' ? NaN : Number(t.rows[i][col]);
  return out;
}

/** Per-function latencies and arrivals from requests.csv (columns function, outcome, arrival_s, latency_ms). */
export function requestsByFunction(t: CsvTable): FunctionRequests[] | undefined {
  const lat = columnIndex(t, 'latency_ms');
  if (lat < 0) return undefined;
  const fn = columnIndex(t, 'function');
  const outcome = columnIndex(t, 'outcome');
  const arr = columnIndex(t, 'arrival_s');
  const groups = new Map<string, { lat: number[]; arr: number[]; bad: number }>();
  for (const r of t.rows) {
    const name = fn >= 0 ? r[fn] : 'all';
    let g = groups.get(name);
    if (!g) groups.set(name, (g = { lat: [], arr: [], bad: 0 }));
    if (arr >= 0 && r[arr] !== '') g.arr.push(Number(r[arr]));
    const completed = outcome < 0 || r[outcome] === 'completed';
    const v = r[lat] === '' ? NaN : Number(r[lat]);
    if (completed && Number.isFinite(v)) g.lat.push(v);
    else g.bad++;
  }
  return [...groups].map(([name, g]) => ({
    name,
    latencies: Float64Array.from(g.lat).sort(),
    arrivals: Float64Array.from(g.arr).sort(),
    notCompleted: g.bad,
  }));
}

/** Read a run directory. */
export function readRunData(dir: string, opts: { requests?: boolean } = {}): RunData {
  const data: RunData = { dir, summary: readSummary(dir) };
  const ts = join(dir, 'timeseries.csv');
  if (existsSync(ts)) {
    const t = readCsv(ts);
    const tc = columnIndex(t, 'time_s');
    if (tc >= 0) {
      const columns = t.headers.filter((_, j) => j !== tc);
      data.timeSeries = { columns, times: numbers(t, tc), values: columns.map((c) => numbers(t, columnIndex(t, c))) };
    }
  }
  const rq = join(dir, 'requests.csv');
  if (opts.requests !== false && existsSync(rq)) data.requests = requestsByFunction(readCsv(rq));
  const lc = join(dir, 'learning.csv');
  if (existsSync(lc)) data.learning = readCsv(lc);
  return data;
}

/** Nearest-rank quantile of an ascending array (NaN when empty). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  return sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))];
}
