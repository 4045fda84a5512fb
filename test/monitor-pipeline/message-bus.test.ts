import { describe, expect, test } from 'vitest';
import { Simulation } from '../../src/core/simulation.js';
import { MS, SECOND } from '../../src/core/time.js';
import { ByteSeries, Consumer, Producer, RECORD_BATCH_HEADER_BYTES, Topic, batchSendTime, produceLatency } from '../../src/monitor/pipeline/message-bus.js';

describe('pure timing formulas', () => {
  test('produce latency = base + perKiB · bytes / 1024, rounded to µs', () => {
    expect(produceLatency({ baseUs: 2000, perKiBUs: 1000 }, 361)).toBe(2353); // 2000 + 352.5
    expect(produceLatency({ baseUs: 0, perKiBUs: 0 }, 1e6)).toBe(0);
  });
  test('a batch is sent at once when full or without linger, else at first + linger', () => {
    const cfg = { lingerUs: 5 * MS, batchBytes: 300 };
    expect(batchSendTime(0, 100, cfg, 1000)).toBe(5000);
    expect(batchSendTime(0, 300, cfg, 2000)).toBe(2000);
    expect(batchSendTime(0, 100, { lingerUs: 0, batchBytes: 300 }, 700)).toBe(700);
  });
  test('ByteSeries bins by second', () => {
    const s = new ByteSeries();
    s.add(0, 5);
    s.add(999_999, 5);
    s.add(2 * SECOND, 7);
    expect(Array.from(s.toArray())).toEqual([10, 0, 7]);
    expect(s.total).toBe(17);
  });
});

describe('producer batching and consumer lag against a hand-computed timeline', () => {
  // linger 5 ms, batch 300 B, latency 2 ms + 1 ms/KiB, one partition, 100 B messages at 0, 1, 2, 3 ms
  const sim = new Simulation({ seed: 1 });
  const topic = new Topic<number>('t', 1);
  const prod = new Producer(sim, topic, { lingerUs: 5 * MS, batchBytes: 300, latency: { baseUs: 2 * MS, perKiBUs: 1 * MS } }, sim.random.stream('p'));
  for (const [i, at] of [0, 1, 2, 3].entries()) sim.scheduleAt(at * MS, () => prod.send(i, 100), undefined);
  const consumer = new Consumer(topic, 'g');
  const lags: number[] = [];
  for (const t of [4352, 4353, 10156, 10157]) sim.scheduleAt(t, () => lags.push(consumer.lag(sim.now)), undefined);
  sim.scheduleAt(5000, () => consumer.read(consumer.available(sim.now), sim.now), undefined);
  sim.run(20 * MS);
  test('first batch (3 × 100 B, full at 2 ms) is visible at 2 ms + 2 ms + 361/1024 ms', () => {
    // 2000 + 2000 + round(1000 · 361 / 1024) = 4353
    expect(topic.partitions[0].appendAt.slice(0, 3)).toEqual([4353, 4353, 4353]);
  });
  test('second batch (1 message at 3 ms) waits for the linger (8 ms) then 2 ms + 161/1024 ms', () => {
    expect(topic.partitions[0].appendAt[3]).toBe(3000 + 5000 + 2000 + 157);
  });
  test('consumer lag: 0 before the first batch, 3 after it, 0 after reading, 1 after the second', () => {
    expect(lags).toEqual([0, 3, 0, 1]);
    expect(consumer.position[0]).toBe(3);
  });
  test('log bytes = messages + one record-batch header per batch', () => {
    expect(topic.logBytes).toBe(400 + 2 * RECORD_BATCH_HEADER_BYTES);
    expect(topic.batches).toBe(2);
    expect(topic.bytesOut.total).toBe(300);
  });
});

describe('per-partition order', () => {
  test('a smaller later batch never overtakes a larger earlier one', () => {
    const sim = new Simulation({ seed: 1 });
    const topic = new Topic<number>('t', 1);
    const prod = new Producer(sim, topic, { lingerUs: 0, batchBytes: 0, latency: { baseUs: 0, perKiBUs: 1000 } }, sim.random.stream('p'));
    sim.scheduleAt(0, () => prod.send(0, 10240), undefined); // visible at 10 ms + header
    sim.scheduleAt(1000, () => prod.send(1, 10), undefined); // would be visible at ~1.07 ms
    sim.run(SECOND);
    const a = topic.partitions[0].appendAt;
    expect(a[1]).toBeGreaterThanOrEqual(a[0]);
    expect(topic.partitions[0].visibleEnd(a[0] - 1)).toBe(0);
  });
  test('round-robin partitioner spreads messages evenly; bad config is rejected with the field named', () => {
    const sim = new Simulation({ seed: 1 });
    const topic = new Topic<number>('t', 3);
    const prod = new Producer(sim, topic, { lingerUs: 0, batchBytes: 0, latency: { baseUs: 0, perKiBUs: 0 }, partitioner: 'round-robin' }, sim.random.stream('p'));
    for (let i = 0; i < 9; i++) prod.send(i, 1);
    expect(topic.partitions.map((p) => p.endOffset)).toEqual([3, 3, 3]);
    expect(() => new Producer(sim, topic, { lingerUs: -1, batchBytes: 0, latency: { baseUs: 0, perKiBUs: 0 } }, sim.random.stream('q'))).toThrow(/lingerUs: expected ≥ 0/);
    expect(() => new Topic('x', 0)).toThrow(/partitions: expected an integer ≥ 1, found 0/);
  });
});
