/** Sweeps: axes × seeds, worker pool, resume, shards, merge, aggregate, job emitters (issue 8). */
export { runSweep, planSweep, pointTask, type SweepOptions, type SweepResult, type SweepProgress, type PointFailure } from './runner.js';
export { expandSweep, cartesian, configId, configOverrides, pointDir, type SweepPlan, type SweepAxis, type SweepConfig, type SweepPoint, type ExpandInput } from './expand.js';
export { parseShard, shardPoints, inShard, formatShard, type Shard } from './shard.js';
export { mergeSweeps, type MergeResult } from './merge.js';
export { aggregateSweep, aggregateCsv, aggregateTable, writeAggregate, readSummaries, AGGREGATE_FILE, type AggregateRow } from './aggregate.js';
export { meanCi95, studentTQuantile, studentTCdf, regularizedBeta, type MeanCi } from './stats.js';
export { flattenSummary, headlineMetrics, type FlatMetrics } from './metrics.js';
export { readManifest, planFromManifest, isSweepDir, isPointComplete, MANIFEST_FILE, type SweepManifest } from './manifest.js';
export { emitK8sJob, emitSlurm, shardCommand, type EmitOptions } from './emit.js';
export { runPoint, type PointTask, type PointDone } from './point.js';
export { runOnPool, defaultWorkerUrl, TaskError, type PoolOptions } from './pool.js';
export { SweepError } from './errors.js';
