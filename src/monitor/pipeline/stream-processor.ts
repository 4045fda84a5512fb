/**
 * A Spark-Structured-Streaming-like stream processor timing model (calibration-targets.md study
 * 3, "Model Monitoring Job" table, modelling notes 1–4):
 *
 * - an executor pool of `instances × cores` task slots (no dynamic allocation), shared FIFO by
 *   every query of the job: a task waits for a free slot, then runs for work / speed, where
 *   speed = min(1, coreLimit / cores) (a 1-core CFS limit per 1-core executor keeps speed 1);
 * - each query is an independent micro-batch loop with no trigger interval (Spark's default:
 *   the next batch starts when the previous ends; with a trigger interval, batches start on its
 *   multiples); a batch reads every offset visible at its start, then
 *     plan   (driver wall time: offset fetch, planning),
 *     map    one task per Kafka partition: overhead + records × perRecord + rows × perOutputRow,
 *     shuffle (stateful queries) `shufflePartitions` tasks: shuffleTask + state records share,
 *     commit (driver wall time: offset and commit logs, state checkpoint);
 *   with no new data the query polls again after `pollInterval` (spark `pollingDelay`, 10 ms),
 *   unless the sink asks for a no-data batch (a watermark advance with timeouts to fire,
 *   `spark.sql.streaming.noDataMicroBatches.enabled`);
 * - stateless sinks see each record at the moment its map task reaches it (the detection
 *   timestamp "taken as each row is processed", note 1d); stateful sinks first `advance(t)`
 *   (the watermark computed at the end of the previous batch applies now: timeouts fire and
 *   results are stamped t) and then get the batch's records, at the end of the shuffle stage.
 *
 * CPU accounting per 1 s bin: executor CPU = task time × taskCpuFraction, per executor; driver
 * CPU = (plan + commit) × driverCpuFraction + per-task scheduling CPU.
 */
import type { Distribution } from '../../core/distributions.js';
import type { RandomStream } from '../../core/random.js';
import type { Simulation } from '../../core/simulation.js';
import { SECOND, type Time } from '../../core/time.js';
import { ByteSeries, type Consumer, type OffsetRange } from './message-bus.js';

/** A task for the executor pool: `start(t)` returns its work (core-µs at speed 1); `done(t)` when it ends. */
export interface ExecutorTask {
  start(now: Time): number;
  done(now: Time): void;
  /** Share of the task's wall time that is CPU (default 1). */
  cpuFraction?: number;
}

/** The executors: slots = instances × cores, FIFO across every submitter. */
export class ExecutorPool {
  readonly slots: number;
  readonly speed: number;
  /** CPU-µs per executor per 1 s bin. */
  readonly cpu: ByteSeries[];
  tasksRun = 0;
  /** Peak tasks waiting for a slot. */
  peakWaiting = 0;
  private readonly free: number[] = [];
  private readonly queue: ExecutorTask[] = [];
  private qHead = 0;
  private readonly endEvent = (a: { task: ExecutorTask; slot: number }): void => this.end(a);

  constructor(private readonly sim: Simulation, readonly instances: number, readonly cores: number, coreLimit: number) {
    if (!(Number.isInteger(instances) && instances >= 1)) throw new RangeError(`executors: instances: expected an integer ≥ 1, found ${instances}`);
    if (!(Number.isInteger(cores) && cores >= 1)) throw new RangeError(`executors: cores: expected an integer ≥ 1, found ${cores}`);
    if (!(coreLimit > 0)) throw new RangeError(`executors: coreLimit: expected > 0 cores, found ${coreLimit}`);
    this.slots = instances * cores;
    this.speed = Math.min(1, coreLimit / cores);
    for (let s = this.slots - 1; s >= 0; s--) this.free.push(s);
    this.cpu = Array.from({ length: instances }, () => new ByteSeries());
  }

  /** Tasks waiting for a slot. */
  get waiting(): number {
    return this.queue.length - this.qHead;
  }

  submit(task: ExecutorTask): void {
    if (this.free.length > 0) this.run(task, this.free.pop() as number);
    else {
      this.queue.push(task);
      if (this.waiting > this.peakWaiting) this.peakWaiting = this.waiting;
    }
  }

  private run(task: ExecutorTask, slot: number): void {
    const now = this.sim.now;
    const work = task.start(now);
    if (!(work >= 0)) throw new RangeError(`executor task: expected work ≥ 0 core-µs, found ${work}`);
    const d = Math.round(work / this.speed);
    this.tasksRun++;
    const exec = Math.floor(slot / this.cores);
    addSpread(this.cpu[exec], now, now + d, task.cpuFraction ?? 1);
    this.sim.schedule(d, this.endEvent, { task, slot });
  }

  private end(a: { task: ExecutorTask; slot: number }): void {
    a.task.done(this.sim.now);
    if (this.qHead < this.queue.length) {
      const next = this.queue[this.qHead++];
      if (this.qHead > 256 && this.qHead * 2 > this.queue.length) {
        this.queue.splice(0, this.qHead);
        this.qHead = 0;
      }
      this.run(next, a.slot);
    } else this.free.push(a.slot);
  }
}

/** Add `fraction` × (b − a) µs to the 1 s bins covering [a, b). */
export function addSpread(s: ByteSeries, a: Time, b: Time, fraction: number): void {
  let t = a;
  while (t < b) {
    const edge = Math.min(b, (Math.floor(t / SECOND) + 1) * SECOND);
    s.add(t, (edge - t) * fraction);
    t = edge;
  }
}

/** Costs of one query's micro-batches (modelling note 1: a fixed per-batch cost and a per-record cost). */
export interface QueryCosts {
  /** Driver wall time before the tasks (offset fetch, planning), seconds. */
  plan: Distribution;
  /** Driver wall time after the tasks (offset/commit logs, state checkpoint), seconds. */
  commit: Distribution;
  /** Share of plan + commit time that is driver CPU. */
  driverCpuFraction: number;
  /** Driver CPU per task scheduled, core-seconds. */
  driverPerTask: number;
  /** Fixed work of a map task, core-seconds. */
  taskOverhead: number;
  /** Work per input record, core-seconds. */
  perRecord: number;
  /** Work per output row written by a map task (stateless sinks), core-seconds. */
  perOutputRow: number;
  /** Shuffle partitions of a stateful query (0 = stateless; Spark default 200). */
  shufflePartitions: number;
  /** Fixed work of one shuffle task (state store load/commit), core-seconds. */
  shuffleTask: number;
  /** Work per record in the shuffle stage, core-seconds (spread over its tasks). */
  perStateRecord: number;
  /** Share of a task's wall time that is executor CPU. */
  taskCpuFraction: number;
  /** Wait before looking again when there is no new data, seconds (Spark pollingDelay 10 ms). */
  pollInterval: number;
  /** Trigger interval, seconds (0 = Spark's default: as soon as the previous batch ends). */
  trigger?: number;
}

/** What a query does with records. */
export interface QuerySink<T> {
  /** One record processed at `time`; returns the output rows it produced (written by the task). */
  process(record: T, time: Time): number;
  /** Stateful sinks: the batch's state stage runs at `time` (watermark applies, timeouts fire); returns rows emitted. */
  advance?(time: Time): number;
  /** Stateful sinks: a no-data batch would fire timeouts (the watermark would move). */
  wantsNoDataBatch?(): boolean;
  /** A map task ended at `time` (stateless sinks write their buffered rows now). */
  taskDone?(time: Time): void;
}

/** One micro-batch as logged (times µs). */
export interface BatchRecord {
  query: string;
  index: number;
  start: Time;
  end: Time;
  records: number;
  rows: number;
}

/** A streaming query: a micro-batch loop over a consumer. */
export class MicroBatchQuery<T> {
  readonly batches: BatchRecord[] = [];
  /** Records processed. */
  processed = 0;
  /** Called after each batch's commit (e.g. to write a `__consumer_offsets` commit). */
  onCommit: ((now: Time, b: BatchRecord) => void) | null = null;
  private running = false;
  private stopped = false;
  private batchStart = 0;
  private records: { partition: number; values: T[] }[] = [];
  private nRecords = 0;
  private rows = 0;
  private pendingTasks = 0;
  private readonly stateful: boolean;
  private readonly beginEvent = (): void => this.begin();
  private readonly plannedEvent = (): void => this.planned();
  private readonly committedEvent = (): void => this.committed();

  constructor(
    private readonly sim: Simulation,
    readonly name: string,
    private readonly consumer: Consumer<T>,
    private readonly pool: ExecutorPool,
    private readonly costs: QueryCosts,
    private readonly sink: QuerySink<T>,
    private readonly rng: RandomStream,
    /** Driver CPU-µs per 1 s bin (shared by the job's queries). */
    private readonly driverCpu: ByteSeries,
  ) {
    this.stateful = costs.shufflePartitions > 0;
    if (this.stateful && sink.advance === undefined) throw new RangeError(`query "${name}": expected a sink with advance() for a stateful query (shufflePartitions ${costs.shufflePartitions})`);
    for (const k of ['driverCpuFraction', 'driverPerTask', 'taskOverhead', 'perRecord', 'perOutputRow', 'shuffleTask', 'perStateRecord', 'taskCpuFraction', 'pollInterval'] as const) {
      if (!(costs[k] >= 0)) throw new RangeError(`query "${name}": costs.${k}: expected a number ≥ 0, found ${costs[k]}`);
    }
  }

  /** Start the loop at `at` (≥ now). */
  start(at: Time): void {
    if (this.running) throw new Error(`query "${this.name}": start() called twice`);
    this.running = true;
    this.sim.scheduleAt(at, this.beginEvent, undefined);
  }

  /** Stop after the current batch. */
  stop(): void {
    this.stopped = true;
  }

  private secs(d: Distribution): Time {
    const v = d.sample(this.rng);
    return v > 0 ? Math.round(v * SECOND) : 0;
  }

  private begin(): void {
    if (this.stopped) return;
    const now = this.sim.now;
    const ranges: OffsetRange[] = this.consumer.available(now);
    if (ranges.length === 0 && !(this.sink.wantsNoDataBatch?.() ?? false)) {
      this.sim.schedule(Math.max(1, Math.round(this.costs.pollInterval * SECOND)), this.beginEvent, undefined);
      return;
    }
    this.batchStart = now;
    this.records = ranges.map((r) => {
      const log = this.consumer.topic.partitions[r.partition];
      return { partition: r.partition, values: log.values.slice(r.from, r.to) };
    });
    this.nRecords = this.consumer.read(ranges, now);
    this.rows = 0;
    const plan = this.secs(this.costs.plan);
    addSpread(this.driverCpu, now, now + plan, this.costs.driverCpuFraction);
    this.sim.schedule(plan, this.plannedEvent, undefined);
  }

  private planned(): void {
    const parts = this.consumer.topic.partitions.length;
    const byPartition: T[][] = Array.from({ length: parts }, () => []);
    for (const r of this.records) byPartition[r.partition] = r.values;
    this.pendingTasks = parts;
    this.driverCpu.add(this.sim.now, this.costs.driverPerTask * parts * SECOND);
    for (let p = 0; p < parts; p++) this.pool.submit(this.mapTask(byPartition[p]));
  }

  private mapTask(values: T[]): ExecutorTask {
    const c = this.costs;
    return {
      cpuFraction: c.taskCpuFraction,
      start: (now: Time): number => {
        let t = c.taskOverhead * SECOND;
        let rows = 0;
        if (!this.stateful) {
          for (const v of values) {
            t += c.perRecord * SECOND;
            const r = this.sink.process(v, now + Math.round(t));
            rows += r;
            t += r * c.perOutputRow * SECOND;
          }
          this.processed += values.length;
        } else t += values.length * c.perRecord * SECOND;
        this.rows += rows;
        return t;
      },
      done: (now: Time) => {
        this.sink.taskDone?.(now);
        this.mapDone();
      },
    };
  }

  private mapDone(): void {
    if (--this.pendingTasks > 0) return;
    if (!this.stateful) {
      this.finishTasks();
      return;
    }
    const S = this.costs.shufflePartitions;
    this.pendingTasks = S;
    this.driverCpu.add(this.sim.now, this.costs.driverPerTask * S * SECOND);
    const work = (this.costs.shuffleTask + (this.nRecords * this.costs.perStateRecord) / S) * SECOND;
    const task: ExecutorTask = { cpuFraction: this.costs.taskCpuFraction, start: () => work, done: () => this.shuffleDone() };
    for (let i = 0; i < S; i++) this.pool.submit(task);
  }

  private shuffleDone(): void {
    if (--this.pendingTasks > 0) return;
    const now = this.sim.now;
    const sink = this.sink;
    this.rows += (sink.advance as (t: Time) => number)(now);
    for (const r of this.records) for (const v of r.values) this.rows += sink.process(v, now);
    this.processed += this.nRecords;
    this.finishTasks();
  }

  private finishTasks(): void {
    const now = this.sim.now;
    const commit = this.secs(this.costs.commit);
    addSpread(this.driverCpu, now, now + commit, this.costs.driverCpuFraction);
    this.records = [];
    this.sim.schedule(commit, this.committedEvent, undefined);
  }

  private committed(): void {
    const now = this.sim.now;
    const b: BatchRecord = { query: this.name, index: this.batches.length, start: this.batchStart, end: now, records: this.nRecords, rows: this.rows };
    this.batches.push(b);
    this.onCommit?.(now, b);
    const trig = Math.round((this.costs.trigger ?? 0) * SECOND);
    if (trig > 0) {
      const next = (Math.floor(this.batchStart / trig) + 1) * trig;
      this.sim.scheduleAt(Math.max(now, next), this.beginEvent, undefined);
    } else this.begin();
  }
}
