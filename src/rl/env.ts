/**
 * The gym-style environment contract (issue 7 item 1). An environment advances its simulation
 * to the next decision point on `step` (never by wall clock) and returns the observation there,
 * the reward for the action, whether the episode ended, and free-form diagnostic info.
 *
 * Semantics follow gym/SB3 as used by the DRL study (calibration-targets.md, "DRL scheduler
 * design", Environment: step and timing): `reset(seed)` starts an episode, `step(a)` applies one
 * action. `done` marks a terminal state (its successor value is not bootstrapped); a time-limit
 * cut is `done` with `truncated: true`, which learners bootstrap through (SB3
 * `handle_timeout_termination`).
 */
import type { ActionMask, BoxSpace, DiscreteSpace, Observation } from './spaces.js';

export type { ActionMask, BoxSpace, DiscreteSpace, Observation } from './spaces.js';

/** Diagnostic information returned with each step. */
export type StepInfo = Readonly<Record<string, unknown>>;

/** What `Env.step` returns. */
export interface StepResult<I extends object = StepInfo> {
  /** Observation at the next decision point (one value per observation-space component). */
  readonly observation: Observation;
  /** Reward for the action just applied. */
  readonly reward: number;
  /** The episode ended (terminal or truncated); call `reset` before the next `step`. */
  readonly done: boolean;
  /** The episode was cut by a time limit, not by a terminal state (bootstrap through it). */
  readonly truncated?: boolean;
  readonly info: I;
}

/** A gym-style environment with declared spaces and optional action masks. */
export interface Env<I extends object = StepInfo> {
  readonly observationSpace: BoxSpace;
  readonly actionSpace: DiscreteSpace;
  /** Start an episode; the same seed gives the same episode. Returns the first observation. */
  reset(seed: number): Observation;
  /** Apply `action` and advance to the next decision point. */
  step(action: number): StepResult<I>;
  /**
   * Legal actions in the current state (`mask[a] !== 0` iff legal), or undefined when all
   * actions are always legal. Valid after `reset` and after each non-final `step`.
   */
  actionMask?(): ActionMask | undefined;
}

/** The current action mask of `env`, or undefined when the env declares none. */
export function currentMask<I extends object>(env: Env<I>): ActionMask | undefined {
  return env.actionMask === undefined ? undefined : env.actionMask();
}
