/**
 * Co-location interference on shared microarchitectural resources (platform-semantics.md §e).
 *
 * Each workload on a node exerts a demand on three shared resources, in absolute units:
 *   cpu   – busy cores (non-time effects only: power/turbo headroom, SMT siblings; the
 *           CPU-time contention itself is the CPU model's job, §e "keep CPU-time contention
 *           separate"),
 *   l3    – last-level-cache footprint, bytes,
 *   membw – DRAM bandwidth, bytes/s.
 * The node turns a demand into a pressure in [0, 1] by its own capacity (cores, L3 size,
 * memory bandwidth), so the same workload presses harder on a node with a smaller L3.
 * Pressures of the co-runners of workload j combine saturating, P_r = 1 − Π_{k≠j}(1 − p_k,r)
 * (§e "How to model slowdown" 1), and j's service time is multiplied by
 *     S_j = Π_r (1 + s_j,r · g_r(P_r))
 * with s_j,r j's sensitivity (extra slowdown at full pressure) and g_r a sensitivity curve
 * g(P) = P^a / (P^a + (k/(1−k))^a (1−P)^a): 0 at 0, 1 at 1, ½ at the knee k, convex below
 * the knee for a ≥ 1 and k ≥ ½ (a Bubble-Up-like knee curve, §e Bubble-Up). All functions
 * here are pure; NodeInterference keeps the per-node set for event-driven callers.
 *
 * iBench-like stressors (§e iBench; study 5 Setup "interference", "CPU-pressure level") are
 * a workload type: ibenchStressor() says how many busy threads one needs and what it demands.
 */
import { z } from 'zod';
import { bandwidthSchema, bytesSchema, demandBandwidthSchema, loadYamlModel, parseYamlModel } from './node-profile.js';

export const SHARED_RESOURCES = ['cpu', 'l3', 'membw'] as const;
export type SharedResource = (typeof SHARED_RESOURCES)[number];

/** Absolute demand of one workload on a node's shared resources. */
export interface InterferenceDemand {
  /** Busy cores. */
  cpuCores: number;
  /** LLC footprint, bytes. */
  l3Bytes: number;
  /** DRAM bandwidth, bytes/s. */
  membwBytesPerSec: number;
}

/** Pressure per resource, each in [0, 1]. */
export interface Pressure {
  cpu: number;
  l3: number;
  membw: number;
}

/** Extra slowdown at full pressure per resource (0 = insensitive; 1 = twice as slow). */
export type Sensitivity = Pressure;

/** Shape of a sensitivity curve: steepness a ≥ 1 and knee k in [0.5, 1) where g = ½. */
export interface CurveShape {
  steepness: number;
  knee: number;
}

/** The capacities of a node that pressures are relative to (a NodeProfile has them all). */
export interface NodeCapacity {
  cores: number;
  l3Bytes: number;
  memoryBandwidth: number;
}

export const ZERO_PRESSURE: Readonly<Pressure> = Object.freeze({ cpu: 0, l3: 0, membw: 0 });

const clip01 = (x: number): number => (x <= 0 ? 0 : x >= 1 ? 1 : x);

/** Pressure a demand exerts on a node: demand / node capacity per resource, clipped to [0, 1]. */
export function pressureOnNode(d: InterferenceDemand, node: NodeCapacity): Pressure {
  return {
    cpu: clip01(d.cpuCores / node.cores),
    l3: clip01(d.l3Bytes / node.l3Bytes),
    membw: clip01(d.membwBytesPerSec / node.memoryBandwidth),
  };
}

/** Saturating combination 1 − Π(1 − p) of several pressures, per resource. */
export function aggregatePressure(ps: readonly Pressure[]): Pressure {
  let c = 1;
  let l = 1;
  let m = 1;
  for (const p of ps) {
    c *= 1 - p.cpu;
    l *= 1 - p.l3;
    m *= 1 - p.membw;
  }
  return { cpu: 1 - c, l3: 1 - l, membw: 1 - m };
}

/**
 * Sensitivity curve g(P) = P^a / (P^a + (k/(1−k))^a (1−P)^a), P in [0, 1].
 * g(0) = 0, g(k) = ½, g(1) = 1, increasing; convex on [0, ½] for a ≥ 1, k ≥ ½.
 */
export function sensitivityCurve(p: number, shape: CurveShape): number {
  const x = clip01(p);
  if (x === 0) return 0;
  if (x === 1) return 1;
  const a = shape.steepness;
  const r = (shape.knee / (1 - shape.knee)) * ((1 - x) / x);
  return 1 / (1 + r ** a);
}

/** Slowdown factor Π_r (1 + s_r · g_r(P_r)) ≥ 1 of a workload with sensitivity `s` under pressure `p`. */
export function slowdownFactor(s: Sensitivity, p: Pressure, curves: Readonly<Record<SharedResource, CurveShape>>): number {
  return (1 + s.cpu * sensitivityCurve(p.cpu, curves.cpu))
    * (1 + s.l3 * sensitivityCurve(p.l3, curves.l3))
    * (1 + s.membw * sensitivityCurve(p.membw, curves.membw));
}

/** A workload as the interference model sees it. */
export interface InterferenceMember {
  demand: InterferenceDemand;
  sensitivity: Sensitivity;
}

/** Reusable scratch arrays of nodeSlowdowns (keep and suffix products, 3 per member). */
export class SlowdownWorkspace {
  keep = new Float64Array(24);
  suffix = new Float64Array(27);

  ensure(n: number): void {
    if (this.keep.length < 3 * n) {
      this.keep = new Float64Array(6 * n);
      this.suffix = new Float64Array(6 * n + 3);
    }
  }
}

/** Factor 1 + s·g(P) of one resource; exactly 1 when s = 0 or P = 0 (g(0) = 0, no pow). */
function resourceFactor(s: number, p: number, shape: CurveShape): number {
  return s === 0 || p <= 0 ? 1 : 1 + s * sensitivityCurve(p, shape);
}

/**
 * Slowdown of every member of a node from the pressure of all the others (never its own),
 * in O(n) with prefix/suffix products. Writes into `out` and returns it; `work` holds reusable
 * scratch arrays (the result is the same with or without it). Same arithmetic as
 * slowdownFactor(sensitivity, P, curves) with P = 1 − Π_{k≠j}(1 − p_k).
 */
export function nodeSlowdowns(
  node: NodeCapacity,
  members: readonly InterferenceMember[],
  curves: Readonly<Record<SharedResource, CurveShape>>,
  out: Float64Array = new Float64Array(members.length),
  work: SlowdownWorkspace = new SlowdownWorkspace(),
): Float64Array {
  const n = members.length;
  work.ensure(n);
  // keep[3i + r] = 1 − p_i,r
  const keep = work.keep;
  for (let i = 0; i < n; i++) {
    const d = members[i].demand;
    keep[3 * i] = 1 - clip01(d.cpuCores / node.cores);
    keep[3 * i + 1] = 1 - clip01(d.l3Bytes / node.l3Bytes);
    keep[3 * i + 2] = 1 - clip01(d.membwBytesPerSec / node.memoryBandwidth);
  }
  const suffix = work.suffix;
  suffix[3 * n] = 1;
  suffix[3 * n + 1] = 1;
  suffix[3 * n + 2] = 1;
  for (let i = n - 1; i >= 0; i--) for (let r = 0; r < 3; r++) suffix[3 * i + r] = suffix[3 * (i + 1) + r] * keep[3 * i + r];
  let pc = 1;
  let pl = 1;
  let pm = 1;
  const cc = curves.cpu;
  const cl = curves.l3;
  const cm = curves.membw;
  for (let i = 0; i < n; i++) {
    const s = members[i].sensitivity;
    out[i] = resourceFactor(s.cpu, 1 - pc * suffix[3 * (i + 1)], cc)
      * resourceFactor(s.l3, 1 - pl * suffix[3 * (i + 1) + 1], cl)
      * resourceFactor(s.membw, 1 - pm * suffix[3 * (i + 1) + 2], cm);
    pc *= keep[3 * i];
    pl *= keep[3 * i + 1];
    pm *= keep[3 * i + 2];
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Model file: curves, stressor calibration, workload classes
// ---------------------------------------------------------------------------------------

/** What a workload class demands while running and how sensitive it is. */
export interface WorkloadInterferenceProfile {
  /** LLC footprint while running, bytes. */
  l3Footprint: number;
  /** DRAM bandwidth per busy core, bytes/s. */
  membwPerCore: number;
  sensitivity: Sensitivity;
}

export interface StressorCalibration {
  /** LLC footprint of the iBench l3 stressor at 100 %, bytes. */
  referenceL3: number;
  /** DRAM bandwidth of the iBench memBw stressor at 100 %, bytes/s. */
  referenceMembw: number;
  /** Bandwidth one single-threaded memBw replica can draw, bytes/s. */
  membwPerThread: number;
  /** Fraction of referenceMembw the l3 stressor spills to DRAM, per unit level. */
  l3MembwSpill: number;
  /** Fraction of referenceL3 the memBw stressor's streams occupy, per unit level. */
  membwL3Footprint: number;
  /**
   * LLC each busy thread of the cpu stressor occupies (its loop's working set, stack, the
   * kernel's), bytes; 0 (the schema default) = the cpu stressor presses on CPU time only.
   */
  cpuL3PerThread: number;
}

export interface InterferenceModel {
  curves: Record<SharedResource, CurveShape>;
  stressors: StressorCalibration;
  workloads: Record<string, WorkloadInterferenceProfile>;
  provenance: Record<string, string>;
}

const curveSchema = z.strictObject({ steepness: z.number().min(1).max(8), knee: z.number().min(0.5).lt(1) });
const sensitivitySchema = z.strictObject({ cpu: z.number().min(0), l3: z.number().min(0), membw: z.number().min(0) });

export const interferenceModelSchema = z.strictObject({
  description: z.string().optional(),
  curves: z.strictObject({ cpu: curveSchema, l3: curveSchema, membw: curveSchema }),
  stressors: z.strictObject({
    referenceL3: bytesSchema,
    referenceMembw: bandwidthSchema,
    membwPerThread: bandwidthSchema,
    l3MembwSpill: z.number().min(0).max(1),
    membwL3Footprint: z.number().min(0).max(1),
    cpuL3PerThread: bytesSchema.default(0),
  }),
  workloads: z
    .record(z.string(), z.strictObject({ l3Footprint: bytesSchema, membwPerCore: demandBandwidthSchema, sensitivity: sensitivitySchema }))
    .refine((w) => w.default !== undefined, { message: 'a workload class named "default"' }),
  provenance: z.record(z.string(), z.string().min(1)),
});

function toModel(m: z.output<typeof interferenceModelSchema>): InterferenceModel {
  return { curves: m.curves, stressors: m.stressors, workloads: m.workloads, provenance: m.provenance };
}

/** Load models/interference/*.yaml. */
export function loadInterferenceModel(file: string): InterferenceModel {
  return toModel(loadYamlModel(file, interferenceModelSchema));
}

/** Parse an interference model from YAML text. */
export function parseInterferenceModel(text: string, file = '<interference model>'): InterferenceModel {
  return toModel(parseYamlModel(file, text, interferenceModelSchema));
}

/** The interference profile of a workload class (falls back to "default"). */
export function workloadProfile(model: InterferenceModel, workloadClass?: string): WorkloadInterferenceProfile {
  return (workloadClass !== undefined ? model.workloads[workloadClass] : undefined) ?? model.workloads.default;
}

/** Demand of a running workload of profile `w` with `busyCores` busy cores (0 when idle). */
export function workloadDemand(w: WorkloadInterferenceProfile, busyCores: number): InterferenceDemand {
  if (busyCores <= 0) return { cpuCores: 0, l3Bytes: 0, membwBytesPerSec: 0 };
  return { cpuCores: busyCores, l3Bytes: w.l3Footprint, membwBytesPerSec: w.membwPerCore * busyCores };
}

// ---------------------------------------------------------------------------------------
// iBench-like stressors
// ---------------------------------------------------------------------------------------

export type StressorKind = 'cpu' | 'l3' | 'membw';

/** A stressor's load: busy threads it runs (each wants one full core) and its demand. */
export interface StressorLoad {
  kind: StressorKind;
  level: number;
  /** Busy threads, each a CPU-bound loop for the CPU model (one core each). */
  threads: number;
  demand: InterferenceDemand;
}

/**
 * Cores occupied by CPU pressure at `level` (0–1) on a node with `cores` cores:
 * round(level · cores), at least 1 when level > 0 (study 5 Setup "CPU-pressure level"; CT5-2:
 * 50 % → 4 cores on w01, 8 on w03, 2 on w04).
 */
export function occupiedCores(level: number, cores: number): number {
  if (!(level >= 0 && level <= 1)) throw new RangeError(`occupiedCores: level: expected a fraction in [0, 1], found ${level}`);
  if (level === 0) return 0;
  return Math.min(cores, Math.max(1, Math.floor(level * cores + 0.5)));
}

/**
 * The load of an iBench-like stressor of `kind` at `level` (0–1) on a node of `cores` cores:
 *  - cpu: t = occupiedCores(level, cores) busy threads; cpu demand = those cores; LLC
 *    t × cpuL3PerThread (absolute bytes, so a node with a smaller L3 feels more pressure);
 *  - l3: one thread whose working set is level × referenceL3 (sized on the reference machine,
 *    so a node with a smaller L3 feels more pressure: study 5 modelling note 3), spilling
 *    level × l3MembwSpill × referenceMembw to DRAM;
 *  - membw: ceil(level × referenceMembw / membwPerThread) single-threaded streaming replicas
 *    (study 5: "intensity is set by the replica count") drawing level × referenceMembw and
 *    occupying level × membwL3Footprint × referenceL3 of the LLC.
 */
export function ibenchStressor(kind: StressorKind, level: number, cores: number, cal: StressorCalibration): StressorLoad {
  if (!(level >= 0 && level <= 1)) throw new RangeError(`ibenchStressor(${kind}): level: expected a fraction in [0, 1], found ${level}`);
  if (level === 0) return { kind, level, threads: 0, demand: { cpuCores: 0, l3Bytes: 0, membwBytesPerSec: 0 } };
  switch (kind) {
    case 'cpu': {
      const t = occupiedCores(level, cores);
      return { kind, level, threads: t, demand: { cpuCores: t, l3Bytes: t * cal.cpuL3PerThread, membwBytesPerSec: 0 } };
    }
    case 'l3':
      return {
        kind, level, threads: 1,
        demand: { cpuCores: 1, l3Bytes: level * cal.referenceL3, membwBytesPerSec: level * cal.l3MembwSpill * cal.referenceMembw },
      };
    case 'membw': {
      const bw = level * cal.referenceMembw;
      const t = Math.min(cores, Math.max(1, Math.ceil(bw / cal.membwPerThread - 1e-9)));
      return {
        kind, level, threads: t,
        demand: { cpuCores: t, l3Bytes: level * cal.membwL3Footprint * cal.referenceL3, membwBytesPerSec: Math.min(bw, t * cal.membwPerThread) },
      };
    }
    default:
      throw new RangeError(`ibenchStressor: kind: expected one of "cpu", "l3", "membw", found ${JSON.stringify(kind)}`);
  }
}

// ---------------------------------------------------------------------------------------
// Per-node tracker for event-driven callers
// ---------------------------------------------------------------------------------------

/**
 * The interference state of one node: members come and go (or change busy cores), and
 * slowdownOf(id) gives each member's current factor. Recomputation is lazy (on the first
 * query after a change), O(n).
 */
export class NodeInterference {
  private readonly ids: number[] = [];
  private readonly members: InterferenceMember[] = [];
  /** Whether members[i] was created here (setDemand) and may be updated in place. */
  private readonly owned: boolean[] = [];
  private factors = new Float64Array(8);
  private readonly work = new SlowdownWorkspace();
  private dirty = false;

  constructor(readonly node: NodeCapacity, readonly curves: Readonly<Record<SharedResource, CurveShape>>) {}

  /** Add or update member `id`. */
  set(id: number, member: InterferenceMember): void {
    const i = this.ids.indexOf(id);
    if (i >= 0) {
      this.members[i] = member;
      this.owned[i] = false;
    } else {
      this.ids.push(id);
      this.members.push(member);
      this.owned.push(false);
    }
    this.dirty = true;
  }

  /**
   * Add or update member `id` from plain numbers (no objects allocated for an existing member:
   * its demand is updated in place). Same effect as `set(id, {demand, sensitivity})`.
   */
  setDemand(id: number, cpuCores: number, l3Bytes: number, membwBytesPerSec: number, sensitivity: Sensitivity): void {
    const i = this.ids.indexOf(id);
    if (i < 0) {
      this.ids.push(id);
      this.members.push({ demand: { cpuCores, l3Bytes, membwBytesPerSec }, sensitivity });
      this.owned.push(true);
    } else {
      const m = this.members[i];
      const d = m.demand;
      if (d.cpuCores === cpuCores && d.l3Bytes === l3Bytes && d.membwBytesPerSec === membwBytesPerSec && m.sensitivity === sensitivity) return;
      if (this.owned[i]) {
        d.cpuCores = cpuCores;
        d.l3Bytes = l3Bytes;
        d.membwBytesPerSec = membwBytesPerSec;
        m.sensitivity = sensitivity;
      } else {
        // set() members may share their objects with the caller: replace, never mutate them
        this.members[i] = { demand: { cpuCores, l3Bytes, membwBytesPerSec }, sensitivity };
        this.owned[i] = true;
      }
    }
    this.dirty = true;
  }

  /** Remove member `id` (no-op if absent). */
  remove(id: number): void {
    const i = this.ids.indexOf(id);
    if (i < 0) return;
    this.ids.splice(i, 1);
    this.members.splice(i, 1);
    this.owned.splice(i, 1);
    this.dirty = true;
  }

  get size(): number {
    return this.ids.length;
  }

  /** Current slowdown factor of member `id` (1 if unknown). */
  slowdownOf(id: number): number {
    const i = this.ids.indexOf(id);
    if (i < 0) return 1;
    if (this.dirty) {
      if (this.factors.length < this.members.length) this.factors = new Float64Array(2 * this.members.length);
      nodeSlowdowns(this.node, this.members, this.curves, this.factors, this.work);
      this.dirty = false;
    }
    return this.factors[i];
  }

  /** Aggregate pressure of all members on the node (for telemetry). */
  pressure(): Pressure {
    // aggregatePressure(members' pressureOnNode), without the intermediate arrays
    let c = 1;
    let l = 1;
    let m = 1;
    const node = this.node;
    for (const mem of this.members) {
      const d = mem.demand;
      c *= 1 - clip01(d.cpuCores / node.cores);
      l *= 1 - clip01(d.l3Bytes / node.l3Bytes);
      m *= 1 - clip01(d.membwBytesPerSec / node.memoryBandwidth);
    }
    return { cpu: 1 - c, l3: 1 - l, membw: 1 - m };
  }
}
