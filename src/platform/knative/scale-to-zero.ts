/**
 * The KPA scaler's bounds, initial scale and scale-to-zero state machine, and the PodAutoscaler
 * Active condition, as pure functions of (now, observation).
 *
 * Sources: platform-semantics.md a.7. Upstream knative/serving
 * `pkg/reconciler/autoscaling/kpa/scaler.go` (`scale`, `handleScaleToZero`, `applyBounds`) and
 * `kpa.go` (`computeActiveCondition`, `activeThreshold`).
 * Notes where upstream wins over the spec summary:
 *  - an Active PA idle for < StableWindow returns 1 pod (re-check after StableWindow − activeFor);
 *  - CanFailActivation is strict: activatingFor > activationTimeout.
 */
import { SECOND } from '../../core/time.js';
import type { RevisionAutoscalingSpec } from './config.js';

/** PodAutoscaler Active condition: True = Active, Unknown = Activating, False = Inactive. */
export type PaState = 'Active' | 'Activating' | 'Inactive';

/** Re-queue after marking inactive while the SKS is already in proxy mode [a.7]. */
export const PROXY_REQUEUE = 3 * SECOND;

/** Clamp x to [min, max]; max = 0 means unbounded (`applyBounds`) [a.7]. */
export function applyBounds(min: number, max: number, x: number): number {
  if (x < min) return min;
  if (max !== 0 && x > max) return max;
  return x;
}

/** Observation for one scaler pass. Times are µs. */
export interface ScaleToZeroObservation {
  readonly now: number;
  readonly paState: PaState;
  /** When the Active condition last changed (its LastTransitionTime), µs. */
  readonly paStateSince: number;
  /** Whether the activator answers the probe through the revision's service (skipped when TBC = −1). */
  readonly activatorProbeOk: boolean;
  /** Since when the SKS has been in Proxy mode, or null if it is in Serve mode. */
  readonly sksProxySince: number | null;
}

export interface ScaleToZeroResult {
  readonly desired: number;
  /** False: do not patch replicas this pass. */
  readonly apply: boolean;
  /** Re-enqueue the PA after this many µs, if set. */
  readonly requeueAfter: number | null;
}

type StzSpec = Pick<RevisionAutoscalingSpec, 'enableScaleToZero' | 'stableWindow' | 'scaleToZeroGracePeriod' | 'scaleToZeroPodRetention' | 'activationTimeout' | 'targetBurstCapacity'>;

/**
 * `handleScaleToZero` [a.7] for a desired scale already clamped to bounds. Non-zero desired passes
 * through. For 0: disabled → 1; Activating → 0 only after the activation timeout (else −1, no
 * apply); Active → (0, no apply; the PA goes Inactive) once active for ≥ StableWindow, else 1 pod
 * until then; Inactive → 0 when inactive for ≥ max(grace, retention), or when retention has passed
 * and the SKS has proxied for ≥ grace; otherwise wait.
 */
export function handleScaleToZero(spec: StzSpec, desired: number, o: ScaleToZeroObservation): ScaleToZeroResult {
  if (desired !== 0) return { desired, apply: true, requeueAfter: null };
  if (!spec.enableScaleToZero) return { desired: 1, apply: true, requeueAfter: null };
  const inStateFor = o.now - o.paStateSince;
  switch (o.paState) {
    case 'Activating':
      if (inStateFor - spec.activationTimeout > 0) return { desired: 0, apply: true, requeueAfter: null };
      return { desired: -1, apply: false, requeueAfter: spec.activationTimeout };
    case 'Active': {
      const sw = spec.stableWindow;
      if (inStateFor >= sw) {
        return { desired: 0, apply: false, requeueAfter: o.sksProxySince !== null ? PROXY_REQUEUE : null };
      }
      return { desired: 1, apply: true, requeueAfter: sw - inStateFor };
    }
    case 'Inactive': {
      const probeOk = spec.targetBurstCapacity === -1 ? true : o.activatorProbeOk;
      if (!probeOk) return { desired: 0, apply: false, requeueAfter: SECOND };
      const retention = spec.scaleToZeroPodRetention;
      const grace = spec.scaleToZeroGracePeriod;
      if (inStateFor >= Math.max(grace, retention)) return { desired: 0, apply: true, requeueAfter: null };
      if (retention > 0 && inStateFor < retention) return { desired: 0, apply: false, requeueAfter: retention - inStateFor };
      const proxyFor = o.sksProxySince === null ? 0 : o.now - o.sksProxySince;
      const to = grace - proxyFor;
      if (to <= 0) return { desired: 0, apply: true, requeueAfter: null };
      return { desired: 0, apply: false, requeueAfter: to };
    }
  }
}

/** Scaler inputs beyond the scale-to-zero observation. */
export interface ScalerObservation extends ScaleToZeroObservation {
  /** Whether ScaleTargetInitialized is set on the PA (initial scale reached once). */
  readonly scaleTargetInitialized: boolean;
}

type ScalerSpec = StzSpec & Pick<RevisionAutoscalingSpec, 'minScale' | 'maxScale' | 'initialScale' | 'reachable'>;

/**
 * The scaler pass (`scaler.scale`) [a.7]: unknown (−1) desired is a no-op unless activating; apply
 * min/max bounds, raising min to the initial scale until the target is initialized (reachable
 * revisions only, per the spec); then `handleScaleToZero`. The caller patches replicas when
 * `apply` and `desired` differs from the current replicas.
 */
export function scalerScale(spec: ScalerSpec, deciderDesired: number, o: ScalerObservation): ScaleToZeroResult {
  if (deciderDesired < 0 && o.paState !== 'Activating') return { desired: deciderDesired, apply: false, requeueAfter: null };
  let min = spec.minScale;
  if (spec.initialScale > 1 && !o.scaleTargetInitialized && spec.reachable) min = Math.max(spec.initialScale, min);
  const bounded = applyBounds(min, spec.maxScale, deciderDesired);
  return handleScaleToZero(spec, bounded, o);
}

/** Pods needed for the PA to count as Active (`activeThreshold`) [a.7]. */
export function activeThreshold(minScale: number, initialScale: number, scaleTargetInitialized: boolean): number {
  return scaleTargetInitialized ? Math.max(minScale, 1) : Math.max(minScale, initialScale);
}

/**
 * New Active condition (`computeActiveCondition`) from want (the scaler's result; −1 unknown),
 * ready pods and the current state. Returns the state and whether the target is now initialized.
 */
export function computeActiveCondition(
  want: number,
  readyPods: number,
  current: PaState,
  minScale: number,
  initialScale: number,
  scaleTargetInitialized: boolean,
): { state: PaState; scaleTargetInitialized: boolean } {
  const minReady = activeThreshold(minScale, initialScale, scaleTargetInitialized);
  const initialized = scaleTargetInitialized || readyPods >= minReady;
  let state = current;
  if (want === 0 || minReady === 0) state = 'Inactive';
  else if (readyPods < minReady) state = want > 0 || current !== 'Inactive' ? 'Activating' : 'Inactive';
  else if (want > 0 || current !== 'Inactive') state = 'Active';
  return { state, scaleTargetInitialized: initialized };
}
