/**
 * The numbers of a summary.json that a sweep aggregates: every numeric leaf of the `metrics`
 * block, named by its path in `--set` syntax (`functions.image-classifier.latencyMs.p99`,
 * `replicas[2].utilisation`), then for each reproduction check `checks.<name>.simulated` and
 * `checks.<name>.pass` (1 or 0, so its mean is the pass rate). Wall-clock fields are never
 * included (they live outside `metrics`), so aggregates are deterministic.
 */
import { formatPath, type PathSegment } from '../../scenario/path.js';

/** Ordered (name, value) pairs; the order is the summary's own key order. */
export type FlatMetrics = [string, number][];

/** Flatten the aggregable numbers of a parsed summary.json. */
export function flattenSummary(summary: unknown): FlatMetrics {
  const out: FlatMetrics = [];
  if (summary === null || typeof summary !== 'object') return out;
  const s = summary as { metrics?: unknown; checks?: unknown };
  walk(s.metrics, [], out);
  if (Array.isArray(s.checks)) {
    for (const c of s.checks as unknown[]) {
      if (c === null || typeof c !== 'object') continue;
      const { name, simulated, pass } = c as { name?: unknown; simulated?: unknown; pass?: unknown };
      if (typeof name !== 'string') continue;
      if (typeof simulated === 'number') out.push([formatPath(['checks', name, 'simulated']), simulated]);
      if (typeof pass === 'boolean') out.push([formatPath(['checks', name, 'pass']), pass ? 1 : 0]);
    }
  }
  return out;
}

function walk(v: unknown, path: PathSegment[], out: FlatMetrics): void {
  if (typeof v === 'number') {
    if (path.length > 0) out.push([formatPath(path), v]);
  } else if (v === null || v === undefined) {
    // null stands for NaN in JSON: counted as missing.
    if (path.length > 0) out.push([formatPath(path), NaN]);
  } else if (Array.isArray(v)) {
    v.forEach((x, i) => walk(x, [...path, i], out));
  } else if (typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, [...path, k], out);
  }
}

/**
 * Headline metrics for terminal tables and report plots: latency p50/p99, throughput and
 * utilisation outside per-replica lists, then check pass rates; the first `max` numeric
 * metrics when none of these exist.
 */
export function headlineMetrics(names: readonly string[], max = 12): string[] {
  const headline = names.filter((n) => !n.includes('[') && /(^|\.)(p50|p99|throughput|utilisation|utilization)$/.test(n));
  const checks = names.filter((n) => /^checks\..*\.pass$|^checks\[.*\]\.pass$/.test(n));
  const picked = [...headline, ...checks];
  return (picked.length > 0 ? picked : [...names]).slice(0, max);
}
