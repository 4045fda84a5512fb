/**
 * Study 3 (de la Rúa Martínez 2020): streaming model monitoring of an Iris classifier served by
 * KFServing on Knative. Spec: calibration-targets.md study 3 (Setup, Workload, Measurement
 * definitions, CT3-1…CT3-26, "Also measured", modelling notes, `monitoring-iris.yaml`).
 *
 * The run: 7 × t3.medium nodes; the predictor as a Knative revision (KPA target 80, min 1,
 * model container 100m CPU limit, per-request CPU ≈ 1.36 ms) whose pods log every request they
 * receive (KFServing logger sidecar) to the Inference Logger (one pod, FIFO handler), which
 * produces `{type,id,time,payload}` messages to a 3-partition Kafka topic; the Spark monitoring
 * job runs three micro-batch queries (outliers, stats, drift) on 3 one-core executors; a hey-like
 * closed-loop client runs the five stages of Tab 5.5.1 with the Iris payload generator.
 *
 * `buildMonitoringIris(sim, params)` wires one seeded run; `summarizeMonitoringIris(run)` computes
 * the checks and the also-measured block. Importing this module registers the scenario kind
 * `monitoring-iris` (experiments/monitoring-iris.yaml).
 */
import { z } from 'zod';
import { loadColdStartModel, type ColdStartModel } from '../../cluster/cold-start.js';
import { parseNodeProfile } from '../../cluster/node-profile.js';
import { makeDistribution } from '../../core/distributions.js';
import type { Simulation } from '../../core/simulation.js';
import { MINUTE, MS, SECOND, type Time } from '../../core/time.js';
import { makeBaseline, type Baseline } from '../../monitor/baseline.js';
import type { WindowResult } from '../../monitor/monitor.js';
import { InferenceLogger, kpaMaxDesiredPods, type LoggedRecord } from '../../monitor/pipeline/inference-logger.js';
import { jvmMemorySeries, type JvmMemoryParams } from '../../monitor/pipeline/jvm-memory.js';
import { Producer, Topic, type ByteSeries } from '../../monitor/pipeline/message-bus.js';
import { MonitoringJob, type OutlierRow, type RowSizes } from '../../monitor/pipeline/monitoring-job.js';
import type { QueryCosts } from '../../monitor/pipeline/stream-processor.js';
import { monitorSpecSchema, type MonitorSpec } from '../../monitor/spec.js';
import { DEFAULT_AUTOSCALER_CONFIG } from '../../platform/knative/config.js';
import { KubeCluster } from '../../platform/kubernetes/runtime/cluster.js';
import type { PodTemplate } from '../../platform/kubernetes/runtime/types.js';
import { ModelService, type ServiceOutcome } from '../../platform/retrain/model-service.js';
import { ClosedLoopClient, STATUS_OK, type ClientRequest, type ClosedLoopStage, type CompletionCallback } from '../../workload/arrivals/closed-loop.js';
import { IRIS_BASELINE, PayloadModel, irisFeatures, type PayloadOptions } from '../../workload/payload.js';
import { getKind, registerKind, type Check, type JsonValue, type RunHandle, type Table } from '../../scenario/registry.js';
import { packageFile } from './model-upload.js';

// ---------------------------------------------------------------------------------------------
// Study constants
// ---------------------------------------------------------------------------------------------

/** Feature order of the records (IRIS_BASELINE order). */
export const IRIS_FEATURES: readonly string[] = IRIS_BASELINE.map((f) => f.name);

/** Public Iris example's 20-bin training histograms (study 3, "Baseline distributions"), counts sum to 120. */
export const IRIS_BASELINE_COUNTS: Readonly<Record<string, readonly number[]>> = {
  petal_width: [27, 7, 7, 0, 1, 0, 0, 5, 3, 12, 7, 7, 3, 2, 15, 4, 4, 3, 8, 5],
  petal_length: [3, 29, 9, 1, 0, 0, 1, 2, 2, 4, 7, 10, 10, 13, 5, 10, 5, 4, 2, 3],
  sepal_width: [1, 2, 3, 3, 8, 8, 12, 7, 20, 10, 17, 8, 5, 3, 9, 2, 1, 0, 0, 1],
  sepal_length: [4, 6, 10, 16, 3, 6, 7, 6, 8, 9, 9, 11, 2, 8, 4, 3, 1, 1, 5, 1],
};

/** The study's baseline: Tab 3.3.1 descriptive statistics and the 20-bin histograms from training min to max. */
export function irisStudyBaseline(): Baseline {
  const descriptive: Record<string, Record<string, number>> = {};
  const distributions: Record<string, { edges: number[]; counts: number[] }> = {};
  for (const f of IRIS_BASELINE) {
    descriptive[f.name] = { avg: f.mean, stddev: f.sd, min: f.min, max: f.max };
    const w = (f.max - f.min) / 20;
    distributions[f.name] = { edges: Array.from({ length: 20 }, (_, i) => f.min + i * w), counts: [...IRIS_BASELINE_COUNTS[f.name]] };
  }
  return makeBaseline(IRIS_FEATURES, { descriptive, distributions });
}

/** The ModelMonitor `monitoring` section of the experiment (study 3, "Reproduction experiment"). */
export const IRIS_MONITOR_SPEC_INPUT = {
  features: [...IRIS_FEATURES],
  compat: 'reference',
  trigger: { window: { duration: 15000, slide: 15000, watermarkDelay: 6000 }, watermark: 'on-advance' },
  stats: { max: {}, min: {}, count: {}, avg: {}, mean: {}, distr: {}, stddev: { type: 'sample' }, perc: { percentiles: [25, 50, 75], iqr: true }, cov: { type: 'sample' }, corr: { type: 'sample' } },
  outliers: { descriptive: ['avg'] },
  drift: { wasserstein: { showAll: true }, kullbackLeibler: { showAll: true }, jensenShannon: { showAll: true } },
} as const;

/** t3.medium (study 3 Setup: 2 vCPU, 4 GiB, up to 5 Gbps, 20 GB EBS; T3 unlimited = full 2 vCPU). */
export const T3_MEDIUM_PROFILE = `
name: t3-medium
description: AWS EKS worker t3.medium (study 3 Setup)
cores: 2
speed: {default: 1.0, classes: {}}
memory: 4GiB
l3: 32MB
memoryBandwidth: 20GB/s
diskBandwidth: 125MB/s
networkBandwidth: 5Gbit/s
imageCache: 15GB
labels: {node.kubernetes.io/instance-type: t3.medium}
taints: []
provenance:
  cores: "study 3 Setup: t3.medium 2 vCPU; suggested default: T3 unlimited (full 2 vCPU)"
  speed: "assumption: same speed on every node"
  memory: "study 3 Setup: 4 GiB"
  l3: "assumption: not reported"
  memoryBandwidth: "assumption: not reported"
  diskBandwidth: "assumption: gp2 20 GB EBS baseline ~125 MB/s burst"
  networkBandwidth: "study 3 Setup: up to 5 Gbps"
  imageCache: "assumption: 20 GB EBS minus OS"
`;

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

/**
 * Stage-3 drift per feature (study 3 Workload: "location displaced and variation modified"; the
 * spec leaves the magnitudes open and asks that they make CT3-13 hold). Constraints, on the
 * reference histograms (bins from training min to max; out-of-range values dropped):
 * - CT3-10: the stage-3 change of the window std must exceed that of the 10%-outlier stages
 *   (≈ 1.5σ with |z| ~ U[3, 4.5]), so the scale is ×1.6 for every feature;
 * - CT3-13: stage-3 Wasserstein (bin units) of petal_length and sepal_length above the others;
 * - CT3-11: every coefficient rises in stage 3 (the petal features' JS barely moves for small
 *   shifts because their baselines are bimodal).
 * The +1.5σ ×1.5 default gives W ≈ 3.5 / 3.4 / 4.0 / 4.3 bins (petal_width / petal_length /
 * sepal_width / sepal_length), violating CT3-13. Chosen shifts give expected W ≈ 5.9 / 6.5 / 3.8 /
 * 7.2 bins and JS rises of ≥ 0.05 (docs/monitoring.md has the table).
 */
export const IRIS_DRIFT_SHIFT_SD = { petal_width: 3.5, petal_length: 4, sepal_width: 1.5, sepal_length: 3.5 } as const;
export const IRIS_DRIFT_SCALE = { petal_width: 1.6, petal_length: 1.6, sepal_width: 1.6, sepal_length: 1.6 } as const;

const queryCostsSchema = z.strictObject({
  plan: z.unknown(),
  commit: z.unknown(),
  driverCpuFraction: z.number().min(0).max(1),
  driverPerTask: z.number().min(0),
  taskOverhead: z.number().min(0),
  perRecord: z.number().min(0),
  perOutputRow: z.number().min(0),
  shufflePartitions: z.int().min(0),
  shuffleTask: z.number().min(0),
  perStateRecord: z.number().min(0),
  taskCpuFraction: z.number().min(0).max(1),
  pollInterval: z.number().positive(),
  trigger: z.number().min(0).optional(),
});

/** Spark micro-batch costs (modelling note 1; fitted to CT3-1…CT3-3 and CT3-19/20, see docs/monitoring.md). */
export const DEFAULT_QUERY_COSTS = {
  outliers: {
    plan: { type: 'lognormal', median: 1.3, sigma: 0.35 }, commit: { type: 'lognormal', median: 0.7, sigma: 0.35 },
    driverCpuFraction: 0.25, driverPerTask: 0.002, taskOverhead: 0.04, perRecord: 0.0008, perOutputRow: 0.001,
    shufflePartitions: 0, shuffleTask: 0, perStateRecord: 0, taskCpuFraction: 0.9, pollInterval: 0.01,
  },
  stats: {
    plan: { type: 'lognormal', median: 1.0, sigma: 0.3 }, commit: { type: 'lognormal', median: 0.8, sigma: 0.3 },
    driverCpuFraction: 0.25, driverPerTask: 0.0005, taskOverhead: 0.04, perRecord: 0.0003, perOutputRow: 0,
    shufflePartitions: 200, shuffleTask: 0.015, perStateRecord: 0.002, taskCpuFraction: 0.9, pollInterval: 0.01,
  },
  drift: {
    plan: { type: 'lognormal', median: 1.0, sigma: 0.3 }, commit: { type: 'lognormal', median: 0.8, sigma: 0.3 },
    driverCpuFraction: 0.25, driverPerTask: 0.0005, taskOverhead: 0.04, perRecord: 0.0003, perOutputRow: 0,
    shufflePartitions: 200, shuffleTask: 0.016, perStateRecord: 0.002, taskCpuFraction: 0.9, pollInterval: 0.01,
  },
} as const;

const jvmSchema = z.strictObject({
  baseMiB: z.number().min(0), plateauMiB: z.number().min(0), growthPerRecordMiB: z.number().min(0),
  garbagePerRecordMiB: z.number().min(0), youngGenMiB: z.number().min(0),
});

export const monitoringIrisBodySchema = z.strictObject({
  /** Requests per stage are multiplied by this (1 = the study; < 1 for quick runs). */
  scale: z.number().positive().max(1).default(1),
  stages: z.array(z.strictObject({ concurrency: z.int().positive(), requests: z.int().positive() })).min(1).default([
    { concurrency: 48, requests: 50000 }, { concurrency: 96, requests: 50000 }, { concurrency: 144, requests: 50000 },
    { concurrency: 96, requests: 50000 }, { concurrency: 48, requests: 50000 },
  ]),
  gapSeconds: z.number().min(0).default(1),
  clientTimeoutSeconds: z.number().positive().default(20),
  rttMs: z.number().min(0).default(30),
  /** Seconds between the run start (service deployed, first pod starting) and the first request. */
  warmupSeconds: z.number().min(0).default(30),
  /** Seconds the pipeline keeps running after the client's last response. */
  drainSeconds: z.number().min(0).default(60),
  nodes: z.int().positive().default(7),
  payload: z.strictObject({
    outlierRate: z.number().min(0).max(1).default(0.1),
    outliersPer: z.enum(['value', 'instance']).default('value'),
    driftShiftSd: z.union([z.number(), z.record(z.string(), z.number())]).default({ ...IRIS_DRIFT_SHIFT_SD }),
    driftScale: z.union([z.number(), z.record(z.string(), z.number())]).default({ ...IRIS_DRIFT_SCALE }),
  }).prefault({}),
  model: z.strictObject({
    target: z.number().positive().default(80),
    minScale: z.int().min(0).default(1),
    cpuMilli: z.int().positive().default(100),
    cpuLimit: z.boolean().default(true),
    memoryMiB: z.number().positive().default(256),
    cpuPerRequestMs: z.number().positive().default(1.36),
    cpuCv: z.number().min(0).default(0.1),
    imageMB: z.number().positive().default(400),
    modelServerStart: z.unknown().default({ type: 'uniform', min: 2, max: 5 }),
    warmupFail: z.unknown().default({ type: 'uniform', min: 0.5, max: 2.5 }),
    failStatus: z.int().default(503),
  }).prefault({}),
  logger: z.strictObject({
    hop: z.unknown().default({ type: 'uniform', min: 0.002, max: 0.05 }),
    service: z.unknown().default({ type: 'exponential', mean: 0.004 }),
    cpuPerEventMs: z.number().min(0).default(0.5),
    queueProxyCpuPerEventMs: z.number().min(0).default(0.6),
    serverMemoryMiB: z.number().min(0).default(8),
    queueProxyMemoryMiB: z.number().min(0).default(20),
    messageBytes: z.number().positive().default(100),
    timeResolution: z.enum(['second', 'exact']).default('second'),
    target: z.number().positive().default(80),
  }).prefault({}),
  kafka: z.strictObject({
    lingerMs: z.number().min(0).default(0),
    batchBytes: z.number().min(0).default(16384),
    latencyBaseMs: z.number().min(0).default(2),
    latencyPerKiBMs: z.number().min(0).default(0.05),
    inferencePartitions: z.int().positive().default(3),
    rowBytes: z.strictObject({
      outlier: z.number().positive().default(155), stats: z.number().positive().default(1250),
      drift: z.number().positive().default(180), commit: z.number().positive().default(2000),
    }).prefault({}),
  }).prefault({}),
  spark: z.strictObject({
    executors: z.strictObject({ instances: z.int().positive().default(3), cores: z.int().positive().default(1), coreLimit: z.number().positive().default(1) }).prefault({}),
    costs: z.strictObject({ outliers: queryCostsSchema, stats: queryCostsSchema, drift: queryCostsSchema }).default(DEFAULT_QUERY_COSTS as never),
    driverMemory: jvmSchema.default({ baseMiB: 420, plateauMiB: 700, growthPerRecordMiB: 0.004, garbagePerRecordMiB: 0.004, youngGenMiB: 110 }),
    executorMemory: jvmSchema.default({ baseMiB: 600, plateauMiB: 1180, growthPerRecordMiB: 0.004, garbagePerRecordMiB: 0.0015, youngGenMiB: 150 }),
  }).prefault({}),
  controlPlane: z.strictObject({
    cpuCores: z.number().min(0).default(0.17),
    monitoringMemoryStartGB: z.number().min(0).default(1.0),
    monitoringMemoryGrowthMBPerMin: z.number().min(0).default(40),
    servingCpuPerRequestMs: z.number().min(0).default(0.8),
    servingCpuBaseCores: z.number().min(0).default(0.05),
  }).prefault({}),
  monitor: monitorSpecSchema.optional(),
  coldStartModel: z.string().default('models/cold-start/default.yaml'),
});

export type MonitoringIrisBody = z.output<typeof monitoringIrisBodySchema>;

/** Defaults of every field, as parsed from an empty body. */
export function defaultMonitoringIrisBody(overrides: Record<string, unknown> = {}): MonitoringIrisBody {
  return monitoringIrisBodySchema.parse(overrides);
}

function costsOf(c: z.output<typeof queryCostsSchema>, path: string): QueryCosts {
  return { ...c, plan: makeDistribution(c.plan, `${path}.plan`), commit: makeDistribution(c.commit, `${path}.commit`) };
}

/** The Iris payload of the run: study defaults, with per-feature drift if given. */
export function irisPayloadOptions(p: MonitoringIrisBody['payload']): PayloadOptions {
  const side = { petal_width: 'high', petal_length: 'high', sepal_width: 'both', sepal_length: 'both' } as const;
  const rate = p.outlierRate;
  const per = p.outliersPer;
  return {
    features: irisFeatures(3),
    changes: [
      { kind: 'outliers', label: 'outliers-stage2', start: { stage: 1 }, end: { stage: 2 }, rate, per, k: [3, 4.5], side },
      { kind: 'drift', label: 'drift-stage3', start: { stage: 2 }, end: { stage: 3 }, shiftSd: p.driftShiftSd, scale: p.driftScale },
      { kind: 'outliers', label: 'outliers-stage4', start: { stage: 3 }, end: { stage: 4 }, rate, per, k: [3, 4.5], side },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

/** Per-request record (client side and server side). */
export interface RequestRow {
  stage: number;
  sentAt: Time;
  latency: Time;
  status: number;
  pod: string;
  /** Revision that served it ('' if none). */
  revision: string;
  /** Pod arrival (= the request timestamp), −1 if it never reached a pod. */
  requestTime: Time;
  serverLatency: Time;
}

/** Everything one run keeps. */
export interface MonitoringIrisRun {
  sim: Simulation;
  body: MonitoringIrisBody;
  spec: MonitorSpec;
  cluster: KubeCluster;
  service: ModelService;
  client: ClosedLoopClient;
  payload: PayloadModel;
  logger: InferenceLogger;
  job: MonitoringJob;
  topics: { inference: Topic<LoggedRecord>; outliers: Topic<OutlierRow>; stats: Topic<WindowResult>; drift: Topic<WindowResult>; offsets: Topic<string> };
  requests: RequestRow[];
  /** Logged records (emitted into the pipeline) in log order. */
  logged: LoggedRecord[];
  /** 1 s samples: ready pods of the service, model containers' CPU cores, logger concurrency. */
  series: { t: number[]; pods: number[]; modelCpu: number[] };
  clientStart: Time;
  finishedAt: Time;
}

const SERVICE_NAME = 'iris';

/** What other studies (drift-retrain) change in the wiring. */
export interface MonitoringIrisExtras {
  coldStart?: ColdStartModel;
  /** Payload instead of the five-stage Iris one. */
  payload?: PayloadOptions;
  /** Client stages instead of body.stages (e.g. one stage of fixed duration). */
  stages?: ClosedLoopStage[];
  /** Monitor spec instead of body.monitor / the study's. */
  spec?: MonitorSpec;
}

/** Wire one run of the study on `sim` (the simulation's clock starts at 0). */
export function buildMonitoringIris(sim: Simulation, body: MonitoringIrisBody, extra: MonitoringIrisExtras = {}): MonitoringIrisRun {
  const spec: MonitorSpec = extra.spec ?? body.monitor ?? monitorSpecSchema.parse(IRIS_MONITOR_SPEC_INPUT);
  const baseline = spec.baseline ? makeBaseline(spec.features, spec.baseline, 'monitor.baseline') : irisStudyBaseline();
  // Cluster: 7 t3.medium, a cold-start model with the TF Serving model-server start as runtime.
  const base = extra.coldStart ?? loadColdStartModel(packageFile(body.coldStartModel));
  const cs: ColdStartModel = { ...base, runtimes: { ...base.runtimes, 'tf-serving': makeDistribution(body.model.modelServerStart, 'model.modelServerStart') } };
  const cluster = new KubeCluster(sim, { coldStart: cs });
  const profile = parseNodeProfile(T3_MEDIUM_PROFILE, 't3-medium (monitoring-iris.ts)');
  const perNodeDaemon = body.controlPlane.cpuCores / body.nodes;
  for (let i = 0; i < body.nodes; i++) cluster.addNode(profile, { name: `node-${i + 1}`, daemonCores: perNodeDaemon });
  // Spark driver and executors: 1 CPU request = limit each, at most one per node (study 3 Setup).
  const sparkPod = (name: string, mem: number): PodTemplate => ({
    name, image: { name: 'spark:2.4.5', bytes: 5e8 }, runtime: 'jvm',
    resources: { cpuRequestMilli: 1000, cpuLimitMilli: 1000, memoryRequestBytes: mem * 2 ** 20 }, workload: { usefulWork: 0, threads: 1 },
  });
  cluster.bindStaticPod('node-1', sparkPod('spark-driver', 896));
  for (let e = 0; e < body.spark.executors.instances && e + 2 <= body.nodes; e++) cluster.bindStaticPod(`node-${e + 2}`, sparkPod(`spark-exec-${e + 1}`, 1408));
  const image = { name: 'tensorflow/serving:1.14.0', bytes: body.model.imageMB * 1e6 };
  for (const n of cluster.nodes) cluster.preloadImage(n.name, image);
  const m = body.model;
  const template: PodTemplate = {
    name: SERVICE_NAME, image, runtime: 'tf-serving',
    resources: { cpuRequestMilli: m.cpuMilli, cpuLimitMilli: m.cpuLimit ? m.cpuMilli : undefined, memoryRequestBytes: m.memoryMiB * 2 ** 20, memoryLimitBytes: m.memoryMiB * 2 ** 20 },
    sidecars: [{ name: 'inferenceservice-logger', resources: { cpuRequestMilli: 100, cpuLimitMilli: 1000, memoryRequestBytes: 100 * 2 ** 20, memoryLimitBytes: 2 ** 30 } }],
    workload: {
      usefulWork: m.cpuCv > 0
        ? makeDistribution({ type: 'lognormal', mean: m.cpuPerRequestMs / 1000, sd: (m.cpuCv * m.cpuPerRequestMs) / 1000 })
        : m.cpuPerRequestMs / 1000,
      threads: 1,
    },
  };
  const service = new ModelService(cluster, {
    name: SERVICE_NAME, template,
    annotations: { 'autoscaling.knative.dev/target': String(m.target), 'autoscaling.knative.dev/min-scale': String(m.minScale) },
    config: DEFAULT_AUTOSCALER_CONFIG, warmupFail: makeDistribution(m.warmupFail, 'model.warmupFail'), failStatus: m.failStatus,
    rng: sim.random.stream('iris/pod-warmup'),
  });
  // Kafka
  const k = body.kafka;
  const topics = {
    inference: new Topic<LoggedRecord>('iris-inference-topic', k.inferencePartitions),
    outliers: new Topic<OutlierRow>('iris-inference-outliers-topic', 1),
    stats: new Topic<WindowResult>('iris-inference-stats-topic', 1),
    drift: new Topic<WindowResult>('iris-inference-drift-topic', 1),
    offsets: new Topic<string>('__consumer_offsets', 1),
  };
  const producerCfg = { lingerUs: Math.round(k.lingerMs * MS), batchBytes: k.batchBytes, latency: { baseUs: k.latencyBaseMs * MS, perKiBUs: k.latencyPerKiBMs * MS } };
  const lg = body.logger;
  const logger = new InferenceLogger(sim, new Producer(sim, topics.inference, producerCfg, sim.random.stream('kafka/inference/partitioner')), {
    hop: makeDistribution(lg.hop, 'logger.hop'), service: makeDistribution(lg.service, 'logger.service'), cpuPerEvent: lg.cpuPerEventMs / 1000,
    messageBytes: lg.messageBytes, timeResolution: lg.timeResolution, rng: sim.random.stream('inference-logger'),
  });
  const rowSizes: RowSizes = { ...k.rowBytes };
  const job = new MonitoringJob(sim, {
    spec, baseline, inference: topics.inference, outputs: topics, producer: producerCfg, rowSizes,
    executors: body.spark.executors,
    costs: { outliers: costsOf(body.spark.costs.outliers, 'spark.costs.outliers'), stats: costsOf(body.spark.costs.stats, 'spark.costs.stats'), drift: costsOf(body.spark.costs.drift, 'spark.costs.drift') },
    random: sim.random,
  });
  // Client and payload
  const payload = new PayloadModel(extra.payload ?? irisPayloadOptions(body.payload), sim.random);
  const requests: RequestRow[] = [];
  const logged: LoggedRecord[] = [];
  const pending: (ClientRequest | null)[] = [];
  const callbacks: (CompletionCallback | null)[] = [];
  const rttHalf = Math.round((body.rttMs * MS) / 2);
  const run: MonitoringIrisRun = {
    sim, body, spec, cluster, service, client: null as unknown as ClosedLoopClient, payload, logger, job, topics, requests, logged,
    series: { t: [], pods: [], modelCpu: [] }, clientStart: Math.round(body.warmupSeconds * SECOND), finishedAt: -1,
  };
  service.onPodArrival = (r, revision) => {
    const req = pending[r.tag] as ClientRequest;
    const pl = req.payload;
    if (pl === undefined) return;
    const rec = logger.log(req.id, pl.values, req.stage, pl.outlierMask, revision);
    logged.push(rec);
    requests[req.id].requestTime = sim.now;
  };
  const respond = (id: number): void => {
    const req = pending[id] as ClientRequest;
    const cb = callbacks[id] as CompletionCallback;
    pending[id] = null;
    callbacks[id] = null;
    cb(req, requests[id].status === 200);
  };
  service.onEnd = (tag, r, o: ServiceOutcome) => {
    const row = requests[tag];
    row.status = o.status;
    row.pod = o.pod;
    row.revision = o.revision;
    row.serverLatency = r.end - r.arrival;
    sim.schedule(rttHalf, respond, tag);
  };
  const arrive = (id: number): void => {
    service.submit(id);
  };
  const client = new ClosedLoopClient({
    stages: extra.stages ?? body.stages.map((s, i) => ({ concurrency: s.concurrency, requests: Math.max(1, Math.round(s.requests * body.scale)), label: `stage${i + 1}` })),
    gap: Math.round(body.gapSeconds * SECOND),
    timeout: Math.round(body.clientTimeoutSeconds * SECOND),
    payload,
    stream: 'workload.hey',
    onResponse: (req, latency, status) => {
      const row = requests[req.id];
      row.latency = latency;
      if (status !== STATUS_OK && row.status === 200) row.status = 599; // client timeout
      if (status !== STATUS_OK && row.status === -1) row.status = 599;
    },
    onFinished: (now) => {
      run.finishedAt = now;
      sim.schedule(Math.round(body.drainSeconds * SECOND), () => {
        job.queries.outliers.stop();
        job.queries.stats.stop();
        job.queries.drift.stop();
        stopSampler();
      }, undefined);
    },
  });
  run.client = client;
  const system = {
    issue(req: ClientRequest, onDone: CompletionCallback): void {
      pending[req.id] = req;
      callbacks[req.id] = onDone;
      requests[req.id] = { stage: req.stage, sentAt: req.sentAt, latency: -1, status: -1, pod: '', revision: '', requestTime: -1, serverLatency: -1 };
      sim.schedule(rttHalf, arrive, req.id);
    },
  };
  // 1 s sampler: pods and model-container CPU
  const lastUsage = new Map<string, number>();
  const stopSampler = sim.every(SECOND, (now) => {
    run.series.t.push(now);
    run.series.pods.push(service.readyPods());
    let cpu = 0;
    for (const rev of service.revisions) {
      for (const pod of rev.deployment.pods) {
        const g = pod.cpuGroup;
        if (g === null) continue;
        const u = g.stats().usageUs;
        cpu += u - (lastUsage.get(pod.name) ?? 0);
        lastUsage.set(pod.name, u);
      }
    }
    run.series.modelCpu.push(cpu / SECOND);
  });
  job.start(0);
  sim.scheduleAt(run.clientStart, () => client.start(sim, system), undefined);
  return run;
}

// ---------------------------------------------------------------------------------------------
// Summary
// ---------------------------------------------------------------------------------------------

function q(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function sortNum(a: readonly number[]): Float64Array {
  return Float64Array.from(a).sort();
}

function median(a: readonly number[]): number {
  return q(sortNum(a), 0.5);
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function r4(x: number): number | null {
  return Number.isFinite(x) ? Number(x.toPrecision(4)) : null;
}

function pct(sorted: Float64Array): { [key: string]: JsonValue } {
  return { n: sorted.length, min: r4(sorted[0]), p25: r4(q(sorted, 0.25)), p50: r4(q(sorted, 0.5)), p75: r4(q(sorted, 0.75)), p95: r4(q(sorted, 0.95)), max: r4(sorted[sorted.length - 1]) };
}

/** A check with a relative tolerance around `reported`. */
function rel(name: string, simulated: number, reported: number, tolerance: number): Check {
  return { name, simulated, reported, tolerance, pass: Number.isFinite(simulated) && Math.abs(simulated - reported) <= tolerance * Math.abs(reported) };
}

/** An exact (boolean) check: simulated 1 = holds. */
function exact(name: string, holds: boolean, simulated = holds ? 1 : 0, reported = 1): Check {
  return { name: `${name} (exact)`, simulated, reported, tolerance: 0, pass: holds };
}

/** A range check lo ≤ x ≤ hi (reported = midpoint, tolerance = half-width relative to it). */
function range(name: string, x: number, lo: number, hi: number): Check {
  const mid = (lo + hi) / 2;
  return { name: `${name} [${lo}, ${hi}]`, simulated: x, reported: mid, tolerance: (hi - lo) / 2 / Math.abs(mid), pass: x >= lo && x <= hi };
}

/** Seconds of a 1 s ByteSeries between [a, b) µs as values/s (CPU series: µs per s → cores). */
function seriesSlice(s: ByteSeries, a: Time, b: Time, scale: number): number[] {
  const out: number[] = [];
  for (let i = Math.floor(a / SECOND); i < Math.floor(b / SECOND); i++) out.push(s.at(i) / scale);
  return out;
}

export interface MonitoringIrisResult {
  checks: Check[];
  metrics: { [key: string]: JsonValue };
  tables: Table[];
}

/** Stage a window [start, end) lies entirely in (−1 if none). */
function windowStage(run: MonitoringIrisRun, start: Time, end: Time): number {
  const c = run.client;
  for (let k = 0; k < c.stageStart.length; k++) if (start >= c.stageStart[k] && end <= c.stageEnd[k]) return k;
  return -1;
}

/** Compute checks CT3-1…CT3-26 and the also-measured block of one finished run. */
export function summarizeMonitoringIris(run: MonitoringIrisRun, end: Time): MonitoringIrisResult {
  const { client, job, body, topics, logger } = run;
  const S = client.stageStart.length;
  const F = IRIS_FEATURES.length;
  const checks: Check[] = [];
  const stageSecs = Array.from({ length: S }, (_, k) => (client.stageEnd[k] - client.stageStart[k]) / SECOND);
  const runEnd = run.finishedAt > 0 ? run.finishedAt : end;

  // ---- outliers (CT3-1…CT3-9) ----
  const rows = job.outlierRows;
  const delays = rows.map((r) => (r.alert.detectionTime - r.alert.eventTime) / SECOND);
  const dSorted = sortNum(delays);
  checks.push(rel('CT3-1 outlier delay p25 (s)', q(dSorted, 0.25), 4.11, 0.15));
  checks.push(rel('CT3-2 outlier delay p50 (s)', q(dSorted, 0.5), 4.98, 0.15));
  checks.push(rel('CT3-3 outlier delay p75 (s)', q(dSorted, 0.75), 5.9, 0.15));
  const in28 = delays.filter((d) => d >= 2 && d <= 8).length / Math.max(1, delays.length);
  checks.push({ name: 'CT3-4 share of outlier delays in [2, 8] s (>= 0.95)', simulated: in28, reported: 0.95, tolerance: 0, pass: in28 >= 0.95 });
  checks.push(range('CT3-5 outlier delay max (s)', dSorted[dSorted.length - 1], 7.5, 12.5));
  const byStage: number[][] = Array.from({ length: S }, () => []);
  rows.forEach((r, i) => { if (r.stage >= 0) byStage[r.stage].push(delays[i]); });
  const p95s = byStage.map((a) => q(sortNum(a), 0.95));
  const longest = p95s.reduce((b, v, i) => (Number.isFinite(v) && (b < 0 || v > p95s[b]) ? i : b), -1);
  checks.push(exact('CT3-6 stage 3 has the highest per-stage p95 outlier delay', longest === 2, longest + 1, 3));
  // CT3-7: alerts = values beyond 3σ among processed records; one instance's alerts in one batch
  const bl = IRIS_BASELINE;
  const consumed = job.queries.outliers.processed;
  let beyond = 0;
  const processedIds = new Set<number>();
  for (let p = 0; p < topics.inference.partitions.length; p++) {
    const log = topics.inference.partitions[p];
    for (let o = 0; o < job.consumers.outliers.position[p]; o++) {
      const rec = log.values[o];
      processedIds.add(rec.id);
      for (let f = 0; f < F; f++) if (Math.abs(rec.features[f] - bl[f].mean) > 3 * bl[f].sd) beyond++;
    }
  }
  const batchOf = new Map<number, number>();
  let splitInstances = 0;
  for (const r of rows) {
    const b = batchOf.get(r.requestId);
    if (b === undefined) batchOf.set(r.requestId, r.batch);
    else if (b !== r.batch) splitInstances++;
  }
  checks.push(exact('CT3-7 alerts = values beyond 3σ that reached the job, same-instance alerts in one micro-batch', beyond === rows.length && splitInstances === 0 && consumed === processedIds.size, rows.length, beyond));
  checks.push(exact('CT3-8 no outlier alerts in stage 1', byStage[0].length === 0, byStage[0].length, 0));
  const rate = byStage.map((a, k) => a.length / stageSecs[k]);
  checks.push(exact('CT3-9 alerts/s: stage 3 > stage 2, stage 4 > stage 1 = 0', S >= 4 && rate[2] > rate[1] && rate[3] > rate[0] && rate[0] === 0));

  // ---- windows (CT3-10, CT3-11…CT3-13) ----
  const nEmitted = job.statsWindows.length;
  const statsWins = job.statsWindows.slice(0, nEmitted);
  const driftWins = job.driftWindows.slice();
  const wStage = (w: WindowResult): number => windowStage(run, w.start, w.end);
  let ct10 = true;
  const ct10Detail: { [key: string]: JsonValue } = {};
  for (let f = 0; f < F; f++) {
    const per = Array.from({ length: S }, () => ({ avg: [] as number[], std: [] as number[], out: 0, n: 0 }));
    for (const w of statsWins) {
      const k = wStage(w);
      if (k < 0) continue;
      const st = w.stats[f];
      per[k].avg.push(st.avg);
      per[k].std.push(st.stddev);
      per[k].n++;
      // compat 'reference' rounds scalars to 2 decimals, so compare with the bounds rounded alike
      const hi = st.max > round2(bl[f].mean + 3 * bl[f].sd);
      const lo = st.min < round2(bl[f].mean - 3 * bl[f].sd);
      if (hi || lo) per[k].out++;
    }
    const mAvg = per.map((p) => median(p.avg));
    const mStd = per.map((p) => median(p.std));
    const dA = (k: number): number => Math.abs(mAvg[k] - mAvg[0]);
    const dS = (k: number): number => Math.abs(mStd[k] - mStd[0]);
    const share = (k: number): number => per[k].out / Math.max(1, per[k].n);
    const ok = S >= 4 && dA(1) < dA(2) && dA(3) < dA(2) && dS(1) < dS(2) && dS(3) < dS(2) && share(1) >= 0.9 && share(3) >= 0.9 && per[0].out === 0;
    ct10 &&= ok;
    ct10Detail[IRIS_FEATURES[f]] = { medianAvg: mAvg.map(r4), medianStd: mStd.map(r4), windowsOutside3Sigma: per.map((p) => r4(p.out / Math.max(1, p.n))), ok };
  }
  checks.push(exact('CT3-10 window statistics by stage (avg/std change largest in stage 3; max/min beyond 3σ in >= 90% of stage 2/4 windows, none in stage 1)', ct10));
  const detectors = ['wasserstein', 'kullbackLeibler', 'jensenShannon'] as const;
  const driftMed: Record<string, Record<string, number[]>> = {};
  let ct11 = true;
  let ct12 = true;
  for (let f = 0; f < F; f++) {
    const name = IRIS_FEATURES[f];
    driftMed[name] = {};
    for (const d of detectors) {
      const per: number[][] = Array.from({ length: S }, () => []);
      for (const w of driftWins) {
        const k = wStage(w);
        if (k < 0) continue;
        const row = w.drift.find((r) => r.featureIndex === f && r.measure === d);
        if (row !== undefined) per[k].push(row.value);
      }
      const med = per.map((a) => median(a));
      driftMed[name][d] = med;
      const spread = med[2] - med[0];
      const ok = S >= 5 && med.every((v, k) => k === 2 || med[2] > v) && [1, 3, 4].every((k) => Math.abs(med[k] - med[0]) < 0.25 * spread);
      ct11 &&= ok;
    }
    const w = driftMed[name].wasserstein;
    const kl = driftMed[name].kullbackLeibler;
    const js = driftMed[name].jensenShannon;
    ct12 &&= w[2] - w[0] > kl[2] - kl[0] && w[2] - w[0] > js[2] - js[0];
  }
  checks.push(exact('CT3-11 drift coefficients: stage-3 median above every other stage; stages 2/4/5 within 25% of the stage-3 rise', ct11));
  checks.push(exact('CT3-12 Wasserstein rises most from stage 1 to 3', ct12));
  const w3 = (n: string): number => driftMed[n].wasserstein[2];
  const ct13 = Math.min(w3('sepal_length'), w3('petal_length')) > Math.max(w3('sepal_width'), w3('petal_width'));
  checks.push(exact('CT3-13 stage-3 Wasserstein: min(sepal_length, petal_length) > max(sepal_width, petal_width)', ct13));

  // ---- model service (CT3-14) ----
  const reqs = run.requests;
  let failed = 0;
  let failedOutside = 0;
  const codes: Record<string, number> = {};
  const starts = run.service.podStarts;
  for (const r of reqs) {
    if (r === undefined) continue;
    codes[String(r.status)] = (codes[String(r.status)] ?? 0) + 1;
    if (r.status === 200) continue;
    failed++;
    const t = r.requestTime >= 0 ? r.requestTime : r.sentAt;
    if (!starts.some((p) => t >= p.createdAt && t <= p.warmUntil)) failedOutside++;
  }
  const total = reqs.length;
  const failFrac = failed / Math.max(1, total);
  checks.push(range('CT3-14 failed request fraction (%)', failFrac * 100, 0.03, 1.0));
  checks.push(exact('CT3-14 every failure inside a pod-start interval', failedOutside === 0, failedOutside, 0));

  // ---- inference logger (CT3-15…CT3-18) ----
  const nSec = Math.ceil(end / SECOND);
  const conc = logger.averageConcurrency(nSec);
  const loggerPods = kpaMaxDesiredPods(conc, body.logger.target);
  checks.push(exact('CT3-15 logger: every event produced, KPA never wants a 2nd pod', logger.produced === logger.received && logger.received === run.logged.length && loggerPods === 1, loggerPods, 1));
  const lat: number[][] = Array.from({ length: S }, () => []);
  logger.latency.forEach((l, i) => { const k = logger.latencyStage[i]; if (k >= 0) lat[k].push(l / SECOND); });
  const p90 = lat.map((a) => q(sortNum(a), 0.9));
  [0.016, 0.03, 0.064].forEach((v, k) => checks.push(rel(`CT3-16 logger response p90 stage ${k + 1} (s)`, p90[k], v, 0.25)));
  checks.push(exact('CT3-16 logger p90 strictly increasing over stages 1-3', p90[0] < p90[1] && p90[1] < p90[2]));
  const loggerCpu = Array.from({ length: S }, (_, k) => {
    const a = seriesSlice(logger.cpu, client.stageStart[k], client.stageEnd[k], SECOND);
    return a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);
  });
  [0.037, 0.068, 0.089].forEach((v, k) => checks.push(rel(`CT3-17 logger server CPU stage ${k + 1} (cores)`, loggerCpu[k], v, 0.25)));
  const ev = Array.from({ length: S }, (_, k) => lat[k].length / stageSecs[k]);
  const qpCpu = ev.map((e) => (e * body.logger.queueProxyCpuPerEventMs) / 1000);
  checks.push(rel('CT3-18 logger server memory (MB, fitted input)', body.logger.serverMemoryMiB, 8, 0.25));
  checks.push(exact('CT3-18 queue-proxy CPU and memory > server (fitted inputs)', qpCpu.every((c, k) => c > loggerCpu[k]) && body.logger.queueProxyMemoryMiB > body.logger.serverMemoryMiB));

  // ---- Spark (CT3-19, CT3-20) ----
  const a0 = run.clientStart;
  const driverCpu = seriesSlice(job.driverCpu, a0, runEnd, SECOND);
  const driverMed = median(driverCpu);
  checks.push(range('CT3-19 driver median CPU (cores)', driverMed, 0.1875, 0.625));
  const perSecRecords: number[] = [];
  {
    // cumulative records processed by the job per second (all three queries), for the JVM memory model
    const marks: { t: number; n: number }[] = [];
    for (const qy of [job.queries.outliers, job.queries.stats, job.queries.drift]) for (const b of qy.batches) marks.push({ t: b.end, n: b.records });
    marks.sort((x, y) => x.t - y.t);
    let acc = 0;
    let j = 0;
    for (let i = 0; i < nSec; i++) {
      while (j < marks.length && marks[j].t < (i + 1) * SECOND) acc += marks[j++].n;
      perSecRecords.push(acc);
    }
  }
  const drvMem = jvmMemorySeries(perSecRecords, body.spark.driverMemory as JvmMemoryParams);
  const execMem = jvmMemorySeries(perSecRecords.map((n) => n / body.spark.executors.instances), body.spark.executorMemory as JvmMemoryParams);
  const maxOf = (a: Float64Array): number => a.reduce((x, y) => Math.max(x, y), -Infinity);
  checks.push(rel('CT3-19 driver peak pod memory (MiB, fitted model)', maxOf(drvMem), 808, 0.25));
  const execCpu = job.pool.cpu.map((c) => median(seriesSlice(c, a0, runEnd, SECOND)));
  checks.push(rel('CT3-20 executor median CPU (cores, mean of executors)', execCpu.reduce((x, y) => x + y, 0) / execCpu.length, 0.75, 0.25));
  const half = execMem.slice(Math.floor(execMem.length / 2));
  checks.push(rel('CT3-20 executor memory plateau (MiB, fitted model)', median(Array.from(half)), 1177, 0.25));
  checks.push(rel('CT3-20 executor memory peak (MiB, fitted model)', maxOf(execMem), 1327, 0.25));

  // ---- control plane (CT3-21) ----
  const cp = body.controlPlane;
  const runMin = (runEnd - a0) / MINUTE;
  const monMemGB = cp.monitoringMemoryStartGB + (cp.monitoringMemoryGrowthMBPerMin * runMin) / 1000;
  checks.push(rel('CT3-21 kube-system + monitoring CPU (cores, fitted input)', cp.cpuCores, 0.17, 0.25));
  checks.push(rel('CT3-21 Knative monitoring memory at the end (GB, fitted input)', monMemGB, 2.6, 0.25));
  const thr = Array.from({ length: S }, (_, k) => reqs.filter((r) => r !== undefined && r.stage === k).length / stageSecs[k]);
  const servingCpu = thr.map((t) => cp.servingCpuBaseCores + (t * cp.servingCpuPerRequestMs) / 1000);
  checks.push(exact('CT3-21 Knative serving + Istio CPU higher in stage 3 than stage 1', servingCpu[2] > servingCpu[0]));

  // ---- Kafka (CT3-22…CT3-25) ----
  const MiB = 2 ** 20;
  checks.push(rel('CT3-22 inference topic log (MiB)', topics.inference.logBytes / MiB, 38.5, 0.1));
  checks.push(rel('CT3-23 outliers topic log (MiB)', topics.outliers.logBytes / MiB, 30.5, 0.25));
  checks.push(rel('CT3-23 stats topic log (KiB)', topics.stats.logBytes / 1024, 781, 0.25));
  checks.push(rel('CT3-23 drift topic log (KiB)', topics.drift.logBytes / 1024, 454, 0.25));
  const all = [topics.inference, topics.outliers, topics.stats, topics.drift, topics.offsets] as const;
  const totalLog = all.reduce((s, t) => s + t.logBytes, 0);
  checks.push(rel('CT3-24 Kafka total log (MiB)', totalLog / MiB, 74.24, 0.15));
  const peakRate = (get: (t: (typeof all)[number]) => ByteSeries): number => {
    let best = 0;
    let win = 0;
    const sec: number[] = [];
    for (let i = 0; i < nSec; i++) sec.push(all.reduce((s, t) => s + get(t).at(i), 0));
    for (let i = 0; i < sec.length; i++) {
      win += sec[i];
      if (i >= 60) win -= sec[i - 60];
      if (i >= 59) best = Math.max(best, win / 60);
    }
    return best / 1024;
  };
  checks.push(rel('CT3-25 peak total bytes in (KiB/s, 1-min rate)', peakRate((t) => t.bytesIn), 236, 0.25));
  checks.push(rel('CT3-25 peak total bytes out (KiB/s, 1-min rate)', peakRate((t) => t.bytesOut), 293, 0.25));

  // ---- windowing invariants (CT3-26), on the emitted windows then a final flush ----
  const size = run.spec.trigger.window.duration;
  const startsSeen = new Set<number>();
  let ok26 = true;
  statsWins.forEach((w, i) => {
    if (w.end - w.start !== size || w.start % size !== 0 || startsSeen.has(w.start) || job.statsWatermarks[i] < w.end) ok26 = false;
    startsSeen.add(w.start);
  });
  for (const w of driftWins) if (w.drift.length !== F * detectors.length) ok26 = false;
  const statsMon = job.monitors.stats;
  statsMon.flush(end);
  const countedAll = job.statsWindows.reduce((s, w) => s + w.count, 0);
  const c = job.counters();
  ok26 &&= countedAll === c.stats.accepted && c.stats.accepted + c.stats.late === c.stats.processed;
  checks.push(exact('CT3-26 windowing invariants (tumbling, each accepted instance in one window, late dropped, one row per feature per window after watermark >= end, 12 drift rows per window)', ok26));

  // ---- also measured ----
  const mid = (w: WindowResult): number => (w.start + w.end) / 2;
  const statsDelay = statsWins.map((w) => (w.emittedAt - mid(w)) / SECOND);
  const statsByStart = new Map<number, number>();
  statsWins.forEach((w, i) => statsByStart.set(w.start, statsDelay[i]));
  const driftDelay = driftWins.map((w) => (w.emittedAt - mid(w)) / SECOND);
  const diff = driftWins.map((w, i) => driftDelay[i] - (statsByStart.get(w.start) ?? NaN)).filter(Number.isFinite);
  const byStageOf = (vals: number[], wins: WindowResult[]): { [key: string]: JsonValue } => {
    const o: { [key: string]: JsonValue } = {};
    for (let k = 0; k < S; k++) o[`stage${k + 1}`] = pct(sortNum(vals.filter((_, i) => wStage(wins[i]) === k)));
    return o;
  };
  const instancesPerWindow = statsWins.map((w) => w.count);
  const okReq = reqs.filter((r) => r !== undefined && r.status === 200);
  const perMinute: { [key: string]: JsonValue } = {};
  const minutes = Math.ceil((runEnd - a0) / MINUTE) + 1;
  for (const [code] of Object.entries(codes)) perMinute[code] = new Array<number>(minutes).fill(0);
  const svcLatMin: number[][] = Array.from({ length: minutes }, () => []);
  for (const r of reqs) {
    if (r === undefined) continue;
    const mIdx = Math.max(0, Math.floor((r.sentAt - a0) / MINUTE));
    (perMinute[String(r.status)] as number[])[mIdx]++;
    if (r.status === 200 && r.serverLatency >= 0) svcLatMin[mIdx].push(r.serverLatency / SECOND);
  }
  const svcAll = sortNum(okReq.map((r) => r.serverLatency / SECOND));
  const cliLat = reqs.filter((r) => r !== undefined && r.latency >= 0).map((r) => r.latency / SECOND);
  const cliSorted = sortNum(cliLat);
  const secBins: { [key: string]: JsonValue }[] = [];
  {
    const bins = new Map<number, number[]>();
    for (const r of reqs) {
      if (r === undefined || r.latency < 0) continue;
      const b = Math.floor((r.sentAt - a0) / SECOND);
      let arr = bins.get(b);
      if (arr === undefined) bins.set(b, (arr = []));
      arr.push(r.latency / SECOND);
    }
    for (const [b, arr] of [...bins.entries()].sort((x, y) => x[0] - y[0])) {
      secBins.push({ s: b, min: r4(Math.min(...arr)), mean: r4(arr.reduce((x, y) => x + y, 0) / arr.length), max: r4(Math.max(...arr)) });
    }
  }
  const histW = 0.1;
  const hist: number[] = [];
  for (const l of cliLat) {
    const b = Math.floor(l / histW);
    while (hist.length <= b) hist.push(0);
    hist[b]++;
  }
  const stageTp = thr.map(r4);
  const modelCpuStage = Array.from({ length: S }, (_, k) => {
    const idx = run.series.t.map((t, i) => (t > client.stageStart[k] && t <= client.stageEnd[k] ? i : -1)).filter((i) => i >= 0);
    const cpu = idx.reduce((s, i) => s + run.series.modelCpu[i], 0) / Math.max(1, idx.length);
    const pods = idx.reduce((s, i) => s + run.series.pods[i], 0) / Math.max(1, idx.length);
    return { cores: r4(cpu), perPod: r4(cpu / Math.max(1, pods)), cpuPerRequestMs: r4((cpu / Math.max(1e-9, thr[k])) * 1000) };
  });
  const ingest: { [key: string]: JsonValue } = {};
  for (const t of all) {
    const a: number[] = [];
    for (let i = 0; i < nSec; i += 10) {
      let s = 0;
      for (let j = i; j < Math.min(nSec, i + 10); j++) s += t.bytesIn.at(j);
      a.push(Math.round(s / 10));
    }
    ingest[t.name] = a;
  }
  const batchStats: { [key: string]: JsonValue } = {};
  for (const [name, qy] of Object.entries(job.queries)) {
    const d = sortNum(qy.batches.map((b) => (b.end - b.start) / SECOND));
    batchStats[name] = { batches: qy.batches.length, durationS: pct(d), records: qy.processed };
  }
  const alsoMeasured: { [key: string]: JsonValue } = {
    statsDelayFromMidpointS: { all: pct(sortNum(statsDelay)), byStage: byStageOf(statsDelay, statsWins), perWindow: statsWins.map((w, i) => [r4((w.start - a0) / SECOND), r4(statsDelay[i])]) },
    driftDelayFromMidpointS: { all: pct(sortNum(driftDelay)), byStage: byStageOf(driftDelay, driftWins), minusStatsDelay: pct(sortNum(diff)), perWindow: driftWins.map((w, i) => [r4((w.start - a0) / SECOND), r4(driftDelay[i])]) },
    instancesPerWindow: {
      byStage: Object.fromEntries(Array.from({ length: S }, (_, k) => [`stage${k + 1}`, pct(sortNum(instancesPerWindow.filter((_, i) => wStage(statsWins[i]) === k)))])),
      series: statsWins.map((w, i) => [r4((w.start - a0) / SECOND), instancesPerWindow[i]]),
    },
    serviceThroughputPerStage: stageTp,
    peakRps: r4(Math.max(...stageTp.map((x) => x ?? 0))),
    requestsPerMinuteByCode: perMinute,
    successRate: r4(okReq.length / Math.max(1, total)),
    statusCodes: codes,
    podCount: { max: Math.max(...run.series.pods), series: run.series.t.filter((_, i) => i % 5 === 0).map((t, i) => [r4((t - a0) / SECOND), run.series.pods[i * 5]]) },
    serviceResponseS: { all: { p50: r4(q(svcAll, 0.5)), p90: r4(q(svcAll, 0.9)), p95: r4(q(svcAll, 0.95)), p99: r4(q(svcAll, 0.99)) }, perMinute: svcLatMin.map((a) => { const s = sortNum(a); return [r4(q(s, 0.5)), r4(q(s, 0.9)), r4(q(s, 0.95)), r4(q(s, 0.99))]; }) },
    clientResponseS: { mean: r4(cliLat.reduce((x, y) => x + y, 0) / Math.max(1, cliLat.length)), p75: r4(q(cliSorted, 0.75)), p50: r4(q(cliSorted, 0.5)), max: r4(cliSorted[cliSorted.length - 1]), histogram100ms: hist, perSecondOffset: secBins },
    perStageClient: Array.from({ length: S }, (_, k) => { const s = client.stageSummary(k); return { stage: k + 1, durationS: r4(stageSecs[k]), throughput: r4(s.throughput), meanS: r4(s.meanLatency / SECOND), p95S: r4(s.p95 / SECOND), errors: s.errors, timeouts: s.timeouts }; }),
    modelContainerCpu: modelCpuStage,
    modelContainerMemoryMiB: 'not modelled (constant request 256Mi); sidecar CPU not modelled',
    inferenceLogger: { eventsPerSecondByStage: ev.map(r4), cpuCoresByStage: loggerCpu.map(r4), queueProxyCpuByStage: qpCpu.map(r4), p90S: p90.map(r4), peakConcurrency: logger.peakInSystem, kpaMaxDesiredPods: loggerPods },
    kafkaIngestBytesPer10s: ingest,
    kafkaLogBytes: Object.fromEntries(all.map((t) => [t.name, t.logBytes])),
    spark: { batches: batchStats, executorMedianCpu: execCpu.map(r4), driverMedianCpu: r4(driverMed), executorPeakWaitingTasks: job.pool.peakWaiting, late: { stats: c.stats.late, drift: c.drift.late } },
    knativeServingIstioCpuByStage: servingCpu.map(r4),
    outlierDelayS: { all: pct(dSorted), byStage: byStage.map((a) => pct(sortNum(a))), alerts: rows.length, alertsPerSecondByStage: rate.map(r4) },
    windowStatsByFeature: ct10Detail,
    driftMediansByStage: Object.fromEntries(Object.entries(driftMed).map(([f, o]) => [f, Object.fromEntries(Object.entries(o).map(([d, m]) => [d, m.map(r4)]))])),
    stageDurationsS: stageSecs.map(r4),
    totalRunS: r4((runEnd - a0) / SECOND),
  };
  const assumptions: JsonValue = [
    'Kubernetes 1.16-era; Knative Serving v0.14 KPA defaults (target utilisation 70%, stable 60 s, panic 6 s / 200%, 2 s tick)',
    't3.medium nodes at the full 2 vCPU (T3 unlimited); default scheduler',
    `client <-> ingress RTT ${body.rttMs} ms; hey timeout ${body.clientTimeoutSeconds} s; ${body.gapSeconds} s gap between stages; N requests per stage spread evenly over workers`,
    'model container requests = limits = 100m CPU / 256Mi; logger sidecar 100m/1 CPU, 100Mi/1Gi (not CPU-modelled); queue-proxy 25m',
    `per-request CPU lognormal mean ${body.model.cpuPerRequestMs} ms, CV ${body.model.cpuCv}; containerConcurrency 0`,
    'pod start: cold-start model default with the image cached, plus a TF Serving model-server start (model.modelServerStart)',
    `warm-up failures: requests reaching a new pod in its first model.warmupFail seconds after Ready fail with HTTP ${body.model.failStatus} (fitted to CT3-14)`,
    'logger mode = request; logger sidecar posts asynchronously at pod arrival; event time floored to whole seconds unless logger.timeResolution = exact',
    'Inference Logger: one pod, FIFO serial service time fitted to CT3-16, per-event CPU fitted to CT3-17; memory 8 MiB and queue-proxy figures are inputs',
    `Kafka: ${body.kafka.inferencePartitions}-partition inference topic, produce latency ${body.kafka.latencyBaseMs} ms + ${body.kafka.latencyPerKiBMs} ms/KiB, linger ${body.kafka.lingerMs} ms; message ${body.logger.messageBytes} B + 61 B batch header; row sizes ${JSON.stringify(body.kafka.rowBytes)} B (fitted to CT3-23/24)`,
    'Spark: 3 queries, no trigger (next batch at once), FIFO task slots on 3 one-core executors, 200 shuffle partitions for stats and drift; costs in spark.costs fitted to CT3-1…3 and CT3-19/20',
    'Spark pod memory: phenomenological JVM sawtooth fitted to CT3-19/20 (not a prediction)',
    'control plane: 0.17 cores spread over the nodes as daemon load; Knative monitoring memory grows linearly (inputs); serving + Istio CPU = base + per-request cost',
    `drift: location +${JSON.stringify(body.payload.driftShiftSd)} σ, scale ×${JSON.stringify(body.payload.driftScale)}; outliers ${body.payload.outlierRate} per ${body.payload.outliersPer}, |z| ~ U[3, 4.5], petal high side only`,
    'drift/stats histograms on the baseline bins (compat reference); the last window of the run is not emitted (flushed only for the CT3-26 count check)',
  ];
  const metrics: { [key: string]: JsonValue } = {
    requests: total,
    finished: run.finishedAt > 0,
    alsoMeasured,
    assumptions,
  };
  const tables: Table[] = [
    {
      title: 'monitoring-iris: per stage',
      columns: ['stage', 'concurrency', 'duration s', 'req/s', 'pods (max)', 'outlier alerts', 'outlier p50 s', 'outlier p95 s', 'logger p90 ms', 'logger CPU'],
      rows: Array.from({ length: S }, (_, k) => {
        const idx = run.series.t.map((t, i) => (t > client.stageStart[k] && t <= client.stageEnd[k] ? run.series.pods[i] : 0));
        const sd = sortNum(byStage[k]);
        return [k + 1, body.stages[k].concurrency, stageSecs[k].toFixed(0), thr[k].toFixed(1), Math.max(...idx), byStage[k].length, q(sd, 0.5).toFixed(2), q(sd, 0.95).toFixed(2), (p90[k] * 1000).toFixed(1), loggerCpu[k].toFixed(3)];
      }),
    },
  ];
  return { checks, metrics, tables };
}

// ---------------------------------------------------------------------------------------------
// Scenario kind
// ---------------------------------------------------------------------------------------------

if (getKind('monitoring-iris') === undefined) {
  registerKind({
    kind: 'monitoring-iris',
    description: 'study 3: streaming model monitoring of an Iris model on KFServing/Knative with Kafka and Spark (CT3-1…CT3-26)',
    schema: monitoringIrisBodySchema,
    build(ctx): RunHandle {
      const run = buildMonitoringIris(ctx.sim, ctx.body);
      let cached: MonitoringIrisResult | undefined;
      const result = (end: Time): MonitoringIrisResult => (cached ??= summarizeMonitoringIris(run, end));
      return {
        metrics: (end) => result(end).metrics,
        tables: (end) => result(end).tables,
        checks: (end) => result(end).checks,
        timeSeries: {
          columns: ['ready_pods', 'logger_in_system', 'lag_outliers', 'lag_stats', 'lag_drift', 'executor_waiting_tasks'],
          sample(out) {
            const now = ctx.sim.now;
            out[0] = run.service.readyPods();
            out[1] = run.logger.inSystem;
            out[2] = run.job.consumers.outliers.lag(now);
            out[3] = run.job.consumers.stats.lag(now);
            out[4] = run.job.consumers.drift.lag(now);
            out[5] = run.job.pool.waiting;
          },
        },
      };
    },
  });
}
