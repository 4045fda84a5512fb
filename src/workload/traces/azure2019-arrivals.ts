/**
 * Replay of a loaded Azure 2019 day (readAzure2019) as arrivals, merged across functions
 * minute by minute: at each minute boundary the minute's invocations of every function are
 * placed within the minute, sorted into one buffer, and emitted one kernel event at a time.
 * Memory: the counts array plus the busiest minute's arrivals (8 bytes each).
 *
 * Placement within a minute (`spread`), following the vHive loader's IAT options
 * (platform-semantics.md (h)): with c invocations in a minute,
 * - 'exponential' (default): c+1 exponential gaps scaled to fill the minute — exactly the
 *   arrival times of a Poisson process conditioned on c arrivals in the minute;
 * - 'uniform': c+1 gaps uniform on (0, 1] scaled to fill the minute (less bursty);
 * - 'equidistant': arrivals at k·60 s / c, k = 0 … c−1.
 * Each function's minute is placed independently. Service times are drawn from the
 * function's duration percentile table (durationAtQuantile), or -1 when it has none.
 */
import type { Time } from '../../core/time.js';
import { MINUTE } from '../../core/time.js';
import type { PayloadSource } from '../payload.js';
import { ArrivalOptionError, ArrivalSourceBase } from '../arrivals/arrival-source.js';
import { AZURE2019_MINUTES, durationAtQuantile, type Azure2019Trace } from './azure2019.js';

export type MinuteSpread = 'exponential' | 'uniform' | 'equidistant';

export interface Azure2019ArrivalOptions {
  spread?: MinuteSpread;
  /** First minute replayed (0-based, default 0); it starts at the source's start time. */
  fromMinute?: number;
  /** End minute, exclusive (default 1440). */
  toMinute?: number;
  /** Draw service times from the duration tables (default true). */
  durations?: boolean;
  /** Random substream (default "workload.azure2019"). */
  stream?: string;
  startAt?: Time;
  until?: Time;
  payload?: PayloadSource;
}

const FN_BITS = 2 ** 26; // function index < 2^26; offset (µs < 6e7 < 2^26) · 2^26 + fn < 2^52

function fireAzure2019(src: Azure2019Arrivals): void {
  src.fire();
}

/** Arrival source over an Azure 2019 day. */
export class Azure2019Arrivals extends ArrivalSourceBase {
  private readonly trace: Azure2019Trace;
  private readonly spread: MinuteSpread;
  private readonly fromMinute: number;
  private readonly toMinute: number;
  private readonly sampleDurations: boolean;
  private readonly nFns: number;
  private minute = 0;
  private base = 0;
  private keys = new Float64Array(1024);
  private nKeys = 0;
  private k = 0;
  private gaps = new Float64Array(1024);

  constructor(trace: Azure2019Trace, opts: Azure2019ArrivalOptions = {}) {
    super({ functions: trace.functions.length > 0 ? trace.functions.map((f) => f.name) : ['(none)'], stream: opts.stream ?? 'workload.azure2019', startAt: opts.startAt, until: opts.until, payload: opts.payload }, 'workload.azure2019');
    this.trace = trace;
    this.nFns = trace.functions.length;
    if (this.nFns >= FN_BITS) throw new ArrivalOptionError('trace', `fewer than ${FN_BITS} functions`, this.nFns);
    this.spread = opts.spread ?? 'exponential';
    if (!['exponential', 'uniform', 'equidistant'].includes(this.spread)) throw new ArrivalOptionError('spread', '"exponential", "uniform" or "equidistant"', this.spread);
    this.fromMinute = opts.fromMinute ?? 0;
    this.toMinute = opts.toMinute ?? AZURE2019_MINUTES;
    if (!(Number.isInteger(this.fromMinute) && this.fromMinute >= 0 && this.fromMinute <= AZURE2019_MINUTES)) throw new ArrivalOptionError('fromMinute', 'an integer minute in [0, 1440]', this.fromMinute);
    if (!(Number.isInteger(this.toMinute) && this.toMinute >= this.fromMinute && this.toMinute <= AZURE2019_MINUTES)) throw new ArrivalOptionError('toMinute', `an integer minute in [fromMinute = ${this.fromMinute}, 1440]`, this.toMinute);
    this.sampleDurations = opts.durations ?? true;
  }

  /** Invocations the selected minutes hold, per function and in total (what a full replay must emit). */
  expected(): { total: number; perFunction: Float64Array } {
    const per = new Float64Array(this.nFns);
    let total = 0;
    for (let f = 0; f < this.nFns; f++) {
      let s = 0;
      for (let m = this.fromMinute; m < this.toMinute; m++) s += this.trace.counts[f * AZURE2019_MINUTES + m];
      per[f] = s;
      total += s;
    }
    return { total, perFunction: per };
  }

  protected begin(t0: Time): void {
    this.base = t0;
    this.minute = this.fromMinute;
    this.nextMinute();
  }

  /** Fill the buffer with the next non-empty minute and arm its first arrival, or finish. */
  private nextMinute(): void {
    const counts = this.trace.counts;
    const n = this.nFns;
    while (this.minute < this.toMinute) {
      const m = this.minute++;
      let total = 0;
      for (let f = 0; f < n; f++) total += counts[f * AZURE2019_MINUTES + m];
      if (total === 0) continue;
      if (total > this.keys.length) this.keys = new Float64Array(Math.max(total, this.keys.length * 2));
      let j = 0;
      for (let f = 0; f < n; f++) {
        const c = counts[f * AZURE2019_MINUTES + m];
        if (c > 0) j = this.place(f, c, j);
      }
      this.nKeys = j;
      this.keys.subarray(0, j).sort();
      this.k = 0;
      const minuteStart = this.base + (m - this.fromMinute) * MINUTE;
      this.minuteStart = minuteStart;
      this.arm(minuteStart + Math.floor(this.keys[0] / FN_BITS), fireAzure2019);
      return;
    }
    this.finished = true;
    this.pending = -1;
  }
  private minuteStart = 0;

  /** Write c keys (offset·2^26 + f) for function f into keys[j…]; returns the next j. */
  private place(f: number, c: number, j: number): number {
    const keys = this.keys;
    if (this.spread === 'equidistant') {
      for (let i = 0; i < c; i++) keys[j++] = Math.floor((i * MINUTE) / c) * FN_BITS + f;
      return j;
    }
    if (c + 1 > this.gaps.length) this.gaps = new Float64Array(Math.max(c + 1, this.gaps.length * 2));
    const g = this.gaps;
    const rng = this.rng;
    let sum = 0;
    if (this.spread === 'exponential') for (let i = 0; i <= c; i++) sum += g[i] = -Math.log(rng.nextOpen());
    else for (let i = 0; i <= c; i++) sum += g[i] = rng.nextOpen();
    const scale = MINUTE / sum;
    let acc = 0;
    for (let i = 0; i < c; i++) {
      acc += g[i];
      const off = Math.min(MINUTE - 1, Math.floor(acc * scale));
      keys[j++] = off * FN_BITS + f;
    }
    return j;
  }

  /** @internal event callback */
  fire(): void {
    const key = this.keys[this.k++];
    const f = key % FN_BITS;
    let service: Time = -1;
    if (this.sampleDurations) {
      const table = this.trace.durations[f];
      if (table !== undefined) service = Math.round(durationAtQuantile(table, this.rng.next()) * 1000);
    }
    this.emit(f, service);
    if (this.k < this.nKeys) this.arm(this.minuteStart + Math.floor(this.keys[this.k] / FN_BITS), fireAzure2019);
    else this.nextMinute();
  }
}
