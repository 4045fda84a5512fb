/**
 * The DRL study's video-analytics pipeline (study 5 §4.3.2; issue 5 item 5) as a model:
 * per-function CPU phases, data sizes, engine overheads and platform settings from
 * `models/workflows/video-pipeline.yaml`, and the four granularity versions as workflow specs.
 *
 * Versions (CT5-3): V1 Framer → FaceDetector (per frame) → FaceAnalyzer (frames with a face) |
 * Mobilenet (the others) → Outputter (5 functions); V2 merges the two classifiers into Inference
 * (4); V3 merges detection and inference into Biginference (3); V4 runs Framer + detection +
 * inference sequentially in one Monolith, then Outputer (2). Merged functions run the phases of
 * their parts in one process: startup work of each part once per call, per-item work per item
 * (inference per frame by its `face` attribute).
 */
import { z } from 'zod';
import { bandwidthSchema, bytesSchema, loadYamlModel } from '../../cluster/node-profile.js';
import type { WorkflowSpec } from './dag.js';
import { amdahlPhases, type CpuPhase, type FunctionCost } from './function-cost.js';

export const VERSIONS = ['V1', 'V2', 'V3', 'V4'] as const;
export type VideoVersion = (typeof VERSIONS)[number];

/** FaceAnalyzer's output classes (study 5 §4.3.2, CT5-3). */
export const EMOTION_CLASSES = ['angry', 'disgusted', 'feared', 'happy', 'neutral', 'sad', 'surprised'] as const;

/** V1 function names (the DRL placement keys). */
export const V1_FUNCTIONS = ['framer', 'facedetector', 'faceanalyzer', 'mobilenet', 'outputter'] as const;
export type V1Function = (typeof V1_FUNCTIONS)[number];

const phaseSchema = z.strictObject({
  name: z.string().min(1),
  perCall: z.number().min(0),
  perItem: z.number().min(0),
  threads: z.union([z.number().positive(), z.literal('visible-cores')]),
  maxThreads: z.number().positive().optional(),
  speedClass: z.string().min(1),
  serialFraction: z.number().min(0).lt(1).optional(),
  when: z.strictObject({ attr: z.string().min(1), equals: z.boolean() }).optional(),
});

const functionSchema = z.strictObject({
  interferenceClass: z.string().min(1),
  image: z.strictObject({ name: z.string().min(1), bytes: bytesSchema }),
  runtime: z.string().min(1),
  modelBytes: bytesSchema.default(0),
  memoryWorkingSet: bytesSchema.default(0),
  phases: z.array(phaseSchema).min(1),
});

const seconds = z.number().min(0);

export const videoModelSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  frameBytes: bytesSchema,
  resultBytes: bytesSchema,
  outputBytes: bytesSchema,
  faceFraction: z.number().min(0).max(1),
  functions: z.strictObject({
    framer: functionSchema, facedetector: functionSchema, faceanalyzer: functionSchema, mobilenet: functionSchema, outputter: functionSchema,
  }),
  engines: z.strictObject({
    custom: z.strictObject({ cliOverhead: seconds, pollPeriod: z.number().positive() }),
    faasFlow: z.strictObject({ stepOverhead: seconds, requestOverhead: seconds, perItemParallel: z.boolean() }),
  }),
  platform: z.strictObject({
    invocationOverhead: seconds,
    gatewayTimeout: z.number().positive(),
    ackWait: z.number().positive(),
    minioRequestOverhead: seconds,
    minioDiskBandwidth: bandwidthSchema,
    functionCpuRequestMilli: z.number().min(0),
    functionMemoryRequest: bytesSchema,
    queueWorkerMemory: bytesSchema,
  }),
  calibration: z.unknown().optional(),
  provenance: z.record(z.string(), z.string().min(1)),
});

export type VideoModelFile = z.output<typeof videoModelSchema>;

/** One function of the model, with what a pod needs. */
export interface VideoFunction extends FunctionCost {
  image: { name: string; bytes: number };
  runtime: string;
  modelBytes: number;
  memoryWorkingSet: number;
}

export interface VideoPipelineModel {
  name: string;
  frameBytes: number;
  resultBytes: number;
  outputBytes: number;
  faceFraction: number;
  functions: Record<V1Function, VideoFunction>;
  engines: VideoModelFile['engines'];
  platform: VideoModelFile['platform'];
  provenance: Record<string, string>;
}

/** Build the model from a parsed file. */
export function videoModelFrom(f: VideoModelFile): VideoPipelineModel {
  const fns = {} as Record<V1Function, VideoFunction>;
  for (const n of V1_FUNCTIONS) {
    const s = f.functions[n];
    fns[n] = {
      name: n, interferenceClass: s.interferenceClass, image: s.image, runtime: s.runtime, modelBytes: s.modelBytes,
      memoryWorkingSet: s.memoryWorkingSet, phases: s.phases.map((p) => ({ ...p })),
    };
  }
  return {
    name: f.name, frameBytes: f.frameBytes, resultBytes: f.resultBytes, outputBytes: f.outputBytes, faceFraction: f.faceFraction,
    functions: fns, engines: f.engines, platform: f.platform, provenance: f.provenance,
  };
}

/** Load models/workflows/video-pipeline.yaml (errors name the file and the path inside it). */
export function loadVideoModel(file: string): VideoPipelineModel {
  return videoModelFrom(loadYamlModel(file, videoModelSchema));
}

/** Per-item work of the classifiers applies to their branch of frames (V1's `when` on the stages). */
const BRANCH: Readonly<Record<string, { attr: string; equals: boolean }>> = {
  faceanalyzer: { attr: 'face', equals: true },
  mobilenet: { attr: 'face', equals: false },
};

/** A function made of several V1 functions run in one process (classifier per-item work on its branch only). */
function merged(name: string, parts: readonly VideoFunction[], interferenceClass: string): VideoFunction {
  const phases: CpuPhase[] = [];
  for (const p of parts) {
    for (const ph of p.phases) phases.push({ ...ph, name: `${p.name}.${ph.name}`, ...(BRANCH[p.name] !== undefined && ph.when === undefined ? { when: BRANCH[p.name] } : {}) });
  }
  const imageBytes = parts.reduce((a, b) => Math.max(a, b.image.bytes), 0);
  return {
    name, interferenceClass, phases, image: { name: `video-pipeline/${name}`, bytes: imageBytes }, runtime: parts[0].runtime,
    modelBytes: parts.reduce((s, p) => s + p.modelBytes, 0), memoryWorkingSet: parts.reduce((s, p) => Math.max(s, p.memoryWorkingSet), 0),
  };
}

/** A function with its phases as they run: serial fractions split off (`amdahlPhases`). */
function runnable(f: VideoFunction): VideoFunction {
  return { ...f, phases: f.phases.flatMap(amdahlPhases) };
}

/** The functions a version deploys, by name, with their phases as they run (serial fractions split off). */
export function versionFunctions(m: VideoPipelineModel, v: VideoVersion): Record<string, VideoFunction> {
  const out: Record<string, VideoFunction> = {};
  for (const [name, f] of Object.entries(versionParts(m, v))) out[name] = runnable(f);
  return out;
}

function versionParts(m: VideoPipelineModel, v: VideoVersion): Record<string, VideoFunction> {
  const f = m.functions;
  switch (v) {
    case 'V1': return { ...f };
    case 'V2': return { framer: f.framer, facedetector: f.facedetector, inference: merged('inference', [f.faceanalyzer, f.mobilenet], f.faceanalyzer.interferenceClass), outputter: f.outputter };
    case 'V3': return { framer: f.framer, biginference: merged('biginference', [f.facedetector, f.faceanalyzer, f.mobilenet], f.faceanalyzer.interferenceClass), outputter: f.outputter };
    case 'V4': return { monolith: merged('monolith', [f.framer, f.facedetector, f.faceanalyzer, f.mobilenet], f.framer.interferenceClass), outputter: f.outputter };
    default: throw new RangeError(`video pipeline: version: expected one of ${VERSIONS.join(', ')}, found ${JSON.stringify(v)}`);
  }
}

/** The workflow spec of a version (stage name = function name). */
export function versionWorkflow(m: VideoPipelineModel, v: VideoVersion): WorkflowSpec {
  const frame = m.frameBytes;
  const res = m.resultBytes;
  const out = { bytes: m.outputBytes };
  const attrs = ['face'];
  switch (v) {
    case 'V1': return {
      name: 'video-V1', itemAttributes: attrs, stages: [
        { name: 'framer', fn: 'framer', mode: 'once', output: { bytesPerItem: frame } },
        { name: 'facedetector', fn: 'facedetector', mode: 'per-item', after: ['framer'], reads: ['framer'], output: { bytesPerItem: res } },
        { name: 'faceanalyzer', fn: 'faceanalyzer', mode: 'per-item', after: ['facedetector'], reads: ['framer', 'facedetector'], when: { attr: 'face', equals: true }, output: { bytesPerItem: res } },
        { name: 'mobilenet', fn: 'mobilenet', mode: 'per-item', after: ['facedetector'], reads: ['framer', 'facedetector'], when: { attr: 'face', equals: false }, output: { bytesPerItem: res } },
        { name: 'outputter', fn: 'outputter', mode: 'once', after: ['faceanalyzer', 'mobilenet'], reads: ['faceanalyzer', 'mobilenet'], output: out },
      ],
    };
    case 'V2': return {
      name: 'video-V2', itemAttributes: attrs, stages: [
        { name: 'framer', fn: 'framer', mode: 'once', output: { bytesPerItem: frame } },
        { name: 'facedetector', fn: 'facedetector', mode: 'per-item', after: ['framer'], reads: ['framer'], output: { bytesPerItem: res } },
        { name: 'inference', fn: 'inference', mode: 'per-item', after: ['facedetector'], reads: ['framer', 'facedetector'], output: { bytesPerItem: res } },
        { name: 'outputter', fn: 'outputter', mode: 'once', after: ['inference'], reads: ['inference'], output: out },
      ],
    };
    case 'V3': return {
      name: 'video-V3', itemAttributes: attrs, stages: [
        { name: 'framer', fn: 'framer', mode: 'once', output: { bytesPerItem: frame } },
        { name: 'biginference', fn: 'biginference', mode: 'per-item', after: ['framer'], reads: ['framer'], output: { bytesPerItem: res } },
        { name: 'outputter', fn: 'outputter', mode: 'once', after: ['biginference'], reads: ['biginference'], output: out },
      ],
    };
    case 'V4': return {
      name: 'video-V4', itemAttributes: attrs, stages: [
        { name: 'monolith', fn: 'monolith', mode: 'once', output: { bytesPerItem: res } },
        { name: 'outputter', fn: 'outputter', mode: 'once', after: ['monolith'], reads: ['monolith'], output: out },
      ],
    };
    default: throw new RangeError(`video pipeline: version: expected one of ${VERSIONS.join(', ')}, found ${JSON.stringify(v)}`);
  }
}
