/**
 * Training and inference event schedules of the DRL study (calibration-targets.md, "DRL
 * scheduler design", Training and inference events, Eqs. 6.1–6.4): the QoS target L_t and the
 * CPU pressure on each node follow the *step index*, not the clock. Phases are half-open step
 * intervals [from, to) (the spec's rule for the equations' doubly-inclusive boundaries); nodes
 * not listed in a phase are at 0 % (inferred in the spec).
 *
 * CPU-pressure level x (percent of a node's cores) occupies round(x/100 · vCPUs) cores, at least
 * 1 when x > 0 (study 5 "CPU-pressure level", CT5-2: 50 % → 4 cores on w01, 8 on w03, 2 on w04).
 */
import { SECOND, type Time } from '../../core/time.js';

/** One phase of a schedule: steps [from, to), its QoS target and CPU pressure per node. */
export interface SchedulePhase {
  /** First step of the phase (inclusive, 0-based). */
  readonly from: number;
  /** First step after the phase (exclusive). */
  readonly to: number;
  /** QoS target L_t, µs. */
  readonly target: Time;
  /** CPU pressure per node in percent of its cores (0–100); absent nodes are at 0. */
  readonly pressure: Readonly<Record<string, number>>;
}

/** A step-indexed schedule: consecutive phases covering [0, steps). */
export interface DrlSchedule {
  readonly name: string;
  readonly steps: number;
  readonly phases: readonly SchedulePhase[];
}

/**
 * Check that `s` is well formed: phases start at 0, are contiguous and non-empty, end at
 * `steps`, have positive targets and pressures in [0, 100] on known nodes. The error names the
 * phase index and the field.
 */
export function validateSchedule(s: DrlSchedule, nodes?: readonly string[]): void {
  const where = `schedule '${s.name}'`;
  if (!Number.isInteger(s.steps) || s.steps <= 0) throw new RangeError(`${where}: steps must be a positive integer, found ${s.steps}`);
  if (s.phases.length === 0) throw new RangeError(`${where}: expected at least one phase, found none`);
  let expectFrom = 0;
  s.phases.forEach((p, i) => {
    if (p.from !== expectFrom) throw new RangeError(`${where}: phases[${i}].from: expected ${expectFrom} (phases must be contiguous from step 0), found ${p.from}`);
    if (!Number.isInteger(p.to) || p.to <= p.from) throw new RangeError(`${where}: phases[${i}].to: expected an integer > ${p.from}, found ${p.to}`);
    if (!(p.target > 0)) throw new RangeError(`${where}: phases[${i}].target: expected a positive duration, found ${p.target}`);
    for (const [node, level] of Object.entries(p.pressure)) {
      if (nodes !== undefined && !nodes.includes(node)) throw new RangeError(`${where}: phases[${i}].pressure.${node}: unknown node; expected one of ${nodes.join(', ')}`);
      if (!(level >= 0 && level <= 100)) throw new RangeError(`${where}: phases[${i}].pressure.${node}: expected a percentage in [0, 100], found ${level}`);
    }
    expectFrom = p.to;
  });
  if (expectFrom !== s.steps) throw new RangeError(`${where}: the phases end at step ${expectFrom}, expected steps = ${s.steps}`);
}

/** Index of the phase containing `step` (steps beyond the end wrap around the schedule). */
export function phaseIndexAt(s: DrlSchedule, step: number): number {
  const k = ((step % s.steps) + s.steps) % s.steps;
  const ph = s.phases;
  for (let i = 0; i < ph.length; i++) if (k < ph[i].to) return i;
  return ph.length - 1;
}

/** The phase containing `step` (wrapping around past the end, for multi-episode training). */
export function phaseAt(s: DrlSchedule, step: number): SchedulePhase {
  return s.phases[phaseIndexAt(s, step)];
}

/**
 * Cores occupied by a CPU-pressure level: round(level/100 · vCPUs), at least 1 when level > 0,
 * at most vCPUs (study 5 Setup, "CPU-pressure level"; CT5-2).
 */
export function occupiedCores(levelPercent: number, vcpus: number): number {
  if (!(levelPercent >= 0 && levelPercent <= 100)) throw new RangeError(`occupiedCores: expected a level in [0, 100] %, found ${levelPercent}`);
  if (!Number.isInteger(vcpus) || vcpus <= 0) throw new RangeError(`occupiedCores: expected a positive integer vCPU count, found ${vcpus}`);
  if (levelPercent === 0) return 0;
  return Math.min(vcpus, Math.max(1, Math.round((levelPercent / 100) * vcpus)));
}

const S = SECOND;

/**
 * The study's training schedule, Eqs. 6.1–6.2: 500 steps in five 100-step phases; L_t = 35 s
 * for steps [0, 300), 26 s for [300, 500); CPU pressure per the spec's derived table.
 */
export function trainingSchedule(scale = 1): DrlSchedule {
  return scaledStudySchedule('training', 100 * scale);
}

/**
 * The study's inference schedule, Eqs. 6.3–6.4: "a miniature of the training one" (§6.1.2),
 * 250 steps in five 50-step phases; the QoS switches to 26 s at step 150.
 */
export function evaluationSchedule(): DrlSchedule {
  return scaledStudySchedule('evaluation', 50);
}

function scaledStudySchedule(name: string, phaseSteps: number): DrlSchedule {
  if (!Number.isInteger(phaseSteps) || phaseSteps <= 0) throw new RangeError(`schedule: phase length must be a positive integer, found ${phaseSteps}`);
  const p = (i: number, target: number, pressure: Record<string, number>): SchedulePhase => ({ from: i * phaseSteps, to: (i + 1) * phaseSteps, target: target * S, pressure });
  return {
    name,
    steps: 5 * phaseSteps,
    phases: [
      p(0, 35, { w01: 25, w04: 50 }),
      p(1, 35, { w01: 50, w04: 25 }),
      p(2, 35, { w02: 50, w03: 25 }),
      p(3, 26, {}),
      p(4, 26, { w01: 50, w02: 25, w03: 75 }),
    ],
  };
}

/** `count` back-to-back copies of `s` (multi-episode training for convergence). */
export function repeatSchedule(s: DrlSchedule, count: number): DrlSchedule {
  if (!Number.isInteger(count) || count <= 0) throw new RangeError(`repeatSchedule: count must be a positive integer, found ${count}`);
  const phases: SchedulePhase[] = [];
  for (let c = 0; c < count; c++) for (const p of s.phases) phases.push({ ...p, from: p.from + c * s.steps, to: p.to + c * s.steps });
  return { name: `${s.name}x${count}`, steps: s.steps * count, phases };
}
