/**
 * servesim extension of study 3 (calibration-targets.md study 3, `drift-retrain.yaml`): gradual
 * drift on a served Iris model → detection by the streaming monitor → continuous-training
 * pipeline → new model revision (cold start, blue-green switch) → baseline swap. Every value is
 * a suggested default of the spec (the study detects drift but never retrains); the checks are
 * structural, with no study targets.
 *
 * Stack: the monitoring-iris wiring (model service on Knative, Inference Logger, Kafka, the
 * three-query Spark job) with one closed-loop stage at concurrency 96; the payload is stationary
 * (normal, truncated ±3σ) for `stationaryWindows` windows, then every feature's location ramps
 * linearly to μ + shiftSd·σ over `rampWindows` windows and holds.
 *
 * `runDriftRetrain(body, seed)` runs one configuration on its own simulation;
 * importing this module registers the kind `drift-retrain` (experiments/drift-retrain.yaml),
 * which runs the main configuration on the runner's simulation and the R × window sweep on
 * fresh ones.
 */
import { z } from 'zod';
import { Simulation } from '../../core/simulation.js';
import { SECOND, type Time } from '../../core/time.js';
import type { DriftMeasure, WindowResult } from '../../monitor/monitor.js';
import { monitorSpecSchema, type MonitorSpec } from '../../monitor/spec.js';
import { ConsecutiveWindowPolicy } from '../../platform/retrain/alert-policy.js';
import { RetrainLoop, type TrainingJobSpec } from '../../platform/retrain/retrain-loop.js';
import { getKind, registerKind, type Check, type JsonValue, type RunHandle, type Table } from '../../scenario/registry.js';
import { irisFeatures, type PayloadOptions } from '../../workload/payload.js';
import { buildMonitoringIris, IRIS_FEATURES, IRIS_MONITOR_SPEC_INPUT, monitoringIrisBodySchema, type MonitoringIrisRun } from './monitoring-iris.js';

export const driftRetrainBodySchema = monitoringIrisBodySchema.extend({
  concurrency: z.int().positive().default(96),
  windowSeconds: z.number().positive().default(15),
  watermarkSeconds: z.number().min(0).default(6),
  stationaryWindows: z.int().min(1).default(20),
  /** Ramp length R in windows (1 = abrupt). */
  rampWindows: z.int().min(1).default(10),
  /** Windows after the ramp. */
  holdWindows: z.int().min(1).default(30),
  /** Location shift at full drift, in σ of each feature. */
  shiftSd: z.number().default(1.5),
  thresholds: z.strictObject({ wasserstein: z.number().positive(), kullbackLeibler: z.number().positive(), jensenShannon: z.number().positive() }).default({ wasserstein: 2.7, kullbackLeibler: 1.3, jensenShannon: 0.5 }),
  consecutive: z.int().positive().default(2),
  retrain: z.strictObject({
    enabled: z.boolean().default(true),
    minTrainingWindows: z.int().positive().default(4),
    maxTrainingWindows: z.int().positive().default(20),
    pipeline: z.array(z.strictObject({ name: z.string(), dependsOn: z.array(z.string()).default([]), workSeconds: z.number().min(0) })).default([
      { name: 'fetch-data', dependsOn: [], workSeconds: 5 },
      { name: 'train', dependsOn: ['fetch-data'], workSeconds: 60 },
      { name: 'evaluate', dependsOn: ['train'], workSeconds: 5 },
    ]),
  }).prefault({}),
  rampSweep: z.strictObject({ rampWindows: z.array(z.int().min(1)).default([]), windowSeconds: z.array(z.number().positive()).default([]), holdWindows: z.int().min(1).default(10) }).prefault({}),
});

export type DriftRetrainBody = z.output<typeof driftRetrainBodySchema>;

/** Times of the drift schedule, µs. */
export interface DriftSchedule {
  clientStart: Time;
  onset: Time;
  rampEnd: Time;
  end: Time;
  window: Time;
}

/** The schedule of a body: onset after the stationary windows (aligned to a window boundary). Pure. */
export function driftSchedule(b: Pick<DriftRetrainBody, 'warmupSeconds' | 'windowSeconds' | 'stationaryWindows' | 'rampWindows' | 'holdWindows'>): DriftSchedule {
  const window = Math.round(b.windowSeconds * SECOND);
  const clientStart = Math.round(b.warmupSeconds * SECOND);
  const first = Math.ceil(clientStart / window) * window;
  const onset = first + b.stationaryWindows * window;
  const rampEnd = onset + (b.rampWindows === 1 ? 0 : b.rampWindows * window);
  return { clientStart, onset, rampEnd, end: rampEnd + b.holdWindows * window, window };
}

/** One configuration's run and its loop. */
export interface DriftRetrainRun {
  run: MonitoringIrisRun;
  loop: RetrainLoop;
  schedule: DriftSchedule;
  body: DriftRetrainBody;
}

/** Wire one configuration on `sim`. */
export function buildDriftRetrain(sim: Simulation, body: DriftRetrainBody): DriftRetrainRun {
  const sch = driftSchedule(body);
  const feats = irisFeatures(3);
  const payload: PayloadOptions = {
    features: feats,
    changes: [{ kind: 'drift', label: 'gradual-drift', start: sch.onset, ramp: sch.rampEnd - sch.onset, shiftSd: body.shiftSd }],
  };
  const specIn = { ...IRIS_MONITOR_SPEC_INPUT, trigger: { window: { duration: body.windowSeconds * 1000, slide: body.windowSeconds * 1000, watermarkDelay: body.watermarkSeconds * 1000 }, watermark: 'on-advance' } };
  const spec: MonitorSpec = monitorSpecSchema.parse(specIn);
  const run = buildMonitoringIris(sim, body, {
    payload, spec,
    stages: [{ concurrency: body.concurrency, duration: sch.end - sch.clientStart, label: 'drift-retrain' }],
  });
  const policy = new ConsecutiveWindowPolicy({ thresholds: body.thresholds as Partial<Record<DriftMeasure, number>>, consecutive: body.consecutive });
  const rows = (from: Time, to: Time): Float64Array[] => {
    const out: Float64Array[] = [];
    for (const r of run.logged) if (r.eventTime >= from && r.eventTime < to) out.push(r.features as Float64Array);
    return out;
  };
  const loop = new RetrainLoop({
    cluster: run.cluster, service: run.service, setBaseline: (b) => run.job.setBaseline(b), policy, features: IRIS_FEATURES, rows, window: sch.window,
    pipeline: body.retrain.pipeline as TrainingJobSpec[],
    jobTemplate: { name: 'ct', image: { name: 'iris-trainer:1', bytes: 8e8 }, runtime: 'python', resources: { cpuRequestMilli: 500, cpuLimitMilli: 1000 }, workload: { usefulWork: 0, threads: 1 }, readiness: { initialDelay: 0, period: 1, successThreshold: 1 }, terminationGracePeriod: 0 },
    minTrainingWindows: body.retrain.minTrainingWindows, maxTrainingWindows: body.retrain.maxTrainingWindows,
  });
  for (const n of run.cluster.nodes) run.cluster.preloadImage(n.name, { name: 'iris-trainer:1', bytes: 8e8 });
  if (body.retrain.enabled) run.job.onDriftWindow = (w) => loop.onWindow(w);
  else run.job.onDriftWindow = (w) => { policy.observe(w).forEach((a) => loop.alerts.push(a)); };
  return { run, loop, schedule: sch, body };
}

function r4(x: number): number | null {
  return Number.isFinite(x) ? Number(x.toPrecision(4)) : null;
}

function median(a: number[]): number {
  if (a.length === 0) return NaN;
  const s = [...a].sort((x, y) => x - y);
  const h = (s.length - 1) / 2;
  return (s[Math.floor(h)] + s[Math.ceil(h)]) / 2;
}

/** The outputs of one configuration (times in s from the client start unless named otherwise). */
export interface DriftRetrainSummary {
  metrics: { [key: string]: JsonValue };
  checks: Check[];
  detectionDelayFromOnsetS: number;
  falseAlerts: number;
  retrains: number;
}

const MEASURES = ['wasserstein', 'kullbackLeibler', 'jensenShannon'] as const;

/** Summarize one finished configuration. */
export function summarizeDriftRetrain(d: DriftRetrainRun): DriftRetrainSummary {
  const { run, loop, schedule: sch, body } = d;
  const s = (t: Time): number | null => (t >= 0 ? r4((t - sch.clientStart) / SECOND) : null);
  const alerts = loop.alerts;
  const falseAlerts = alerts.filter((a) => a.windowStart + sch.window <= sch.onset).length;
  const trueAlerts = alerts.filter((a) => a.windowStart + sch.window > sch.onset);
  const first = trueAlerts.length > 0 ? trueAlerts[0].time : -1;
  const delayOnset = first >= 0 ? (first - sch.onset) / SECOND : NaN;
  const delayRampEnd = first >= 0 ? (first - sch.rampEnd) / SECOND : NaN;
  const reqs = run.requests.filter((r) => r !== undefined);
  const firstRev = run.service.revisions[0].name;
  const afterAlert = first >= 0 ? reqs.filter((r) => r.sentAt >= first) : [];
  const staleAfterAlert = afterAlert.filter((r) => r.revision === firstRev).length;
  const afterOnset = reqs.filter((r) => r.sentAt >= sch.onset);
  // stale: served after the onset by the model trained before the drift (revision 1)
  const staleAfterOnset = afterOnset.filter((r) => r.revision === firstRev).length;
  const c0 = loop.cycles[0];
  const failedRollout = c0 !== undefined && c0.pipelineEnd >= 0
    ? reqs.filter((r) => r.status !== 200 && r.sentAt >= c0.pipelineEnd && r.sentAt <= (c0.trafficSwitch >= 0 ? c0.trafficSwitch : Infinity) + 60 * SECOND).length
    : 0;
  const failedAll = reqs.filter((r) => r.status !== 200).length;
  // coefficients before and after the first redeploy
  const wins = run.job.driftWindows;
  const coef = (w: WindowResult, m: string): number => Math.max(...w.drift.filter((r) => r.measure === m).map((r) => r.value));
  const swap = c0?.baselineSwap ?? -1;
  const before = wins.filter((w) => w.start >= sch.rampEnd && (swap < 0 || w.end <= swap));
  const after = swap >= 0 ? wins.filter((w) => w.start >= swap) : [];
  const coefSummary = (ws: WindowResult[]): { [key: string]: JsonValue } => Object.fromEntries(MEASURES.map((m) => [m, r4(median(ws.map((w) => coef(w, m))))]));
  const th = body.thresholds as Record<string, number>;
  const below = (w: WindowResult): boolean => MEASURES.every((m) => coef(w, m) <= th[m]);
  const firstBelow = after.findIndex(below);
  const recoveredAt = firstBelow >= 0 ? after[firstBelow].emittedAt : -1;
  const checks: Check[] = [];
  checks.push({ name: 'drift-retrain: false alerts in the stationary phase (structural; reported)', simulated: falseAlerts, reported: 0, tolerance: 0, pass: falseAlerts === 0 });
  checks.push({ name: 'drift-retrain: drift detected after onset (exact)', simulated: first >= 0 ? 1 : 0, reported: 1, tolerance: 0, pass: first >= 0 });
  if (body.retrain.enabled) {
    checks.push({ name: 'drift-retrain: coefficients below threshold within 5 windows of the baseline swap (exact)', simulated: firstBelow, reported: 5, tolerance: 0, pass: firstBelow >= 0 && firstBelow < 5 });
  }
  const metrics: { [key: string]: JsonValue } = {
    config: { rampWindows: body.rampWindows, windowSeconds: body.windowSeconds, shiftSd: body.shiftSd, thresholds: body.thresholds, consecutive: body.consecutive },
    driftOnsetS: s(sch.onset), rampEndS: s(sch.rampEnd),
    firstAlertS: s(first), firstAlert: trueAlerts.length > 0 ? { feature: trueAlerts[0].feature, measure: trueAlerts[0].measure, value: r4(trueAlerts[0].value) } : null,
    detectionDelayFromOnsetS: r4(delayOnset), detectionDelayFromRampEndS: r4(delayRampEnd),
    falseAlerts, alerts: alerts.length,
    retrains: loop.cycles.map((c) => ({
      alertS: s(c.alert.time), trainingDataS: [s(c.trainingFrom), s(c.trainingTo)], trainingRows: c.trainingRows,
      pipelineStartS: s(c.pipelineStart), pipelineEndS: s(c.pipelineEnd), jobs: c.jobs.map((j) => ({ name: j.name, startS: s(j.start), endS: s(j.end) })),
      revision: c.revision, revisionReadyS: s(c.revisionReady), trafficSwitchS: s(c.trafficSwitch), baselineSwapS: s(c.baselineSwap),
    })),
    timeToRecoveryS: recoveredAt >= 0 ? r4((recoveredAt - sch.onset) / SECOND) : null,
    requestsAfterFirstAlert: afterAlert.length, servedByOldModelAfterFirstAlert: staleAfterAlert,
    staleShareAfterFirstAlert: r4(staleAfterAlert / Math.max(1, afterAlert.length)),
    staleShareAfterOnset: r4(staleAfterOnset / Math.max(1, afterOnset.length)),
    failedRequestsDuringRollout: failedRollout, failedRequestsTotal: failedAll, requests: reqs.length,
    coefficientsBeforeRedeploy: coefSummary(before), coefficientsAfterRedeploy: coefSummary(after), windowsAfterSwapUntilBelow: firstBelow,
  };
  return { metrics, checks, detectionDelayFromOnsetS: delayOnset, falseAlerts, retrains: loop.cycles.length };
}

/** Run one configuration on a fresh simulation to its end. */
export function runDriftRetrain(body: DriftRetrainBody, seed: number): DriftRetrainSummary {
  const sim = new Simulation({ seed });
  const d = buildDriftRetrain(sim, body);
  sim.run(d.schedule.end + Math.round((body.drainSeconds + 30) * SECOND));
  return summarizeDriftRetrain(d);
}

if (getKind('drift-retrain') === undefined) {
  registerKind({
    kind: 'drift-retrain',
    description: 'study 3 extension: gradual drift → detection → continuous-training pipeline → new revision (cold start, blue-green) → baseline swap',
    schema: driftRetrainBodySchema,
    build(ctx): RunHandle {
      const d = buildDriftRetrain(ctx.sim, ctx.body);
      let cached: { main: DriftRetrainSummary; sweep: { [key: string]: JsonValue }[] } | undefined;
      const result = (): { main: DriftRetrainSummary; sweep: { [key: string]: JsonValue }[] } => {
        if (cached) return cached;
        const main = summarizeDriftRetrain(d);
        const sweep: { [key: string]: JsonValue }[] = [];
        const b = ctx.body;
        for (const R of b.rampSweep.rampWindows) {
          for (const w of b.rampSweep.windowSeconds) {
            const body = driftRetrainBodySchema.parse({ ...stripDefaults(b), rampWindows: R, windowSeconds: w, holdWindows: b.rampSweep.holdWindows, rampSweep: {} });
            const r = runDriftRetrain(body, ctx.seed * 1000 + R * 100 + Math.round(w));
            sweep.push({ rampWindows: R, windowSeconds: w, detectionDelayFromOnsetS: r4(r.detectionDelayFromOnsetS), detectionDelayFromRampEndS: r.metrics.detectionDelayFromRampEndS, falseAlerts: r.falseAlerts, retrains: r.retrains });
          }
        }
        cached = { main, sweep };
        return cached;
      };
      return {
        metrics: () => ({ ...result().main.metrics, sweep: result().sweep }),
        checks: () => result().main.checks,
        tables: (): Table[] => [{
          title: 'drift-retrain sweep (R × window)',
          columns: ['R windows', 'window s', 'delay from onset s', 'delay from ramp end s', 'false alerts', 'retrains'],
          rows: result().sweep.map((x) => [String(x.rampWindows), String(x.windowSeconds), String(x.detectionDelayFromOnsetS), String(x.detectionDelayFromRampEndS), String(x.falseAlerts), String(x.retrains)]),
        }],
        timeSeries: {
          columns: ['ready_pods', 'revisions', 'active_revision'],
          sample(out) {
            out[0] = d.run.service.readyPods();
            out[1] = d.run.service.revisions.length;
            out[2] = d.run.service.active;
          },
        },
      };
    },
  });
}

/** The body as input again (the plain fields parse back to themselves). */
function stripDefaults(b: DriftRetrainBody): Record<string, unknown> {
  // `monitor` holds µs after parsing; this study builds its own spec from windowSeconds
  return { ...b, monitor: undefined };
}
