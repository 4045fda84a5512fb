/**
 * Result files of one run, written atomically into the out directory: summary.json,
 * timeseries.csv (when the kind samples one) and requests.csv (when output.requests).
 */
import { join } from 'node:path';
import { formatDuration, SECOND } from '../core/time.js';
import type { JsonValue } from '../scenario/registry.js';
import { writeCsvAtomic, writeFileAtomic, type CsvCell } from './atomic.js';
import type { RunResult } from './run.js';
import { servesimVersion } from './version.js';

/** Fields of summary.json that depend on the wall clock (everything else is deterministic). */
export const WALL_CLOCK_FIELDS = ['wallTimeSeconds', 'eventsPerSecond', 'simulatedSecondsPerWallSecond'] as const;

/** The summary.json object of a run. */
export function summaryOf(r: RunResult): { [key: string]: JsonValue } {
  const simSeconds = r.until / SECOND;
  // Studies that run one simulation per configuration advance more simulated time than `until`.
  const simTotalSeconds = r.simulatedUsTotal / SECOND;
  const summary: { [key: string]: JsonValue } = {
    servesim: servesimVersion(),
    scenario: r.header.name,
    file: r.file,
    kind: r.header.kind,
    seed: r.seed,
    simulatedDuration: formatDuration(r.until),
    simulatedSeconds: simSeconds,
    simulatedSecondsAllSimulations: simTotalSeconds,
    eventsProcessed: r.eventsProcessed,
    wallTimeSeconds: round3(r.wallSeconds),
    eventsPerSecond: r.wallSeconds > 0 ? Math.round(r.eventsProcessed / r.wallSeconds) : null,
    simulatedSecondsPerWallSecond: r.wallSeconds > 0 ? round3(simTotalSeconds / r.wallSeconds) : null,
    metrics: r.metrics,
  };
  if (r.checks.length > 0) summary.checks = r.checks.map((c) => ({ ...c }));
  return summary;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Names of the files written by writeResults. */
export interface WrittenFiles {
  summary: string;
  timeSeries?: string;
  requests?: string;
}

/** Write the run's results into `outDir` (created if needed). */
export async function writeResults(outDir: string, r: RunResult): Promise<WrittenFiles> {
  const written: WrittenFiles = { summary: join(outDir, 'summary.json') };
  const ts = r.timeSeries;
  if (ts) {
    written.timeSeries = join(outDir, 'timeseries.csv');
    const width = ts.columns.length;
    await writeCsvAtomic(written.timeSeries, ['time_s', ...ts.columns], (function* () {
      const row: CsvCell[] = new Array<CsvCell>(width + 1);
      for (let i = 0; i < ts.rows; i++) {
        row[0] = ts.times[i] / SECOND;
        for (let j = 0; j < width; j++) row[j + 1] = ts.values[i * width + j];
        yield row;
      }
    })());
  }
  const req = r.requests;
  if (req) {
    written.requests = join(outDir, 'requests.csv');
    await writeCsvAtomic(written.requests, req.columns, (function* () {
      const row: CsvCell[] = new Array<CsvCell>(req.columns.length);
      for (let i = 0; i < req.length; i++) {
        req.row(i, row);
        yield row;
      }
    })());
  }
  // summary.json last: its presence marks a complete result directory.
  await writeFileAtomic(written.summary, JSON.stringify(summaryOf(r), null, 2) + '\n');
  return written;
}
