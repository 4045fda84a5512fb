/**
 * The seam to reality: the ClusterBackend interface and its implementations on the simulator
 * (SimBackend), on real processes under real cgroups on this machine (LocalBackend) and on a
 * live Kubernetes cluster (KubernetesBackend); traffic helpers, a portable policy and the
 * monitor feed. See docs/backends.md.
 */
export * from './cluster-backend.js';
export * from './function-spec.js';
export * from './record-log.js';
export * from './request-router.js';
export * from './replica-controller.js';
export * from './traffic.js';
export * from './monitor-feed.js';
export * from './policies/threshold-autoscaler.js';
export { SimBackend, type SimBackendOptions } from './sim/sim-backend.js';
export { LocalBackend, type LocalBackendOptions, type LocalNodeSpec } from './local/local-backend.js';
export { KubernetesBackend, type KubernetesBackendOptions } from './kubernetes/kubernetes-backend.js';
export { compareLatencies, type LatencyComparison } from './compare/latency-comparison.js';
export { runCompare, type CompareResult } from './compare/compare-run.js';
