/** OpenFaaS: control-plane policies and the data path on the Kubernetes runtime. */
export * from './autoscaler-rules.js';
export * from './invocation.js';
export * from './function.js';
export * from './gateway.js';
export * from './retry-backoff.js';
export * from './queue-worker.js';
export * from './autoscaler.js';
export * from './idler.js';
export * from './openfaas.js';
