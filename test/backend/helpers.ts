/** Small SimBackend clusters for the backend tests. */
import { fileURLToPath } from 'node:url';
import { loadColdStartModel } from '../../src/cluster/cold-start.js';
import { parseNodeProfile } from '../../src/cluster/node-profile.js';
import { Simulation } from '../../src/core/simulation.js';
import { KubeCluster } from '../../src/platform/kubernetes/runtime/cluster.js';
import { SimBackend } from '../../src/backend/sim/sim-backend.js';
import type { FunctionSpec } from '../../src/backend/function-spec.js';

const COLD_START = loadColdStartModel(fileURLToPath(new URL('../../models/cold-start/default.yaml', import.meta.url)));

function profile(name: string, cores: number) {
  return parseNodeProfile(`
name: ${name}
cores: ${cores}
speed: {default: 1}
memory: 32GB
l3: 10MB
memoryBandwidth: 100GB/s
diskBandwidth: 500MB/s
networkBandwidth: 10Gbit/s
imageCache: 50GB
provenance: {cores: test, speed: test, memory: test, l3: test, memoryBandwidth: test, diskBandwidth: test, networkBandwidth: test, imageCache: test}
`, `${name}.yaml`);
}

/** A SimBackend on nodes of the given cores (named n0, n1, ...). */
export function simBackend(seed: number, cores: number[], functions: FunctionSpec[], routerOverheadUs = 0): SimBackend {
  const sim = new Simulation({ seed });
  const cluster = new KubeCluster(sim, { coldStart: COLD_START });
  cores.forEach((c, i) => cluster.addNode(profile(`n${i}`, c)));
  return new SimBackend({ sim, cluster, functions, routerOverheadUs });
}
