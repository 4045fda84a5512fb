/**
 * Offline profiling on the simulator (calibration-targets.md, "DRL scheduler design"): the
 * Oracle-guided variant's profile table, the exhaustive configuration sweep of CT5-17 and the
 * "best static per phase" sanity baseline. All measurements are noise-free (`noise: false`) and
 * use the true latency.
 *
 * Profile table (spec suggested construction): for each (unit, node, CPU level in {0, 25, 50,
 * 75} %), the mean end-to-end latency over `runs` runs with that unit on that node under that
 * level of pressure on that node, the other units on the initial node (w01), no pressure
 * elsewhere, initial replicas. The oracle moves a unit to argmin over nodes of
 * table[unit][node][level of that node in the current phase] (it sees the true pressure).
 */
import type { Time } from '../../core/time.js';
import { workflowReward, type RewardConstants } from './reward.js';
import type { SchedulePhase } from './schedule.js';
import { allConfigurations, initialConfiguration, moveUnit, serversInUse, type Configuration, type WorkflowTopology } from './topology.js';
import type { WorkflowBackend, WorkflowBackendFactory } from './workflow-backend.js';

/** CPU levels profiled, percent (the study's levels, §6.1). */
export const PROFILE_LEVELS: readonly number[] = Object.freeze([0, 25, 50, 75]);

/** Apply `c` to a backend: place every function, set replicas, roll out. */
export function applyConfiguration(b: WorkflowBackend, t: WorkflowTopology, c: Configuration): Time {
  t.functions.forEach((f, i) => b.place(f, t.nodes[c.fnNodes[i]]));
  for (const f of t.scalable) b.scale(f, c.replicas);
  return b.rollout();
}

/** Set the CPU pressure of every node from a phase-style map (absent nodes → 0 %). */
export function applyPressure(b: WorkflowBackend, t: WorkflowTopology, pressure: Readonly<Record<string, number>>): void {
  for (const n of t.nodes) b.setCpuPressure(n, pressure[n] ?? 0);
}

/** Options shared by the profiling functions. */
export interface ProfileOptions {
  readonly factory: WorkflowBackendFactory;
  readonly topology: WorkflowTopology;
  readonly frames: number;
  /** Runs averaged per cell (spec: 5). */
  readonly runs: number;
  /** Pause between runs, µs (the study's 8.5 s). */
  readonly wait: Time;
  /** Seed of the profiling simulations. */
  readonly seed: number;
}

/** Mean true latency (µs) of each configuration under one pressure map, on one backend. */
export function measureConfigurations(o: ProfileOptions, pressure: Readonly<Record<string, number>>, configs: readonly Configuration[]): Float64Array {
  const b = o.factory({ seed: o.seed, noise: false });
  applyPressure(b, o.topology, pressure);
  const out = new Float64Array(configs.length);
  configs.forEach((c, k) => {
    applyConfiguration(b, o.topology, c);
    let sum = 0;
    for (let r = 0; r < o.runs; r++) {
      sum += b.runWorkflow(o.frames).latency;
      b.advance(o.wait);
    }
    out[k] = sum / o.runs;
  });
  return out;
}

/** table[unit][node][levelIndex] = mean latency, µs. */
export interface OracleTable {
  readonly levels: readonly number[];
  readonly latency: readonly (readonly (readonly number[])[])[];
}

/** Build the oracle's profile table (units × nodes × levels). */
export function buildOracleTable(o: ProfileOptions, levels: readonly number[] = PROFILE_LEVELS): OracleTable {
  const t = o.topology;
  const base = initialConfiguration(t);
  const latency = t.units.map((_, u) =>
    t.nodes.map((node, n) => {
      const cfg = moveUnit(t, base, u, n);
      return levels.map((lv) => measureConfigurations(o, { [node]: lv }, [cfg])[0]);
    }),
  );
  return { levels, latency };
}

/** Index of the profiled level nearest to `level` (ties → the higher level, the safer guess). */
export function nearestLevel(levels: readonly number[], level: number): number {
  let best = 0;
  for (let i = 1; i < levels.length; i++) if (Math.abs(levels[i] - level) <= Math.abs(levels[best] - level)) best = i;
  return best;
}

/** The oracle's destination for unit `u` under `pressure` (ties → lowest node index). */
export function oracleDestination(table: OracleTable, t: WorkflowTopology, u: number, pressure: Readonly<Record<string, number>>): number {
  let best = 0;
  let bestT = Infinity;
  t.nodes.forEach((node, n) => {
    const v = table.latency[u][n][nearestLevel(table.levels, pressure[node] ?? 0)];
    if (v < bestT) {
      bestT = v;
      best = n;
    }
  });
  return best;
}

/** One configuration of the exhaustive sweep with its latency and Eq. 5.1 reward at a target. */
export interface SweepEntry {
  readonly config: Configuration;
  readonly latency: Time;
  readonly reward: number;
}

/** Latency of every configuration (nodes^units × 1..Rs) under `pressure`, with its reward at `target`. */
export function exhaustiveSweep(o: ProfileOptions, pressure: Readonly<Record<string, number>>, target: Time, reward: RewardConstants): SweepEntry[] {
  const configs = allConfigurations(o.topology);
  const lat = measureConfigurations(o, pressure, configs);
  return configs.map((config, k) => ({ config, latency: lat[k], reward: workflowReward(lat[k], target, serversInUse(config), config.replicas, reward) }));
}

/**
 * The best static configuration of each phase: among the configurations whose noise-free latency
 * is at most target × (1 − margin), the one with the highest Eq. 5.1 reward (ties → lower
 * latency, then the earlier configuration); when none qualifies, the lowest latency. The margin
 * (default 5 %) keeps the choice off the QoS edge, where run-to-run noise and the engine's 0.4 s
 * polling error would turn the reward-optimal q ≈ 1 into violations half the time. An upper
 * reference, not a deployable scheduler (spec "Sanity baselines").
 */
export function bestStaticPerPhase(o: ProfileOptions, phases: readonly SchedulePhase[], reward: RewardConstants, margin = 0.05): { phase: SchedulePhase; best: SweepEntry }[] {
  if (!(margin >= 0 && margin < 1)) throw new RangeError(`best-static margin: expected a fraction in [0, 1), found ${margin}`);
  const cache = new Map<string, SweepEntry[]>();
  return phases.map((phase) => {
    const key = JSON.stringify(Object.entries(phase.pressure).filter(([, v]) => v > 0).sort()) + `@${phase.target}`;
    let entries = cache.get(key);
    if (entries === undefined) {
      entries = exhaustiveSweep(o, phase.pressure, phase.target, reward);
      cache.set(key, entries);
    }
    const limit = phase.target * (1 - margin);
    let best: SweepEntry | undefined;
    for (const e of entries) {
      if (e.latency > limit) continue;
      if (best === undefined || e.reward > best.reward || (e.reward === best.reward && e.latency < best.latency)) best = e;
    }
    if (best === undefined) {
      best = entries[0];
      for (const e of entries) if (e.latency < best.latency) best = e;
    }
    return { phase, best };
  });
}
