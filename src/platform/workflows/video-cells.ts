/**
 * One measured cell of the study-5 experiments: a fresh cluster with a version of the pipeline, an
 * engine, a placement, queue-workers and stressors; `runs` requests back to back (one repetition
 * each, study 5 "Measurement definitions"); mean / p50 / p95 latency and per-function times.
 * Used by the experiment kinds (src/experiment/studies/workflow-*.ts) and the calibration fit.
 */
import { Simulation } from '../../core/simulation.js';
import type { ColdStartModel } from '../../cluster/cold-start.js';
import type { InterferenceModel, StressorKind } from '../../cluster/interference.js';
import type { NodeProfile } from '../../cluster/node-profile.js';
import { loadColdStartModel } from '../../cluster/cold-start.js';
import { loadInterferenceModel } from '../../cluster/interference.js';
import { loadNodeProfile } from '../../cluster/node-profile.js';
import { COLD_START_MODEL_FILE, DRL_NODE_FILES, INTERFERENCE_MODEL_FILE, VIDEO_MODEL_FILE, modelPath } from './model-files.js';
import { VideoWorkflowCluster, type EngineKind, type RequestResult } from './video-env-model.js';
import { loadVideoModel, type VideoPipelineModel, type VideoVersion } from './video-model.js';

/** The model files a cell needs, loaded once. */
export interface CellModels {
  model: VideoPipelineModel;
  interference: InterferenceModel;
  coldStart: ColdStartModel;
  workers: readonly NodeProfile[];
}

/** Load the default model files (or the given paths). */
export function loadCellModels(files: Partial<Record<'model' | 'interference' | 'coldStart', string>> & { workers?: readonly string[] } = {}): CellModels {
  return {
    model: loadVideoModel(files.model ?? modelPath(VIDEO_MODEL_FILE)),
    interference: loadInterferenceModel(files.interference ?? modelPath(INTERFERENCE_MODEL_FILE)),
    coldStart: loadColdStartModel(files.coldStart ?? modelPath(COLD_START_MODEL_FILE)),
    workers: (files.workers ?? DRL_NODE_FILES.map((f) => modelPath(f))).map((f) => loadNodeProfile(f)),
  };
}

export interface StressorSpec {
  node: string;
  kind: StressorKind;
  /** Fraction 0–1. */
  level: number;
}

export interface CellSpec {
  version: VideoVersion;
  engine: EngineKind;
  /** One node for every function, or function → node (unlisted functions on the first worker). */
  placement: string | Readonly<Record<string, string>>;
  frames: number;
  queueWorkers?: number;
  stressors?: readonly StressorSpec[];
  /** Replicas per function (default 1). */
  replicas?: Readonly<Record<string, number>>;
  runs: number;
  seed: number;
  /** faas-flow per-item calls together (default: the model's setting). */
  perItemParallel?: boolean;
  /** Seed of the face table (default 1: the same frames in every cell). */
  faceSeed?: number;
}

export interface Stats {
  mean: number;
  p50: number;
  p95: number;
  sd: number;
  n: number;
}

/** Mean, sd, nearest-rank p50/p95 (numpy 'lower'-free: linear interpolation, type 7). */
export function stats(xs: readonly number[]): Stats {
  const n = xs.length;
  if (n === 0) return { mean: NaN, p50: NaN, p95: NaN, sd: NaN, n };
  const s = [...xs].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  const q = (p: number): number => {
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    return s[lo] + (h - lo) * ((s[Math.min(n - 1, lo + 1)] ?? s[lo]) - s[lo]);
  };
  return { mean, p50: q(0.5), p95: q(0.95), sd, n };
}

export interface CellResult {
  spec: CellSpec;
  /** Reported latency (s). */
  latency: Stats;
  trueLatency: Stats;
  /** Mean Σ execution time per function per run (s). */
  perFunction: Record<string, number>;
  /** Mean per-run invocations per function. */
  invocations: Record<string, number>;
  bytesRead: number;
  bytesWritten: number;
  failures: number;
  /** Cores occupied by CPU stressors per node. */
  occupiedCores: Record<string, number>;
  queueWorkerMemoryBytes: number;
  runs: RequestResult[];
}

/** Run one cell to completion. */
export function runCell(models: CellModels, spec: CellSpec): CellResult {
  const sim = new Simulation({ seed: spec.seed });
  const first = typeof spec.placement === 'string' ? spec.placement : undefined;
  const c = new VideoWorkflowCluster(sim, {
    model: models.model, interference: models.interference, coldStart: models.coldStart, workers: models.workers,
    version: spec.version, engine: spec.engine, queueWorkers: spec.queueWorkers ?? 1, telemetry: false,
    initialNode: first, perItemParallel: spec.perItemParallel, faceSeed: spec.faceSeed ?? 1,
  });
  if (typeof spec.placement !== 'string') c.setPlacement(spec.placement);
  for (const [fn, r] of Object.entries(spec.replicas ?? {})) c.setReplicas(fn, r);
  for (const s of spec.stressors ?? []) c.setStressor(s.node, s.kind, s.level);
  const runs: RequestResult[] = [];
  const next = (): void => {
    if (runs.length >= spec.runs) return;
    c.runRequest(spec.frames, (r) => {
      runs.push(r);
      next();
    });
  };
  next();
  sim.run();
  if (runs.length !== spec.runs) throw new Error(`cell ${JSON.stringify(spec)}: expected ${spec.runs} runs, ${runs.length} finished`);
  const perFunction: Record<string, number> = {};
  const invocations: Record<string, number> = {};
  for (const r of runs) for (const [fn, t] of Object.entries(r.perFunction)) {
    perFunction[fn] = (perFunction[fn] ?? 0) + t.execSeconds / runs.length;
    invocations[fn] = (invocations[fn] ?? 0) + t.invocations / runs.length;
  }
  const occ: Record<string, number> = {};
  for (const n of c.nodeNames) occ[n] = c.occupiedCores(n);
  return {
    spec,
    latency: stats(runs.map((r) => r.latency)),
    trueLatency: stats(runs.map((r) => r.trueLatency)),
    perFunction, invocations,
    bytesRead: runs.reduce((s, r) => s + r.bytesRead, 0) / runs.length,
    bytesWritten: runs.reduce((s, r) => s + r.bytesWritten, 0) / runs.length,
    failures: runs.filter((r) => !r.ok).length,
    occupiedCores: occ,
    queueWorkerMemoryBytes: c.queueWorkerMemoryBytes(),
    runs,
  };
}
