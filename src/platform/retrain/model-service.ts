/**
 * A served model as a KFServing InferenceService on Knative (calibration-targets.md study 3,
 * "Model service" table, modelling notes 6–7; drift-retrain "Redeploy"): one or more Knative
 * revisions of the predictor, traffic to one of them (blue-green: a new revision takes all the
 * traffic once its first pod is Ready), and two hooks the monitoring pipeline needs:
 *
 * - pod arrival: the KFServing logger sidecar sits in front of the model container, so a
 *   request is logged when it reaches a pod (directly from the ingress in Serve mode, or when
 *   the activator forwards it); `onPodArrival` is called then, once per request;
 * - warm-up failures: a new pod passes the queue-proxy readiness probe before the model server
 *   has loaded the model; requests that reach it in the first `warmupFail` seconds after Ready
 *   fail (HTTP status `failStatus`, 503 by default; the study reports no codes; modelling note 7,
 *   fitted to CT3-14). The initial pods of a revision created before the run are not affected.
 */
import type { Distribution } from '../../core/distributions.js';
import type { RandomStream } from '../../core/random.js';
import { SECOND, type Time } from '../../core/time.js';
import type { KnativeAutoscalerConfig } from '../knative/config.js';
import type { PodTracker } from '../knative/data-path/activator.js';
import { KnativeRevision } from '../knative/data-path/revision.js';
import { COMPLETED, type KnRequest } from '../knative/data-path/request.js';
import type { KubeCluster } from '../kubernetes/runtime/cluster.js';
import type { Pod } from '../kubernetes/runtime/pod.js';
import type { PodHandle, PodTemplate } from '../kubernetes/runtime/types.js';

/** A revision that reports when a request reaches one of its pods and when a pod becomes Ready. */
export class LoggedRevision extends KnativeRevision {
  onPodArrival: ((r: KnRequest, rev: LoggedRevision) => void) | null = null;
  onReady: ((pod: Pod, rev: LoggedRevision) => void) | null = null;

  override submit(tag: number, onDone: ((r: KnRequest) => void) | null): KnRequest {
    const r = super.submit(tag, onDone);
    if (r.queueProxyIn >= 0 && r.activatorIn < 0) this.onPodArrival?.(r, this);
    return r;
  }

  override forward(r: KnRequest, t: PodTracker): void {
    super.forward(r, t);
    this.onPodArrival?.(r, this);
  }

  override onPodReady(h: PodHandle): void {
    super.onPodReady(h);
    this.onReady?.(h as Pod, this);
  }
}

export interface ModelServiceOptions {
  name: string;
  template: PodTemplate;
  annotations: Readonly<Record<string, string>>;
  config: KnativeAutoscalerConfig;
  /** Revision timeout, µs (default 300 s). */
  timeout?: Time;
  /** Seconds after Ready during which a new pod fails the requests that reach it. */
  warmupFail: Distribution;
  /** HTTP status recorded for those failures (default 503). */
  failStatus?: number;
  rng: RandomStream;
}

/** How a request to the service ended. */
export interface ServiceOutcome {
  ok: boolean;
  /** 200, failStatus for warm-up failures, 503/502 for data-path rejections. */
  status: number;
  revision: string;
  pod: string;
}

/** One revision's rollout record, µs (−1 until reached). */
export interface RolloutRecord {
  revision: string;
  createdAt: Time;
  firstReadyAt: Time;
  trafficAt: Time;
}

/** The InferenceService. */
export class ModelService {
  readonly revisions: LoggedRevision[] = [];
  readonly rollouts: RolloutRecord[] = [];
  /** Index of the revision that gets the traffic. */
  active = 0;
  /** Pod start intervals [created, warm end) of pods created during the run, for CT3-14. */
  readonly podStarts: { pod: string; revision: string; createdAt: Time; readyAt: Time; warmUntil: Time }[] = [];
  onPodArrival: ((r: KnRequest, revision: string) => void) | null = null;
  /** Called when a request ends; `tag` is the caller's. */
  onEnd: ((tag: number, r: KnRequest, outcome: ServiceOutcome) => void) | null = null;
  private readonly warmUntil = new Map<Pod, Time>();
  private readonly ended: ((r: KnRequest) => void)[] = [];
  private readonly startAt: Time;

  constructor(readonly cluster: KubeCluster, readonly opts: ModelServiceOptions) {
    this.startAt = cluster.sim.now;
    this.addRevision(opts.template);
    this.rollouts[0].trafficAt = this.startAt;
  }

  get sim(): KubeCluster['sim'] {
    return this.cluster.sim;
  }

  /** The revision getting traffic. */
  get current(): LoggedRevision {
    return this.revisions[this.active];
  }

  private addRevision(template: PodTemplate): LoggedRevision {
    const k = this.revisions.length;
    const name = `${this.opts.name}-predictor-${String(k + 1).padStart(5, '0')}`;
    const rev = new LoggedRevision(this.cluster, { name, template: { ...template, name }, annotations: this.opts.annotations, config: this.opts.config, timeout: this.opts.timeout });
    rev.onPodArrival = (r) => this.onPodArrival?.(r, name);
    rev.onReady = (pod, rv) => this.podReady(pod, rv, k);
    this.revisions.push(rev);
    this.rollouts.push({ revision: name, createdAt: this.sim.now, firstReadyAt: -1, trafficAt: -1 });
    this.ended.push((r: KnRequest) => this.end(r, name));
    return rev;
  }

  private podReady(pod: Pod, rev: LoggedRevision, k: number): void {
    const now = this.sim.now;
    // Pods that were up when the run started (created at t0, the experiment's pre-deployed service) are warm.
    const warm = pod.createdAt <= this.startAt && k === 0 ? now : now + Math.round(Math.max(0, this.opts.warmupFail.sample(this.opts.rng)) * SECOND);
    this.warmUntil.set(pod, warm);
    if (warm > now || pod.createdAt > this.startAt) this.podStarts.push({ pod: pod.name, revision: rev.name, createdAt: pod.createdAt, readyAt: now, warmUntil: warm });
    const ro = this.rollouts[k];
    if (ro.firstReadyAt < 0) {
      ro.firstReadyAt = now;
      if (k > this.active) {
        // blue-green: the new revision takes all traffic once it has a Ready pod
        this.active = k;
        ro.trafficAt = now;
      }
    }
  }

  /** Send a request (tag = caller's id) to the revision that has the traffic. */
  submit(tag: number): KnRequest {
    return this.current.submit(tag, this.ended[this.active]);
  }

  /** Roll out a new revision of `template` (the retrained model); traffic switches when it is Ready. */
  rollout(template: PodTemplate): LoggedRevision {
    return this.addRevision(template);
  }

  private end(r: KnRequest, revision: string): void {
    let ok = r.state === COMPLETED;
    let status = ok ? 200 : r.reason === 'pod-lost' ? 502 : 503;
    const pod = r.pod;
    if (ok && pod !== null) {
      const w = this.warmUntil.get(pod);
      if (w !== undefined && r.queueProxyIn < w) {
        ok = false;
        status = this.opts.failStatus ?? 503;
      }
    }
    this.onEnd?.(r.tag, r, { ok, status, revision, pod: pod?.name ?? '' });
  }

  /** Ready pods of every revision. */
  readyPods(): number {
    let n = 0;
    for (const r of this.revisions) n += r.readyPods;
    return n;
  }
}
