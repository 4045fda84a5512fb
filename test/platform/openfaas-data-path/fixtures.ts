/** Deterministic small clusters for the OpenFaaS data-path tests (constant cold-start phases). */
import { parseColdStartModel } from '../../../src/cluster/cold-start.js';
import { parseNodeProfile } from '../../../src/cluster/node-profile.js';
import { Simulation } from '../../../src/core/simulation.js';
import { KubeCluster } from '../../../src/platform/kubernetes/runtime/cluster.js';
import type { PodTemplate } from '../../../src/platform/kubernetes/runtime/types.js';
import { OpenFaas, type OpenFaasOptions } from '../../../src/platform/openfaas/index.js';

/** Constant phases: scheduling 10 ms, sandbox 0.5 s, manifest check 0.1 s, create 0.2 s, python init 0.5 s. */
export const CONSTANT_COLD_START = parseColdStartModel(`
phases:
  scheduling: 0.01
  sandbox: 0.5
  registryLatency: 0.2
  manifestCheck: 0.1
  containerCreate: 0.2
  modelLoadOverhead: 0.1
runtimes: {python: 0.5}
image: {registryBandwidth: 100MB/s, extractBandwidth: 200MB/s}
kubelet: {serializeImagePulls: true}
provenance: {all: test}
`, 'test-cold-start');

export function node(name: string, cores: number) {
  return parseNodeProfile(`
name: ${name}
cores: ${cores}
speed: {default: 1}
memory: 64GB
l3: 10MB
memoryBandwidth: 100GB/s
diskBandwidth: 500MB/s
networkBandwidth: 10Gbit/s
imageCache: 50GB
provenance: {cores: test, speed: test, memory: test, l3: test, memoryBandwidth: test, diskBandwidth: test, networkBandwidth: test, imageCache: test}
`, `${name}.yaml`);
}

export const IMAGE = { name: 'fn:latest', bytes: 100e6 };

/** A function template: `work` core-seconds per call on one thread. */
export function fnTemplate(name: string, work: number): PodTemplate {
  return {
    name, image: IMAGE, runtime: 'python',
    resources: { cpuRequestMilli: 100, memoryRequestBytes: 1e8 },
    workload: { usefulWork: work, threads: 1 },
  };
}

/** A cluster of `nodes` 8-core nodes with the image cached, and OpenFaaS on it. */
export function openfaas(seed: number, opts: OpenFaasOptions = {}, nodes = 1): { sim: Simulation; kc: KubeCluster; of: OpenFaas } {
  const sim = new Simulation({ seed });
  const kc = new KubeCluster(sim, { coldStart: CONSTANT_COLD_START });
  for (let i = 0; i < nodes; i++) {
    kc.addNode(node(`n${i}`, 8));
    kc.preloadImage(`n${i}`, IMAGE);
  }
  return { sim, kc, of: new OpenFaas(kc, opts) };
}
