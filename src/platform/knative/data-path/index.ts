/** The Knative data path on the Kubernetes runtime: requests, queue-proxy, activator, revision controller. */
export * from './request.js';
export * from './queue-proxy.js';
export * from './activator.js';
export * from './revision.js';
export * from './stats.js';
export * from './fifo.js';
