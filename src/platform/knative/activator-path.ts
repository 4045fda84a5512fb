/**
 * Whether the activator sits in a revision's request path: the ServerlessService (SKS) mode rule
 * with target-burst-capacity (TBC).
 *
 * Sources: platform-semantics.md a.5 (EBC formula), a.6 (mode rule, activator count).
 * Upstream knative/serving `pkg/reconciler/autoscaling/kpa/kpa.go` (ReconcileKind):
 *   mode = Proxy if want == 0 || EBC < 0 || (want == −1 && PA inactive), else Serve.
 * The spec's summary ("Serve only if want > 0 && EBC ≥ 0") differs for want = −1 with an active
 * PA (upstream: Serve); upstream wins.
 */
import { excessBurstCapacity, numActivators } from './kpa.js';

export { excessBurstCapacity, numActivators };

export type SksMode = 'Serve' | 'Proxy';

/**
 * SKS mode [a.6]. `want` is the scaler's desired scale (−1 = unknown), `ebc` the decider's excess
 * burst capacity, `paInactive` whether the PodAutoscaler's Active condition is False.
 */
export function sksMode(want: number, ebc: number, paInactive: boolean): SksMode {
  if (want === 0 || ebc < 0 || (want === -1 && paInactive)) return 'Proxy';
  return 'Serve';
}

/** True when the activator is in the request path (Proxy mode). */
export function activatorInPath(want: number, ebc: number, paInactive: boolean): boolean {
  return sksMode(want, ebc, paInactive) === 'Proxy';
}

/**
 * Fewest ready pods for which EBC ≥ 0 at a given panic-window load, i.e. the activator may leave
 * the path [a.6]: smallest n with floor(n·TotalValue − TBC − panic) ≥ 0.
 * TBC = −1 → Infinity (always in path); TBC = 0 → 1 (in path only at scale 0).
 * Defaults (TBC 211, TotalValue 100, no load) → 3; CC = 10 (TotalValue 10) → 22.
 */
export function minReadyPodsOutOfPath(totalValue: number, targetBurstCapacity: number, panicConcurrency = 0): number {
  if (!(totalValue > 0)) throw new Error(`minReadyPodsOutOfPath: expected totalValue > 0, found ${totalValue}`);
  if (targetBurstCapacity === -1) return Infinity;
  if (targetBurstCapacity === 0) return 1;
  let n = Math.max(1, Math.ceil((targetBurstCapacity + panicConcurrency) / totalValue));
  // Guard against floating error in the division: check against the exact EBC expression.
  while (excessBurstCapacity(n, totalValue, targetBurstCapacity, panicConcurrency) < 0) n++;
  while (n > 1 && excessBurstCapacity(n - 1, totalValue, targetBurstCapacity, panicConcurrency) >= 0) n--;
  return n;
}
