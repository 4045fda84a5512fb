/**
 * `servesim sweep FILE`: run a scenario's sweep (axes × seeds) on a worker pool, resume it,
 * run one shard of it, or emit the Kubernetes Indexed Job / Slurm array that runs its
 * shards elsewhere. Prints the aggregate (mean ± 95 % CI per configuration) at the end.
 */
import { availableParallelism } from 'node:os';
import { basename, extname, join } from 'node:path';
import { writeFileAtomic } from '../experiment/atomic.js';
import { aggregateTable, AGGREGATE_FILE } from '../experiment/sweep/aggregate.js';
import { emitK8sJob, emitSlurm } from '../experiment/sweep/emit.js';
import { SweepError } from '../experiment/sweep/errors.js';
import { MANIFEST_FILE } from '../experiment/sweep/manifest.js';
import { createSweepProgressBar } from '../experiment/sweep/progress-bar.js';
import { planSweep, runSweep } from '../experiment/sweep/runner.js';
import { formatShard, parseShard, shardPoints, type Shard } from '../experiment/sweep/shard.js';
import { formatTable } from '../experiment/table.js';
import { writeReport } from '../experiment/report/report.js';
import { EXIT_FAILURE, EXIT_OK, UsageError } from './exit-codes.js';
import { lastValue, parseUntilFlag, stringList } from './flags.js';
import type { CliIO } from './io.js';

/** Exit code of a sweep stopped by Ctrl-C (128 + SIGINT), resumable with --resume. */
export const EXIT_INTERRUPTED = 130;

export interface SweepArgs {
  scenario: string;
  jobs?: unknown;
  out?: unknown;
  resume?: unknown;
  shard?: unknown;
  emit?: unknown;
  shards?: unknown;
  image?: unknown;
  claim?: unknown;
  'results-dir'?: unknown;
  command?: unknown;
  set?: unknown;
  until?: unknown;
  quiet?: unknown;
  report?: unknown;
}

/** Default out directory of a sweep: results/<file name>-sweep (plus /shard-<i> for a shard). */
export function defaultSweepDir(file: string, shard?: Shard): string {
  const base = join('results', `${basename(file, extname(file))}-sweep`);
  return shard ? join(base, `shard-${shard.index}`) : base;
}

function positiveInt(flag: string, value: unknown, fallback: number): number {
  const v = lastValue(value);
  if (v === undefined) return fallback;
  const text = String(v).trim();
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`--${flag}: expected a positive integer, found "${String(v)}"`, 'sweep');
  }
  return Number(text);
}

/** Run the command; throws ScenarioError/SweepError/UsageError for bad input. Returns the exit code. */
export async function sweepCommand(args: SweepArgs, io: CliIO): Promise<number> {
  const set = stringList(args.set);
  const until = parseUntilFlag(args.until, 'sweep');
  const quiet = lastValue(args.quiet) === true;
  const jobs = positiveInt('jobs', args.jobs, availableParallelism());
  const shardText = lastValue(args.shard);
  let shard: Shard | undefined;
  try {
    shard = shardText === undefined ? undefined : parseShard(String(shardText));
  } catch (e) {
    if (e instanceof SweepError) throw new UsageError(e.message, 'sweep');
    throw e;
  }
  const emit = lastValue(args.emit);
  const outFlag = lastValue(args.out);

  if (emit !== undefined) {
    if (emit !== 'k8s-job' && emit !== 'slurm') throw new UsageError(`--emit: expected k8s-job or slurm, found "${String(emit)}"`, 'sweep');
    if (shard) throw new UsageError('--emit writes the job for all shards: expected no --shard with it (use --shards N)', 'sweep');
    const { plan } = planSweep(args.scenario, { set, until });
    const shards = positiveInt('shards', args.shards, Math.min(4, plan.points.length));
    const resultsDir = String(lastValue(args['results-dir']) ?? `/results/${basename(args.scenario, extname(args.scenario))}`);
    const opts = {
      shards,
      resultsDir,
      command: lastValue(args.command) === undefined ? undefined : String(lastValue(args.command)),
      image: lastValue(args.image) === undefined ? undefined : String(lastValue(args.image)),
      claim: lastValue(args.claim) === undefined ? undefined : String(lastValue(args.claim)),
      jobsPerShard: lastValue(args.jobs) === undefined ? 1 : jobs,
    };
    const text = emit === 'k8s-job' ? emitK8sJob(plan, opts) : emitSlurm(plan, opts);
    const dir = outFlag === undefined ? defaultSweepDir(args.scenario) : String(outFlag);
    const file = join(dir, emit === 'k8s-job' ? 'k8s-job.yaml' : 'slurm-array.sh');
    await writeFileAtomic(file, text);
    const sizes = Array.from({ length: shards }, (_, i) => shardPoints(plan.points, { index: i, count: shards }).length);
    io.out(
      `${plan.scenario}: ${plan.points.length} points in ${shards} shards (${Math.min(...sizes)}–${Math.max(...sizes)} points each); ` +
        `${emit === 'k8s-job' ? 'Kubernetes Indexed Job' : 'Slurm job array'} written to ${file}\n` +
        `when it has finished: servesim merge ${resultsDir}/shard-* --out ${resultsDir}/merged\n`,
    );
    return EXIT_OK;
  }

  const out = outFlag === undefined ? defaultSweepDir(args.scenario, shard) : String(outFlag);
  const bar = createSweepProgressBar({ enabled: !quiet, stream: io.progressStream });
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    controller.abort();
    bar.stop();
    io.err('\nservesim: interrupted: finishing the points in flight (Ctrl-C again to stop now); continue later with --resume\n');
  };
  process.on('SIGINT', onSigint);
  let result;
  try {
    result = await runSweep({ file: args.scenario, out, set, until, jobs, resume: lastValue(args.resume) === true, shard, signal: controller.signal, onProgress: (p) => bar.update(p) });
  } finally {
    bar.stop();
    process.off('SIGINT', onSigint);
  }
  const { plan } = result;
  const lines: string[] = [];
  const axes = plan.axes.length === 0 ? 'no axes' : plan.axes.map((a) => `${a.path} (${a.values.length})`).join(' × ');
  lines.push(
    `${plan.scenario}: sweep ${plan.sweepId}, ${axes} × ${plan.seeds.length} seed${plan.seeds.length === 1 ? '' : 's'} = ${plan.points.length} points` +
      (result.shard ? `; shard ${formatShard(result.shard)}: ${result.points.length} points` : ''),
  );
  lines.push(
    `ran ${result.ran} point${result.ran === 1 ? '' : 's'} (${result.skipped} already complete) in ${result.wallSeconds.toFixed(2)} s wall ` +
      `with ${jobs} job${jobs === 1 ? '' : 's'}; points' own simulation time ${result.pointWallSeconds.toFixed(2)} s`,
  );
  for (const f of result.failures.slice(0, 10)) lines.push(`FAILED ${f.point.dir}: ${f.errorName}: ${f.message.split('\n')[0]}`);
  if (result.failures.length > 10) lines.push(`... and ${result.failures.length - 10} more failures`);
  if (result.aggregate && !quiet) lines.push('', formatTable(aggregateTable(plan, result.aggregate)), '');
  if (result.complete) {
    lines.push(`results in ${out}/: ${MANIFEST_FILE}, ${AGGREGATE_FILE}, runs/ (${result.points.length} points)`);
    if (lastValue(args.report) === true) {
      const r = await writeReport(out);
      lines.push(`sweep report written to ${r.file} (${r.plots.length} plots)`);
    }
  } else lines.push(`incomplete: ${result.points.length - result.skipped - result.ran} points left in ${out}/; rerun with --resume to continue`);
  io.out(lines.join('\n') + '\n');
  if (controller.signal.aborted && !result.complete) return EXIT_INTERRUPTED;
  return result.failures.length > 0 ? EXIT_FAILURE : EXIT_OK;
}
