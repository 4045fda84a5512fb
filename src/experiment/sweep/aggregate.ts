/**
 * The aggregate of a sweep (issue 8 item 1): for every configuration and every metric, the
 * mean and 95 % Student-t confidence interval over its seeds, written as aggregate.csv in
 * long form (one row per configuration × metric). Computed only from the points'
 * summary.json files in plan order, so a resumed, a sharded-then-merged and an uninterrupted
 * sweep give byte-identical files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonValue, Table } from '../../scenario/registry.js';
import { writeCsvAtomic, type CsvCell } from '../atomic.js';
import { canonicalJson } from './canonical.js';
import type { SweepPlan } from './expand.js';
import { flattenSummary, headlineMetrics } from './metrics.js';
import { meanCi95, type MeanCi } from './stats.js';

/** File name of the aggregate inside a sweep directory. */
export const AGGREGATE_FILE = 'aggregate.csv';

/** Fixed columns of aggregate.csv after `config` and the axis columns. */
export const AGGREGATE_STAT_COLUMNS = ['metric', 'n', 'mean', 'sd', 'ci95_low', 'ci95_high', 'ci95_half'] as const;

/** One row: a configuration's metric over its seeds. */
export interface AggregateRow {
  config: string;
  values: JsonValue[];
  metric: string;
  ci: MeanCi;
}

/** Read the summary.json of every point in `points` from `dir` (in the given order). */
export function readSummaries(dir: string, pointDirs: readonly string[]): unknown[] {
  return pointDirs.map((p) => JSON.parse(readFileSync(join(dir, p, 'summary.json'), 'utf8')) as unknown);
}

/**
 * Aggregate rows of `plan` from the summaries of its points (`summaries[i]` belongs to
 * `plan.points[i]`; undefined entries are points not run, e.g. in another shard). Metrics
 * appear in the order first seen; configurations in plan order; configurations with no
 * point are left out.
 */
export function aggregateSweep(plan: SweepPlan, summaries: readonly (unknown | undefined)[]): AggregateRow[] {
  const byConfig = plan.configs.map(() => [] as Map<string, number>[]);
  const order: string[] = [];
  const known = new Set<string>();
  plan.points.forEach((p, i) => {
    const s = summaries[i];
    if (s === undefined) return;
    const m = new Map<string, number>();
    for (const [name, v] of flattenSummary(s)) {
      m.set(name, v);
      if (!known.has(name)) {
        known.add(name);
        order.push(name);
      }
    }
    byConfig[p.config].push(m);
  });
  const rows: AggregateRow[] = [];
  plan.configs.forEach((c, ci) => {
    const seeds = byConfig[ci];
    if (seeds.length === 0) return;
    for (const metric of order) {
      const xs = seeds.map((m) => m.get(metric) ?? NaN);
      rows.push({ config: c.id, values: c.values, metric, ci: meanCi95(xs) });
    }
  });
  return rows;
}

/** A number as written in aggregate.csv: 10 significant digits, empty when not finite. */
export function formatStat(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(10))) : '';
}

/** An axis value as a CSV cell: strings as they are, everything else as canonical JSON. */
export function formatAxisValue(v: JsonValue): string {
  return typeof v === 'string' ? v : canonicalJson(v);
}

/** Header and rows of aggregate.csv. */
export function aggregateCsv(plan: SweepPlan, rows: readonly AggregateRow[]): { headers: string[]; rows: CsvCell[][] } {
  return {
    headers: ['config', ...plan.axes.map((a) => a.path), ...AGGREGATE_STAT_COLUMNS],
    rows: rows.map((r) => [
      r.config,
      ...r.values.map(formatAxisValue),
      r.metric,
      r.ci.n,
      formatStat(r.ci.mean),
      formatStat(r.ci.sd),
      formatStat(r.ci.low),
      formatStat(r.ci.high),
      formatStat(r.ci.half),
    ]),
  };
}

/** Write aggregate.csv atomically into `dir`; returns its path. */
export async function writeAggregate(dir: string, plan: SweepPlan, rows: readonly AggregateRow[]): Promise<string> {
  const file = join(dir, AGGREGATE_FILE);
  const csv = aggregateCsv(plan, rows);
  await writeCsvAtomic(file, csv.headers, csv.rows);
  return file;
}

function short(x: number): string {
  if (!Number.isFinite(x)) return '-';
  return String(Number(x.toPrecision(4)));
}

/** Most rows of the terminal aggregate table. */
export const MAX_TABLE_ROWS = 120;

/**
 * The aggregate as a terminal table: one row per configuration × headline metric
 * (metrics.ts headlineMetrics), `mean ± half-width`, at most `maxRows` rows.
 */
export function aggregateTable(plan: SweepPlan, rows: readonly AggregateRow[], metrics?: readonly string[], maxRows = MAX_TABLE_ROWS): Table {
  const names = [...new Set(rows.map((r) => r.metric))];
  const pick = new Set(metrics ?? headlineMetrics(names));
  const label = plan.axes.length === 0 ? ['config'] : plan.axes.map((a) => a.path);
  const picked = rows.filter((r) => pick.has(r.metric));
  const more = picked.length > maxRows ? `; first ${maxRows} of ${picked.length} rows` : '';
  return {
    title: `Aggregate over ${plan.seeds.length} seed${plan.seeds.length === 1 ? '' : 's'}: mean ± 95% CI (all metrics in ${AGGREGATE_FILE}${more})`,
    columns: [...label, 'metric', 'n', 'mean', '± 95% CI'],
    rows: picked
      .slice(0, maxRows)
      .map((r) => [...(plan.axes.length === 0 ? [r.config] : r.values.map(formatAxisValue)), r.metric, r.ci.n, short(r.ci.mean), short(r.ci.half)]),
  };
}
