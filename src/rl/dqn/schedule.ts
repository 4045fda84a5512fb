/**
 * The ε-greedy exploration schedule with SB3 semantics (calibration-targets.md DQN table:
 * ε linear from 1 to 0.01 over the first 0.2 of training). SB3 `get_linear_fn(start, end,
 * end_fraction)` evaluated at progress = num_timesteps / total_timesteps:
 * ε = end if progress > end_fraction, else start + progress·(end − start)/end_fraction.
 */

/**
 * ε used to choose the action at timestep `step` (0-based: the number of env steps already
 * taken) of a `totalSteps`-step training run.
 */
export function linearEpsilon(step: number, totalSteps: number, initial: number, final: number, fraction: number): number {
  if (!(totalSteps > 0)) throw new RangeError(`epsilon schedule: totalSteps must be > 0, found ${totalSteps}`);
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`epsilon schedule: exploration fraction must be in [0, 1], found ${fraction}`);
  const progress = step / totalSteps;
  if (progress > fraction || fraction === 0) return final;
  return initial + (progress * (final - initial)) / fraction;
}
