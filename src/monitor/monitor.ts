/**
 * The streaming drift monitor: event-time windows with a watermark, per-window statistics
 * and drift against the baseline, per-value outliers, and streaming detectors on
 * per-request signals (calibration-targets.md study 3; platform-semantics.md g).
 *
 * It is a policy (DESIGN.md rule 3): it never reads a clock. Records come in with their
 * processing (arrival) time, `advance(now)` is a processing-time tick, and results leave
 * through callbacks stamped with those times.
 */
import type { RandomStream } from '../core/random.js';
import type { Time } from '../core/time.js';
import type { Baseline, FeatureBaseline } from './baseline.js';
import { chiSquareContingency, chiSquareGoodnessOfFit } from './drift/chi-square.js';
import { significant, type Correction } from './drift/correction.js';
import {
  fillZerosEvidently,
  hellingerDistance,
  jensenShannonDistance,
  jensenShannonDivergence,
  klDivergence,
  normalize,
  populationStabilityIndex,
  referenceJS,
  referenceKL,
  referenceWasserstein,
  wassersteinHistogram,
} from './drift/histogram-distances.js';
import { ksTest } from './drift/kolmogorov-smirnov.js';
import { mmdTest } from './drift/mmd.js';
import { wassersteinSamples } from './drift/wasserstein-samples.js';
import { Adwin } from './drift/adwin.js';
import { Ddm } from './drift/ddm.js';
import { PageHinkley } from './drift/page-hinkley.js';
import type { Compat } from './histogram.js';
import { OutlierRules, type OutlierRule } from './outliers.js';
import { MonitorInputError, type InferenceRecord } from './record.js';
import type { MonitorSpec, StreamingDetectorSpec } from './spec.js';
import { WindowStatsAccumulator, type FeatureStats, type StatsOptions } from './statistics.js';
import { EventTimeWindows, type WindowSink } from './windows.js';

export type DriftMeasure =
  | 'wasserstein'
  | 'kullbackLeibler'
  | 'jensenShannon'
  | 'hellinger'
  | 'psi'
  | 'kolmogorovSmirnov'
  | 'chiSquare'
  | 'mmd';

/**
 * Default thresholds for compat 'correct' (platform-semantics.md g.2): Evidently's
 * psi / kl_div / hellinger / jensenshannon / normed wasserstein 0.1 (alert when ≥);
 * alibi-detect's p_val 0.05 for KS, chi-square and MMD (alert when p < level after the
 * correction). In compat 'reference' a measure without a threshold never alerts and a
 * distance alerts when value > threshold (the public code).
 */
export const DEFAULT_DISTANCE_THRESHOLD = 0.1;
export const DEFAULT_P_VALUE = 0.05;

export interface DriftRow {
  feature: string;
  /** −1 for the multivariate MMD row. */
  featureIndex: number;
  measure: DriftMeasure;
  /** The distance, or the test statistic (KS D, χ², MMD²). */
  value: number;
  pValue?: number;
  /** The threshold (distances) or significance level after correction (tests) used, if any. */
  threshold?: number;
  drift: boolean;
}

export interface WindowResult {
  start: Time;
  end: Time;
  /** Processing time at which the window was emitted. */
  emittedAt: Time;
  count: number;
  features: readonly string[];
  stats: FeatureStats[];
  /** F×F row-major, when configured. */
  cov?: Float64Array;
  corr?: Float64Array;
  /** Drift rows: every row for measures with showAll, otherwise only the drifting ones. */
  drift: DriftRow[];
}

export interface OutlierAlert {
  kind: 'outlier';
  feature: string;
  featureIndex: number;
  value: number;
  rule: OutlierRule;
  /** [lo, hi] of the rule that fired. */
  bounds: [number, number];
  eventTime: Time;
  detectionTime: Time;
  revision?: string;
}

export interface WindowDriftAlert {
  kind: 'drift';
  windowStart: Time;
  windowEnd: Time;
  row: DriftRow;
  detectionTime: Time;
}

export interface StreamDriftAlert {
  kind: 'stream';
  detector: StreamingDetectorSpec['detector'];
  /** Index in spec.streaming. */
  detectorIndex: number;
  level: 'drift' | 'warning';
  eventTime: Time;
  detectionTime: Time;
}

export type MonitorAlert = OutlierAlert | WindowDriftAlert | StreamDriftAlert;

export interface MonitorCallbacks {
  onWindow?: (result: WindowResult) => void;
  onAlert?: (alert: MonitorAlert) => void;
}

export interface MonitorOptions {
  /** Seeded stream for MMD permutations and subsampling (required when MMD is configured). */
  random?: RandomStream;
}

interface WindowState {
  acc: WindowStatsAccumulator;
  baseline: Baseline;
}

interface StreamDetector {
  spec: StreamingDetectorSpec;
  update(x: number): boolean;
  warning(): boolean;
  signalFeature: number;
  wasWarning: boolean;
}

const HISTOGRAM_MEASURES = ['kullbackLeibler', 'jensenShannon', 'hellinger', 'psi', 'chiSquare'] as const;

export class DriftMonitor {
  readonly features: readonly string[];
  readonly compat: Compat;
  /** Outlier alerts raised. */
  outlierAlerts = 0;
  private baseline: Baseline;
  private readonly windows: EventTimeWindows<WindowState>;
  private readonly statsOptions: StatsOptions;
  private outliers: OutlierRules | null;
  private readonly detectors: StreamDetector[];
  private pool: WindowStatsAccumulator[] = [];
  private readonly onWindow: ((r: WindowResult) => void) | undefined;
  private readonly onAlert: ((a: MonitorAlert) => void) | undefined;
  private readonly random: RandomStream | undefined;

  constructor(
    readonly spec: MonitorSpec,
    baseline: Baseline,
    callbacks: MonitorCallbacks = {},
    options: MonitorOptions = {},
  ) {
    this.features = spec.features;
    this.compat = spec.compat;
    this.onWindow = callbacks.onWindow;
    this.onAlert = callbacks.onAlert;
    this.random = options.random;
    const st = spec.stats;
    this.statsOptions = {
      compat: spec.compat,
      percentiles: st.perc?.percentiles ?? [],
      iqr: st.perc?.iqr ?? false,
      stddev: st.stddev?.type ?? 'sample',
      cov: st.cov ? st.cov.type : null,
      corr: st.corr ? st.corr.type : null,
      histogram: st.distr !== undefined,
    };
    this.baseline = baseline;
    this.checkBaseline(baseline);
    this.outliers = this.makeOutliers(baseline);
    if (spec.drift.mmd && !this.random) {
      throw new MonitorInputError('monitor.drift.mmd: expected a seeded RandomStream in options.random for permutations, found none');
    }
    this.detectors = spec.streaming.map((d) => makeDetector(d, this.features));
    const w = spec.trigger.window;
    const sink: WindowSink<WindowState> = {
      open: () => this.openWindow(),
      add: (s, r) => s.acc.add(r.features),
      emit: (s, start, end, at) => this.emitWindow(s, start, end, at),
    };
    this.windows = new EventTimeWindows(
      { size: w.duration, slide: w.slide ?? w.duration, watermarkDelay: w.watermarkDelay, watermarkMode: spec.trigger.watermark },
      sink,
    );
  }

  /** Records accepted into windows / dropped as late / windows emitted. */
  get counters(): { accepted: number; late: number; windows: number; outlierAlerts: number } {
    return { accepted: this.windows.accepted, late: this.windows.late, windows: this.windows.emitted, outlierAlerts: this.outlierAlerts };
  }

  /** The watermark in force, µs (−Infinity before any record). */
  get watermark(): number {
    return this.windows.watermark;
  }

  /**
   * Process one record that reached the monitor at processing time `arrivalTime`: outlier
   * rules and streaming detectors (every record, late or not), then the windows. Returns
   * false when the record was late for the windows.
   */
  ingest(record: InferenceRecord, arrivalTime: Time): boolean {
    const x = record.features;
    const F = this.features.length;
    if (x.length !== F) {
      throw new MonitorInputError(`monitor record: expected ${F} feature values (${this.features.join(', ')}), found ${x.length}`);
    }
    let anyOutlier = 0;
    const out = this.outliers;
    if (out !== null) {
      for (let f = 0; f < F; f++) {
        const r = out.check(f, x[f]);
        if (r >= 0) {
          anyOutlier = 1;
          this.outlierAlerts++;
          this.onAlert?.({
            kind: 'outlier',
            feature: this.features[f],
            featureIndex: f,
            value: x[f],
            rule: out.rules[r],
            bounds: out.bounds(r, f),
            eventTime: record.eventTime,
            detectionTime: arrivalTime,
            revision: record.revision,
          });
        }
      }
    }
    for (let i = 0; i < this.detectors.length; i++) this.feedDetector(i, record, anyOutlier, arrivalTime);
    return this.windows.offer(record, arrivalTime);
  }

  /** Processing-time tick (the end of a micro-batch in 'on-advance' watermark mode). */
  advance(now: Time): void {
    this.windows.advance(now);
  }

  /** Emit all open windows now (end of a run; the reference never emits them). */
  flush(now: Time): void {
    this.windows.flush(now);
  }

  /**
   * Replace the baseline (after retraining). Outlier rules switch at once; windows opened
   * from now on use the new bins; already open windows finish against the old baseline.
   */
  setBaseline(baseline: Baseline): void {
    this.checkBaseline(baseline);
    this.baseline = baseline;
    this.outliers = this.makeOutliers(baseline);
    this.pool = [];
  }

  private makeOutliers(b: Baseline): OutlierRules | null {
    const o = this.spec.outliers;
    return o && o.descriptive.length > 0 ? new OutlierRules(b, o.descriptive, o.k) : null;
  }

  private checkBaseline(b: Baseline): void {
    const names = b.features.map((f) => f.name);
    if (names.length !== this.features.length || names.some((n, i) => n !== this.features[i])) {
      throw new MonitorInputError(`monitor baseline: expected features [${this.features.join(', ')}], found [${names.join(', ')}]`);
    }
    const d = this.spec.drift;
    const needHist = HISTOGRAM_MEASURES.some((m) => d[m] !== undefined) || (d.wasserstein !== undefined && d.wasserstein.on === 'histogram');
    const needSamples = d.kolmogorovSmirnov !== undefined || d.mmd !== undefined || d.wasserstein?.on === 'samples';
    for (const f of b.features) {
      if (needHist && (!f.bins || !f.counts)) {
        throw new MonitorInputError(`monitor.baseline.distributions.${f.name}: expected a training histogram (needed by the configured histogram drift measures), found none`);
      }
      if (needSamples && !f.sortedSamples) {
        throw new MonitorInputError(`monitor.baseline.samples.${f.name}: expected training samples (needed by KS, MMD or sample Wasserstein), found none`);
      }
    }
  }

  private openWindow(): WindowState {
    const acc =
      this.pool.pop() ??
      new WindowStatsAccumulator(
        this.features.length,
        this.baseline.features.map((f) => f.bins),
        this.compat,
        this.statsOptions.cov !== null || this.statsOptions.corr !== null,
      );
    return { acc, baseline: this.baseline };
  }

  private emitWindow(s: WindowState, start: Time, end: Time, at: Time): void {
    const acc = s.acc;
    // MMD samples rows in arrival order, so it runs before finish() sorts the buffers.
    const mmdRow = this.spec.drift.mmd ? this.mmdRow(acc, s.baseline) : null;
    const stats = acc.finish(this.statsOptions);
    const rows = this.driftRows(acc, s.baseline);
    if (mmdRow) rows.push(mmdRow);
    const d = this.spec.drift;
    const shown: DriftRow[] = [];
    for (const row of rows) {
      const m = d[row.measure];
      if (row.drift || m?.showAll) shown.push(row);
      if (row.drift) this.onAlert?.({ kind: 'drift', windowStart: start, windowEnd: end, row, detectionTime: at });
    }
    const result: WindowResult = {
      start,
      end,
      emittedAt: at,
      count: acc.count,
      features: this.features,
      stats,
      cov: this.statsOptions.cov ? acc.covariance(this.statsOptions.cov) : undefined,
      corr: this.statsOptions.corr ? acc.correlation() : undefined,
      drift: shown,
    };
    if (s.baseline === this.baseline) {
      acc.reset();
      this.pool.push(acc);
    }
    this.onWindow?.(result);
  }

  private driftRows(acc: WindowStatsAccumulator, b: Baseline): DriftRow[] {
    const d = this.spec.drift;
    const ref = this.compat === 'reference';
    const rows: DriftRow[] = [];
    const F = this.features.length;
    const dist = (measure: DriftMeasure, f: number, value: number, threshold: number | undefined): void => {
      const t = threshold ?? (ref ? undefined : DEFAULT_DISTANCE_THRESHOLD);
      const drift = t !== undefined && value === value && (ref ? value > t : value >= t);
      rows.push({ feature: this.features[f], featureIndex: f, measure, value, threshold: t, drift });
    };
    for (let f = 0; f < F; f++) {
      const fb = b.features[f];
      const cur = acc.hist[f];
      const base = fb.counts;
      if (d.wasserstein) {
        let w: number;
        if (d.wasserstein.on === 'samples') w = wassersteinSamples(acc.sorted(f), fb.sortedSamples as Float64Array);
        else if (ref) w = referenceWasserstein(cur as Float64Array, base as Float64Array);
        else w = wassersteinHistogram(base as Float64Array, cur as Float64Array, (fb.bins as { width: number }).width);
        if (d.wasserstein.normed ?? !ref) w /= Math.max(referenceStd(fb), 0.001);
        dist('wasserstein', f, w, d.wasserstein.threshold);
      }
      if (d.kullbackLeibler) {
        const v = ref
          ? referenceKL(cur as Float64Array, base as Float64Array)
          : klDivergence(fillZerosEvidently(normalize(base as Float64Array)), fillZerosEvidently(normalize(cur as Float64Array)));
        dist('kullbackLeibler', f, v, d.kullbackLeibler.threshold);
      }
      if (d.jensenShannon) {
        const js = d.jensenShannon;
        const v = ref
          ? referenceJS(cur as Float64Array, base as Float64Array)
          : js.form === 'distance'
            ? jensenShannonDistance(base as Float64Array, cur as Float64Array, js.base)
            : jensenShannonDivergence(base as Float64Array, cur as Float64Array, js.base);
        dist('jensenShannon', f, v, js.threshold);
      }
      if (d.hellinger) dist('hellinger', f, hellingerDistance(base as Float64Array, cur as Float64Array), d.hellinger.threshold);
      if (d.psi) dist('psi', f, populationStabilityIndex(base as Float64Array, cur as Float64Array), d.psi.threshold);
    }
    if (d.kolmogorovSmirnov) {
      const res = b.features.map((fb, f) => ksTest(acc.sorted(f), fb.sortedSamples as Float64Array));
      this.testRows(rows, 'kolmogorovSmirnov', res, d.kolmogorovSmirnov.pValue, d.kolmogorovSmirnov.correction);
    }
    if (d.chiSquare) {
      const cs = d.chiSquare;
      const res = b.features.map((fb, f) =>
        cs.form === 'contingency'
          ? chiSquareContingency(acc.hist[f] as Float64Array, fb.counts as Float64Array)
          : chiSquareGoodnessOfFit(acc.hist[f] as Float64Array, fb.counts as Float64Array),
      );
      this.testRows(rows, 'chiSquare', res, cs.pValue, cs.correction);
    }
    return rows;
  }

  private testRows(
    rows: DriftRow[],
    measure: DriftMeasure,
    res: { statistic: number; pValue: number }[],
    pValue: number | undefined,
    correction: Correction,
  ): void {
    const alpha = pValue ?? DEFAULT_P_VALUE;
    const sig = significant(
      res.map((r) => r.pValue),
      alpha,
      correction,
    );
    const level = correction === 'bonferroni' ? alpha / res.length : alpha;
    res.forEach((r, f) =>
      rows.push({ feature: this.features[f], featureIndex: f, measure, value: r.statistic, pValue: r.pValue, threshold: level, drift: sig[f] }),
    );
  }

  private mmdRow(acc: WindowStatsAccumulator, b: Baseline): DriftRow {
    const m = this.spec.drift.mmd as NonNullable<MonitorSpec['drift']['mmd']>;
    const rng = this.random as RandomStream;
    const F = this.features.length;
    const pickRows = (count: number, get: (i: number, f: number) => number): Float64Array => {
      const k = Math.min(count, m.maxSamples);
      const idx = subsample(count, k, rng);
      const out = new Float64Array(k * F);
      for (let r = 0; r < k; r++) for (let f = 0; f < F; f++) out[r * F + f] = get(idx[r], f);
      return out;
    };
    const x = pickRows(b.sampleCount, (i, f) => (b.sampleRows as Float64Array)[i * F + f]);
    const y = pickRows(acc.count, (i, f) => acc.values[f][i]);
    const r = mmdTest(x, y, F, m.permutations, rng);
    const alpha = m.pValue ?? DEFAULT_P_VALUE;
    return { feature: '*', featureIndex: -1, measure: 'mmd', value: r.mmd2, pValue: r.pValue, threshold: alpha, drift: r.pValue < alpha };
  }

  private feedDetector(i: number, record: InferenceRecord, anyOutlier: number, at: Time): void {
    const det = this.detectors[i];
    const sig = det.spec.signal;
    let x: number;
    if (sig === 'outlier') x = anyOutlier;
    else if (sig === 'prediction') {
      if (record.prediction === undefined) return;
      x = record.prediction;
    } else x = record.features[det.signalFeature];
    const drift = det.update(x);
    const warn = det.warning();
    if (drift || (warn && !det.wasWarning)) {
      this.onAlert?.({
        kind: 'stream',
        detector: det.spec.detector,
        detectorIndex: i,
        level: drift ? 'drift' : 'warning',
        eventTime: record.eventTime,
        detectionTime: at,
      });
    }
    det.wasWarning = warn;
  }
}

/** Baseline standard deviation for normalising Wasserstein: descriptive, else samples, else the histogram. */
function referenceStd(fb: FeatureBaseline): number {
  if (Number.isFinite(fb.stddev)) return fb.stddev;
  const s = fb.sortedSamples;
  if (s && s.length > 1) {
    let mean = 0;
    let m2 = 0;
    for (let i = 0; i < s.length; i++) {
      const d = s[i] - mean;
      mean += d / (i + 1);
      m2 += d * (s[i] - mean);
    }
    return Math.sqrt(m2 / (s.length - 1));
  }
  if (fb.bins && fb.counts) {
    let n = 0;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < fb.counts.length; i++) {
      const c = fb.counts[i];
      const mid = fb.bins.edges[i] + fb.bins.width / 2;
      n += c;
      sum += c * mid;
      sq += c * mid * mid;
    }
    return n > 1 ? Math.sqrt((sq - (sum * sum) / n) / (n - 1)) : NaN;
  }
  return NaN;
}

/** k distinct indices from [0, n), by a partial Fisher–Yates shuffle on `rng`. */
function subsample(n: number, k: number, rng: RandomStream): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  if (k >= n) return idx;
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx.subarray(0, k);
}

function makeDetector(d: StreamingDetectorSpec, features: readonly string[]): StreamDetector {
  const signalFeature = typeof d.signal === 'object' ? features.indexOf(d.signal.feature) : -1;
  if (typeof d.signal === 'object' && signalFeature < 0) {
    throw new MonitorInputError(`monitor.streaming signal.feature: expected one of [${features.join(', ')}], found "${d.signal.feature}"`);
  }
  if (d.detector === 'adwin') {
    const { detector: _d, signal: _s, ...p } = d;
    const a = new Adwin(stripUndefined(p));
    return { spec: d, signalFeature, wasWarning: false, update: (x) => a.update(x), warning: () => false };
  }
  if (d.detector === 'pageHinkley') {
    const { detector: _d, signal: _s, ...p } = d;
    const ph = new PageHinkley(stripUndefined(p));
    return { spec: d, signalFeature, wasWarning: false, update: (x) => ph.update(x), warning: () => false };
  }
  const { detector: _d, signal: _s, ...p } = d;
  const ddm = new Ddm(stripUndefined(p));
  return { spec: d, signalFeature, wasWarning: false, update: (x) => ddm.update(x), warning: () => ddm.warningDetected };
}

function stripUndefined<T extends object>(o: T): Partial<{ [K in keyof T]: Exclude<T[K], undefined> }> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as Partial<{ [K in keyof T]: Exclude<T[K], undefined> }>;
}
