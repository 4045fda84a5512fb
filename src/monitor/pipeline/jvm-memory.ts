/**
 * A phenomenological JVM pod memory model for the Spark driver and executors (calibration-
 * targets.md study 3, CT3-19 and CT3-20: memory "grows, then stabilises … with periodic peaks"):
 *
 *   memory(t) = base + min(growthPerRecord · records(t), plateau − base) + garbage(t)
 *
 * where garbage accumulates `garbagePerRecord` per record processed and drops to 0 when it
 * reaches `youngGen` (a young collection), so the series is a sawtooth on a saturating ramp:
 * its plateau is `plateau` and its peaks `plateau + youngGen`. All parameters are fitted to the
 * study's reported plateau and peak (recorded as assumptions, not predictions).
 */

export interface JvmMemoryParams {
  /** Pod memory at start (JVM, Spark and container overhead), MiB. */
  baseMiB: number;
  /** Long-lived memory the process grows to, MiB. */
  plateauMiB: number;
  /** Growth of the long-lived part per record processed, MiB. */
  growthPerRecordMiB: number;
  /** Short-lived allocation per record processed, MiB. */
  garbagePerRecordMiB: number;
  /** Garbage collected when it reaches this size, MiB. */
  youngGenMiB: number;
}

/** Pod memory (MiB) after each step, given cumulative records processed per step. Pure. */
export function jvmMemorySeries(cumulativeRecords: ArrayLike<number>, p: JvmMemoryParams): Float64Array {
  const out = new Float64Array(cumulativeRecords.length);
  let garbage = 0;
  let prev = 0;
  for (let i = 0; i < cumulativeRecords.length; i++) {
    const n = cumulativeRecords[i];
    garbage += (n - prev) * p.garbagePerRecordMiB;
    prev = n;
    while (p.youngGenMiB > 0 && garbage >= p.youngGenMiB) garbage -= p.youngGenMiB;
    const live = Math.min(n * p.growthPerRecordMiB, Math.max(0, p.plateauMiB - p.baseMiB));
    out[i] = p.baseMiB + live + garbage;
  }
  return out;
}
