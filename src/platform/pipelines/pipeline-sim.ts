/**
 * The notebook pipeline on a simulated Kubernetes cluster (study 2 "Reproduction experiment",
 * experiments/pipeline-overhead.yaml): workers from a node profile (BestEffort job pods may use
 * all their vCPUs), a control-plane node that takes no job pods (NoSchedule taint), MinIO for
 * the artifacts, a Cinder-like link per node for the PVC, and one Kale run after another
 * (back to back, study 2 suggested default). Each run claims a fresh RWO volume; its jobs
 * start when their parents completed (DagRun), after the Argo controller's delay.
 *
 * Placement (study 2 modelling note "Storage semantics"): 'co-locate' (default) pins every
 * cell pod of a run to the node the scheduler chose for the run's first cell pod (nodeSelector
 * on the hostname; cell pods due while that pod is being scheduled are created once it is);
 * 'spread' lets the scheduler place them, paying detach + attach when the volume must move.
 */
import type { Simulation } from '../../core/simulation.js';
import type { Time } from '../../core/time.js';
import { SECOND } from '../../core/time.js';
import type { ColdStartModel } from '../../cluster/cold-start.js';
import type { NodeProfile } from '../../cluster/node-profile.js';
import { ObjectStore } from '../../cluster/object-store.js';
import { KubeCluster } from '../kubernetes/runtime/cluster.js';
import type { Pod } from '../kubernetes/runtime/pod.js';
import { validateDag, type ValidDag } from './dag.js';
import { DagRun } from './dag-runner.js';
import { runJobPod, type JobEnvironment, type JobRecord, type NodeLinks } from './kube-job.js';
import { jobsForShape, type DagShape, type NotebookJobSpec, type NotebookModel } from './notebook-model.js';
import { RwoVolume } from './rwo-volume.js';
import type { PipelineConfig } from './expected.js';

export type Placement = 'co-locate' | 'spread';

/** The cluster and pipeline options. */
export interface PipelineSimOptions {
  model: NotebookModel;
  coldStart: ColdStartModel;
  worker: NodeProfile;
  workers: number;
  /** Control-plane node profile (tainted; no job pods). Omit for none. */
  master?: NodeProfile;
  dag: DagShape;
  placement: Placement;
  /** Put the job image (and the volume-op image) into every worker's cache before the first run. */
  precache: boolean;
}

/** One finished run. */
export interface RunRecord {
  run: number;
  config: PipelineConfig;
  startedAt: Time;
  completedAt: Time;
  jobs: JobRecord[];
  /** Volume attach operations in the run. */
  attaches: number;
}

/** Node name of worker i. */
export function workerName(i: number): string {
  return `worker-${i + 1}`;
}

/** The simulated cluster running notebook pipelines. */
export class NotebookPipelineSim {
  readonly cluster: KubeCluster;
  readonly minio: ObjectStore;
  readonly runs: RunRecord[] = [];
  readonly dag: ValidDag;
  readonly jobs: readonly NotebookJobSpec[];
  private readonly env: JobEnvironment;
  private readonly nodeLinks = new Map<string, NodeLinks>();
  private runCounter = 0;
  /** Co-location: the run's node, the pod deciding it, and cell pods waiting for it. */
  private pinned: string | null = null;
  private placing: Pod | null = null;
  private placementWaiters: ((selector: Readonly<Record<string, string>>) => Pod)[] = [];

  constructor(private readonly sim: Simulation, readonly opts: PipelineSimOptions) {
    if (!(Number.isInteger(opts.workers) && opts.workers >= 1)) throw new RangeError(`pipeline: workers: expected an integer ≥ 1, found ${opts.workers}`);
    this.jobs = jobsForShape(opts.model, opts.dag);
    this.dag = validateDag(opts.model.name, this.jobs);
    this.cluster = new KubeCluster(sim, { coldStart: opts.coldStart });
    const network = this.cluster.coldStart.network;
    const m = opts.model;
    if (opts.master !== undefined) {
      this.cluster.addNode({ ...opts.master, taints: [...opts.master.taints, { key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }] }, { name: 'master' });
    }
    this.minio = new ObjectStore(sim, network, {
      name: 'minio', requestOverhead: Math.round(m.overheads.minioRequestOverhead * SECOND),
      diskWriteBandwidth: opts.worker.diskBandwidth, diskReadBandwidth: opts.worker.diskBandwidth, window: 4 * 2 ** 20,
    });
    for (let i = 0; i < opts.workers; i++) {
      const name = workerName(i);
      this.cluster.addNode(opts.worker, { name });
      if (opts.precache) {
        this.cluster.preloadImage(name, m.images.job);
        this.cluster.preloadImage(name, m.images.volumeOp);
      }
      const toMinio = network.addLink({ name: `${name}->minio`, capacity: opts.worker.networkBandwidth, rtt: 500 });
      this.nodeLinks.set(name, {
        volume: network.addLink({ name: `${name}<->cinder`, capacity: m.marshal.volumeThroughput, rtt: 500 }),
        dataset: network.addLink({ name: `dataset-source->${name}`, capacity: opts.worker.networkBandwidth, rtt: 1000 }),
        minio: { route: [toMinio], resolveName: false },
      });
    }
    this.cluster.onPodEvent = (e) => {
      if (e.type !== 'scheduled' || e.pod !== this.placing) return;
      this.pinned = e.pod.nodeName;
      this.placing = null;
      const waiting = this.placementWaiters;
      this.placementWaiters = [];
      for (const create of waiting) create({ 'kubernetes.io/hostname': e.pod.nodeName });
    };
    this.env = {
      sim, cluster: this.cluster, network, model: m, minio: this.minio,
      links: (node) => {
        const l = this.nodeLinks.get(node);
        if (l === undefined) throw new RangeError(`pipeline: node: expected a worker, found "${node}"`);
        return l;
      },
      requestPlacement: (create) => {
        if (opts.placement === 'spread') create(undefined);
        else if (this.pinned !== null) create({ 'kubernetes.io/hostname': this.pinned });
        else if (this.placing === null) this.placing = create(undefined);
        else this.placementWaiters.push(create);
      },
      streams: {
        imports: sim.random.stream('pipeline/imports'),
        teardown: sim.random.stream('pipeline/teardown'),
        provision: sim.random.stream('pipeline/volume-provision'),
      },
    };
  }

  /**
   * Run `plan` (configurations, each `runs` times) one run after another from now; `done`
   * after the last run.
   */
  runSequence(plan: readonly { config: PipelineConfig; runs: number }[], done: () => void): void {
    const queue: PipelineConfig[] = [];
    for (const p of plan) for (let r = 0; r < p.runs; r++) queue.push(p.config);
    const controller = this.sim.random.stream('pipeline/controller');
    const m = this.opts.model;
    const nextRun = (): void => {
      const cfg = queue.shift();
      if (cfg === undefined) {
        done();
        return;
      }
      const run = ++this.runCounter;
      this.pinned = null;
      this.placing = null;
      const o = m.overheads;
      const volume = new RwoVolume(this.sim, `run${run}-marshal-pvc`, {
        attach: Math.round(o.volumeAttach * SECOND), detach: Math.round(o.volumeDetach * SECOND), mount: Math.round(o.volumeMount * SECOND),
      });
      const records: JobRecord[] = [];
      const startedAt = this.sim.now;
      const dagRun = new DagRun(this.sim, this.dag, (i, jobDone) => {
        runJobPod(this.env, run, this.jobs[i], cfg, volume, (r) => {
          records.push(r);
          jobDone();
        });
      }, () => {
        const byOrder = this.jobs.map((j) => records.find((r) => r.job === j.name) as JobRecord);
        this.runs.push({ run, config: cfg, startedAt, completedAt: this.sim.now, jobs: byOrder, attaches: volume.attaches });
        nextRun();
      }, () => Math.round(o.controllerDelay.sample(controller) * SECOND));
      dagRun.start();
    };
    nextRun();
  }

  /** Pulls of the job image per node over the finished runs (CT2-20). */
  jobImagePulls(): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of this.runs) {
      for (const j of r.jobs) if (j.kind === 'cell' && j.pulledBytes > 0) out.set(j.node, (out.get(j.node) ?? 0) + 1);
    }
    return out;
  }
}
