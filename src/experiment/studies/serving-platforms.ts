/**
 * Study 4 (Vartak, "Serverless for ML-Serving on Kubernetes: Genius or Folly?"): DistilBERT and
 * BERT on a Lambda-like managed FaaS, a Cloud Run-like Knative platform and a Verta-like
 * container platform (src/platform/profiles, models/platforms). Spec: calibration-targets.md
 * study 4 (setup, CT4-1…CT4-7, "also measured", modelling notes, reproduction experiment).
 *
 * Phases, each a fresh simulation per (platform, model):
 * 1. warm latency: constant low rate after a warm-up (requests in the warm-up are discarded);
 *    latency = response time − send time at the client;
 * 2. cold start: a constant 100 qps step against an idle deployment (Lambda: no instance;
 *    Cloud Run: scaled to zero; container: its one replica Ready). The load generator first opens
 *    its connection (`connectionSetup`, an assumption: TCP + TLS through the platform front end),
 *    so requests reach the platform that long after the load starts. Time to first request =
 *    first successful response − load start;
 * 3. the same run continued: time to steady state = start of the first window of
 *    `steadyWindow` whole seconds in each of which the client received ≥ steadyFraction × rate
 *    successful responses (an assumption for "the client receives 100 responses per second").
 *    The container platform runs twice: spare nodes (pods only) and a pool that must grow.
 *
 * `runServingPlatforms(params, seed)` is the pure entry point; importing this module registers
 * the scenario kind `serving-platforms` (experiments/serving-platforms.yaml).
 */
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { Simulation } from '../../core/simulation.js';
import { SECOND, type Time } from '../../core/time.js';
import { bytesSchema, loadYamlModel } from '../../cluster/node-profile.js';
import {
  ContainerPlatform, KnativePlatform, ManagedFaas, deployProblem, loadPlatformProfile,
  type ContainerPlatformProfile, type KnativePlatformProfile, type ManagedFaasProfile, type PlatformProfile, type ServedModel, type ServingPlatform,
} from '../../platform/profiles/index.js';
import { duration, positiveNumber } from '../../scenario/fields.js';
import { getKind, registerKind, type Check, type JsonValue, type RunHandle, type Table } from '../../scenario/registry.js';
import { packageFile } from './model-upload.js';

export type PlatformKey = 'lambda' | 'cloudRun' | 'container';
export const PLATFORM_KEYS: readonly PlatformKey[] = ['lambda', 'cloudRun', 'container'];
export const PLATFORM_LABEL: Readonly<Record<PlatformKey, string>> = { lambda: 'Lambda', cloudRun: 'Cloud Run', container: 'Verta' };

/** CT4-1…CT4-5 (calibration-targets.md study 4). Seconds. */
export const WARM_TARGETS: Readonly<Record<PlatformKey, { p50: number; p95: number; p99: number; bertP95: number }>> = {
  lambda: { p50: 0.4885, p95: 0.5341, p99: 0.5738, bertP95: 0.9878 },
  cloudRun: { p50: 0.3848, p95: 0.4574, p99: 0.4971, bertP95: 0.7616 },
  container: { p50: 0.2605, p95: 0.2809, p99: 0.2935, bertP95: 0.4887 },
};
export const TTFR_TARGETS = { lambda: 41, cloudRun: 8.2, containerMin: 0.3, containerMax: 0.7 } as const;

export interface ServedModels {
  distilbertWork: number;
  models: ServedModel[];
}

const servedModelsSchema = z.strictObject({
  description: z.string().default(''),
  distilbertWork: positiveNumber(),
  models: z.array(z.strictObject({
    name: z.string().min(1), modelBytes: bytesSchema, libraryBytes: bytesSchema, workRatio: positiveNumber(), memoryBytes: bytesSchema,
  })).min(1),
  provenance: z.record(z.string(), z.string().min(1)),
});

export function loadServedModels(file: string): ServedModels {
  const m = loadYamlModel(file, servedModelsSchema);
  return { distilbertWork: m.distilbertWork, models: m.models };
}

export interface ServingPlatformsParams {
  profiles: { lambda: ManagedFaasProfile; cloudRun: KnativePlatformProfile; container: ContainerPlatformProfile };
  served: ServedModels;
  /** Models to run, by name (default all). */
  models?: readonly string[];
  warm: { rate: number; warmup: Time; requests: number };
  step: { rate: number; duration: Time; containerDuration: Time; connectionSetup: Time; steadyWindow: number; steadyFraction: number };
}

/** Percentile (nearest rank) of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const k = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[k];
}

/** Start of the first window of `window` 1 s bins each with ≥ need successes (bin index), or −1. */
export function steadyStateBin(bins: ArrayLike<number>, window: number, need: number): number {
  let run = 0;
  for (let i = 0; i < bins.length; i++) {
    run = bins[i] >= need ? run + 1 : 0;
    if (run >= window) return i - window + 1;
  }
  return -1;
}

function makePlatform(sim: Simulation, key: PlatformKey, p: ServingPlatformsParams, model: ServedModel, nodes: 'spare' | 'grow'): ServingPlatform {
  const w = p.served.distilbertWork;
  if (key === 'lambda') return new ManagedFaas(sim, p.profiles.lambda, model, w);
  if (key === 'cloudRun') return new KnativePlatform(sim, p.profiles.cloudRun, model, w);
  return new ContainerPlatform(sim, p.profiles.container, model, w, { nodes });
}

export interface WarmResult {
  platform: PlatformKey;
  model: string;
  requests: number;
  failed: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

/** Phase 1: warm latency. */
export function runWarm(key: PlatformKey, model: ServedModel, p: ServingPlatformsParams, seed: number): WarmResult {
  const sim = new Simulation({ seed });
  const plat = makePlatform(sim, key, p, model, 'spare');
  const gap = Math.round(SECOND / p.warm.rate);
  const total = Math.ceil(p.warm.warmup / gap) + p.warm.requests;
  const lat: number[] = [];
  let failed = 0;
  let sent = 0;
  const send = (): void => {
    const i = sent++;
    const t0 = sim.now;
    plat.submit((ok) => {
      if (i * gap < p.warm.warmup) return;
      if (ok) lat.push((sim.now - t0) / SECOND);
      else failed++;
    });
    if (sent < total) sim.schedule(gap, send, undefined);
  };
  sim.schedule(0, send, undefined);
  sim.run(total * gap + 600 * SECOND);
  lat.sort((a, b) => a - b);
  const mean = lat.reduce((a, b) => a + b, 0) / lat.length;
  return { platform: key, model: model.name, requests: lat.length, failed, p50: percentile(lat, 0.5), p95: percentile(lat, 0.95), p99: percentile(lat, 0.99), mean };
}

export interface StepResult {
  platform: PlatformKey;
  nodes: 'spare' | 'grow';
  model: string;
  sent: number;
  ok: number;
  failed: number;
  /** Time to first successful response, s (−1 none). */
  timeToFirst: number;
  /** Time to steady state, s (−1 not reached within the run). */
  timeToSteady: number;
  coldStarts: number;
  instancesAtEnd: number;
  rejected: Record<string, number>;
  /** Successful responses per 1 s bin after the load start. */
  bins: number[];
}

/** Phases 2 and 3: the 100 qps step against an idle deployment. */
export function runStep(key: PlatformKey, model: ServedModel, p: ServingPlatformsParams, seed: number, nodes: 'spare' | 'grow' = 'spare'): StepResult {
  const sim = new Simulation({ seed });
  const plat = makePlatform(sim, key, p, model, nodes);
  // Idle deployment: let the container platform's one replica become Ready first.
  const t0 = key === 'container' ? 120 * SECOND : 0;
  const dur = key === 'container' ? p.step.containerDuration : p.step.duration;
  const nb = Math.ceil(dur / SECOND);
  const bins = new Array<number>(nb).fill(0);
  const gap = Math.round(SECOND / p.step.rate);
  const n = Math.floor(dur / gap);
  let first = -1;
  let ok = 0;
  let failed = 0;
  let sent = 0;
  const done = (good: boolean): void => {
    if (!good) {
      failed++;
      return;
    }
    ok++;
    const t = sim.now - t0;
    if (first < 0) first = t;
    const b = Math.floor(t / SECOND);
    if (b < nb) bins[b]++;
  };
  const send = (): void => {
    sent++;
    plat.submit(done);
    if (sent < n) sim.schedule(gap, send, undefined);
  };
  sim.scheduleAt(t0 + p.step.connectionSetup, send, undefined);
  sim.run(t0 + dur);
  const k = steadyStateBin(bins, p.step.steadyWindow, p.step.steadyFraction * p.step.rate);
  return {
    platform: key, nodes, model: model.name, sent, ok, failed, timeToFirst: first < 0 ? -1 : first / SECOND, timeToSteady: k,
    coldStarts: plat.coldStarts, instancesAtEnd: plat.instances, rejected: { ...plat.rejected }, bins,
  };
}

export interface ServingPlatformsResult {
  warm: WarmResult[];
  step: StepResult[];
  checks: Check[];
}

function check(name: string, simulated: number, reported: number, tolerance: number): Check {
  return { name, simulated, reported, tolerance, pass: Number.isFinite(simulated) && Math.abs(simulated / reported - 1) <= tolerance + 1e-12 };
}

function exact(name: string, ok: boolean): Check {
  return { name, simulated: ok ? 1 : 0, reported: 1, tolerance: 0, pass: ok };
}

/** Checks CT4-1…CT4-7 from the phase results. */
export function servingChecks(warm: readonly WarmResult[], step: readonly StepResult[]): Check[] {
  const checks: Check[] = [];
  const w = (k: PlatformKey, m: string) => warm.find((r) => r.platform === k && r.model === m);
  const ids: Record<PlatformKey, string> = { lambda: 'CT4-1', cloudRun: 'CT4-2', container: 'CT4-3' };
  for (const k of PLATFORM_KEYS) {
    const r = w(k, 'DistilBERT');
    if (r === undefined) continue;
    const t = WARM_TARGETS[k];
    checks.push(check(`${ids[k]} DistilBERT warm P50, ${PLATFORM_LABEL[k]} (s)`, r.p50, t.p50, 0.1));
    checks.push(check(`${ids[k]} DistilBERT warm P95, ${PLATFORM_LABEL[k]} (s)`, r.p95, t.p95, 0.1));
    checks.push(check(`${ids[k]} DistilBERT warm P99, ${PLATFORM_LABEL[k]} (s)`, r.p99, t.p99, 0.1));
  }
  for (const k of PLATFORM_KEYS) {
    const r = w(k, 'BERT');
    if (r !== undefined) checks.push(check(`CT4-4 BERT warm P95, ${PLATFORM_LABEL[k]} (s)`, r.p95, WARM_TARGETS[k].bertP95, 0.1));
  }
  const s = (k: PlatformKey, m: string) => step.find((r) => r.platform === k && r.model === m && r.nodes === 'spare');
  const l = s('lambda', 'DistilBERT');
  if (l !== undefined) checks.push(check('CT4-5 DistilBERT time to first request, Lambda (s)', l.timeToFirst, TTFR_TARGETS.lambda, 0.15));
  const c = s('cloudRun', 'DistilBERT');
  if (c !== undefined) checks.push(check('CT4-5 DistilBERT time to first request, Cloud Run (s)', c.timeToFirst, TTFR_TARGETS.cloudRun, 0.15));
  const v = s('container', 'DistilBERT');
  if (v !== undefined) {
    checks.push({
      name: 'CT4-5 DistilBERT time to first request, Verta (s; between 0.3 and 0.7 = 0.5 ± 40 %)',
      simulated: v.timeToFirst, reported: 0.5, tolerance: 0.4,
      pass: v.timeToFirst >= TTFR_TARGETS.containerMin && v.timeToFirst <= TTFR_TARGETS.containerMax,
    });
  }
  for (const m of ['DistilBERT', 'BERT']) {
    const [a, b, d] = [w('container', m), w('cloudRun', m), w('lambda', m)];
    if (a === undefined || b === undefined || d === undefined) continue;
    for (const q of ['p50', 'p95', 'p99'] as const) {
      checks.push(exact(`CT4-6 ${m} warm ${q.toUpperCase()}: Verta < Cloud Run < Lambda (1 = yes, exact)`, a[q] < b[q] && b[q] < d[q]));
    }
  }
  for (const k of PLATFORM_KEYS) {
    const [dd, bb] = [w(k, 'DistilBERT'), w(k, 'BERT')];
    if (dd !== undefined && bb !== undefined) checks.push(exact(`CT4-7 BERT P95 > DistilBERT P95, ${PLATFORM_LABEL[k]} (1 = yes, exact)`, bb.p95 > dd.p95));
  }
  return checks;
}

/** Run every phase of the study with `seed`. Pure: same params and seed, same result. */
export function runServingPlatforms(p: ServingPlatformsParams, seed: number, platforms: readonly PlatformKey[] = PLATFORM_KEYS): ServingPlatformsResult {
  const models = p.served.models.filter((m) => p.models === undefined || p.models.includes(m.name));
  const warm: WarmResult[] = [];
  const step: StepResult[] = [];
  for (const m of models) {
    for (const k of platforms) {
      const problem = deployProblem(p.profiles[k], m);
      if (problem !== null) throw new Error(`serving-platforms: cannot deploy: ${problem}`);
      warm.push(runWarm(k, m, p, seed));
      step.push(runStep(k, m, p, seed, 'spare'));
      if (k === 'container') step.push(runStep(k, m, p, seed, 'grow'));
    }
  }
  return { warm, step, checks: servingChecks(warm, step) };
}

// ---------------------------------------------------------------------------------------
// Scenario kind `serving-platforms`
// ---------------------------------------------------------------------------------------

export const servingPlatformsBodySchema = z.strictObject({
  /** Profile files (relative to the package root unless absolute). */
  profiles: z.strictObject({
    lambda: z.string().default('models/platforms/lambda-like.yaml'),
    cloudRun: z.string().default('models/platforms/cloud-run-like.yaml'),
    container: z.string().default('models/platforms/container-platform.yaml'),
  }).default({ lambda: 'models/platforms/lambda-like.yaml', cloudRun: 'models/platforms/cloud-run-like.yaml', container: 'models/platforms/container-platform.yaml' }),
  servedModels: z.string().default('models/platforms/served-models.yaml'),
  models: z.array(z.string().min(1)).min(1).optional(),
  platforms: z.array(z.enum(['lambda', 'cloudRun', 'container'])).min(1).default(['lambda', 'cloudRun', 'container']),
  warm: z.strictObject({ rate: positiveNumber(), warmup: duration(), requests: z.number().int().min(10) }),
  step: z.strictObject({
    rate: positiveNumber(), duration: duration({ positive: true }), containerDuration: duration({ positive: true }),
    connectionSetup: duration(), steadyWindow: z.number().int().min(1), steadyFraction: z.number().gt(0).max(1),
  }),
});
export type ServingPlatformsBody = z.output<typeof servingPlatformsBodySchema>;

const file = (f: string): string => (isAbsolute(f) ? f : packageFile(f));

function expectKind<K extends PlatformProfile['kind']>(p: PlatformProfile, kind: K, f: string): Extract<PlatformProfile, { kind: K }> {
  if (p.kind !== kind) throw new Error(`${f}: kind: expected "${kind}", found "${p.kind}"`);
  return p as Extract<PlatformProfile, { kind: K }>;
}

/** Load the profiles and models a body names. */
export function paramsFromBody(b: ServingPlatformsBody): ServingPlatformsParams {
  return {
    profiles: {
      lambda: expectKind(loadPlatformProfile(file(b.profiles.lambda)), 'managed-faas', b.profiles.lambda),
      cloudRun: expectKind(loadPlatformProfile(file(b.profiles.cloudRun)), 'knative', b.profiles.cloudRun),
      container: expectKind(loadPlatformProfile(file(b.profiles.container)), 'container', b.profiles.container),
    },
    served: loadServedModels(file(b.servedModels)),
    models: b.models,
    warm: b.warm,
    step: b.step,
  };
}

const r3 = (x: number): number => (Number.isFinite(x) ? +x.toFixed(4) : -1);

function resultJson(r: ServingPlatformsResult): { [key: string]: JsonValue } {
  return {
    warm: r.warm.map((w) => ({ platform: PLATFORM_LABEL[w.platform], model: w.model, requests: w.requests, failed: w.failed, p50_s: r3(w.p50), p95_s: r3(w.p95), p99_s: r3(w.p99), mean_s: r3(w.mean) })),
    step: r.step.map((s) => ({
      platform: PLATFORM_LABEL[s.platform], nodes: s.nodes, model: s.model, sent: s.sent, ok: s.ok, failed: s.failed,
      timeToFirstRequest_s: r3(s.timeToFirst), timeToSteadyState_s: s.timeToSteady, coldStarts: s.coldStarts, instancesAtEnd: s.instancesAtEnd, rejected: { ...s.rejected },
    })),
  };
}

function tables(r: ServingPlatformsResult): Table[] {
  return [
    {
      title: 'Warm latency at one request per instance (study 4; CT4-1…CT4-4)',
      columns: ['platform', 'model', 'P50_s', 'P95_s', 'P99_s', 'reported P50/P95/P99'],
      rows: r.warm.map((w) => {
        const t = WARM_TARGETS[w.platform];
        const rep = w.model === 'DistilBERT' ? `${t.p50}/${t.p95}/${t.p99}` : w.model === 'BERT' ? `-/${t.bertP95}/-` : '-';
        return [PLATFORM_LABEL[w.platform], w.model, r3(w.p50), r3(w.p95), r3(w.p99), rep];
      }),
    },
    {
      title: '100 qps step against an idle deployment: time to first request and to steady state (CT4-5; also measured)',
      columns: ['platform', 'nodes', 'model', 'first_s', 'steady_s', 'cold_starts', 'ok', 'failed'],
      rows: r.step.map((s) => [PLATFORM_LABEL[s.platform], s.nodes, s.model, r3(s.timeToFirst), s.timeToSteady, s.coldStarts, s.ok, s.failed]),
    },
  ];
}

if (getKind('serving-platforms') === undefined) {
  registerKind({
    kind: 'serving-platforms',
    description: 'study 4: DistilBERT/BERT on Lambda-like, Cloud Run-like and container platforms: warm latency, time to first request, time to steady state (CT4-1…CT4-7)',
    schema: servingPlatformsBodySchema,
    build(ctx): RunHandle {
      const params = paramsFromBody(ctx.body);
      let cached: ServingPlatformsResult | undefined;
      const result = (): ServingPlatformsResult => (cached ??= runServingPlatforms(params, ctx.seed, ctx.body.platforms));
      return { metrics: () => resultJson(result()), tables: () => tables(result()), checks: () => result().checks };
    },
  });
}
