/**
 * The scenario both policy-portability tests run, unchanged, on SimBackend and on LocalBackend:
 * a threshold autoscaler written against ClusterBackend and a DriftMonitor fed from the
 * backend's inference records, under a burst of 6 requests.
 */
import { expect } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { MS, SECOND } from '../../src/core/time.js';
import type { TrafficBackend } from '../../src/backend/cluster-backend.js';
import { feedMonitor } from '../../src/backend/monitor-feed.js';
import { ThresholdAutoscaler, runPolicy } from '../../src/backend/policies/threshold-autoscaler.js';
import { runUntil } from '../../src/backend/traffic.js';
import { DriftMonitor, type WindowResult } from '../../src/monitor/monitor.js';
import { parseMonitorSpec } from '../../src/monitor/spec.js';
import { makeBaseline } from '../../src/monitor/baseline.js';
import { IRIS_DESCRIPTIVE, IRIS_FEATURES, STUDY_MONITOR_YAML, irisDistributions } from '../monitor/iris-fixture.js';

export const FN = { name: 'f', replicas: 1, threads: 1, containerConcurrency: 1 };

/** The same scenario on any backend: returns what the policy decided and what the monitor saw. */
export async function exercise(b: TrafficBackend): Promise<{ decisions: number[]; windows: WindowResult[]; ingested: number; maxReplicas: number }> {
  await runUntil(b, () => b.observe().functions[0].readyReplicas === 1, 30 * SECOND);
  const policy = new ThresholdAutoscaler({ fn: 'f', targetPerReplica: 1, minReplicas: 1, maxReplicas: 3, scaleDownDelay: 1 * SECOND });
  const stopPolicy = runPolicy(b, policy, 100 * MS);
  const windows: WindowResult[] = [];
  const spec = parseMonitorSpec(parseYaml(STUDY_MONITOR_YAML.replace('duration: 15000, slide: 15000, watermarkDelay: 6000', 'duration: 500, slide: 500, watermarkDelay: 100')));
  const monitor = new DriftMonitor(spec, makeBaseline(IRIS_FEATURES, { descriptive: IRIS_DESCRIPTIVE, distributions: irisDistributions() }), { onWindow: (w) => windows.push(w) });
  const feed = feedMonitor(b, monitor, 200 * MS);
  for (let i = 0; i < 6; i++) b.send('f', { workCoreUs: 150 * MS, features: IRIS_FEATURES.map((f) => IRIS_DESCRIPTIVE[f].avg + 0.1 * i), prediction: i % 3 });
  let maxReplicas = 0;
  const stopWatch = b.every(50 * MS, () => {
    maxReplicas = Math.max(maxReplicas, b.observe().functions[0].replicas);
  });
  await runUntil(b, () => b.observe().functions[0].completed === 6 && b.observe().functions[0].replicas === 1, 8 * SECOND, 50 * MS);
  await b.runFor(500 * MS); // the feed's next ticks pick up the last records
  stopPolicy();
  feed.stop();
  stopWatch();
  monitor.flush(b.now()); // the watermark follows event time: close the burst's windows
  return { decisions: policy.decisions.map(([, n]) => n), windows, ingested: feed.counts.ingested, maxReplicas };
}

export function expectSameBehaviour(r: Awaited<ReturnType<typeof exercise>>): void {
  // scale up on the burst (6 requests waiting, target 1, max 3), then back to 1 once it drained
  // (on a live backend the burst may reach the router over two ticks: 2 then 3)
  expect(r.decisions[0]).toBeGreaterThan(1);
  expect(Math.max(...r.decisions)).toBe(3);
  expect(r.decisions[r.decisions.length - 1]).toBe(1);
  expect(r.maxReplicas).toBe(3);
  expect(r.ingested).toBe(6);
  expect(r.windows.reduce((s, w) => s + w.count, 0)).toBe(6);
}

