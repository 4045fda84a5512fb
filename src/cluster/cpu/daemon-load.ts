/**
 * OS and Kubernetes daemons on a node as a constant fluid CPU demand (study 1 modelling note 1:
 * the small 4 → 8 core loss on the dedicated node is daemons taking part of the cores; suggested
 * default 0.1–0.2 cores on average). One group, no quota, weight of `system.slice` (cgroup v2
 * default 100, platform-semantics §d.2), running an endless job whose thread count is the demand.
 */
import type { CpuGroup, NodeCpu } from './node-cpu.js';
import { DEFAULT_WEIGHT } from '../k8s-resources.js';

export function addDaemonLoad(cpu: NodeCpu, cores: number, weight: number = DEFAULT_WEIGHT): CpuGroup | undefined {
  if (!(cores >= 0) || !Number.isFinite(cores)) throw new RangeError(`addDaemonLoad: expected daemon cores ≥ 0, found ${cores}`);
  if (cores === 0) return undefined;
  const g = cpu.addGroup({ name: 'system-daemons', weight });
  g.submit(Infinity, { threads: cores });
  return g;
}
