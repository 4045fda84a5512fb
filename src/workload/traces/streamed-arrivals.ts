/**
 * Arrival sources over per-invocation trace files, streamed in constant memory: rows are
 * pulled from the file only when the next arrival is needed (CsvRecordReader, synchronous),
 * and held in a reorder heap just long enough to emit them in start-time order.
 *
 * Ordering: a file is assumed ordered by an "order key" (the end time for Azure 2021, the
 * timestamp for generic CSV) up to `reorderWindow` seconds, and start ≥ order key − window.
 * The earliest pending arrival is emitted once the rows read reach order key ≥ its start +
 * window, so rows up to `window` out of order are still replayed in exact order. A row that
 * is later than that (its start already passed in simulated time) is emitted immediately and
 * counted in `lateRows`; none is ever dropped, so invocation counts are preserved exactly.
 *
 * Formats:
 * - Azure Functions 2021 (platform-semantics.md (h)): `app, func, end_timestamp, duration`,
 *   seconds; start = end − duration; function name "app/func".
 * - Generic CSV: `timestamp, function[, duration]`; units set by options (default: timestamp
 *   in seconds, duration in milliseconds).
 */
import type { Time } from '../../core/time.js';
import { SECOND } from '../../core/time.js';
import type { PayloadSource } from '../payload.js';
import { ArrivalOptionError, ArrivalSourceBase } from '../arrivals/arrival-source.js';
import { CsvRecordReader, TraceFormatError, parseNumber } from './csv-records.js';
import { ArrivalHeap } from './time-heap.js';

const UNIT_US = { s: SECOND, ms: 1000, us: 1 } as const;
export type TimeUnit = keyof typeof UNIT_US;

export interface StreamedTraceOptions {
  /** Keep only these functions (matched against the function name; for Azure 2021 also the bare func hash). */
  functions?: readonly string[];
  /** Keep invocations starting at or after this trace time, seconds. */
  from?: number;
  /** Keep invocations starting before this trace time, seconds. */
  to?: number;
  /** Trace time (s) that maps to the source's start time (default: `from`, or 0). */
  origin?: number;
  /** How far (s) rows may be out of start order (default: 600 for Azure 2021, 0 for CSV). */
  reorderWindow?: number;
  /** Count and skip malformed rows instead of throwing. */
  skipBadRows?: boolean;
  /** Random substream name (unused by replay itself; kept for the payload-free contract). */
  stream?: string;
  startAt?: Time;
  until?: Time;
  payload?: PayloadSource;
  /** Bytes per read (default 1 MiB). */
  chunkBytes?: number;
}

function fireStreamed(src: StreamedTraceArrivals): void {
  src.fire();
}

/** Base of the streamed per-invocation readers; subclasses decode one record. */
export abstract class StreamedTraceArrivals extends ArrivalSourceBase {
  override functionNames: string[] = [];
  /** Rows skipped as malformed (skipBadRows), outside the selection, and emitted late. */
  skippedRows = 0;
  filteredRows = 0;
  lateRows = 0;
  protected readonly reader: CsvRecordReader;
  private readonly heap = new ArrivalHeap();
  private readonly fnIndex = new Map<string, number>();
  private readonly wantFns: Set<string> | null;
  private readonly fromUs: number;
  private readonly toUs: number;
  private readonly originUs: number;
  private readonly windowUs: number;
  private readonly skipBad: boolean;
  private frontier = -Infinity;
  private eof = false;
  private base = 0;
  // decoded row (set by decode)
  protected rowStart = 0;
  protected rowOrder = 0;
  protected rowName = '';
  protected rowAlias = '';
  protected rowService = -1;

  constructor(file: string, opts: StreamedTraceOptions, defaultWindowS: number, stream: string) {
    super({ functions: ['(pending)'], stream: opts.stream ?? stream, startAt: opts.startAt, until: opts.until, payload: opts.payload }, stream);
    this.functionNames = [];
    this.reader = new CsvRecordReader(file, { chunkBytes: opts.chunkBytes });
    this.wantFns = opts.functions === undefined ? null : new Set(opts.functions);
    const sec = (name: string, v: number | undefined, dflt: number): number => {
      if (v === undefined) return dflt;
      if (!Number.isFinite(v)) throw new ArrivalOptionError(name, 'a finite number of seconds', v);
      return v * SECOND;
    };
    this.fromUs = sec('from', opts.from, -Infinity);
    this.toUs = sec('to', opts.to, Infinity);
    this.originUs = sec('origin', opts.origin, opts.from !== undefined ? this.fromUs : 0);
    this.windowUs = sec('reorderWindow', opts.reorderWindow, defaultWindowS * SECOND);
    if (this.windowUs < 0) throw new ArrivalOptionError('reorderWindow', 'a non-negative number of seconds', opts.reorderWindow);
    this.skipBad = opts.skipBadRows ?? false;
  }

  /** Decode `rec` into rowStart / rowOrder (µs of trace time), rowName, rowAlias, rowService (µs or -1); throw TraceFormatError if malformed. */
  protected abstract decode(rec: string[]): void;

  /** Read rows until the earliest pending arrival is safe to emit, or end of file. */
  private pump(): void {
    const heap = this.heap;
    while (!this.eof && (heap.size === 0 || heap.minTime() + this.windowUs > this.frontier)) {
      const rec = this.reader.next();
      if (rec === null) {
        this.eof = true;
        break;
      }
      try {
        this.decode(rec);
      } catch (e) {
        if (this.skipBad && e instanceof TraceFormatError) {
          this.skippedRows++;
          continue;
        }
        this.reader.close();
        throw e;
      }
      if (this.rowOrder > this.frontier) this.frontier = this.rowOrder;
      if (this.rowStart < this.fromUs || this.rowStart >= this.toUs) {
        this.filteredRows++;
        // Past the range by more than the window: no later row can fall inside it.
        if (this.rowOrder >= this.toUs + this.windowUs) {
          this.eof = true;
          this.reader.close();
        }
        continue;
      }
      if (this.wantFns !== null && !this.wantFns.has(this.rowName) && !this.wantFns.has(this.rowAlias)) {
        this.filteredRows++;
        continue;
      }
      let fn = this.fnIndex.get(this.rowName);
      if (fn === undefined) {
        fn = this.functionNames.length;
        this.fnIndex.set(this.rowName, fn);
        this.functionNames.push(this.rowName);
      }
      heap.push(this.rowStart - this.originUs, fn, this.rowService);
    }
  }

  protected begin(t0: Time): void {
    this.base = t0;
    this.pump();
    this.armNext();
  }

  private armNext(): void {
    if (this.heap.size === 0) {
      this.finished = true;
      this.pending = -1;
      return;
    }
    const now = (this.sim as { now: number }).now;
    let at = this.base + this.heap.minTime();
    if (at < now) {
      this.lateRows++;
      at = now;
    }
    this.arm(at, fireStreamed);
  }

  /** @internal event callback */
  fire(): void {
    this.heap.pop();
    this.emit(this.heap.popFn, this.heap.popService);
    this.pump();
    this.armNext();
  }

  override stop(): void {
    super.stop();
    this.reader.close();
  }
}

/** Azure Functions 2021 per-invocation trace (`app, func, end_timestamp, duration`, seconds). */
export class Azure2021Arrivals extends StreamedTraceArrivals {
  private readonly cApp: number;
  private readonly cFunc: number;
  private readonly cEnd: number;
  private readonly cDur: number;

  /** Options as StreamedTraceOptions; default reorder window 600 s, stream "workload.azure2021". */
  constructor(file: string, opts: StreamedTraceOptions = {}) {
    super(file, opts, 600, 'workload.azure2021');
    const r = this.reader;
    this.cApp = r.requireColumn('app');
    this.cFunc = r.requireColumn('func');
    this.cEnd = r.requireColumn('end_timestamp');
    this.cDur = r.requireColumn('duration');
  }

  protected decode(rec: string[]): void {
    const r = this.reader;
    if (rec.length !== r.header.length) throw r.error(Math.min(rec.length, r.header.length) - 1, `expected ${r.header.length} fields as in the header, found ${rec.length}`);
    const end = parseNumber(rec[this.cEnd]);
    if (!(end >= 0)) throw r.error(this.cEnd, `expected a non-negative end time in seconds, found ${JSON.stringify(rec[this.cEnd])}`);
    const dur = parseNumber(rec[this.cDur]);
    if (!(dur >= 0)) throw r.error(this.cDur, `expected a non-negative duration in seconds, found ${JSON.stringify(rec[this.cDur])}`);
    const func = rec[this.cFunc];
    if (func === '') throw r.error(this.cFunc, 'expected a function hash, found an empty field');
    this.rowOrder = Math.round(end * SECOND);
    this.rowService = Math.round(dur * SECOND);
    this.rowStart = this.rowOrder - this.rowService;
    this.rowName = `${rec[this.cApp]}/${func}`;
    this.rowAlias = func;
  }
}

export interface CsvTraceOptions extends StreamedTraceOptions {
  /** Unit of the timestamp column (default 's'). */
  timeUnit?: TimeUnit;
  /** Unit of the duration column (default 'ms'). */
  durationUnit?: TimeUnit;
}

/** Generic CSV trace: header `timestamp,function[,duration]`, ordered by timestamp (default window 0). */
export class CsvTraceArrivals extends StreamedTraceArrivals {
  private readonly cTime: number;
  private readonly cFn: number;
  private readonly cDur: number;
  private readonly timeScale: number;
  private readonly durScale: number;

  constructor(file: string, opts: CsvTraceOptions = {}) {
    super(file, opts, 0, 'workload.csvtrace');
    const unit = (name: string, u: string | undefined, d: TimeUnit): number => {
      const k = u ?? d;
      if (!(k in UNIT_US)) throw new ArrivalOptionError(name, '"s", "ms" or "us"', u);
      return UNIT_US[k as TimeUnit];
    };
    this.timeScale = unit('timeUnit', opts.timeUnit, 's');
    this.durScale = unit('durationUnit', opts.durationUnit, 'ms');
    const r = this.reader;
    this.cTime = r.requireColumn('timestamp');
    this.cFn = r.requireColumn('function');
    this.cDur = r.columnIndex('duration');
  }

  protected decode(rec: string[]): void {
    const r = this.reader;
    if (rec.length !== r.header.length) throw r.error(Math.min(rec.length, r.header.length) - 1, `expected ${r.header.length} fields as in the header, found ${rec.length}`);
    const t = parseNumber(rec[this.cTime]);
    if (!(t >= 0)) throw r.error(this.cTime, `expected a non-negative timestamp, found ${JSON.stringify(rec[this.cTime])}`);
    const name = rec[this.cFn];
    if (name === '') throw r.error(this.cFn, 'expected a function name, found an empty field');
    let service = -1;
    if (this.cDur >= 0) {
      const d = parseNumber(rec[this.cDur]);
      if (!(d >= 0)) throw r.error(this.cDur, `expected a non-negative duration, found ${JSON.stringify(rec[this.cDur])}`);
      service = Math.round(d * this.durScale);
    }
    this.rowStart = this.rowOrder = Math.round(t * this.timeScale);
    this.rowName = this.rowAlias = name;
    this.rowService = service;
  }
}
