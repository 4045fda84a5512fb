/**
 * Comparing two latency samples (simulated vs measured, issue 8 item 5): type-7 percentiles
 * (Hyndman & Fan; R's and numpy's default, as the knative data path's stats), the relative
 * error sim/measured − 1 of each, and the two-sample Kolmogorov–Smirnov distance and p-value
 * (monitor/drift/kolmogorov-smirnov.ts, platform-semantics.md g.1).
 */
import { ksPValue, ksStatistic } from '../../monitor/drift/kolmogorov-smirnov.js';
import { sortedQuantile } from '../../workload/arrivals/closed-loop.js';

/** The percentiles reported. */
export const COMPARED_PERCENTILES = [0.5, 0.95, 0.99] as const;

export interface PercentileRow {
  /** Percentile as a fraction (0.5, 0.95, 0.99). */
  readonly p: number;
  /** Simulated value (same unit as the samples). */
  readonly simulated: number;
  /** Measured value. */
  readonly measured: number;
  /** simulated / measured − 1. */
  readonly relativeError: number;
}

export interface LatencyComparison {
  readonly simulatedCount: number;
  readonly measuredCount: number;
  readonly rows: readonly PercentileRow[];
  /** Kolmogorov–Smirnov D = sup |F_sim − F_measured|. */
  readonly ks: number;
  /** Asymptotic p-value of D. */
  readonly ksPValue: number;
  readonly simulatedMean: number;
  readonly measuredMean: number;
}

/** Relative error a/b − 1 (NaN when b is 0 or either is not finite). Pure. */
export function relativeError(a: number, b: number): number {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b - 1 : NaN;
}

function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return xs.length === 0 ? NaN : s / xs.length;
}

/** Compare two samples (any order; they are copied and sorted). */
export function compareLatencies(simulated: ArrayLike<number>, measured: ArrayLike<number>): LatencyComparison {
  const a = Float64Array.from(simulated).sort();
  const b = Float64Array.from(measured).sort();
  const rows = COMPARED_PERCENTILES.map((p) => {
    const s = sortedQuantile(a, p);
    const m = sortedQuantile(b, p);
    return { p, simulated: s, measured: m, relativeError: relativeError(s, m) };
  });
  const d = ksStatistic(a, b);
  return { simulatedCount: a.length, measuredCount: b.length, rows, ks: d, ksPValue: ksPValue(d, a.length, b.length), simulatedMean: mean(a), measuredMean: mean(b) };
}
