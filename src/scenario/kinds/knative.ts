/**
 * Scenario kind `knative`: Knative services on a Kubernetes cluster built from node profiles,
 * with Poisson traffic. Each service is one revision (KPA, activator, queue-proxy) whose pods run
 * requests as CPU work in their cgroups on their node's fluid CPU model. Fields (beside the
 * header) are documented with units, defaults and sources in docs/scenario-knative.md.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadColdStartModel, type ColdStartModel } from '../../cluster/cold-start.js';
import { loadWorkloadProfile } from '../../cluster/cpu/workload-profile.js';
import { loadNodeProfile, parseBytes, type NodeProfile } from '../../cluster/node-profile.js';
import type { Simulation } from '../../core/simulation.js';
import { MS, SECOND, type Time } from '../../core/time.js';
import { validateAutoscalerConfig, type KnativeAutoscalerConfig, type KnativeAutoscalerConfigInput } from '../../platform/knative/config.js';
import { KnativeRevision } from '../../platform/knative/data-path/revision.js';
import { COMPLETED, REJECT_REASONS, type KnRequest } from '../../platform/knative/data-path/request.js';
import { summarize, type SampleSummary } from '../../platform/knative/data-path/stats.js';
import { KubeCluster } from '../../platform/kubernetes/runtime/cluster.js';
import type { PodTemplate, PodWorkload } from '../../platform/kubernetes/runtime/types.js';
import { distribution, duration, name, positiveNumber, pushProblem } from '../fields.js';
import type { JsonValue, RecordTable, RunHandle, Table } from '../registry.js';
import { registerKind } from '../registry.js';

/** A file under the package root (the directory holding package.json and models/), unless absolute. */
export function packagePath(relative: string): string {
  if (isAbsolute(relative)) return relative;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'models'))) return join(dir, relative);
    dir = dirname(dir);
  }
  return resolve(relative);
}

/** A node profile by name (`models/nodes/<name>.yaml`) or by path (ends in .yaml/.yml). */
export function resolveNodeProfile(ref: string): NodeProfile {
  const file = /\.ya?ml$/.test(ref) ? packagePath(ref) : packagePath(`models/nodes/${ref}.yaml`);
  return loadNodeProfile(file);
}

/** Byte size with a unit (`2.12GB`, `400MiB`). */
export const bytesField = z.unknown().transform((v, ctx): number => {
  if (typeof v === 'string' || typeof v === 'number') {
    try {
      return parseBytes(v);
    } catch {
      // reported below
    }
  }
  pushProblem(ctx, v, 'a size such as 2.12GB, 400MiB or a number of bytes');
  return z.NEVER;
});

/** CPU quantity: cores as a number (0.25) or millicores as a string (`250m`); output millicores. */
export const cpuField = z.unknown().transform((v, ctx): number => {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return Math.round(v * 1000);
  if (typeof v === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)(m?)\s*$/.exec(v);
    if (m) return m[2] === 'm' ? Math.round(Number(m[1])) : Math.round(Number(m[1]) * 1000);
  }
  pushProblem(ctx, v, 'a CPU quantity in cores (0.25) or millicores ("250m")');
  return z.NEVER;
});

const nodeSchema = z.strictObject({
  /** Profile name under models/nodes/ or a YAML path. */
  profile: z.string().min(1),
  name: name().optional(),
  count: z.number().int().positive().default(1),
  daemonCores: z.number().min(0).default(0),
  reservedCpu: cpuField.optional(),
  maxPods: z.number().int().positive().optional(),
});

const resourcesSchema = z.strictObject({
  requests: z.strictObject({ cpu: cpuField.optional(), memory: bytesField.optional() }).default({}),
  limits: z.strictObject({ cpu: cpuField.optional(), memory: bytesField.optional() }).default({}),
});

const workloadSchema = z.union([
  z.strictObject({ profile: z.string().min(1), workingSet: bytesField.optional() }),
  z.strictObject({
    /** Useful CPU work per request, core-seconds at speed 1. */
    work: distribution(),
    threads: z.union([z.enum(['visible-cores', 'cpu-aware']), z.number().positive()]).default(1),
    workingSet: bytesField.optional(),
  }),
]);

const arrivalsSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('poisson'), rate: positiveNumber(), start: duration().default(0), end: duration().optional() }),
]);

const serviceSchema = z.strictObject({
  name: name(),
  image: z.strictObject({ name: z.string().min(1), size: bytesField }),
  pullPolicy: z.enum(['IfNotPresent', 'Always', 'Never']).default('IfNotPresent'),
  /** Put the image in every node's cache before the run. */
  preloadImage: z.boolean().default(false),
  runtime: z.string().default('python'),
  modelSize: bytesField.optional(),
  containerConcurrency: z.number().int().min(0).default(0),
  timeout: duration({ positive: true }).default(300 * SECOND),
  annotations: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).default({}),
  resources: resourcesSchema.default({ requests: {}, limits: {} }),
  workload: workloadSchema,
  nodeSelector: z.record(z.string(), z.string()).optional(),
  /** Taint keys (or key=value) the pods tolerate. */
  tolerations: z.array(z.string()).default([]),
  startAtZero: z.boolean().default(false),
  cfsPeriod: duration({ positive: true }).optional(),
  arrivals: arrivalsSchema,
});

/** Body schema of kind `knative`. */
export const knativeSchema = z.strictObject({
  nodes: z.array(nodeSchema).min(1),
  coldStartModel: z.string().default('models/cold-start/default.yaml'),
  /** config-autoscaler overrides (camelCase keys of KnativeAutoscalerConfig, durations as "60s"). */
  autoscaler: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
  services: z.array(serviceSchema).min(1),
});

export type KnativeBody = z.output<typeof knativeSchema>;
export type KnativeServiceBody = KnativeBody['services'][number];

function refineKnative(body: KnativeBody, report: (path: (string | number)[], expected: string, found: string) => void): void {
  const seen = new Set<string>();
  body.services.forEach((s, i) => {
    if (seen.has(s.name)) report(['services', i, 'name'], 'a service name not used before', `"${s.name}" again`);
    seen.add(s.name);
    const r = s.resources;
    if (r.requests.cpu !== undefined && r.limits.cpu !== undefined && r.requests.cpu > r.limits.cpu) {
      report(['services', i, 'resources', 'requests', 'cpu'], `at most the CPU limit (${r.limits.cpu}m)`, `${r.requests.cpu}m`);
    }
  });
  try {
    validateAutoscalerConfig(body.autoscaler as KnativeAutoscalerConfigInput, 'autoscaler');
  } catch (e) {
    report(['autoscaler'], 'valid config-autoscaler keys and values', (e as Error).message);
  }
}

/** Tolerations from taint keys (`key` tolerates any value, `key=value` that value). */
export function tolerationsFrom(keys: readonly string[]): { key: string; operator: 'Exists' | 'Equal'; value?: string }[] {
  return keys.map((k) => {
    const i = k.indexOf('=');
    return i < 0 ? { key: k, operator: 'Exists' as const } : { key: k.slice(0, i), operator: 'Equal' as const, value: k.slice(i + 1) };
  });
}

/** The pod template of a service. */
export function serviceTemplate(s: KnativeServiceBody): PodTemplate {
  let workload: PodWorkload;
  const w = s.workload;
  if ('profile' in w) {
    const p = loadWorkloadProfile(packagePath(w.profile));
    workload = { usefulWork: p.usefulWorkCoreUs / 1e6, threads: p.cpuAware ? 'cpu-aware' : 'visible-cores', overhead: p.overhead, memoryWorkingSetBytes: w.workingSet ?? 0 };
  } else {
    workload = { usefulWork: w.work, threads: w.threads, memoryWorkingSetBytes: w.workingSet ?? 0 };
  }
  const r = s.resources;
  return {
    name: s.name,
    image: { name: s.image.name, bytes: s.image.size },
    pullPolicy: s.pullPolicy,
    runtime: s.runtime,
    modelBytes: s.modelSize,
    resources: { cpuRequestMilli: r.requests.cpu, cpuLimitMilli: r.limits.cpu, memoryRequestBytes: r.requests.memory, memoryLimitBytes: r.limits.memory },
    nodeSelector: s.nodeSelector,
    tolerations: tolerationsFrom(s.tolerations),
    workload,
    cfsPeriodUs: s.cfsPeriod,
  };
}

/** Poisson arrivals into a revision (one pending event per service). */
class PoissonDriver {
  private readonly rng;
  readonly requests: KnRequest[] = [];
  constructor(private readonly sim: Simulation, private readonly rev: KnativeRevision, private readonly rate: number, private readonly end: Time, private readonly keep: boolean) {
    this.rng = sim.random.stream(`arrivals/${rev.name}`);
  }

  start(at: Time): void {
    this.sim.scheduleAt(at + this.gap(), PoissonDriver.fire, this);
  }

  private gap(): Time {
    return Math.max(1, Math.round(this.rng.exponential(SECOND / this.rate)));
  }

  static fire(d: PoissonDriver): void {
    const r = d.rev.submit(0, null);
    if (d.keep) d.requests.push(r);
    const next = d.sim.now + d.gap();
    if (next < d.end) d.sim.scheduleAt(next, PoissonDriver.fire, d);
  }
}

/** Latency and duration samples of ended requests, per service. */
class ServiceSamples {
  latency: number[] = [];
  duration: number[] = [];
  record = (r: KnRequest): void => {
    if (r.state !== COMPLETED) return;
    this.latency.push((r.end - r.arrival) / MS);
    this.duration.push((r.serviceEnd - r.serviceStart) / MS);
  };
}

function sig(x: number): number | null {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : null;
}

/** A summary as JSON (6 significant digits). */
export function summaryJson(s: SampleSummary): { [key: string]: JsonValue } {
  return { n: s.n, mean: sig(s.mean), p50: sig(s.p50), p85: sig(s.p85), p90: sig(s.p90), p95: sig(s.p95), p99: sig(s.p99), max: sig(s.max) };
}

/** Load the cold-start model named by a scenario (path relative to the package root). */
export function coldStartModelFrom(file: string): ColdStartModel {
  return loadColdStartModel(packagePath(file));
}

/** Build the cluster and services of a `knative` body on `sim`. */
export function buildKnative(sim: Simulation, body: KnativeBody, until: Time, keepRequests: boolean): {
  cluster: KubeCluster; revisions: KnativeRevision[]; drivers: PoissonDriver[]; samples: ServiceSamples[]; config: KnativeAutoscalerConfig;
} {
  const cluster = new KubeCluster(sim, { coldStart: coldStartModelFrom(body.coldStartModel) });
  for (const n of body.nodes) {
    const p = resolveNodeProfile(n.profile);
    const base = n.name ?? p.name;
    for (let i = 0; i < n.count; i++) {
      cluster.addNode(p, { name: n.count === 1 ? base : `${base}-${i + 1}`, daemonCores: n.daemonCores, reservedMilliCpu: n.reservedCpu, maxPods: n.maxPods });
    }
  }
  const config = validateAutoscalerConfig(body.autoscaler as KnativeAutoscalerConfigInput, 'autoscaler');
  const revisions: KnativeRevision[] = [];
  const drivers: PoissonDriver[] = [];
  const samples: ServiceSamples[] = [];
  for (const s of body.services) {
    const template = serviceTemplate(s);
    if (s.preloadImage) for (const node of cluster.nodes) cluster.preloadImage(node.name, template.image);
    const rev = new KnativeRevision(cluster, {
      name: s.name, template, containerConcurrency: s.containerConcurrency, annotations: s.annotations, config,
      timeout: s.timeout, startAtZero: s.startAtZero,
    });
    const smp = new ServiceSamples();
    rev.onRequestEnd = smp.record;
    const d = new PoissonDriver(sim, rev, s.arrivals.rate, s.arrivals.end ?? until, keepRequests);
    d.start(s.arrivals.start);
    revisions.push(rev);
    drivers.push(d);
    samples.push(smp);
  }
  return { cluster, revisions, drivers, samples, config };
}

const REQUEST_COLUMNS = ['service', 'request', 'outcome', 'reason', 'arrival_s', 'activator_in_s', 'service_start_s', 'service_end_s', 'end_s', 'duration_ms', 'latency_ms', 'pod', 'node', 'cold_start_wait'];

function cell(t: Time): string | number {
  return t < 0 ? '' : t / SECOND;
}

registerKind({
  kind: 'knative',
  description: 'Knative services (KPA, activator, queue-proxy) on a Kubernetes cluster of node profiles, CPU work under CFS quotas, Poisson arrivals',
  schema: knativeSchema,
  refine: refineKnative,
  build(ctx): RunHandle {
    const w = buildKnative(ctx.sim, ctx.body, ctx.until, ctx.header.output.requests);
    const { cluster, revisions, samples } = w;
    const metrics = (end: Time): { [key: string]: JsonValue } => {
      const services: { [key: string]: JsonValue } = {};
      revisions.forEach((rev, i) => {
        const c = rev.counters;
        const rejected: { [key: string]: JsonValue } = {};
        for (const k of REJECT_REASONS) rejected[k] = c.rejected[k];
        services[rev.name] = {
          arrivals: c.arrivals, completed: c.completed, rejected, inFlight: rev.inFlight,
          coldStarts: c.podsCreated, coldStartWaits: c.coldStartWaits, maxReadyPods: c.maxReadyPods, maxPodConcurrency: rev.maxPodConcurrency(),
          latencyMs: summaryJson(summarize(samples[i].latency)), durationMs: summaryJson(summarize(samples[i].duration)),
          activatorPeakQueue: rev.activator.peakWaiting, deciderTicks: c.ticks,
        };
      });
      const nodes: { [key: string]: JsonValue } = {};
      for (const n of cluster.nodes) nodes[n.name] = { cores: n.cores, utilisation: sig(n.cpuUsageUs() / (n.cores * Math.max(1, end))), oomKills: n.oomKills };
      return { services, nodes, podsCreated: cluster.podsCreated, schedulingCycles: cluster.schedulingCycles, unschedulableCycles: cluster.unschedulableCycles };
    };
    const tables = (): Table[] => [{
      title: 'Knative services',
      columns: ['service', 'arrivals', 'completed', 'rejected', 'in flight', 'cold starts', 'max ready', 'mean ms', 'p50 ms', 'p95 ms', 'p99 ms', 'duration mean ms'],
      rows: revisions.map((rev, i) => {
        const l = summarize(samples[i].latency);
        const d = summarize(samples[i].duration);
        const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '-');
        return [rev.name, rev.counters.arrivals, rev.counters.completed, rev.totalRejected(), rev.inFlight, rev.counters.podsCreated, rev.counters.maxReadyPods, f(l.mean), f(l.p50), f(l.p95), f(l.p99), f(d.mean)];
      }),
    }];
    const requests = (): RecordTable => {
      const rows: { svc: string; r: KnRequest }[] = [];
      w.drivers.forEach((d, i) => { for (const r of d.requests) rows.push({ svc: revisions[i].name, r }); });
      return {
        columns: REQUEST_COLUMNS,
        length: rows.length,
        row(i, out) {
          const { svc, r } = rows[i];
          out[0] = svc; out[1] = r.id; out[2] = r.state === COMPLETED ? 'completed' : r.state === 0 ? 'in-flight' : 'rejected'; out[3] = r.reason ?? '';
          out[4] = cell(r.arrival); out[5] = cell(r.activatorIn); out[6] = cell(r.serviceStart); out[7] = cell(r.serviceEnd); out[8] = cell(r.end);
          out[9] = r.state === COMPLETED ? (r.serviceEnd - r.serviceStart) / MS : ''; out[10] = r.state === COMPLETED ? (r.end - r.arrival) / MS : '';
          out[11] = r.pod?.name ?? ''; out[12] = r.pod?.nodeName ?? ''; out[13] = r.coldStartWait ? 1 : 0;
        },
      };
    };
    const columns = [...revisions.flatMap((r) => [`${r.name}.ready_pods`, `${r.name}.activator_queue`, `${r.name}.in_flight`]), ...cluster.nodes.map((n) => `${n.name}.busy_cores`)];
    return {
      metrics, tables, requests,
      timeSeries: {
        columns,
        sample(out) {
          let c = 0;
          for (const r of revisions) {
            out[c++] = r.readyPods;
            out[c++] = r.activator.waiting;
            out[c++] = r.inFlight;
          }
          for (const n of cluster.nodes) out[c++] = n.cpu.busyCores();
        },
      },
    };
  },
});

