/** Kubernetes control-plane policies: the scheduler framework and the HPA. */
export * from './scheduler/index.js';
export * from './hpa.js';
