/**
 * Drift alert policy (calibration-targets.md study 3, `drift-retrain.yaml` "Detection"): a drift
 * alert on a feature fires when one detector's coefficient exceeds its threshold in
 * `consecutive` consecutive windows (default 2). Thresholds default to the author's Iris example
 * values (Wasserstein 2.7, KL 1.3, JS 0.5; compat 'reference' semantics: alert when value >
 * threshold). Windows that started before `ignoreBefore` (e.g. still compared against a replaced
 * baseline) are skipped. The policy never reads a clock: it sees windows with their emission time.
 */
import type { Time } from '../../core/time.js';
import type { DriftMeasure, WindowResult } from '../../monitor/monitor.js';

/** The author's example thresholds (study 3, drift detection item 7). */
export const AUTHOR_THRESHOLDS: Readonly<Partial<Record<DriftMeasure, number>>> = Object.freeze({ wasserstein: 2.7, kullbackLeibler: 1.3, jensenShannon: 0.5 });

/** One alert of the policy. */
export interface PolicyAlert {
  /** Emission time of the window that completed the run, µs. */
  time: Time;
  windowStart: Time;
  /** Start of the first window of the consecutive run. */
  runStart: Time;
  feature: string;
  measure: DriftMeasure;
  value: number;
  threshold: number;
}

export interface ConsecutivePolicyOptions {
  thresholds?: Partial<Record<DriftMeasure, number>>;
  /** Windows in a row above the threshold (default 2). */
  consecutive?: number;
}

/** Thresholds from mean + k·sd of stationary-phase coefficients (platform-semantics.md g alternative). Pure. */
export function thresholdFromStationary(values: readonly number[], k = 3): number {
  if (values.length < 2) throw new RangeError(`thresholdFromStationary: expected at least 2 values, found ${values.length}`);
  const m = values.reduce((s, v) => s + v, 0) / values.length;
  const v = values.reduce((s, x) => s + (x - m) ** 2, 0) / (values.length - 1);
  return m + k * Math.sqrt(v);
}

/** The consecutive-windows policy. */
export class ConsecutiveWindowPolicy {
  readonly thresholds: Partial<Record<DriftMeasure, number>>;
  readonly consecutive: number;
  /** Windows before this start time are ignored. */
  ignoreBefore = -Infinity;
  private readonly streak = new Map<string, { n: number; runStart: Time }>();

  constructor(opts: ConsecutivePolicyOptions = {}) {
    this.thresholds = opts.thresholds ?? AUTHOR_THRESHOLDS;
    this.consecutive = opts.consecutive ?? 2;
    if (!(Number.isInteger(this.consecutive) && this.consecutive >= 1)) throw new RangeError(`alert policy: consecutive: expected an integer ≥ 1, found ${opts.consecutive}`);
  }

  /** Forget streaks (after a baseline swap). */
  reset(ignoreBefore: Time): void {
    this.streak.clear();
    this.ignoreBefore = ignoreBefore;
  }

  /** Observe one window (windows arrive in start order); returns the alerts it completes. */
  observe(w: WindowResult): PolicyAlert[] {
    if (w.start < this.ignoreBefore) return [];
    const out: PolicyAlert[] = [];
    for (const row of w.drift) {
      const t = this.thresholds[row.measure];
      if (t === undefined) continue;
      const key = `${row.feature}/${row.measure}`;
      const s = this.streak.get(key);
      if (row.value > t) {
        const n = (s?.n ?? 0) + 1;
        const runStart = s?.runStart ?? w.start;
        this.streak.set(key, { n, runStart });
        if (n === this.consecutive) out.push({ time: w.emittedAt, windowStart: w.start, runStart, feature: row.feature, measure: row.measure, value: row.value, threshold: t });
      } else if (s !== undefined) this.streak.delete(key);
    }
    return out;
  }
}
