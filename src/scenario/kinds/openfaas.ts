/**
 * Scenario kind `openfaas`: OpenFaaS (gateway, async queue and queue-workers, autoscaler, idler;
 * src/platform/openfaas) on the Kubernetes runtime, driven by Poisson or constant-rate arrivals
 * per function, each a synchronous or an asynchronous invocation. Fields: docs/scenario-openfaas.md.
 */
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { loadColdStartModel } from '../../cluster/cold-start.js';
import { bytesSchema, type NodeProfile } from '../../cluster/node-profile.js';
import type { Simulation } from '../../core/simulation.js';
import { SECOND, type Time } from '../../core/time.js';
import { packageFile } from '../../experiment/studies/model-upload.js';
import { KubeCluster } from '../../platform/kubernetes/runtime/cluster.js';
import {
  COMPLETED, FAILED, FAIL_REASONS, OpenFaas, type AsyncInvocation, type OpenFaasFunction, type SyncCall,
} from '../../platform/openfaas/index.js';
import { distribution, duration, name, positiveNumber } from '../fields.js';
import { registerKind, type JsonValue, type RunHandle, type Table } from '../registry.js';

const nodeSchema = z.strictObject({
  name: name(),
  cores: z.number().int().positive(),
  speed: positiveNumber().default(1),
  memory: bytesSchema.default(64e9),
  count: z.number().int().positive().default(1),
});

const arrivalsSchema = z.strictObject({
  type: z.enum(['poisson', 'constant']),
  rate: positiveNumber(),
  /** Fraction of invocations sent to /async-function (default 0: all synchronous). */
  asyncFraction: z.number().min(0).max(1).default(0),
  start: duration().optional(),
});

const functionSchema = z.strictObject({
  name: name(),
  image: z.strictObject({ name: z.string().min(1), size: bytesSchema }),
  runtime: z.string().default('python'),
  modelSize: bytesSchema.optional(),
  /** CPU work per invocation, core-seconds on a speed-1 core. */
  work: distribution(),
  threads: z.number().positive().default(1),
  cpuRequest: z.number().int().min(0).default(100),
  cpuLimit: z.number().int().positive().optional(),
  memoryRequest: bytesSchema.default(128e6),
  memoryLimit: bytesSchema.optional(),
  minReplicas: z.number().int().min(0).default(1),
  maxReplicas: z.number().int().min(1).default(20),
  initialReplicas: z.number().int().min(0).optional(),
  scalingFactor: z.number().min(0).max(100).default(10),
  scaleToZero: z.boolean().default(false),
  maxInflight: z.number().int().positive().optional(),
  errorRate: z.number().min(0).max(1).default(0),
  pro: z.strictObject({
    type: z.enum(['rps', 'capacity', 'cpu', 'queue']).optional(),
    target: positiveNumber().optional(),
    targetProportion: z.number().gt(0).max(1).optional(),
    zeroDuration: duration({ positive: true }).optional(),
    downWindow: duration().optional(),
  }).optional(),
  arrivals: arrivalsSchema.optional(),
});

export const openfaasSchema = z.strictObject({
  nodes: z.array(nodeSchema).min(1),
  coldStartModel: z.string().default('models/cold-start/default.yaml'),
  gateway: z.strictObject({
    writeTimeout: duration({ positive: true }).optional(),
    upstreamTimeout: duration({ positive: true }).optional(),
    scaleFromZero: z.boolean().optional(),
  }).default({}),
  queueWorker: z.strictObject({
    mode: z.enum(['ce', 'pro']).default('ce'),
    replicas: z.number().int().positive().default(1),
    ackWait: duration({ positive: true }).optional(),
    maxInflight: z.number().int().positive().optional(),
    maxRetryAttempts: z.number().int().positive().optional(),
    initialRetryWait: duration({ positive: true }).optional(),
    maxRetryWait: duration({ positive: true }).optional(),
    httpRetryCodes: z.array(z.number().int().min(100).max(599)).optional(),
    jitter: z.enum(['exponential', 'full', 'equal']).optional(),
  }).default({ mode: 'ce', replicas: 1 }),
  autoscaler: z.enum(['none', 'ce', 'pro']).default('none'),
  proPollInterval: duration({ positive: true }).optional(),
  idler: z.strictObject({ inactivityDuration: duration({ positive: true }).optional(), reconcileInterval: duration({ positive: true }).optional() }).optional(),
  functions: z.array(functionSchema).min(1),
});
export type OpenFaasBody = z.output<typeof openfaasSchema>;

function refine(body: OpenFaasBody, report: (path: (string | number)[], expected: string, found: string) => void): void {
  const seen = new Map<string, number>();
  body.functions.forEach((f, i) => {
    const prev = seen.get(f.name);
    if (prev !== undefined) report(['functions', i, 'name'], `a function name not used before (functions[${prev}] is "${f.name}")`, `"${f.name}" again`);
    seen.set(f.name, i);
    if (f.maxReplicas < Math.max(1, f.minReplicas)) report(['functions', i, 'maxReplicas'], `an integer ≥ max(1, minReplicas = ${f.minReplicas})`, String(f.maxReplicas));
    if (f.cpuLimit !== undefined && f.cpuRequest > f.cpuLimit) report(['functions', i, 'cpuRequest'], `at most cpuLimit (${f.cpuLimit})`, String(f.cpuRequest));
  });
  if (body.queueWorker.mode === 'ce' && body.queueWorker.maxInflight !== undefined && body.queueWorker.maxInflight !== 1) {
    report(['queueWorker', 'maxInflight'], '1 in Community Edition (max_inflight is an OpenFaaS Pro feature, platform-semantics.md b.2)', String(body.queueWorker.maxInflight));
  }
  const t = body.gateway;
  if (t.writeTimeout !== undefined && t.upstreamTimeout !== undefined && t.upstreamTimeout >= t.writeTimeout) {
    report(['gateway', 'upstreamTimeout'], `less than writeTimeout (${t.writeTimeout / SECOND} s; b.1)`, `${t.upstreamTimeout / SECOND} s`);
  }
  const names = new Set<string>();
  body.nodes.forEach((n, i) => {
    if (names.has(n.name)) report(['nodes', i, 'name'], 'a node name not used before', `"${n.name}" again`);
    names.add(n.name);
  });
}

function nodeProfile(n: OpenFaasBody['nodes'][number]): NodeProfile {
  const why = 'scenario';
  return {
    name: n.name, description: '', cores: n.cores, speed: { default: n.speed, classes: {} }, memoryBytes: n.memory, l3Bytes: 32e6,
    memoryBandwidth: 100e9, diskBandwidth: 500e6, networkBandwidth: 1.25e9, imageCacheBytes: 100e9, labels: {}, taints: [],
    provenance: { cores: why, speed: why, memory: why, l3: why, memoryBandwidth: why, diskBandwidth: why, networkBandwidth: why, imageCache: why },
  };
}

interface FnStats {
  sync: SyncCall[];
  async: AsyncInvocation[];
}

function quantile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

const sig = (x: number): number | null => (Number.isFinite(x) ? Number(x.toPrecision(6)) : null);

function startArrivals(sim: Simulation, of: OpenFaas, f: OpenFaasBody['functions'][number], st: FnStats, until: Time): void {
  const a = f.arrivals;
  if (a === undefined) return;
  const rng = sim.random.stream(`openfaas-scenario/${f.name}/arrivals`);
  const mix = sim.random.stream(`openfaas-scenario/${f.name}/async`);
  const mean = SECOND / a.rate;
  const next = (): Time => (a.type === 'poisson' ? Math.max(1, Math.round(rng.exponential(mean))) : Math.round(mean));
  const fire = (): void => {
    if (a.asyncFraction > 0 && mix.next() < a.asyncFraction) st.async.push(of.invokeAsync(f.name));
    else st.sync.push(of.invoke(f.name));
    const d = next();
    if (sim.now + d <= until) sim.schedule(d, fire, undefined);
  };
  sim.scheduleAt((a.start ?? 0) + (a.type === 'poisson' ? next() : 0), fire, undefined);
}

function fnMetrics(fn: OpenFaasFunction, st: FnStats): { [key: string]: JsonValue } {
  const ok = st.sync.filter((c) => c.state === COMPLETED).map((c) => c.latency / SECOND).sort((a, b) => a - b);
  const failed: { [key: string]: JsonValue } = {};
  for (const r of FAIL_REASONS) failed[r] = st.sync.filter((c) => c.reason === r).length;
  const aOk = st.async.filter((x) => x.state === COMPLETED).map((x) => (x.end - x.enqueued) / SECOND).sort((a, b) => a - b);
  return {
    sync: {
      calls: st.sync.length, completed: ok.length, failed, inFlight: st.sync.filter((c) => c.state !== COMPLETED && c.state !== FAILED).length,
      coldStartWaits: st.sync.filter((c) => c.coldStartWait).length,
      latency_s: { p50: sig(quantile(ok, 0.5)), p95: sig(quantile(ok, 0.95)), p99: sig(quantile(ok, 0.99)), max: sig(ok.at(-1) ?? NaN) },
    },
    async: {
      invocations: st.async.length, completed: aOk.length, failed: st.async.filter((x) => x.state === FAILED).length,
      redeliveries: st.async.reduce((s, x) => s + x.redeliveries, 0), retries: st.async.reduce((s, x) => s + x.retries, 0),
      executions: st.async.reduce((s, x) => s + x.executions, 0),
      endToEnd_s: { p50: sig(quantile(aOk, 0.5)), p95: sig(quantile(aOk, 0.95)), max: sig(aOk.at(-1) ?? NaN) },
    },
    replicasAtEnd: fn.replicas, readyAtEnd: fn.availableReplicas, podsCreated: fn.deployment.created, peakPodInflight: fn.peakPodInflight,
  };
}

registerKind({
  kind: 'openfaas',
  description: 'OpenFaaS on the Kubernetes runtime: gateway scale from zero, async queue with CE/Pro queue-workers, CE/Pro autoscaler, idler',
  schema: openfaasSchema,
  refine,
  build(ctx): RunHandle {
    const b = ctx.body;
    const sim = ctx.sim;
    const cs = loadColdStartModel(isAbsolute(b.coldStartModel) ? b.coldStartModel : packageFile(b.coldStartModel));
    const kc = new KubeCluster(sim, { coldStart: cs });
    for (const n of b.nodes) {
      for (let i = 0; i < n.count; i++) {
        const node = kc.addNode(nodeProfile(n), { name: n.count === 1 ? n.name : `${n.name}-${i}` });
        for (const f of b.functions) kc.preloadImage(node.name, { name: f.image.name, bytes: f.image.size });
      }
    }
    const q = b.queueWorker;
    const of = new OpenFaas(kc, {
      gateway: b.gateway,
      queueWorker: q.mode === 'ce' ? { mode: 'ce', replicas: q.replicas, ackWait: q.ackWait } : { ...q, mode: 'pro' },
      autoscaler: b.autoscaler,
      proPollInterval: b.proPollInterval,
      idler: b.idler,
    });
    const stats = new Map<string, FnStats>();
    for (const f of b.functions) {
      of.deploy({
        name: f.name,
        template: {
          name: f.name, image: { name: f.image.name, bytes: f.image.size }, runtime: f.runtime, modelBytes: f.modelSize,
          resources: { cpuRequestMilli: f.cpuRequest, cpuLimitMilli: f.cpuLimit, memoryRequestBytes: f.memoryRequest, memoryLimitBytes: f.memoryLimit },
          workload: { usefulWork: f.work, threads: f.threads },
        },
        minReplicas: f.minReplicas, maxReplicas: f.maxReplicas, initialReplicas: f.initialReplicas, scalingFactor: f.scalingFactor,
        scaleToZero: f.scaleToZero, maxInflight: f.maxInflight, errorRate: f.errorRate, pro: f.pro,
      });
      const st: FnStats = { sync: [], async: [] };
      stats.set(f.name, st);
      startArrivals(sim, of, f, st, ctx.until);
    }
    const metrics = (): { [key: string]: JsonValue } => {
      const functions: { [key: string]: JsonValue } = {};
      for (const fn of of.functions) functions[fn.name] = fnMetrics(fn, stats.get(fn.name) as FnStats);
      const g = of.gateway.counters;
      return {
        functions,
        gateway: { calls: g.calls, completed: g.completed, failed: { ...g.failed }, inFlight: of.gateway.inFlight, scaleFromZero: g.scaleFromZero },
        queue: { ...of.queue.counters, inFlight: of.queue.inFlight, depthAtEnd: of.queue.queueDepth, workers: of.queue.replicas },
        scaleEvents: of.scaleEvents().map((e) => ({ time_s: e.time / SECOND, fn: e.fn, from: e.from, to: e.to, cause: e.cause })),
      };
    };
    const tables = (): Table[] => [{
      title: 'OpenFaaS functions',
      columns: ['function', 'sync calls', 'completed', 'failed', 'p50 s', 'p95 s', 'async', 'async done', 'redeliveries', 'retries', 'replicas', 'pods created'],
      rows: of.functions.map((fn) => {
        const st = stats.get(fn.name) as FnStats;
        const ok = st.sync.filter((c) => c.state === COMPLETED).map((c) => c.latency / SECOND).sort((x, y) => x - y);
        return [fn.name, st.sync.length, ok.length, st.sync.filter((c) => c.state === FAILED).length, +quantile(ok, 0.5).toFixed(3), +quantile(ok, 0.95).toFixed(3),
          st.async.length, st.async.filter((x) => x.state === COMPLETED).length, st.async.reduce((s, x) => s + x.redeliveries, 0), st.async.reduce((s, x) => s + x.retries, 0),
          fn.replicas, fn.deployment.created];
      }),
    }];
    return {
      metrics,
      tables,
      timeSeries: {
        columns: [...of.functions.flatMap((f) => [`${f.name}.replicas`, `${f.name}.ready`, `${f.name}.inflight`, `${f.name}.queued`]), 'queue.depth'],
        sample(out) {
          let c = 0;
          for (const f of of.functions) {
            out[c++] = f.replicas;
            out[c++] = f.availableReplicas;
            out[c++] = f.inflight;
            out[c++] = f.queued;
          }
          out[c] = of.queue.queueDepth;
        },
      },
    };
  },
});
