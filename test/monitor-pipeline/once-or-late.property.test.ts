/**
 * Property: every record the logger emits is processed by each query of the monitoring job
 * exactly once (outliers: per record; stats and drift: accepted into exactly one window or
 * counted as late), whatever the bus batching, hop jitter, partitions and micro-batch costs.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { makeDistribution } from '../../src/core/distributions.js';
import { Simulation } from '../../src/core/simulation.js';
import { MS, SECOND } from '../../src/core/time.js';
import { InferenceLogger, type LoggedRecord } from '../../src/monitor/pipeline/inference-logger.js';
import { Producer, Topic } from '../../src/monitor/pipeline/message-bus.js';
import { MonitoringJob, type OutlierRow } from '../../src/monitor/pipeline/monitoring-job.js';
import type { QueryCosts } from '../../src/monitor/pipeline/stream-processor.js';
import type { WindowResult } from '../../src/monitor/monitor.js';
import { parseMonitorSpec } from '../../src/monitor/spec.js';
import { irisStudyBaseline, IRIS_FEATURES } from '../../src/experiment/studies/monitoring-iris.js';

const costs = (plan: number, stateful: boolean, per: number): QueryCosts => ({
  plan: makeDistribution({ type: 'uniform', min: plan / 2, max: plan }), commit: makeDistribution(0.05), driverCpuFraction: 0.3, driverPerTask: 0,
  taskOverhead: 0.01, perRecord: per, perOutputRow: 0.0001, shufflePartitions: stateful ? 4 : 0, shuffleTask: 0.005, perStateRecord: 0.0001,
  taskCpuFraction: 1, pollInterval: 0.01,
});

describe('once-or-late through logger, bus and the three queries', () => {
  test('property', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 30 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 20 }), fc.double({ min: 0.001, max: 2, noNaN: true }),
        fc.double({ min: 0.05, max: 1.5, noNaN: true }), fc.integer({ min: 1, max: 4 }), fc.constantFrom<'second' | 'exact'>('second', 'exact'), fc.integer({ min: 50, max: 400 }),
        (seed, partitions, lingerMs, hopMaxS, planS, windowS, resolution, n) => {
          const sim = new Simulation({ seed });
          const spec = parseMonitorSpec({
            features: IRIS_FEATURES, compat: 'reference', trigger: { window: { duration: windowS * 1000, watermarkDelay: 500 }, watermark: 'on-advance' },
            stats: { count: {}, distr: {} }, outliers: { descriptive: ['avg'] }, drift: { wasserstein: { showAll: true } },
          });
          const topics = {
            inference: new Topic<LoggedRecord>('in', partitions), outliers: new Topic<OutlierRow>('o', 1),
            stats: new Topic<WindowResult>('s', 1), drift: new Topic<WindowResult>('d', 1), offsets: new Topic<string>('c', 1),
          };
          const pcfg = { lingerUs: lingerMs * MS, batchBytes: 1000, latency: { baseUs: 1000, perKiBUs: 100 } };
          const logger = new InferenceLogger(sim, new Producer(sim, topics.inference, pcfg, sim.random.stream('p')), {
            hop: makeDistribution({ type: 'uniform', min: 0, max: hopMaxS }), service: makeDistribution({ type: 'exponential', mean: 0.002 }),
            cpuPerEvent: 0, messageBytes: 100, timeResolution: resolution, rng: sim.random.stream('l'),
          });
          const job = new MonitoringJob(sim, {
            spec, baseline: irisStudyBaseline(), inference: topics.inference, outputs: topics, producer: pcfg,
            rowSizes: { outlier: 100, stats: 100, drift: 100, commit: 100 }, executors: { instances: 2, cores: 1, coreLimit: 1 },
            costs: { outliers: costs(planS, false, 0.0005), stats: costs(planS, true, 0.0002), drift: costs(planS, true, 0.0002) }, random: sim.random,
          });
          job.start(0);
          const rng = sim.random.stream('gen');
          const emitted: number[] = [];
          for (let i = 0; i < n; i++) {
            const at = Math.round(rng.uniform(0, 20) * SECOND);
            const x = Float64Array.from(IRIS_FEATURES, () => 1 + 6 * rng.next());
            sim.scheduleAt(at, () => { logger.log(i, x, 0, 0); emitted.push(i); }, undefined);
          }
          sim.run(60 * SECOND);
          // every emitted id is in the log exactly once, and each consumer has read the whole log
          const ids: number[] = [];
          topics.inference.partitions.forEach((p) => { for (const v of p.values) ids.push(v.id); });
          expect(ids.sort((a, b) => a - b)).toEqual([...emitted].sort((a, b) => a - b));
          for (const c of Object.values(job.consumers)) expect(Array.from(c.position)).toEqual(topics.inference.partitions.map((p) => p.endOffset));
          const cnt = job.counters();
          expect(cnt.outliers).toBe(n);
          for (const q of [cnt.stats, cnt.drift]) {
            expect(q.processed).toBe(n);
            expect(q.accepted + q.late).toBe(n);
          }
          // accepted records are counted in exactly one window: emitted windows + the flushed rest
          job.monitors.stats.flush(sim.now);
          const inWindows = job.statsWindows.reduce((s, w) => s + w.count, 0);
          expect(inWindows).toBe(cnt.stats.accepted);
          const starts = job.statsWindows.map((w) => w.start);
          expect(new Set(starts).size).toBe(starts.length);
        },
      ),
      { numRuns: 25 },
    );
  });
});
