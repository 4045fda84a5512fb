/**
 * Verta-like container platform (study 4 Setup, suggested default "Kubernetes Deployment + HPA,
 * minReplicas 1, cluster autoscaler adding nodes when pods are Pending"):
 *
 * - a Deployment that keeps ≥ minReplicas pods (no scale to zero) and the runtime's HPA
 *   controller at the profile's CPU target (default 80 %, §c.6);
 * - each pod serves one request at a time ("1 worker per query") from its own FIFO; the
 *   ingress sends each request to the next Ready pod round-robin [assumption: ingress-nginx
 *   default round_robin]; with no Ready pod requests wait at the ingress;
 * - the model server runs its work on threads = its CPU limit (fluid), so the quota never
 *   throttles a lone request [assumption: torch intra-op threads set to the CPU allocation];
 * - cluster autoscaler: every scanInterval, pods that failed to schedule make it order enough
 *   nodes (of the pool's profile, up to `max`) to hold them; a node joins after `provisioning`.
 */
import type { RandomStream } from '../../core/random.js';
import type { Simulation } from '../../core/simulation.js';
import { SECOND } from '../../core/time.js';
import type { NodeProfile } from '../../cluster/node-profile.js';
import { KubeCluster } from '../kubernetes/runtime/cluster.js';
import { Deployment } from '../kubernetes/runtime/deployment.js';
import { HpaController } from '../kubernetes/runtime/hpa-controller.js';
import type { Pod } from '../kubernetes/runtime/pod.js';
import type { PodEndReason, PodHandle, PodObserver } from '../kubernetes/runtime/types.js';
import type { ContainerPlatformProfile, ServedModel } from './profile.js';
import { inlineNodeProfile, requestWork, type ResponseCallback, type ServingPlatform } from './serving-platform.js';

class PodQueue {
  readonly waiting: ResponseCallback[] = [];
  head = 0;
  busy = false;
  current: ResponseCallback | null = null;
  constructor(readonly pod: Pod) {}
  get length(): number {
    return this.waiting.length - this.head + (this.busy ? 1 : 0);
  }
}

export interface ContainerPlatformOptions {
  /** 'spare': enough nodes from the start (pods only); 'grow': the pool starts small and must grow. */
  nodes: 'spare' | 'grow';
}

export class ContainerPlatform implements ServingPlatform, PodObserver {
  readonly name: string;
  readonly cluster: KubeCluster;
  readonly deployment: Deployment;
  readonly hpa: HpaController;
  readonly rejected: Record<string, number> = { 'pod-lost': 0 };
  /** Nodes added by the cluster autoscaler, with the time each joined. */
  readonly nodesAdded: { time: number; name: string }[] = [];
  private readonly node: NodeProfile;
  private readonly ready: PodQueue[] = [];
  private rr = 0;
  private readonly ingress: ResponseCallback[] = [];
  private iHead = 0;
  private provisioning = 0;
  private readonly rngNode: RandomStream;
  private readonly overheadUs: number;

  constructor(readonly sim: Simulation, readonly profile: ContainerPlatformProfile, readonly model: ServedModel, distilbertWork: number, opts: ContainerPlatformOptions) {
    this.name = profile.name;
    this.cluster = new KubeCluster(sim, { coldStart: profile.coldStart });
    this.node = inlineNodeProfile(profile.nodes.profile, profile.warm.speed);
    const n0 = opts.nodes === 'spare' ? profile.nodes.spare : profile.nodes.initial;
    for (let i = 0; i < n0; i++) this.cluster.addNode(this.node, { name: `${profile.name}-${i}` });
    const milli = Math.round(profile.cpu * 1000);
    this.deployment = new Deployment(this.cluster, {
      name: model.name.toLowerCase(),
      image: { name: `${model.name.toLowerCase()}-server`, bytes: model.libraryBytes + model.modelBytes },
      runtime: 'python',
      modelBytes: model.modelBytes,
      resources: { cpuRequestMilli: milli, cpuLimitMilli: milli, memoryRequestBytes: profile.memory, memoryLimitBytes: profile.memory },
      workload: { usefulWork: requestWork(model, distilbertWork, profile.warm.sigma), threads: profile.cpu, memoryWorkingSetBytes: model.memoryBytes },
    }, { replicas: profile.minReplicas, observer: this });
    this.hpa = new HpaController(sim, this.deployment, { minReplicas: profile.minReplicas, maxReplicas: profile.maxReplicas, targetCpuUtilization: profile.targetCpuUtilization });
    this.hpa.start();
    this.rngNode = sim.random.stream(`${profile.name}/node-provisioning`);
    this.overheadUs = Math.round(profile.warm.overhead * SECOND);
    if (opts.nodes === 'grow') sim.every(profile.nodes.scanInterval, () => this.scan());
  }

  get instances(): number {
    return this.deployment.pods.length;
  }

  get coldStarts(): number {
    return this.deployment.created;
  }

  get readyPods(): number {
    return this.ready.length;
  }

  submit(done: ResponseCallback): void {
    if (this.ready.length === 0) {
      this.ingress.push(done);
      return;
    }
    const q = this.ready[this.rr++ % this.ready.length];
    this.enqueue(q, done);
  }

  private enqueue(q: PodQueue, done: ResponseCallback): void {
    q.waiting.push(done);
    this.pump(q);
  }

  private pump(q: PodQueue): void {
    if (q.busy || q.head >= q.waiting.length) return;
    q.busy = true;
    q.current = q.waiting[q.head++];
    if (q.head > 256 && q.head * 2 > q.waiting.length) {
      q.waiting.splice(0, q.head);
      q.head = 0;
    }
    q.pod.hold();
    q.pod.execute(this.executed, q);
  }

  private readonly executed = (q: PodQueue): void => {
    const done = q.current as ResponseCallback;
    q.current = null;
    q.busy = false;
    q.pod.release();
    this.sim.schedule(this.overheadUs, done, true);
    this.pump(q);
  };

  onPodReady(h: PodHandle): void {
    const q = new PodQueue(h as Pod);
    (h as Pod).ownerData = q;
    this.ready.push(q);
    while (this.iHead < this.ingress.length) this.enqueue(this.ready[this.rr++ % this.ready.length], this.ingress[this.iHead++]);
  }

  onPodTerminating(h: PodHandle): void {
    const i = this.ready.indexOf((h as Pod).ownerData as PodQueue);
    if (i >= 0) this.ready.splice(i, 1);
    // requests still waiting in its FIFO are moved to the other pods (the pod drains what runs)
    const q = (h as Pod).ownerData as PodQueue;
    const moved = q.waiting.slice(q.head);
    q.waiting.length = 0;
    q.head = 0;
    for (const d of moved) this.submit(d);
  }

  onPodGone(h: PodHandle, reason: PodEndReason): void {
    const q = (h as Pod).ownerData as PodQueue | undefined;
    if (q === undefined) return;
    const i = this.ready.indexOf(q);
    if (i >= 0) this.ready.splice(i, 1);
    if (reason !== 'terminated' && q.current !== null) {
      this.rejected['pod-lost']++;
      q.current(false);
      q.current = null;
    }
    const moved = q.waiting.slice(q.head);
    q.waiting.length = 0;
    for (const d of moved) this.submit(d);
  }

  /** One cluster-autoscaler scan. */
  private scan(): void {
    let pending = 0;
    for (const p of this.deployment.pods) if (p.phase === 'Pending' && p.failedSchedulingAttempts > 0) pending++;
    const perNode = Math.max(1, Math.floor((this.node.cores * 1000) / Math.round(this.profile.cpu * 1000)));
    const need = Math.ceil(pending / perNode) - this.provisioning;
    const room = this.profile.nodes.max - this.cluster.nodes.length - this.provisioning;
    for (let i = 0; i < Math.min(need, room); i++) {
      this.provisioning++;
      const d = this.profile.nodes.provisioning.sample(this.rngNode);
      this.sim.schedule(Math.round(Math.max(0, d) * SECOND), this.nodeJoins, undefined);
    }
  }

  private readonly nodeJoins = (): void => {
    this.provisioning--;
    const name = `${this.profile.name}-${this.cluster.nodes.length}`;
    this.cluster.addNode(this.node, { name });
    this.nodesAdded.push({ time: this.sim.now, name });
  };
}
