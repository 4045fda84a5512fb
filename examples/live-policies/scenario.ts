/**
 * One placement/scaling decision problem and one drift-monitoring setup written once against
 * ClusterBackend (DESIGN.md rule 3; issue 8 "Show"), run unchanged on SimBackend and on
 * LocalBackend:
 *
 * - two nodes `n0`, `n1` (Sim: two 1-core nodes; Local: cpusets {0} and {1}), one function `f`
 *   (1 thread, containerConcurrency 1, 500m CPU limit) pinned to `n0` at start;
 * - traffic: Poisson arrivals whose rate alternates low/high every half period, each request
 *   carrying `WORK_US` core-µs of CPU work and two features; the features shift by
 *   `DRIFT_SHIFT` standard deviations at `driftAt` (the injected drift);
 * - the policy sees `observe(backend)` (OBS_SPACE) every `DECISION_US` and its action
 *   (ACTIONS) is applied by `apply(backend, action)`; both are the only contact with the backend;
 * - the DriftMonitor is fed by `feedMonitor` from `backend.inferenceRecords`.
 *
 * The DQN policy is trained offline on SimBackend with this same adapter (`trainOnSim`), saved
 * with `DqnAgent.save`, and loaded back with `loadPolicy`.
 */
import { MS, SECOND, type Time } from '../../src/core/time.js';
import { RandomStream } from '../../src/core/random.js';
import type { ClusterBackend, TrafficBackend } from '../../src/backend/cluster-backend.js';
import { feedMonitor } from '../../src/backend/monitor-feed.js';
import { runUntil } from '../../src/backend/traffic.js';
import { DriftMonitor, type MonitorAlert, type WindowResult } from '../../src/monitor/monitor.js';
import { parseMonitorSpec } from '../../src/monitor/spec.js';
import { baselineFromRows } from '../../src/monitor/baseline.js';
import { boxSpace, discreteSpace, type BoxSpace } from '../../src/rl/spaces.js';
import type { Policy } from '../../src/rl/policy.js';
import { DqnAgent } from '../../src/rl/dqn/agent.js';
import { normalizationFromSpace, normalize } from '../../src/rl/normalization.js';

export const FN = 'f';
export const NODES = ['n0', 'n1'] as const;
/** The function both backends run. */
export const FN_SPEC = { name: FN, replicas: 1, threads: 1, containerConcurrency: 1, cpuLimitMilli: 500, node: 'n0' };
/** CPU work per request, core-µs (40 ms: 80 ms of service under the 500m limit, ~12 req/s per pod). */
export const WORK_US = 40 * MS;
export const LOW_RATE = 4;
export const HIGH_RATE = 16;
/** Rate period: low for the first half, high for the second. */
export const RATE_PERIOD_US = 20 * SECOND;
export const DECISION_US = 1 * SECOND;
export const DRIFT_SHIFT = 1.5;
export const MAX_REPLICAS = 2;

export const OBS_SPACE: BoxSpace = boxSpace([
  { name: 'n0.cpu', meaning: 'CPU used on node n0 since the last decision, cores', low: 0, high: 2 },
  { name: 'n1.cpu', meaning: 'CPU used on node n1 since the last decision, cores', low: 0, high: 2 },
  { name: 'f.onN1', meaning: '1 when f is pinned to n1, else 0', low: 0, high: 1 },
  { name: 'f.replicas', meaning: 'desired replicas of f', low: 0, high: MAX_REPLICAS },
  { name: 'f.load', meaning: 'requests of f queued + in flight (clipped at 50)', low: 0, high: 50 },
  { name: 'f.p95', meaning: 'p95 latency of requests finished since the last decision, s (clipped at 5)', low: 0, high: 5 },
  { name: 'f.throttled', meaning: 'fraction of f pods\' CFS periods throttled since the last decision', low: 0, high: 1 },
]);

export const ACTIONS = discreteSpace([
  { name: 'noop', meaning: 'leave f as it is' },
  { name: 'scale-up', meaning: 'one more replica (legal below MAX_REPLICAS)' },
  { name: 'scale-down', meaning: 'one replica fewer (legal above 1)' },
  { name: 'move', meaning: 'pin f to the other node' },
]);

const clip = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);

/** p-quantile (nearest rank) of a sorted array; NaN when empty. */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** The adapter between a ClusterBackend and the policy: the only code that touches the backend. */
export class Adapter {
  private cursor = 0;
  private lastTime = -1;
  private lastNodeCpu = [0, 0];
  private lastPeriods = 0;
  private lastThrottled = 0;

  /** The observation vector (OBS_SPACE) of `backend` now. */
  observe(backend: ClusterBackend): Float64Array {
    const o = backend.observe();
    const f = o.functions.find((x) => x.name === FN);
    if (f === undefined) throw new Error(`adapter: expected function "${FN}" in the observation, found [${o.functions.map((x) => x.name).join(', ')}]`);
    const dt = this.lastTime < 0 ? 0 : o.time - this.lastTime;
    const obs = new Float64Array(OBS_SPACE.size);
    NODES.forEach((name, i) => {
      const n = o.nodes.find((x) => x.name === name);
      if (n === undefined) throw new Error(`adapter: expected node "${name}", found [${o.nodes.map((x) => x.name).join(', ')}]`);
      obs[i] = dt > 0 ? clip((n.cpuUsageUs - this.lastNodeCpu[i]) / dt, 0, 2) : 0;
      this.lastNodeCpu[i] = n.cpuUsageUs;
    });
    obs[2] = f.node === 'n1' ? 1 : 0;
    obs[3] = clip(f.replicas, 0, MAX_REPLICAS);
    obs[4] = clip(f.queued + f.inFlight, 0, 50);
    const b = backend.requests(this.cursor);
    this.cursor = b.cursor;
    const lat = b.items.filter((r) => r.function === FN && r.ok).map((r) => r.end - r.arrival).sort((x, y) => x - y);
    obs[5] = lat.length > 0 ? clip(quantile(lat, 0.95) / SECOND, 0, 5) : 0;
    let periods = 0;
    let throttled = 0;
    for (const p of o.pods) if (p.function === FN) { periods += p.cpu.nrPeriods; throttled += p.cpu.nrThrottled; }
    const dp = periods - this.lastPeriods;
    obs[6] = dp > 0 ? clip((throttled - this.lastThrottled) / dp, 0, 1) : 0;
    this.lastPeriods = periods;
    this.lastThrottled = throttled;
    this.lastTime = o.time;
    return obs;
  }

  /** Legal actions in `obs` (1 = legal). */
  mask(obs: ArrayLike<number>): Int8Array {
    return Int8Array.from([1, obs[3] < MAX_REPLICAS ? 1 : 0, obs[3] > 1 ? 1 : 0, 1]);
  }

  /** Apply `action` to `backend` (declarative: the backend reconciles). */
  apply(backend: ClusterBackend, action: number, obs: ArrayLike<number>): void {
    if (action === 1) backend.scale(FN, obs[3] + 1);
    else if (action === 2) backend.scale(FN, obs[3] - 1);
    else if (action === 3) backend.place(FN, obs[2] === 1 ? 'n0' : 'n1');
    else if (action !== 0) throw new RangeError(`adapter: expected an action in 0..3, found ${action}`);
  }
}

/** Reward of the step that ended in `obs`: −p95 (s) − 0.1 per replica. */
export function reward(obs: ArrayLike<number>): number {
  return -obs[5] - 0.1 * obs[3];
}

/** Features of one request: two N(0,1) values, shifted by DRIFT_SHIFT once `drifted`. */
function features(rng: RandomStream, drifted: boolean): number[] {
  const s = drifted ? DRIFT_SHIFT : 0;
  return [rng.normal() + s, rng.normal() + s];
}

/** Start the traffic against the backend's clock; returns a stop function and the count sent. */
export function startTraffic(b: TrafficBackend, seed: number, driftAt: Time): { stop: () => void; sent: () => number } {
  const arrivals = new RandomStream('live:arrivals', `servesim:${seed}:live:arrivals`);
  const feats = new RandomStream('live:features', `servesim:${seed}:live:features`);
  const t0 = b.now();
  let sent = 0;
  let cancel: () => void = () => {};
  const rate = (now: Time): number => (((now - t0) % RATE_PERIOD_US) < RATE_PERIOD_US / 2 ? LOW_RATE : HIGH_RATE);
  const fire = (now: Time): void => {
    b.send(FN, { workCoreUs: WORK_US, features: features(feats, now >= driftAt), prediction: 0 });
    sent++;
    cancel = b.after(Math.max(1, Math.round(arrivals.exponential(SECOND / rate(now)))), fire);
  };
  cancel = b.after(Math.round(arrivals.exponential(SECOND / rate(t0))), fire);
  return { stop: () => cancel(), sent: () => sent };
}

/**
 * The monitor: 5 s tumbling windows, 0.5 s watermark, Wasserstein drift alert at 0.6 on a
 * baseline of 2000 undrifted rows. Why these numbers: at the low rate a window holds ~20
 * records, whose W1 distance to N(0,1) is ~0.2 ± 0.08 (threshold ≈ 5 sd: few false alerts);
 * the injected shift of 1.5 sd moves W1 to ~1.5. 2 s windows (8 records) gave a false alert
 * before the drift on both backends.
 */
export function makeMonitor(seed: number, onWindow: (w: WindowResult) => void, onAlert: (a: MonitorAlert) => void): DriftMonitor {
  const spec = parseMonitorSpec({
    features: ['x0', 'x1'],
    trigger: { window: { duration: 5000, slide: 5000, watermarkDelay: 500 } },
    stats: { count: {}, avg: {} },
    drift: { wasserstein: { threshold: 0.6, showAll: true } },
  });
  const rng = new RandomStream('live:baseline', `servesim:${seed}:live:baseline`);
  const rows: number[][] = [];
  for (let i = 0; i < 2000; i++) rows.push(features(rng, false));
  return new DriftMonitor(spec, baselineFromRows(['x0', 'x1'], rows), { onWindow, onAlert });
}

/** What one live run did. */
export interface LiveResult {
  kind: string;
  decisions: number;
  histogram: number[];
  illegal: number;
  sent: number;
  completed: number;
  p50Ms: number;
  p95Ms: number;
  windows: number;
  driftAt: Time;
  alertsBefore: number;
  alertsAfter: number;
  /** First drift alert detection time after the injection, s after driftAt (NaN when none). */
  firstAlertAfterS: number;
}

/**
 * Run the policy and the monitor on `b` for `duration` µs of backend time: the same code for
 * every backend. The drift is injected at half the duration.
 */
export async function runLive(b: TrafficBackend, policy: Policy, duration: Time, seed: number): Promise<LiveResult> {
  if (!(await runUntil(b, () => (b.observe().functions.find((f) => f.name === FN)?.readyReplicas ?? 0) >= 1, 60 * SECOND))) {
    throw new Error(`${b.kind}: f never became Ready within 60 s`);
  }
  const adapter = new Adapter();
  adapter.observe(b); // sets the baselines of the rates
  const t0 = b.now();
  const driftAt = t0 + Math.round(duration / 2);
  const histogram = new Array<number>(ACTIONS.n).fill(0);
  let illegal = 0;
  const stopPolicy = b.every(DECISION_US, (now) => {
    const obs = adapter.observe(b);
    const mask = adapter.mask(obs);
    const a = policy.act(now, obs, mask);
    if (!(Number.isInteger(a) && a >= 0 && a < ACTIONS.n && mask[a] === 1)) illegal++;
    else histogram[a]++;
    adapter.apply(b, a, obs);
  });
  const windows: WindowResult[] = [];
  const alerts: MonitorAlert[] = [];
  const monitor = makeMonitor(seed, (w) => windows.push(w), (a) => alerts.push(a));
  const feed = feedMonitor(b, monitor, 250 * MS);
  const traffic = startTraffic(b, seed, driftAt);
  await b.runFor(duration);
  traffic.stop();
  stopPolicy();
  await runUntil(b, () => { const f = b.observe().functions[0]; return f.queued + f.inFlight === 0; }, 20 * SECOND, 100 * MS);
  await b.runFor(500 * MS);
  feed.stop();
  monitor.flush(b.now());
  const drift = alerts.filter((a) => a.kind === 'drift') as Extract<MonitorAlert, { kind: 'drift' }>[];
  const before = drift.filter((a) => a.windowEnd <= driftAt);
  const after = drift.filter((a) => a.windowEnd > driftAt);
  const reqs = b.requests(0).items.filter((r) => r.function === FN && r.ok && r.arrival >= t0);
  const lat = reqs.map((r) => r.end - r.arrival).sort((x, y) => x - y);
  return {
    kind: b.kind,
    decisions: histogram.reduce((s, x) => s + x, 0) + illegal,
    histogram,
    illegal,
    sent: traffic.sent(),
    completed: reqs.length,
    p50Ms: quantile(lat, 0.5) / MS,
    p95Ms: quantile(lat, 0.95) / MS,
    windows: windows.length,
    driftAt,
    alertsBefore: before.length,
    alertsAfter: after.length,
    firstAlertAfterS: after.length > 0 ? (Math.min(...after.map((a) => a.detectionTime)) - driftAt) / SECOND : NaN,
  };
}

/**
 * Train a small Double DQN (seeded, tfjs wasm) for `steps` decisions of DECISION_US on a
 * SimBackend from `makeSim`, through the same Adapter, and save it to `dir` (loadPolicy format).
 */
export async function trainOnSim(makeSim: () => TrafficBackend, dir: string, steps: number, seed: number): Promise<{ meanReward: number }> {
  const agent = await DqnAgent.create({
    observationDim: OBS_SPACE.size, nActions: ACTIONS.n, totalSteps: steps, seed, backend: 'wasm',
    config: { hidden: [32, 32], learningStarts: 32, targetUpdateInterval: 50, explorationFraction: 0.3, learningRate: 1e-3 },
  });
  const norm = normalizationFromSpace(OBS_SPACE);
  const normed = (o: ArrayLike<number>): Float64Array => normalize(norm, o, new Float64Array(o.length)) as Float64Array;
  const b = makeSim();
  await runUntil(b, () => b.observe().functions[0].readyReplicas >= 1, 60 * SECOND);
  const adapter = new Adapter();
  adapter.observe(b);
  const traffic = startTraffic(b, seed, Infinity);
  await b.runFor(DECISION_US);
  let obs = adapter.observe(b);
  let total = 0;
  for (let t = 0; t < steps; t++) {
    const mask = adapter.mask(obs);
    const a = agent.act(normed(obs), mask);
    adapter.apply(b, a, obs);
    await b.runFor(DECISION_US);
    const next = adapter.observe(b);
    const r = reward(next);
    total += r;
    agent.observe({ obs: normed(obs), action: a, reward: r, nextObs: normed(next), terminal: false, nextMask: adapter.mask(next) });
    obs = next;
  }
  traffic.stop();
  await b.close();
  await agent.save(dir, { observationSpace: OBS_SPACE, actionSpace: ACTIONS, normalization: norm, training: { steps, seed, env: 'examples/live-policies SimBackend' } });
  agent.dispose();
  return { meanReward: total / steps };
}
