/**
 * OpenFaaS autoscaling rules as pure functions: the Community Edition alert-driven rule, the Pro
 * autoscaler formula with its scale-down window, and the idle-to-zero rules.
 *
 * Sources: platform-semantics.md b.3. CE: openfaas/faas `gateway/handlers/alerthandler.go`
 * `CalculateReplicas` and `gateway/scaling/ranges.go` (DefaultMinReplicas 1, DefaultMaxReplicas 5,
 * DefaultScalingFactor 10; code wins over the docs' 20 %). Upstream detail kept: when the step is 0
 * (scaling factor 0) a "firing" alert also sets replicas to the minimum. Pro: docs
 * `docs/architecture/autoscaling.md` (the poll interval is not public: [UNCERTAIN], a parameter).
 * Times are integer µs; never reads a clock.
 */
import { MINUTE } from '../../core/time.js';

/** CE defaults (`gateway/scaling/ranges.go`) [b.3]. */
export const CE_DEFAULT_MIN_REPLICAS = 1;
export const CE_DEFAULT_MAX_REPLICAS = 5;
export const CE_DEFAULT_SCALING_FACTOR = 10;

/** CE alert timing (Prometheus/AlertManager chart config) [b.3]. */
export const CE_ALERT_RPS_THRESHOLD = 5;
export const CE_ALERT_RATE_WINDOW = 10_000_000;
export const CE_ALERT_FOR = 5_000_000;

export type AlertStatus = 'firing' | 'resolved';

/**
 * CE `CalculateReplicas` [b.3]: max = min(labelMax, 5); step = ceil(max/100 × factor);
 * firing with step > 0 → min(current + step, max); otherwise (resolved, or step 0) → minReplicas.
 */
export function ceAlertReplicas(
  status: AlertStatus,
  currentReplicas: number,
  labelMaxReplicas: number = CE_DEFAULT_MAX_REPLICAS,
  minReplicas: number = CE_DEFAULT_MIN_REPLICAS,
  scalingFactor: number = CE_DEFAULT_SCALING_FACTOR,
): number {
  if (!(scalingFactor >= 0 && scalingFactor <= 100)) throw new Error(`OpenFaaS com.openfaas.scale.factor: expected 0..100, found ${scalingFactor}`);
  const max = Math.min(labelMaxReplicas, CE_DEFAULT_MAX_REPLICAS);
  const step = Math.ceil((max / 100) * scalingFactor);
  if (status === 'firing' && step > 0) return currentReplicas + step > max ? max : currentReplicas + step;
  return minReplicas;
}

/** Whether the CE alert condition holds: 200-response rate over the last 10 s > 5 rps [b.3]. */
export function ceAlertCondition(successfulRps: number): boolean {
  return successfulRps > CE_ALERT_RPS_THRESHOLD;
}

export type ProScaleType = 'rps' | 'capacity' | 'cpu' | 'queue';

/** Pro label defaults [b.3]. */
export interface ProScalingLabels {
  readonly type: ProScaleType;
  readonly target: number;
  readonly targetProportion: number;
  readonly min: number;
  readonly max: number;
  readonly zero: boolean;
  /** µs. */
  readonly zeroDuration: number;
  /** µs, ≤ 5 min; 0 = no down window. */
  readonly downWindow: number;
}

export const PRO_DEFAULT_LABELS: ProScalingLabels = Object.freeze({
  type: 'rps',
  target: 50,
  targetProportion: 0.9,
  min: 1,
  max: 20,
  zero: false,
  zeroDuration: 15 * MINUTE,
  downWindow: 0,
});

/** Merge and validate Pro labels; errors name the label. */
export function proLabels(partial: Partial<ProScalingLabels> = {}): ProScalingLabels {
  const l = { ...PRO_DEFAULT_LABELS, ...partial };
  const bad = (k: string, exp: string, v: unknown): never => {
    throw new Error(`com.openfaas.scale.${k}: expected ${exp}, found ${JSON.stringify(v)}`);
  };
  if (!(l.target > 0)) bad('target', '> 0', l.target);
  if (!(l.targetProportion > 0 && l.targetProportion <= 1)) bad('target-proportion', 'in (0, 1]', l.targetProportion);
  if (!Number.isInteger(l.min) || l.min < 0) bad('min', 'an integer ≥ 0', l.min);
  if (!Number.isInteger(l.max) || l.max < Math.max(1, l.min)) bad('max', `an integer ≥ max(1, min=${l.min})`, l.max);
  if (!(l.downWindow >= 0 && l.downWindow <= 5 * MINUTE)) bad('down.window', '0..5m', l.downWindow);
  if (!(l.zeroDuration > 0)) bad('zero-duration', '> 0', l.zeroDuration);
  return l;
}

/**
 * Pro formula [b.3]: desired = ceil(readyPods × meanLoadPerPod / (target × targetProportion)),
 * clamped to [min, max].
 */
export function proDesiredReplicas(readyPods: number, meanLoadPerPod: number, labels: Pick<ProScalingLabels, 'target' | 'targetProportion' | 'min' | 'max'>): number {
  const raw = Math.ceil((readyPods * meanLoadPerPod) / (labels.target * labels.targetProportion));
  return Math.min(labels.max, Math.max(labels.min, raw));
}

/**
 * Pro scale-down window [b.3]: scale down only to the maximum recommendation over the last
 * `window` µs. Holds only its history; advance with `recommend(now, desired)`.
 */
export class ProScaleDownWindow {
  private readonly hist: { time: number; value: number }[] = [];
  constructor(readonly window: number) {}

  recommend(now: number, desired: number): number {
    this.hist.push({ time: now, value: desired });
    while (this.hist.length > 0 && this.hist[0].time <= now - this.window) this.hist.shift();
    let m = desired;
    for (const h of this.hist) if (h.value > m) m = h.value;
    return m;
  }
}

/**
 * Idle rule (Pro `zero`/`zero-duration`, legacy faas-idler `inactivity_duration`) [b.3]: scale to
 * zero when enabled and no invocation for at least `inactivity` µs. `lastInvocation` null = never.
 */
export function shouldScaleToZero(now: number, lastInvocation: number | null, inactivity: number, enabled: boolean, createdAt = 0): boolean {
  if (!enabled) return false;
  const since = lastInvocation ?? createdAt;
  return now - since >= inactivity;
}
