/**
 * Scenario kind `serving`: the basic serving model of platform/basic (functions with
 * replicas on nodes, per-replica FIFO queues, least-outstanding-requests balancing,
 * Poisson arrivals). The file fields sit beside the common header:
 *
 *   nodes:     [{name, cores, speed = 1}]
 *   functions: [{name, replicas: N | [node, ...], concurrency = 1,
 *                serviceTime: <distribution in ms on a speed-1 node>,
 *                arrivals: {type: poisson, rate: <per second>}, timeout?: <duration>}]
 */
import { z } from 'zod';
import type { ServingConfig } from '../../platform/basic/config.js';
import { servingMetrics, type ServingMetrics } from '../../platform/basic/metrics.js';
import { OUTCOME_NAMES, ServingModel } from '../../platform/basic/model.js';
import { distribution, duration, name, positiveNumber } from '../fields.js';
import type { JsonValue, RecordTable, RunHandle, Table } from '../registry.js';
import { registerKind } from '../registry.js';
import { MS, SECOND, type Time } from '../../core/time.js';

const nodeSchema = z.strictObject({
  name: name(),
  cores: z.number().int().positive(),
  speed: positiveNumber().default(1),
});

const arrivalsSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('poisson'), rate: positiveNumber() }),
]);

const functionSchema = z.strictObject({
  name: name(),
  replicas: z.union([z.number().int().positive(), z.array(z.string()).min(1)]),
  concurrency: z.number().int().positive().default(1),
  serviceTime: distribution(),
  arrivals: arrivalsSchema,
  timeout: duration({ positive: true }).optional(),
});

/** Body schema of kind `serving`. */
export const servingSchema = z.strictObject({
  nodes: z.array(nodeSchema).min(1),
  functions: z.array(functionSchema).min(1),
});

export type ServingBody = z.output<typeof servingSchema>;

/**
 * Node index of every replica: an explicit list of node names, or a count placed
 * round-robin over the nodes in file order, the cursor continuing across functions.
 */
export function placeReplicas(body: ServingBody): number[][] {
  const index = new Map(body.nodes.map((n, i) => [n.name, i]));
  let cursor = 0;
  return body.functions.map((f) => {
    if (typeof f.replicas === 'number') {
      const out: number[] = [];
      for (let k = 0; k < f.replicas; k++) out.push(cursor++ % body.nodes.length);
      return out;
    }
    return f.replicas.map((n) => index.get(n) ?? -1);
  });
}

/** Cross-field checks: unique names, known node names, a core per concurrent slot. */
function refineServing(body: ServingBody, report: (path: (string | number)[], expected: string, found: string) => void): void {
  const seen = new Map<string, number>();
  body.nodes.forEach((n, i) => {
    const prev = seen.get(n.name);
    if (prev !== undefined) report(['nodes', i, 'name'], `a node name not used before (nodes[${prev}] is "${n.name}")`, `"${n.name}" again`);
    else seen.set(n.name, i);
  });
  const seenFn = new Map<string, number>();
  body.functions.forEach((f, i) => {
    const prev = seenFn.get(f.name);
    if (prev !== undefined) report(['functions', i, 'name'], `a function name not used before (functions[${prev}] is "${f.name}")`, `"${f.name}" again`);
    else seenFn.set(f.name, i);
  });
  const names = body.nodes.map((n) => `"${n.name}"`).join(', ');
  body.functions.forEach((f, i) => {
    if (Array.isArray(f.replicas)) {
      f.replicas.forEach((n, k) => {
        if (!seen.has(n)) report(['functions', i, 'replicas', k], `the name of a node (${names})`, `"${n}"`);
      });
    }
  });
  const placement = placeReplicas(body);
  const demand = new Float64Array(body.nodes.length);
  const parts: string[][] = body.nodes.map(() => []);
  placement.forEach((nodes, fi) => {
    for (const ni of nodes) {
      if (ni < 0) continue;
      demand[ni] += body.functions[fi].concurrency;
      parts[ni].push(`${body.functions[fi].name} (concurrency ${body.functions[fi].concurrency})`);
    }
  });
  body.nodes.forEach((n, i) => {
    if (demand[i] > n.cores) {
      report(
        ['nodes', i, 'cores'],
        `at least ${demand[i]} cores: the serving kind gives each concurrent request its own core, and this node holds replicas of ${parts[i].join(', ')}`,
        `${n.cores}`,
      );
    }
  });
}

/** 6 significant digits; NaN and infinities become null (JSON has no NaN). */
function sig(x: number): number | null {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : null;
}

function metricsJson(m: ServingMetrics): { [key: string]: JsonValue } {
  const functions: { [key: string]: JsonValue } = {};
  for (const f of m.functions) {
    functions[f.name] = {
      arrivals: f.arrivals,
      completed: f.completed,
      timedOut: f.timedOut,
      inFlight: f.inFlight,
      offeredRate: sig(f.offeredRate),
      throughput: sig(f.throughput),
      latencyMs: { mean: sig(f.latencyMs.mean), p50: sig(f.latencyMs.p50), p95: sig(f.latencyMs.p95), p99: sig(f.latencyMs.p99), max: sig(f.latencyMs.max) },
      meanWaitMs: sig(f.meanWaitMs),
      meanServiceMs: sig(f.meanServiceMs),
      meanInSystem: sig(f.meanInSystem),
    };
  }
  const nodes: { [key: string]: JsonValue } = {};
  for (const n of m.nodes) nodes[n.name] = { cores: n.cores, speed: n.speed, replicas: n.replicas, utilisation: sig(n.utilisation) };
  return {
    functions,
    nodes,
    replicas: m.replicas.map((r) => ({ function: r.function, replica: r.replica, node: r.node, served: r.served, utilisation: sig(r.utilisation) })),
  };
}

function fmt(x: number, digits = 1): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '-';
}

function metricsTables(m: ServingMetrics): Table[] {
  return [
    {
      title: 'Functions',
      columns: ['function', 'arrivals', 'completed', 'timed out', 'in flight', 'req/s', 'mean ms', 'p50 ms', 'p95 ms', 'p99 ms', 'wait ms', 'service ms'],
      rows: m.functions.map((f) => [
        f.name, f.arrivals, f.completed, f.timedOut, f.inFlight, fmt(f.throughput, 2),
        fmt(f.latencyMs.mean), fmt(f.latencyMs.p50), fmt(f.latencyMs.p95), fmt(f.latencyMs.p99), fmt(f.meanWaitMs), fmt(f.meanServiceMs),
      ]),
    },
    {
      title: 'Nodes',
      columns: ['node', 'cores', 'speed', 'replicas', 'utilisation %'],
      rows: m.nodes.map((n) => [n.name, n.cores, n.speed, n.replicas, fmt(100 * n.utilisation)]),
    },
  ];
}

function toConfig(body: ServingBody, recordRequests: boolean): ServingConfig {
  const placement = placeReplicas(body);
  return {
    nodes: body.nodes.map((n) => ({ name: n.name, cores: n.cores, speed: n.speed })),
    functions: body.functions.map((f, i) => ({
      name: f.name,
      replicaNodes: placement[i],
      concurrency: f.concurrency,
      serviceTime: f.serviceTime,
      arrivals: f.arrivals,
      timeout: f.timeout,
    })),
    recordRequests,
  };
}

const REQUEST_COLUMNS = ['request', 'function', 'replica', 'node', 'outcome', 'arrival_s', 'start_s', 'end_s', 'wait_ms', 'service_ms', 'latency_ms'] as const;

function secondsCell(t: Time): string | number {
  return t < 0 ? '' : t / SECOND;
}

function requestTable(model: ServingModel): RecordTable {
  model.appendInFlight();
  const cfg = model.cfg;
  return {
    columns: REQUEST_COLUMNS,
    length: model.recordCount,
    row(i, out) {
      const r = model.recordAt(i);
      const rep = model.replicas[r.replica];
      out[0] = r.id;
      out[1] = cfg.functions[r.fn].name;
      out[2] = rep.index;
      out[3] = cfg.nodes[rep.node].name;
      out[4] = OUTCOME_NAMES[r.outcome];
      out[5] = secondsCell(r.arrival);
      out[6] = secondsCell(r.start);
      out[7] = secondsCell(r.end);
      out[8] = r.start >= 0 ? (r.start - r.arrival) / MS : '';
      out[9] = r.service >= 0 ? r.service / MS : '';
      out[10] = r.outcome === 0 ? (r.end - r.arrival) / MS : '';
    },
  };
}

registerKind({
  kind: 'serving',
  description: 'functions with replicas on nodes, per-replica FIFO queues, least-outstanding-requests balancing, Poisson arrivals',
  schema: servingSchema,
  refine: refineServing,
  build(ctx): RunHandle {
    const model = new ServingModel(ctx.sim, toConfig(ctx.body, ctx.header.output.requests));
    model.start();
    const nf = model.cfg.functions.length;
    const nodeColumns = model.cfg.nodes.map((n) => `${n.name}.busy_cores`);
    return {
      metrics: (end) => metricsJson(servingMetrics(model, end)),
      tables: (end) => metricsTables(servingMetrics(model, end)),
      timeSeries: {
        columns: [...model.cfg.functions.flatMap((f) => [`${f.name}.queued`, `${f.name}.in_service`, `${f.name}.in_flight`]), ...nodeColumns],
        sample(out) {
          let c = 0;
          for (let fi = 0; fi < nf; fi++) {
            out[c++] = model.queuedOf(fi);
            out[c++] = model.inServiceOf(fi);
            out[c++] = model.fns[fi].inSystem;
          }
          for (let ni = 0; ni < model.cfg.nodes.length; ni++) out[c + ni] = 0;
          for (const r of model.replicas) out[c + r.node] += r.inService;
        },
      },
      requests: () => requestTable(model),
    };
  },
});
