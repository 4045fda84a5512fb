/**
 * `servesim report DIR` (issue 8 item 3): a self-contained report.html for a run directory
 * (latency CDFs and percentiles per function, every time-series column, arrivals, learning
 * curves, reproduction checks) or a sweep directory (each headline metric against the first
 * axis with 95 % CI error bars, latency CDFs per configuration, check pass rates). Every
 * plot is also written as an .svg file next to the report.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '../atomic.js';
import { AGGREGATE_FILE, formatAxisValue } from '../sweep/aggregate.js';
import type { SweepPlan } from '../sweep/expand.js';
import { isPointComplete, isSweepDir, planFromManifest, readManifest } from '../sweep/manifest.js';
import { flattenSummary, headlineMetrics } from '../sweep/metrics.js';
import {
  cdfPoints,
  latencyCdfSpec,
  learningCurveSpec,
  percentileSpec,
  sweepMetricSpec,
  timeSeriesSpec,
  type CdfPoint,
  type PercentilePoint,
  type SeriesPoint,
  type SweepPointDatum,
} from './charts.js';
import { columnIndex, readCsv } from './csv-read.js';
import { reportHtml, type ReportPlot, type ReportSection, type ReportTable } from './html.js';
import { inlineSvg, renderSvg } from './render.js';
import { ReportError } from './report-error.js';
import { quantileSorted, readRunData, type FunctionRequests, type RunData } from './run-data.js';

/** File name of the report inside the directory. */
export const REPORT_FILE = 'report.html';

/** Percentiles shown per function: label and quantile. */
export const PERCENTILES: readonly [string, number][] = [
  ['p50', 0.5],
  ['p90', 0.9],
  ['p95', 0.95],
  ['p99', 0.99],
  ['p99.9', 0.999],
];

/** Most points drawn per time-series line (longer series are averaged in buckets). */
export const MAX_LINE_POINTS = 1500;
/** Most configurations whose latency CDFs a sweep report draws. */
export const MAX_CDF_CONFIGS = 8;
/** Most metric plots of a sweep report. */
export const MAX_SWEEP_PLOTS = 12;

export interface ReportOptions {
  /** Metrics to plot for a sweep (default: metrics.ts headlineMetrics). */
  metrics?: readonly string[];
}

export interface ReportResult {
  kind: 'run' | 'sweep';
  file: string;
  /** Paths of the .svg files written. */
  plots: string[];
}

/** Collects plots: renders each spec, writes its .svg into the directory. */
class PlotWriter {
  readonly written: string[] = [];
  private readonly used = new Set<string>();
  constructor(private readonly dir: string) {}

  async plot(name: string, title: string, caption: string, spec: TopLevelSpec): Promise<ReportPlot> {
    const base = `plot-${name.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-+|-+$/g, '')}`.slice(0, 90);
    let file = `${base}.svg`;
    for (let k = 2; this.used.has(file); k++) file = `${base}-${k}.svg`;
    this.used.add(file);
    const svg = await renderSvg(spec);
    const path = join(this.dir, file);
    await writeFileAtomic(path, svg);
    this.written.push(path);
    return { file, title, caption, svg: inlineSvg(svg) };
  }
}

function fmt(x: unknown, digits = 4): string | number {
  if (typeof x !== 'number') return x === null || x === undefined ? '-' : String(x);
  if (!Number.isFinite(x)) return '-';
  return Number.isInteger(x) ? x : Number(x.toPrecision(digits));
}

/** Bucket means of (t, v) so that at most `max` points remain. */
export function downsample(times: ArrayLike<number>, values: ArrayLike<number>, max = MAX_LINE_POINTS): { t: number; v: number }[] {
  const n = times.length;
  const stride = Math.max(1, Math.ceil(n / max));
  const out: { t: number; v: number }[] = [];
  for (let i = 0; i < n; i += stride) {
    let s = 0;
    let k = 0;
    for (let j = i; j < Math.min(n, i + stride); j++) {
      if (Number.isFinite(values[j])) {
        s += values[j];
        k++;
      }
    }
    if (k > 0) out.push({ t: times[i], v: s / k });
  }
  return out;
}

const SERIES_TITLES: Record<string, string> = {
  queued: 'queue length (requests waiting)',
  in_service: 'requests in service',
  in_flight: 'requests in flight',
  busy_cores: 'busy cores',
  replicas: 'replicas',
  ready: 'ready replicas',
  throttled: 'CPU throttling',
  throttled_periods: 'CPU throttled periods',
  throttled_fraction: 'CPU throttling (fraction of periods)',
};

/** Group time-series columns by their last `.`-separated part (`fn.queued` → `queued`). */
export function groupColumns(columns: readonly string[]): Map<string, { column: number; series: string }[]> {
  const groups = new Map<string, { column: number; series: string }[]>();
  columns.forEach((c, j) => {
    const dot = c.lastIndexOf('.');
    const kind = dot < 0 ? c : c.slice(dot + 1);
    const series = dot < 0 ? c : c.slice(0, dot);
    let g = groups.get(kind);
    if (!g) groups.set(kind, (g = []));
    g.push({ column: j, series });
  });
  return groups;
}

/** Arrival rate per function in bins of a round width chosen to give at most ~1200 bins. */
export function arrivalRates(fns: readonly FunctionRequests[], end: number): { points: SeriesPoint[]; binSeconds: number } {
  const widths = [1, 5, 10, 30, 60, 300, 600, 3600, 21600, 86400];
  const binSeconds = widths.find((w) => end / w <= 1200) ?? widths[widths.length - 1];
  const bins = Math.max(1, Math.ceil(end / binSeconds));
  const points: SeriesPoint[] = [];
  for (const f of fns) {
    const counts = new Float64Array(bins);
    for (const a of f.arrivals) counts[Math.min(bins - 1, Math.floor(a / binSeconds))]++;
    for (let b = 0; b < bins; b++) points.push({ series: f.name, time_s: b * binSeconds, value: counts[b] / binSeconds });
  }
  return { points, binSeconds };
}

/** Latency percentiles per series from the summary's metrics when requests.csv is absent (`<series>.latency….p99`). */
export function percentilesFromSummary(summary: unknown): PercentilePoint[] {
  const out: PercentilePoint[] = [];
  for (const [name, v] of flattenSummary(summary)) {
    const m = /^(.+)\.latency\w*\.p(\d+(?:\.\d+)?)$/i.exec(name);
    if (m && Number.isFinite(v)) out.push({ series: m[1].replace(/^functions\./, ''), percentile: `p${m[2]}`, order: Number(m[2]), latency_ms: v });
  }
  return out;
}

function checksTableOf(summary: Record<string, unknown>): ReportTable | undefined {
  const checks = summary.checks;
  if (!Array.isArray(checks) || checks.length === 0) return undefined;
  const rows: (string | number)[][] = [];
  const classes: (string | undefined)[][] = [];
  for (const c of checks as Record<string, unknown>[]) {
    const sim = Number(c.simulated);
    const rep = Number(c.reported);
    const err = rep !== 0 ? (sim - rep) / rep : NaN;
    rows.push([String(c.name), fmt(sim), fmt(rep), Number.isFinite(err) ? `${(err * 100).toFixed(1)}%` : '-', fmt(c.tolerance), c.pass ? 'pass' : 'FAIL']);
    classes.push([undefined, undefined, undefined, undefined, undefined, c.pass ? 'pass' : 'fail']);
  }
  const passed = (checks as { pass?: unknown }[]).filter((c) => c.pass === true).length;
  return {
    title: `Simulated vs reported (${passed} of ${checks.length} pass)`,
    columns: ['check', 'simulated', 'reported', 'relative error', 'tolerance', 'result'],
    rows,
    classes,
  };
}

async function runSections(data: RunData, plots: PlotWriter): Promise<ReportSection[]> {
  const s = data.summary;
  const sections: ReportSection[] = [];
  sections.push({
    title: 'Run',
    tables: [
      {
        title: 'Summary',
        columns: ['field', 'value'],
        rows: [
          ['scenario', String(s.scenario ?? '-')],
          ['kind', String(s.kind ?? '-')],
          ['file', String(s.file ?? '-')],
          ['seed', fmt(s.seed)],
          ['simulated duration', String(s.simulatedDuration ?? '-')],
          ['events processed', fmt(s.eventsProcessed)],
          ['wall time (s)', fmt(s.wallTimeSeconds)],
          ['events per wall second', fmt(s.eventsPerSecond)],
          ['servesim version', String(s.servesim ?? '-')],
        ],
      },
    ],
  });
  const checks = checksTableOf(s);
  if (checks) sections.push({ title: 'Reproduction checks', tables: [checks] });

  const latency: ReportSection = { title: 'Latency', plots: [], tables: [] };
  const fns = data.requests?.filter((f) => f.latencies.length > 0);
  if (fns && fns.length > 0) {
    const cdf: CdfPoint[] = fns.flatMap((f) => cdfPoints(f.name, f.latencies));
    latency.plots!.push(await plots.plot('latency-cdf', 'Latency CDF', 'Empirical CDF of end-to-end latency of completed requests, per function (requests.csv).', latencyCdfSpec(cdf, 'Latency CDF per function')));
    const pts: PercentilePoint[] = fns.flatMap((f) => PERCENTILES.map(([label, q], k) => ({ series: f.name, percentile: label, order: k, latency_ms: quantileSorted(f.latencies, q) })));
    latency.plots!.push(await plots.plot('latency-percentiles', 'Latency percentiles', 'Nearest-rank latency percentiles of completed requests per function (requests.csv).', percentileSpec(pts, 'Latency percentiles per function')));
    latency.tables!.push({
      title: 'Latency percentiles (ms)',
      columns: ['function', 'completed', 'not completed', ...PERCENTILES.map(([l]) => l), 'max'],
      rows: fns.map((f) => [f.name, f.latencies.length, f.notCompleted, ...PERCENTILES.map(([, q]) => fmt(quantileSorted(f.latencies, q))), fmt(f.latencies[f.latencies.length - 1])]),
    });
  } else {
    const pts = percentilesFromSummary(s);
    if (pts.length > 0) {
      latency.plots!.push(await plots.plot('latency-percentiles', 'Latency percentiles', 'Latency percentiles per function from summary.json (no requests.csv: set output.requests: true for CDFs).', percentileSpec(pts, 'Latency percentiles per function')));
    }
    latency.text = 'No per-request records in this run (requests.csv): set output.requests: true in the scenario to get latency CDFs.';
  }
  if ((latency.plots?.length ?? 0) > 0 || latency.text) sections.push(latency);

  const series: ReportSection = { title: 'Time series', plots: [] };
  if (data.timeSeries) {
    const ts = data.timeSeries;
    for (const [kind, cols] of groupColumns(ts.columns)) {
      const pts: SeriesPoint[] = [];
      for (const c of cols) for (const p of downsample(ts.times, ts.values[c.column])) pts.push({ series: c.series, time_s: p.t, value: p.v });
      if (pts.length === 0) continue;
      const title = SERIES_TITLES[kind] ?? kind.replace(/_/g, ' ');
      series.plots!.push(await plots.plot(`timeseries-${kind}`, title, `Sampled ${title} over simulated time (timeseries.csv columns *.${kind}).`, timeSeriesSpec(pts, title, kind.replace(/_/g, ' '))));
    }
  }
  if (fns && fns.length > 0 && data.requests) {
    const end = Math.max(Number(s.simulatedSeconds) || 0, ...data.requests.map((f) => (f.arrivals.length > 0 ? f.arrivals[f.arrivals.length - 1] : 0)));
    const { points, binSeconds } = arrivalRates(data.requests, end);
    series.plots!.push(await plots.plot('arrivals', 'Arrivals', `Arrival rate per function (requests per second, ${binSeconds} s bins, requests.csv).`, timeSeriesSpec(points, 'Arrival rate', 'requests per second')));
  }
  if (series.plots!.length > 0) sections.push(series);
  else sections.push({ title: 'Time series', text: 'This run wrote no timeseries.csv.' });

  if (data.learning && data.learning.headers.length >= 2) {
    const t = data.learning;
    const xName = t.headers[0];
    const xs = t.rows.map((r) => Number(r[0]));
    const curves: ReportSection = { title: 'Learning curves', plots: [] };
    for (let j = 1; j < t.headers.length && curves.plots!.length < 8; j++) {
      const ys = t.rows.map((r) => (r[j] === '' ? NaN : Number(r[j])));
      if (!ys.some((y) => Number.isFinite(y))) continue;
      const pts = downsample(xs, ys).map((p) => ({ x: p.t, value: p.v }));
      curves.plots!.push(await plots.plot(`learning-${t.headers[j]}`, t.headers[j], `${t.headers[j]} against ${xName} (learning.csv).`, learningCurveSpec(pts, t.headers[j], xName, t.headers[j])));
    }
    if (curves.plots!.length > 0) sections.push(curves);
  }

  const flat = flattenSummary(s);
  if (flat.length > 0) {
    sections.push({ title: 'Metrics', tables: [{ title: 'All metrics of summary.json', columns: ['metric', 'value'], rows: flat.map(([n, v]) => [n, fmt(v, 6)]) }] });
  }
  return sections;
}

/**
 * Short names of axes for plot legends: the last field name of each path
 * (`functions[0].arrivals.rate` → `rate`), or the whole path when two axes would share one.
 */
export function shortAxisNames(paths: readonly string[]): string[] {
  const short = paths.map((p) => {
    const fields = p.match(/[A-Za-z_$][\w$-]*/g) ?? [p];
    return fields[fields.length - 1];
  });
  return short.map((s, i) => (short.filter((x) => x === s).length > 1 ? paths[i] : s));
}

interface AggregateCsvRow {
  config: string;
  values: string[];
  metric: string;
  n: number;
  mean: number;
  low: number;
  high: number;
  half: number;
}

function readAggregate(dir: string, plan: SweepPlan): AggregateCsvRow[] {
  const file = join(dir, AGGREGATE_FILE);
  if (!existsSync(file)) throw new ReportError(`${file}: expected the aggregate of a complete sweep, found no such file (finish the sweep with --resume, or merge its shards)`);
  const t = readCsv(file);
  const col = (name: string): number => {
    const j = columnIndex(t, name);
    if (j < 0) throw new ReportError(`${file}: expected a column "${name}", found columns ${t.headers.join(', ')}`);
    return j;
  };
  const [c, m, n, mean, low, high, half] = ['config', 'metric', 'n', 'mean', 'ci95_low', 'ci95_high', 'ci95_half'].map(col);
  const axisCols = plan.axes.map((a) => col(a.path));
  const num = (s: string): number => (s === '' ? NaN : Number(s));
  return t.rows.map((r) => ({ config: r[c], values: axisCols.map((j) => r[j]), metric: r[m], n: Number(r[n]), mean: num(r[mean]), low: num(r[low]), high: num(r[high]), half: num(r[half]) }));
}

async function sweepSections(dir: string, plots: PlotWriter, opts: ReportOptions): Promise<{ sections: ReportSection[]; plan: SweepPlan }> {
  const manifest = readManifest(dir);
  const plan = planFromManifest(manifest);
  const rows = readAggregate(dir, plan);
  const sections: ReportSection[] = [];
  const complete = plan.points.filter((p) => isPointComplete(dir, p.dir)).length;
  sections.push({
    title: 'Sweep',
    tables: [
      {
        title: 'Sweep',
        columns: ['field', 'value'],
        rows: [
          ['scenario', plan.scenario],
          ['file', plan.file],
          ['sweep id', plan.sweepId],
          ...plan.axes.map((a): [string, string] => [`axis ${a.path}`, a.values.map(formatAxisValue).join(', ')]),
          ['seeds', plan.seeds.join(', ')],
          ['configurations', String(plan.configs.length)],
          ['points', `${plan.points.length} (${complete} with results here)`],
          ...(manifest.shard ? [['shard', `${manifest.shard.index}/${manifest.shard.count}`] as [string, string]] : []),
          ...(manifest.mergedFrom ? [['merged from', manifest.mergedFrom.join(', ')] as [string, string]] : []),
          ...(plan.set.length > 0 ? [['overrides', plan.set.join('  ')] as [string, string]] : []),
        ],
      },
    ],
  });

  const metricNames = [...new Set(rows.map((r) => r.metric))];
  const picked = (opts.metrics ?? headlineMetrics(metricNames, MAX_SWEEP_PLOTS)).filter((m) => metricNames.includes(m));
  const axis0 = plan.axes[0];
  const numeric = axis0 !== undefined && axis0.values.every((v) => typeof v === 'number');
  const names = shortAxisNames(plan.axes.map((a) => a.path));
  const seriesLabel = (values: readonly string[]): string => (plan.axes.length <= 1 ? 'mean' : plan.axes.slice(1).map((_, k) => `${names[k + 1]}=${values[k + 1]}`).join(', '));
  const metricPlots: ReportPlot[] = [];
  for (const metric of picked) {
    const pts: SweepPointDatum[] = rows
      .filter((r) => r.metric === metric)
      .map((r) => ({ x: axis0 ? (numeric ? Number(r.values[0]) : r.values[0]) : r.config, series: seriesLabel(r.values), mean: r.mean, low: r.low, high: r.high }));
    if (!pts.some((p) => Number.isFinite(p.mean))) continue;
    metricPlots.push(
      await plots.plot(
        `sweep-${metric}`,
        metric,
        `${metric}: mean over ${plan.seeds.length} seeds with 95% Student-t confidence interval, against ${axis0 ? axis0.path : 'configuration'} (aggregate.csv).`,
        sweepMetricSpec(pts, metric, axis0 ? axis0.path : 'configuration', metric),
      ),
    );
  }
  const label = plan.axes.length === 0 ? ['config'] : plan.axes.map((a) => a.path);
  const headRows = rows.filter((r) => picked.includes(r.metric));
  const MAX_ROWS = 300;
  sections.push({
    title: 'Metrics against the axes',
    plots: metricPlots,
    tablesLast: true,
    tables: [
      {
        title: 'Headline metrics: mean and 95% confidence interval over seeds',
        columns: [...label, 'metric', 'n', 'mean', 'CI low', 'CI high'],
        rows: headRows.slice(0, MAX_ROWS).map((r) => [...(plan.axes.length === 0 ? [r.config] : r.values), r.metric, r.n, fmt(r.mean), fmt(r.low), fmt(r.high)]),
        note: `${headRows.length > MAX_ROWS ? `First ${MAX_ROWS} of ${headRows.length} rows. ` : ''}Every metric of every configuration is in ${AGGREGATE_FILE}.`,
      },
    ],
  });

  // Latency CDFs per configuration, from the first seed that has per-request records.
  const perFn = new Map<string, CdfPoint[]>();
  let shown = 0;
  for (const cfg of plan.configs) {
    if (shown >= MAX_CDF_CONFIGS) break;
    const point = plan.points.find((p) => p.config === cfg.index && isPointComplete(dir, p.dir) && existsSync(join(dir, p.dir, 'requests.csv')));
    if (!point) continue;
    shown++;
    const data = readRunData(join(dir, point.dir));
    const label = plan.axes.length === 0 ? 'base' : plan.axes.map((_, k) => `${names[k]}=${formatAxisValue(cfg.values[k])}`).join(', ');
    for (const f of data.requests ?? []) {
      if (f.latencies.length === 0) continue;
      let list = perFn.get(f.name);
      if (!list) perFn.set(f.name, (list = []));
      list.push(...cdfPoints(label, f.latencies, 100));
    }
  }
  if (perFn.size > 0) {
    const cdfPlots: ReportPlot[] = [];
    for (const [fn, pts] of perFn) {
      cdfPlots.push(
        await plots.plot(
          `sweep-latency-cdf-${fn}`,
          `${fn} latency CDF`,
          `Latency CDF of ${fn} per configuration (first seed of each${plan.configs.length > shown ? `; the first ${shown} of ${plan.configs.length} configurations` : ''}).`,
          latencyCdfSpec(pts, `${fn}: latency CDF per configuration`),
        ),
      );
    }
    sections.push({ title: 'Latency per configuration', plots: cdfPlots });
  }

  // Reproduction checks: pass rate over seeds per configuration.
  const checkRows = rows.filter((r) => /^checks\..*\.pass$/.test(r.metric));
  if (checkRows.length > 0) {
    const first = plan.points.find((p) => isPointComplete(dir, p.dir));
    const reported = new Map<string, { reported: unknown; tolerance: unknown }>();
    if (first) {
      const s = readRunData(join(dir, first.dir), { requests: false }).summary;
      for (const c of (Array.isArray(s.checks) ? s.checks : []) as Record<string, unknown>[]) reported.set(String(c.name), { reported: c.reported, tolerance: c.tolerance });
    }
    const simulated = new Map(rows.filter((r) => /^checks\..*\.simulated$/.test(r.metric)).map((r) => [`${r.config} ${r.metric}`, r]));
    const tableRows: (string | number)[][] = [];
    const classes: (string | undefined)[][] = [];
    for (const r of checkRows) {
      const name = r.metric.replace(/^checks\./, '').replace(/\.pass$/, '');
      const sim = simulated.get(`${r.config} ${r.metric.replace(/\.pass$/, '.simulated')}`);
      const rep = reported.get(name.replace(/^\["?|"?\]$/g, ''));
      tableRows.push([...(plan.axes.length === 0 ? [r.config] : r.values), name, fmt(sim?.mean), fmt(rep?.reported), fmt(rep?.tolerance), `${Math.round(r.mean * 100)}%`]);
      classes.push([...label.map(() => undefined), undefined, undefined, undefined, undefined, r.mean === 1 ? 'pass' : 'fail']);
    }
    sections.push({
      title: 'Reproduction checks',
      tables: [{ title: 'Simulated (mean over seeds) vs reported, and the share of seeds that pass', columns: [...label, 'check', 'simulated', 'reported', 'tolerance', 'seeds passing'], rows: tableRows, classes }],
    });
  }
  return { sections, plan };
}

/** Write report.html (and the plots' .svg files) for the run or sweep directory `dir`. */
export async function writeReport(dir: string, opts: ReportOptions = {}): Promise<ReportResult> {
  const plots = new PlotWriter(dir);
  let html: string;
  let kind: 'run' | 'sweep';
  if (isSweepDir(dir)) {
    kind = 'sweep';
    const { sections, plan } = await sweepSections(dir, plots, opts);
    html = reportHtml(`servesim sweep report: ${plan.scenario}`, `${plan.configs.length} configurations × ${plan.seeds.length} seeds, sweep ${plan.sweepId}`, sections);
  } else if (existsSync(join(dir, 'summary.json'))) {
    kind = 'run';
    const data = readRunData(dir);
    const s = data.summary;
    const sections = await runSections(data, plots);
    html = reportHtml(`servesim report: ${String(s.scenario ?? dir)}`, `kind ${String(s.kind ?? '-')}, seed ${String(s.seed ?? '-')}, ${String(s.simulatedDuration ?? '')} simulated`, sections);
  } else {
    throw new ReportError(`${dir}: expected a run directory (with summary.json) or a sweep directory (with sweep.json), found ${existsSync(dir) ? 'neither' : 'no such directory'}`);
  }
  const file = join(dir, REPORT_FILE);
  await writeFileAtomic(file, html);
  return { kind, file, plots: plots.written };
}
