/**
 * Scenario kind `study1-burst-replay`: study 1's burst replay of Model A on Knative
 * (calibration-targets.md "Study 1"), for any subset of the Table 4.2 configurations. Each
 * configuration runs on its own Simulation seeded from the root seed and the configuration ID
 * (no sweep runner yet); configurations are independent, as the study ran them one at a time.
 * The image is pulled only by the first configuration of the seeded random run order on the
 * dedicated node (IfNotPresent: "only the first pod ever pulls").
 *
 * Outputs: per configuration, duration and latency statistics, cold starts, the "also measured"
 * quantities; `checks` CT1-1…CT1-11 (from the five Exp. 2 configurations when present) and the
 * setup checks CT1-12…CT1-18 per configuration; `assumptions` listing every suggested default
 * used. The time series hold, per configuration, the Ready pods and the activator queue at 1 s.
 */
import { z } from 'zod';
import type { WorkloadCpuProfile } from '../../cluster/cpu/workload-profile.js';
import { loadWorkloadProfile } from '../../cluster/cpu/workload-profile.js';
import { milliCpuToShares, qosClass, sharesToWeightLog } from '../../cluster/k8s-resources.js';
import { RandomStreams } from '../../core/random.js';
import { MS, SECOND, type Time } from '../../core/time.js';
import { summarize, type SampleSummary } from '../../platform/knative/data-path/stats.js';
import { duration, pushProblem } from '../fields.js';
import type { Check, JsonValue, RecordTable, RunHandle, Table } from '../registry.js';
import { registerKind } from '../registry.js';
import { bytesField, coldStartModelFrom, packagePath, resolveNodeProfile, summaryJson } from './knative.js';
import {
  parseConfigId, REPLAY_SCHEDULE, runStudy1Config, TABLE_4_2,
  type Study1Config, type Study1Params, type Study1Result,
} from './study1-replay.js';

/** Reported values of CT1-1…CT1-5 (mean duration, s, at limits 0.5/1/2/4/8). */
export const CT1_MEANS: Readonly<Record<string, number>> = { '0.5': 6.507, '1': 1.891, '2': 0.778, '4': 0.283, '8': 0.148 };

const configId = z.string().transform((v, ctx): Study1Config => {
  try {
    return parseConfigId(v);
  } catch (e) {
    pushProblem(ctx, v, 'a Table 4.2 configuration ID such as ded-c1-s1, ded-c0.5-s1 or any-c1-s1', JSON.stringify(v));
    void e;
    return z.NEVER;
  }
});

/** Body of `study1-burst-replay`; every default is the study's value or its suggested default. */
export const study1Schema = z.strictObject({
  configurations: z.array(configId).min(1).default(TABLE_4_2.map((c) => c.id).map((id) => parseConfigId(id))),
  runs: z.number().int().min(1).default(3),
  clientWorkers: z.number().int().min(1).default(20),
  pause: duration().default(180 * SECOND),
  clientTimeout: duration({ positive: true }).default(300 * SECOND),
  rtt: duration().default(1 * MS),
  bandwidth: z.number().positive().default(1.25e9),
  dedicatedProfile: z.string().default('production-dedicated'),
  genericProfile: z.string().default('production-generic'),
  genericNodes: z.number().int().min(1).default(9),
  dedicatedDaemonCores: z.number().min(0).default(0.15),
  workloadProfile: z.string().default('models/workloads/model-a.yaml'),
  threads: z.enum(['visible-cores', 'cpu-aware']).default('visible-cores'),
  coldStartModel: z.string().default('models/cold-start/default.yaml'),
  imageSize: bytesField.default(2.12e9),
  appInit: duration().default(3320 * MS),
  imageOnGeneric: z.boolean().default(true),
  cpuRequest: z.number().positive().default(0.25),
  memoryRequest: bytesField.default(2e9),
  memoryLimit: bytesField.default(10e9),
  workingSet: bytesField.default(2e9),
  stableWindow: duration({ positive: true }).default(60 * SECOND),
  retention: duration().default(50 * SECOND),
  cfsPeriod: duration({ positive: true }).default(100 * MS),
  background: z.strictObject({
    tenantsPerNode: z.number().int().min(0).default(6),
    tenantRequestCores: z.number().positive().default(1),
    tenantLimitCores: z.number().positive().default(8),
    offMean: duration({ positive: true }).default(4 * SECOND),
    burstMin: duration({ positive: true }).default(200 * MS),
    burstMax: duration({ positive: true }).default(3 * SECOND),
    heightMin: z.number().int().min(1).default(1),
    heightMax: z.number().int().min(1).default(8),
  }).default({ tenantsPerNode: 6, tenantRequestCores: 1, tenantLimitCores: 8, offMean: 4 * SECOND, burstMin: 200 * MS, burstMax: 3 * SECOND, heightMin: 1, heightMax: 8 }),
});

export type Study1Body = z.output<typeof study1Schema>;

/** The seeded random order in which the configurations run (the study randomised it). */
export function runOrder(ids: readonly string[], seed: number): string[] {
  return new RandomStreams(seed).stream('study1/order').shuffle(ids.slice());
}

/** Parameters of one configuration from a body. */
export function study1Params(b: Study1Body, config: Study1Config, firstInOrder: boolean, profile: WorkloadCpuProfile): Study1Params {
  const bg = b.background;
  return {
    config, runs: b.runs,
    dedicated: resolveNodeProfile(b.dedicatedProfile), generic: resolveNodeProfile(b.genericProfile), genericNodes: b.genericNodes,
    dedicatedDaemonCores: b.dedicatedDaemonCores,
    background: {
      tenantsPerNode: bg.tenantsPerNode, tenantRequestCores: bg.tenantRequestCores, tenantLimitCores: bg.tenantLimitCores,
      offMeanS: bg.offMean / SECOND, burstMinS: bg.burstMin / SECOND, burstMaxS: bg.burstMax / SECOND, heightMin: bg.heightMin, heightMax: bg.heightMax,
    },
    coldStart: coldStartModelFrom(b.coldStartModel), profile,
    imageBytes: b.imageSize, appInitS: b.appInit / SECOND, imageOnDedicated: !firstInOrder, imageOnGeneric: b.imageOnGeneric,
    memoryRequestBytes: b.memoryRequest, memoryLimitBytes: b.memoryLimit, workingSetBytes: b.workingSet, cpuRequestMilli: Math.round(b.cpuRequest * 1000),
    retention: b.retention, stableWindow: b.stableWindow, cfsPeriodUs: b.cfsPeriod, threads: b.threads, clientWorkers: b.clientWorkers,
    rtt: b.rtt, bandwidth: b.bandwidth, pauseS: b.pause / SECOND, clientTimeoutS: b.clientTimeout / SECOND, schedule: REPLAY_SCHEDULE,
  };
}

/** Run every configuration of a body (in the seeded order; each on its own Simulation). */
export function runStudy1(b: Study1Body, seed: number): Study1Result[] {
  const profile = loadWorkloadProfile(packagePath(b.workloadProfile));
  const ids = b.configurations.map((c) => c.id);
  const order = runOrder(ids, seed);
  return b.configurations.map((c) => runStudy1Config(study1Params(b, c, order[0] === c.id, profile), `${seed}:${c.id}`));
}

// ---------------------------------------------------------------------------------------
// Statistics and checks
// ---------------------------------------------------------------------------------------

export interface ConfigStats {
  id: string;
  duration: SampleSummary;
  latency: SampleSummary;
  discarded: number;
  coldStarts: number;
}

const sec = (t: number): number => t / SECOND;

export function configStats(r: Study1Result): ConfigStats {
  const ok = r.records.filter((x) => x.duration >= 0);
  return {
    id: r.config.id,
    duration: summarize(ok.map((x) => sec(x.duration))),
    latency: summarize(ok.map((x) => sec(x.latency))),
    discarded: r.records.length - ok.length,
    coldStarts: r.coldStartsPerRun.reduce((a, b) => a + b, 0),
  };
}

function check(name: string, simulated: number, reported: number, tolerance: number, pass: boolean): Check {
  return { name, simulated: Number.isFinite(simulated) ? Number(simulated.toPrecision(6)) : simulated, reported, tolerance, pass };
}

function rel(name: string, sim: number, rep: number, tol: number): Check {
  return check(name, sim, rep, tol, Math.abs(sim / rep - 1) <= tol + 1e-12);
}

/** CT1-1…CT1-11 from the Exp. 2 configurations present (dedicated node, max scale 1). */
export function exp2Checks(results: readonly Study1Result[]): Check[] {
  const mean = new Map<number, number>();
  for (const r of results) if (r.config.node === 'dedicated' && r.config.maxScale === 1) mean.set(r.config.cpu, configStats(r).duration.mean);
  const out: Check[] = [];
  [0.5, 1, 2, 4, 8].forEach((l, i) => {
    const m = mean.get(l);
    if (m !== undefined) out.push(rel(`CT1-${i + 1} mean duration at CPU limit ${l} (s), ±10%`, m, CT1_MEANS[String(l)], 0.1));
  });
  const m1 = mean.get(1);
  const rp = (l: number): number => (m1 === undefined || mean.get(l) === undefined ? NaN : m1 / ((mean.get(l) as number) * l));
  if (m1 !== undefined && mean.has(4)) out.push(rel('CT1-6 speed-up 1 → 4 cores mean(1)/mean(4), ±15%', m1 / (mean.get(4) as number), 6.69, 0.15));
  if (m1 !== undefined && mean.has(4)) out.push(rel('CT1-7 relPerf(4), ±10% (1.51–1.84)', rp(4), 1.67, 0.1));
  if (m1 !== undefined && mean.has(2) && mean.has(4)) {
    const ok = 1 < rp(2) && rp(2) < rp(4);
    out.push(check('CT1-8 relPerf(2) with 1 < relPerf(2) < relPerf(4) (exact ordering; tolerance unused)', rp(2), 1.22, 0, ok));
  }
  if (m1 !== undefined && mean.has(4) && mean.has(8)) {
    const r = rp(8) / rp(4);
    out.push(check('CT1-9 relPerf(8)/relPerf(4), pass when 0.85 ≤ x < 1 (tolerance unused)', r, 0.953, 0, r < 1 && r >= 0.85));
  }
  if ([0.5, 1, 2, 4, 8].every((l) => mean.has(l))) {
    const v = [0.5, 1, 2, 4, 8].map((l) => mean.get(l) as number);
    const ok = v.every((x, i) => i === 0 || x < v[i - 1]);
    out.push(check('CT1-10 mean duration strictly decreasing in the limit (1 = holds; exact)', ok ? 1 : 0, 1, 0, ok));
  }
  if (m1 !== undefined && mean.has(0.5)) out.push(rel('CT1-11 relPerf(0.5), ±15%', rp(0.5), 0.58, 0.15));
  return out;
}

/** The setup checks CT1-12…CT1-18 of one configuration. */
export function setupChecks(r: Study1Result, b: Study1Body, nodeCores: { dedicated: number; generic: number }): Check[] {
  const id = r.config.id;
  const out: Check[] = [];
  // CT1-12: scale to zero between 60 and 120 s of idleness; idle gaps > 120 s find no pod, < 60 s find one.
  const itz = r.idleToZero.map(sec);
  const maxItz = itz.length > 0 ? Math.max(...itz) : NaN;
  const minItz = itz.length > 0 ? Math.min(...itz) : NaN;
  const longGapsCold = r.idleGaps.filter((g) => g.gap > 120 * SECOND).every((g) => !g.podReady);
  const shortGapsWarm = r.idleGaps.filter((g) => g.gap < 60 * SECOND).every((g) => g.podReady);
  out.push(check(`CT1-12 [${id}] idle-to-zero (s): max of ${itz.length} scale-to-zeros; pass when all lie in [60, 120] s, gaps > 120 s find 0 pods and gaps < 60 s find a pod`,
    maxItz, 120, 0, itz.length > 0 && minItz >= 60 && maxItz <= 120 && longGapsCold && shortGapsWarm));
  // CT1-13: every run starts cold.
  const firsts = r.runStart.map((_, k) => r.records.find((x) => x.run === k + 1));
  const cold = firsts.filter((x) => x !== undefined && x.coldStartWait && x.afterReady).length;
  out.push(check(`CT1-13 [${id}] runs whose first request found 0 pods and waited for a Ready pod (of ${r.runStart.length})`, cold, r.runStart.length, 0, cold === r.runStart.length));
  // CT1-14: one request per pod.
  out.push(check(`CT1-14 [${id}] most requests at once in one model-server container`, r.maxPodConcurrency, 1, 0, r.maxPodConcurrency === 1));
  // CT1-15: none reaches a pod before Ready, none rejected; at max scale 1, FIFO and no overlap.
  const beforeReady = r.records.filter((x) => !x.afterReady).length;
  const rejected = r.records.filter((x) => x.outcome === 'rejected').length;
  let fifoOk = true;
  if (r.config.maxScale === 1) {
    const served = r.records.filter((x) => x.serviceStart >= 0).sort((a, c) => a.serviceStart - c.serviceStart);
    for (let i = 1; i < served.length; i++) {
      if (served[i].serviceStart < served[i - 1].serviceEnd || served[i].activatorSeq < served[i - 1].activatorSeq) fifoOk = false;
    }
  }
  out.push(check(`CT1-15 [${id}] requests that reached a pod before Ready or were rejected (pass: 0, and at max scale 1 FIFO without overlap)`,
    beforeReady + rejected, 0, 0, beforeReady + rejected === 0 && fifoOk));
  // CT1-16: visible cores = node cores = threads.
  const badThreads = r.pods.filter((p) => p.threads !== p.nodeCores || p.nodeCores !== (p.node === 'dedicated' ? nodeCores.dedicated : nodeCores.generic)).length;
  const expectThreads = b.threads === 'visible-cores';
  out.push(check(`CT1-16 [${id}] pods whose thread count differs from the node's cores (of ${r.pods.length})`, expectThreads ? badThreads : 0, 0, 0, !expectThreads || badThreads === 0));
  // CT1-17: weight from the request, quota = limit × period, Burstable, ready ≤ max scale, placement.
  const weight = sharesToWeightLog(milliCpuToShares(Math.round(b.cpuRequest * 1000)));
  const quota = Math.max(1000, Math.round(r.config.cpu * b.cfsPeriod));
  const qos = qosClass([{ cpuRequestMilli: b.cpuRequest * 1000, cpuLimitMilli: r.config.cpu * 1000, memoryRequestBytes: b.memoryRequest, memoryLimitBytes: b.memoryLimit }]);
  const badPods = r.pods.filter((p) => p.weight !== weight || p.quotaUs !== quota || p.periodUs !== b.cfsPeriod
    || (r.config.node === 'dedicated' ? p.node !== 'dedicated' : !p.node.startsWith('generic'))).length;
  out.push(check(`CT1-17 [${id}] pods with wrong weight/quota/placement (pass: 0, QoS Burstable, Ready ≤ max scale ${r.config.maxScale}; max Ready seen ${r.maxReadyPods})`,
    badPods, 0, 0, badPods === 0 && qos === 'Burstable' && r.maxReadyPods <= r.config.maxScale));
  // CT1-18: workload fidelity.
  let fidelity = true;
  for (let run = 1; run <= r.runStart.length; run++) {
    const recs = r.records.filter((x) => x.run === run);
    if (recs.length !== 388) fidelity = false;
    REPLAY_SCHEDULE.forEach((s, k) => {
      const inst = recs.filter((x) => x.instant === k + 1);
      if (inst.length !== s.requests) fidelity = false;
      const t = r.runStart[run - 1] + Math.round(s.offsetS * SECOND);
      if (inst.some((x) => x.submit !== t)) fidelity = false;
    });
  }
  const latOk = r.records.every((x) => x.duration < 0 || x.latency >= x.duration);
  out.push(check(`CT1-18 [${id}] requests per run (pass: 388 at the 13 instants and sizes, ≤ ${b.clientWorkers} in flight (max ${r.maxClientInFlight}), latency ≥ duration)`,
    r.records.length / Math.max(1, r.runStart.length), 388, 0, fidelity && r.maxClientInFlight <= b.clientWorkers && latOk));
  if (r.config.node === 'any') {
    out.push(check(`setup assumption [${id}] highest 30-s utilisation of a generic node (fraction; the study saw < 50 % at all times)`, r.genericMax30s, 0.5, 0, r.genericMax30s < 0.5));
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------------------

function sj(s: SampleSummary): { [key: string]: JsonValue } {
  const j = summaryJson(s);
  j.iqr = Number.isFinite(s.iqr) ? Number(s.iqr.toPrecision(6)) : null;
  j.p99OverP50 = s.p50 > 0 ? Number((s.p99 / s.p50).toPrecision(6)) : null;
  return j;
}

function num(x: number): number | null {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : null;
}

/** Histogram counts of `v` (seconds) over log-spaced bins from 10 ms to 1000 s. */
function histogram(v: readonly number[]): { edges: number[]; counts: number[] } {
  const edges: number[] = [];
  for (let e = -2; e <= 3.0001; e += 0.25) edges.push(Number((10 ** e).toPrecision(4)));
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const x of v) {
    let i = 0;
    while (i < edges.length && x >= edges[i]) i++;
    counts[i]++;
  }
  return { edges, counts };
}

/** The "also measured" block of one configuration. */
export function alsoMeasured(r: Study1Result): { [key: string]: JsonValue } {
  const st = configStats(r);
  const ok = r.records.filter((x) => x.duration >= 0);
  const split = {
    clientToActivatorS: summaryJson(summarize(ok.map((x) => sec(x.activatorIn - x.clientStart)))),
    activatorWaitS: summaryJson(summarize(ok.map((x) => sec(x.serviceStart - x.activatorIn)))),
    coldStartWaitedS: summaryJson(summarize(ok.filter((x) => x.coldStartWait).map((x) => sec(x.serviceStart - x.activatorIn)))),
    networkS: summaryJson(summarize(ok.map((x) => sec(x.latency - x.duration - (x.serviceStart - x.activatorIn) - (x.activatorIn - x.clientStart))))),
  };
  const perNode: { [key: string]: JsonValue } = {};
  if (r.config.node === 'any') {
    const nodes = [...new Set(ok.map((x) => x.node))].sort();
    for (const n of nodes) perNode[n] = sj(summarize(ok.filter((x) => x.node === n).map((x) => sec(x.duration))));
  }
  return {
    duration: sj(st.duration),
    latency: sj(st.latency),
    durationHistogram: histogram(ok.map((x) => sec(x.duration))),
    latencyHistogram: histogram(ok.map((x) => sec(x.latency))),
    discarded: st.discarded,
    coldStartsPerRun: r.coldStartsPerRun,
    podsReachedPerBurst: r.podsPerBurst,
    burstToFirstReadyS: r.burstToReady.map((row) => row.map((t) => (t < 0 ? null : num(sec(t))))),
    latencyMinusDuration: split,
    idleToZeroS: r.idleToZero.map((t) => num(sec(t))),
    idleGapsS: r.idleGaps.map((g) => ({ gapS: num(sec(g.gap)), podReady: g.podReady })),
    activatorQueuePeak: r.queueSeries.reduce((a, b) => Math.max(a, b), 0),
    maxReadyPods: r.maxReadyPods,
    perNodeDuration: perNode,
    genericNodes: r.config.node === 'any' ? { max30sUtilisation: num(r.genericMax30s), max1sUtilisation: num(r.genericMax1s), meanUtilisation: num(r.genericMean) } : null,
    pods: r.pods.map((p) => ({
      name: p.name, node: p.node, threads: p.threads, coldStartS: num(p.coldStartS), imagePullS: num(p.imagePullS), cpuUsageS: num(p.cpuUsageS),
      nrPeriods: p.nrPeriods, nrThrottled: p.nrThrottled, throttledS: num(p.throttledS), max30sCores: num(p.max30sCores),
    })),
    simulatedSeconds: num(sec(r.end)),
    events: r.events,
  };
}

function crossConfig(results: readonly Study1Result[]): { [key: string]: JsonValue } {
  const by = new Map(results.map((r) => [r.config.id, configStats(r)]));
  const out: { [key: string]: JsonValue } = {};
  const any = by.get('any-c1-s1');
  const ded = by.get('ded-c1-s1');
  if (any && ded) {
    const ch = (k: 'mean' | 'p90' | 'p95' | 'p99'): number | null => num(ded.duration[k] / any.duration[k] - 1);
    out.exp1DurationChangeAnyToDedicated = { mean: ch('mean'), p90: ch('p90'), p95: ch('p95'), p99: ch('p99') };
  }
  if (ded) {
    const exp3: { [key: string]: JsonValue } = {};
    for (const s of [2, 4, 8]) {
      const x = by.get(`ded-c1-s${s}`);
      if (x) exp3[`s${s}`] = { meanLatency: num(x.latency.mean / ded.latency.mean - 1), medianLatency: num(x.latency.p50 / ded.latency.p50 - 1) };
    }
    out.exp3LatencyChangeVsScale1 = exp3;
  }
  const exp2: { [key: string]: JsonValue } = {};
  const m1 = ded?.duration.mean;
  for (const l of [0.5, 1, 2, 4, 8]) {
    const x = by.get(`ded-c${l}-s1`);
    if (x && m1 !== undefined) exp2[String(l)] = { relPerf: num(m1 / (x.duration.mean * l)), speedUpVs1: num(m1 / x.duration.mean) };
  }
  out.exp2RelPerf = exp2;
  return out;
}

/** Every suggested default used, with its value (summary.json `assumptions`). */
export function assumptions(b: Study1Body): { [key: string]: JsonValue } {
  return {
    genericNodes: `${b.genericNodes} × ${b.genericProfile} (32 cores, 112 GB); 9 × 32 exceeds the reported ~200 cores`,
    backgroundLoad: `per generic node ${b.background.tenantsPerNode} Burstable tenants (request ${b.background.tenantRequestCores}, limit ${b.background.tenantLimitCores} cores), on/off: idle Exp(mean ${b.background.offMean / SECOND} s), bursts U(${b.background.burstMin / SECOND}, ${b.background.burstMax / SECOND}) s of ${b.background.heightMin}–${b.background.heightMax} busy cores; only simulated in 'any' configurations`,
    dedicatedDaemons: `${b.dedicatedDaemonCores} cores constant`,
    dedicatedTaint: 'servesim.io/dedicated=experiment:NoSchedule; dedicated pods tolerate it and select servesim.io/pool=dedicated',
    cgroup: `v2, weight from the request by the log map, CFS period ${b.cfsPeriod / MS} ms, no burst, per-core speed 1 on all nodes`,
    knative: `Knative defaults (stable window ${b.stableWindow / SECOND} s, target utilisation 70 %, TBC 211), scale-to-zero-pod-retention-period ${b.retention / SECOND} s so that the last pod leaves ≤ 120 s after the last request`,
    threads: b.threads === 'visible-cores' ? 'intra-op threads = visible cores' : 'intra-op threads = ceil(limit) (what-if)',
    memory: `request ${b.memoryRequest / 1e9} GB, limit ${b.memoryLimit / 1e9} GB, working set ${b.workingSet / 1e9} GB constant`,
    image: `${b.imageSize / 1e9} GB, IfNotPresent: pulled only by the first configuration of the seeded order on the dedicated node; ${b.imageOnGeneric ? 'already cached' : 'not cached'} on the generic nodes (production runs Model A there)`,
    appInit: `${b.appInit / SECOND} s = Python + PyTorch import and model load 3 s + 32 MB artifact download at 100 MB/s`,
    coldStartPhases: `${b.coldStartModel} (scheduling, sandbox, registry, create; platform-semantics §c.5 suggested model)`,
    client: `${b.clientWorkers} workers in the cluster, RTT ${b.rtt / MS} ms, ${b.bandwidth * 8 / 1e9} Gbit/s; bodies ${[39.6, 92.8, 89.2].map((k) => Math.round(k * 4 / 3 + 0.1)).join('/')} KB`,
    schedule: 'the 13-instant replay schedule as tabulated in calibration-targets.md (dates.csv is not in the spec; the derived table is used as given)',
    runOrder: 'configurations run on separate simulations seeded by (root seed, configuration ID); the seeded random order decides only which one pulls the image',
  };
}

function statsTable(results: readonly Study1Result[]): Table {
  const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '-');
  return {
    title: 'Study 1 burst replay: duration and latency (s) per configuration',
    columns: ['config', 'n', 'dur mean', 'dur p50', 'dur p90', 'dur p95', 'dur p99', 'lat mean', 'lat p50', 'lat p90', 'lat p95', 'lat p99', 'cold starts', 'discarded'],
    rows: results.map((r) => {
      const s = configStats(r);
      return [r.config.id, s.duration.n, f(s.duration.mean), f(s.duration.p50), f(s.duration.p90), f(s.duration.p95), f(s.duration.p99),
        f(s.latency.mean), f(s.latency.p50), f(s.latency.p90), f(s.latency.p95), f(s.latency.p99), s.coldStarts, s.discarded];
    }),
  };
}

function checksTable(checks: readonly Check[]): Table {
  return {
    title: 'Checks (simulated vs reported)',
    columns: ['check', 'simulated', 'reported', 'pass'],
    rows: checks.map((c) => [c.name.length > 90 ? `${c.name.slice(0, 87)}...` : c.name, c.simulated, c.reported, c.pass ? 'yes' : 'NO']),
  };
}

const REQUEST_COLUMNS = ['configuration', 'run', 'request', 'instant', 'submit_s', 'client_start_s', 'activator_in_s', 'service_start_s', 'service_end_s',
  'response_s', 'duration_s', 'latency_s', 'pod', 'node', 'cold_start_wait', 'outcome', 'reason'];

registerKind({
  kind: 'study1-burst-replay',
  description: 'study 1 (Iancu 2023): Model A burst replay on Knative, Table 4.2 configurations, checks CT1-1…CT1-18',
  schema: study1Schema,
  refine(body, report) {
    const seen = new Set<string>();
    body.configurations.forEach((c, i) => {
      if (seen.has(c.id)) report(['configurations', i], 'each configuration once', `"${c.id}" again`);
      seen.add(c.id);
      if (c.node === 'dedicated' && c.maxScale * (body.cpuRequest + 0.025) > 8) report(['configurations', i], 'pods that fit the 8-core dedicated node', `max scale ${c.maxScale}`);
    });
    if (body.background.heightMin > body.background.heightMax) report(['background', 'heightMin'], `≤ heightMax (${body.background.heightMax})`, String(body.background.heightMin));
    if (body.background.burstMin > body.background.burstMax) report(['background', 'burstMin'], 'a duration ≤ burstMax', `${body.background.burstMin / SECOND}s`);
  },
  build(ctx): RunHandle {
    const b = ctx.body;
    const results = runStudy1(b, ctx.seed);
    const cores = { dedicated: resolveNodeProfile(b.dedicatedProfile).cores, generic: resolveNodeProfile(b.genericProfile).cores };
    const checks = [...exp2Checks(results), ...results.flatMap((r) => setupChecks(r, b, cores))];
    const columns = results.flatMap((r) => [`${r.config.id}.ready_pods`, `${r.config.id}.activator_queue`]);
    return {
      metrics: () => {
        const configs: { [key: string]: JsonValue } = {};
        for (const r of results) configs[r.config.id] = alsoMeasured(r);
        return { runOrder: runOrder(b.configurations.map((c) => c.id), ctx.seed), configurations: configs, alsoMeasured: crossConfig(results), assumptions: assumptions(b) };
      },
      tables: () => [statsTable(results), checksTable(checks)],
      checks: () => checks,
      timeSeries: {
        columns,
        sample(out) {
          const s = Math.floor(ctx.sim.now / SECOND);
          let c = 0;
          for (const r of results) {
            out[c++] = s < r.readySeries.length ? r.readySeries[s] : NaN;
            out[c++] = s < r.queueSeries.length ? r.queueSeries[s] : NaN;
          }
        },
      },
      requests: (): RecordTable => {
        const rows = results.flatMap((r) => r.records.map((x) => ({ id: r.config.id, x })));
        const c = (t: Time): string | number => (t < 0 ? '' : t / SECOND);
        return {
          columns: REQUEST_COLUMNS,
          length: rows.length,
          row(i, out) {
            const { id, x } = rows[i];
            out[0] = id; out[1] = x.run; out[2] = x.request; out[3] = x.instant; out[4] = c(x.submit); out[5] = c(x.clientStart); out[6] = c(x.activatorIn);
            out[7] = c(x.serviceStart); out[8] = c(x.serviceEnd); out[9] = c(x.response); out[10] = c(x.duration); out[11] = c(x.latency);
            out[12] = x.pod; out[13] = x.node; out[14] = x.coldStartWait ? 1 : 0; out[15] = x.outcome; out[16] = x.reason;
          },
        };
      },
    };
  },
});
