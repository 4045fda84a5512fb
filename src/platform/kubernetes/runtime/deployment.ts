/**
 * A Deployment with its (single) ReplicaSet: keeps `replicas` live pods of one template.
 * Rolling updates are not modelled (one template per Deployment), so the ReplicaSet is folded in.
 *
 * A pod deleted from outside is replaced at once (the ReplicaSet controller sees too few pods).
 * Scale-down picks victims as the ReplicaSet controller ranks pods (upstream
 * `controller.ActivePodsWithRanks`, simplified): unscheduled before scheduled, not Ready before
 * Ready, then the most recently created first. Terminating pods do not count towards replicas.
 * A pod that fails (OOM kill, grace expiry, ErrImageNeverPull) is replaced after a restart
 * backoff of 10 s (kubelet's initial CrashLoopBackOff) while the replica count still wants it.
 */
import { SECOND, type Time } from '../../../core/time.js';
import type { KubeCluster } from './cluster.js';
import type { Pod } from './pod.js';
import type { PodEndReason, PodHandle, PodObserver, PodTemplate } from './types.js';

/** Replacement delay of a failed pod (kubelet initial CrashLoopBackOff, 10 s). */
export const FAILED_POD_REPLACEMENT_DELAY = 10 * SECOND;

export interface DeploymentOptions {
  /** Initial replicas (default 0). */
  replicas?: number;
  /** Told about every pod of the deployment. */
  observer?: PodObserver;
}

function phaseRank(p: Pod): number {
  return p.phase === 'Pending' ? 0 : p.phase === 'Starting' ? 1 : 2;
}

/** A Deployment (+ ReplicaSet). */
export class Deployment implements PodObserver {
  /** Pods counted towards replicas (Pending, Starting, Ready), creation order. */
  readonly pods: Pod[] = [];
  /** Ready pods, in the order they became Ready. */
  readonly readyPods: Pod[] = [];
  /** Pods that are Terminating. */
  terminating = 0;
  /** Pods created so far (cold starts begun). */
  created = 0;
  private want = 0;
  private replacementPending = 0;
  private readonly observer: PodObserver | undefined;

  constructor(readonly cluster: KubeCluster, readonly template: PodTemplate, opts: DeploymentOptions = {}) {
    this.observer = opts.observer;
    this.setReplicas(opts.replicas ?? 0);
  }

  get name(): string {
    return this.template.name;
  }

  /** spec.replicas. */
  get replicas(): number {
    return this.want;
  }

  get readyCount(): number {
    return this.readyPods.length;
  }

  /** Set spec.replicas and reconcile (create or delete pods at once). */
  setReplicas(n: number): void {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`deployment "${this.name}": replicas: expected an integer ≥ 0, found ${n}`);
    this.want = n;
    this.reconcile();
  }

  private reconcile(): void {
    const have = this.pods.length + this.replacementPending;
    if (have < this.want) {
      for (let i = have; i < this.want; i++) this.createOne();
    } else if (this.pods.length > this.want) {
      const victims = this.pods.slice().sort((a, b) => phaseRank(a) - phaseRank(b) || b.createdAt - a.createdAt || b.id - a.id);
      const k = this.pods.length - this.want;
      for (let i = 0; i < k; i++) this.cluster.deletePod(victims[i]);
    }
  }

  private createOne(): void {
    this.created++;
    this.pods.push(this.cluster.createPod(this.template, this));
  }

  private drop(pod: Pod): void {
    const i = this.pods.indexOf(pod);
    if (i >= 0) this.pods.splice(i, 1);
    const j = this.readyPods.indexOf(pod);
    if (j >= 0) this.readyPods.splice(j, 1);
  }

  onPodReady(pod: PodHandle): void {
    this.readyPods.push(pod as Pod);
    this.observer?.onPodReady?.(pod);
  }

  onPodTerminating(pod: PodHandle): void {
    this.drop(pod as Pod);
    this.terminating++;
    this.observer?.onPodTerminating?.(pod);
    // A pod deleted from outside (not by a scale-down) is replaced, as the ReplicaSet controller does.
    if (this.pods.length + this.replacementPending < this.want) this.reconcile();
  }

  onPodGone(pod: PodHandle, reason: PodEndReason): void {
    const p = pod as Pod;
    if (p.terminatingAt >= 0) this.terminating--;
    const counted = this.pods.includes(p);
    this.drop(p);
    this.observer?.onPodGone?.(pod, reason);
    if (counted && reason !== 'deleted-before-start' && reason !== 'terminated') {
      this.replacementPending++;
      this.cluster.sim.schedule(FAILED_POD_REPLACEMENT_DELAY, this.replace, undefined);
    }
  }

  private readonly replace = (): void => {
    this.replacementPending--;
    if (this.pods.length < this.want) this.createOne();
  };

  /** Age helper for observers: µs since the pod became Ready (−1 if not Ready). */
  readyFor(pod: Pod, now: Time): Time {
    return pod.readyAt < 0 ? -1 : now - pod.readyAt;
  }
}
