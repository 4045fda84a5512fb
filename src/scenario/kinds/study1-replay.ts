/**
 * Study 1 (Iancu 2023, calibration-targets.md "Study 1"): one configuration of the burst replay
 * of Model A on Knative, run on its own Simulation. Builds the cluster (dedicated 8-core node
 * with daemon load and its taint, 9 generic 32-core nodes with bursty tenant load), the Model A
 * service (CC 1, min scale 0, CPU request 0.25, limit = the configuration's CPU, max scale), the
 * 20-worker client and the replay schedule, runs `runs` runs (each after a 180 s idle pause, the
 * next starting when the previous run's responses are all in) and returns every record the
 * checks and reports need. Pure: the same params and seed give the same result.
 */
import type { ColdStartModel } from '../../cluster/cold-start.js';
import type { WorkloadCpuProfile } from '../../cluster/cpu/workload-profile.js';
import type { CpuGroup } from '../../cluster/cpu/node-cpu.js';
import type { NodeProfile } from '../../cluster/node-profile.js';
import type { ClusterNode } from '../../cluster/node.js';
import { makeDistribution } from '../../core/distributions.js';
import { Simulation } from '../../core/simulation.js';
import { SECOND, type Time } from '../../core/time.js';
import { validateAutoscalerConfig } from '../../platform/knative/config.js';
import { KnativeRevision } from '../../platform/knative/data-path/revision.js';
import { COMPLETED, type KnRequest } from '../../platform/knative/data-path/request.js';
import { KubeCluster } from '../../platform/kubernetes/runtime/cluster.js';
import type { Pod } from '../../platform/kubernetes/runtime/pod.js';
import type { PodTemplate } from '../../platform/kubernetes/runtime/types.js';

/**
 * The replay schedule: offsets (s) and sizes of the 13 instants, 388 requests, spanning 1888.8 s.
 * calibration-targets.md study 1 "Replay schedule" (derived there by applying the artifact's
 * `request.py` transformation to `dates.csv`; the table is used as given).
 */
export const REPLAY_SCHEDULE: readonly { offsetS: number; requests: number }[] = [
  { offsetS: 0, requests: 11 }, { offsetS: 180.0, requests: 307 }, { offsetS: 360.0, requests: 1 }, { offsetS: 478.4, requests: 1 },
  { offsetS: 542.8, requests: 45 }, { offsetS: 722.8, requests: 1 }, { offsetS: 902.8, requests: 3 }, { offsetS: 1082.8, requests: 1 },
  { offsetS: 1262.8, requests: 1 }, { offsetS: 1442.8, requests: 1 }, { offsetS: 1562.2, requests: 2 }, { offsetS: 1708.8, requests: 1 },
  { offsetS: 1888.8, requests: 13 },
];

/** The request bodies: three 224×224 PNGs (39.6, 92.8, 89.2 KB) base64 in JSON ≈ ×4/3 + 100 B (Setup, derived 53–124 KB). */
export const BODY_BYTES: readonly number[] = [39.6e3, 92.8e3, 89.2e3].map((b) => Math.round((b * 4) / 3 + 100));

/** One configuration of Table 4.2. */
export interface Study1Config {
  id: string;
  node: 'any' | 'dedicated';
  /** CPU limit, cores. */
  cpu: number;
  maxScale: number;
}

/** The 9 distinct configurations of Table 4.2. */
export const TABLE_4_2: readonly Study1Config[] = [
  { id: 'any-c1-s1', node: 'any', cpu: 1, maxScale: 1 },
  { id: 'ded-c1-s1', node: 'dedicated', cpu: 1, maxScale: 1 },
  { id: 'ded-c0.5-s1', node: 'dedicated', cpu: 0.5, maxScale: 1 },
  { id: 'ded-c2-s1', node: 'dedicated', cpu: 2, maxScale: 1 },
  { id: 'ded-c4-s1', node: 'dedicated', cpu: 4, maxScale: 1 },
  { id: 'ded-c8-s1', node: 'dedicated', cpu: 8, maxScale: 1 },
  { id: 'ded-c1-s2', node: 'dedicated', cpu: 1, maxScale: 2 },
  { id: 'ded-c1-s4', node: 'dedicated', cpu: 1, maxScale: 4 },
  { id: 'ded-c1-s8', node: 'dedicated', cpu: 1, maxScale: 8 },
];

/** Parse an ID such as `ded-c0.5-s1` into a configuration. */
export function parseConfigId(id: string): Study1Config {
  const m = /^(any|ded)-c(\d+(?:\.\d+)?)-s(\d+)$/.exec(id);
  if (!m) throw new RangeError(`study 1 configuration: expected an ID such as ded-c1-s1 or any-c1-s1, found "${id}"`);
  return { id, node: m[1] === 'any' ? 'any' : 'dedicated', cpu: Number(m[2]), maxScale: Number(m[3]) };
}

/** Background tenants of one generic node (Setup "background load", suggested default; all assumptions). */
export interface BackgroundLoad {
  tenantsPerNode: number;
  /** Tenant CPU request / limit, cores. */
  tenantRequestCores: number;
  tenantLimitCores: number;
  /** Mean idle time between bursts, s (exponential). */
  offMeanS: number;
  /** Burst length, s: uniform [min, max]. */
  burstMinS: number;
  burstMaxS: number;
  /** Burst height, busy cores: uniform integer in [min, max]. */
  heightMin: number;
  heightMax: number;
}

export interface Study1Params {
  config: Study1Config;
  runs: number;
  dedicated: NodeProfile;
  generic: NodeProfile;
  genericNodes: number;
  dedicatedDaemonCores: number;
  background: BackgroundLoad;
  coldStart: ColdStartModel;
  profile: WorkloadCpuProfile;
  /** Model A image (2.12 GB, Table 4.1). */
  imageBytes: number;
  /** Python + PyTorch import, model download and load, s (Modelling note 5: 3 s + 32 MB download). */
  appInitS: number;
  /** The image is already on the dedicated node (only the first configuration ever pulls). */
  imageOnDedicated: boolean;
  /** The image is on the generic nodes (production runs Model A there). */
  imageOnGeneric: boolean;
  memoryRequestBytes: number;
  memoryLimitBytes: number;
  workingSetBytes: number;
  cpuRequestMilli: number;
  /** scale-to-zero-pod-retention-period, µs. */
  retention: Time;
  stableWindow: Time;
  cfsPeriodUs: number;
  threads: 'visible-cores' | 'cpu-aware';
  clientWorkers: number;
  /** Client round trip, µs, and link bandwidth, bytes/s. */
  rtt: Time;
  bandwidth: number;
  pauseS: number;
  clientTimeoutS: number;
  schedule: readonly { offsetS: number; requests: number }[];
}

/** One request as the study's per-request CSV holds it. Times µs of this configuration's clock; −1 = not reached. */
export interface Study1Record {
  run: number;
  request: number;
  instant: number;
  submit: Time;
  clientStart: Time;
  activatorIn: Time;
  serviceStart: Time;
  serviceEnd: Time;
  response: Time;
  /** µs, −1 when discarded. */
  duration: Time;
  latency: Time;
  pod: string;
  node: string;
  coldStartWait: boolean;
  outcome: 'completed' | 'rejected' | 'in-flight';
  reason: string;
  /** The request reached its pod only after the pod was Ready. */
  afterReady: boolean;
  /** Order in which it entered the activator (for the FIFO check). */
  activatorSeq: number;
}

/** A pod of the service, with what the checks need. */
export interface Study1PodRecord {
  name: string;
  node: string;
  nodeCores: number;
  threads: number;
  weight: number;
  quotaUs: number;
  periodUs: number;
  createdAt: Time;
  readyAt: Time;
  endedAt: Time;
  coldStartS: number;
  imagePullS: number;
  cpuUsageS: number;
  nrPeriods: number;
  nrThrottled: number;
  throttledS: number;
  /** Highest 30-s-sampled CPU use, cores (as the study's monitoring saw it). */
  max30sCores: number;
}

export interface Study1Result {
  config: Study1Config;
  records: Study1Record[];
  pods: Study1PodRecord[];
  runStart: Time[];
  runEnd: Time[];
  /** Idle-to-zero times (µs): from the last response of a busy period to 0 Ready pods. */
  idleToZero: Time[];
  /** Idle gaps (µs) and whether a Ready pod was there when the next request arrived. */
  idleGaps: { gap: Time; podReady: boolean }[];
  /** Max client requests in flight (≤ workers). */
  maxClientInFlight: number;
  maxReadyPods: number;
  maxPodConcurrency: number;
  /** 1-s samples: ready pods, activator queue (one value per simulated second). */
  readySeries: Float64Array;
  queueSeries: Float64Array;
  /** Generic nodes: highest 30-s and 1-s utilisation (fraction of cores). */
  genericMax30s: number;
  genericMax1s: number;
  genericMean: number;
  /** Per instant (run-major): pods reached, and µs from the instant to its first Ready pod (−1 if none needed). */
  podsPerBurst: number[][];
  burstToReady: number[][];
  coldStartsPerRun: number[];
  events: number;
  end: Time;
}

const LONG = 1e15;

/** Run one configuration. */
export function runStudy1Config(p: Study1Params, seed: string): Study1Result {
  const sim = new Simulation({ seed });
  const cfg = p.config;
  const coldStart: ColdStartModel = { ...p.coldStart, runtimes: { ...p.coldStart.runtimes, 'model-a': makeDistribution(p.appInitS) } };
  const kc = new KubeCluster(sim, { coldStart });
  const ded = kc.addNode(p.dedicated, { name: 'dedicated', daemonCores: p.dedicatedDaemonCores });
  const generic: ClusterNode[] = [];
  for (let i = 0; i < p.genericNodes; i++) generic.push(kc.addNode(p.generic, { name: `generic-${i + 1}`, daemonCores: 0 }));
  const image = { name: 'model-a:prod', bytes: p.imageBytes };
  if (p.imageOnDedicated) kc.preloadImage(ded.name, image);
  if (p.imageOnGeneric) for (const g of generic) kc.preloadImage(g.name, image);

  // Background tenants on the generic nodes ("any" configurations only: they cannot touch the dedicated node).
  const tenantGroups: CpuGroup[] = [];
  if (cfg.node === 'any') {
    const b = p.background;
    const rng = sim.random.stream('study1/background');
    generic.forEach((node, ni) => {
      for (let t = 0; t < b.tenantsPerNode; t++) {
        const pod = kc.bindStaticPod(node.name, {
          name: `tenant-${ni + 1}-${t + 1}`, image: { name: 'tenant', bytes: 1e8 }, runtime: 'go',
          resources: { cpuRequestMilli: b.tenantRequestCores * 1000, cpuLimitMilli: b.tenantLimitCores * 1000, memoryRequestBytes: 2e9 },
          workload: { usefulWork: 0, threads: 1 },
        });
        const g = pod.cpuGroup as CpuGroup;
        tenantGroups.push(g);
        const burst = (): void => {
          const len = rng.uniform(b.burstMinS, b.burstMaxS);
          const h = b.heightMin + rng.int(b.heightMax - b.heightMin + 1);
          g.submit(h * len * 1e6, { threads: h, onDone: idle });
        };
        const idle = (): void => { sim.schedule(Math.round(rng.exponential(b.offMeanS * SECOND)) + 1, burst, undefined); };
        sim.schedule(Math.round(rng.uniform(0, b.offMeanS * 2) * SECOND), burst, undefined);
      }
    });
  }

  const template: PodTemplate = {
    name: 'model-a',
    image, runtime: 'model-a',
    resources: { cpuRequestMilli: p.cpuRequestMilli, cpuLimitMilli: Math.round(cfg.cpu * 1000), memoryRequestBytes: p.memoryRequestBytes, memoryLimitBytes: p.memoryLimitBytes },
    nodeSelector: { 'servesim.io/pool': cfg.node === 'dedicated' ? 'dedicated' : 'generic' },
    tolerations: cfg.node === 'dedicated' ? [{ key: 'servesim.io/dedicated', operator: 'Exists' }] : [],
    workload: { usefulWork: p.profile.usefulWorkCoreUs / 1e6, threads: p.threads, overhead: p.profile.overhead, memoryWorkingSetBytes: p.workingSetBytes },
    cfsPeriodUs: p.cfsPeriodUs,
  };
  const config = validateAutoscalerConfig({ stableWindow: p.stableWindow, scaleToZeroPodRetentionPeriod: p.retention }, 'study1.autoscaler');
  const rev = new KnativeRevision(kc, {
    name: 'model-a', template, containerConcurrency: 1, config, startAtZero: true,
    annotations: { 'autoscaling.knative.dev/max-scale': String(cfg.maxScale), 'autoscaling.knative.dev/min-scale': '0' },
  });

  // Pods, readiness tracking, idle/zero tracking.
  const podRecs = new Map<Pod, Study1PodRecord>();
  const pod30 = new Map<Pod, { last: number; max: number }>();
  let ready = 0;
  let inFlight = 0; // at the revision
  let idleSince = -1;
  const idleToZero: Time[] = [];
  const idleGaps: { gap: Time; podReady: boolean }[] = [];
  let zeroRecorded = true;
  let allDone = false;
  const stopNow = (): void => {
    sampling = false;
    sim.stop();
  };
  const readyTimes: Time[] = [];
  kc.onPodEvent = (e) => {
    const pod = e.pod;
    if (pod.template.name !== 'model-a') return;
    if (e.type === 'ready') {
      ready++;
      readyTimes.push(e.time);
      const g = pod.cpuGroup as CpuGroup;
      podRecs.set(pod, {
        name: pod.name, node: pod.nodeName, nodeCores: pod.node?.cores ?? 0, threads: pod.threads, weight: g.weight, quotaUs: g.quota, periodUs: g.period,
        createdAt: pod.createdAt, readyAt: pod.readyAt, endedAt: -1, coldStartS: (pod.coldStart?.total ?? 0) / SECOND + (pod.scheduledAt - pod.createdAt) / SECOND,
        imagePullS: (pod.coldStart?.phases.imagePull ?? 0) / SECOND, cpuUsageS: 0, nrPeriods: 0, nrThrottled: 0, throttledS: 0, max30sCores: 0,
      });
      pod30.set(pod, { last: 0, max: 0 });
    } else if (e.type === 'terminating' || (e.type === 'ended' && pod.readyAt >= 0 && pod.terminatingAt < 0)) {
      ready--;
      const r = podRecs.get(pod);
      if (r && pod.cpuGroup !== null) {
        const st = pod.cpuGroup.stats();
        r.cpuUsageS = st.usageUs / SECOND; r.nrPeriods = st.nrPeriods; r.nrThrottled = st.nrThrottled; r.throttledS = st.throttledTimeUs / SECOND;
      }
      if (ready === 0 && inFlight === 0 && idleSince >= 0 && !zeroRecorded) {
        idleToZero.push(e.time - idleSince);
        zeroRecorded = true;
        if (allDone) stopNow();
      }
    }
    if (e.type === 'ended') {
      const r = podRecs.get(pod);
      if (r) r.endedAt = e.time;
    }
  };
  // 30-s sampling of pod CPU, 1-s sampling of series and generic utilisation.
  const seriesLen = 1 << 14;
  let readySeries = new Float64Array(seriesLen);
  let queueSeries = new Float64Array(seriesLen);
  let samples = 0;
  const genUsage = generic.map(() => 0);
  const genUsage30 = generic.map(() => 0);
  let genMax1 = 0;
  let genMax30 = 0;
  let genSum = 0;
  let genN = 0;
  let sampling = true;
  const sample1 = (): void => {
    if (!sampling) return;
    if (samples >= readySeries.length) {
      const a = new Float64Array(readySeries.length * 2); a.set(readySeries); readySeries = a;
      const q = new Float64Array(queueSeries.length * 2); q.set(queueSeries); queueSeries = q;
    }
    readySeries[samples] = rev.readyPods;
    queueSeries[samples] = rev.activator.waiting;
    samples++;
    if (cfg.node === 'any') {
      generic.forEach((n, i) => {
        const u = n.cpuUsageUs();
        const f = (u - genUsage[i]) / (SECOND * n.cores);
        genUsage[i] = u;
        if (f > genMax1) genMax1 = f;
        genSum += f; genN++;
        if (samples % 30 === 0) {
          const f30 = (u - genUsage30[i]) / (30 * SECOND * n.cores);
          genUsage30[i] = u;
          if (f30 > genMax30) genMax30 = f30;
        }
      });
    }
    if (samples % 30 === 0) {
      for (const [pod, s] of pod30) {
        if (pod.cpuGroup === null || pod.node === null) continue;
        const u = pod.node.cpu.usageOf(pod.cpuGroup);
        const c = (u - s.last) / (30 * SECOND);
        s.last = u;
        if (c > s.max) s.max = c;
        const r = podRecs.get(pod);
        if (r) r.max30sCores = s.max;
      }
    }
    sim.schedule(SECOND, sample1, undefined);
  };
  sim.scheduleAt(0, sample1, undefined);

  // Client: 20 workers, FIFO, latency clock from the worker's dequeue.
  const records: Study1Record[] = [];
  const fifo: Study1Record[] = [];
  let fHead = 0;
  let busyWorkers = 0;
  let maxClientInFlight = 0;
  let activatorSeq = 0;
  const bodyRng = sim.random.stream('study1/body');
  const half = Math.round(p.rtt / 2);
  let runOutstanding = 0;
  let runIndex = -1;
  const runStart: Time[] = [];
  const runEnd: Time[] = [];
  const podsPerBurst: number[][] = [];
  const burstToReady: number[][] = [];
  const instantStart: Time[][] = [];
  const coldStartsAtRunStart: number[] = [];
  const coldStartsPerRun: number[] = [];

  const onDone = (r: KnRequest): void => {
    inFlight--;
    const rec = records[r.tag];
    rec.activatorIn = r.activatorIn;
    rec.serviceStart = r.serviceStart;
    rec.serviceEnd = r.serviceEnd;
    rec.pod = r.pod?.name ?? '';
    rec.node = r.pod?.nodeName ?? '';
    rec.coldStartWait = r.coldStartWait;
    rec.afterReady = r.pod === null || (r.pod.readyAt >= 0 && r.queueProxyIn >= r.pod.readyAt);
    rec.outcome = r.state === COMPLETED ? 'completed' : 'rejected';
    rec.reason = r.reason ?? '';
    if (inFlight === 0) {
      idleSince = sim.now;
      zeroRecorded = ready === 0;
    }
    sim.schedule(half, respond, rec);
  };
  const respond = (rec: Study1Record): void => {
    rec.response = sim.now;
    if (rec.outcome === 'completed' && rec.response - rec.clientStart <= p.clientTimeoutS * SECOND) {
      rec.latency = rec.response - rec.clientStart;
      rec.duration = rec.serviceEnd - rec.serviceStart;
    }
    busyWorkers--;
    pump();
    runOutstanding--;
    if (runOutstanding === 0) finishRun();
  };
  const atRevision = (rec: Study1Record): void => {
    if (inFlight === 0 && idleSince >= 0) idleGaps.push({ gap: sim.now - idleSince, podReady: ready > 0 });
    inFlight++;
    rec.activatorSeq = activatorSeq++;
    rev.submit(rec.request, onDone);
  };
  const pump = (): void => {
    while (busyWorkers < p.clientWorkers && fHead < fifo.length) {
      const rec = fifo[fHead++];
      busyWorkers++;
      if (busyWorkers > maxClientInFlight) maxClientInFlight = busyWorkers;
      rec.clientStart = sim.now;
      const body = BODY_BYTES[bodyRng.int(BODY_BYTES.length)];
      sim.schedule(half + Math.round((body / p.bandwidth) * SECOND), atRevision, rec);
    }
  };
  const submitInstant = (k: number): void => {
    const inst = p.schedule[k];
    instantStart[runIndex][k] = sim.now;
    for (let i = 0; i < inst.requests; i++) {
      const rec: Study1Record = {
        run: runIndex + 1, request: records.length, instant: k + 1, submit: sim.now, clientStart: -1, activatorIn: -1, serviceStart: -1, serviceEnd: -1,
        response: -1, duration: -1, latency: -1, pod: '', node: '', coldStartWait: false, outcome: 'in-flight', reason: '', afterReady: true, activatorSeq: -1,
      };
      records.push(rec);
      fifo.push(rec);
    }
    pump();
  };
  const startRun = (): void => {
    runIndex++;
    runStart.push(sim.now);
    instantStart.push([]);
    coldStartsAtRunStart.push(rev.counters.podsCreated);
    runOutstanding = p.schedule.reduce((a, s) => a + s.requests, 0);
    const t0 = sim.now;
    p.schedule.forEach((s, k) => sim.scheduleAt(t0 + Math.round(s.offsetS * SECOND), submitInstant, k));
  };
  const finishRun = (): void => {
    runEnd.push(sim.now);
    coldStartsPerRun.push(rev.counters.podsCreated - coldStartsAtRunStart[runIndex]);
    if (runIndex + 1 < p.runs) sim.schedule(p.pauseS * SECOND, startRun, undefined);
    else {
      // Watch the last scale-to-zero (CT1-12), then stop: background tenants would run forever.
      allDone = true;
      sim.schedule(600 * SECOND, stopNow, undefined);
    }
  };
  sim.schedule(p.pauseS * SECOND, startRun, undefined);
  sim.run(LONG);
  const end = sim.now;
  for (const [pod, r] of podRecs) {
    if (pod.cpuGroup === null) continue;
    const st = pod.cpuGroup.stats();
    r.cpuUsageS = st.usageUs / SECOND; r.nrPeriods = st.nrPeriods; r.nrThrottled = st.nrThrottled; r.throttledS = st.throttledTimeUs / SECOND;
  }

  // Per-burst pods reached and time to first Ready pod.
  for (let r = 0; r < runStart.length; r++) {
    podsPerBurst.push([]);
    burstToReady.push([]);
    const starts = instantStart[r];
    for (let k = 0; k < starts.length; k++) {
      const from = starts[k];
      const to = k + 1 < starts.length ? starts[k + 1] : runEnd[r];
      let max = 0;
      for (let s = Math.floor(from / SECOND); s <= Math.floor(to / SECOND) && s < samples; s++) max = Math.max(max, readySeries[s]);
      podsPerBurst[r].push(max);
      const first = records.find((x) => x.run === r + 1 && x.instant === k + 1);
      if (first && first.coldStartWait) {
        const t = readyTimes.find((x) => x >= first.clientStart);
        burstToReady[r].push(t === undefined ? -1 : t - from);
      } else burstToReady[r].push(-1);
    }
  }
  let maxReady = 0;
  for (let s = 0; s < samples; s++) maxReady = Math.max(maxReady, readySeries[s]);
  return {
    config: cfg, records, pods: [...podRecs.values()], runStart, runEnd, idleToZero, idleGaps, maxClientInFlight,
    maxReadyPods: Math.max(maxReady, rev.counters.maxReadyPods), maxPodConcurrency: rev.maxPodConcurrency(),
    readySeries: readySeries.slice(0, samples), queueSeries: queueSeries.slice(0, samples),
    genericMax30s: genMax30, genericMax1s: genMax1, genericMean: genN > 0 ? genSum / genN : 0,
    podsPerBurst, burstToReady, coldStartsPerRun, events: sim.eventsProcessed, end,
  };
}
