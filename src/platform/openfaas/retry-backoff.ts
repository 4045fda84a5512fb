/**
 * Retry back-off of the Pro (JetStream) queue-worker (platform-semantics.md §b.2). The exact
 * formula is not public [UNCERTAIN]; the spec's model is
 *   delay_k = min(maxRetryWait, initialRetryWait · 2^(k−1))   for the k-th retry (k ≥ 1),
 * with the jitter modes `exponential` (none, the default), `full` (uniform 0–100 % of the
 * delay) and `equal` (uniform 50–100 %). A `Retry-After` header is not modelled.
 */
import type { RandomStream } from '../../core/random.js';
import { SECOND, type Time } from '../../core/time.js';

/** Chart defaults (`queueWorkerPro`) [§b.2]. */
export const PRO_MAX_INFLIGHT = 50;
export const PRO_MAX_RETRY_ATTEMPTS = 100;
export const PRO_MAX_RETRY_WAIT = 120 * SECOND;
export const PRO_INITIAL_RETRY_WAIT = 10 * SECOND;
export const PRO_HTTP_RETRY_CODES: readonly number[] = Object.freeze([408, 429, 500, 502, 503, 504]);

export type RetryJitter = 'exponential' | 'full' | 'equal';

/** Delay before the k-th retry (k ≥ 1), µs, without jitter. */
export function retryDelay(k: number, initial: Time, max: Time): Time {
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`retryDelay: k: expected an integer ≥ 1, found ${k}`);
  if (!(initial > 0) || !(max >= initial)) throw new RangeError(`retryDelay: expected 0 < initial ≤ max, found initial ${initial}, max ${max}`);
  // 2^(k−1) overflows to Infinity for large k; min() keeps the cap.
  return Math.min(max, Math.round(initial * 2 ** (k - 1)));
}

/** Apply a jitter mode to a delay (one uniform draw for `full` and `equal`). */
export function jitterDelay(delay: Time, mode: RetryJitter, rng: RandomStream): Time {
  if (mode === 'exponential') return delay;
  const lo = mode === 'full' ? 0 : 0.5;
  return Math.round(delay * (lo + (1 - lo) * rng.next()));
}
