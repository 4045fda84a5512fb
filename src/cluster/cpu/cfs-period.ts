/**
 * CFS bandwidth-control period arithmetic for a group running at a constant rate
 * (platform-semantics.md §d.1, §d.3). Runtime available in a period is `quota + bucket`;
 * at each period end the unused runtime refills the burst bucket, capped at `burst`:
 * `bucket ← min(burst, bucket + quota − used)`; with burst 0 nothing carries over.
 * All times are µs, CPU amounts are CPU-µs, rates are cores.
 */

/** Index of the period containing time `t` when boundaries lie at `origin + k·period`. */
export function periodIndex(t: number, origin: number, period: number): number {
  return Math.floor((t - origin) / period);
}

/** Bucket after a period that used `used` CPU-µs (§d.3 burst variant). */
export function bucketAfterPeriod(bucket: number, used: number, quota: number, burst: number): number {
  const b = bucket + quota - used;
  return b <= 0 ? 0 : b < burst ? b : burst;
}

/**
 * Bucket after `m` consecutive full periods each using `use` CPU-µs, starting from `bucket`,
 * assuming the group was never throttled in them (the caller guarantees it).
 */
export function bucketAfterFullPeriods(bucket: number, m: number, use: number, quota: number, burst: number): number {
  if (m <= 0) return bucket;
  const b = bucket + m * (quota - use);
  return b <= 0 ? 0 : b < burst ? b : burst;
}

/**
 * Time (µs from now, possibly fractional; Infinity if never) at which a group running at
 * `rate` cores exhausts its runtime, given: `toEnd` µs left in the current period, `used`
 * CPU-µs already used in it, the burst `bucket`, `quota`, `burst` cap and `period`.
 * Exact, in O(1): if the current period does not exhaust, the first full period whose
 * `quota + bucket` is below `rate·period` does (the bucket shrinks by `rate·period − quota`
 * per period); a rate at or below `quota/period` never exhausts.
 */
export function quotaExhaustionDelay(
  rate: number,
  toEnd: number,
  used: number,
  bucket: number,
  quota: number,
  burst: number,
  period: number,
): number {
  if (rate <= 0) return Infinity;
  const room = quota + bucket - used;
  if (rate * toEnd >= room) return room > 0 ? room / rate : 0;
  const deficit = rate * period - quota; // bucket drain per full period
  if (deficit <= 0) return Infinity;
  const b1 = bucketAfterPeriod(bucket, used + rate * toEnd, quota, burst);
  const j = Math.floor(b1 / deficit); // full periods that survive on the bucket
  return toEnd + j * period + (quota + b1 - j * deficit) / rate;
}
