/** A small OpenFaaS + MinIO cluster for engine tests: two drl-w01-like workers, functions from costs. */
import type { Simulation } from '../../src/core/simulation.js';
import { loadColdStartModel } from '../../src/cluster/cold-start.js';
import { loadNodeProfile } from '../../src/cluster/node-profile.js';
import { ObjectStore, type ObjectStoreClient } from '../../src/cluster/object-store.js';
import { KubeCluster } from '../../src/platform/kubernetes/runtime/cluster.js';
import { OpenFaas } from '../../src/platform/openfaas/openfaas.js';
import { WorkflowHost } from '../../src/platform/workflows/function-host.js';
import type { FunctionCost } from '../../src/platform/workflows/function-cost.js';
import { COLD_START_MODEL_FILE, DRL_NODE_FILES, modelPath } from '../../src/platform/workflows/model-files.js';

export interface Harness {
  kube: KubeCluster;
  openfaas: OpenFaas;
  minio: ObjectStore;
  host: WorkflowHost;
}

export function makeHarness(sim: Simulation, fns: Record<string, FunctionCost>, opts: { queueWorkers?: number; nodes?: number } = {}): Harness {
  const kube = new KubeCluster(sim, { coldStart: loadColdStartModel(modelPath(COLD_START_MODEL_FILE)) });
  const net = kube.coldStart.network;
  const prof = loadNodeProfile(modelPath(DRL_NODE_FILES[0]));
  const minio = new ObjectStore(sim, net, { name: 'minio', requestOverhead: 2000, diskWriteBandwidth: 5e8, diskReadBandwidth: 5e8, window: 4 * 2 ** 20 });
  const clients = new Map<string, ObjectStoreClient>();
  const names: string[] = [];
  for (let i = 0; i < (opts.nodes ?? 2); i++) {
    const name = `n${i}`;
    kube.addNode(prof, { name });
    names.push(name);
    const up = net.addLink({ name: `${name}-up`, capacity: 1.25e8, rtt: 100 });
    const down = net.addLink({ name: `${name}-down`, capacity: 1.25e8, rtt: 100 });
    clients.set(name, { route: [up], returnRoute: [down] });
  }
  const openfaas = new OpenFaas(kube, { gateway: { writeTimeout: 3_600_000_000, upstreamTimeout: 3_599_000_000 }, queueWorker: { mode: 'ce', replicas: opts.queueWorkers ?? 1, ackWait: 3_600_000_000 } });
  const host = new WorkflowHost({ sim, store: minio, clientOf: (n) => clients.get(n) as ObjectStoreClient, binder: null }, openfaas, (fn) => fn);
  let k = 0;
  for (const [name, cost] of Object.entries(fns)) {
    const node = names[k++ % names.length];
    kube.preloadImage(node, { name: `img-${name}`, bytes: 1e6 });
    host.deploy({
      name, minReplicas: 1, template: {
        name, image: { name: `img-${name}`, bytes: 1e6 }, runtime: 'go', resources: { cpuRequestMilli: 100 },
        nodeSelector: { 'kubernetes.io/hostname': node }, workload: { usefulWork: 0, threads: 1 }, pullPolicy: 'IfNotPresent',
      },
    }, cost);
  }
  return { kube, openfaas, minio, host };
}
