/**
 * Running a sweep beyond one machine (DESIGN.md "Scale beyond one machine"): servesim does
 * not schedule a cluster, it writes the job for one. `--emit k8s-job` gives a Kubernetes
 * Indexed Job (completions = shards; each pod runs `servesim sweep --shard
 * $JOB_COMPLETION_INDEX/n` into its own directory on a shared volume) and `--emit slurm` a
 * job-array script (task i runs shard $SLURM_ARRAY_TASK_ID/n). Shards resume, so a retried
 * pod or task continues where it stopped; `servesim merge` combines the shard directories.
 */
import { stringify } from 'yaml';
import { formatDuration } from '../../core/time.js';
import type { SweepPlan } from './expand.js';

/** Options of the emitted job. */
export interface EmitOptions {
  /** Number of shards (array tasks / Job completions), >= 1. */
  shards: number;
  /** Directory that holds one `shard-<i>` directory per shard, as seen by the pods/tasks. */
  resultsDir: string;
  /** How the pods/tasks invoke servesim (default `servesim`). */
  command?: string;
  /** Worker threads per shard (default 1). */
  jobsPerShard?: number;
  /** Container image (Kubernetes; default `servesim:latest`). */
  image?: string;
  /** PersistentVolumeClaim mounted at resultsDir (Kubernetes; default `servesim-results`). */
  claim?: string;
}

/** Quote `s` for a POSIX shell (unchanged when it has only safe characters). */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The shell command a shard runs; `indexVar` is the shell variable holding the shard index
 * (e.g. `JOB_COMPLETION_INDEX`, `SLURM_ARRAY_TASK_ID`).
 */
export function shardCommand(plan: SweepPlan, opts: EmitOptions, indexVar: string): string {
  const parts = [opts.command ?? 'servesim', 'sweep', shellQuote(plan.file)];
  for (const s of plan.set) parts.push('--set', shellQuote(s));
  if (plan.until !== undefined) parts.push('--until', formatDuration(plan.until));
  const base = opts.resultsDir.replace(/\/+$/, '');
  parts.push('--shard', `"\${${indexVar}}/${opts.shards}"`);
  parts.push('--out', `${shellQuote(base)}/shard-"\${${indexVar}}"`);
  parts.push('--resume', '--jobs', String(opts.jobsPerShard ?? 1), '--quiet');
  return parts.join(' ');
}

/** A Kubernetes object name from a scenario name: lowercase RFC 1123 label, at most 52 characters. */
export function k8sName(text: string): string {
  const s = text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return (s === '' ? 'sweep' : s).slice(0, 52).replace(/-+$/, '');
}

/** The Kubernetes Indexed Job manifest (YAML text) that runs the sweep as `opts.shards` shards. */
export function emitK8sJob(plan: SweepPlan, opts: EmitOptions): string {
  const name = `servesim-${k8sName(plan.scenario)}`;
  const labels = { 'app.kubernetes.io/name': 'servesim', 'servesim/sweep': plan.sweepId };
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, labels },
    spec: {
      completionMode: 'Indexed',
      completions: opts.shards,
      parallelism: opts.shards,
      backoffLimit: 3 * opts.shards,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'servesim',
              image: opts.image ?? 'servesim:latest',
              command: ['sh', '-c', shardCommand(plan, opts, 'JOB_COMPLETION_INDEX')],
              resources: { requests: { cpu: String(opts.jobsPerShard ?? 1) } },
              volumeMounts: [{ name: 'results', mountPath: opts.resultsDir }],
            },
          ],
          volumes: [{ name: 'results', persistentVolumeClaim: { claimName: opts.claim ?? 'servesim-results' } }],
        },
      },
    },
  };
  const header =
    `# servesim sweep "${plan.scenario}" (id ${plan.sweepId}): ${plan.points.length} points in ${opts.shards} shards.\n` +
    `# kubectl apply -f this file; when the Job is complete, on the volume:\n` +
    `#   servesim merge ${shellQuote(opts.resultsDir.replace(/\/+$/, ''))}/shard-* --out ${shellQuote(opts.resultsDir.replace(/\/+$/, ''))}/merged\n`;
  return header + stringify(job, { lineWidth: 0 });
}

/** A Slurm job-array script that runs the sweep as `opts.shards` array tasks. */
export function emitSlurm(plan: SweepPlan, opts: EmitOptions): string {
  const base = opts.resultsDir.replace(/\/+$/, '');
  return [
    '#!/bin/bash',
    `# servesim sweep "${plan.scenario}" (id ${plan.sweepId}): ${plan.points.length} points in ${opts.shards} shards.`,
    `# sbatch this file; when all tasks are done: servesim merge ${shellQuote(base)}/shard-* --out ${shellQuote(base)}/merged`,
    `#SBATCH --job-name=servesim-${k8sName(plan.scenario)}`,
    `#SBATCH --array=0-${opts.shards - 1}`,
    '#SBATCH --ntasks=1',
    `#SBATCH --cpus-per-task=${opts.jobsPerShard ?? 1}`,
    `#SBATCH --output=${base}/slurm-%A_%a.out`,
    'set -euo pipefail',
    `mkdir -p ${shellQuote(base)}`,
    `exec ${shardCommand(plan, opts, 'SLURM_ARRAY_TASK_ID')}`,
    '',
  ].join('\n');
}
