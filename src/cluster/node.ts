/**
 * A runtime node of the simulated cluster: its hardware profile, its fluid CPU (NodeCpu, one
 * cgroup per container), memory accounting with OOM kills, its daemon load and what the kubelet
 * offers to pods (allocatable).
 *
 * Memory (platform-semantics.md §c.2; issue 3 item 2): every container charges a working set to
 * the node. A container whose working set exceeds its memory limit is OOM-killed by the kernel
 * (the cgroup's OOM killer); when the node's total working set exceeds its physical memory, the
 * node OOM killer kills the container with the largest working set above its request (the
 * kernel's oom_score favours the largest memory user; Burstable/BestEffort first through
 * oom_score_adj — approximated by "usage above request"). Kills are reported to the callback the
 * container registered; the runtime turns them into pod failures and restarts.
 *
 * The image cache of the node lives in the ColdStartManager (it pins images of running pods);
 * `ClusterNode` only names the node there.
 */
import type { Simulation } from '../core/simulation.js';
import { NodeCpu, type CpuGroup, type CpuGroupOptions } from './cpu/node-cpu.js';
import { addDaemonLoad } from './cpu/daemon-load.js';
import { speedFor, type NodeProfile } from './node-profile.js';

/** Default kubelet maxPods (platform-semantics.md §c.2). */
export const DEFAULT_MAX_PODS = 110;

export interface ClusterNodeOptions {
  /** Node name (unique in the cluster); default the profile's name. */
  name?: string;
  /** Constant CPU demand of OS and Kubernetes daemons, cores (study 1 Setup: 0.1–0.2 on the dedicated node). Default 0. */
  daemonCores?: number;
  /** CPU reserved from allocatable (kube-reserved + system-reserved), millicores. Default 0. */
  reservedMilliCpu?: number;
  /** Memory reserved from allocatable, bytes. Default 0. */
  reservedMemoryBytes?: number;
  /** kubelet maxPods; default 110 (§c.2). */
  maxPods?: number;
  /** Workload class whose speed the node's CPU runs at (profile `speed.classes`); default the profile default. */
  workloadClass?: string;
  /** Extra labels on top of the profile's. */
  labels?: Readonly<Record<string, string>>;
}

/** Why a container was killed. */
export type KillReason = 'OOMKilled' | 'NodeOOM';

/** A container's memory charge on a node. */
export interface MemoryCharge {
  readonly owner: string;
  /** Working set, bytes. */
  usage: number;
  /** Memory request, bytes (0 = none). */
  readonly request: number;
  /** Memory limit, bytes (Infinity = none). */
  readonly limit: number;
  /** Called once when the container is killed (after its charge was released). */
  readonly onKill: (reason: KillReason) => void;
  /** −1 once released. */
  slot: number;
}

/** One node of the simulated cluster. */
export class ClusterNode {
  readonly name: string;
  readonly cpu: NodeCpu;
  readonly labels: Readonly<Record<string, string>>;
  /** Allocatable CPU, millicores (cores × 1000 − reserved). */
  readonly allocatableMilliCpu: number;
  /** Allocatable memory, bytes. */
  readonly allocatableMemoryBytes: number;
  readonly maxPods: number;
  /** Daemon CPU group (undefined when the daemon load is 0). */
  readonly daemons: CpuGroup | undefined;
  /** Containers killed for memory so far. */
  oomKills = 0;
  private readonly charges: MemoryCharge[] = [];
  private memoryUsed = 0;
  private retiredUsage = 0;

  constructor(readonly sim: Simulation, readonly profile: NodeProfile, opts: ClusterNodeOptions = {}) {
    this.name = opts.name ?? profile.name;
    this.cpu = new NodeCpu(sim, { cores: profile.cores, speed: speedFor(profile, opts.workloadClass), name: this.name });
    this.labels = { ...profile.labels, 'kubernetes.io/hostname': this.name, ...opts.labels };
    const reservedCpu = opts.reservedMilliCpu ?? 0;
    const reservedMem = opts.reservedMemoryBytes ?? 0;
    if (!(reservedCpu >= 0 && reservedCpu < profile.cores * 1000)) {
      throw new RangeError(`node "${this.name}": reservedMilliCpu: expected in [0, ${profile.cores * 1000}), found ${reservedCpu}`);
    }
    if (!(reservedMem >= 0 && reservedMem < profile.memoryBytes)) {
      throw new RangeError(`node "${this.name}": reservedMemoryBytes: expected in [0, ${profile.memoryBytes}), found ${reservedMem}`);
    }
    this.allocatableMilliCpu = profile.cores * 1000 - reservedCpu;
    this.allocatableMemoryBytes = profile.memoryBytes - reservedMem;
    this.maxPods = opts.maxPods ?? DEFAULT_MAX_PODS;
    if (!Number.isInteger(this.maxPods) || this.maxPods < 1) throw new RangeError(`node "${this.name}": maxPods: expected an integer ≥ 1, found ${this.maxPods}`);
    this.daemons = addDaemonLoad(this.cpu, opts.daemonCores ?? 0);
  }

  /** Cores a container on this node sees (every core: containers are not CPU-aware by default, study 1 CT1-16). */
  get cores(): number {
    return this.profile.cores;
  }

  /** Total working set charged, bytes. */
  get memoryUsedBytes(): number {
    return this.memoryUsed;
  }

  /** Add a container cgroup to the node's CPU. */
  addCpuGroup(opts: CpuGroupOptions): CpuGroup {
    return this.cpu.addGroup(opts);
  }

  /** Remove a container cgroup (its running jobs are dropped); its CPU usage stays in cpuUsageUs(). */
  removeCpuGroup(g: CpuGroup): void {
    this.retiredUsage += this.cpu.usageOf(g);
    this.cpu.removeGroup(g);
  }

  /** CPU-µs used on this node so far by every cgroup, present and removed (daemons included). */
  cpuUsageUs(): number {
    let s = this.retiredUsage;
    for (const g of this.cpu.groups) s += this.cpu.usageOf(g);
    return s;
  }

  /**
   * Charge a container's working set. Returns the charge, or kills at once (onKill is called
   * before returning null) when the working set exceeds the container's limit. A node over its
   * memory kills victims by the rule in the file comment.
   */
  chargeMemory(owner: string, usageBytes: number, requestBytes: number, limitBytes: number, onKill: (reason: KillReason) => void): MemoryCharge | null {
    if (!(usageBytes >= 0) || !Number.isFinite(usageBytes)) {
      throw new RangeError(`node "${this.name}": chargeMemory(${owner}): expected a working set ≥ 0 bytes, found ${usageBytes}`);
    }
    if (usageBytes > limitBytes) {
      this.oomKills++;
      onKill('OOMKilled');
      return null;
    }
    const c: MemoryCharge = { owner, usage: usageBytes, request: requestBytes, limit: limitBytes, onKill, slot: this.charges.length };
    this.charges.push(c);
    this.memoryUsed += usageBytes;
    this.relieveMemoryPressure();
    return c;
  }

  /** Release a charge (container stopped); false if it was already released. */
  releaseMemory(c: MemoryCharge): boolean {
    if (c.slot < 0) return false;
    const last = this.charges.pop() as MemoryCharge;
    if (last !== c) {
      this.charges[c.slot] = last;
      last.slot = c.slot;
    }
    c.slot = -1;
    this.memoryUsed -= c.usage;
    return true;
  }

  /** Kill containers while the node's working set exceeds its physical memory. */
  private relieveMemoryPressure(): void {
    while (this.memoryUsed > this.profile.memoryBytes && this.charges.length > 0) {
      let victim = this.charges[0];
      for (const c of this.charges) {
        const over = c.usage - c.request;
        const vOver = victim.usage - victim.request;
        if (over > vOver || (over === vOver && c.owner > victim.owner)) victim = c;
      }
      this.releaseMemory(victim);
      this.oomKills++;
      victim.onKill('NodeOOM');
    }
  }
}
