/**
 * Running a sweep (issue 8 item 1): expand the scenario's `sweep:` block, check every
 * configuration, write the manifest, skip the points already complete (`resume`), run the
 * rest in-process (`jobs` 1) or on a worker-thread pool, and when every point of this shard
 * is complete write aggregate.csv.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Time } from '../../core/time.js';
import { validateSource } from '../../scenario/load.js';
import { readScenarioSource, type ScenarioSource } from '../../scenario/source.js';
import { DEFAULT_SEED } from '../run.js';
import { wallMillis } from '../wallclock.js';
import { aggregateSweep, readSummaries, writeAggregate, type AggregateRow } from './aggregate.js';
import { SweepError } from './errors.js';
import { configOverrides, expandSweep, type SweepPlan, type SweepPoint } from './expand.js';
import { isPointComplete, isSweepDir, manifestOf, readManifest, writeManifest } from './manifest.js';
import { removeStaleTemps, runPoint, type PointDone, type PointTask } from './point.js';
import { defaultWorkerUrl, runOnPool, TaskError } from './pool.js';
import { formatShard, shardPoints, type Shard } from './shard.js';
import { validatePlan } from './validate.js';

export interface SweepOptions {
  /** Scenario file with a `sweep:` block (without one: a single configuration and seed). */
  file: string;
  /** Output directory of the sweep. */
  out: string;
  /** `--set` overrides applied to every point. */
  set?: readonly string[];
  /** End time applied to every point, µs. */
  until?: Time;
  /** Parallel points: 1 runs in this thread, more use worker threads. Default 1. */
  jobs?: number;
  /** Continue a sweep in `out`, skipping complete points (without it, an out directory holding results is refused). */
  resume?: boolean;
  /** Run only this shard. */
  shard?: Shard;
  /** 'inline' forces in-process, 'threads' forces the pool; 'auto' (default) picks by jobs. */
  executor?: 'auto' | 'inline' | 'threads';
  /** Worker script for the pool (default: the built dist/experiment/sweep/worker.js). */
  workerUrl?: URL;
  /** Stop handing out points (points in flight finish); the sweep can be resumed. */
  signal?: AbortSignal;
  /** Called once the work is known, and after each point finishes or fails. */
  onProgress?(p: SweepProgress): void;
}

/** Progress of a sweep invocation. */
export interface SweepProgress {
  /** Points of this shard in all. */
  total: number;
  /** Complete before this invocation started. */
  skipped: number;
  /** Finished in this invocation. */
  ran: number;
  failed: number;
  /** Points this invocation has to run. */
  todo: number;
}

/** A failed point. */
export interface PointFailure {
  point: SweepPoint;
  errorName: string;
  message: string;
}

export interface SweepResult {
  plan: SweepPlan;
  shard: Shard | null;
  out: string;
  /** Points of this shard. */
  points: SweepPoint[];
  skipped: number;
  ran: number;
  failures: PointFailure[];
  /** True when every point of the shard is complete (the aggregate was written). */
  complete: boolean;
  aggregate?: AggregateRow[];
  aggregateFile?: string;
  /** Sum of the points' own simulation wall times, s (this invocation). */
  pointWallSeconds: number;
  /** Wall time of the whole invocation, s. */
  wallSeconds: number;
}

/** Load, expand and check the sweep of `file` (no I/O besides reading the file). */
export function planSweep(file: string, opts: { set?: readonly string[]; until?: Time } = {}): { plan: SweepPlan; source: ScenarioSource } {
  const source = readScenarioSource(file);
  const base = validateSource(source, { set: opts.set ? [...opts.set] : [] });
  const plan = expandSweep({
    file,
    data: source.data,
    scenario: base.header.name,
    sweep: base.sweep,
    baseSeed: base.header.seed ?? DEFAULT_SEED,
    set: opts.set,
    until: opts.until,
  });
  validatePlan(plan, source);
  return { plan, source };
}

/** The task of running `point` of `plan` into `out`. */
export function pointTask(plan: SweepPlan, point: SweepPoint, out: string): PointTask {
  return {
    index: point.index,
    file: plan.file,
    set: [...plan.set, ...configOverrides(plan.axes, plan.configs[point.config].values)],
    seed: point.seed,
    until: plan.until,
    dir: join(out, point.dir),
  };
}

/** Run (or resume) a sweep. Throws ScenarioError/SweepError for bad input before running anything. */
export async function runSweep(opts: SweepOptions): Promise<SweepResult> {
  const started = wallMillis();
  const { plan } = planSweep(opts.file, { set: opts.set, until: opts.until });
  const shard = opts.shard ?? null;
  const points = shard ? shardPoints(plan.points, shard) : plan.points;
  const out = opts.out;
  const jobs = opts.jobs ?? 1;
  if (!(Number.isInteger(jobs) && jobs >= 1)) throw new SweepError(`--jobs: expected a positive integer, found ${String(jobs)}`);

  if (isSweepDir(out)) {
    const old = readManifest(out);
    const sameShard = (old.shard === null && shard === null) || (old.shard !== null && shard !== null && old.shard.index === shard.index && old.shard.count === shard.count);
    if (old.sweepId !== plan.sweepId || !sameShard) {
      throw new SweepError(
        `${out} holds another sweep (${old.scenario}, id ${old.sweepId}${old.shard ? `, shard ${formatShard(old.shard)}` : ''}); ` +
          `expected sweep id ${plan.sweepId}${shard ? ` shard ${formatShard(shard)}` : ''}: choose another --out or remove it`,
      );
    }
    if (!opts.resume && points.some((p) => isPointComplete(out, p.dir))) {
      throw new SweepError(`${out} already holds results of this sweep: pass --resume to continue it, or choose another --out`);
    }
  } else if (existsSync(out) && existsSync(join(out, 'runs'))) {
    throw new SweepError(`${out} holds a runs/ directory but no sweep.json: expected an empty or new directory for --out`);
  }
  await writeManifest(out, manifestOf(plan, shard));
  await removeStaleTemps(join(out, 'runs'));

  const todo = points.filter((p) => !isPointComplete(out, p.dir));
  const progress: SweepProgress = { total: points.length, skipped: points.length - todo.length, ran: 0, failed: 0, todo: todo.length };
  opts.onProgress?.({ ...progress });
  const failures: PointFailure[] = [];
  let pointWall = 0;
  const finished = (p: SweepPoint, outcome: { ok: true; result: PointDone } | { ok: false; name: string; message: string }): void => {
    if (outcome.ok) {
      progress.ran++;
      pointWall += outcome.result.wallSeconds;
    } else {
      progress.failed++;
      failures.push({ point: p, errorName: outcome.name, message: outcome.message });
    }
    opts.onProgress?.({ ...progress });
  };

  const tasks = todo.map((p) => pointTask(plan, p, out));
  const executor = opts.executor ?? 'auto';
  const threads = executor === 'threads' || (executor === 'auto' && jobs > 1 && tasks.length > 1);
  if (threads) {
    const workerUrl = opts.workerUrl ?? defaultWorkerUrl();
    if (!workerUrl) throw new SweepError('--jobs above 1 runs points on worker threads, which load the built code: run "npm run build" first (dist/experiment/sweep/worker.js is missing)');
    await runOnPool(tasks, {
      jobs,
      workerUrl,
      signal: opts.signal,
      onResult: (i, o) => finished(todo[i], o.ok ? { ok: true, result: o.result as PointDone } : { ok: false, name: o.error.errorName, message: o.error.message }),
    });
  } else {
    const sources = new Map<string, ScenarioSource>();
    for (let i = 0; i < tasks.length && !opts.signal?.aborted; i++) {
      try {
        finished(todo[i], { ok: true, result: await runPoint(tasks[i], sources) });
      } catch (e) {
        const name = e instanceof TaskError ? e.errorName : e instanceof Error ? e.name : 'Error';
        finished(todo[i], { ok: false, name, message: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  const complete = points.every((p) => isPointComplete(out, p.dir));
  const result: SweepResult = {
    plan,
    shard,
    out,
    points,
    skipped: progress.skipped,
    ran: progress.ran,
    failures,
    complete,
    pointWallSeconds: pointWall,
    wallSeconds: 0,
  };
  if (complete) {
    const summaries = new Array<unknown>(plan.points.length);
    const read = readSummaries(out, points.map((p) => p.dir));
    points.forEach((p, k) => (summaries[p.index] = read[k]));
    result.aggregate = aggregateSweep(plan, summaries);
    result.aggregateFile = await writeAggregate(out, plan, result.aggregate);
  }
  result.wallSeconds = (wallMillis() - started) / 1000;
  return result;
}

