/**
 * The registry of scenario kinds. A kind names a model builder: its body schema (a strict zod
 * object whose fields sit beside the common header), optional cross-field checks, and a build
 * function that wires a Simulation and returns a RunHandle. Later issues add kinds by calling
 * registerKind from `kinds/index.ts`; the loader never changes.
 */
import type { z } from 'zod';
import type { Simulation } from '../core/simulation.js';
import type { Time } from '../core/time.js';
import type { PathSegment } from './path.js';

/** A JSON value, as written into summary.json. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** `output:` block of the header, with defaults applied. */
export interface OutputOptions {
  /** Write per-request records (requests.csv). Default false. */
  requests: boolean;
  /** Interval of the sampled time series (timeseries.csv), µs. Default 1 s. */
  sampleInterval: Time;
}

/** The header every scenario has, whatever its kind. */
export interface ScenarioHeader {
  name: string;
  description?: string;
  /** Root seed from the file (the CLI's --seed overrides it). */
  seed?: number;
  /** Simulated duration, µs. */
  duration: Time;
  kind: string;
  output: OutputOptions;
}

/** A reproduction check: simulated vs published value (calibration-targets.md, "How to use it"). */
export interface Check {
  name: string;
  simulated: number;
  reported: number;
  /** Relative tolerance unless the check's name says otherwise. */
  tolerance: number;
  pass: boolean;
}

/** A table for the terminal summary. */
export interface Table {
  title: string;
  columns: string[];
  rows: (string | number)[][];
}

/** Per-request records, read row by row when requests.csv is written. */
export interface RecordTable {
  readonly columns: readonly string[];
  readonly length: number;
  /** Fill `out` with the cells of row `i` (in column order). */
  row(i: number, out: (string | number)[]): void;
}

/** Sampled time series: the runner calls sample() every output.sampleInterval. */
export interface TimeSeriesSource {
  /** Column names after `time_s`. */
  readonly columns: readonly string[];
  /** Write the current values (one per column) into `out`. */
  sample(out: Float64Array): void;
}

/** What a built model gives the runner. */
export interface RunHandle {
  /** The `metrics` block of summary.json at the end of the run (simulated time `end`, µs). */
  metrics(end: Time): { [key: string]: JsonValue };
  /** Tables printed on the terminal after the run. */
  tables(end: Time): Table[];
  /** Reproduction checks (empty or absent for plain scenarios). */
  checks?(end: Time): Check[];
  timeSeries?: TimeSeriesSource;
  /** Per-request records (only asked for when output.requests is true). */
  requests?(end: Time): RecordTable;
}

/** What build() receives. */
export interface BuildContext<Body> {
  sim: Simulation;
  header: ScenarioHeader;
  body: Body;
  /** The run's root seed (from --seed, the file, or 1). */
  seed: number;
  /** End of the run, µs (header.duration unless --until overrides it). */
  until: Time;
}

/** Report a cross-field problem at a path inside the scenario. */
export type ReportProblem = (path: PathSegment[], expected: string, found: string) => void;

/** A scenario kind. */
export interface KindDefinition<Schema extends z.ZodObject = z.ZodObject> {
  kind: string;
  /** One line for `servesim validate` and the README. */
  description: string;
  /** Strict zod object of the body fields (they sit beside the header fields). */
  schema: Schema;
  /** Cross-field checks after the schema passed (unknown references, capacity, ...). */
  refine?(body: z.output<Schema>, report: ReportProblem): void;
  /** Wire the model into ctx.sim and return its handle. */
  build(ctx: BuildContext<z.output<Schema>>): RunHandle;
}

const kinds = new Map<string, KindDefinition>();

/** Register a scenario kind; throws if the name is taken. */
export function registerKind<Schema extends z.ZodObject>(def: KindDefinition<Schema>): void {
  if (kinds.has(def.kind)) throw new Error(`scenario kind "${def.kind}" is already registered`);
  kinds.set(def.kind, def as unknown as KindDefinition);
}

/** The kind with this name, or undefined. */
export function getKind(kind: string): KindDefinition | undefined {
  return kinds.get(kind);
}

/** Names of all registered kinds, sorted. */
export function kindNames(): string[] {
  return [...kinds.keys()].sort();
}
