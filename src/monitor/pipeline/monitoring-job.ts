/**
 * The Model Monitoring Job (calibration-targets.md study 3, data-flow step 5, "Model Monitoring
 * Job" table, modelling notes 2–5): three independent streaming queries on one executor pool,
 * each with its own consumer of the inference topic and its own DriftMonitor:
 *
 * - outliers: stateless, per record (the monitor's outlier rules), one row per anomalous value
 *   written to the outliers topic by the map task;
 * - stats: stateful windowed statistics (tumbling event-time windows, watermark applied from the
 *   next micro-batch: the monitor runs in 'on-advance' mode and `advance` is called at each
 *   batch's state stage), one row per feature per window to the stats topic;
 * - drift: recomputes the windowed histograms itself and applies the drift measures, one row per
 *   feature per measure per window (showAll) to the drift topic.
 *
 * Each query commits once per micro-batch to `__consumer_offsets` (modelling note 9). The job
 * never reads a clock: times come from the simulation through the queries.
 */
import type { RandomStreams } from '../../core/random.js';
import type { Simulation } from '../../core/simulation.js';
import type { Time } from '../../core/time.js';
import type { Baseline } from '../baseline.js';
import { DriftMonitor, type OutlierAlert, type WindowResult } from '../monitor.js';
import type { MonitorSpec } from '../spec.js';
import type { LoggedRecord } from './inference-logger.js';
import { ByteSeries, Consumer, Producer, type ProducerConfig, type Topic } from './message-bus.js';
import { ExecutorPool, MicroBatchQuery, type QueryCosts, type QuerySink } from './stream-processor.js';

/** Serialised sizes of the job's output rows and commits, bytes (fitted to CT3-23…CT3-24; recorded as assumptions). */
export interface RowSizes {
  outlier: number;
  stats: number;
  drift: number;
  /** One `__consumer_offsets` commit message. */
  commit: number;
}

/** One outlier row with its request's exact time (for the delay). */
export interface OutlierRow {
  alert: OutlierAlert;
  /** The exact request time (the measured delay uses the floored `alert.eventTime`). */
  requestTime: Time;
  requestId: number;
  stage: number;
  /** Index of the micro-batch (of the outliers query) that produced it. */
  batch: number;
}

export interface MonitoringJobOptions {
  spec: MonitorSpec;
  baseline: Baseline;
  inference: Topic<LoggedRecord>;
  outputs: { outliers: Topic<OutlierRow>; stats: Topic<WindowResult>; drift: Topic<WindowResult>; offsets: Topic<string> };
  producer: ProducerConfig;
  rowSizes: RowSizes;
  executors: { instances: number; cores: number; coreLimit: number };
  costs: { outliers: QueryCosts; stats: QueryCosts; drift: QueryCosts };
  random: RandomStreams;
  /** Random substream prefix (default "monitor-job"). */
  stream?: string;
}

/** A monitor spec restricted to one query's work (outliers only / stats only / drift with histograms). */
export function querySpec(spec: MonitorSpec, query: 'outliers' | 'stats' | 'drift'): MonitorSpec {
  if (query === 'outliers') return { ...spec, stats: {}, drift: {}, streaming: spec.streaming };
  if (query === 'stats') return { ...spec, outliers: undefined, drift: {}, streaming: [] };
  return { ...spec, outliers: undefined, stats: { distr: {} }, streaming: [] };
}

class OutlierSink implements QuerySink<LoggedRecord> {
  rows = 0;
  private buffer: OutlierRow[] = [];
  private current: LoggedRecord | null = null;
  private batch = 0;
  constructor(readonly monitor: DriftMonitor, private readonly producer: Producer<OutlierRow>, private readonly bytes: number, readonly all: OutlierRow[]) {}
  setBatch(i: number): void {
    this.batch = i;
  }
  onAlert(a: OutlierAlert): void {
    const r = this.current as LoggedRecord;
    const row: OutlierRow = { alert: a, requestTime: r.requestTime, requestId: r.id, stage: r.stage, batch: this.batch };
    this.buffer.push(row);
    this.all.push(row);
  }
  process(record: LoggedRecord, time: Time): number {
    this.current = record;
    const before = this.buffer.length;
    this.monitor.ingest(record, time);
    return this.buffer.length - before;
  }
  taskDone(): void {
    for (const row of this.buffer) this.producer.send(row, this.bytes);
    this.rows += this.buffer.length;
    this.buffer = [];
  }
}

class WindowQuerySink implements QuerySink<LoggedRecord> {
  private maxEvent = -Infinity;
  private emitted: WindowResult[] = [];
  constructor(
    readonly monitor: DriftMonitor,
    private readonly producer: Producer<WindowResult>,
    private readonly bytesPerRow: number,
    private readonly rowsOf: (w: WindowResult) => number,
    readonly all: WindowResult[],
    private readonly delay: Time,
    /** The watermark in force when each window of `all` was emitted (same order). */
    readonly watermarks: number[],
  ) {}
  onWindow(w: WindowResult): void {
    this.emitted.push(w);
    this.all.push(w);
    this.watermarks.push(this.monitor.watermark);
  }
  advance(time: Time): number {
    this.monitor.advance(time);
    let rows = 0;
    for (const w of this.emitted) {
      const n = this.rowsOf(w);
      for (let i = 0; i < n; i++) this.producer.send(w, this.bytesPerRow);
      rows += n;
    }
    this.emitted = [];
    return rows;
  }
  process(record: LoggedRecord, time: Time): number {
    if (record.eventTime > this.maxEvent) this.maxEvent = record.eventTime;
    this.monitor.ingest(record, time);
    return 0;
  }
  wantsNoDataBatch(): boolean {
    return this.maxEvent - this.delay > this.monitor.watermark;
  }
}

/** The three-query monitoring job. */
export class MonitoringJob {
  readonly pool: ExecutorPool;
  readonly driverCpu = new ByteSeries();
  readonly queries: { outliers: MicroBatchQuery<LoggedRecord>; stats: MicroBatchQuery<LoggedRecord>; drift: MicroBatchQuery<LoggedRecord> };
  readonly monitors: { outliers: DriftMonitor; stats: DriftMonitor; drift: DriftMonitor };
  readonly consumers: { outliers: Consumer<LoggedRecord>; stats: Consumer<LoggedRecord>; drift: Consumer<LoggedRecord> };
  /** Every outlier row, stats window and drift window, in emission order. */
  readonly outlierRows: OutlierRow[] = [];
  readonly statsWindows: WindowResult[] = [];
  readonly driftWindows: WindowResult[] = [];
  /** Watermark in force at each window's emission (parallel to statsWindows / driftWindows). */
  readonly statsWatermarks: number[] = [];
  readonly driftWatermarks: number[] = [];
  /** Listeners of results as they are emitted (alert policies). */
  onDriftWindow: ((w: WindowResult) => void) | null = null;
  onOutlier: ((r: OutlierRow) => void) | null = null;

  constructor(private readonly sim: Simulation, readonly opts: MonitoringJobOptions) {
    const prefix = opts.stream ?? 'monitor-job';
    const rnd = opts.random;
    const e = opts.executors;
    this.pool = new ExecutorPool(sim, e.instances, e.cores, e.coreLimit);
    const spec = opts.spec;
    if (spec.trigger.watermark !== 'on-advance') {
      throw new RangeError(`monitoring job: monitor.trigger.watermark: expected 'on-advance' (the watermark applies from the next micro-batch), found '${spec.trigger.watermark}'`);
    }
    const out = opts.outputs;
    const mk = <T>(topic: Topic<T>, name: string): Producer<T> => new Producer(sim, topic, opts.producer, rnd.stream(`${prefix}/${name}/partitioner`));
    const outlierSink: OutlierSink = new OutlierSink(
      new DriftMonitor(querySpec(spec, 'outliers'), opts.baseline, { onAlert: (a) => { if (a.kind === 'outlier') outlierSink.onAlert(a); } }),
      mk(out.outliers, 'outliers'), opts.rowSizes.outlier, this.outlierRows,
    );
    const delay = spec.trigger.window.watermarkDelay;
    const statsSink: WindowQuerySink = new WindowQuerySink(
      new DriftMonitor(querySpec(spec, 'stats'), opts.baseline, { onWindow: (w) => statsSink.onWindow(w) }),
      mk(out.stats, 'stats'), opts.rowSizes.stats, (w) => w.features.length, this.statsWindows, delay, this.statsWatermarks,
    );
    const driftSink: WindowQuerySink = new WindowQuerySink(
      new DriftMonitor(querySpec(spec, 'drift'), opts.baseline, {
        onWindow: (w) => {
          driftSink.onWindow(w);
          this.onDriftWindow?.(w);
        },
      }),
      mk(out.drift, 'drift'), opts.rowSizes.drift, (w) => w.drift.length, this.driftWindows, delay, this.driftWatermarks,
    );
    this.monitors = { outliers: outlierSink.monitor, stats: statsSink.monitor, drift: driftSink.monitor };
    this.consumers = {
      outliers: new Consumer(opts.inference, 'outliers'),
      stats: new Consumer(opts.inference, 'stats'),
      drift: new Consumer(opts.inference, 'drift'),
    };
    const offsets = mk(out.offsets, 'offsets');
    const q = (name: 'outliers' | 'stats' | 'drift', sink: QuerySink<LoggedRecord>): MicroBatchQuery<LoggedRecord> => {
      const query = new MicroBatchQuery(sim, name, this.consumers[name], this.pool, opts.costs[name], sink, rnd.stream(`${prefix}/${name}/costs`), this.driverCpu);
      query.onCommit = () => offsets.send(name, opts.rowSizes.commit);
      return query;
    };
    const outliersQuery = q('outliers', {
      process: (r, t) => outlierSink.process(r, t),
      taskDone: () => {
        outlierSink.taskDone();
        for (; this.notified < this.outlierRows.length; this.notified++) this.onOutlier?.(this.outlierRows[this.notified]);
      },
    });
    const origCommit = outliersQuery.onCommit;
    outliersQuery.onCommit = (now, b) => {
      origCommit?.(now, b);
      outlierSink.setBatch(b.index + 1);
    };
    this.queries = { outliers: outliersQuery, stats: q('stats', statsSink), drift: q('drift', driftSink) };
  }

  private notified = 0;

  /** Start the three query loops at `at`. */
  start(at: Time): void {
    this.queries.outliers.start(at);
    this.queries.stats.start(at);
    this.queries.drift.start(at);
  }

  /** Replace the baseline of every query's monitor (after retraining, the operator redeploys the job with the new ModelMonitor). */
  setBaseline(b: Baseline): void {
    this.monitors.outliers.setBaseline(b);
    this.monitors.stats.setBaseline(b);
    this.monitors.drift.setBaseline(b);
  }

  /** Records each query has processed, accepted into windows and dropped as late. */
  counters(): { outliers: number; stats: { processed: number; accepted: number; late: number }; drift: { processed: number; accepted: number; late: number } } {
    const c = (m: DriftMonitor, q: MicroBatchQuery<LoggedRecord>): { processed: number; accepted: number; late: number } => ({ processed: q.processed, accepted: m.counters.accepted, late: m.counters.late });
    return { outliers: this.queries.outliers.processed, stats: c(this.monitors.stats, this.queries.stats), drift: c(this.monitors.drift, this.queries.drift) };
  }

  get now(): Time {
    return this.sim.now;
  }
}
