/**
 * servesim's public library API: the kernel, scenario loading and the kind registry, the
 * runner and result writers, and the CLI entry point.
 */
export * from './core/index.js';
export { makeDistribution, DistributionError, type Distribution, type DistributionSpec } from './core/distributions.js';

export { ScenarioError, formatProblem, type ScenarioProblem } from './scenario/errors.js';
export { formatPath, parsePath, type PathSegment } from './scenario/path.js';
export { loadScenario, validateSource, scenarioSchema, type LoadedScenario, type LoadOptions } from './scenario/load.js';
export { readScenarioSource, parseScenarioText, type ScenarioSource } from './scenario/source.js';
export { duration, distribution, pushProblem } from './scenario/fields.js';
export {
  registerKind,
  getKind,
  kindNames,
  type KindDefinition,
  type BuildContext,
  type RunHandle,
  type Check,
  type Table,
  type RecordTable,
  type TimeSeriesSource,
  type ScenarioHeader,
  type OutputOptions,
  type JsonValue,
  type ReportProblem,
} from './scenario/registry.js';

export { ServingModel } from './platform/basic/model.js';
export { servingMetrics, type ServingMetrics, type FunctionMetrics, type NodeMetrics, type ReplicaMetrics } from './platform/basic/metrics.js';
export type { ServingConfig, ServingNode, ServingFunction, ServingArrivals } from './platform/basic/config.js';

export { runScenario, DEFAULT_SEED, type RunOptions, type RunResult, type TimeSeries } from './experiment/run.js';
export { writeResults, summaryOf, WALL_CLOCK_FIELDS, type WrittenFiles } from './experiment/results.js';
export { writeFileAtomic, writeCsvAtomic, type CsvCell } from './experiment/atomic.js';
export { formatTable, checksTable } from './experiment/table.js';
export { servesimVersion } from './experiment/version.js';
import './experiment/studies/index.js';

export { main } from './cli/main.js';
export type { CliIO } from './cli/io.js';

// Library surface of every layer, one namespace per area so that names never collide.
export * as cpu from './cluster/cpu/index.js';
export * as kubernetes from './platform/kubernetes/index.js';
export * as kubernetesRuntime from './platform/kubernetes/runtime/index.js';
export * as knative from './platform/knative/index.js';
export * as knativeDataPath from './platform/knative/data-path/index.js';
export * as openfaas from './platform/openfaas/index.js';
export * as pipelines from './platform/pipelines/index.js';
export * as workflows from './platform/workflows/index.js';
export * as platforms from './platform/profiles/index.js';
export * as workload from './workload/index.js';
export * as monitor from './monitor/index.js';
export * as rl from './rl/index.js';
export * as backend from './backend/index.js';
export * as sweep from './experiment/sweep/index.js';
export { writeReport } from './experiment/report/report.js';
