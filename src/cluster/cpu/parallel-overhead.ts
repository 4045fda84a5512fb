/**
 * Parallel overhead of a thread pool under a CFS quota (study 1 modelling note 1, approach (b)
 * "empirical": CPU time per request = W · (1 + overhead(T, limit)), overhead → 0 as limit → T).
 *
 * Form used (servesim's own, fitted to study 1 CT1-1…CT1-5): a fraction `waste` of the CPU a
 * request consumes is lost to synchronisation (threads waiting at barriers for peers that the
 * quota has throttled, spinning and burning quota meanwhile). It grows by `c` per halving of the
 * limit below `T / 2^d` cores, i.e. with log2 of the threads per core of quota:
 *
 *   waste(T, L) = min(maxWaste, c · max(0, log2(T / L) − d))      (0 without a limit)
 *   cpuWork     = W / (1 − waste)            i.e. overhead = waste / (1 − waste)
 *
 * `maxWaste` < 1 keeps the cost finite for very many threads per core (e.g. 32 threads under
 * 0.5 CPU); it is an assumption, not a study value.
 */

export interface ParallelOverheadParams {
  /** Waste per halving of the quota below T/2^d, fraction of consumed CPU (≥ 0). */
  c: number;
  /** log2(T/L) below which there is no waste (≥ 0). */
  d: number;
  /** Upper bound of the waste fraction, in [0, 1). */
  maxWaste: number;
}

/** Fraction of consumed CPU wasted by a pool of `threads` under a `limitCores` quota. */
export function barrierWaste(threads: number, limitCores: number, p: ParallelOverheadParams): number {
  if (!(threads > 0)) throw new RangeError(`barrierWaste: expected threads > 0, found ${threads}`);
  if (!(limitCores > 0)) throw new RangeError(`barrierWaste: expected limitCores > 0 (Infinity = no limit), found ${limitCores}`);
  if (limitCores === Infinity) return 0;
  const x = Math.log2(threads / limitCores) - p.d;
  if (x <= 0) return 0;
  const w = p.c * x;
  return w < p.maxWaste ? w : p.maxWaste;
}

/** Overhead factor: CPU time per request = W · (1 + overhead). */
export function parallelOverhead(threads: number, limitCores: number, p: ParallelOverheadParams): number {
  const w = barrierWaste(threads, limitCores, p);
  return w / (1 - w);
}

/** CPU work (core-µs at speed 1) one request consumes: `usefulWork / (1 − waste)`. */
export function requestCpuWork(usefulWorkCoreUs: number, threads: number, limitCores: number, p: ParallelOverheadParams): number {
  return usefulWorkCoreUs / (1 - barrierWaste(threads, limitCores, p));
}

/** Threads a server runs: every visible core (the default, study 1 CT1-16), or ceil(limit) when CPU-aware. */
export function serverThreads(visibleCores: number, limitCores: number, cpuAware: boolean): number {
  if (!cpuAware || limitCores === Infinity) return visibleCores;
  return Math.max(1, Math.min(visibleCores, Math.ceil(limitCores - 1e-9)));
}
