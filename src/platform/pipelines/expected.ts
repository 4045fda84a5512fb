/**
 * Expected (mean) stage durations of a notebook pipeline job, in seconds: the analytic
 * counterpart of what kube-job.ts simulates, without contention, flooring or random draws.
 * fit.ts fits the model's unreported stages with it (study 2 modelling notes: "the durations
 * of stages 4, 6, 8 and 9 are not reported: fit them to CT2-1…CT2-14").
 */
import type { ColdStartModel } from '../../cluster/cold-start.js';
import type { CellJobSpec, NotebookJobSpec, NotebookModel } from './notebook-model.js';
import { hiddenLayers } from './notebook-model.js';
import {
  cellCpuSeconds, datasetSplit, denseTrainableParams, downloadSeconds, marshalFixedSeconds, renderSeconds, variableBytes,
  type DatasetSplit,
} from './stage-model.js';

/** The stages of a job pod, in order (study 2 modelling note "Job pod lifecycle"). */
export const JOB_STAGES = ['startup', 'volume', 'imports', 'load', 'cell', 'save', 'render', 'archive', 'exec', 'teardown'] as const;
export type JobStage = (typeof JOB_STAGES)[number];

/** A pipeline configuration: data-set size and hidden width. */
export interface PipelineConfig {
  datasetMB: number;
  width: number;
}

/** Bytes of a data set of `mb` MB (decimal: 10^6 bytes, as the study's kB/MB ratio 650 kB → 2 MB). */
export function datasetBytes(mb: number): number {
  return mb * 1e6;
}

/** Trainable parameters of the model of hidden width `width`. */
export function modelParams(model: NotebookModel, width: number): number {
  return denseTrainableParams(model.network.inputs, hiddenLayers(model, width), model.network.outputs);
}

/** Mean created → container running time of a pod with a cached image, s (§c.5 phases of the cold-start model). */
export function startupMeanSeconds(cs: ColdStartModel, runtime: string): number {
  const r = cs.runtimes[runtime];
  if (r === undefined) throw new RangeError(`startupMeanSeconds: runtime: expected one of ${Object.keys(cs.runtimes).join(', ')}, found "${runtime}"`);
  return cs.phases.scheduling.mean + cs.phases.sandbox.mean + cs.phases.containerCreate.mean + r.mean;
}

/** Context of the expectation. */
export interface ExpectationContext {
  /** Mean startup of job pods and of the volume-op pod, s. */
  startupJob: number;
  startupVolumeOp: number;
  /** Names of the jobs that attach the volume (the first consumer per run when co-located). */
  attachers: ReadonlySet<string>;
  /** Artifact upload to MinIO, s (without the request overhead). */
  artifactUpload: number;
}

/** Expected stages (s) of one job, its cell time and its lifetime (Σ stages). */
export interface ExpectedJob {
  job: string;
  stages: Record<JobStage, number>;
  cellTime: number;
  lifetime: number;
}

function zeroStages(): Record<JobStage, number> {
  return { startup: 0, volume: 0, imports: 0, load: 0, cell: 0, save: 0, render: 0, archive: 0, exec: 0, teardown: 0 };
}

/** Seconds to load or save `vars` (fixed part + bytes through the volume). */
export function marshalSeconds(model: NotebookModel, vars: readonly string[], dir: 'load' | 'save', split: DatasetSplit, params: number): number {
  let s = 0;
  for (const v of vars) {
    const spec = model.variables[v];
    s += marshalFixedSeconds(spec, dir, model.marshal) + variableBytes(spec, split, params, model.marshal) / model.marshal.volumeThroughput;
  }
  return s;
}

/** Cell CPU work (core-s) and download (s) of a cell job. */
export function cellParts(model: NotebookModel, job: CellJobSpec, cfg: PipelineConfig): { cpu: number; download: number } {
  const split = datasetSplit(datasetBytes(cfg.datasetMB), model.dataset);
  const params = modelParams(model, cfg.width);
  return {
    cpu: cellCpuSeconds(job.cell, cfg.datasetMB, split, params, model.compute),
    download: job.cell.download ? downloadSeconds(datasetBytes(cfg.datasetMB), model.overheads.datasetDownloadRate) : 0,
  };
}

/** Expected stages of `job` in configuration `cfg`. */
export function expectedJob(model: NotebookModel, job: NotebookJobSpec, cfg: PipelineConfig, ctx: ExpectationContext): ExpectedJob {
  const o = model.overheads;
  const st = zeroStages();
  if (job.kind === 'volume') {
    st.startup = ctx.startupVolumeOp;
    st.volume = o.volumeProvision.mean;
    st.exec = o.volumeOpExec;
    st.teardown = o.teardown.mean;
  } else {
    const split = datasetSplit(datasetBytes(cfg.datasetMB), model.dataset);
    const params = modelParams(model, cfg.width);
    const cell = cellParts(model, job, cfg);
    st.startup = ctx.startupJob;
    st.volume = (ctx.attachers.has(job.name) ? o.volumeAttach : 0) + o.volumeMount;
    st.imports = o.imports.mean;
    st.load = marshalSeconds(model, job.loads, 'load', split, params);
    st.cell = cell.cpu + cell.download;
    st.save = marshalSeconds(model, job.saves, 'save', split, params);
    st.render = renderSeconds(job.figures, split, model.render);
    st.archive = o.kaleFixed + ctx.artifactUpload + o.minioRequestOverhead + o.metadataWrites * o.metadataLatency;
    st.teardown = o.teardown.mean;
  }
  let total = 0;
  for (const k of JOB_STAGES) total += st[k];
  return { job: job.name, stages: st, cellTime: st.cell, lifetime: total };
}
