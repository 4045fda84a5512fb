/** OpenFaaS control-plane policies. */
export * from './autoscaler-rules.js';
