/**
 * Expanding a sweep (issue 8 item 1): the cartesian product of the `sweep.axes` values (in
 * file order, the last axis varying fastest) × the seeds. Every configuration gets a
 * deterministic id built from its axis values, and every point (configuration, seed) a
 * directory `runs/<config id>/seed-<seed>`. Pure: the same file, overrides and end time give
 * the same plan on any machine.
 */
import { formatDuration, type Time } from '../../core/time.js';
import type { JsonValue } from '../../scenario/registry.js';
import type { SweepBlock } from '../../scenario/load.js';
import { canonicalJson, shortHash } from './canonical.js';

/** One axis: the path as written in the file (`--set` syntax) and its values. */
export interface SweepAxis {
  path: string;
  values: JsonValue[];
}

/** One configuration: a value per axis. */
export interface SweepConfig {
  index: number;
  /** Directory-safe id, unique within the sweep, from the axis values. */
  id: string;
  /** One value per axis, in axis order. */
  values: JsonValue[];
}

/** One point: a configuration run with one seed. */
export interface SweepPoint {
  /** Position in the plan (configuration-major, seed-minor). */
  index: number;
  config: number;
  seed: number;
  /** Result directory relative to the sweep directory: runs/<config id>/seed-<seed>. */
  dir: string;
}

/** Everything that defines a sweep, independent of where and how it runs. */
export interface SweepPlan {
  /** Scenario name (header `name`). */
  scenario: string;
  /** Scenario file as given. */
  file: string;
  /** `--set` overrides applied to every point (before the axis values). */
  set: string[];
  /** `--until` applied to every point, µs (undefined: the file's duration). */
  until?: Time;
  axes: SweepAxis[];
  seeds: number[];
  configs: SweepConfig[];
  points: SweepPoint[];
  /** Hash of the scenario data, overrides, end time, axes and seeds: equal ids, equal sweeps. */
  sweepId: string;
}

/** What expandSweep needs. */
export interface ExpandInput {
  file: string;
  /** Parsed scenario data as read (before overrides), for the sweep identity. */
  data: unknown;
  scenario: string;
  sweep: SweepBlock | undefined;
  /** Seed of the first replication (the file's seed, or the default). */
  baseSeed: number;
  set?: readonly string[];
  until?: Time;
}

/** Longest configuration id before it is shortened to a prefix plus a hash. */
export const MAX_ID_LENGTH = 100;

/** The cartesian product of `lists` in order, the last list varying fastest. */
export function cartesian<T>(lists: readonly (readonly T[])[]): T[][] {
  let out: T[][] = [[]];
  for (const list of lists) {
    const next: T[][] = [];
    for (const prefix of out) for (const v of list) next.push([...prefix, v]);
    out = next;
  }
  return out;
}

/** Text of a value for a `--set PATH=VALUE` override (JSON is valid YAML). */
export function overrideValueText(v: JsonValue): string {
  return JSON.stringify(v);
}

/** The `--set` texts that put a configuration's values on its axes. */
export function configOverrides(axes: readonly SweepAxis[], values: readonly JsonValue[]): string[] {
  return axes.map((a, i) => `${a.path}=${overrideValueText(values[i])}`);
}

const SAFE = /[^A-Za-z0-9._-]/g;

function pathSlug(path: string): string {
  return path.replace(/\[(\d+)\]/g, '.$1').replace(/\["((?:[^"\\]|\\.)*)"\]/g, '.$1').replace(SAFE, '_');
}

function valueSlug(v: JsonValue): string {
  const text = typeof v === 'string' ? v : canonicalJson(v);
  return text.replace(SAFE, '_');
}

/**
 * Directory-safe id of a configuration: `path=value` per axis joined by `__` (`base` with no
 * axes). When characters had to be replaced or the id is long, an 8-hex hash of the exact
 * values is appended so that ids stay unique.
 */
export function configId(axes: readonly SweepAxis[], values: readonly JsonValue[]): string {
  if (axes.length === 0) return 'base';
  const raw = axes.map((a, i) => `${a.path}=${typeof values[i] === 'string' ? values[i] : canonicalJson(values[i])}`).join('__');
  let id = axes.map((a, i) => `${pathSlug(a.path)}=${valueSlug(values[i])}`).join('__');
  const exact = axes.map((a, i) => `${a.path.replace(/\[(\d+)\]/g, '.$1')}=${typeof values[i] === 'string' ? values[i] : canonicalJson(values[i])}`).join('__');
  if (id !== exact || id.length > MAX_ID_LENGTH) id = `${id.slice(0, MAX_ID_LENGTH - 9)}-${shortHash(raw, 8)}`;
  return id;
}

/** Result directory of a point, relative to the sweep directory. */
export function pointDir(configIdText: string, seed: number): string {
  return `runs/${configIdText}/seed-${seed}`;
}

/** Expand a scenario's sweep block into its plan (no sweep block: one configuration, one seed). */
export function expandSweep(input: ExpandInput): SweepPlan {
  const axes: SweepAxis[] = Object.entries(input.sweep?.axes ?? {}).map(([path, values]) => ({ path, values: values as JsonValue[] }));
  const nSeeds = input.sweep?.seeds ?? 1;
  const seeds = Array.from({ length: nSeeds }, (_, k) => input.baseSeed + k);
  const combos = cartesian(axes.map((a) => a.values));
  const configs: SweepConfig[] = combos.map((values, index) => ({ index, id: configId(axes, values), values }));
  // Values that print alike (1 and "1") must still get distinct directories.
  const seen = new Map<string, number>();
  for (const c of configs) seen.set(c.id, (seen.get(c.id) ?? 0) + 1);
  for (const c of configs) if ((seen.get(c.id) ?? 0) > 1) c.id = `${c.id.slice(0, MAX_ID_LENGTH - 9)}-${shortHash(canonicalJson(c.values), 8)}`;
  const points: SweepPoint[] = [];
  for (const c of configs) for (const seed of seeds) points.push({ index: points.length, config: c.index, seed, dir: pointDir(c.id, seed) });
  const set = [...(input.set ?? [])];
  const sweepId = shortHash(
    canonicalJson({ data: input.data, set, until: input.until === undefined ? null : formatDuration(input.until), axes, seeds }),
    16,
  );
  return { scenario: input.scenario, file: input.file, set, until: input.until, axes, seeds, configs, points, sweepId };
}

/** Rebuild a plan's configurations and points from its axes and seeds (as stored in sweep.json). */
export function rebuildPoints(axes: readonly SweepAxis[], seeds: readonly number[], ids: readonly string[]): { configs: SweepConfig[]; points: SweepPoint[] } {
  const combos = cartesian(axes.map((a) => a.values));
  const configs = combos.map((values, index) => ({ index, id: ids[index], values }));
  const points: SweepPoint[] = [];
  for (const c of configs) for (const seed of seeds) points.push({ index: points.length, config: c.index, seed, dir: pointDir(c.id, seed) });
  return { configs, points };
}
