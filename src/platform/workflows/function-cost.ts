/**
 * The CPU cost of one workflow-function invocation: a sequence of CPU phases run one after another
 * in the function's pod (study 5 modelling notes 1 and 4). A phase has work per call (process
 * start, imports, model load) and per item it covers (decode, detection, inference), in
 * core-seconds on the reference core (w01) of its speed class, and a thread count: a fixed number,
 * or the node's visible cores capped by `maxThreads` (Python/TF/OpenCV pools size to the visible
 * cores; the useful parallelism saturates: study 5 modelling note 1).
 *
 * Node heterogeneity enters only through the node's per-class speed (node profile
 * `speed.classes`): a phase of class c on node n takes `work / speed(n, c)` CPU-seconds. The
 * NodeCpu of a node runs at its default speed, so a job's submitted work is scaled by
 * `speed(n, default) / speed(n, c)` (exact in the fluid model).
 */
import { speedFor, type NodeProfile } from '../../cluster/node-profile.js';

export interface CpuPhase {
  /** Label for reports (e.g. `startup`, `decode`, `inference`). */
  name: string;
  /** Work per invocation, core-seconds at speed 1 of `speedClass`. */
  perCall: number;
  /** Work per covered item, core-seconds at speed 1 of `speedClass`. */
  perItem: number;
  /** Threads: a count > 0, or `visible-cores` (the node's cores) capped by `maxThreads`. */
  threads: number | 'visible-cores';
  maxThreads?: number;
  /** Node speed class (node profile `speed.classes` key); `default` = the profile's default. */
  speedClass: string;
  /** Count only the covered items whose attribute `attr` equals `equals` for `perItem` (e.g. inference on face frames). */
  when?: { attr: string; equals: boolean };
  /**
   * Amdahl serial fraction σ ∈ [0, 1) of a multithreaded phase (study 5 modelling note 1: the
   * useful parallelism saturates): σ of the work runs on one thread, the rest on `threads`, so
   * on c free cores the phase takes work·(σ + (1 − σ)/c) — speed-up 1/(σ + (1 − σ)/c), which
   * flattens past ~1/σ cores. Absent or 0 = perfectly parallel. Expanded by `amdahlPhases`.
   */
  serialFraction?: number;
}

/** A function's cost model. */
export interface FunctionCost {
  name: string;
  phases: readonly CpuPhase[];
  /** Workload class in the interference model (models/interference/*.yaml `workloads`). */
  interferenceClass: string;
}

/**
 * A phase with a serial fraction σ > 0 as the two CPU phases it runs as: `<name>.serial` (σ of
 * the work, one thread) then `<name>` ((1 − σ) of the work, the phase's threads). Phases without
 * one (or with a single thread) are returned unchanged. Total work is preserved.
 */
export function amdahlPhases(p: CpuPhase): CpuPhase[] {
  const s = p.serialFraction ?? 0;
  if (!(s >= 0 && s < 1)) throw new RangeError(`phase "${p.name}": serialFraction: expected a number in [0, 1), found ${s}`);
  if (s === 0 || p.threads === 1) return [p];
  const { serialFraction: _s, maxThreads: _m, ...one } = p;
  const { serialFraction: _s2, ...rest } = p;
  return [
    { ...one, name: `${p.name}.serial`, perCall: p.perCall * s, perItem: p.perItem * s, threads: 1 },
    { ...rest, perCall: p.perCall * (1 - s), perItem: p.perItem * (1 - s) },
  ];
}

/** Threads a phase runs with on a node of `cores` visible cores. */
export function phaseThreads(p: CpuPhase, cores: number): number {
  if (typeof p.threads === 'number') return p.threads;
  const cap = p.maxThreads ?? Infinity;
  return Math.max(1, Math.min(cores, cap));
}

/** Items of `covered` that a phase's `perItem` work applies to (attribute tables by name). */
export function phaseItemCount(p: CpuPhase, covered: readonly number[], attrs: (name: string) => Uint8Array): number {
  if (p.when === undefined) return covered.length;
  const t = attrs(p.when.attr);
  let n = 0;
  for (const i of covered) if ((t[i] === 1) === p.when.equals) n++;
  return n;
}

/** Work of a phase for `items` covered items, core-µs on the reference core of its class. */
export function phaseWorkCoreUs(p: CpuPhase, items: number): number {
  return (p.perCall + p.perItem * items) * 1e6;
}

/** Work to submit to a node's CPU (which runs at the profile's default speed), core-µs. */
export function submittedWork(p: CpuPhase, items: number, node: NodeProfile): number {
  const cls = p.speedClass === 'default' ? undefined : p.speedClass;
  return phaseWorkCoreUs(p, items) * (speedFor(node, undefined) / speedFor(node, cls));
}

/**
 * Expected execution time (s) of one invocation covering `items` items on an otherwise idle node:
 * Σ phases work / (speed(class) · min(threads, cores)). No I/O, no contention.
 */
export function isolatedExecSeconds(f: FunctionCost, items: number, node: NodeProfile): number {
  let t = 0;
  for (const p of f.phases.flatMap(amdahlPhases)) {
    const cls = p.speedClass === 'default' ? undefined : p.speedClass;
    t += (p.perCall + p.perItem * items) / (speedFor(node, cls) * Math.min(phaseThreads(p, node.cores), node.cores));
  }
  return t;
}
