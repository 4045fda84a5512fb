/**
 * The Kubernetes runtime: nodes, pods and their lifecycle, and the scheduler loop.
 *
 * Pod lifecycle (platform-semantics.md §c.5): createPod → Pending in the scheduler's active
 * queue → one scheduling cycle at a time (latency drawn from the cold-start model's `scheduling`
 * phase, then KubeScheduler's filters and scores, §c.1–c.3) → bound (Starting): the
 * ColdStartManager runs sandbox, image pull (cache, serialized pulls), container create, app
 * init, model load and the readiness probe → Ready: the user container's cgroup exists on the
 * node's NodeCpu (weight from the CPU request, quota from the limit, §d.2) and its working set is
 * charged to the node's memory (OOM kill above the limit) → deletePod: Terminating (observers
 * take it out of load balancing; requests it holds may finish) until it holds nothing and its
 * drain time has passed, at most the grace period (then it is killed) → Terminated: cgroup and
 * memory released, the pod's requests leave the scheduler's node accounting.
 *
 * Unschedulable pods back off 1 s, doubling to 10 s (§c.1), and are retried at once when a pod
 * leaves the cluster (upstream moves unschedulable pods back to the active queue on such events).
 */
import { ColdStartManager, type ColdStartBreakdown, type ColdStartModel } from '../../../cluster/cold-start.js';
import { ClusterNode, type ClusterNodeOptions, type KillReason } from '../../../cluster/node.js';
import type { NodeProfile } from '../../../cluster/node-profile.js';
import { cgroupCpuSettings } from '../../../cluster/k8s-resources.js';
import type { Simulation } from '../../../core/simulation.js';
import type { RandomStream } from '../../../core/random.js';
import { SECOND, type Time } from '../../../core/time.js';
import { addPod, makeNodeInfo, podRequests, removePod } from '../scheduler/requests.js';
import { KubeScheduler } from '../scheduler/schedule.js';
import type { Container, ImageOnNode, NodeInfo, NodeSpec, PodSpec } from '../scheduler/types.js';
import { Pod } from './pod.js';
import type { PodEndReason, PodObserver, PodTemplate } from './types.js';

/** Initial and maximum scheduling backoff (`podInitialBackoffSeconds`, `podMaxBackoffSeconds`) [c.1]. */
export const POD_INITIAL_BACKOFF = 1 * SECOND;
export const POD_MAX_BACKOFF = 10 * SECOND;
/** Default terminationGracePeriodSeconds [c.5]. */
export const DEFAULT_TERMINATION_GRACE = 30 * SECOND;

export interface KubeClusterOptions {
  /** Cold-start phase model (models/cold-start/default.yaml). */
  coldStart: ColdStartModel;
  /** Scheduler (default profile: LeastAllocated spread, §c.4). */
  scheduler?: KubeScheduler;
}

/** A pod lifecycle event, for traces and property tests. */
export interface PodEvent {
  readonly time: Time;
  readonly pod: Pod;
  readonly type: 'created' | 'scheduled' | 'unschedulable' | 'ready' | 'terminating' | 'ended';
}

function podSpecOf(name: string, t: PodTemplate): PodSpec {
  const req = (r: PodTemplate['resources']): Record<string, number> => {
    const o: Record<string, number> = {};
    if (r.cpuRequestMilli !== undefined) o.cpu = r.cpuRequestMilli;
    else if (r.cpuLimitMilli !== undefined) o.cpu = r.cpuLimitMilli; // request defaults to the limit
    if (r.memoryRequestBytes !== undefined) o.memory = r.memoryRequestBytes;
    else if (r.memoryLimitBytes !== undefined) o.memory = r.memoryLimitBytes;
    return o;
  };
  const containers: Container[] = [{ name: 'user-container', image: t.image.name, requests: req(t.resources) }];
  for (const s of t.sidecars ?? []) containers.push({ name: s.name, image: `${s.name}-image`, requests: req(s.resources) });
  return {
    name, namespace: t.namespace, labels: t.labels, containers,
    nodeSelector: t.nodeSelector, affinity: t.affinity, tolerations: t.tolerations,
  };
}

/** The runtime cluster. */
export class KubeCluster {
  readonly nodes: ClusterNode[] = [];
  readonly nodeInfos: NodeInfo[] = [];
  readonly coldStart: ColdStartManager;
  readonly scheduler: KubeScheduler;
  /** Live pods (not Terminated/Failed), in creation order. */
  readonly pods = new Set<Pod>();
  /** Optional listener of every pod lifecycle event. */
  onPodEvent: ((e: PodEvent) => void) | null = null;
  /** Counters. */
  podsCreated = 0;
  schedulingCycles = 0;
  unschedulableCycles = 0;

  private readonly byName = new Map<string, number>();
  private readonly active: Pod[] = [];
  private readonly unschedulable = new Set<Pod>();
  private schedulerBusy = false;
  private nextPodId = 0;
  private readonly nameCounters = new Map<string, number>();
  private readonly schedRng: RandomStream;

  constructor(readonly sim: Simulation, opts: KubeClusterOptions) {
    this.coldStart = new ColdStartManager(sim, opts.coldStart);
    this.scheduler = opts.scheduler ?? new KubeScheduler();
    this.schedRng = sim.random.stream('k8s/scheduler');
  }

  /** Add a node from a profile. */
  addNode(profile: NodeProfile, opts: ClusterNodeOptions = {}): ClusterNode {
    const node = new ClusterNode(this.sim, profile, opts);
    if (this.byName.has(node.name)) throw new Error(`KubeCluster.addNode: node "${node.name}" already exists`);
    this.byName.set(node.name, this.nodes.length);
    this.nodes.push(node);
    this.coldStart.addNode({ name: node.name, networkBandwidth: profile.networkBandwidth, diskBandwidth: profile.diskBandwidth, imageCacheBytes: profile.imageCacheBytes });
    const cache = this.coldStart.cacheOf(node.name);
    const spec: NodeSpec = {
      name: node.name,
      labels: node.labels,
      allocatable: { cpu: node.allocatableMilliCpu, memory: node.allocatableMemoryBytes, pods: node.maxPods },
      taints: profile.taints,
      get images(): readonly ImageOnNode[] {
        return cache.list().map((n) => ({ name: n, sizeBytes: 0 }));
      },
    };
    this.nodeInfos.push(makeNodeInfo(spec));
    return node;
  }

  /** The node with this name. */
  node(name: string): ClusterNode {
    const i = this.byName.get(name);
    if (i === undefined) throw new RangeError(`KubeCluster: node: expected one of ${this.nodes.map((n) => `"${n.name}"`).join(', ')}, found "${name}"`);
    return this.nodes[i];
  }

  /** Put an image into a node's cache (as if pulled earlier). */
  preloadImage(nodeName: string, image: { name: string; bytes: number }): void {
    this.node(nodeName);
    this.coldStart.cacheOf(nodeName).add(image.name, image.bytes);
  }

  /** Create a pod from a template; it enters the scheduler queue. */
  createPod(template: PodTemplate, observer?: PodObserver): Pod {
    const pod = this.newPod(template, observer);
    this.emit(pod, 'created');
    this.enqueue(pod);
    return pod;
  }

  /**
   * Bind an already-running pod to a node, Ready at once, with no cold start (pods that exist
   * before the simulation starts: other tenants' pods, daemon sets). Its requests count on the node.
   */
  bindStaticPod(nodeName: string, template: PodTemplate, observer?: PodObserver): Pod {
    const idx = this.byName.get(nodeName);
    if (idx === undefined) this.node(nodeName); // throws with the known names
    const ni = this.nodeInfos[idx as number];
    const req = podRequests(podSpecOf(template.name, template));
    for (const k of Object.keys(req)) {
      const have = ni.node.allocatable[k] ?? 0;
      if ((ni.requested[k] ?? 0) + req[k] > have) {
        throw new RangeError(`bindStaticPod "${template.name}" on node "${nodeName}": expected requests within allocatable ${k} ${have}, found ${(ni.requested[k] ?? 0) + req[k]}`);
      }
    }
    if (ni.pods.length + 1 > (ni.node.allocatable.pods ?? 110)) throw new RangeError(`bindStaticPod "${template.name}" on node "${nodeName}": node has no pod slot left`);
    const pod = this.newPod(template, observer);
    this.emit(pod, 'created');
    this.bind(pod, idx as number);
    this.becomeReady(pod, null);
    return pod;
  }

  /** Delete a pod: Pending/Starting pods end at once; Ready pods go Terminating (graceful). */
  deletePod(pod: Pod): void {
    if (pod.phase === 'Terminating' || !pod.alive) return;
    if (pod.phase === 'Pending' || pod.phase === 'Starting') {
      if (pod.phase === 'Starting') this.coldStart.stopPod(pod.name);
      this.end(pod, 'Terminated', 'deleted-before-start');
      return;
    }
    pod.phase = 'Terminating';
    pod.terminatingAt = this.sim.now;
    this.emit(pod, 'terminating');
    pod.observer?.onPodTerminating?.(pod);
    const grace = pod.template.terminationGracePeriod ?? DEFAULT_TERMINATION_GRACE;
    const drain = Math.min(pod.template.drainTime ?? 0, grace);
    if (drain > 0) this.sim.schedule(drain, this.onDrained, pod);
    this.sim.schedule(grace, this.onGraceExpired, pod);
    if (drain === 0 && pod.held === 0) this.end(pod, 'Terminated', 'terminated');
  }

  /** Σ CPU requests of pods bound to a node (scheduler accounting), millicores. */
  requestedMilliCpu(nodeName: string): number {
    return this.nodeInfos[this.byName.get(nodeName) ?? -1]?.requested.cpu ?? 0;
  }

  /** Σ memory requests of pods bound to a node, bytes. */
  requestedMemory(nodeName: string): number {
    return this.nodeInfos[this.byName.get(nodeName) ?? -1]?.requested.memory ?? 0;
  }

  // ---- internals ----------------------------------------------------------------------

  private newPod(template: PodTemplate, observer: PodObserver | undefined): Pod {
    const n = (this.nameCounters.get(template.name) ?? 0) + 1;
    this.nameCounters.set(template.name, n);
    const name = `${template.name}-${n}`;
    validateTemplate(template);
    const pod = new Pod(this.nextPodId++, name, template, podSpecOf(name, template), observer,
      this.sim.random.stream(`workload/${template.name}`), this.sim.now, this.onPodReleased);
    this.pods.add(pod);
    this.podsCreated++;
    return pod;
  }

  private emit(pod: Pod, type: PodEvent['type']): void {
    if (this.onPodEvent !== null) this.onPodEvent({ time: this.sim.now, pod, type });
  }

  private enqueue(pod: Pod): void {
    this.active.push(pod);
    this.pump();
  }

  private pump(): void {
    if (this.schedulerBusy) return;
    while (this.active.length > 0) {
      const pod = this.active.shift() as Pod;
      if (pod.phase !== 'Pending') continue;
      this.schedulerBusy = true;
      const d = this.coldStart.model.phases.scheduling.sample(this.sim.random.stream('k8s/scheduling-latency'));
      this.sim.schedule(d > 0 ? Math.round(d * SECOND) : 0, this.attempt, pod);
      return;
    }
  }

  private readonly attempt = (pod: Pod): void => {
    this.schedulerBusy = false;
    if (pod.phase === 'Pending') {
      this.schedulingCycles++;
      const r = this.scheduler.schedule(pod.spec, this.nodeInfos, this.schedRng);
      if (r.kind === 'scheduled') {
        this.bind(pod, r.nodeIndex);
        this.emit(pod, 'scheduled');
        this.startContainers(pod);
      } else {
        this.unschedulableCycles++;
        pod.failedSchedulingAttempts++;
        pod.lastSchedulingMessage = r.message;
        this.emit(pod, 'unschedulable');
        this.unschedulable.add(pod);
        const backoff = Math.min(POD_MAX_BACKOFF, POD_INITIAL_BACKOFF * 2 ** (pod.failedSchedulingAttempts - 1));
        this.sim.schedule(backoff, this.retry, pod);
      }
    }
    this.pump();
  };

  private readonly retry = (pod: Pod): void => {
    if (!this.unschedulable.delete(pod)) return;
    if (pod.phase === 'Pending') this.enqueue(pod);
  };

  private bind(pod: Pod, nodeIndex: number): void {
    const node = this.nodes[nodeIndex];
    addPod(this.nodeInfos[nodeIndex], pod.spec);
    pod.node = node;
    pod.scheduledAt = this.sim.now;
    pod.phase = 'Starting';
    pod.configureFor(node);
  }

  private startContainers(pod: Pod): void {
    const t = pod.template;
    this.coldStart.startPod({
      pod: pod.name, node: pod.nodeName, image: t.image, pullPolicy: t.pullPolicy, runtime: t.runtime,
      modelBytes: t.modelBytes, readiness: t.readiness, skipScheduling: true,
    }, (b) => this.onColdStartDone(pod, b));
  }

  private onColdStartDone(pod: Pod, b: ColdStartBreakdown): void {
    if (pod.phase !== 'Starting') {
      this.coldStart.stopPod(pod.name);
      return;
    }
    if (b.outcome !== 'ready') {
      this.end(pod, 'Failed', 'ErrImageNeverPull');
      return;
    }
    this.becomeReady(pod, b);
  }

  private becomeReady(pod: Pod, b: ColdStartBreakdown | null): void {
    const node = pod.node as ClusterNode;
    const r = pod.template.resources;
    const cg = cgroupCpuSettings(r.cpuRequestMilli, r.cpuLimitMilli, { periodUs: pod.template.cfsPeriodUs });
    pod.cpuGroup = node.addCpuGroup({ name: pod.name, weight: cg.weight, quotaUs: cg.quotaUs, periodUs: cg.periodUs, threads: pod.threads });
    pod.coldStart = b;
    const ws = pod.template.workload.memoryWorkingSetBytes ?? 0;
    const mem = node.chargeMemory(pod.name, ws, r.memoryRequestBytes ?? 0, r.memoryLimitBytes ?? Infinity, (reason) => this.onKilled(pod, reason));
    if (mem === null) return; // OOM-killed on start
    pod.memory = mem;
    pod.phase = 'Ready';
    pod.readyAt = this.sim.now;
    this.emit(pod, 'ready');
    pod.observer?.onPodReady?.(pod);
  }

  private onKilled(pod: Pod, reason: KillReason): void {
    pod.memory = null; // the node released the charge
    if (pod.alive) this.end(pod, 'Failed', reason);
  }

  private readonly onPodReleased = (pod: Pod): void => {
    if (pod.phase === 'Terminating' && this.sim.now - pod.terminatingAt >= Math.min(pod.template.drainTime ?? 0, pod.template.terminationGracePeriod ?? DEFAULT_TERMINATION_GRACE)) {
      this.end(pod, 'Terminated', 'terminated');
    }
  };

  private readonly onDrained = (pod: Pod): void => {
    if (pod.phase === 'Terminating' && pod.held === 0) this.end(pod, 'Terminated', 'terminated');
  };

  private readonly onGraceExpired = (pod: Pod): void => {
    if (pod.phase === 'Terminating') this.end(pod, pod.held === 0 ? 'Terminated' : 'Failed', pod.held === 0 ? 'terminated' : 'grace-expired');
  };

  private end(pod: Pod, phase: 'Terminated' | 'Failed', reason: PodEndReason): void {
    const wasBound = pod.node !== null && pod.phase !== 'Pending';
    pod.phase = phase;
    pod.endReason = reason;
    pod.endedAt = this.sim.now;
    this.unschedulable.delete(pod);
    if (pod.cpuGroup !== null) {
      (pod.node as ClusterNode).removeCpuGroup(pod.cpuGroup);
      pod.cpuGroup = null;
    }
    if (pod.memory !== null) {
      (pod.node as ClusterNode).releaseMemory(pod.memory);
      pod.memory = null;
    }
    if (wasBound) {
      removePod(this.nodeInfos[this.byName.get(pod.nodeName) as number], pod.name, pod.spec.namespace ?? 'default');
      this.coldStart.stopPod(pod.name);
    }
    this.pods.delete(pod);
    this.emit(pod, 'ended');
    pod.observer?.onPodGone?.(pod, reason);
    if (wasBound && this.unschedulable.size > 0) {
      // A pod left: move the unschedulable pods back to the active queue.
      for (const p of this.unschedulable) this.active.push(p);
      this.unschedulable.clear();
      this.pump();
    }
  }
}

function validateTemplate(t: PodTemplate): void {
  const r = t.resources;
  const where = `pod template "${t.name}": resources`;
  for (const k of ['cpuRequestMilli', 'cpuLimitMilli', 'memoryRequestBytes', 'memoryLimitBytes'] as const) {
    const v = r[k];
    if (v !== undefined && (!Number.isFinite(v) || v < 0)) throw new RangeError(`${where}.${k}: expected a number ≥ 0, found ${v}`);
  }
  if (r.cpuLimitMilli !== undefined && r.cpuRequestMilli !== undefined && r.cpuRequestMilli > r.cpuLimitMilli) {
    throw new RangeError(`${where}: expected cpuRequestMilli ≤ cpuLimitMilli (${r.cpuLimitMilli}), found ${r.cpuRequestMilli}`);
  }
  if (r.memoryLimitBytes !== undefined && r.memoryRequestBytes !== undefined && r.memoryRequestBytes > r.memoryLimitBytes) {
    throw new RangeError(`${where}: expected memoryRequestBytes ≤ memoryLimitBytes (${r.memoryLimitBytes}), found ${r.memoryRequestBytes}`);
  }
}
