/**
 * The Deployment controller both pod-starting backends share (SimBackend on the Kubernetes
 * runtime, LocalBackend on worker processes), so that `scale`, `place` and `setCpuLimit` mean the
 * same thing on both.
 *
 * A function has desired replicas and a pod spec (node affinity, CPU limit/request, threads).
 * Changing the node affinity starts a new revision (a rollout, maxSurge 100 %): pods of the new
 * revision are created at once and the old revision's pods are deleted when the new revision
 * has all its replicas Ready (Kubernetes RollingUpdate with maxUnavailable 0). Changing CPU
 * limits resizes running pods in place (Kubernetes in-place pod resize) and applies to pods
 * created later; it is not a new revision. Scale-down victims are ranked as the ReplicaSet
 * controller does (upstream `ActivePodsWithRanks`, simplified, as runtime/deployment.ts):
 * Pending before Starting before Ready, then the most recently created first. A pod that fails
 * is replaced at the next reconcile (no CrashLoopBackOff delay: the backends' pods fail only when
 * killed).
 */
import type { PodPhaseName } from './cluster-backend.js';

/** The spec a new pod is created from. */
export interface PodLaunch {
  readonly revision: number;
  readonly node: string | null;
  readonly cpuLimitMilli: number | null;
  readonly cpuRequestMilli: number | null;
  readonly threads: number;
}

/** What the controller reads of a pod. */
export interface ControlledPod {
  readonly revision: number;
  readonly createdAt: number;
  /** Creation sequence (tie-break of equal createdAt). */
  readonly serial: number;
  readonly phase: PodPhaseName;
}

/** How the backend creates, deletes and resizes pods. */
export interface PodDriver<P extends ControlledPod> {
  create(launch: PodLaunch): P;
  /** Graceful delete: the pod goes Terminating, finishes what it holds, then ends. */
  remove(pod: P): void;
  /** In-place CPU resize of a running pod. */
  resize(pod: P, limitMilli: number | null, requestMilli: number | null): void;
}

function rank(p: ControlledPod): number {
  return p.phase === 'Pending' ? 0 : p.phase === 'Starting' ? 1 : 2;
}

/** Scale-down order: Pending < Starting < Ready, then newest first. Pure; exported for tests. */
export function victimOrder<P extends ControlledPod>(pods: readonly P[]): P[] {
  return pods.slice().sort((a, b) => rank(a) - rank(b) || b.createdAt - a.createdAt || b.serial - a.serial);
}

function counted(p: ControlledPod): boolean {
  return p.phase === 'Pending' || p.phase === 'Starting' || p.phase === 'Ready';
}

/** One function's controller. */
export class ReplicaController<P extends ControlledPod> {
  /** Pods not yet deleted (Pending, Starting, Ready), any revision. */
  readonly pods: P[] = [];
  private desired: number;
  private revision = 0;
  private spec: Omit<PodLaunch, 'revision'>;
  private reconciling = false;

  constructor(private readonly driver: PodDriver<P>, replicas: number, spec: Omit<PodLaunch, 'revision'>) {
    this.desired = replicas;
    this.spec = spec;
  }

  get replicas(): number {
    return this.desired;
  }

  get currentSpec(): PodLaunch {
    return { ...this.spec, revision: this.revision };
  }

  /** Ready pods of any revision. */
  get readyCount(): number {
    let n = 0;
    for (const p of this.pods) if (p.phase === 'Ready') n++;
    return n;
  }

  scale(n: number): void {
    this.desired = n;
    this.reconcile();
  }

  /** New node affinity: a new revision rolls out. */
  place(node: string | null): void {
    if (node === this.spec.node) return;
    this.spec = { ...this.spec, node };
    this.revision++;
    this.reconcile();
  }

  /** In-place resize of every pod, and the spec of later pods. */
  setLimits(limitMilli: number | null, requestMilli: number | null): void {
    this.spec = { ...this.spec, cpuLimitMilli: limitMilli, cpuRequestMilli: requestMilli };
    for (const p of this.pods) this.driver.resize(p, limitMilli, requestMilli);
  }

  /** A pod left the counted set by itself (failed, or ended): forget it and reconcile. */
  podGone(pod: P): void {
    const i = this.pods.indexOf(pod);
    if (i >= 0) this.pods.splice(i, 1);
    this.reconcile();
  }

  /** Bring the pods towards the desired state. Called on every change and pod event. */
  reconcile(): void {
    if (this.reconciling) return; // a driver callback during reconcile: the loop below sees it
    this.reconciling = true;
    try {
      for (let i = this.pods.length - 1; i >= 0; i--) if (!counted(this.pods[i])) this.pods.splice(i, 1);
      const cur = this.pods.filter((p) => p.revision === this.revision);
      for (let k = cur.length; k < this.desired; k++) this.pods.push(this.driver.create({ ...this.spec, revision: this.revision }));
      if (cur.length > this.desired) {
        const victims = victimOrder(cur).slice(0, cur.length - this.desired);
        for (const v of victims) this.delete(v);
      }
      let ready = 0;
      for (const p of this.pods) if (p.revision === this.revision && p.phase === 'Ready') ready++;
      if (ready >= this.desired) {
        for (const p of this.pods.slice()) if (p.revision !== this.revision) this.delete(p);
      }
    } finally {
      this.reconciling = false;
    }
  }

  /** Delete every pod (the backend is closing). */
  deleteAll(): void {
    this.desired = 0;
    for (const p of this.pods.slice()) this.delete(p);
  }

  private delete(p: P): void {
    const i = this.pods.indexOf(p);
    if (i >= 0) this.pods.splice(i, 1);
    this.driver.remove(p);
  }
}
