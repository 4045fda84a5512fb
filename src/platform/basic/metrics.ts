/** End-of-run metrics of the basic serving model. Times in ms, rates per second. */
import { MS, SECOND, type Time } from '../../core/time.js';
import type { ServingModel } from './model.js';
import { meanOf, nearestRank } from './quantile.js';

export interface LatencySummary {
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface FunctionMetrics {
  name: string;
  arrivals: number;
  completed: number;
  timedOut: number;
  /** Arrived and neither completed nor timed out at the end of the run. */
  inFlight: number;
  /** Arrivals per second of simulated time. */
  offeredRate: number;
  /** Completions per second of simulated time. */
  throughput: number;
  /** End-to-end latency of completed requests, ms (nearest-rank quantiles). */
  latencyMs: LatencySummary;
  /** Mean time queued before service, ms (completed requests). */
  meanWaitMs: number;
  /** Mean service time, ms (completed requests). */
  meanServiceMs: number;
  /** Time-average number of requests in the system (client view). */
  meanInSystem: number;
}

export interface ReplicaMetrics {
  function: string;
  replica: number;
  node: string;
  /** Requests whose service finished (including those the client abandoned). */
  served: number;
  /** Busy slot-time / (concurrency × run time). */
  utilisation: number;
}

export interface NodeMetrics {
  name: string;
  cores: number;
  speed: number;
  replicas: number;
  /** Busy core-time / (cores × run time). */
  utilisation: number;
}

export interface ServingMetrics {
  functions: FunctionMetrics[];
  replicas: ReplicaMetrics[];
  nodes: NodeMetrics[];
}

/** Metrics of `model` over the run [0, end]. */
export function servingMetrics(model: ServingModel, end: Time): ServingMetrics {
  model.settle(end);
  const T = end / SECOND;
  const cfg = model.cfg;
  const functions = cfg.functions.map((fc, fi): FunctionMetrics => {
    const f = model.fns[fi];
    const lat = f.latencies.slice(0, f.completed).sort();
    return {
      name: fc.name,
      arrivals: f.arrivals,
      completed: f.completed,
      timedOut: f.timedOut,
      inFlight: f.arrivals - f.completed - f.timedOut,
      offeredRate: T > 0 ? f.arrivals / T : NaN,
      throughput: T > 0 ? f.completed / T : NaN,
      latencyMs: {
        mean: meanOf(lat) / MS,
        p50: nearestRank(lat, 0.5) / MS,
        p95: nearestRank(lat, 0.95) / MS,
        p99: nearestRank(lat, 0.99) / MS,
        max: f.completed > 0 ? lat[f.completed - 1] / MS : NaN,
      },
      meanWaitMs: f.completed > 0 ? f.waitSum / f.completed / MS : NaN,
      meanServiceMs: f.completed > 0 ? f.serviceSum / f.completed / MS : NaN,
      meanInSystem: end > 0 ? f.area / end : NaN,
    };
  });
  const nodeBusy = new Float64Array(cfg.nodes.length);
  const nodeReplicas = new Int32Array(cfg.nodes.length);
  const replicas = model.replicas.map((r, ri): ReplicaMetrics => {
    const busy = model.busyUntil(ri, end);
    nodeBusy[r.node] += busy;
    nodeReplicas[r.node]++;
    return {
      function: cfg.functions[r.fn].name,
      replica: r.index,
      node: cfg.nodes[r.node].name,
      served: r.served,
      utilisation: end > 0 ? busy / (r.concurrency * end) : NaN,
    };
  });
  const nodes = cfg.nodes.map((n, ni): NodeMetrics => ({
    name: n.name,
    cores: n.cores,
    speed: n.speed,
    replicas: nodeReplicas[ni],
    utilisation: end > 0 ? nodeBusy[ni] / (n.cores * end) : NaN,
  }));
  return { functions, replicas, nodes };
}
