/**
 * The operational loop (issue 6 item 6; calibration-targets.md study 3 `drift-retrain.yaml`
 * "Retraining" and "Redeploy"): drift alerts from the monitoring job's windows go through an
 * alert policy; the first alert while idle triggers a continuous-training pipeline on the
 * pipelines engine (a DAG of Kubernetes job pods: fetch → train → evaluate, each a pod that runs
 * its CPU work and ends); when it completes, a new model revision is rolled out on the model
 * service (its pods cold-start; traffic switches blue-green when it is Ready) and, at the switch,
 * the monitoring job's baseline is replaced by the new training data's (the ModelMonitor update
 * the operator applies, §4.3). Windows that started before the switch are ignored by the policy.
 *
 * Training data: the logged instances from the start of the alerting run of windows on, up to
 * `maxTrainingWindows` windows; training starts once `minTrainingWindows` windows of such data
 * exist (fresh data only, so the new baseline describes the drifted stream).
 */
import type { Simulation } from '../../core/simulation.js';
import { SECOND, type Time } from '../../core/time.js';
import { baselineFromRows, type Baseline } from '../../monitor/baseline.js';
import type { WindowResult } from '../../monitor/monitor.js';
import type { KubeCluster } from '../kubernetes/runtime/cluster.js';
import type { Pod } from '../kubernetes/runtime/pod.js';
import type { PodHandle, PodTemplate } from '../kubernetes/runtime/types.js';
import { DagRun } from '../pipelines/dag-runner.js';
import { validateDag, type DagJob } from '../pipelines/dag.js';
import type { ConsecutiveWindowPolicy, PolicyAlert } from './alert-policy.js';
import type { ModelService } from './model-service.js';

/** One job of the training pipeline: CPU work of its pod, core-seconds (1 thread). */
export interface TrainingJobSpec extends DagJob {
  workSeconds: number;
}

/** Default continuous-training pipeline: fetch logged data, train (60 s, the spec's default), evaluate. */
export const DEFAULT_TRAINING_PIPELINE: readonly TrainingJobSpec[] = [
  { name: 'fetch-data', dependsOn: [], workSeconds: 5 },
  { name: 'train', dependsOn: ['fetch-data'], workSeconds: 60 },
  { name: 'evaluate', dependsOn: ['train'], workSeconds: 5 },
];

export interface RetrainLoopOptions {
  cluster: KubeCluster;
  service: ModelService;
  /** The monitoring job's baseline setter (MonitoringJob.setBaseline). */
  setBaseline: (b: Baseline) => void;
  policy: ConsecutiveWindowPolicy;
  features: readonly string[];
  /** Logged instances with event time in [from, to), µs (the inference log). */
  rows: (from: Time, to: Time) => ArrayLike<number>[];
  /** Window length, µs. */
  window: Time;
  pipeline?: readonly TrainingJobSpec[];
  /** Pod template of the pipeline jobs (the CPU work is set per job). */
  jobTemplate: PodTemplate;
  /** Pod template of the new model revision (default: the service's current one). */
  revisionTemplate?: PodTemplate;
  minTrainingWindows?: number;
  maxTrainingWindows?: number;
}

/** One retraining cycle, µs (−1 until reached). */
export interface RetrainRecord {
  alert: PolicyAlert;
  trainingFrom: Time;
  trainingTo: Time;
  trainingRows: number;
  pipelineStart: Time;
  pipelineEnd: Time;
  jobs: { name: string; start: Time; end: Time }[];
  revision: string;
  revisionReady: Time;
  trafficSwitch: Time;
  baselineSwap: Time;
}

type State = 'idle' | 'collecting' | 'training' | 'rolling-out';

/** The alert → retrain → redeploy → baseline-swap loop. */
export class RetrainLoop {
  readonly alerts: PolicyAlert[] = [];
  readonly cycles: RetrainRecord[] = [];
  state: State = 'idle';
  private readonly sim: Simulation;
  private current: RetrainRecord | null = null;
  private newBaseline: Baseline | null = null;
  private readonly dag;
  private readonly pipeline: readonly TrainingJobSpec[];

  constructor(readonly opts: RetrainLoopOptions) {
    this.sim = opts.cluster.sim;
    this.pipeline = opts.pipeline ?? DEFAULT_TRAINING_PIPELINE;
    this.dag = validateDag('continuous-training', this.pipeline);
    for (const [i, j] of this.pipeline.entries()) {
      if (!(j.workSeconds >= 0)) throw new RangeError(`continuous-training jobs[${i}].workSeconds: expected ≥ 0 core-s, found ${j.workSeconds}`);
    }
  }

  /** Feed every drift window of the monitoring job (in emission order). */
  onWindow(w: WindowResult): void {
    const fired = this.opts.policy.observe(w);
    for (const a of fired) this.alerts.push(a);
    if (this.state === 'idle' && fired.length > 0) {
      const a = fired[0];
      this.current = {
        alert: a, trainingFrom: a.runStart, trainingTo: -1, trainingRows: 0, pipelineStart: -1, pipelineEnd: -1, jobs: [],
        revision: '', revisionReady: -1, trafficSwitch: -1, baselineSwap: -1,
      };
      this.cycles.push(this.current);
      this.state = 'collecting';
    }
    if (this.state === 'collecting') this.maybeTrain(w);
  }

  private maybeTrain(w: WindowResult): void {
    const c = this.current as RetrainRecord;
    const min = this.opts.minTrainingWindows ?? 4;
    const max = this.opts.maxTrainingWindows ?? 20;
    const have = Math.floor((w.end - c.trainingFrom) / this.opts.window);
    if (have < min) return;
    c.trainingTo = Math.min(w.end, c.trainingFrom + max * this.opts.window);
    const rows = this.opts.rows(c.trainingFrom, c.trainingTo);
    c.trainingRows = rows.length;
    this.newBaseline = baselineFromRows(this.opts.features, rows);
    this.state = 'training';
    c.pipelineStart = this.sim.now;
    const run = new DagRun(this.sim, this.dag, (i, done) => this.runJob(i, done), () => this.trained());
    run.start();
  }

  private runJob(i: number, done: () => void): void {
    const spec = this.pipeline[i];
    const c = this.current as RetrainRecord;
    const rec = { name: spec.name, start: this.sim.now, end: -1 };
    c.jobs.push(rec);
    const t = this.opts.jobTemplate;
    const cluster = this.opts.cluster;
    const finish = (pod: Pod): void => {
      rec.end = this.sim.now;
      cluster.deletePod(pod);
      done();
    };
    cluster.createPod({ ...t, name: `${t.name}-${spec.name}`, workload: { usefulWork: 0, threads: 1 } }, {
      onPodReady: (h: PodHandle) => {
        const pod = h as Pod;
        pod.execute(finish, pod, spec.workSeconds * SECOND);
      },
    });
  }

  private trained(): void {
    const c = this.current as RetrainRecord;
    c.pipelineEnd = this.sim.now;
    this.state = 'rolling-out';
    const svc = this.opts.service;
    const k = svc.revisions.length;
    const rev = svc.rollout(this.opts.revisionTemplate ?? svc.opts.template);
    c.revision = rev.name;
    const prev = rev.onReady;
    rev.onReady = (pod, r) => {
      prev?.(pod, r);
      if (c.revisionReady < 0) c.revisionReady = this.sim.now;
      if (svc.active === k && c.trafficSwitch < 0) this.switched();
    };
  }

  private switched(): void {
    const c = this.current as RetrainRecord;
    const now = this.sim.now;
    c.trafficSwitch = now;
    c.baselineSwap = now;
    this.opts.setBaseline(this.newBaseline as Baseline);
    // windows opened before the swap still compare against the old baseline: ignore them
    this.opts.policy.reset(Math.ceil(now / this.opts.window) * this.opts.window);
    this.state = 'idle';
    this.current = null;
  }
}
