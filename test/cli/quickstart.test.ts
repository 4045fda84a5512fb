// The quickstart through main(): files exist and the numbers are sane for an underloaded
// system (throughput = offered load, Little's law, utilisation in (0, 1)).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { main } from '../../src/cli/main.js';
import { tempDir } from '../scenario/helpers.js';
import { captureIO } from './io.js';

describe('quickstart', () => {
  it('runs and writes sane results', async () => {
    const out = tempDir();
    const io = captureIO();
    expect(await main(['run', 'experiments/quickstart.yaml', '--out', out], io)).toBe(0);
    expect(io.stdout()).toMatch(/Functions\nfunction\s+arrivals/);
    expect(io.stdout()).toMatch(/Nodes\nnode\s+cores/);

    const scenario = parse(readFileSync('experiments/quickstart.yaml', 'utf8')) as { functions: { name: string; arrivals: { rate: number } }[] };
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s).toMatchObject({ scenario: 'quickstart', seed: 42, simulatedSeconds: 600, kind: 'serving' });
    expect(s.eventsProcessed).toBeGreaterThan(100_000);
    expect(s.eventsPerSecond).toBeGreaterThan(0);
    let arrivals = 0;
    for (const f of scenario.functions) {
      const m = s.metrics.functions[f.name];
      arrivals += m.arrivals;
      // Poisson count over 600 s: within 5 % of rate × 600 (more than 4 sd for these rates).
      expect(Math.abs(m.offeredRate / f.arrivals.rate - 1)).toBeLessThan(0.05);
      // Underloaded: throughput ≈ offered load, almost nothing times out.
      expect(Math.abs(m.throughput / m.offeredRate - 1)).toBeLessThan(0.01);
      expect(m.timedOut / m.arrivals).toBeLessThan(0.01);
      // Latency = wait + service; quantiles ordered.
      expect(m.latencyMs.mean).toBeCloseTo(m.meanWaitMs + m.meanServiceMs, 2);
      expect(m.latencyMs.p50).toBeLessThanOrEqual(m.latencyMs.p95);
      expect(m.latencyMs.p95).toBeLessThanOrEqual(m.latencyMs.p99);
      // Little's law: L = λW (within 3 %).
      const lw = m.throughput * (m.latencyMs.mean / 1000);
      expect(Math.abs(m.meanInSystem / lw - 1)).toBeLessThan(0.03);
    }
    for (const n of Object.values(s.metrics.nodes) as { utilisation: number }[]) {
      expect(n.utilisation).toBeGreaterThan(0.05);
      expect(n.utilisation).toBeLessThan(1);
    }
    const requests = readFileSync(join(out, 'requests.csv'), 'utf8').trim().split('\n');
    expect(requests[0]).toBe('request,function,replica,node,outcome,arrival_s,start_s,end_s,wait_ms,service_ms,latency_ms');
    expect(requests.length - 1).toBe(arrivals);
    const ts = readFileSync(join(out, 'timeseries.csv'), 'utf8').trim().split('\n');
    expect(ts).toHaveLength(1 + 601);
    expect(ts[0].startsWith('time_s,image-classifier.queued,image-classifier.in_service,image-classifier.in_flight')).toBe(true);
  });
});
