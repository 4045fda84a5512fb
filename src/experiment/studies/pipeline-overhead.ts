/**
 * Study 2, Exp. 1 (Nguyen 2020): overhead of the Kale/Kubeflow notebook pipeline, one pod per
 * cell, over data-set sizes (series A: 8×8×8 × 2/10/20/40 MB) and model sizes (series B:
 * 20 MB × 8×8×8 … 64×64×64), 6 runs each, one run at a time. Spec: calibration-targets.md
 * study 2 "Exp. 1", CT2-1…CT2-17, CT2-19…CT2-22, "Also measured", "Reproduction experiment".
 *
 * The pipeline runs on src/platform/pipelines (NotebookPipelineSim on the Kubernetes runtime)
 * with models/pipelines/iot-notebook.yaml. After the main sequence (images pre-cached on every
 * worker), one more run on a fresh cluster with cold image caches reports the first pull.
 *
 * `runPipelineOverhead(params, seed)` is the pure entry point; importing this module also
 * registers the scenario kind `pipeline-overhead` (experiments/pipeline-overhead.yaml).
 */
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { Simulation } from '../../core/simulation.js';
import { SECOND, type Time } from '../../core/time.js';
import { loadColdStartModel, type ColdStartModel } from '../../cluster/cold-start.js';
import { loadNodeProfile, type NodeProfile } from '../../cluster/node-profile.js';
import { getKind, registerKind, type Check, type JsonValue, type RunHandle, type Table } from '../../scenario/registry.js';
import {
  CT2_17, CT2_21, CT2_22, POINT_TARGETS, RANGE_TARGETS, SERIES_A_SIZES_MB, widenedRange,
} from '../../platform/pipelines/notebook-targets.js';
import { loadNotebookModel, type DagShape, type NotebookModel } from '../../platform/pipelines/notebook-model.js';
import { modelParams, type PipelineConfig } from '../../platform/pipelines/expected.js';
import { expectedRun } from '../../platform/pipelines/fit.js';
import { NotebookPipelineSim, type Placement, type RunRecord } from '../../platform/pipelines/pipeline-sim.js';
import { measureRun, summarizeRuns, type ConfigSummary, type RunMeasure } from '../../platform/pipelines/overhead.js';
import { packageFile } from './model-upload.js';

/** Parameters of the experiment. */
export interface PipelineOverheadParams {
  model: NotebookModel;
  coldStart: ColdStartModel;
  worker: NodeProfile;
  master?: NodeProfile;
  workers: number;
  dag: DagShape;
  placement: Placement;
  seriesA: { width: number; sizesMB: readonly number[] };
  seriesB: { sizeMB: number; widths: readonly number[] };
  runs: number;
  /** One extra run on a fresh cluster with cold image caches (reported separately). */
  coldCacheRun: boolean;
}

/** A configuration and the series it belongs to. */
export interface ConfigEntry {
  label: string;
  config: PipelineConfig;
  series: ('A' | 'B')[];
}

/** The distinct configurations of series A then B (8×8×8 at 20 MB belongs to both). */
export function configurations(p: Pick<PipelineOverheadParams, 'seriesA' | 'seriesB'>): ConfigEntry[] {
  const out: ConfigEntry[] = [];
  const add = (cfg: PipelineConfig, s: 'A' | 'B'): void => {
    const e = out.find((x) => x.config.datasetMB === cfg.datasetMB && x.config.width === cfg.width);
    if (e !== undefined) {
      if (!e.series.includes(s)) e.series.push(s);
      return;
    }
    out.push({ label: configLabel(cfg), config: cfg, series: [s] });
  };
  for (const mb of p.seriesA.sizesMB) add({ datasetMB: mb, width: p.seriesA.width }, 'A');
  for (const w of p.seriesB.widths) add({ datasetMB: p.seriesB.sizeMB, width: w }, 'B');
  return out;
}

/** `8x8x8 2MB`. */
export function configLabel(c: PipelineConfig): string {
  return `${c.width}x${c.width}x${c.width} ${c.datasetMB}MB`;
}

/** Result of one cold-cache run. */
export interface ColdCacheResult {
  config: PipelineConfig;
  /** The first job pod's image phase (the ≈3 GB pull), s. */
  firstPullS: number;
  firstPullJob: string;
  /** Pulls of the job image per worker in that run. */
  pulls: Record<string, number>;
  lifetimes: Record<string, number>;
}

/** Everything the experiment reports. */
export interface PipelineOverheadResult {
  configs: (ConfigEntry & { summary: ConfigSummary; params: number; runMeasures: RunMeasure[] })[];
  /** Pulls of the job image per worker, main sequence and cold-cache run. */
  pulls: Record<string, number>;
  coldCache: ColdCacheResult | null;
  /** Claim → bound of the PVC, mean over runs, s. */
  claimToBoundS: number;
  /** Import stage of every cell job: min and max, s; share within 3–4 s. */
  imports: { min: number; max: number; shareWithin: number };
  /** Share of pods with creation→scheduled ≤ 1 s and scheduled→start ≤ 1 s. */
  fastStartShare: number;
  checks: Check[];
  finishedAt: Time;
}

function validate(p: PipelineOverheadParams): void {
  if (!(Number.isInteger(p.runs) && p.runs >= 1)) throw new RangeError(`pipeline-overhead: runs: expected an integer ≥ 1, found ${p.runs}`);
  for (const [i, mb] of p.seriesA.sizesMB.entries()) if (!(mb > 0)) throw new RangeError(`pipeline-overhead: seriesA.sizesMB[${i}]: expected > 0, found ${mb}`);
  for (const [i, w] of [...p.seriesB.widths, p.seriesA.width].entries()) {
    if (!(Number.isInteger(w) && w >= 1)) throw new RangeError(`pipeline-overhead: width ${i}: expected an integer ≥ 1, found ${w}`);
  }
}

/** A running experiment on a Simulation (used by runPipelineOverhead and the scenario kind). */
export class PipelineOverheadDriver {
  readonly main: NotebookPipelineSim;
  cold: NotebookPipelineSim | null = null;
  finishedAt: Time = -1;
  readonly entries: ConfigEntry[];

  constructor(private readonly sim: Simulation, readonly params: PipelineOverheadParams) {
    validate(params);
    this.entries = configurations(params);
    this.main = new NotebookPipelineSim(sim, {
      model: params.model, coldStart: params.coldStart, worker: params.worker, master: params.master,
      workers: params.workers, dag: params.dag, placement: params.placement, precache: true,
    });
  }

  start(): void {
    this.main.runSequence(this.entries.map((e) => ({ config: e.config, runs: this.params.runs })), () => {
      if (!this.params.coldCacheRun) {
        this.finishedAt = this.sim.now;
        return;
      }
      const p = this.params;
      this.cold = new NotebookPipelineSim(this.sim, {
        model: p.model, coldStart: p.coldStart, worker: p.worker, master: p.master, workers: p.workers, dag: p.dag, placement: p.placement, precache: false,
      });
      this.cold.runSequence([{ config: this.entries[0].config, runs: 1 }], () => {
        this.finishedAt = this.sim.now;
      });
    });
  }
}

function check(name: string, simulated: number, reported: number, tolerance: number, pass?: boolean): Check {
  return { name, simulated, reported, tolerance, pass: pass ?? Math.abs(simulated / reported - 1) <= tolerance };
}

/** Statistics, tables and checks of a finished (or partial) experiment. */
export function summarizePipelineOverhead(d: PipelineOverheadDriver): PipelineOverheadResult {
  const p = d.params;
  const runs = d.main.runs;
  const configs = d.entries
    .map((e) => {
      const rs = runs.filter((r) => r.config.datasetMB === e.config.datasetMB && r.config.width === e.config.width);
      return { e, rs };
    })
    .filter((x) => x.rs.length > 0)
    .map(({ e, rs }) => {
      const runMeasures = rs.map(measureRun);
      return { ...e, summary: summarizeRuns(runMeasures), params: modelParams(p.model, e.config.width), runMeasures };
    });
  const allRuns: RunRecord[] = [...runs, ...(d.cold?.runs ?? [])];
  const pulls: Record<string, number> = {};
  for (const sim of [d.main, d.cold]) {
    if (sim === null) continue;
    for (const [node, n] of sim.jobImagePulls()) pulls[node] = (pulls[node] ?? 0) + n;
  }
  let coldCache: ColdCacheResult | null = null;
  if (d.cold !== null && d.cold.runs.length > 0) {
    const r = d.cold.runs[0];
    const first = r.jobs.filter((j) => j.kind === 'cell' && j.pulledBytes > 0).sort((a, b) => a.createdAt - b.createdAt)[0];
    const cp: Record<string, number> = {};
    for (const [node, n] of d.cold.jobImagePulls()) cp[node] = n;
    const m = measureRun(r);
    coldCache = {
      config: r.config, firstPullS: first === undefined ? 0 : first.imagePull / SECOND, firstPullJob: first?.job ?? '',
      pulls: cp, lifetimes: Object.fromEntries(m.jobs.map((j) => [j.job, j.lifetime])),
    };
  }
  const volumeJobs = allRuns.flatMap((r) => r.jobs.filter((j) => j.kind === 'volume'));
  const claimToBoundS = volumeJobs.length === 0 ? NaN : volumeJobs.reduce((s, j) => s + j.volumeBound, 0) / volumeJobs.length / SECOND;
  const importS = runs.flatMap((r) => r.jobs.filter((j) => j.kind === 'cell').map((j) => j.stages.imports / SECOND));
  const imports = {
    min: Math.min(...importS), max: Math.max(...importS),
    shareWithin: importS.length === 0 ? 0 : importS.filter((s) => s >= CT2_22.lo && s <= CT2_22.hi).length / importS.length,
  };
  const allMeasures = runs.map(measureRun).flatMap((m) => m.jobs);
  const fastStartShare = allMeasures.length === 0 ? 0 : allMeasures.filter((j) => j.createdToScheduled <= 1 && j.scheduledToStart <= 1).length / allMeasures.length;

  const checks: Check[] = [];
  const seriesA = (mb: number): ConfigSummary | undefined =>
    configs.find((c) => c.config.datasetMB === mb && c.config.width === p.seriesA.width && c.series.includes('A'))?.summary;
  const job = (s: ConfigSummary, name: string): ConfigSummary['jobs'][number] | undefined => s.jobs.find((j) => j.job === name);
  if (p.seriesA.width === 8) {
    for (const t of POINT_TARGETS) {
      SERIES_A_SIZES_MB.forEach((mb, i) => {
        const s = seriesA(mb);
        const j = s === undefined ? undefined : job(s, t.job);
        if (j === undefined) return;
        const v = t.quantity === 'cell' ? j.cell.mean : j.lifetime.mean;
        checks.push(check(`${t.id} ${t.job} ${mb}MB (${t.quantity === 'cell' ? 'cell execution time' : 'pod lifetime'}, s)`, v, t.values[i], t.tolerance));
      });
    }
    for (const t of RANGE_TARGETS) {
      const w = widenedRange(t);
      const mid = (w.lo + w.hi) / 2;
      for (const mb of SERIES_A_SIZES_MB) {
        const s = seriesA(mb);
        const j = s === undefined ? undefined : job(s, t.job);
        if (j === undefined) continue;
        const v = j.lifetime.mean;
        checks.push(check(`${t.id} ${t.job} ${mb}MB (pod lifetime within ${w.lo.toFixed(2)}–${w.hi.toFixed(2)} s; reported = midpoint)`, v, mid, (w.hi - w.lo) / 2 / mid, v >= w.lo && v <= w.hi));
      }
    }
    for (const mb of SERIES_A_SIZES_MB) {
      const s = seriesA(mb);
      if (s === undefined) continue;
      const ranked = s.jobs.slice().sort((a, b) => b.lifetime.mean - a.lifetime.mean);
      const ok = ranked[0]?.job === 'dnnfit' && ranked[1]?.job === 'plot';
      checks.push(check(`CT2-15 ${mb}MB dnnfit longest and plot second-longest job (1 = yes, exact; order: ${ranked.slice(0, 3).map((j) => j.job).join(' > ')})`, ok ? 1 : 0, 1, 0, ok));
    }
  }
  const identity = Math.max(0, ...configs.map((c) => c.summary.identityError));
  checks.push(check('CT2-16 overhead identity on simulated numbers (max abs error, must be < 1e-9; tolerance absolute)', identity, 0, 1e-9, identity < 1e-9));
  CT2_17.widths.forEach((w, i) => {
    checks.push(check(`CT2-17 trainable parameters ${w}x${w}x${w}`, modelParams(p.model, w), CT2_17.values[i], CT2_17.tolerance));
  });
  checks.push(check('CT2-19 share of job pods with creation→scheduled and scheduled→start ≤ 1 s (must exceed 0.5)', fastStartShare, 0.5, 0, fastStartShare > 0.5));
  const maxPulls = Math.max(0, ...Object.values(pulls));
  checks.push(check('CT2-20 pulls of the job image per worker over the experiment (max; at most 1, exact)', maxPulls, 1, 0, maxPulls <= 1));
  checks.push(check(`${CT2_21.id} PVC claim → bound in kale-marshall-volume (mean, s)`, claimToBoundS, CT2_21.seconds, CT2_21.tolerance));
  checks.push(check(`${CT2_22.id} share of jobs whose import time is within 3–4 s (all, exact; min ${imports.min.toFixed(2)} s, max ${imports.max.toFixed(2)} s)`, imports.shareWithin, 1, 0, imports.shareWithin === 1));
  return { configs, pulls, coldCache, claimToBoundS, imports, fastStartShare, checks, finishedAt: d.finishedAt };
}

/** Run the whole experiment on a fresh Simulation seeded with `seed`. Pure. */
export function runPipelineOverhead(params: PipelineOverheadParams, seed: number): PipelineOverheadResult {
  const sim = new Simulation({ seed });
  const d = new PipelineOverheadDriver(sim, params);
  d.start();
  sim.run();
  return summarizePipelineOverhead(d);
}

// ---------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------

const r2 = (x: number): number => +x.toFixed(2);
const r3 = (x: number): number => +x.toFixed(3);

/** Tables like the thesis's Tables 2–4 and Figs. 14–18, plus the per-job detail. */
export function pipelineTables(res: PipelineOverheadResult, model: NotebookModel, coldStart: ColdStartModel, worker: NodeProfile): Table[] {
  const tables: Table[] = [];
  const seriesA = res.configs.filter((c) => c.series.includes('A'));
  const upload = model.overheads.artifactBytes / worker.networkBandwidth;
  const lifetimeTargets = new Map<string, string>();
  for (const t of POINT_TARGETS) if (t.quantity === 'lifetime') lifetimeTargets.set(t.job, t.values.join(' / '));
  for (const t of RANGE_TARGETS) lifetimeTargets.set(t.job, `${t.lo}–${t.hi}`);
  tables.push({
    title: 'Pod lifetime per job, series A (8x8x8), s: simulated mean (Tables 2–3 reported)',
    columns: ['job', ...seriesA.map((c) => `${c.config.datasetMB}MB`), 'reported'],
    rows: model.jobs.map((j) => [j.name, ...seriesA.map((c) => r2(c.summary.jobs.find((x) => x.job === j.name)?.lifetime.mean ?? NaN)), lifetimeTargets.get(j.name) ?? '']),
  });
  const cellTargets = new Map(POINT_TARGETS.filter((t) => t.quantity === 'cell').map((t) => [t.job, t.values.join(' / ')]));
  tables.push({
    title: 'Cell execution time per job, series A, s: simulated mean (Table 4 reported)',
    columns: ['job', ...seriesA.map((c) => `${c.config.datasetMB}MB`), 'reported'],
    rows: model.jobs.map((j) => [j.name, ...seriesA.map((c) => r2(c.summary.jobs.find((x) => x.job === j.name)?.cell.mean ?? NaN)), cellTargets.get(j.name) ?? 'not reported']),
  });
  tables.push({
    title: 'Overhead share per job (ratio of means) for every configuration (Figs. 17–18; overall: Figs. 15–16)',
    columns: ['job', ...res.configs.map((c) => c.label)],
    rows: [
      ...model.jobs.map((j) => [j.name, ...res.configs.map((c) => r3(c.summary.jobs.find((x) => x.job === j.name)?.shareOfMeans ?? NaN))]),
      ['overall (ratio of means)', ...res.configs.map((c) => r3(c.summary.overallShareOfMeans))],
      ['overall (mean of run ratios)', ...res.configs.map((c) => r3(c.summary.overallShareMean))],
    ],
  });
  tables.push({
    title: 'Per configuration: overall overhead share, Σ pod lifetimes per run (Fig. 14), wall-clock (first creation → last completion), s',
    columns: ['config', 'series', 'params', 'overall share', 'Σ lifetimes mean', 'Σ lifetimes sd', 'wall-clock mean', 'wall-clock sd', 'expected Σ lifetimes'],
    rows: res.configs.map((c) => {
      const exp = expectedRun(model, coldStart, c.config, upload).reduce((s, e) => s + e.lifetime, 0);
      return [c.label, c.series.join('+'), c.params, r3(c.summary.overallShareOfMeans), r2(c.summary.sumLifetime.mean), r2(c.summary.sumLifetime.sd), r2(c.summary.wallClock.mean), r2(c.summary.wallClock.sd), r2(exp)];
    }),
  });
  for (const c of res.configs) {
    tables.push({
      title: `Jobs of ${c.label} (series ${c.series.join('+')}, ${c.summary.runs} runs): mean ± sd (s), share, lifecycle intervals (floored timestamps)`,
      columns: ['job', 'lifetime', 'sd', 'cell', 'sd', 'overhead', 'sd', 'share (ratio of means)', 'share (mean of ratios)', 'created→scheduled', 'scheduled→start', 'start→completion'],
      rows: c.summary.jobs.map((j) => [
        j.job, r2(j.lifetime.mean), r2(j.lifetime.sd), r3(j.cell.mean), r3(j.cell.sd), r2(j.overhead.mean), r2(j.overhead.sd),
        r3(j.shareOfMeans), r3(j.meanOfShares), r2(j.createdToScheduled), r2(j.scheduledToStart), r2(j.startToCompletion),
      ]),
    });
  }
  if (res.coldCache !== null) {
    const cc = res.coldCache;
    tables.push({
      title: `Cold image cache run (${configLabel(cc.config)}): first pull of the job image and pod lifetimes (s)`,
      columns: ['item', 'value'],
      rows: [
        ['first pull (image phase) of', cc.firstPullJob],
        ['first pull, s', r2(cc.firstPullS)],
        ['pulls per worker', Object.entries(cc.pulls).map(([n, k]) => `${n}: ${k}`).join(', ') || 'none'],
        ...Object.entries(cc.lifetimes).map(([j, l]): (string | number)[] => [`lifetime ${j}`, l]),
      ],
    });
  }
  return tables;
}

function resultJson(res: PipelineOverheadResult): { [key: string]: JsonValue } {
  return {
    finishedAt_s: res.finishedAt / SECOND,
    claimToBound_s: res.claimToBoundS,
    imports_s: { ...res.imports },
    fastStartShare: res.fastStartShare,
    imagePullsPerWorker: { ...res.pulls },
    coldCache: res.coldCache === null ? null : {
      config: { ...res.coldCache.config }, firstPull_s: res.coldCache.firstPullS, firstPullJob: res.coldCache.firstPullJob,
      pulls: { ...res.coldCache.pulls }, lifetimes_s: { ...res.coldCache.lifetimes },
    },
    configurations: res.configs.map((c) => ({
      label: c.label, series: c.series.slice(), datasetMB: c.config.datasetMB, width: c.config.width, trainableParams: c.params,
      runs: c.summary.runs,
      overallShareOfMeans: c.summary.overallShareOfMeans, overallShareMean: c.summary.overallShareMean,
      sumLifetime_s: { ...c.summary.sumLifetime }, wallClock_s: { ...c.summary.wallClock },
      perRun: c.runMeasures.map((m) => ({
        run: m.run, overallShare: m.overallShare, sumLifetime_s: m.sumLifetime, wallClock_s: m.wallClock,
        lifetimes_s: Object.fromEntries(m.jobs.map((j) => [j.job, j.lifetime])),
      })),
      jobs: c.summary.jobs.map((j) => ({
        job: j.job, lifetime_s: { ...j.lifetime }, cell_s: { ...j.cell }, overhead_s: { ...j.overhead },
        shareOfMeans: j.shareOfMeans, meanOfShares: j.meanOfShares,
        createdToScheduled_s: j.createdToScheduled, scheduledToStart_s: j.scheduledToStart, startToCompletion_s: j.startToCompletion,
      })),
    })),
  };
}

// ---------------------------------------------------------------------------------------
// Scenario kind `pipeline-overhead`
// ---------------------------------------------------------------------------------------

const fileField = z.string().min(1);

/** Body of a `pipeline-overhead` scenario (fields beside the common header). */
export const pipelineOverheadBodySchema = z.strictObject({
  model: fileField.default('models/pipelines/iot-notebook.yaml'),
  coldStartModel: fileField.default('models/cold-start/default.yaml'),
  workerProfile: fileField.default('models/nodes/iot-worker.yaml'),
  /** Control-plane node: the worker profile with this many vCPUs, tainted (0 = none). */
  masterCores: z.number().int().min(0).default(4),
  workers: z.number().int().min(1).default(3),
  dag: z.enum(['dataflow', 'chain']).default('dataflow'),
  placement: z.enum(['co-locate', 'spread']).default('co-locate'),
  seriesA: z.strictObject({ width: z.number().int().min(1), sizesMB: z.array(z.number().positive()).min(1) }),
  seriesB: z.strictObject({ sizeMB: z.number().positive(), widths: z.array(z.number().int().min(1)) }),
  runs: z.number().int().min(1),
  coldCacheRun: z.boolean().default(true),
});

type Body = z.output<typeof pipelineOverheadBodySchema>;

const resolveFile = (f: string): string => (isAbsolute(f) ? f : packageFile(f));

/** Load the files a body names and build the parameters. */
export function paramsFromBody(b: Body): PipelineOverheadParams {
  const worker = loadNodeProfile(resolveFile(b.workerProfile));
  return {
    model: loadNotebookModel(resolveFile(b.model)),
    coldStart: loadColdStartModel(resolveFile(b.coldStartModel)),
    worker,
    master: b.masterCores > 0 ? { ...worker, name: 'iot-master', cores: b.masterCores, labels: { 'node-role.kubernetes.io/master': '' } } : undefined,
    workers: b.workers,
    dag: b.dag,
    placement: b.placement,
    seriesA: b.seriesA,
    seriesB: b.seriesB,
    runs: b.runs,
    coldCacheRun: b.coldCacheRun,
  };
}

if (getKind('pipeline-overhead') === undefined) {
  registerKind({
    kind: 'pipeline-overhead',
    description: 'study 2 Exp. 1: Kale/Kubeflow notebook pipeline overhead per job over data-set and model sizes (CT2-1…CT2-22)',
    schema: pipelineOverheadBodySchema,
    build(ctx): RunHandle {
      const params = paramsFromBody(ctx.body);
      const driver = new PipelineOverheadDriver(ctx.sim, params);
      driver.start();
      let cached: PipelineOverheadResult | undefined;
      const result = (): PipelineOverheadResult => (cached ??= summarizePipelineOverhead(driver));
      return {
        metrics: () => resultJson(result()),
        tables: () => pipelineTables(result(), params.model, params.coldStart, params.worker),
        checks: () => result().checks,
      };
    },
  });
}
