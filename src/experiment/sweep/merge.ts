/**
 * `servesim merge DIR...` (DESIGN.md "Scale beyond one machine"): combine the directories of
 * the shards of one sweep into one sweep directory: the point directories are linked (or
 * copied across file systems) into `out/runs/`, and sweep.json and aggregate.csv are
 * written as for an unsharded run, from the same summaries in the same order, so the
 * aggregate is byte-identical to the unsharded one.
 */
import { copyFile, link, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { aggregateSweep, readSummaries, writeAggregate, type AggregateRow } from './aggregate.js';
import { SweepError } from './errors.js';
import type { SweepPlan } from './expand.js';
import { isPointComplete, manifestOf, planFromManifest, readManifest, writeManifest } from './manifest.js';
import { TEMP_PREFIX } from './point.js';
import { formatShard } from './shard.js';

export interface MergeResult {
  plan: SweepPlan;
  out: string;
  /** Points taken from each input directory. */
  taken: { dir: string; points: number }[];
  aggregate: AggregateRow[];
  aggregateFile: string;
}

/** Hard-link (or copy, across devices) the files of `src` into `dst`, recursively. */
async function linkTree(src: string, dst: string): Promise<void> {
  await mkdir(dst, { recursive: true });
  for (const e of await readdir(src, { withFileTypes: true })) {
    const from = join(src, e.name);
    const to = join(dst, e.name);
    if (e.isDirectory()) await linkTree(from, to);
    else if (e.isFile()) {
      try {
        await link(from, to);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK') throw err;
        await copyFile(from, to);
      }
    }
  }
}

/** Merge the sweep directories `dirs` (shards of one sweep) into `out`. Throws SweepError when they do not add up to one whole sweep. */
export async function mergeSweeps(dirs: readonly string[], out: string): Promise<MergeResult> {
  if (dirs.length === 0) throw new SweepError('merge: expected one or more sweep directories, found none');
  const manifests = dirs.map((d) => readManifest(d));
  const first = manifests[0];
  manifests.forEach((m, i) => {
    if (m.sweepId !== first.sweepId) {
      throw new SweepError(`merge: ${dirs[i]} holds sweep ${m.sweepId} (${m.scenario}) but ${dirs[0]} holds sweep ${first.sweepId} (${first.scenario}): expected shards of one sweep`);
    }
  });
  const plan = planFromManifest(first);
  const outAbs = resolve(out);
  const source = new Array<string | undefined>(plan.points.length);
  const taken = dirs.map((dir) => ({ dir, points: 0 }));
  plan.points.forEach((p) => {
    const k = dirs.findIndex((d) => isPointComplete(d, p.dir));
    if (k >= 0) {
      source[p.index] = dirs[k];
      taken[k].points++;
    }
  });
  const missing = plan.points.filter((p) => source[p.index] === undefined);
  if (missing.length > 0) {
    const shards = manifests.map((m, i) => `${dirs[i]}${m.shard ? ` (shard ${formatShard(m.shard)})` : ''}`).join(', ');
    const list = missing.slice(0, 5).map((p) => p.dir).join(', ');
    throw new SweepError(
      `merge: expected every one of the ${plan.points.length} points of sweep ${plan.sweepId} to be complete in ${shards}; ` +
        `${missing.length} are missing: ${list}${missing.length > 5 ? ', ...' : ''} (run the missing shards, or resume them with --resume)`,
    );
  }
  for (const p of plan.points) {
    const from = source[p.index] as string;
    if (resolve(from) === outAbs) continue;
    if (isPointComplete(out, p.dir)) continue;
    const dst = join(out, p.dir);
    const tmp = join(dirname(dst), `${TEMP_PREFIX}${basename(dst)}-merge-${process.pid}`);
    await rm(tmp, { recursive: true, force: true });
    await linkTree(join(from, p.dir), tmp);
    await rm(dst, { recursive: true, force: true });
    await rename(tmp, dst);
  }
  const m = manifestOf(plan, null);
  m.servesim = first.servesim;
  m.mergedFrom = dirs.map((d) => relative(outAbs, resolve(d)) || '.');
  await writeManifest(out, m);
  const summaries = readSummaries(out, plan.points.map((p) => p.dir));
  const aggregate = aggregateSweep(plan, summaries);
  const aggregateFile = await writeAggregate(out, plan, aggregate);
  return { plan, out, taken, aggregate, aggregateFile };
}
