/**
 * Overhead accounting of pipeline runs (study 2 "Exp. 1 measurement definitions", CT2-16):
 * pod lifetime = completion − creation with both timestamps floored to whole seconds
 * (Prometheus, 1-s resolution); cell time from the pod log (sub-second); overhead of a job =
 * lifetime − cell time; share = overhead / lifetime; overall share of a run = Σ overhead /
 * Σ lifetime over all jobs (the volume job's cell time is 0). Per configuration: means and
 * sample standard deviations over runs, per-job share both as a ratio of means and as a mean
 * of per-run ratios, lifecycle intervals, the sum of lifetimes and the wall-clock.
 */
import { SECOND, type Time } from '../../core/time.js';
import { JOB_STAGES } from './expected.js';
import type { JobRecord } from './kube-job.js';
import type { RunRecord } from './pipeline-sim.js';

/** A timestamp as Prometheus reported it: whole seconds, floored. */
export function floorSeconds(t: Time): number {
  return Math.floor(t / SECOND);
}

/** The measured quantities of one job of one run (seconds). */
export interface JobMeasure {
  job: string;
  lifetime: number;
  cell: number;
  overhead: number;
  /** overhead / lifetime (0 for a zero lifetime). */
  share: number;
  createdToScheduled: number;
  scheduledToStart: number;
  startToCompletion: number;
  /** Unfloored lifetime and the sum of the non-cell stages, s (for the CT2-16 identity). */
  exactLifetime: number;
  stageOverhead: number;
}

/** Measure one job record. */
export function measureJob(r: JobRecord): JobMeasure {
  const created = floorSeconds(r.createdAt);
  const scheduled = floorSeconds(r.scheduledAt);
  const started = floorSeconds(r.startedAt);
  const completed = floorSeconds(r.completedAt);
  const lifetime = completed - created;
  const cell = r.cellTime / SECOND;
  const overhead = lifetime - cell;
  let nonCell = 0;
  for (const k of JOB_STAGES) if (k !== 'cell') nonCell += r.stages[k];
  // The cell stage holds the timed block only.
  nonCell += r.stages.cell - r.cellTime;
  return {
    job: r.job, lifetime, cell, overhead, share: lifetime > 0 ? overhead / lifetime : 0,
    createdToScheduled: scheduled - created, scheduledToStart: started - scheduled, startToCompletion: completed - started,
    exactLifetime: (r.completedAt - r.createdAt) / SECOND, stageOverhead: nonCell / SECOND,
  };
}

/** One run, measured. */
export interface RunMeasure {
  run: number;
  jobs: JobMeasure[];
  sumLifetime: number;
  sumCell: number;
  sumOverhead: number;
  /** Σ overhead / Σ lifetime. */
  overallShare: number;
  /** First pod creation → last pod completion, floored timestamps, s. */
  wallClock: number;
  /**
   * CT2-16 on the simulator's own numbers: the largest of |exact lifetime − cell − Σ non-cell
   * stages| over jobs, |share·lifetime − overhead| over jobs and |overall share − (1 − Σ cell /
   * Σ lifetime)|.
   */
  identityError: number;
}

/** Measure one run. */
export function measureRun(run: RunRecord): RunMeasure {
  const jobs = run.jobs.map(measureJob);
  let sumLifetime = 0;
  let sumCell = 0;
  let sumOverhead = 0;
  let err = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const [i, j] of jobs.entries()) {
    sumLifetime += j.lifetime;
    sumCell += j.cell;
    sumOverhead += j.overhead;
    err = Math.max(err, Math.abs(j.exactLifetime - j.cell - j.stageOverhead), Math.abs(j.share * j.lifetime - j.overhead));
    first = Math.min(first, floorSeconds(run.jobs[i].createdAt));
    last = Math.max(last, floorSeconds(run.jobs[i].completedAt));
  }
  const overallShare = sumLifetime > 0 ? sumOverhead / sumLifetime : 0;
  err = Math.max(err, Math.abs(overallShare - (sumLifetime > 0 ? 1 - sumCell / sumLifetime : 0)));
  return { run: run.run, jobs, sumLifetime, sumCell, sumOverhead, overallShare, wallClock: last - first, identityError: err };
}

/** Mean and sample standard deviation (n − 1; 0 for one value). */
export interface MeanSd {
  mean: number;
  sd: number;
}

/** Mean and sample sd of `xs`. */
export function meanSd(xs: readonly number[]): MeanSd {
  if (xs.length === 0) return { mean: NaN, sd: NaN };
  let s = 0;
  for (const x of xs) s += x;
  const mean = s / xs.length;
  if (xs.length < 2) return { mean, sd: 0 };
  let q = 0;
  for (const x of xs) q += (x - mean) ** 2;
  return { mean, sd: Math.sqrt(q / (xs.length - 1)) };
}

/** One job over the runs of a configuration. */
export interface JobSummary {
  job: string;
  lifetime: MeanSd;
  cell: MeanSd;
  overhead: MeanSd;
  /** mean overhead / mean lifetime. */
  shareOfMeans: number;
  /** mean of per-run shares. */
  meanOfShares: number;
  createdToScheduled: number;
  scheduledToStart: number;
  startToCompletion: number;
}

/** A configuration over its runs. */
export interface ConfigSummary {
  runs: number;
  jobs: JobSummary[];
  /** Σ mean overhead / Σ mean lifetime. */
  overallShareOfMeans: number;
  /** mean over runs of the run's overall share. */
  overallShareMean: number;
  sumLifetime: MeanSd;
  wallClock: MeanSd;
  /** Largest CT2-16 identity error over the runs. */
  identityError: number;
}

/** Summarise measured runs of one configuration (all with the same job list). */
export function summarizeRuns(runs: readonly RunMeasure[]): ConfigSummary {
  if (runs.length === 0) throw new RangeError('summarizeRuns: expected at least one run, found none');
  const names = runs[0].jobs.map((j) => j.job);
  const jobs = names.map((job, i): JobSummary => {
    const ms = runs.map((r) => {
      const j = r.jobs[i];
      if (j.job !== job) throw new Error(`summarizeRuns: run ${r.run}: job ${i}: expected "${job}", found "${j.job}"`);
      return j;
    });
    const lifetime = meanSd(ms.map((j) => j.lifetime));
    const overhead = meanSd(ms.map((j) => j.overhead));
    return {
      job, lifetime, cell: meanSd(ms.map((j) => j.cell)), overhead,
      shareOfMeans: lifetime.mean > 0 ? overhead.mean / lifetime.mean : 0,
      meanOfShares: meanSd(ms.map((j) => j.share)).mean,
      createdToScheduled: meanSd(ms.map((j) => j.createdToScheduled)).mean,
      scheduledToStart: meanSd(ms.map((j) => j.scheduledToStart)).mean,
      startToCompletion: meanSd(ms.map((j) => j.startToCompletion)).mean,
    };
  });
  let sl = 0;
  let so = 0;
  for (const j of jobs) {
    sl += j.lifetime.mean;
    so += j.overhead.mean;
  }
  return {
    runs: runs.length, jobs,
    overallShareOfMeans: sl > 0 ? so / sl : 0,
    overallShareMean: meanSd(runs.map((r) => r.overallShare)).mean,
    sumLifetime: meanSd(runs.map((r) => r.sumLifetime)),
    wallClock: meanSd(runs.map((r) => r.wallClock)),
    identityError: Math.max(...runs.map((r) => r.identityError)),
  };
}
