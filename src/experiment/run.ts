/**
 * Running a loaded scenario: build the model on a fresh Simulation, sample the time series
 * every output.sampleInterval, and advance simulated time in chunks so that a progress
 * callback can run between them (the simulation itself never reads a clock; chunking does
 * not change the order of events).
 */
import { Simulation, simulationTotals } from '../core/simulation.js';
import { formatDuration, type Time } from '../core/time.js';
import { ScenarioError } from '../scenario/errors.js';
import type { LoadedScenario } from '../scenario/load.js';
import type { Check, JsonValue, RecordTable, ScenarioHeader, Table } from '../scenario/registry.js';
import { wallMillis } from './wallclock.js';

/** Default root seed when neither --seed nor the file gives one. */
export const DEFAULT_SEED = 1;

/** Most rows a time series may have (memory bound: 8 bytes × columns × rows). */
export const MAX_SAMPLES = 5_000_000;

/** Number of chunks a run is split into for progress updates. */
const CHUNKS = 200;

export interface RunOptions {
  /** Root seed (overrides the file's `seed`). */
  seed?: number;
  /** End of the run in µs (overrides the file's `duration`). */
  until?: Time;
  /** Called between chunks with the simulated time reached and the end time (µs). */
  onProgress?(now: Time, until: Time): void;
}

/** Sampled time series: `times` (µs) and row-major `values` (rows × columns). */
export interface TimeSeries {
  columns: readonly string[];
  rows: number;
  times: Float64Array;
  values: Float64Array;
}

export interface RunResult {
  file: string;
  header: ScenarioHeader;
  seed: number;
  /** Simulated end time, µs. */
  until: Time;
  /** Events executed by every simulation of the run (a study may run one per configuration). */
  eventsProcessed: number;
  /** Simulated time advanced by every simulation of the run, µs (equals `until` for one simulation). */
  simulatedUsTotal: number;
  /** Wall-clock seconds of the simulation (building and running, not writing files). */
  wallSeconds: number;
  metrics: { [key: string]: JsonValue };
  checks: Check[];
  tables: Table[];
  timeSeries?: TimeSeries;
  requests?: RecordTable;
}

/** Run `scenario` to its end and collect metrics, checks, time series and records. */
export function runScenario(scenario: LoadedScenario, opts: RunOptions = {}): RunResult {
  const { header } = scenario;
  const seed = opts.seed ?? header.seed ?? DEFAULT_SEED;
  const until = opts.until ?? header.duration;
  const wallStart = wallMillis();
  const totals0 = { ...simulationTotals };
  const sim = new Simulation({ seed });
  const handle = scenario.kind.build({ sim, header, body: scenario.body, seed, until });

  let series: TimeSeries | undefined;
  const ts = handle.timeSeries;
  if (ts) {
    const interval = header.output.sampleInterval;
    const rows = Math.floor(until / interval) + 1;
    if (rows > MAX_SAMPLES) {
      throw new ScenarioError(scenario.file, [
        {
          path: ['output', 'sampleInterval'],
          expected: `an interval giving at most ${MAX_SAMPLES} samples over ${formatDuration(until)} (at least ${formatDuration(Math.ceil(until / (MAX_SAMPLES - 1)))})`,
          found: `${formatDuration(interval)} (${rows} samples)`,
        },
      ]);
    }
    const width = ts.columns.length;
    const s: TimeSeries = { columns: ts.columns, rows: 0, times: new Float64Array(rows), values: new Float64Array(rows * width) };
    series = s;
    const row = new Float64Array(width);
    const tick = (): void => {
      ts.sample(row);
      s.times[s.rows] = sim.now;
      s.values.set(row, s.rows * width);
      s.rows++;
      if (s.rows < rows) sim.schedule(interval, tick, undefined);
    };
    sim.scheduleAt(0, tick, undefined);
  }

  for (let k = 1; k <= CHUNKS; k++) {
    const t = k === CHUNKS ? until : Math.floor((until * k) / CHUNKS);
    sim.run(t);
    opts.onProgress?.(t, until);
  }
  const end = until;
  const metrics = handle.metrics(end);
  const checks = handle.checks?.(end) ?? [];
  const tables = handle.tables(end);
  const requests = header.output.requests && handle.requests ? handle.requests(end) : undefined;
  const wallSeconds = (wallMillis() - wallStart) / 1000;
  const eventsProcessed = simulationTotals.events - totals0.events;
  const simulatedUsTotal = simulationTotals.simulatedUs - totals0.simulatedUs;
  return { file: scenario.file, header, seed, until, eventsProcessed, simulatedUsTotal, wallSeconds, metrics, checks, tables, timeSeries: series, requests };
}
