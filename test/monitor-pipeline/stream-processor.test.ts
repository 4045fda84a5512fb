import { describe, expect, test } from 'vitest';
import { makeDistribution } from '../../src/core/distributions.js';
import { Simulation } from '../../src/core/simulation.js';
import { MS, SECOND } from '../../src/core/time.js';
import { ByteSeries, Consumer, Topic } from '../../src/monitor/pipeline/message-bus.js';
import { ExecutorPool, MicroBatchQuery, addSpread, type QueryCosts } from '../../src/monitor/pipeline/stream-processor.js';
import { InferenceLogger, eventTimeOf, kpaMaxDesiredPods } from '../../src/monitor/pipeline/inference-logger.js';
import { Producer } from '../../src/monitor/pipeline/message-bus.js';

const costs = (o: Partial<QueryCosts> = {}): QueryCosts => ({
  plan: makeDistribution(1), commit: makeDistribution(0.5), driverCpuFraction: 0.5, driverPerTask: 0, taskOverhead: 0.1, perRecord: 0.01,
  perOutputRow: 0, shufflePartitions: 0, shuffleTask: 0, perStateRecord: 0, taskCpuFraction: 1, pollInterval: 0.01, ...o,
});

function setup(c: QueryCosts, slots = 1, stateful = false) {
  const sim = new Simulation({ seed: 1 });
  const topic = new Topic<number>('in', 1);
  // three records visible at 0.5 s
  topic.appendBatch(0, [1, 2, 3], [10, 10, 10], 500 * MS);
  const pool = new ExecutorPool(sim, slots, 1, 1);
  const seen: [number, number][] = [];
  const advances: number[] = [];
  const sink = {
    process: (v: number, t: number) => { seen.push([v, t]); return 0; },
    advance: stateful ? (t: number) => { advances.push(t); return 0; } : undefined,
  };
  const q = new MicroBatchQuery(sim, 'q', new Consumer(topic, 'q'), pool, c, sink, sim.random.stream('c'), new ByteSeries());
  q.start(0);
  return { sim, q, seen, advances, pool };
}

describe('micro-batch timeline (hand-computed)', () => {
  test('stateless: poll until data (0.5 s), plan 1 s, one map task 0.1 + 3 × 0.01 s, commit 0.5 s', () => {
    const { sim, q, seen } = setup(costs());
    sim.run(3 * SECOND);
    expect(q.batches[0]).toMatchObject({ start: 500 * MS, end: 2130 * MS, records: 3 });
    // rows stamped as the task reaches them: 1.5 s + 0.1 + k·0.01
    expect(seen).toEqual([[1, 1610 * MS], [2, 1620 * MS], [3, 1630 * MS]]);
    expect(q.processed).toBe(3);
  });
  test('stateful: map task, then 2 shuffle tasks of 0.2 s on one slot; advance then records at the stage end', () => {
    const { sim, seen, advances, q } = setup(costs({ shufflePartitions: 2, shuffleTask: 0.2 }), 1, true);
    sim.run(4 * SECOND);
    // 0.5 + 1 (plan) + 0.13 (map) + 0.4 (shuffle) = 2.03 s; commit until 2.53 s
    expect(advances[0]).toBe(2030 * MS);
    expect(seen.map((s) => s[1])).toEqual([2030 * MS, 2030 * MS, 2030 * MS]);
    expect(q.batches[0].end).toBe(2530 * MS);
  });
  test('a trigger interval starts batches on its multiples', () => {
    const sim = new Simulation({ seed: 1 });
    const topic = new Topic<number>('in', 1);
    for (let k = 0; k < 20; k++) topic.appendBatch(0, [k], [1], k * 500 * MS);
    const q = new MicroBatchQuery(sim, 'q', new Consumer(topic, 'q'), new ExecutorPool(sim, 1, 1, 1), costs({ trigger: 5 }), { process: () => 0 }, sim.random.stream('c'), new ByteSeries());
    q.start(0);
    sim.run(12 * SECOND);
    expect(q.batches.map((b) => b.start)).toEqual([0, 5 * SECOND, 10 * SECOND]);
  });
  test('executor slots are FIFO: a second query waits for the first one\'s tasks; slower CPU limit stretches tasks', () => {
    const sim = new Simulation({ seed: 1 });
    const pool = new ExecutorPool(sim, 1, 2, 1); // 2 cores under a 1-core limit: speed 0.5
    expect(pool.slots).toBe(2);
    expect(pool.speed).toBe(0.5);
    const ends: number[] = [];
    for (let i = 0; i < 3; i++) pool.submit({ start: () => 100 * MS, done: (t) => ends.push(t) });
    sim.run(SECOND);
    expect(ends).toEqual([200 * MS, 200 * MS, 400 * MS]);
    expect(pool.cpu[0].total).toBe(600 * MS);
  });
  test('addSpread splits CPU over second bins', () => {
    const s = new ByteSeries();
    addSpread(s, 900 * MS, 1300 * MS, 0.5);
    expect(Array.from(s.toArray())).toEqual([50 * MS, 150 * MS]);
  });
});

describe('inference logger', () => {
  test('FIFO on one pod: three events at once with 10 ms service leave at 10, 20, 30 ms', () => {
    const sim = new Simulation({ seed: 1 });
    const topic = new Topic<never>('t', 1);
    const prod = new Producer(sim, topic as Topic<never>, { lingerUs: 0, batchBytes: 0, latency: { baseUs: 0, perKiBUs: 0 } }, sim.random.stream('p'));
    const lg = new InferenceLogger(sim, prod as never, { hop: makeDistribution(0), service: makeDistribution(0.01), cpuPerEvent: 0.0005, messageBytes: 100, rng: sim.random.stream('l') });
    sim.scheduleAt(2_400_000, () => { for (let i = 0; i < 3; i++) lg.log(i, new Float64Array(4), 0, 0); }, undefined);
    sim.run(3 * SECOND);
    expect(lg.latency).toEqual([10 * MS, 20 * MS, 30 * MS]);
    expect(topic.partitions[0].appendAt).toEqual([2_410_000, 2_420_000, 2_430_000]);
    expect(lg.cpu.total).toBeCloseTo(1500, 6);
    const recs = topic.partitions[0].values as unknown as { eventTime: number; requestTime: number }[];
    expect(recs[0].eventTime).toBe(2 * SECOND);
    expect(recs[0].requestTime).toBe(2_400_000);
    // ∫ concurrency over second 2: 3·10 + 2·10 + 1·10 ms = 60 ms
    expect(lg.averageConcurrency(3)[2]).toBeCloseTo(0.06, 9);
  });
  test('event time floors to whole seconds or stays exact', () => {
    expect(eventTimeOf(3_999_999, 'second')).toBe(3 * SECOND);
    expect(eventTimeOf(3_999_999, 'exact')).toBe(3_999_999);
  });
  test('KPA desired pods from per-second concurrency (target 80, 70%: 56 per pod)', () => {
    expect(kpaMaxDesiredPods(new Array(120).fill(50), 80)).toBe(1);
    expect(kpaMaxDesiredPods(new Array(120).fill(120), 80)).toBe(3);
    // a 4-s burst to 130 trips the panic window (ceil(130·4/6 / 56) = 2 ≥ 2 × 1 pod)
    const burst = new Array(120).fill(10);
    for (let i = 60; i < 64; i++) burst[i] = 130;
    expect(kpaMaxDesiredPods(burst, 80)).toBe(2);
  });
});
