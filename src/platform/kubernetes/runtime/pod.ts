/**
 * A pod of the runtime: its phase and timestamps, its node, its cgroup on the node's NodeCpu,
 * its memory charge, and `execute`, which runs one request of its workload as a CPU job in its
 * cgroup (threads and parallel efficiency from the workload, quota from the CPU limit).
 *
 * Owners keep a pod from finishing a graceful termination by holding it (`hold`/`release`: the
 * requests it has accepted, queued or executing). Lifecycle transitions are made by KubeCluster.
 */
import type { ColdStartBreakdown } from '../../../cluster/cold-start.js';
import type { CpuGroup, CpuJob } from '../../../cluster/cpu/node-cpu.js';
import { requestCpuWork, serverThreads } from '../../../cluster/cpu/parallel-overhead.js';
import type { MemoryCharge } from '../../../cluster/node.js';
import type { ClusterNode } from '../../../cluster/node.js';
import type { RandomStream } from '../../../core/random.js';
import type { Time } from '../../../core/time.js';
import type { PodSpec } from '../scheduler/types.js';
import type { PodEndReason, PodHandle, PodObserver, PodPhase, PodTemplate } from './types.js';

/** A pod. Created by KubeCluster.createPod / bindStaticPod. */
export class Pod implements PodHandle {
  phase: PodPhase = 'Pending';
  node: ClusterNode | null = null;
  /** Times in µs; −1 until reached. */
  createdAt: Time;
  scheduledAt: Time = -1;
  readyAt: Time = -1;
  terminatingAt: Time = -1;
  endedAt: Time = -1;
  endReason: PodEndReason | null = null;
  /** Per-phase cold-start record (set when the pod became Ready through a cold start). */
  coldStart: ColdStartBreakdown | null = null;
  /** Scheduling attempts that found no node. */
  failedSchedulingAttempts = 0;
  /** Last unschedulable message (e.g. "0/3 nodes are available: 3 Insufficient cpu."). */
  lastSchedulingMessage = '';
  /** The user container's cgroup while the container exists. */
  cpuGroup: CpuGroup | null = null;
  memory: MemoryCharge | null = null;
  /** Threads per request on this pod's node (set at bind). */
  threads = 1;
  /** CPU work per core-µs of useful work (1 / (1 − waste)); set at bind. */
  workFactor = 1;
  /** Requests accepted and not yet finished (queued or executing). */
  held = 0;
  /** Requests whose execution started (execute calls). */
  served = 0;
  /** Opaque slot for the owner (e.g. the data path's per-pod state). */
  ownerData: unknown = undefined;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly template: PodTemplate,
    readonly spec: PodSpec,
    readonly observer: PodObserver | undefined,
    private readonly rng: RandomStream,
    now: Time,
    private readonly onRelease: (pod: Pod) => void,
  ) {
    this.createdAt = now;
  }

  get nodeName(): string {
    return this.node === null ? '' : this.node.name;
  }

  get isReady(): boolean {
    return this.phase === 'Ready';
  }

  /** Not Terminated/Failed. */
  get alive(): boolean {
    return this.phase !== 'Terminated' && this.phase !== 'Failed';
  }

  /** CPU limit in cores (Infinity without a limit). */
  get limitCores(): number {
    const l = this.template.resources.cpuLimitMilli;
    return l === undefined || l === 0 ? Infinity : l / 1000;
  }

  /** Set threads and work factor for the node the pod is bound to. */
  configureFor(node: ClusterNode): void {
    const w = this.template.workload;
    const limit = this.limitCores;
    if (typeof w.threads === 'number') {
      if (!(w.threads > 0)) throw new RangeError(`pod "${this.name}": workload.threads: expected > 0, found ${w.threads}`);
      this.threads = w.threads;
    } else this.threads = serverThreads(node.cores, limit, w.threads === 'cpu-aware');
    this.workFactor = w.overhead === undefined ? 1 : requestCpuWork(1, this.threads, limit, w.overhead);
  }

  /** Draw one request's CPU work, core-µs at speed 1. */
  drawWork(): number {
    const u = this.template.workload.usefulWork;
    const s = typeof u === 'number' ? u : u.sample(this.rng);
    return (s > 0 ? s : 0) * 1e6 * this.workFactor;
  }

  /**
   * Run one request of the workload now as a CPU job in the pod's cgroup; `onDone(arg)` when
   * its work is done. Throws unless the pod has a container (Ready or Terminating).
   * `workCoreUs` overrides the drawn work (core-µs at speed 1, before the work factor is applied).
   */
  execute<T>(onDone: (arg: T) => void, arg: T, workCoreUs?: number): CpuJob<T> {
    const g = this.cpuGroup;
    if (g === null) throw new Error(`pod "${this.name}": execute: expected a running container (phase Ready or Terminating), found phase ${this.phase}`);
    const work = workCoreUs === undefined ? this.drawWork() : workCoreUs * this.workFactor;
    this.served++;
    return g.submitJob(work, this.threads, onDone, arg);
  }

  /** Count a request the pod has accepted (keeps a Terminating pod alive until released). */
  hold(): void {
    this.held++;
  }

  /** Release a request accepted with hold(). */
  release(): void {
    if (this.held <= 0) throw new Error(`pod "${this.name}": release without a matching hold`);
    this.held--;
    if (this.held === 0 && this.phase === 'Terminating') this.onRelease(this);
  }
}
