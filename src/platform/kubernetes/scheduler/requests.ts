/**
 * Pod resource requests as the scheduler computes them, and NodeInfo bookkeeping.
 *
 * Sources: platform-semantics.md c.2 (pod request = max(Σ app, max init) + overhead; the filter
 * uses actual requests) and c.3 (non-zero defaults 100 mCPU and 200 MiB for scoring,
 * `GetNonzeroRequests`).
 */
import type { Container, NodeInfo, NodeSpec, PodSpec, ResourceList } from './types.js';

/** Non-zero default CPU request for scoring, millicores [c.3]. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** Non-zero default memory request for scoring, bytes (200 MiB) [c.3]. */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;
/** kubelet maxPods default [c.2]. */
export const DEFAULT_MAX_PODS = 110;

function addInto(acc: Record<string, number>, r: ResourceList | undefined): void {
  if (!r) return;
  for (const k of Object.keys(r)) acc[k] = (acc[k] ?? 0) + r[k];
}

function maxInto(acc: Record<string, number>, r: ResourceList | undefined): void {
  if (!r) return;
  for (const k of Object.keys(r)) acc[k] = Math.max(acc[k] ?? 0, r[k]);
}

/** Effective actual request of a pod: max(Σ app containers, max init container) + overhead [c.2]. */
export function podRequests(pod: PodSpec): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const c of pod.containers) addInto(sum, c.requests);
  for (const c of pod.initContainers ?? []) maxInto(sum, c.requests);
  addInto(sum, pod.overhead);
  return sum;
}

function nonZero(c: Container, key: 'cpu' | 'memory'): number {
  const r = c.requests;
  if (r === undefined || r[key] === undefined) return key === 'cpu' ? DEFAULT_MILLI_CPU_REQUEST : DEFAULT_MEMORY_REQUEST;
  return r[key];
}

/** Effective non-zero (cpu, memory) request used by LeastAllocated/MostAllocated [c.3]. */
export function podNonZeroRequests(pod: PodSpec): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of pod.containers) {
    cpu += nonZero(c, 'cpu');
    memory += nonZero(c, 'memory');
  }
  for (const c of pod.initContainers ?? []) {
    cpu = Math.max(cpu, nonZero(c, 'cpu'));
    memory = Math.max(memory, nonZero(c, 'memory'));
  }
  cpu += pod.overhead?.cpu ?? 0;
  memory += pod.overhead?.memory ?? 0;
  return { cpu, memory };
}

/** True when no container requests cpu or memory (a BestEffort pod, approximately). */
export function isBestEffort(pod: PodSpec): boolean {
  const all = [...pod.containers, ...(pod.initContainers ?? [])];
  return all.every((c) => !c.requests || ((c.requests.cpu ?? 0) === 0 && (c.requests.memory ?? 0) === 0));
}

/** Build a NodeInfo from a node and the pods already bound to it. */
export function makeNodeInfo(node: NodeSpec, pods: readonly PodSpec[] = []): NodeInfo {
  validateNode(node);
  const ni: NodeInfo = { node, pods: [], requested: {}, nonZeroRequested: { cpu: 0, memory: 0 } };
  for (const p of pods) addPod(ni, p);
  return ni;
}

/** Account a pod on a node (after binding). */
export function addPod(ni: NodeInfo, pod: PodSpec): void {
  ni.pods.push(pod);
  addInto(ni.requested, podRequests(pod));
  const nz = podNonZeroRequests(pod);
  ni.nonZeroRequested.cpu += nz.cpu;
  ni.nonZeroRequested.memory += nz.memory;
}

/** Remove a pod (by name and namespace) from a node; returns false if it was not there. */
export function removePod(ni: NodeInfo, podName: string, namespace = 'default'): boolean {
  const i = ni.pods.findIndex((p) => p.name === podName && (p.namespace ?? 'default') === namespace);
  if (i < 0) return false;
  const pod = ni.pods[i];
  ni.pods.splice(i, 1);
  const r = podRequests(pod);
  for (const k of Object.keys(r)) ni.requested[k] -= r[k];
  const nz = podNonZeroRequests(pod);
  ni.nonZeroRequested.cpu -= nz.cpu;
  ni.nonZeroRequested.memory -= nz.memory;
  return true;
}

/** Allocatable pod count of a node (default 110). */
export function allocatablePods(node: NodeSpec): number {
  return node.allocatable.pods ?? DEFAULT_MAX_PODS;
}

function validateNode(node: NodeSpec): void {
  for (const k of ['cpu', 'memory']) {
    const v = node.allocatable[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new Error(`node "${node.name}".allocatable.${k}: expected a number ≥ 0, found ${JSON.stringify(v)}`);
    }
  }
}
