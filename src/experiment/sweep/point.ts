/**
 * Running one sweep point: load the scenario with the sweep's overrides and the point's axis
 * values, run it with the point's seed, write its results into a temporary directory and
 * rename that over the point's directory, so a point directory is either complete or absent
 * (an interrupted sweep loses at most the points in flight). Used in-process and by the
 * worker threads.
 */
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { Time } from '../../core/time.js';
import { validateSource } from '../../scenario/load.js';
import { readScenarioSource, type ScenarioSource } from '../../scenario/source.js';
import { writeResults } from '../results.js';
import { runScenario } from '../run.js';
import '../studies/index.js';

/** What a point needs to run; plain data, so it can be posted to a worker thread. */
export interface PointTask {
  /** Plan index of the point. */
  index: number;
  file: string;
  /** Sweep overrides followed by the point's axis overrides (`PATH=VALUE`). */
  set: string[];
  seed: number;
  /** End time, µs (undefined: the file's duration). */
  until?: Time;
  /** Final result directory (absolute or relative to the working directory). */
  dir: string;
}

/** What a finished point reports. */
export interface PointDone {
  index: number;
  wallSeconds: number;
  eventsProcessed: number;
}

let tempCounter = 0;

/** Prefix of temporary point directories (hidden; removed on resume). */
export const TEMP_PREFIX = '.tmp-';

/** Run one point and write its results atomically. `sources` caches parsed scenario files. */
export async function runPoint(task: PointTask, sources: Map<string, ScenarioSource> = new Map()): Promise<PointDone> {
  let source = sources.get(task.file);
  if (!source) {
    source = readScenarioSource(task.file);
    sources.set(task.file, source);
  }
  const scenario = validateSource(source, { set: task.set });
  const result = runScenario(scenario, { seed: task.seed, until: task.until });
  const parent = dirname(task.dir);
  const tmp = join(parent, `${TEMP_PREFIX}${basename(task.dir)}-${process.pid}-${threadId}-${tempCounter++}`);
  await mkdir(parent, { recursive: true });
  try {
    await writeResults(tmp, result);
    await rm(task.dir, { recursive: true, force: true });
    await rename(tmp, task.dir);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return { index: task.index, wallSeconds: result.wallSeconds, eventsProcessed: result.eventsProcessed };
}

/** Remove temporary point directories left by an interrupted sweep under `runsDir`. */
export async function removeStaleTemps(runsDir: string): Promise<number> {
  let removed = 0;
  let configs: string[];
  try {
    configs = await readdir(runsDir);
  } catch {
    return 0;
  }
  for (const c of configs) {
    let entries: string[];
    try {
      entries = await readdir(join(runsDir, c));
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.startsWith(TEMP_PREFIX)) {
        await rm(join(runsDir, c, e), { recursive: true, force: true });
        removed++;
      }
    }
  }
  return removed;
}
