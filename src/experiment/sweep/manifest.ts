/**
 * sweep.json: the manifest a sweep directory starts with. It holds the plan (axes, seeds,
 * configuration ids), the sweep identity and the shard, so that `--resume` can check it is
 * continuing the same sweep and `servesim merge` can rebuild the aggregate without the
 * scenario file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDuration, parseDuration } from '../../core/time.js';
import type { JsonValue } from '../../scenario/registry.js';
import { writeFileAtomic } from '../atomic.js';
import { servesimVersion } from '../version.js';
import { SweepError } from './errors.js';
import { rebuildPoints, type SweepAxis, type SweepPlan } from './expand.js';
import type { Shard } from './shard.js';

/** File name of the manifest inside a sweep directory. */
export const MANIFEST_FILE = 'sweep.json';

/** The manifest as stored. */
export interface SweepManifest {
  servesim: string;
  sweepId: string;
  scenario: string;
  file: string;
  set: string[];
  until: string | null;
  axes: SweepAxis[];
  seeds: number[];
  configs: { id: string; values: JsonValue[] }[];
  points: number;
  /** Shard of this directory, or null for a whole (or merged) sweep. */
  shard: Shard | null;
  /** Directories a merged sweep was combined from. */
  mergedFrom?: string[];
}

/** The manifest of `plan` (run as `shard`). */
export function manifestOf(plan: SweepPlan, shard: Shard | null): SweepManifest {
  return {
    servesim: servesimVersion(),
    sweepId: plan.sweepId,
    scenario: plan.scenario,
    file: plan.file,
    set: plan.set,
    until: plan.until === undefined ? null : formatDuration(plan.until),
    axes: plan.axes,
    seeds: plan.seeds,
    configs: plan.configs.map((c) => ({ id: c.id, values: c.values })),
    points: plan.points.length,
    shard,
  };
}

/** Write the manifest atomically into `dir`. */
export async function writeManifest(dir: string, m: SweepManifest): Promise<void> {
  await writeFileAtomic(join(dir, MANIFEST_FILE), JSON.stringify(m, null, 2) + '\n');
}

/** Is `dir` a sweep directory (has a sweep.json)? */
export function isSweepDir(dir: string): boolean {
  return existsSync(join(dir, MANIFEST_FILE));
}

/** Read and check the manifest of `dir`; throws SweepError for a missing or malformed one. */
export function readManifest(dir: string): SweepManifest {
  const file = join(dir, MANIFEST_FILE);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SweepError(`${file}: expected a sweep manifest (written by servesim sweep), found ${code === 'ENOENT' ? 'no such file' : `unreadable JSON (${(e as Error).message})`}`);
  }
  const m = data as Partial<SweepManifest>;
  const bad = (field: string, expected: string): never => {
    throw new SweepError(`${file}: ${field}: expected ${expected}, found ${JSON.stringify((m as Record<string, unknown>)[field]) ?? 'nothing'}`);
  };
  if (typeof m.sweepId !== 'string') bad('sweepId', 'a string');
  if (typeof m.scenario !== 'string') bad('scenario', 'a string');
  if (!Array.isArray(m.axes) || !m.axes.every((a) => a && typeof a.path === 'string' && Array.isArray(a.values))) bad('axes', 'a list of {path, values}');
  if (!Array.isArray(m.seeds) || !m.seeds.every((s) => Number.isSafeInteger(s))) bad('seeds', 'a list of integers');
  if (!Array.isArray(m.configs) || !m.configs.every((c) => c && typeof c.id === 'string')) bad('configs', 'a list of {id, values}');
  if (m.shard !== null && !(m.shard && Number.isInteger(m.shard.index) && Number.isInteger(m.shard.count))) bad('shard', 'null or {index, count}');
  return m as SweepManifest;
}

/** The plan stored in a manifest. */
export function planFromManifest(m: SweepManifest): SweepPlan {
  const { configs, points } = rebuildPoints(m.axes, m.seeds, m.configs.map((c) => c.id));
  if (configs.length !== m.configs.length) {
    throw new SweepError(`sweep ${m.sweepId}: the manifest lists ${m.configs.length} configurations but its axes give ${configs.length}`);
  }
  return {
    scenario: m.scenario,
    file: m.file,
    set: m.set ?? [],
    until: m.until === null || m.until === undefined ? undefined : parseDuration(m.until),
    axes: m.axes,
    seeds: m.seeds,
    configs,
    points,
    sweepId: m.sweepId,
  };
}

/** Is a point's result complete (its summary.json exists, which writeResults writes last)? */
export function isPointComplete(sweepDir: string, pointDirRel: string): boolean {
  return existsSync(join(sweepDir, pointDirRel, 'summary.json'));
}
