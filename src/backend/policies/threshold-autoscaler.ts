/**
 * A threshold autoscaler written only against ClusterBackend (issue 8: the same policy object runs
 * on SimBackend and on the live backends). It is a pure decision `decide(now, observation)`
 * (DESIGN.md rule 3: it never reads a clock) plus `runPolicy`, which calls it every interval
 * on the backend's clock and applies the decision.
 *
 * Rule (the KPA/HPA ratio rule in its simplest form, platform-semantics.md §a): desired =
 * ceil((in flight + queued) / target per replica), clamped to [min, max]; scale-down only after
 * the desired count has stayed lower for `scaleDownDelay` µs (a stable window).
 */
import type { Time } from '../../core/time.js';
import type { ClusterBackend, ClusterObservation } from '../cluster-backend.js';

export interface ThresholdAutoscalerOptions {
  readonly fn: string;
  /** Requests (in flight + queued) one replica should hold. */
  readonly targetPerReplica: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** How long a lower desired count must last before scaling down, µs. */
  readonly scaleDownDelay: Time;
}

/** desired = clamp(ceil(load / target), min, max). Pure. */
export function desiredReplicas(load: number, target: number, min: number, max: number): number {
  const d = Math.ceil(load / target);
  return Math.min(max, Math.max(min, d));
}

export class ThresholdAutoscaler {
  private lowerSince = -1;
  /** Decisions taken: [time, replicas]. */
  readonly decisions: [Time, number][] = [];

  constructor(readonly opts: ThresholdAutoscalerOptions) {
    if (!(opts.targetPerReplica > 0)) throw new RangeError(`ThresholdAutoscaler: targetPerReplica: expected > 0, found ${opts.targetPerReplica}`);
    if (!(Number.isInteger(opts.minReplicas) && opts.minReplicas >= 0 && opts.maxReplicas >= opts.minReplicas)) {
      throw new RangeError(`ThresholdAutoscaler: expected integers 0 ≤ minReplicas ≤ maxReplicas, found ${opts.minReplicas}, ${opts.maxReplicas}`);
    }
  }

  /** The replica count to set now, or null to leave it. */
  decide(now: Time, obs: ClusterObservation): number | null {
    const f = obs.functions.find((x) => x.name === this.opts.fn);
    if (f === undefined) return null;
    const want = desiredReplicas(f.inFlight + f.queued, this.opts.targetPerReplica, this.opts.minReplicas, this.opts.maxReplicas);
    if (want > f.replicas) {
      this.lowerSince = -1;
      return this.record(now, want);
    }
    if (want < f.replicas) {
      if (this.lowerSince < 0) this.lowerSince = now;
      if (now - this.lowerSince >= this.opts.scaleDownDelay) {
        this.lowerSince = -1;
        return this.record(now, want);
      }
      return null;
    }
    this.lowerSince = -1;
    return null;
  }

  private record(now: Time, n: number): number {
    this.decisions.push([now, n]);
    return n;
  }
}

/** Run `policy` every `interval` on `backend`'s clock; returns a function that stops it. */
export function runPolicy(backend: ClusterBackend, policy: ThresholdAutoscaler, interval: Time): () => void {
  return backend.every(interval, (now) => {
    const n = policy.decide(now, backend.observe());
    if (n !== null) backend.scale(policy.opts.fn, n);
  });
}
