/**
 * Monitor alone: 1,000,000 four-feature Iris-like records (1,000 records/s of event time,
 * 15 s tumbling windows, 6 s watermark) with all window statistics, the 3σ outlier rule and
 * three drift measures per window (Wasserstein, KL, Jensen-Shannon). Prints records/s.
 * Target (issue 6): ≥ 500,000 records/s.
 */
import { bench, describe, afterAll } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DriftMonitor } from '../src/monitor/monitor.js';
import { makeBaseline } from '../src/monitor/baseline.js';
import { parseMonitorSpec } from '../src/monitor/spec.js';
import { RandomStreams } from '../src/core/random.js';
import { MS } from '../src/core/time.js';
import { IRIS_DESCRIPTIVE, IRIS_FEATURES, irisDistributions, STUDY_MONITOR_YAML } from './monitor/iris-fixture.js';

const N = 1_000_000;
const F = 4;
// Pre-generate the records so the timing is the monitor's alone.
const g = new RandomStreams(1).stream('bench-features');
const values = new Float64Array(N * F);
for (let i = 0; i < N; i++) {
  for (let f = 0; f < F; f++) {
    const { avg, stddev } = IRIS_DESCRIPTIVE[IRIS_FEATURES[f]];
    const z = g.next() < 0.05 ? 3.5 : g.normal();
    values[i * F + f] = avg + stddev * z;
  }
}
const records = Array.from({ length: N }, (_, i) => ({ eventTime: i * MS, features: values.subarray(i * F, i * F + F) }));
const spec = parseMonitorSpec(parseYaml(STUDY_MONITOR_YAML));
const baseline = makeBaseline(IRIS_FEATURES, { descriptive: IRIS_DESCRIPTIVE, distributions: irisDistributions() });
const lines: string[] = [];

function runOnce(): void {
  let windows = 0;
  let alerts = 0;
  const mon = new DriftMonitor(spec, baseline, { onWindow: () => windows++, onAlert: () => alerts++ });
  const t0 = performance.now();
  for (let i = 0; i < N; i++) mon.ingest(records[i], records[i].eventTime + 20 * MS);
  const wall = (performance.now() - t0) / 1000;
  lines.push(`${(N / wall).toFixed(0).padStart(10)} records/s  (${wall.toFixed(3)} s, ${windows} windows, ${alerts} alerts)`);
}

describe('drift monitor, 1,000,000 records', () => {
  bench('stats + outliers + 3 drift measures', runOnce, { iterations: 5, warmupIterations: 1 });
});

afterAll(() => {
  console.log(['', 'monitor throughput (per iteration):', ...lines].join('\n'));
});
