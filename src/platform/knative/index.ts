/** Knative Serving control-plane policies: config, KPA decider, activator-path rule, scaler. */
export * from './config.js';
export * from './kpa.js';
export { sksMode, activatorInPath, minReadyPodsOutOfPath } from './activator-path.js';
export type { SksMode } from './activator-path.js';
export * from './scale-to-zero.js';
