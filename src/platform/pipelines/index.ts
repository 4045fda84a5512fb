/**
 * Batch pipelines (issue 5 item 6): Kubeflow-style DAGs of Kubernetes jobs. dag.ts validates
 * a DAG, dag-runner.ts runs one on the simulation clock, kube-job.ts runs a job as a pod with
 * its overhead stages on the Kubernetes runtime, pipeline-sim.ts runs the study 2 notebook
 * pipeline back to back on a cluster, overhead.ts does the study's overhead accounting, and
 * stage-model.ts / expected.ts / fit.ts hold the stage formulas and their fit to study 2.
 */
export * from './dag.js';
export * from './dag-runner.js';
export * from './stage-model.js';
export * from './notebook-model.js';
export * from './notebook-targets.js';
export * from './expected.js';
export * from './fit.js';
export * from './rwo-volume.js';
export * from './kube-job.js';
export * from './pipeline-sim.js';
export * from './overhead.js';
