/**
 * The DRL study's reward, Eq. 5.1 (calibration-targets.md, "DRL scheduler design", Reward), exact
 * as published:
 *
 *   reward = N/sp + Rs/r + (L_a/L_t)·k1        if L_a ≤ L_t
 *   reward = max(−k2, −k3 − L_a/L_t)           otherwise
 *
 * k2 = 6 is reported (§5.2.2). N, Rs, k1, k3 are not reported; the defaults below are the
 * spec's suggested values, chosen so that each of the three positive terms ranges up to 4
 * (N = 4 workers, Rs = 4 replicas, k1 = 4) and the penalty −k3 − q reaches the −6 cap at q = 2
 * (k3 = 4: the thesis found a −50 cap hampered exploration, so uncapped penalties must often
 * have gone below −6, which needs k3 ≳ 4). With k3 > −1 the reward is negative exactly when
 * L_a > L_t (CT5-18), and ≥ −k2 always.
 */

/** The constants of Eq. 5.1. */
export interface RewardConstants {
  /** N: number of worker servers (upper bound of sp). Suggested 4. */
  readonly N: number;
  /** Rs: replica budget (upper bound of r). Suggested 4. */
  readonly Rs: number;
  /** k1: weight of the latency ratio in the success case. Suggested 4. */
  readonly k1: number;
  /** k2: penalty cap (reward ≥ −k2). Reported: 6. */
  readonly k2: number;
  /** k3: penalty offset (−k3 − q before the cap). Suggested 4. */
  readonly k3: number;
}

/** Spec defaults: k2 reported, the rest suggested (recorded as assumptions). */
export const DEFAULT_REWARD_CONSTANTS: RewardConstants = Object.freeze({ N: 4, Rs: 4, k1: 4, k2: 6, k3: 4 });

/** Check the constants; the error names the field. k3 must exceed −1 so that failure is negative. */
export function validateRewardConstants(c: RewardConstants): void {
  for (const k of ['N', 'Rs', 'k1', 'k2'] as const) {
    if (!(Number.isFinite(c[k]) && c[k] > 0)) throw new RangeError(`reward.${k}: expected a positive number, found ${c[k]}`);
  }
  if (!(Number.isFinite(c.k3) && c.k3 > -1)) throw new RangeError(`reward.k3: expected a number > -1 (so a violation is always penalised), found ${c.k3}`);
}

/**
 * Eq. 5.1. `latency` and `target` in the same unit (any); `sp` servers in use (1..N), `r`
 * replicas (1..Rs). Throws on a non-positive target or out-of-range sp/r.
 */
export function workflowReward(latency: number, target: number, sp: number, r: number, c: RewardConstants = DEFAULT_REWARD_CONSTANTS): number {
  if (!(target > 0)) throw new RangeError(`reward: expected a positive QoS target, found ${target}`);
  if (!(latency >= 0)) throw new RangeError(`reward: expected a latency >= 0, found ${latency}`);
  if (!(sp >= 1 && sp <= c.N)) throw new RangeError(`reward: expected servers in use sp in [1, N=${c.N}], found ${sp}`);
  if (!(r >= 1 && r <= c.Rs)) throw new RangeError(`reward: expected replicas r in [1, Rs=${c.Rs}], found ${r}`);
  const q = latency / target;
  if (q <= 1) return c.N / sp + c.Rs / r + q * c.k1;
  return Math.max(-c.k2, -c.k3 - q);
}

/** Bounds of Eq. 5.1 under `c` (derived in the spec's Bounds table). */
export function rewardBounds(c: RewardConstants = DEFAULT_REWARD_CONSTANTS): { successLow: number; successHigh: number; failureLow: number; failureHigh: number } {
  return { successLow: 2, successHigh: c.N + c.Rs + c.k1, failureLow: -c.k2, failureHigh: Math.max(-c.k2, -c.k3 - 1) };
}
