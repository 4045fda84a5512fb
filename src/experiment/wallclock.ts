/**
 * The only wall-clock reading outside the CLI (DESIGN.md rule 1: wall time appears only in
 * progress bars and run reports, never in simulation state).
 */
import { performance } from 'node:perf_hooks';

/** Milliseconds on a monotonic wall clock (arbitrary origin). */
export function wallMillis(): number {
  return performance.now();
}
