/**
 * The one place where live backends (LocalBackend, KubernetesBackend, compare) read real time.
 * A live backend runs against reality, so its clock is the machine's; simulation code never
 * imports this file (the lint rule allows wall-clock reads here and nowhere else in src/
 * outside the CLI, progress and benchmark code).
 */

/** Monotonic time in whole microseconds since an arbitrary origin (never goes back). */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Unix time in microseconds (to align with timestamps that other systems record). */
export function unixUs(): number {
  return Date.now() * 1000;
}
