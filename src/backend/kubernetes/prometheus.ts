/**
 * A small client of the Prometheus HTTP API (`GET /api/v1/query?query=…`, instant vectors) and
 * the queries KubernetesBackend uses: cumulative cAdvisor counters per pod and per node, the
 * same shape as a cgroup's `cpu.stat` (so PodState.cpu means the same on every backend).
 */
import { BackendError } from '../cluster-backend.js';

/** One sample of an instant vector: its labels and value. */
export interface VectorSample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}

/** The default queries; `NS` is replaced by the namespace. Counters are cumulative (seconds or periods). */
export const DEFAULT_QUERIES = {
  /** CPU seconds per pod. */
  podUsage: 'sum by (pod) (container_cpu_usage_seconds_total{namespace="NS",container!="",container!="POD"})',
  /** CFS periods per pod. */
  podPeriods: 'sum by (pod) (container_cpu_cfs_periods_total{namespace="NS",container!="",container!="POD"})',
  /** Throttled CFS periods per pod. */
  podThrottledPeriods: 'sum by (pod) (container_cpu_cfs_throttled_periods_total{namespace="NS",container!="",container!="POD"})',
  /** Throttled seconds per pod. */
  podThrottledSeconds: 'sum by (pod) (container_cpu_cfs_throttled_seconds_total{namespace="NS",container!="",container!="POD"})',
  /** CPU seconds of every container per node (kube-prometheus adds the `node` label to cAdvisor series). */
  nodeUsage: 'sum by (node) (container_cpu_usage_seconds_total{container!="",container!="POD"})',
} as const;

export type QueryName = keyof typeof DEFAULT_QUERIES;

/** Parse a Prometheus query response into samples; throws naming what was expected. Pure. */
export function parseVector(json: unknown, query: string): VectorSample[] {
  const where = `Prometheus query ${JSON.stringify(query)}`;
  const o = json as { status?: unknown; error?: unknown; data?: { resultType?: unknown; result?: unknown } };
  if (typeof o !== 'object' || o === null || o.status !== 'success') {
    throw new BackendError(`${where}: expected status "success", found ${JSON.stringify(o?.status)}${o?.error ? ` (${String(o.error)})` : ''}`);
  }
  if (o.data?.resultType !== 'vector' || !Array.isArray(o.data.result)) throw new BackendError(`${where}: expected data.resultType "vector" with a result array, found ${JSON.stringify(o.data?.resultType)}`);
  return o.data.result.map((r: { metric?: Record<string, string>; value?: [number, string] }, i: number) => {
    const v = Number(r.value?.[1]);
    if (!Array.isArray(r.value) || !Number.isFinite(v)) throw new BackendError(`${where}: data.result[${i}].value: expected [time, "number"], found ${JSON.stringify(r.value)}`);
    return { metric: r.metric ?? {}, value: v };
  });
}

/** Run one instant query. */
export async function queryPrometheus(baseUrl: string, query: string): Promise<VectorSample[]> {
  const url = `${baseUrl.replace(/\/$/, '')}/api/v1/query?query=${encodeURIComponent(query)}`;
  const res = await fetch(url);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BackendError(`Prometheus query ${JSON.stringify(query)}: expected a JSON response, found HTTP ${res.status} ${JSON.stringify(text.slice(0, 80))}`);
  }
  return parseVector(json, query);
}

/** Samples keyed by one label. */
export function byLabel(samples: readonly VectorSample[], label: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of samples) {
    const k = s.metric[label];
    if (k !== undefined) m.set(k, (m.get(k) ?? 0) + s.value);
  }
  return m;
}
