/**
 * The study-5 cluster running the video pipeline, as a programmatic model (the stable API the DRL
 * environment drives; issue 5 item 5): workers w01–w04 (node profiles models/nodes/drl-w0*.yaml)
 * and a tainted master VM holding MinIO and the queue-workers, OpenFaaS on the Kubernetes runtime,
 * one version of the pipeline deployed with node affinity, an engine, iBench-like stressors and
 * PCM-like telemetry.
 *
 *   const c = new VideoWorkflowCluster(sim, { version: 'V1', engine: 'custom' });
 *   c.setPlacement({ framer: 'w01', facedetector: 'w02' });   // moves redeploy the pods
 *   c.setReplicas('faceanalyzer', 2);
 *   c.setCpuPressure('w01', 0.5);                              // 4 of 8 cores busy
 *   c.runRequest(32, (r) => { r.latency; r.trueLatency; r.perFunction; });
 *   c.nodeSignals('w01');                                      // C0, C1, IPC, memory, L3
 *
 * Placement: every function has one OpenFaaS Deployment per worker (`<fn>-<node>`, node affinity on
 * the hostname); the function's current node has its replicas, the others 0. A move scales the old
 * one to 0 and the new one up; `runRequest` waits until every current Deployment has its replicas
 * Ready, then starts the run, so move time is not part of the latency (study 5 modelling note 7),
 * and reports the wait as `moveWait`.
 * Network (study 5 Setup > Cluster, suggested defaults): 1 Gbit/s and 0.2 ms RTT between servers;
 * w04 shares its host with the master VM: 10 Gbit/s.
 */
import { RandomStreams } from '../../core/random.js';
import type { Simulation } from '../../core/simulation.js';
import { SECOND, type Time } from '../../core/time.js';
import { loadColdStartModel, type ColdStartModel } from '../../cluster/cold-start.js';
import { loadInterferenceModel, occupiedCores, ZERO_PRESSURE, type InterferenceModel, type StressorKind } from '../../cluster/interference.js';
import { loadNodeProfile, type NodeProfile } from '../../cluster/node-profile.js';
import type { ClusterNode } from '../../cluster/node.js';
import { ObjectStore, type ObjectStoreClient } from '../../cluster/object-store.js';
import type { NetworkModel } from '../../cluster/network.js';
import { KubeCluster } from '../kubernetes/runtime/cluster.js';
import { OpenFaas } from '../openfaas/openfaas.js';
import { validateWorkflow, type ValidWorkflow } from './dag.js';
import { CustomEngine } from './custom-engine.js';
import { FaasFlowEngine } from './faas-flow-engine.js';
import type { WorkflowEngine } from './engine.js';
import { WorkflowHost, type WorkflowFunction } from './function-host.js';
import { InterferenceBinder } from './interference-binder.js';
import { COLD_START_MODEL_FILE, DRL_NODE_FILES, INTERFERENCE_MODEL_FILE, VIDEO_MODEL_FILE, modelPath } from './model-files.js';
import { WorkflowRun, type StageRecord } from './run.js';
import { TelemetrySampler, synthesiseSignals, type NodeSignals } from './telemetry.js';
import { loadVideoModel, versionFunctions, versionWorkflow, type VideoFunction, type VideoPipelineModel, type VideoVersion } from './video-model.js';

export type EngineKind = 'custom' | 'custom-sync' | 'faas-flow';

export interface VideoClusterOptions {
  /** Pipeline model (default models/workflows/video-pipeline.yaml). */
  model?: VideoPipelineModel;
  /** Worker profiles (default drl-w01…w04); node names are the profiles' `kubernetes.io/hostname` labels (w01…). */
  workers?: readonly NodeProfile[];
  interference?: InterferenceModel;
  coldStart?: ColdStartModel;
  /** Granularity version (default V1). */
  version?: VideoVersion;
  /** Engine (default custom: sync once-stages, async per-item stages through the queue-workers). */
  engine?: EngineKind;
  /** Queue-worker replicas (default 1, max_inflight 1: CE; study 5 default). */
  queueWorkers?: number;
  /** Initial node of every function (default the first worker: the DRL reset, all on davinci). */
  initialNode?: string;
  /** faas-flow: issue per-item calls together (default: the model's `engines.faasFlow.perItemParallel`). */
  perItemParallel?: boolean;
  /**
   * Seed of the per-frame face table (stream `workflows/video/faces`). Default: the simulation's
   * root seed. Experiments pass a fixed value so every cell sees the same frames (study 5 Setup:
   * drawn once per frame index, then fixed across runs).
   */
  faceSeed?: number;
  /** Sample PCM-like counters every 500 ms (default true; keeps a periodic timer running). */
  telemetry?: boolean;
  /**
   * Object-store request timing (src/cluster/network.ts NetworkModel): `fluid` (default; the
   * calibrated experiments) or `closed-form` (one event per request, no bandwidth sharing; the
   * DRL environment's default, docs/performance.md gives the measured difference).
   */
  network?: NetworkModel;
}

/** Per-function totals of one request. */
export interface FunctionTotals {
  invocations: number;
  /** Σ execution time (get → compute → put) of its invocations, s. */
  execSeconds: number;
  /** Node(s) that executed it. */
  nodes: string[];
}

/** The outcome of one workflow request. */
export interface RequestResult {
  frames: number;
  /** Latency the engine reports (after its completion detection), s. */
  latency: number;
  /** True end-to-end latency (request → final output written), s. */
  trueLatency: number;
  /** Time the request waited for moved/scaled pods to become Ready before it started, s. */
  moveWait: number;
  /** Simulated time the run started / ended (reported), µs. */
  startedAt: Time;
  endedAt: Time;
  ok: boolean;
  error: string;
  /** Per stage: start/end relative to the run start and Σ execution, s. */
  stages: { stage: string; fn: string; invocations: number; start: number; end: number; execSeconds: number }[];
  perFunction: Record<string, FunctionTotals>;
  bytesRead: number;
  bytesWritten: number;
  gets: number;
  puts: number;
  /** Functions' placement during the run. */
  placement: Record<string, string>;
}

const toS = (us: number): number => us / SECOND;

/** The study-5 cluster with one version of the video pipeline deployed. */
export class VideoWorkflowCluster {
  readonly model: VideoPipelineModel;
  readonly version: VideoVersion;
  readonly workflow: ValidWorkflow;
  readonly kube: KubeCluster;
  readonly openfaas: OpenFaas;
  readonly minio: ObjectStore;
  readonly host: WorkflowHost;
  readonly engine: WorkflowEngine;
  readonly binder: InterferenceBinder;
  readonly telemetry: TelemetrySampler | null;
  /** Worker node names (w01…). */
  readonly nodeNames: readonly string[];
  /** Function names of the deployed version. */
  readonly functionNames: readonly string[];
  /** Face attribute per frame index (drawn once, fixed across runs). */
  readonly faces: Uint8Array;
  readonly runs: RequestResult[] = [];
  private readonly fns: Record<string, VideoFunction>;
  private readonly deployments = new Map<string, WorkflowFunction>();
  private readonly current = new Map<string, string>();
  /** Deployment of each function (functionNames order) on its current node; null after a move. */
  private currentDeployments: WorkflowFunction[] | null = null;
  private readonly replicaCount = new Map<string, number>();
  private readonly clients = new Map<string, ObjectStoreClient>();
  private readonly stressors = new Map<string, { kind: StressorKind; id: number; level: number }[]>();

  constructor(readonly sim: Simulation, opts: VideoClusterOptions = {}) {
    this.model = opts.model ?? loadVideoModel(modelPath(VIDEO_MODEL_FILE));
    const interference = opts.interference ?? loadInterferenceModel(modelPath(INTERFERENCE_MODEL_FILE));
    const coldStart = opts.coldStart ?? loadColdStartModel(modelPath(COLD_START_MODEL_FILE));
    const workers = opts.workers ?? DRL_NODE_FILES.map((f) => loadNodeProfile(modelPath(f)));
    if (workers.length === 0) throw new RangeError('video cluster: workers: expected at least one node profile, found none');
    this.version = opts.version ?? 'V1';
    this.fns = versionFunctions(this.model, this.version);
    this.workflow = validateWorkflow(versionWorkflow(this.model, this.version));
    this.functionNames = this.workflow.functions;
    const m = this.model;
    const pf = m.platform;

    this.kube = new KubeCluster(sim, { coldStart });
    const net = this.kube.coldStart.network;
    if (opts.network !== undefined) net.setModel(opts.network);
    // master VM: control plane + MinIO + queue-workers (Tab 4.1: 7.77 GB; vCPUs suggested 4); takes no function pods
    const ref = workers[0];
    this.kube.addNode({
      ...ref, name: 'master', cores: 4, memoryBytes: 7.77e9, labels: { ...ref.labels, 'kubernetes.io/hostname': 'master', 'node-role.kubernetes.io/master': '' },
      taints: [...ref.taints, { key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }],
    }, { name: 'master' });
    this.minio = new ObjectStore(sim, net, {
      name: 'minio', requestOverhead: Math.round(pf.minioRequestOverhead * SECOND),
      diskWriteBandwidth: pf.minioDiskBandwidth, diskReadBandwidth: pf.minioDiskBandwidth, window: 4 * 2 ** 20,
    });
    const names: string[] = [];
    const nodes: ClusterNode[] = [];
    for (const w of workers) {
      const name = w.labels['kubernetes.io/hostname'] ?? w.name;
      const node = this.kube.addNode(w, { name });
      names.push(name);
      nodes.push(node);
      const sameHost = w.labels['servesim.io/host'] === 'cheetara';
      const bw = sameHost ? 1.25e9 : w.networkBandwidth; // 10 Gbit/s to the master VM on the same server
      const up = net.addLink({ name: `${name}->master`, capacity: bw, rtt: 100 });
      const down = net.addLink({ name: `master->${name}`, capacity: bw, rtt: 100 });
      this.clients.set(name, { route: [up], returnRoute: [down], resolveName: false });
      for (const f of Object.values(this.fns)) this.kube.preloadImage(name, f.image);
    }
    this.nodeNames = names;
    this.binder = new InterferenceBinder(interference);

    this.openfaas = new OpenFaas(this.kube, {
      gateway: { writeTimeout: Math.round(pf.gatewayTimeout * SECOND) + SECOND, upstreamTimeout: Math.round(pf.gatewayTimeout * SECOND) },
      queueWorker: { mode: 'ce', replicas: opts.queueWorkers ?? 1, ackWait: Math.round(pf.ackWait * SECOND) },
      autoscaler: 'none',
    });
    this.host = new WorkflowHost(
      { sim, store: this.minio, clientOf: (n) => this.clientOf(n), binder: this.binder, invocationOverhead: Math.round(pf.invocationOverhead * SECOND) },
      this.openfaas,
      (fn) => this.deploymentName(fn, this.nodeOf(fn)),
    );
    const initial = opts.initialNode ?? names[0];
    this.checkNode(initial, 'initialNode');
    for (const fn of this.functionNames) {
      const cost = this.fns[fn];
      this.current.set(fn, initial);
      this.replicaCount.set(fn, 1);
      for (const n of names) {
        const d = this.host.deploy({
          name: this.deploymentName(fn, n), minReplicas: 0, maxReplicas: 64, initialReplicas: n === initial ? 1 : 0,
          template: {
            name: this.deploymentName(fn, n), image: cost.image, runtime: cost.runtime, modelBytes: cost.modelBytes,
            resources: { cpuRequestMilli: pf.functionCpuRequestMilli, memoryRequestBytes: pf.functionMemoryRequest },
            nodeSelector: { 'kubernetes.io/hostname': n },
            workload: { usefulWork: 0, threads: 'visible-cores', memoryWorkingSetBytes: cost.memoryWorkingSet },
            pullPolicy: 'IfNotPresent',
          },
        }, cost);
        this.deployments.set(this.deploymentName(fn, n), d);
      }
    }
    const eng = opts.engine ?? 'custom';
    const e = m.engines;
    if (eng === 'custom' || eng === 'custom-sync') {
      this.engine = new CustomEngine(sim, this.host, {
        cliOverhead: Math.round(e.custom.cliOverhead * SECOND), pollPeriod: Math.round(e.custom.pollPeriod * SECOND), asyncPerItem: eng === 'custom',
      });
    } else if (eng === 'faas-flow') {
      this.engine = new FaasFlowEngine(sim, this.host, {
        stepOverhead: Math.round(e.faasFlow.stepOverhead * SECOND), requestOverhead: Math.round(e.faasFlow.requestOverhead * SECOND),
        perItemParallel: opts.perItemParallel ?? e.faasFlow.perItemParallel,
      });
    } else throw new RangeError(`video cluster: engine: expected "custom", "custom-sync" or "faas-flow", found ${JSON.stringify(eng)}`);

    // the face attribute of each frame index: one draw per index from its own stream, fixed across runs
    const rng = opts.faceSeed === undefined ? sim.random.stream('workflows/video/faces') : new RandomStreams(opts.faceSeed).stream('workflows/video/faces');
    this.faces = new Uint8Array(4096);
    for (let i = 0; i < this.faces.length; i++) this.faces[i] = rng.next() < m.faceFraction ? 1 : 0;

    this.telemetry = opts.telemetry === false ? null : new TelemetrySampler(sim, nodes, (n) => this.binder.interferenceOf(n)?.pressure() ?? ZERO_PRESSURE, 500_000, () => this.binder.version);
  }

  // ---- placement and scaling ----

  /** Deployment name of function `fn` on node `node`. */
  deploymentName(fn: string, node: string): string {
    return `${fn}-${node}`;
  }

  private checkNode(node: string, what: string): void {
    if (!this.nodeNames.includes(node)) throw new RangeError(`video cluster: ${what}: expected one of ${this.nodeNames.map((n) => `"${n}"`).join(', ')}, found ${JSON.stringify(node)}`);
  }

  private checkFn(fn: string, what: string): void {
    if (!this.functionNames.includes(fn)) throw new RangeError(`video cluster (${this.version}): ${what}: expected one of ${this.functionNames.map((n) => `"${n}"`).join(', ')}, found ${JSON.stringify(fn)}`);
  }

  /** Node a function is placed on. */
  nodeOf(fn: string): string {
    this.checkFn(fn, 'function');
    return this.current.get(fn) as string;
  }

  /** Current placement (function → node). */
  placement(): Record<string, string> {
    const o: Record<string, string> = {};
    for (const f of this.functionNames) o[f] = this.current.get(f) as string;
    return o;
  }

  /** Move functions (function → node; unlisted functions stay). A move redeploys the function's pods on the new node. */
  setPlacement(p: Readonly<Record<string, string>>): void {
    for (const [fn, node] of Object.entries(p)) {
      this.checkFn(fn, `setPlacement["${fn}"]`);
      this.checkNode(node, `setPlacement["${fn}"]`);
    }
    for (const [fn, node] of Object.entries(p)) {
      const old = this.current.get(fn) as string;
      if (old === node) continue;
      const r = this.replicaCount.get(fn) as number;
      (this.deployments.get(this.deploymentName(fn, old)) as WorkflowFunction).setReplicas(0);
      (this.deployments.get(this.deploymentName(fn, node)) as WorkflowFunction).setReplicas(r);
      this.current.set(fn, node);
      this.currentDeployments = null;
    }
  }

  /** Set a function's replica count (on its current node). */
  setReplicas(fn: string, n: number): void {
    this.checkFn(fn, 'setReplicas');
    if (!(Number.isInteger(n) && n >= 1 && n <= 64)) throw new RangeError(`video cluster: setReplicas("${fn}"): expected an integer in [1, 64], found ${n}`);
    this.replicaCount.set(fn, n);
    (this.deployments.get(this.deploymentName(fn, this.nodeOf(fn))) as WorkflowFunction).setReplicas(n);
  }

  replicas(fn: string): number {
    this.checkFn(fn, 'replicas');
    return this.replicaCount.get(fn) as number;
  }

  /** Set the queue-worker replicas (max_inflight 1 each). */
  setQueueWorkers(n: number): void {
    this.openfaas.queue.setReplicas(n);
  }

  /** Queue-worker memory, bytes in total (CT5-16: ≤ 10 MB per replica, unchanged by scaling). */
  queueWorkerMemoryBytes(): number {
    return this.openfaas.queue.replicas * this.model.platform.queueWorkerMemory;
  }

  /** True when every function's current Deployment has all its replicas Ready. */
  ready(): boolean {
    // the current Deployment of each function, looked up once per placement change
    let cur = this.currentDeployments;
    if (cur === null) {
      cur = this.functionNames.map((fn) => this.deployments.get(this.deploymentName(fn, this.nodeOf(fn))) as WorkflowFunction);
      this.currentDeployments = cur;
    }
    for (const d of cur) if (d.availableReplicas < d.replicas) return false;
    return true;
  }

  /** Call `cb` once every function's current pods are Ready (polls every 100 ms). */
  whenReady(cb: () => void): void {
    if (this.ready()) {
      cb();
      return;
    }
    this.sim.schedule(100_000, () => this.whenReady(cb), undefined);
  }

  // ---- interference ----

  /** CPU pressure on a node: `level` (0–1) of its cores busy with iBench CPU threads (replaces the previous CPU stressor). */
  setCpuPressure(node: string, level: number): void {
    this.setStressor(node, 'cpu', level);
  }

  /** Run an iBench stressor of `kind` at `level` (0–1) on `node`, replacing one of the same kind; level 0 removes it. */
  setStressor(node: string, kind: StressorKind, level: number): void {
    this.checkNode(node, 'setStressor');
    if (!(level >= 0 && level <= 1)) throw new RangeError(`video cluster: setStressor(${node}, ${kind}): level: expected a fraction in [0, 1], found ${level}`);
    const n = this.kube.node(node);
    const list = this.stressors.get(node) ?? [];
    const i = list.findIndex((s) => s.kind === kind);
    if (i >= 0) {
      this.binder.removeStressor(n, list[i].id);
      list.splice(i, 1);
    }
    if (level > 0) list.push({ kind, level, id: this.binder.addStressor(n, kind, level) });
    this.stressors.set(node, list);
  }

  /** Remove every stressor (from one node, or all). */
  clearStressors(node?: string): void {
    for (const n of node === undefined ? this.nodeNames : [node]) {
      for (const s of this.stressors.get(n) ?? []) this.setStressor(n, s.kind, 0);
    }
  }

  /** Cores occupied by CPU pressure on a node (CT5-2). */
  occupiedCores(node: string): number {
    this.checkNode(node, 'occupiedCores');
    const s = (this.stressors.get(node) ?? []).find((x) => x.kind === 'cpu');
    return s === undefined ? 0 : occupiedCores(s.level, this.kube.node(node).cores);
  }

  /** Latest PCM-like counters of a node (500 ms sample); without telemetry, an instantaneous reading. */
  nodeSignals(node: string): NodeSignals {
    this.checkNode(node, 'nodeSignals');
    if (this.telemetry !== null) return this.telemetry.signals(node);
    const n = this.kube.node(node);
    const p = this.binder.interferenceOf(node)?.pressure() ?? ZERO_PRESSURE;
    return synthesiseSignals(this.sim.now, n.cpu.busyCores() * 500_000, 500_000, n.cores, p, n.profile.memoryBandwidth);
  }

  /** How a pod on `node` reaches MinIO. */
  clientOf(node: string): ObjectStoreClient {
    const c = this.clients.get(node);
    if (c === undefined) throw new RangeError(`video cluster: object-store client: expected a worker node, found "${node}"`);
    return c;
  }

  // ---- requests ----

  /**
   * Run one workflow request over `frames` frames once the current pods are Ready; `onDone` gets
   * the result (latencies in s).
   */
  runRequest(frames: number, onDone: (r: RequestResult) => void): void {
    if (!(Number.isInteger(frames) && frames >= 1 && frames <= this.faces.length)) {
      throw new RangeError(`video cluster: runRequest: frames: expected an integer in [1, ${this.faces.length}], found ${frames}`);
    }
    const asked = this.sim.now;
    this.whenReady(() => {
      const run = new WorkflowRun(this.workflow, frames, [this.faces], this.sim.now);
      const placement = this.placement();
      this.engine.start(run, (r) => {
        this.removeObjects(r);
        const res = this.result(r, frames, asked, placement);
        this.runs.push(res);
        onDone(res);
      });
    });
  }

  /**
   * Delete a finished run's intermediate objects from the store (assumption: a bucket lifecycle
   * rule or the engine cleans them up; nothing reads them after the run). Keeps the store's key
   * map from growing with every request of a long training run.
   */
  private removeObjects(run: WorkflowRun): void {
    for (const inv of run.invocations) for (const w of run.writesOf(inv)) this.minio.delete(w.key);
  }

  private result(run: WorkflowRun, frames: number, asked: Time, placement: Record<string, string>): RequestResult {
    const perFunction: Record<string, FunctionTotals> = {};
    let bytesRead = 0;
    let bytesWritten = 0;
    let gets = 0;
    let puts = 0;
    for (const inv of run.invocations) {
      const f = (perFunction[inv.stage.fn] ??= { invocations: 0, execSeconds: 0, nodes: [] });
      f.invocations++;
      if (inv.execEnd >= 0 && inv.execStart >= 0) f.execSeconds += toS(inv.execEnd - inv.execStart);
      if (inv.node !== '' && !f.nodes.includes(inv.node)) f.nodes.push(inv.node);
      bytesRead += inv.bytesRead;
      bytesWritten += inv.bytesWritten;
      gets += inv.gets;
      puts += inv.puts;
    }
    const stages = run.stageRecords().map((s: StageRecord) => ({
      stage: s.stage, fn: s.fn, invocations: s.invocations, start: toS(s.start), end: toS(s.end), execSeconds: toS(s.execSum),
    }));
    return {
      frames, latency: toS(run.reportedEnd - run.startedAt), trueLatency: toS(run.trueEnd - run.startedAt), moveWait: toS(run.startedAt - asked),
      startedAt: run.startedAt, endedAt: run.reportedEnd, ok: !run.failed, error: run.firstError,
      stages, perFunction, bytesRead, bytesWritten, gets, puts, placement,
    };
  }
}
