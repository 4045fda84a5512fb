/** Small clusters for the runtime and Knative data-path tests. */
import { fileURLToPath } from 'node:url';
import { loadColdStartModel, type ColdStartModel } from '../../../src/cluster/cold-start.js';
import { parseNodeProfile, type NodeProfile } from '../../../src/cluster/node-profile.js';
import { makeDistribution } from '../../../src/core/distributions.js';
import { Simulation } from '../../../src/core/simulation.js';
import { KubeCluster } from '../../../src/platform/kubernetes/runtime/cluster.js';
import type { PodTemplate } from '../../../src/platform/kubernetes/runtime/types.js';

export const COLD_START: ColdStartModel = loadColdStartModel(fileURLToPath(new URL('../../../models/cold-start/default.yaml', import.meta.url)));

/** A node profile with `cores` cores and `memoryGB` of memory (all provenance "test"). */
export function profile(name: string, cores: number, memoryGB = 32, taints = ''): NodeProfile {
  return parseNodeProfile(`
name: ${name}
cores: ${cores}
speed: {default: 1}
memory: ${memoryGB}GB
l3: 10MB
memoryBandwidth: 100GB/s
diskBandwidth: 500MB/s
networkBandwidth: 10Gbit/s
imageCache: 50GB
${taints}
provenance: {cores: test, speed: test, memory: test, l3: test, memoryBandwidth: test, diskBandwidth: test, networkBandwidth: test, imageCache: test}
`, `${name}.yaml`);
}

export function cluster(seed: number, nodes: { cores: number; memoryGB?: number }[]): { sim: Simulation; kc: KubeCluster } {
  const sim = new Simulation({ seed });
  const kc = new KubeCluster(sim, { coldStart: COLD_START });
  nodes.forEach((n, i) => kc.addNode(profile(`n${i}`, n.cores, n.memoryGB ?? 32)));
  return { sim, kc };
}

/** A pod template: `work` core-seconds per request on `threads` threads. */
export function template(name: string, o: { cpuReq?: number; cpuLim?: number; memReqGB?: number; memLimGB?: number; wsGB?: number; work?: number; threads?: number; imageMB?: number } = {}): PodTemplate {
  return {
    name,
    image: { name: `${name}:v1`, bytes: (o.imageMB ?? 100) * 1e6 },
    runtime: 'python',
    resources: {
      cpuRequestMilli: o.cpuReq ?? 250, cpuLimitMilli: o.cpuLim,
      memoryRequestBytes: (o.memReqGB ?? 0.5) * 1e9, memoryLimitBytes: o.memLimGB === undefined ? undefined : o.memLimGB * 1e9,
    },
    workload: { usefulWork: makeDistribution(o.work ?? 0.05), threads: o.threads ?? 1, memoryWorkingSetBytes: (o.wsGB ?? 0.2) * 1e9 },
  };
}
