/** Function workflows: DAGs over the object store, the custom and faas-flow engines, the study-5 video pipeline. */
export * from './dag.js';
export * from './run.js';
export * from './engine.js';
export * from './custom-engine.js';
export * from './faas-flow-engine.js';
export * from './function-cost.js';
export * from './function-host.js';
export * from './interference-binder.js';
export * from './telemetry.js';
export * from './video-model.js';
export * from './video-env-model.js';
export * from './model-files.js';
