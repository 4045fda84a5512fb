/**
 * The model file of a Kale notebook pipeline (models/pipelines/*.yaml; study 2 Exp. 1): the
 * data set, the network family, images, the jobs (cells) with their parents, the variables
 * each loads and saves on the PVC, the cell compute and figure model, and the fixed overhead
 * stages. Every parameter carries provenance; fitted ones also a `fit` record naming the
 * targets and the fit error (DESIGN.md rule 7).
 *
 * Units in the file: durations and CPU work are plain numbers of seconds (core-seconds at
 * speed 1 for CPU work) or distributions of seconds (core/distributions specs); sizes take
 * units (650kB, 3GB), bandwidths too (100MB/s).
 */
import { z } from 'zod';
import { DistributionError, makeDistribution, type Distribution } from '../../core/distributions.js';
import { bandwidthSchema, bytesSchema, loadYamlModel, parseYamlModel } from '../../cluster/node-profile.js';
import type { CellSpec, ComputeModel, DatasetModel, FigureSpec, MarshalCosts, RenderCosts, VariableSpec } from './stage-model.js';

const distributionField = z.unknown().transform((v, ctx): Distribution => {
  try {
    return makeDistribution(v, '');
  } catch (e) {
    if (!(e instanceof DistributionError)) throw e;
    ctx.addIssue({ code: 'custom', message: `expected ${e.expected}, found ${e.found}`, input: v });
    return z.NEVER;
  }
});

const seconds = z.number().min(0);
const name = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a DNS-1123 label');

const cellSchema = z.strictObject({
  fixed: seconds,
  perMB: seconds.default(0),
  train: z.boolean().default(false),
  inferOnTest: z.boolean().default(false),
  download: z.boolean().default(false),
});

const figureSchema = z.strictObject({
  panels: z.number().int().min(0),
  pointsPerTrainRow: z.number().min(0).default(0),
  points: z.number().min(0).default(0),
});

const jobSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('volume'),
    name,
    dependsOn: z.array(z.string()).default([]),
  }),
  z.strictObject({
    kind: z.literal('cell'),
    name,
    dependsOn: z.array(z.string()).default([]),
    loads: z.array(z.string()).default([]),
    saves: z.array(z.string()).default([]),
    cell: cellSchema,
    figures: figureSchema.default({ panels: 0, pointsPerTrainRow: 0, points: 0 }),
  }),
]);

const variableSchema = z.strictObject({
  kind: z.enum(['table', 'keras-model', 'object']),
  rowsOf: z.enum(['train', 'test']).optional(),
  bytesPerRow: z.number().min(0).optional(),
  bytes: bytesSchema.optional(),
});

const fitRecordSchema = z.strictObject({
  targets: z.string().min(1),
  /** Largest |simulated/reported − 1| (or normalised range error) over those targets at the fit. */
  maxError: z.number().min(0),
  method: z.string().min(1),
});

/** zod schema of a notebook pipeline model file. */
export const notebookModelSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string(),
  dataset: z.strictObject({
    baseBytes: bytesSchema,
    baseRows: z.number().int().positive(),
    trainFraction: z.number().gt(0).lt(1),
    validationSplit: z.number().min(0).lt(1),
  }),
  network: z.strictObject({
    inputs: z.number().int().positive(),
    depth: z.number().int().positive(),
    outputs: z.number().int().positive(),
  }),
  images: z.strictObject({
    job: z.strictObject({ name: z.string().min(1), bytes: bytesSchema }),
    volumeOp: z.strictObject({ name: z.string().min(1), bytes: bytesSchema }),
  }),
  runtimes: z.strictObject({ job: z.string().min(1), volumeOp: z.string().min(1) }),
  compute: z.strictObject({
    epochs: z.number().int().positive(),
    batchSize: z.number().int().positive(),
    trainStepFixed: seconds,
    inferSampleFixed: seconds,
    trainFlopsPerParam: z.number().min(0),
    inferFlopsPerParam: z.number().min(0),
    flopRate: z.number().positive(),
  }),
  marshal: z.strictObject({
    perVariable: seconds,
    kerasSave: seconds,
    kerasLoad: seconds,
    volumeThroughput: bandwidthSchema,
    kerasBytesPerParam: z.number().min(0),
  }),
  render: z.strictObject({ perPanel: seconds, perPoint: seconds }),
  overheads: z.strictObject({
    controllerDelay: distributionField,
    volumeProvision: distributionField,
    volumeOpExec: seconds,
    volumeAttach: seconds,
    volumeDetach: seconds,
    volumeMount: seconds,
    imports: distributionField,
    kaleFixed: seconds,
    artifactBytes: bytesSchema,
    metadataWrites: z.number().int().min(0),
    metadataLatency: seconds,
    teardown: distributionField,
    datasetDownloadRate: bandwidthSchema,
    minioRequestOverhead: seconds,
  }),
  variables: z.record(z.string(), variableSchema),
  jobs: z.array(jobSchema).min(1),
  fit: z.record(z.string(), fitRecordSchema),
  provenance: z.record(z.string(), z.string().min(1)),
}).superRefine((m, ctx) => {
  m.jobs.forEach((j, i) => {
    if (j.kind !== 'cell') return;
    for (const [list, vars] of [['loads', j.loads], ['saves', j.saves]] as const) {
      vars.forEach((v, k) => {
        if (m.variables[v] === undefined) {
          ctx.addIssue({ code: 'custom', path: ['jobs', i, list, k], message: `one of the variables ${Object.keys(m.variables).map((x) => `"${x}"`).join(', ')}`, input: v });
        }
      });
    }
  });
  for (const [vn, v] of Object.entries(m.variables)) {
    if (v.kind === 'table' && (v.rowsOf === undefined || v.bytesPerRow === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['variables', vn], message: 'rowsOf and bytesPerRow for a table', input: v });
    }
  }
  for (const key of PROVENANCE_KEYS) {
    if (m.provenance[key] === undefined) ctx.addIssue({ code: 'custom', path: ['provenance', key], message: 'a provenance entry (its source, "fitted: …" or "assumption: …")', input: undefined });
  }
  for (const key of Object.keys(m.fit)) {
    if (!PROVENANCE_KEYS.some((k) => key === k || key.startsWith(`${k}.`))) {
      ctx.addIssue({ code: 'custom', path: ['fit', key], message: 'a fitted parameter path under a provenance key (e.g. overheads.kaleFixed, cell.plot.perMB)', input: key });
    }
  }
});

/** Parameters that must each carry a provenance entry. */
export const PROVENANCE_KEYS: readonly string[] = [
  'dataset', 'network', 'images.job', 'images.volumeOp', 'runtimes',
  'compute.epochs', 'compute.batchSize', 'compute.trainStepFixed', 'compute.inferSampleFixed', 'compute.flops',
  'marshal.perVariable', 'marshal.kerasSave', 'marshal.kerasLoad', 'marshal.volumeThroughput', 'marshal.kerasBytesPerParam',
  'render.perPanel', 'render.perPoint',
  'overheads.controllerDelay', 'overheads.volumeProvision', 'overheads.volumeOpExec', 'overheads.volumeAttach',
  'overheads.volumeDetach', 'overheads.volumeMount', 'overheads.imports', 'overheads.kaleFixed', 'overheads.artifacts',
  'overheads.teardown', 'overheads.datasetDownloadRate',
  'variables', 'jobs.dag', 'jobs.cells',
  'cell.preprocessing', 'cell.plot', 'cell.dnneval', 'cell.dnnpredict', 'cell.dnnfit', 'cell.others',
];

type FileModel = z.output<typeof notebookModelSchema>;

/** A cell job of the model. */
export interface CellJobSpec {
  readonly kind: 'cell';
  readonly name: string;
  readonly dependsOn: readonly string[];
  readonly loads: readonly string[];
  readonly saves: readonly string[];
  readonly cell: CellSpec;
  readonly figures: FigureSpec;
}

/** The volume job (Kale's `kale-marshall-volume`: claims the PVC). */
export interface VolumeJobSpec {
  readonly kind: 'volume';
  readonly name: string;
  readonly dependsOn: readonly string[];
}

export type NotebookJobSpec = CellJobSpec | VolumeJobSpec;

/** The fixed overhead stages. Distributions are in seconds. */
export interface OverheadModel {
  readonly controllerDelay: Distribution;
  readonly volumeProvision: Distribution;
  readonly volumeOpExec: number;
  readonly volumeAttach: number;
  readonly volumeDetach: number;
  readonly volumeMount: number;
  readonly imports: Distribution;
  readonly kaleFixed: number;
  readonly artifactBytes: number;
  readonly metadataWrites: number;
  readonly metadataLatency: number;
  readonly teardown: Distribution;
  /** bytes/s */
  readonly datasetDownloadRate: number;
  readonly minioRequestOverhead: number;
}

/** A validated notebook pipeline model. */
export interface NotebookModel {
  readonly name: string;
  readonly description: string;
  readonly dataset: DatasetModel;
  readonly network: { readonly inputs: number; readonly depth: number; readonly outputs: number };
  readonly images: { readonly job: { name: string; bytes: number }; readonly volumeOp: { name: string; bytes: number } };
  readonly runtimes: { readonly job: string; readonly volumeOp: string };
  readonly compute: ComputeModel;
  readonly marshal: MarshalCosts;
  readonly render: RenderCosts;
  readonly overheads: OverheadModel;
  readonly variables: Readonly<Record<string, VariableSpec>>;
  readonly jobs: readonly NotebookJobSpec[];
  readonly fit: Readonly<Record<string, { targets: string; maxError: number; method: string }>>;
  readonly provenance: Readonly<Record<string, string>>;
}

function toModel(m: FileModel): NotebookModel {
  return { ...m, jobs: m.jobs.map((j) => ({ ...j })) };
}

/** Load and validate a notebook pipeline model file. */
export function loadNotebookModel(file: string): NotebookModel {
  return toModel(loadYamlModel(file, notebookModelSchema));
}

/** Parse a model from YAML text (`file` names it in errors). */
export function parseNotebookModel(text: string, file = '<notebook model>'): NotebookModel {
  return toModel(parseYamlModel(file, text, notebookModelSchema));
}

/** The Keras model of hidden width `width` (w × w × w for depth 3). */
export function hiddenLayers(model: NotebookModel, width: number): number[] {
  return Array.from({ length: model.network.depth }, () => width);
}

/** The DAG shapes (study 2 "Exp. 1 pipeline"): the model's data-flow parents, or a chain in notebook order. */
export type DagShape = 'dataflow' | 'chain';

/** Jobs with their parents for a DAG shape. */
export function jobsForShape(model: NotebookModel, shape: DagShape): NotebookJobSpec[] {
  if (shape === 'dataflow') return model.jobs.slice();
  return model.jobs.map((j, i) => ({ ...j, dependsOn: i === 0 ? [] : [model.jobs[i - 1].name] }));
}
