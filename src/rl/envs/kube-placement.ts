/**
 * Destinations chosen by servesim's default kube-scheduler profile, for the Kubernetes-guided
 * variant and the native Kubernetes baseline (calibration-targets.md, "DRL scheduler design",
 * Action semantics and Native Kubernetes baseline).
 *
 * The scheduler sees the cluster as Kubernetes would: function pods request 100m CPU / 256 MiB
 * each (one pod per replica); the iBench stressors are Deployments whose pods request nothing
 * (one pod per occupied core, their intensity being the replica count, §4.3.1). Such BestEffort
 * pods enter scoring only through upstream's non-zero defaults (100m / 200 MiB, platform-
 * semantics.md c.3), never through their real CPU use, and node speed is invisible: the
 * scheduler is blind to interference and heterogeneity by construction (§6.2.3).
 *
 * Assumption (recorded): a unit is redeployed as a whole; its destination is the node the
 * scheduler picks for the unit's first pod (the cluster model places a function's replicas on one
 * node). The current node is not excluded unless `excludeCurrent` is set.
 */
import type { RandomStream } from '../../core/random.js';
import { addPod, KubeScheduler, makeNodeInfo, type NodeInfo, type PodSpec } from '../../platform/kubernetes/scheduler/index.js';
import type { Configuration, WorkflowTopology } from './topology.js';
import type { WorkflowNode } from './workflow-backend.js';

const MIB = 1024 * 1024;
/** Function pod request (spec suggested default): 100m CPU, 256 MiB. */
export const FUNCTION_POD_REQUESTS = Object.freeze({ cpu: 100, memory: 256 * MIB });

function functionPod(fn: string, replica: number, exclude?: string): PodSpec {
  return {
    name: `${fn.toLowerCase()}-${replica}`,
    labels: { app: fn.toLowerCase() },
    containers: [{ name: fn.toLowerCase(), image: `servesim/video-${fn.toLowerCase()}:v1`, requests: FUNCTION_POD_REQUESTS }],
    ...(exclude !== undefined ? { affinity: { nodeAffinity: { required: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'NotIn', values: [exclude] }] }] } } } : {}),
  };
}

function stressorPod(node: string, k: number): PodSpec {
  return { name: `ibench-cpu-${node}-${k}`, labels: { app: 'ibench-cpu' }, containers: [{ name: 'ibench', image: 'servesim/ibench:cpu' }] };
}

/** Places workflow pods with the kube-scheduler; keeps its rotating start index across calls. */
export class KubePlacement {
  private readonly scheduler = new KubeScheduler();

  constructor(
    private readonly topology: WorkflowTopology,
    private readonly nodes: readonly WorkflowNode[],
    private readonly rng: RandomStream,
    private readonly excludeCurrent = false,
  ) {}

  /** The scheduler's view: nodes with the workflow pods of `c` (except `skipFns`) and the stressor pods. */
  private view(c: Configuration, occupied: readonly number[], skipFns: ReadonlySet<string>): NodeInfo[] {
    const infos = this.nodes.map((n) =>
      makeNodeInfo({ name: n.name, labels: { 'kubernetes.io/hostname': n.name }, allocatable: { cpu: n.vcpus * 1000, memory: n.memoryBytes, pods: 110 } }),
    );
    this.topology.functions.forEach((f, i) => {
      if (skipFns.has(f)) return;
      const reps = this.topology.scalable.includes(f) ? c.replicas : 1;
      for (let r = 0; r < reps; r++) addPod(infos[c.fnNodes[i]], functionPod(f, r));
    });
    occupied.forEach((k, i) => {
      for (let j = 0; j < k; j++) addPod(infos[i], stressorPod(this.nodes[i].name, j));
    });
    return infos;
  }

  private pick(pod: PodSpec, infos: readonly NodeInfo[]): number {
    const r = this.scheduler.schedule(pod, infos, this.rng);
    if (r.kind !== 'scheduled') throw new Error(`kube-scheduler could not place ${pod.name}: ${r.message}`);
    return r.nodeIndex;
  }

  /**
   * Destination of unit `u` when its pods are deleted and recreated without node affinity, given
   * the current configuration and the occupied (stressor) cores per node.
   */
  destination(u: number, c: Configuration, occupied: readonly number[]): number {
    const unit = this.topology.units[u];
    const infos = this.view(c, occupied, new Set(unit.functions));
    const current = this.nodes[c.fnNodes[this.topology.functions.indexOf(unit.functions[0])]].name;
    return this.pick(functionPod(unit.functions[0], 0, this.excludeCurrent ? current : undefined), infos);
  }

  /**
   * The native baseline's deployment (§6.4.6): every function deployed in `topology.functions`
   * order, one replica each, no node affinity, onto the cluster with `occupied` stressor cores.
   */
  nativeDeployment(occupied: readonly number[]): Configuration {
    const t = this.topology;
    const infos = this.nodes.map((n) =>
      makeNodeInfo({ name: n.name, labels: { 'kubernetes.io/hostname': n.name }, allocatable: { cpu: n.vcpus * 1000, memory: n.memoryBytes, pods: 110 } }),
    );
    occupied.forEach((k, i) => {
      for (let j = 0; j < k; j++) addPod(infos[i], stressorPod(this.nodes[i].name, j));
    });
    const fnNodes = t.functions.map((f) => {
      const pod = functionPod(f, 0);
      const n = this.pick(pod, infos);
      addPod(infos[n], pod);
      return n;
    });
    return { fnNodes, replicas: 1 };
  }
}
