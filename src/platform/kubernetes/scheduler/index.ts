/** Kubernetes scheduler framework: types, plugins, scoring helpers and the scheduling cycle. */
export * from './types.js';
export * from './requests.js';
export * from './selectors.js';
export * from './normalize.js';
export * from './node-resources.js';
export * from './image-locality.js';
export * from './taint-toleration.js';
export * from './node-affinity.js';
export * from './inter-pod-affinity.js';
export * from './schedule.js';
