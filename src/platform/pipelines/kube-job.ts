/**
 * One pipeline job as a Kubernetes pod that runs to completion (study 2 modelling note "Job
 * pod lifecycle"), on the Kubernetes runtime (platform/kubernetes/runtime):
 *
 *   created → scheduled → sandbox → image (pulled unless cached) → container start → app init
 *   (KubeCluster + ColdStartManager, §c.5; a job has no readiness probe, so it runs as soon as
 *   its container is up) → then, in the pod's cgroup and on the cluster network:
 *   volume   cell jobs: wait for / attach / mount the RWO PVC (rwo-volume.ts);
 *            the volume job: claim → bound (provision)
 *   imports  Python imports prepended to the cell (CPU work, one thread; CT2-22)
 *   load     per variable: Kale unmarshal fixed cost (CPU) + bytes read over the PVC link
 *   cell     data-set download over the network (preprocessing) + cell CPU work (the only
 *            timed part: the cell time)
 *   save     per variable: marshal fixed cost (CPU) + bytes written over the PVC link
 *   render   the inline backend rasterises the cell's figures (CPU)
 *   archive  Kale's step export (CPU) + artifact PUT to MinIO + metadata writes to MySQL
 *   exec     the volume job's argoexec overhead
 *   teardown container exit → completion reported
 *
 * Every stage's duration is recorded (µs), so Σ stages = completion − creation exactly.
 * CPU work is in core-seconds at speed 1 and runs single-threaded (Python; tiny TF steps).
 */
import type { Simulation } from '../../core/simulation.js';
import type { Time } from '../../core/time.js';
import { SECOND } from '../../core/time.js';
import type { RandomStream } from '../../core/random.js';
import type { Network, LinkId } from '../../cluster/network.js';
import type { ObjectStore, ObjectStoreClient } from '../../cluster/object-store.js';
import type { KubeCluster } from '../kubernetes/runtime/cluster.js';
import type { Pod } from '../kubernetes/runtime/pod.js';
import type { PodHandle, PodTemplate } from '../kubernetes/runtime/types.js';
import { JOB_STAGES, cellParts, datasetBytes, modelParams, type JobStage, type PipelineConfig } from './expected.js';
import type { NotebookJobSpec, NotebookModel } from './notebook-model.js';
import { datasetSplit, marshalFixedSeconds, renderSeconds, variableBytes } from './stage-model.js';
import type { RwoVolume } from './rwo-volume.js';

/** Per-node network links a job uses. */
export interface NodeLinks {
  /** Node ↔ Cinder volume traffic (PVC reads and writes share it). */
  volume: LinkId;
  /** Internet/data-set source → node. */
  dataset: LinkId;
  /** Node → MinIO. */
  minio: ObjectStoreClient;
}

/** What the jobs of a run share. */
export interface JobEnvironment {
  sim: Simulation;
  cluster: KubeCluster;
  network: Network;
  model: NotebookModel;
  minio: ObjectStore;
  links(node: string): NodeLinks;
  /**
   * Ask where a cell job pod may go: `create(selector)` is called (now or once the run's node
   * is known) with the node selector to create the pod with (undefined: anywhere). When the
   * pod created is the one that decides the run's node, `create` returns it through `placing`.
   */
  requestPlacement(create: (selector: Readonly<Record<string, string>> | undefined) => Pod): void;
  streams: { imports: RandomStream; teardown: RandomStream; provision: RandomStream };
}

/** The record of one job of one run. Times µs (simulation clock). */
export interface JobRecord {
  run: number;
  job: string;
  kind: 'volume' | 'cell';
  node: string;
  pod: string;
  createdAt: Time;
  scheduledAt: Time;
  /** Kubelet started the pod (sandbox ready; before any image pull): the "start" timestamp. */
  startedAt: Time;
  /** Container running (app initialised). */
  runningAt: Time;
  completedAt: Time;
  /** Duration of every stage, µs; startup = runningAt − createdAt. */
  stages: Record<JobStage, Time>;
  /** Cell execution time, µs (what the cell's own timer printed; 0 for the volume job). */
  cellTime: Time;
  imageCacheHit: boolean;
  /** Bytes of image this pod's start pulled. */
  pulledBytes: number;
  /** Image phase of the start (pull, or waiting for another pod's pull), µs. */
  imagePull: Time;
  /** Volume: waited for the RWO volume, attach (+ detach), mount, µs. */
  volumeWait: Time;
  volumeAttach: Time;
  volumeMount: Time;
  /** The claim → bound time of the volume job, µs (−1 for cell jobs). */
  volumeBound: Time;
}

const toUs = (s: number): Time => (s > 0 ? Math.round(s * SECOND) : 0);

function emptyStages(): Record<JobStage, Time> {
  const s = {} as Record<JobStage, Time>;
  for (const k of JOB_STAGES) s[k] = 0;
  return s;
}

/** Pod template of a job (BestEffort: no requests or limits, study 2 suggested default). */
export function jobPodTemplate(model: NotebookModel, job: NotebookJobSpec, podName: string, nodeSelector?: Readonly<Record<string, string>>): PodTemplate {
  const volume = job.kind === 'volume';
  return {
    name: podName,
    namespace: 'kubeflow-user',
    labels: { 'workflows.argoproj.io/workflow': 'kale', job: job.name },
    image: volume ? model.images.volumeOp : model.images.job,
    pullPolicy: 'IfNotPresent',
    runtime: volume ? model.runtimes.volumeOp : model.runtimes.job,
    // No readiness probe on a job container: it runs as soon as it is up (a 1 µs probe period
    // makes the runtime's Ready coincide with app init).
    readiness: { initialDelay: 0, period: 1, successThreshold: 1 },
    resources: {},
    nodeSelector,
    workload: { usefulWork: 0, threads: 1 },
    terminationGracePeriod: 0,
  };
}

/**
 * Run job `job` of configuration `cfg` (run number `run`) as a pod; `done(record)` at its
 * completion. `volume` is the run's RWO volume.
 */
export function runJobPod(env: JobEnvironment, run: number, job: NotebookJobSpec, cfg: PipelineConfig, volume: RwoVolume, done: (r: JobRecord) => void): void {
  new JobPod(env, run, job, cfg, volume, done).start();
}

class JobPod {
  private pod: Pod | null = null;
  private readonly rec: JobRecord;
  private stageStart: Time = 0;
  private stage: JobStage = 'startup';
  private varIndex = 0;

  constructor(
    private readonly env: JobEnvironment,
    run: number,
    private readonly job: NotebookJobSpec,
    private readonly cfg: PipelineConfig,
    private readonly volume: RwoVolume,
    private readonly done: (r: JobRecord) => void,
  ) {
    this.rec = {
      run, job: job.name, kind: job.kind, node: '', pod: '', createdAt: -1, scheduledAt: -1, startedAt: -1, runningAt: -1, completedAt: -1,
      stages: emptyStages(), cellTime: 0, imageCacheHit: true, pulledBytes: 0, imagePull: 0, volumeWait: 0, volumeAttach: 0, volumeMount: 0, volumeBound: -1,
    };
  }

  start(): void {
    const create = (selector: Readonly<Record<string, string>> | undefined): Pod => {
      const { env, job } = this;
      const t = jobPodTemplate(env.model, job, `run${this.rec.run}-${job.name}`, selector);
      const pod = env.cluster.createPod(t, { onPodReady: (p: PodHandle) => this.onRunning(p) });
      this.pod = pod;
      this.rec.pod = pod.name;
      this.rec.createdAt = pod.createdAt;
      return pod;
    };
    if (this.job.kind === 'cell') this.env.requestPlacement(create);
    else create(undefined);
  }

  private onRunning(_p: PodHandle): void {
    const pod = this.pod as Pod;
    const now = this.env.sim.now;
    const cs = pod.coldStart;
    this.rec.node = pod.nodeName;
    this.rec.scheduledAt = pod.scheduledAt;
    this.rec.startedAt = pod.scheduledAt + (cs === null ? 0 : cs.phases.sandbox);
    this.rec.runningAt = now;
    this.rec.imageCacheHit = cs === null ? true : cs.cacheHit;
    this.rec.pulledBytes = cs === null ? 0 : cs.pulledBytes;
    this.rec.imagePull = cs === null ? 0 : cs.phases.imagePull;
    this.rec.stages.startup = now - this.rec.createdAt;
    this.begin('volume');
    if (this.job.kind === 'volume') {
      const d = toUs(this.env.model.overheads.volumeProvision.sample(this.env.streams.provision));
      this.volume.provision(d, () => {
        this.rec.volumeBound = this.env.sim.now - this.stageStart;
        this.next();
      });
    } else {
      this.volume.acquire(pod.nodeName, (g) => {
        this.rec.volumeWait = g.wait;
        this.rec.volumeAttach = g.attach;
        this.rec.volumeMount = g.mount;
        this.next();
      });
    }
  }

  private begin(stage: JobStage): void {
    this.stage = stage;
    this.stageStart = this.env.sim.now;
  }

  /** Close the current stage and run the next one. */
  private readonly next = (): void => {
    const now = this.env.sim.now;
    this.rec.stages[this.stage] += now - this.stageStart;
    const order: readonly JobStage[] = this.job.kind === 'volume' ? VOLUME_ORDER : CELL_ORDER;
    const i = order.indexOf(this.stage);
    if (i === order.length - 1) {
      this.complete();
      return;
    }
    this.begin(order[i + 1]);
    this.varIndex = 0;
    this.runStage();
  };

  private cpu(seconds: number, then: () => void): void {
    (this.pod as Pod).execute(then, undefined, seconds * SECOND);
  }

  private runStage(): void {
    const { env, job, cfg } = this;
    const m = env.model;
    const node = (this.pod as Pod).nodeName;
    switch (this.stage) {
      case 'imports':
        this.cpu(m.overheads.imports.sample(env.streams.imports), this.next);
        return;
      case 'load':
      case 'save':
        this.marshalNext();
        return;
      case 'cell': {
        if (job.kind !== 'cell') break;
        const parts = cellParts(m, job, cfg);
        const compute = (): void => this.cpu(parts.cpu, () => {
          this.rec.cellTime = env.sim.now - this.stageStart;
          this.next();
        });
        if (job.cell.download) {
          env.network.startFlow([env.links(node).dataset], datasetBytes(cfg.datasetMB), { rateCap: m.overheads.datasetDownloadRate }, compute);
        } else compute();
        return;
      }
      case 'render': {
        if (job.kind !== 'cell') break;
        const split = datasetSplit(datasetBytes(cfg.datasetMB), m.dataset);
        const s = renderSeconds(job.figures, split, m.render);
        if (s > 0) this.cpu(s, this.next);
        else this.next();
        return;
      }
      case 'archive': {
        const o = m.overheads;
        this.cpu(o.kaleFixed, () => {
          env.minio.put(env.links(node).minio, `artifacts/run${this.rec.run}/${job.name}.html`, o.artifactBytes, () => {
            env.sim.schedule(toUs(o.metadataWrites * o.metadataLatency), this.next, undefined);
          });
        });
        return;
      }
      case 'exec':
        env.sim.schedule(toUs(m.overheads.volumeOpExec), this.next, undefined);
        return;
      case 'teardown':
        if (job.kind === 'cell') this.volume.release(node);
        env.sim.schedule(toUs(m.overheads.teardown.sample(env.streams.teardown)), this.next, undefined);
        return;
      default:
        break;
    }
    this.next();
  }

  /** Load or save the next variable (fixed CPU cost, then its bytes over the volume link). */
  private marshalNext(): void {
    if (this.job.kind !== 'cell') { this.next(); return; }
    const dir = this.stage === 'load' ? 'load' : 'save';
    const vars = dir === 'load' ? this.job.loads : this.job.saves;
    if (this.varIndex >= vars.length) { this.next(); return; }
    const m = this.env.model;
    const spec = m.variables[vars[this.varIndex++]];
    const split = datasetSplit(datasetBytes(this.cfg.datasetMB), m.dataset);
    const bytes = variableBytes(spec, split, modelParams(m, this.cfg.width), m.marshal);
    const link = this.env.links((this.pod as Pod).nodeName).volume;
    const after = (): void => {
      if (bytes > 0) this.env.network.startFlow([link], bytes, { rateCap: m.marshal.volumeThroughput }, () => this.marshalNext());
      else this.marshalNext();
    };
    const fixed = marshalFixedSeconds(spec, dir, m.marshal);
    if (fixed > 0) this.cpu(fixed, after);
    else after();
  }

  private complete(): void {
    const pod = this.pod as Pod;
    this.rec.completedAt = this.env.sim.now;
    this.env.cluster.deletePod(pod);
    this.done(this.rec);
  }
}

const CELL_ORDER: readonly JobStage[] = ['volume', 'imports', 'load', 'cell', 'save', 'render', 'archive', 'teardown'];
const VOLUME_ORDER: readonly JobStage[] = ['volume', 'exec', 'teardown'];
