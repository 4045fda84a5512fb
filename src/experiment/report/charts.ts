/**
 * Vega-Lite specifications of the report's plots (pure functions of the data). Each takes
 * plain rows and returns a spec that render.ts turns into SVG. Sizes are in pixels.
 */
import type { TopLevelSpec } from 'vega-lite';

/** Plot width and height, px. */
export const PLOT_WIDTH = 560;
export const PLOT_HEIGHT = 240;

const BASE = { width: PLOT_WIDTH, height: PLOT_HEIGHT, background: 'white', config: { font: 'sans-serif', view: { stroke: '#ddd' }, legend: { labelLimit: 360 } } } as const;

/** A point of a latency CDF: latency (ms) and the fraction of requests at or below it. */
export interface CdfPoint {
  series: string;
  latency_ms: number;
  fraction: number;
}

/**
 * Points of the empirical CDF of `sorted` (ascending): `steps` evenly spaced quantiles plus
 * a finer grid in the tail (99 %, 99.9 %, 99.99 %, max), so the tail stays visible.
 */
export function cdfPoints(series: string, sorted: ArrayLike<number>, steps = 200): CdfPoint[] {
  const n = sorted.length;
  if (n === 0) return [];
  const qs = new Set<number>();
  for (let k = 0; k <= steps; k++) qs.add(k / steps);
  for (const q of [0.99, 0.995, 0.999, 0.9995, 0.9999]) qs.add(q);
  const out: CdfPoint[] = [];
  let lastIdx = -1;
  for (const q of [...qs].sort((a, b) => a - b)) {
    const idx = Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
    if (idx === lastIdx) continue;
    lastIdx = idx;
    out.push({ series, latency_ms: sorted[idx], fraction: (idx + 1) / n });
  }
  return out;
}

/** Latency CDFs, one line per series, log latency axis when all latencies are positive. */
export function latencyCdfSpec(points: readonly CdfPoint[], title: string): TopLevelSpec {
  const log = points.every((p) => p.latency_ms > 0);
  return {
    ...BASE,
    title,
    data: { values: points as unknown as Record<string, unknown>[] },
    mark: { type: 'line', interpolate: 'step-after', clip: true },
    encoding: {
      x: { field: 'latency_ms', type: 'quantitative', title: 'latency (ms)', scale: log ? { type: 'log', nice: false } : { zero: true, nice: false } },
      y: { field: 'fraction', type: 'quantitative', title: 'fraction of requests ≤ latency', scale: { domain: [0, 1] } },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
}

/** One latency percentile of a series. */
export interface PercentilePoint {
  series: string;
  percentile: string;
  order: number;
  latency_ms: number;
}

/** Latency percentiles (p50 … p99.9) per series: points joined by lines, log latency axis. */
export function percentileSpec(points: readonly PercentilePoint[], title: string): TopLevelSpec {
  const log = points.every((p) => p.latency_ms > 0);
  return {
    ...BASE,
    title,
    data: { values: points as unknown as Record<string, unknown>[] },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'percentile', type: 'ordinal', sort: { field: 'order' }, title: 'percentile', axis: { labelAngle: 0 } },
      y: { field: 'latency_ms', type: 'quantitative', title: 'latency (ms)', scale: log ? { type: 'log' } : { zero: true } },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
}

/** A sample of a time series. */
export interface SeriesPoint {
  series: string;
  time_s: number;
  value: number;
}

/** Lines over time, one per series. */
export function timeSeriesSpec(points: readonly SeriesPoint[], title: string, yTitle: string): TopLevelSpec {
  return {
    ...BASE,
    title,
    data: { values: points as unknown as Record<string, unknown>[] },
    mark: { type: 'line', strokeWidth: 1.2 },
    encoding: {
      x: { field: 'time_s', type: 'quantitative', title: 'simulated time (s)' },
      y: { field: 'value', type: 'quantitative', title: yTitle },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
}

/** A learning-curve point. */
export interface CurvePoint {
  x: number;
  value: number;
}

/** One learning curve (a metric against episodes or steps). */
export function learningCurveSpec(points: readonly CurvePoint[], title: string, xTitle: string, yTitle: string): TopLevelSpec {
  return {
    ...BASE,
    title,
    data: { values: points as unknown as Record<string, unknown>[] },
    mark: { type: 'line', strokeWidth: 1.2 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: xTitle },
      y: { field: 'value', type: 'quantitative', title: yTitle },
    },
  };
}

/** A configuration's metric in a sweep: mean and 95 % CI at an axis value. */
export interface SweepPointDatum {
  /** Axis value (number, or its text when the axis is not numeric). */
  x: number | string;
  /** Label of the other axes' values (the line the point belongs to). */
  series: string;
  mean: number;
  low: number;
  high: number;
}

/** Metric against an axis: mean as line and points, 95 % CI as error bars, one line per combination of the other axes. */
export function sweepMetricSpec(points: readonly SweepPointDatum[], title: string, axisTitle: string, metricTitle: string): TopLevelSpec {
  const numeric = points.every((p) => typeof p.x === 'number');
  const x = { field: 'x', type: numeric ? ('quantitative' as const) : ('ordinal' as const), title: axisTitle, ...(numeric ? { scale: { zero: false, padding: 16 } } : {}) };
  const color = { field: 'series', type: 'nominal' as const, title: null };
  const withCi = points.filter((p) => Number.isFinite(p.low) && Number.isFinite(p.high));
  return {
    ...BASE,
    title,
    data: { values: points as unknown as Record<string, unknown>[] },
    layer: [
      { mark: { type: 'line', point: true }, encoding: { x, y: { field: 'mean', type: 'quantitative', title: metricTitle, scale: { zero: false } }, color } },
      {
        data: { values: withCi as unknown as Record<string, unknown>[] },
        mark: { type: 'errorbar', ticks: true },
        encoding: { x, y: { field: 'low', type: 'quantitative', title: metricTitle }, y2: { field: 'high' }, color },
      },
    ],
  };
}
