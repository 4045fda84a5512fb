/**
 * Study 2, Exp. 2 (Nguyen 2020): upload time of a trained model (49/113/177/241 MB) to a
 * MinIO object store on an emulated edge node, with 0/50/250/400 ms of netem delay, from a
 * Kubernetes pod through the MinIO service and from a VM to a VM; 10 runs per cell.
 * Spec: calibration-targets.md study 2, "Exp. 2 setup", CT2-23…CT2-27, modelling notes
 * "Upload model", "The two Exp. 2 paths", "Noise", "Service discovery", "Disk".
 *
 * The uploads run one after another on the event-driven Network and ObjectStore
 * (src/cluster). The path parameters come from `models/network/model-upload.yaml`, whose
 * Kubernetes capacity and window are fitted here (fitUploadPath) to CT2-23 and CT2-24 with
 * the closed form of src/cluster/network.ts.
 *
 * `runModelUpload(params, seed)` is the pure entry point; importing this module also
 * registers the scenario kind `model-upload` (experiments/model-upload.yaml).
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { Simulation } from '../../core/simulation.js';
import { MS, SECOND, parseDuration, type Time } from '../../core/time.js';
import type { RandomStream } from '../../core/random.js';
import { Network, tcpRequestSeconds, LINUX_INITIAL_WINDOW_BYTES, type LinkId } from '../../cluster/network.js';
import { ObjectStore, type ObjectStoreClient, type ObjectTransfer } from '../../cluster/object-store.js';
import { bandwidthSchema, bytesSchema, loadYamlModel, parseBytes } from '../../cluster/node-profile.js';
import { getKind, registerKind, type Check, type JsonValue, type RunHandle, type Table } from '../../scenario/registry.js';
import { pushProblem } from '../../scenario/fields.js';

/** The two Exp. 2 setups. */
export type UploadSetup = 'kubernetes' | 'vm';
export const UPLOAD_SETUPS: readonly UploadSetup[] = ['kubernetes', 'vm'];

/** One upload path: client → (netem) → MinIO server. */
export interface UploadPath {
  description: string;
  /** Path payload capacity, bytes/s. */
  capacity: number;
  /** Base RTT without netem, µs. */
  baseRtt: Time;
  /** Effective TCP window, bytes. */
  window: number;
  initialWindow: number;
  /** Service-name lookup across the delayed path (Kubernetes service DNS). */
  resolveName: boolean;
  /** MinIO per-request overhead, µs. */
  requestOverhead: Time;
  /** MinIO backing disk write bandwidth, bytes/s. */
  diskWrite: number;
}

/** The network model of the study (models/network/model-upload.yaml). */
export interface UploadNetworkModel {
  paths: Record<UploadSetup, UploadPath>;
  /** Run-to-run throughput jitter: lognormal CV (study 2 modelling note "Noise"). */
  jitterCv: number;
  /** DNS resolver timeout, µs. */
  resolverTimeout: Time;
  provenance: Record<string, string>;
}

const durationField = z.union([z.string(), z.number()]).transform((v, ctx): Time => {
  try {
    return parseDuration(v);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `a duration such as 0.5ms or 5s (${(e as Error).message})`, input: v });
    return z.NEVER;
  }
});

const pathSchema = z.strictObject({
  description: z.string(),
  capacity: bandwidthSchema,
  baseRtt: durationField,
  window: bytesSchema,
  initialWindow: bytesSchema.default(LINUX_INITIAL_WINDOW_BYTES),
  resolveName: z.boolean(),
  requestOverhead: durationField,
  diskWrite: bandwidthSchema,
});

const fitRecordSchema = z.strictObject({
  target: z.string(),
  reported: z.number(),
  simulated: z.number(),
  relativeError: z.number(),
});

/** zod schema of models/network/model-upload.yaml. */
export const uploadNetworkModelSchema = z.strictObject({
  description: z.string(),
  paths: z.strictObject({ kubernetes: pathSchema, vm: pathSchema }),
  jitterCv: z.number().min(0).max(1),
  resolverTimeout: durationField,
  fit: z.strictObject({ capacity: fitRecordSchema, window: fitRecordSchema }),
  provenance: z.record(z.string(), z.string().min(1)),
});

/** Load and validate the upload network model file. */
export function loadUploadNetworkModel(file: string): UploadNetworkModel & { fit: z.output<typeof uploadNetworkModelSchema>['fit'] } {
  const m = loadYamlModel(file, uploadNetworkModelSchema);
  return { paths: m.paths, jitterCv: m.jitterCv, resolverTimeout: m.resolverTimeout, provenance: m.provenance, fit: m.fit };
}

/** Path of a file under the package root (the directory holding package.json and models/). */
export function packageFile(relative: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'models'))) return join(dir, relative);
    dir = dirname(dir);
  }
  return resolve(relative);
}

/** Default location of the network model. */
export const DEFAULT_UPLOAD_MODEL_FILE = 'models/network/model-upload.yaml';

// ---------------------------------------------------------------------------------------
// Closed form and fit
// ---------------------------------------------------------------------------------------

/** Payload of a model file: the reported size × 2^20 bytes (study 2, Exp. 2 "Models"). */
export function modelBytes(sizeMiB: number): number {
  return sizeMiB * 2 ** 20;
}

/**
 * Closed-form upload time (s) of `bytes` over `path` with `delayMs` of netem delay:
 * (lookup + handshake + response) RTTs + slow start + max(size/C, size·RTT/W) + overhead,
 * the bottleneck being min(path capacity, disk write). See src/cluster/network.ts.
 */
export function uploadSeconds(path: UploadPath, bytes: number, delayMs: number): number {
  const rtt = (path.baseRtt + Math.round(delayMs * MS)) / SECOND;
  return tcpRequestSeconds({
    bytes,
    rtt,
    capacity: Math.min(path.capacity, path.diskWrite),
    window: path.window,
    initialWindow: path.initialWindow,
    setupRtts: (path.resolveName ? 1 : 0) + 1,
    serverOverhead: path.requestOverhead / SECOND,
  });
}

/** A calibration point: upload `sizeMiB` at `delayMs` took `seconds`. */
export interface UploadTarget {
  id: string;
  sizeMiB: number;
  delayMs: number;
  seconds: number;
}

/** CT2-23 and CT2-24 (calibration-targets.md study 2). */
export const CT2_23: UploadTarget = { id: 'CT2-23', sizeMiB: 241, delayMs: 0, seconds: 3.8 };
export const CT2_24: UploadTarget = { id: 'CT2-24', sizeMiB: 241, delayMs: 400, seconds: 25.7 };

function bisect(f: (x: number) => number, lo: number, hi: number): number {
  // f increasing in x; find f(x) = 0.
  for (let i = 0; i < 200; i++) {
    const mid = Math.sqrt(lo * hi);
    if (f(mid) > 0) hi = mid;
    else lo = mid;
    if (hi / lo - 1 < 1e-12) break;
  }
  return Math.sqrt(lo * hi);
}

/**
 * Fit the path capacity to the capacity-bound target (0 ms) and the effective window to
 * the window-bound target (400 ms), alternating bisections until both hold (the two barely
 * interact: at 0 ms the window never binds, at 400 ms the capacity never binds).
 */
export function fitUploadPath(
  base: UploadPath, capacityTarget: UploadTarget = CT2_23, windowTarget: UploadTarget = CT2_24,
): { capacity: number; window: number; capacityError: number; windowError: number } {
  let p: UploadPath = { ...base };
  for (let iter = 0; iter < 20; iter++) {
    const capacity = bisect(
      (c) => capacityTarget.seconds - uploadSeconds({ ...p, capacity: c }, modelBytes(capacityTarget.sizeMiB), capacityTarget.delayMs),
      1e5, 1e11,
    );
    p = { ...p, capacity };
    const window = bisect(
      (w) => windowTarget.seconds - uploadSeconds({ ...p, window: w }, modelBytes(windowTarget.sizeMiB), windowTarget.delayMs),
      1e3, 1e10,
    );
    p = { ...p, window };
  }
  const err = (t: UploadTarget): number => uploadSeconds(p, modelBytes(t.sizeMiB), t.delayMs) / t.seconds - 1;
  return { capacity: p.capacity, window: p.window, capacityError: err(capacityTarget), windowError: err(windowTarget) };
}

// ---------------------------------------------------------------------------------------
// The experiment
// ---------------------------------------------------------------------------------------

export interface ModelUploadParams {
  setups: readonly UploadSetup[];
  /** Model sizes, MiB (the study's "MB" are 2^20 bytes). */
  sizesMiB: readonly number[];
  /** Netem delays, ms. */
  delaysMs: readonly number[];
  runs: number;
  network: UploadNetworkModel;
}

/** The full grid of the study with the given network model. */
export function fullGrid(network: UploadNetworkModel): ModelUploadParams {
  return { setups: UPLOAD_SETUPS, sizesMiB: [49, 113, 177, 241], delaysMs: [0, 50, 250, 400], runs: 10, network };
}

/** One upload. */
export interface UploadRecord {
  setup: UploadSetup;
  sizeMiB: number;
  delayMs: number;
  run: number;
  ok: boolean;
  error: string;
  /** Upload time, µs (what the study's timer saw). */
  duration: Time;
  /** Throughput jitter factor of the run. */
  jitter: number;
}

/** Per (setup, size, delay) statistics. */
export interface UploadCell {
  setup: UploadSetup;
  sizeMiB: number;
  delayMs: number;
  runs: number;
  completed: number;
  failures: number;
  meanS: number;
  /** Run-to-run sample standard deviation (n − 1), s. */
  sdS: number;
  meanMs: number;
  sdMs: number;
  /** The deterministic closed form without jitter, s. */
  closedFormS: number;
}

export interface ModelUploadResult {
  cells: UploadCell[];
  /** Kubernetes − VM mean upload time per (size, delay), s. */
  differences: { sizeMiB: number; delayMs: number; kubernetesMinusVmS: number }[];
  /** Per setup and delay: are mean times strictly increasing over the sizes? */
  sizeOrderings: { setup: UploadSetup; delayMs: number; increasing: boolean; meansS: number[] }[];
  /** Per setup and size: are mean times strictly increasing over the delays? */
  delayOrderings: { setup: UploadSetup; sizeMiB: number; increasing: boolean; meansS: number[] }[];
  expected: number;
  completed: number;
  failures: number;
  checks: Check[];
  records: UploadRecord[];
  /** Simulated time at which the last upload finished, µs. */
  finishedAt: Time;
}

/** Lognormal factor with mean 1 and coefficient of variation `cv`. */
export function lognormalFactor(rng: RandomStream, cv: number): number {
  if (cv === 0) return 1;
  const s2 = Math.log(1 + cv * cv);
  return Math.exp(-s2 / 2 + Math.sqrt(s2) * rng.normal());
}

/** A running grid of uploads on a Simulation (used by runModelUpload and the scenario kind). */
export class ModelUploadDriver {
  readonly records: UploadRecord[] = [];
  finishedAt: Time = -1;
  private readonly network: Network;
  private readonly links = new Map<UploadSetup, LinkId>();
  private readonly stores = new Map<UploadSetup, ObjectStore>();
  private readonly plan: { setup: UploadSetup; sizeMiB: number; delayMs: number; run: number }[] = [];
  private next = 0;

  constructor(private readonly sim: Simulation, readonly params: ModelUploadParams) {
    validateParams(params);
    this.network = new Network(sim);
    for (const setup of params.setups) {
      const p = params.network.paths[setup];
      const link = this.network.addLink({ name: `${setup}:client->minio`, capacity: p.capacity, rtt: p.baseRtt });
      this.links.set(setup, link);
      this.stores.set(setup, new ObjectStore(sim, this.network, {
        name: `minio-${setup}`,
        requestOverhead: p.requestOverhead,
        diskWriteBandwidth: p.diskWrite,
        diskReadBandwidth: p.diskWrite,
        window: p.window,
        initialWindow: p.initialWindow,
        resolverTimeout: params.network.resolverTimeout,
      }));
    }
    // Run order (study 2 Exp. 2 "Repetitions", suggested default): for each delay (netem
    // reconfigured once), each setup, all sizes × runs, sequentially.
    for (const delayMs of params.delaysMs) {
      for (const setup of params.setups) {
        for (const sizeMiB of params.sizesMiB) {
          for (let run = 1; run <= params.runs; run++) this.plan.push({ setup, sizeMiB, delayMs, run });
        }
      }
    }
  }

  /** Number of uploads in the plan. */
  get planned(): number {
    return this.plan.length;
  }

  /** Begin the sequence at the current simulated time. */
  start(): void {
    this.sim.schedule(0, this.startNext, undefined);
  }

  private readonly startNext = (): void => {
    if (this.next >= this.plan.length) {
      this.finishedAt = this.sim.now;
      return;
    }
    const item = this.plan[this.next++];
    const path = this.params.network.paths[item.setup];
    const link = this.links.get(item.setup) as LinkId;
    this.network.setAddedDelay(link, Math.round(item.delayMs * MS));
    const jitter = lognormalFactor(this.sim.random.stream(`model-upload/jitter/${item.setup}`), this.params.network.jitterCv);
    this.network.setCapacity(link, path.capacity * jitter);
    const client: ObjectStoreClient = { route: [link], resolveName: path.resolveName, windowFactor: jitter };
    const store = this.stores.get(item.setup) as ObjectStore;
    const key = `models/${item.sizeMiB}MB-${item.delayMs}ms-${item.run}`;
    store.put(client, key, modelBytes(item.sizeMiB), (r: ObjectTransfer) => {
      this.records.push({ ...item, ok: r.ok, error: r.error ?? '', duration: r.duration, jitter });
      this.startNext();
    });
  };
}

function validateParams(p: ModelUploadParams): void {
  if (!(Number.isInteger(p.runs) && p.runs >= 1)) throw new RangeError(`model-upload: runs: expected an integer ≥ 1, found ${p.runs}`);
  for (const [i, s] of p.sizesMiB.entries()) if (!(s > 0)) throw new RangeError(`model-upload: sizesMiB[${i}]: expected > 0, found ${s}`);
  for (const [i, d] of p.delaysMs.entries()) if (!(d >= 0)) throw new RangeError(`model-upload: delaysMs[${i}]: expected ≥ 0, found ${d}`);
  if (p.setups.length === 0) throw new RangeError('model-upload: setups: expected at least one of "kubernetes", "vm", found none');
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return xs.length === 0 ? NaN : s / xs.length;
}

function sampleSd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

function strictlyIncreasing(xs: readonly number[]): boolean {
  for (let i = 1; i < xs.length; i++) if (!(xs[i] > xs[i - 1])) return false;
  return xs.length > 0;
}

/** Statistics, orderings and checks (CT2-23…CT2-27) of a finished (or partial) run. */
export function summarizeModelUpload(params: ModelUploadParams, records: readonly UploadRecord[], finishedAt: Time): ModelUploadResult {
  const cells: UploadCell[] = [];
  const cellOf = (setup: UploadSetup, sizeMiB: number, delayMs: number): UploadCell | undefined =>
    cells.find((c) => c.setup === setup && c.sizeMiB === sizeMiB && c.delayMs === delayMs);
  for (const setup of params.setups) {
    for (const sizeMiB of params.sizesMiB) {
      for (const delayMs of params.delaysMs) {
        const rs = records.filter((r) => r.setup === setup && r.sizeMiB === sizeMiB && r.delayMs === delayMs);
        const ok = rs.filter((r) => r.ok).map((r) => r.duration / SECOND);
        const m = mean(ok);
        const sd = sampleSd(ok);
        cells.push({
          setup, sizeMiB, delayMs, runs: params.runs, completed: ok.length, failures: rs.length - ok.length,
          meanS: m, sdS: sd, meanMs: m * 1000, sdMs: sd * 1000,
          closedFormS: uploadSeconds(params.network.paths[setup], modelBytes(sizeMiB), delayMs),
        });
      }
    }
  }
  const differences: ModelUploadResult['differences'] = [];
  if (params.setups.includes('kubernetes') && params.setups.includes('vm')) {
    for (const sizeMiB of params.sizesMiB) {
      for (const delayMs of params.delaysMs) {
        const k = cellOf('kubernetes', sizeMiB, delayMs) as UploadCell;
        const v = cellOf('vm', sizeMiB, delayMs) as UploadCell;
        differences.push({ sizeMiB, delayMs, kubernetesMinusVmS: k.meanS - v.meanS });
      }
    }
  }
  const sizesSorted = [...params.sizesMiB].sort((a, b) => a - b);
  const delaysSorted = [...params.delaysMs].sort((a, b) => a - b);
  const sizeOrderings: ModelUploadResult['sizeOrderings'] = [];
  const delayOrderings: ModelUploadResult['delayOrderings'] = [];
  for (const setup of params.setups) {
    for (const delayMs of delaysSorted) {
      const meansS = sizesSorted.map((s) => (cellOf(setup, s, delayMs) as UploadCell).meanS);
      sizeOrderings.push({ setup, delayMs, increasing: strictlyIncreasing(meansS), meansS });
    }
    for (const sizeMiB of sizesSorted) {
      const meansS = delaysSorted.map((d) => (cellOf(setup, sizeMiB, d) as UploadCell).meanS);
      delayOrderings.push({ setup, sizeMiB, increasing: strictlyIncreasing(meansS), meansS });
    }
  }
  const expected = params.setups.length * params.sizesMiB.length * params.delaysMs.length * params.runs;
  const completed = records.filter((r) => r.ok).length;
  const failures = records.length - completed;

  const checks: Check[] = [];
  for (const [t, tol] of [[CT2_23, 0.15], [CT2_24, 0.2]] as const) {
    const c = params.setups.includes('kubernetes') ? cellOf('kubernetes', t.sizeMiB, t.delayMs) : undefined;
    if (c === undefined) continue;
    checks.push({
      name: `${t.id} upload time, kubernetes, ${t.sizeMiB} MB, ${t.delayMs} ms (s)`,
      simulated: c.meanS, reported: t.seconds, tolerance: tol,
      pass: Math.abs(c.meanS / t.seconds - 1) <= tol,
    });
  }
  for (const o of delayOrderings) {
    checks.push({
      name: `CT2-25 ${o.setup} ${o.sizeMiB} MB: T increasing over delays ${delaysSorted.join('<')} ms (1 = yes, exact)`,
      simulated: o.increasing ? 1 : 0, reported: 1, tolerance: 0, pass: o.increasing,
    });
  }
  for (const setup of params.setups) {
    const n = sizeOrderings.filter((o) => o.setup === setup && o.increasing).length;
    const need = Math.min(3, delaysSorted.length);
    checks.push({
      name: `CT2-26 ${setup}: delays at which T increases over sizes ${sizesSorted.join('<')} MB (at least ${need}, exact)`,
      simulated: n, reported: need, tolerance: 0, pass: n >= need,
    });
  }
  checks.push({
    name: `CT2-27 uploads completed without name-resolution failure (all ${expected}, exact)`,
    simulated: completed, reported: expected, tolerance: 0, pass: completed === expected && failures === 0,
  });
  return { cells, differences, sizeOrderings, delayOrderings, expected, completed, failures, checks, records: records.slice(), finishedAt };
}

/**
 * Run the whole grid on a fresh Simulation seeded with `seed` and return the statistics
 * and checks. Pure: same params and seed give the same result.
 */
export function runModelUpload(params: ModelUploadParams, seed: number): ModelUploadResult {
  const sim = new Simulation({ seed });
  const driver = new ModelUploadDriver(sim, params);
  driver.start();
  sim.run();
  return summarizeModelUpload(params, driver.records, driver.finishedAt);
}

// ---------------------------------------------------------------------------------------
// Scenario kind `model-upload`
// ---------------------------------------------------------------------------------------

const sizeMiBField = z.unknown().transform((v, ctx): number => {
  if (typeof v === 'string') {
    try {
      const bytes = parseBytes(v);
      if (bytes > 0) return bytes / 2 ** 20;
    } catch {
      // reported below
    }
  }
  pushProblem(ctx, v, 'a model size with a unit such as 49MiB (the study\'s "MB" are 2^20 bytes)');
  return z.NEVER;
});

const delayField = z.unknown().transform((v, ctx): number => {
  if (typeof v === 'string') {
    try {
      return parseDuration(v) / MS;
    } catch {
      // reported below
    }
  }
  pushProblem(ctx, v, 'a delay with a unit such as 0ms, 50ms or 0.4s');
  return z.NEVER;
});

/** Body of a `model-upload` scenario (fields beside the common header). */
export const modelUploadBodySchema = z.strictObject({
  setups: z.array(z.enum(['kubernetes', 'vm'])).min(1).default(['kubernetes', 'vm']),
  sizes: z.array(sizeMiBField).min(1),
  delays: z.array(delayField).min(1),
  runs: z.number().int().min(1),
  /** Network model file, relative to the package root unless absolute. */
  networkModel: z.string().default(DEFAULT_UPLOAD_MODEL_FILE),
  /** Overrides the model file's jitter CV. */
  jitterCv: z.number().min(0).max(1).optional(),
});

function cellTable(r: ModelUploadResult): Table {
  return {
    title: 'Model upload time per cell (study 2, Exp. 2; Fig. 19)',
    columns: ['setup', 'size_MB', 'delay_ms', 'mean_s', 'sd_s', 'mean_ms', 'closed_form_s', 'completed'],
    rows: r.cells.map((c) => [c.setup, c.sizeMiB, c.delayMs, +c.meanS.toFixed(3), +c.sdS.toFixed(3), Math.round(c.meanMs), +c.closedFormS.toFixed(3), c.completed]),
  };
}

function resultJson(r: ModelUploadResult): { [key: string]: JsonValue } {
  return {
    expected: r.expected,
    completed: r.completed,
    failures: r.failures,
    finishedAt_s: r.finishedAt / SECOND,
    cells: r.cells.map((c) => ({ ...c })),
    differences: r.differences.map((d) => ({ ...d })),
    sizeOrderings: r.sizeOrderings.map((o) => ({ ...o, meansS: o.meansS.slice() })),
    delayOrderings: r.delayOrderings.map((o) => ({ ...o, meansS: o.meansS.slice() })),
  };
}

if (getKind('model-upload') === undefined) {
  registerKind({
    kind: 'model-upload',
    description: 'study 2 Exp. 2: model uploads to MinIO over a delayed path, pod→service and VM→VM (CT2-23…CT2-27)',
    schema: modelUploadBodySchema,
    build(ctx): RunHandle {
      const b = ctx.body;
      const file = isAbsolute(b.networkModel) ? b.networkModel : packageFile(b.networkModel);
      const network = loadUploadNetworkModel(file);
      if (b.jitterCv !== undefined) network.jitterCv = b.jitterCv;
      const params: ModelUploadParams = { setups: b.setups, sizesMiB: b.sizes, delaysMs: b.delays, runs: b.runs, network };
      const driver = new ModelUploadDriver(ctx.sim, params);
      driver.start();
      let cached: ModelUploadResult | undefined;
      const result = (): ModelUploadResult => (cached ??= summarizeModelUpload(params, driver.records, driver.finishedAt));
      return {
        metrics: () => resultJson(result()),
        tables: () => [cellTable(result())],
        checks: () => result().checks,
      };
    },
  });
}
