/**
 * Event-time windows with a watermark (calibration-targets.md study 3, "Windowing";
 * modelling note 3, Spark 2.4 semantics).
 * - Windows start at k·slide and cover [k·slide, k·slide + size); slide = size is tumbling.
 *   A record with event time t belongs to every window with k·slide ≤ t < k·slide + size.
 * - Watermark = max event time seen − delay (never decreases).
 * - A record whose event time is below the watermark in force when it arrives is late: it
 *   is dropped and counted (Spark drops rows with event time < watermark). Since a window
 *   is emitted only once the watermark reaches its end, a late record's windows may or may
 *   not have been emitted yet; an accepted record never targets an emitted window.
 * - A window is emitted once, when the watermark reaches (≥) its end ("as soon as the
 *   watermark timestamp equals or exceeds the window end"). Windows without records are
 *   never emitted. The last windows are emitted only by newer data or an explicit flush.
 * - Watermark mode 'per-record' recomputes the watermark on every accepted record and emits
 *   at once (stamped with that record's arrival time). Mode 'on-advance' follows Spark's
 *   micro-batches: records only raise the max event time; `advance(now)` (the end of a
 *   micro-batch) recomputes the watermark, emits what it allows, stamped `now`, and the new
 *   watermark applies to the records that arrive after it.
 * The windower never reads a clock: time comes in with the records and `advance` calls.
 */
import type { Time } from '../core/time.js';
import { MonitorInputError, type InferenceRecord } from './record.js';

export type WatermarkMode = 'per-record' | 'on-advance';

export interface WindowConfig {
  /** Window length, µs. */
  size: Time;
  /** Distance between window starts, µs (= size for tumbling windows). */
  slide: Time;
  /** Watermark delay, µs. */
  watermarkDelay: Time;
  watermarkMode: WatermarkMode;
}

/** What the windower does with window state: open on first record, add, emit once. */
export interface WindowSink<S> {
  open(start: Time, end: Time): S;
  add(state: S, record: InferenceRecord): void;
  /** The window is complete: `emittedAt` is the processing time of the emission. */
  emit(state: S, start: Time, end: Time, emittedAt: Time): void;
}

export function checkWindowConfig(c: WindowConfig): void {
  for (const k of ['size', 'slide', 'watermarkDelay'] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 0) throw new MonitorInputError(`window ${k}: expected a non-negative integer of µs, found ${c[k]}`);
  }
  if (c.size <= 0 || c.slide <= 0) throw new MonitorInputError(`window: expected size and slide > 0, found size ${c.size}, slide ${c.slide}`);
  if (c.slide > c.size) throw new MonitorInputError(`window: expected slide <= size (gaps would lose records), found slide ${c.slide} > size ${c.size}`);
}

export class EventTimeWindows<S> {
  /** Records accepted into windows. */
  accepted = 0;
  /** Records dropped as late. */
  late = 0;
  /** Windows emitted so far. */
  emitted = 0;
  private maxEventTime = -Infinity;
  private wm = -Infinity;
  // Open windows, ascending by start (few: about size/slide + delay/slide).
  private starts: number[] = [];
  private states: S[] = [];

  constructor(
    readonly config: WindowConfig,
    private readonly sink: WindowSink<S>,
  ) {
    checkWindowConfig(config);
  }

  /** The watermark in force (−Infinity before any record). */
  get watermark(): number {
    return this.wm;
  }

  /** Largest event time seen. */
  get maxEventTimeSeen(): number {
    return this.maxEventTime;
  }

  /** Number of windows holding state. */
  get openWindows(): number {
    return this.starts.length;
  }

  /** Offer one record that arrived at processing time `arrivalTime`. Returns false if late. */
  offer(record: InferenceRecord, arrivalTime: Time): boolean {
    const t = record.eventTime;
    if (t < this.wm) {
      this.late++;
      return false;
    }
    this.accepted++;
    if (t > this.maxEventTime) this.maxEventTime = t;
    const { size, slide } = this.config;
    const kHi = Math.floor(t / slide);
    const kLo = Math.floor((t - size) / slide) + 1;
    for (let k = kLo; k <= kHi; k++) this.sink.add(this.stateFor(k * slide), record);
    if (this.config.watermarkMode === 'per-record') this.updateWatermark(arrivalTime);
    return true;
  }

  /** Processing-time tick: in 'on-advance' mode, recompute the watermark and emit. */
  advance(now: Time): void {
    if (this.config.watermarkMode === 'on-advance') this.updateWatermark(now);
  }

  /** Emit every open window now regardless of the watermark (end of a run). */
  flush(now: Time): void {
    this.emitUpTo(Infinity, now);
  }

  private updateWatermark(now: Time): void {
    const w = this.maxEventTime - this.config.watermarkDelay;
    if (w > this.wm) {
      this.wm = w;
      this.emitUpTo(w, now);
    }
  }

  private emitUpTo(wm: number, now: Time): void {
    const size = this.config.size;
    let i = 0;
    while (i < this.starts.length && this.starts[i] + size <= wm) i++;
    if (i === 0) return;
    const starts = this.starts.splice(0, i);
    const states = this.states.splice(0, i);
    for (let j = 0; j < i; j++) {
      this.emitted++;
      this.sink.emit(states[j], starts[j], starts[j] + size, now);
    }
  }

  private stateFor(start: number): S {
    const starts = this.starts;
    let i = starts.length - 1;
    while (i >= 0 && starts[i] > start) i--;
    if (i >= 0 && starts[i] === start) return this.states[i];
    const s = this.sink.open(start, start + this.config.size);
    starts.splice(i + 1, 0, start);
    this.states.splice(i + 1, 0, s);
    return s;
  }
}
