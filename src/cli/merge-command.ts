/** `servesim merge DIR...`: combine the shard directories of one sweep into one sweep directory. */
import { dirname, join } from 'node:path';
import { aggregateTable, AGGREGATE_FILE } from '../experiment/sweep/aggregate.js';
import { MANIFEST_FILE } from '../experiment/sweep/manifest.js';
import { mergeSweeps } from '../experiment/sweep/merge.js';
import { formatTable } from '../experiment/table.js';
import { EXIT_OK } from './exit-codes.js';
import { lastValue, stringList } from './flags.js';
import type { CliIO } from './io.js';

export interface MergeArgs {
  dirs: unknown;
  out?: unknown;
  quiet?: unknown;
}

/** Default out directory of a merge: `merged` beside the first shard directory. */
export function defaultMergeDir(firstDir: string): string {
  return join(dirname(firstDir.replace(/\/+$/, '')), 'merged');
}

/** Run the command; throws SweepError for shards that do not add up to one sweep. */
export async function mergeCommand(args: MergeArgs, io: CliIO): Promise<number> {
  const dirs = stringList(args.dirs);
  const outFlag = lastValue(args.out);
  const out = outFlag === undefined ? defaultMergeDir(dirs[0] ?? '.') : String(outFlag);
  const r = await mergeSweeps(dirs, out);
  const lines = [
    `${r.plan.scenario}: merged sweep ${r.plan.sweepId}, ${r.plan.points.length} points from ${r.taken.map((t) => `${t.dir} (${t.points})`).join(', ')}`,
  ];
  if (lastValue(args.quiet) !== true) lines.push('', formatTable(aggregateTable(r.plan, r.aggregate)), '');
  lines.push(`results in ${out}/: ${MANIFEST_FILE}, ${AGGREGATE_FILE}, runs/`);
  io.out(lines.join('\n') + '\n');
  return EXIT_OK;
}
