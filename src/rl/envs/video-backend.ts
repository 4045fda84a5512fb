/**
 * `WorkflowBackend` on the event-level video workflow model (platform/workflows,
 * `VideoWorkflowCluster`: V1 on the custom engine, workers w01–w04, OpenFaaS on the Kubernetes
 * runtime, iBench-like stressors, PCM-like telemetry every 500 ms). Each backend owns a fresh
 * `Simulation` seeded with the episode seed; model files are loaded once per process and shared.
 *
 * Mapping: the environment's function names (Framer, FaceDetector, …) match the model's
 * (framer, facedetector, …) case-insensitively; CPU pressure percent → the model's fraction;
 * latencies s → µs. `rollout` advances event by event until every current Deployment is Ready
 * (the model polls readiness every 100 ms). `noise: false` keeps the model's own randomness
 * (there is no separate noise switch in it); profiling therefore uses the true latency, which
 * excludes the engine's polling error.
 */
import { Simulation } from '../../core/simulation.js';
import { seconds, type Time } from '../../core/time.js';
import { loadColdStartModel, type ColdStartModel } from '../../cluster/cold-start.js';
import { loadInterferenceModel, type InterferenceModel } from '../../cluster/interference.js';
import { loadNodeProfile, type NodeProfile } from '../../cluster/node-profile.js';
import { COLD_START_MODEL_FILE, DRL_NODE_FILES, INTERFERENCE_MODEL_FILE, VIDEO_MODEL_FILE, modelPath } from '../../platform/workflows/model-files.js';
import { loadVideoModel, type VideoPipelineModel } from '../../platform/workflows/video-model.js';
import { VideoWorkflowCluster, type RequestResult } from '../../platform/workflows/video-env-model.js';
import type { NetworkModel } from '../../cluster/network.js';
import type { BackendOptions, NodeCounters, WorkflowBackend, WorkflowBackendFactory, WorkflowNode, WorkflowRun } from './workflow-backend.js';

/** Display names of the V1 functions (the spec's spelling). */
const DISPLAY: Readonly<Record<string, string>> = { framer: 'Framer', facedetector: 'FaceDetector', faceanalyzer: 'FaceAnalyzer', mobilenet: 'Mobilenet', outputter: 'Outputter' };

interface Files {
  model: VideoPipelineModel;
  interference: InterferenceModel;
  coldStart: ColdStartModel;
  workers: NodeProfile[];
}

let files: Files | undefined;

function loadFiles(): Files {
  files ??= {
    model: loadVideoModel(modelPath(VIDEO_MODEL_FILE)),
    interference: loadInterferenceModel(modelPath(INTERFERENCE_MODEL_FILE)),
    coldStart: loadColdStartModel(modelPath(COLD_START_MODEL_FILE)),
    workers: DRL_NODE_FILES.map((f) => loadNodeProfile(modelPath(f))),
  };
  return files;
}

/** Most events one rollout or run may take before the adapter gives up (a stuck model). */
const MAX_EVENTS = 50_000_000;
/** Simulated time per `sim.run` slice of `runUntil`, µs (1 h; only bounds the event-limit check). */
const RUN_CHUNK = 3_600 * 1_000_000;

/**
 * Operating-point settings of the video backend that are not per episode.
 * `network`: the object-store transfer model (below).
 * `queueWorkers`: OpenFaaS queue-worker replicas (max_inflight 1 each) that carry the custom
 * engine's async per-frame calls; default 1 (spec "Queue-workers in the custom-engine studies":
 * 1 replica). With 1 queue-worker the per-frame calls run one at a time, so FaceAnalyzer /
 * Mobilenet replicas cannot speed a run up; the DRL scenario files use 16 (docs/drl.md).
 */
export interface VideoBackendConfig {
  readonly queueWorkers?: number;
  /**
   * Object-store request timing: `closed-form` (default here: one event per transfer, no
   * bandwidth sharing; per-run latency within 1.6 % of `fluid` over 1,000 random steps, mean
   * difference 0.03 %: docs/performance.md) or `fluid` (the calibrated experiments' model).
   */
  readonly network?: NetworkModel;
}

/** The adapter (see the module comment). */
export class VideoWorkflowBackend implements WorkflowBackend {
  readonly sim: Simulation;
  readonly cluster: VideoWorkflowCluster;
  readonly nodes: readonly WorkflowNode[];
  readonly functions: readonly string[];
  private readonly toModel = new Map<string, string>();

  constructor(opts: BackendOptions, config: VideoBackendConfig = {}) {
    const f = loadFiles();
    const qw = config.queueWorkers ?? 1;
    if (!Number.isInteger(qw) || qw < 1) throw new RangeError(`video backend: queueWorkers must be an integer >= 1, found ${qw}`);
    this.sim = new Simulation({ seed: opts.seed });
    this.cluster = new VideoWorkflowCluster(this.sim, { model: f.model, interference: f.interference, coldStart: f.coldStart, workers: f.workers, version: 'V1', engine: 'custom', queueWorkers: qw, network: config.network ?? 'closed-form' });
    this.nodes = this.cluster.nodeNames.map((n) => {
      const node = this.cluster.kube.node(n);
      return { name: n, vcpus: node.cores, memoryBytes: node.profile.memoryBytes };
    });
    this.functions = this.cluster.functionNames.map((fn) => {
      const d = DISPLAY[fn] ?? fn;
      this.toModel.set(d, fn);
      return d;
    });
  }

  now(): Time {
    return this.sim.now;
  }

  private fn(name: string): string {
    const m = this.toModel.get(name);
    if (m === undefined) throw new RangeError(`video backend: unknown function '${name}'; expected one of ${this.functions.join(', ')}`);
    return m;
  }

  place(fn: string, node: string): void {
    this.cluster.setPlacement({ [this.fn(fn)]: node });
  }

  scale(fn: string, replicas: number): void {
    const m = this.fn(fn);
    if (this.cluster.replicas(m) !== replicas) this.cluster.setReplicas(m, replicas);
  }

  setCpuPressure(node: string, levelPercent: number): void {
    this.cluster.setCpuPressure(node, levelPercent / 100);
  }

  rollout(): Time {
    const t0 = this.sim.now;
    if (this.cluster.ready()) return 0;
    let done = false;
    this.cluster.whenReady(() => {
      done = true;
      this.sim.stop();
    });
    this.runUntil(() => done, 'rollout');
    return this.sim.now - t0;
  }

  runWorkflow(frames: number): WorkflowRun {
    let res: RequestResult | undefined;
    this.cluster.runRequest(frames, (r) => {
      res = r;
      this.sim.stop();
    });
    this.runUntil(() => res !== undefined, 'workflow run');
    const r = res as unknown as RequestResult;
    if (!r.ok) throw new Error(`video backend: the workflow run failed: ${r.error}`);
    return { latency: seconds(r.trueLatency), reportedLatency: seconds(r.latency) };
  }

  advance(duration: Time): void {
    if (!(duration >= 0)) throw new RangeError(`advance: expected a duration >= 0, found ${duration}`);
    this.sim.run(this.sim.now + duration);
  }

  counters(node: string): NodeCounters {
    const s = this.cluster.nodeSignals(node);
    return { ipc: s.ipc, memReads: s.memReadBytesPerSec, memWrites: s.memWriteBytesPerSec, l3Misses: s.l3MissesPerSec, c0: s.c0, c1: s.c1 };
  }

  /**
   * Run events until `cond` holds. The completion callbacks call `sim.stop()`, so `sim.run` ends
   * right after the event that completed (the same events, in the same order, as stepping one
   * event at a time; without a per-event condition check). Runs in chunks of `RUN_CHUNK` so a
   * stuck model still hits the event limit.
   */
  private runUntil(cond: () => boolean, what: string): void {
    const start = this.sim.eventsProcessed;
    while (!cond()) {
      if (this.sim.pendingEvents === 0) throw new Error(`video backend: the simulation ran out of events during the ${what}`);
      this.sim.run(this.sim.now + RUN_CHUNK);
      if (this.sim.eventsProcessed - start > MAX_EVENTS) throw new Error(`video backend: the ${what} did not finish within ${MAX_EVENTS} events`);
    }
  }
}

/** Factory of the video-model backend at the model's defaults (1 queue-worker). */
export function videoBackendFactory(opts: BackendOptions): WorkflowBackend {
  return new VideoWorkflowBackend(opts);
}

/** Factory of the video-model backend with operating-point settings (e.g. 16 queue-workers). */
export function videoBackendFactoryWith(config: VideoBackendConfig): WorkflowBackendFactory {
  return (opts) => new VideoWorkflowBackend(opts, config);
}
