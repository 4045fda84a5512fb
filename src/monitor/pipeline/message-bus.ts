/**
 * A Kafka-like message bus timing model (calibration-targets.md study 3, "Kafka" and modelling
 * note 9): topics split into partitions, each an append-only log; producers that batch per
 * partition (linger and batch size, as Sarama's `Flush.Frequency` / `Flush.Bytes` or the Java
 * client's `linger.ms` / `batch.size`) and whose batches become visible after a produce latency
 * of a small constant plus a size-proportional term; consumers that read from a position up to
 * what is visible at their fetch time, so their lag is visible end − position.
 *
 * Byte accounting (modelling note 9, CT3-22…CT3-25): every message has a size in bytes; a batch
 * adds a record-batch header. Log size per topic = Σ message bytes + headers (no retention
 * limit in a run). Bytes in are counted at the append time, bytes out at the fetch time, in 1 s
 * bins. `__consumer_offsets` commits are ordinary messages on an internal topic.
 *
 * Timing only: message values are opaque to the bus. Append times are monotone per partition
 * (a later batch never overtakes an earlier one: Kafka keeps per-partition order), so the
 * visible end at time t is found by binary search; no event is scheduled per message.
 */
import type { RandomStream } from '../../core/random.js';
import type { Simulation } from '../../core/simulation.js';
import { SECOND, type Time } from '../../core/time.js';

/** Kafka v2 record-batch header, bytes (the fixed part of a RecordBatch before its records). */
export const RECORD_BATCH_HEADER_BYTES = 61;

/** Produce → visible latency: `baseUs + perKiBUs · bytes / 1024` (modelling note 9). */
export interface ProduceLatency {
  /** Constant part, µs (request round trip and the broker's append). */
  baseUs: number;
  /** Size-proportional part, µs per KiB of the batch. */
  perKiBUs: number;
}

/** Latency of a batch of `bytes` bytes, integer µs. Pure. */
export function produceLatency(l: ProduceLatency, bytes: number): Time {
  return Math.round(l.baseUs + (l.perKiBUs * bytes) / 1024);
}

/** Producer batching: a partition's batch is sent when it reaches `batchBytes` or `lingerUs` after its first message. */
export interface ProducerConfig {
  /** Wait at most this long for more messages, µs (0 = send every message at once). */
  lingerUs: Time;
  /** Send as soon as the batch holds at least this many bytes. */
  batchBytes: number;
  latency: ProduceLatency;
  /** Partition choice for keyless messages: 'random' (Sarama's hash partitioner with a nil key) or 'round-robin'. */
  partitioner?: 'random' | 'round-robin';
}

/** When a message of a batch started at `first` with `bytes` bytes (after adding one) is sent: now if full, else at first + linger. Pure. */
export function batchSendTime(first: Time, bytes: number, cfg: Pick<ProducerConfig, 'lingerUs' | 'batchBytes'>, now: Time): Time {
  if (cfg.lingerUs <= 0 || bytes >= cfg.batchBytes) return now;
  return first + cfg.lingerUs;
}

/** Bytes per 1 s bin, growable. */
export class ByteSeries {
  private bins = new Float64Array(64);
  /** Highest bin index written + 1. */
  length = 0;
  total = 0;

  add(t: Time, bytes: number): void {
    const i = Math.floor(t / SECOND);
    if (i < 0) throw new RangeError(`ByteSeries.add: expected a time ≥ 0 µs, found ${t}`);
    if (i >= this.bins.length) {
      let n = this.bins.length;
      while (n <= i) n *= 2;
      const b = new Float64Array(n);
      b.set(this.bins);
      this.bins = b;
    }
    this.bins[i] += bytes;
    if (i + 1 > this.length) this.length = i + 1;
    this.total += bytes;
  }

  /** Bytes in second i. */
  at(i: number): number {
    return i < this.bins.length ? this.bins[i] : 0;
  }

  /** The bins [0, length). */
  toArray(): Float64Array {
    return this.bins.slice(0, this.length);
  }
}

/** One partition's log: values, their sizes and append times (monotone). */
export class PartitionLog<T> {
  readonly values: T[] = [];
  readonly bytes: number[] = [];
  readonly appendAt: number[] = [];

  get endOffset(): number {
    return this.values.length;
  }

  /** Last append time (−Infinity when empty). */
  get lastAppend(): number {
    const n = this.appendAt.length;
    return n === 0 ? -Infinity : this.appendAt[n - 1];
  }

  /** Number of messages visible at time t (append time ≤ t). */
  visibleEnd(t: Time): number {
    const a = this.appendAt;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** A topic: partitions plus byte accounting. */
export class Topic<T> {
  readonly partitions: PartitionLog<T>[];
  readonly bytesIn = new ByteSeries();
  readonly bytesOut = new ByteSeries();
  /** Σ message bytes + record-batch headers. */
  logBytes = 0;
  messages = 0;
  batches = 0;

  constructor(readonly name: string, partitions: number) {
    if (!(Number.isInteger(partitions) && partitions >= 1)) {
      throw new RangeError(`topic "${name}": partitions: expected an integer ≥ 1, found ${partitions}`);
    }
    this.partitions = Array.from({ length: partitions }, () => new PartitionLog<T>());
  }

  /**
   * Append a batch to partition p, visible at `at` (pushed later if the partition's last batch
   * is visible later: per-partition order). Returns the append time used.
   */
  appendBatch(p: number, values: readonly T[], sizes: readonly number[], at: Time): Time {
    const log = this.partitions[p];
    const t = Math.max(at, log.lastAppend);
    let total = RECORD_BATCH_HEADER_BYTES;
    for (let i = 0; i < values.length; i++) {
      log.values.push(values[i]);
      log.bytes.push(sizes[i]);
      log.appendAt.push(t);
      total += sizes[i];
    }
    this.logBytes += total;
    this.messages += values.length;
    this.batches++;
    this.bytesIn.add(t, total);
    return t;
  }

  /** Messages visible at t summed over partitions. */
  visibleMessages(t: Time): number {
    let n = 0;
    for (const p of this.partitions) n += p.visibleEnd(t);
    return n;
  }
}

interface PendingBatch<T> {
  values: T[];
  sizes: number[];
  bytes: number;
  first: Time;
  timer: number;
}

/** A producer to one topic (one per client process: the Inference Logger's shared Sarama producer). */
export class Producer<T> {
  /** Messages handed to send(). */
  sent = 0;
  private readonly pending: (PendingBatch<T> | null)[];
  private rr = 0;
  private readonly flushEvent = (p: number): void => this.flush(p);

  constructor(
    private readonly sim: Simulation,
    readonly topic: Topic<T>,
    readonly config: ProducerConfig,
    private readonly rng: RandomStream,
  ) {
    if (!(config.lingerUs >= 0)) throw new RangeError(`producer to "${topic.name}": lingerUs: expected ≥ 0 µs, found ${config.lingerUs}`);
    if (!(config.batchBytes >= 0)) throw new RangeError(`producer to "${topic.name}": batchBytes: expected ≥ 0, found ${config.batchBytes}`);
    if (!(config.latency.baseUs >= 0 && config.latency.perKiBUs >= 0)) {
      throw new RangeError(`producer to "${topic.name}": latency: expected baseUs ≥ 0 and perKiBUs ≥ 0, found ${JSON.stringify(config.latency)}`);
    }
    this.pending = new Array<PendingBatch<T> | null>(topic.partitions.length).fill(null);
  }

  /** Pick the partition of a keyless message. */
  private partition(): number {
    const n = this.topic.partitions.length;
    if (n === 1) return 0;
    if (this.config.partitioner === 'round-robin') return this.rr++ % n;
    return this.rng.int(n);
  }

  /** Send one message of `bytes` bytes now (to `partition`, or a chosen one). Returns the partition. */
  send(value: T, bytes: number, partition = -1): number {
    const now = this.sim.now;
    const p = partition >= 0 ? partition : this.partition();
    this.sent++;
    let b = this.pending[p];
    if (b === null) {
      b = { values: [], sizes: [], bytes: 0, first: now, timer: -1 };
      this.pending[p] = b;
    }
    b.values.push(value);
    b.sizes.push(bytes);
    b.bytes += bytes;
    const at = batchSendTime(b.first, b.bytes, this.config, now);
    if (at <= now) {
      if (b.timer >= 0) this.sim.cancel(b.timer);
      this.flush(p);
    } else if (b.timer < 0) b.timer = this.sim.scheduleAt(at, this.flushEvent, p);
    return p;
  }

  /** Send partition p's batch now. */
  flush(p: number): void {
    const b = this.pending[p];
    if (b === null) return;
    this.pending[p] = null;
    const now = this.sim.now;
    this.topic.appendBatch(p, b.values, b.sizes, now + produceLatency(this.config.latency, b.bytes + RECORD_BATCH_HEADER_BYTES));
  }

  /** Messages waiting in open batches. */
  get buffered(): number {
    let n = 0;
    for (const b of this.pending) if (b !== null) n += b.values.length;
    return n;
  }
}

/** A half-open range of offsets [from, to) of one partition. */
export interface OffsetRange {
  partition: number;
  from: number;
  to: number;
}

/**
 * A consumer of every partition of a topic (one streaming query's Kafka source): its position
 * per partition, fetches of what is visible, and the lag.
 */
export class Consumer<T> {
  readonly position: Int32Array;
  /** Messages fetched so far. */
  fetched = 0;

  constructor(readonly topic: Topic<T>, readonly group: string) {
    this.position = new Int32Array(topic.partitions.length);
  }

  /** The ranges visible at `now` beyond the position (does not move the position). */
  available(now: Time): OffsetRange[] {
    const out: OffsetRange[] = [];
    this.topic.partitions.forEach((log, p) => {
      const end = log.visibleEnd(now);
      if (end > this.position[p]) out.push({ partition: p, from: this.position[p], to: end });
    });
    return out;
  }

  /** Read the ranges at `now` (bytes out counted now) and move the position past them. */
  read(ranges: readonly OffsetRange[], now: Time): number {
    let n = 0;
    let bytes = 0;
    for (const r of ranges) {
      if (r.from !== this.position[r.partition]) {
        throw new RangeError(`consumer "${this.group}" of "${this.topic.name}": read: expected partition ${r.partition} from offset ${this.position[r.partition]}, found ${r.from}`);
      }
      const log = this.topic.partitions[r.partition];
      for (let o = r.from; o < r.to; o++) bytes += log.bytes[o];
      n += r.to - r.from;
      this.position[r.partition] = r.to;
    }
    if (bytes > 0) this.topic.bytesOut.add(now, bytes);
    this.fetched += n;
    return n;
  }

  /** Messages visible at `now` and not yet read. */
  lag(now: Time): number {
    let n = 0;
    this.topic.partitions.forEach((log, p) => {
      n += Math.max(0, log.visibleEnd(now) - this.position[p]);
    });
    return n;
  }
}
