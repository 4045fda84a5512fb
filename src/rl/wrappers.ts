/**
 * Environment wrappers (issue 7 item 1): validation of observations and actions against the
 * declared spaces, observation normalisation from declared bounds, and episode statistics.
 * Each wrapper is itself an `Env` and exposes the wrapped env as `inner`.
 */
import type { Env, StepInfo, StepResult } from './env.js';
import { normalize, normalizationFromSpace, type Normalization } from './normalization.js';
import {
  boxSpace,
  validateAction,
  validateMask,
  validateObservation,
  type ActionMask,
  type BoxSpace,
  type DiscreteSpace,
  type Observation,
} from './spaces.js';

/** Base class: forwards everything to `inner`. */
export abstract class EnvWrapper<I extends object = StepInfo, J extends object = I> implements Env<J> {
  constructor(readonly inner: Env<I>) {}
  get observationSpace(): BoxSpace {
    return this.inner.observationSpace;
  }
  get actionSpace(): DiscreteSpace {
    return this.inner.actionSpace;
  }
  abstract reset(seed: number): Observation;
  abstract step(action: number): StepResult<J>;
  actionMask(): ActionMask | undefined {
    return this.inner.actionMask === undefined ? undefined : this.inner.actionMask();
  }
}

/**
 * Checks every observation against the declared bounds, every mask for shape and at least one
 * legal action, and every action for range and legality; throws an error naming the component
 * or action. Also rejects `step` after `done` without `reset`, and non-finite rewards.
 */
export class CheckedEnv<I extends object = StepInfo> extends EnvWrapper<I, I> {
  private needsReset = true;

  reset(seed: number): Observation {
    if (!Number.isInteger(seed)) throw new RangeError(`reset: expected an integer seed, found ${seed}`);
    const obs = this.inner.reset(seed);
    validateObservation(this.observationSpace, obs, 'reset observation');
    this.checkMask();
    this.needsReset = false;
    return obs;
  }

  step(action: number): StepResult<I> {
    if (this.needsReset) throw new Error('step: the episode is over (or never started); call reset(seed) first');
    validateAction(this.actionSpace, action, this.actionMask());
    const r = this.inner.step(action);
    validateObservation(this.observationSpace, r.observation, 'step observation');
    if (!Number.isFinite(r.reward)) throw new RangeError(`step reward: expected a finite number, found ${r.reward}`);
    if (r.done) this.needsReset = true;
    else this.checkMask();
    return r;
  }

  private checkMask(): void {
    const m = this.actionMask();
    if (m !== undefined) validateMask(this.actionSpace, m);
  }
}

/**
 * Maps each observation component linearly from its declared [low, high] onto `range`
 * (default [0, 1]) and clips. The wrapped observation space is the target range on every
 * component (same names, meanings suffixed with the transform).
 */
export class NormalizeObservation<I extends object = StepInfo> extends EnvWrapper<I, I> {
  readonly normalization: Normalization;
  private readonly space: BoxSpace;

  constructor(inner: Env<I>, range: readonly [number, number] = [0, 1]) {
    super(inner);
    this.normalization = normalizationFromSpace(inner.observationSpace, range, true);
    const src = inner.observationSpace;
    this.space = boxSpace(
      src.components.map((c) => ({
        name: c.name,
        meaning: `${c.meaning}; normalised from [${c.low}, ${c.high}] to [${range[0]}, ${range[1]}]`,
        low: range[0],
        high: range[1],
      })),
      src.shape,
    );
  }

  override get observationSpace(): BoxSpace {
    return this.space;
  }

  reset(seed: number): Observation {
    return normalize(this.normalization, this.inner.reset(seed));
  }

  step(action: number): StepResult<I> {
    const r = this.inner.step(action);
    return { ...r, observation: normalize(this.normalization, r.observation) };
  }
}

/** Statistics of one finished episode. */
export interface EpisodeRecord {
  readonly episode: number;
  readonly return: number;
  readonly length: number;
  readonly truncated: boolean;
}

/** Info added by `EpisodeStatistics`: `episode` is present on the step that ends an episode. */
export type WithEpisode<I extends object> = I & { readonly episode?: EpisodeRecord };

/** Tracks the running return and length of the current episode and records finished ones. */
export class EpisodeStatistics<I extends object = StepInfo> extends EnvWrapper<I, WithEpisode<I>> {
  /** Finished episodes, in order. */
  readonly episodes: EpisodeRecord[] = [];
  /** Return of the current (unfinished) episode so far. */
  currentReturn = 0;
  /** Steps taken in the current episode so far. */
  currentLength = 0;

  reset(seed: number): Observation {
    this.currentReturn = 0;
    this.currentLength = 0;
    return this.inner.reset(seed);
  }

  step(action: number): StepResult<WithEpisode<I>> {
    const r = this.inner.step(action);
    this.currentReturn += r.reward;
    this.currentLength++;
    if (!r.done) return r;
    const rec: EpisodeRecord = { episode: this.episodes.length, return: this.currentReturn, length: this.currentLength, truncated: r.truncated === true };
    this.episodes.push(rec);
    return { ...r, info: { ...r.info, episode: rec } };
  }
}

/**
 * The observation pipeline a policy must reproduce: the raw (unwrapped) observation space and
 * the normalisation applied on top of it, found by walking the wrapper chain.
 */
export function observationPipeline<I extends object>(env: Env<I>): { rawSpace: BoxSpace; normalization?: Normalization } {
  let normalization: Normalization | undefined;
  let e: Env<object> = env as Env<object>;
  for (;;) {
    if (e instanceof NormalizeObservation) {
      if (normalization !== undefined) throw new Error('observationPipeline: nested NormalizeObservation wrappers are not supported');
      normalization = e.normalization;
    }
    if (e instanceof EnvWrapper) e = e.inner as Env<object>;
    else break;
  }
  return normalization === undefined ? { rawSpace: e.observationSpace } : { rawSpace: e.observationSpace, normalization };
}
