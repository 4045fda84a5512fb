/**
 * Connects the interference model (src/cluster/interference.ts) to the CPU model for workflow
 * pods, and runs iBench-like stressors on nodes (study 5 Setup "interference", "CPU-pressure
 * level"; modelling notes 2–3).
 *
 * - Each workflow pod is a member of its node's NodeInterference while it runs phases: its demand
 *   is its class profile at the threads it runs (capped by the node's cores); its cgroup's speed
 *   factor is 1 / its slowdown from the co-runners' L3 / memory-bandwidth (and non-time cpu)
 *   pressure. Recomputed on every change of the node's membership or loads.
 * - A stressor of kind cpu / l3 / membw at a level occupies `ibenchStressor(...).threads` busy
 *   threads, each its own container cgroup (a Deployment replica) running an endless one-thread
 *   job, so CPU pressure is real CPU-time contention under the CFS model (modelling note 2 (a)),
 *   and exerts its demand on the node's shared resources. The N replicas are simulated as one
 *   cgroup with N threads and N× the weight: under weighted water-filling each of N equal
 *   one-thread groups gets min(1, λw) and the merged group min(N, λNw) = N·min(1, λw), the same
 *   CPU for the stressor and for everyone else; one group instead of N keeps every CPU
 *   recomputation and telemetry tick on a pressured node cheap (a 75 % stressor on w03 is 24 threads).
 *   [assumption] the stressor containers request one CPU each (weight of a 1000m request), so a
 *   stressor thread keeps its core against function pods (iBench runs at its set intensity);
 *   they start instantly (DRL design, suggested default).
 */
import { cgroupCpuSettings } from '../../cluster/k8s-resources.js';
import type { CpuGroup } from '../../cluster/cpu/node-cpu.js';
import {
  NodeInterference, ibenchStressor, workloadProfile,
  type InterferenceModel, type StressorKind, type StressorLoad, type WorkloadInterferenceProfile,
} from '../../cluster/interference.js';
import type { ClusterNode } from '../../cluster/node.js';

interface PodMember {
  id: number;
  group: CpuGroup;
  cls: string;
  /** Interference profile of `cls` (resolved once). */
  profile: WorkloadInterferenceProfile;
  threads: number;
  factor: number;
}

interface NodeState {
  node: ClusterNode;
  ni: NodeInterference;
  pods: Map<number, PodMember>;
  stressors: Map<number, { load: StressorLoad; groups: CpuGroup[] }>;
}

/** CFS weight of a stressor container: a 1000m request (k8s-resources, log map). */
export const STRESSOR_WEIGHT = cgroupCpuSettings(1000, undefined).weight;

let nextStressorId = 1_000_000_000;

export class InterferenceBinder {
  private readonly nodes = new Map<string, NodeState>();
  /** Count of membership / load changes on any node (telemetry caches pressures by it). */
  version = 0;

  constructor(readonly model: InterferenceModel) {}

  private state(node: ClusterNode): NodeState {
    let s = this.nodes.get(node.name);
    if (s === undefined) {
      const p = node.profile;
      s = { node, ni: new NodeInterference({ cores: p.cores, l3Bytes: p.l3Bytes, memoryBandwidth: p.memoryBandwidth }, this.model.curves), pods: new Map(), stressors: new Map() };
      this.nodes.set(node.name, s);
    }
    return s;
  }

  /** Change the running threads of a pod (its cgroup `group`) on `node` by `delta` (a phase started or ended). */
  podLoad(node: ClusterNode, podId: number, group: CpuGroup, cls: string, delta: number): void {
    const s = this.state(node);
    let m = s.pods.get(podId);
    if (m === undefined) {
      m = { id: podId, group, cls, profile: workloadProfile(this.model, cls), threads: 0, factor: 1 };
      s.pods.set(podId, m);
    } else if (m.cls !== cls) {
      m.cls = cls;
      m.profile = workloadProfile(this.model, cls);
    }
    m.threads += delta;
    if (m.threads <= 1e-9) {
      m.threads = 0;
      s.ni.remove(podId);
    } else {
      // workloadDemand(prof, min(threads, cores)), without allocating
      const prof = m.profile;
      const busy = Math.min(m.threads, node.cores);
      s.ni.setDemand(podId, busy, prof.l3Footprint, prof.membwPerCore * busy, prof.sensitivity);
    }
    this.apply(s);
  }

  /** Forget a pod (its cgroup is gone). */
  podGone(node: ClusterNode, podId: number): void {
    const s = this.nodes.get(node.name);
    if (s === undefined) return;
    s.pods.delete(podId);
    s.ni.remove(podId);
    this.apply(s);
  }

  /** Start a stressor on `node`; returns its id. */
  addStressor(node: ClusterNode, kind: StressorKind, level: number): number {
    const s = this.state(node);
    const load = ibenchStressor(kind, level, node.cores, this.model.stressors);
    const id = nextStressorId++;
    const groups: CpuGroup[] = [];
    if (load.threads > 0) {
      // N one-thread replicas of weight w ≡ one group of N threads and weight N·w (see the header)
      const g = node.addCpuGroup({ name: `ibench-${kind}-${id}`, weight: STRESSOR_WEIGHT * load.threads, threads: load.threads });
      g.submit(Infinity, { threads: load.threads });
      groups.push(g);
    }
    s.stressors.set(id, { load, groups });
    if (load.threads > 0) s.ni.set(id, { demand: load.demand, sensitivity: workloadProfile(this.model, 'stressor').sensitivity });
    this.apply(s);
    return id;
  }

  /** Stop a stressor (no-op for an unknown id). */
  removeStressor(node: ClusterNode, id: number): void {
    const s = this.nodes.get(node.name);
    const st = s?.stressors.get(id);
    if (s === undefined || st === undefined) return;
    for (const g of st.groups) node.removeCpuGroup(g);
    s.stressors.delete(id);
    s.ni.remove(id);
    this.apply(s);
  }

  /** Stressors currently on `node`. */
  stressorsOn(nodeName: string): StressorLoad[] {
    const s = this.nodes.get(nodeName);
    return s === undefined ? [] : [...s.stressors.values()].map((x) => x.load);
  }

  /** Threads occupied by stressors on `node`. */
  stressorThreads(nodeName: string): number {
    let t = 0;
    for (const l of this.stressorsOn(nodeName)) t += l.threads;
    return t;
  }

  /** The node's interference state (for telemetry); undefined before first use. */
  interferenceOf(nodeName: string): NodeInterference | undefined {
    return this.nodes.get(nodeName)?.ni;
  }

  /** Current slowdown factor of a pod (1 when idle or unknown). */
  slowdownOf(nodeName: string, podId: number): number {
    const m = this.nodes.get(nodeName)?.pods.get(podId);
    return m === undefined ? 1 : 1 / m.factor;
  }

  private apply(s: NodeState): void {
    this.version++;
    for (const m of s.pods.values()) {
      if (m.group.index < 0) {
        s.pods.delete(m.id);
        s.ni.remove(m.id);
        continue;
      }
      const f = 1 / s.ni.slowdownOf(m.id);
      if (Math.abs(f - m.factor) > 1e-12) {
        m.factor = f;
        m.group.setSpeedFactor(f);
      }
    }
  }
}
