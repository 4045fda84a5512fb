/**
 * The Kubernetes runtime: a cluster of nodes (cluster/node.ts) running pods through their
 * lifecycle (scheduler loop, cold start, Ready, graceful termination), Deployments and the HPA
 * controller loop. Data paths (Knative, OpenFaaS) build on `KubeCluster`, `Deployment`, `Pod`
 * (`execute`, `hold`/`release`) and the `PodObserver` callbacks.
 */
export * from './types.js';
export * from './pod.js';
export * from './cluster.js';
export * from './deployment.js';
export * from './hpa-controller.js';
