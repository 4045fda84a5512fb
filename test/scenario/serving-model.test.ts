// The basic serving model: conservation of requests (property), placement, and agreement
// with the M/M/c closed form (Erlang C) where the model is exactly an M/M/c queue.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseScenarioText } from '../../src/scenario/source.js';
import { validateSource } from '../../src/scenario/load.js';
import { runScenario } from '../../src/experiment/run.js';
import { placeReplicas, type ServingBody } from '../../src/scenario/kinds/serving.js';

function load(obj: object) {
  return validateSource(parseScenarioText('inline.json', JSON.stringify(obj), 'json'));
}

interface FnMetrics { arrivals: number; completed: number; timedOut: number; inFlight: number; latencyMs: { mean: number | null }; meanWaitMs: number | null; throughput: number; meanInSystem: number }

/** Erlang C mean waiting time of M/M/c (λ per s, mean service s): Kleinrock, Queueing Systems I, eq. 3.40. */
function erlangCWait(lambda: number, meanService: number, c: number): number {
  const a = lambda * meanService;
  const rho = a / c;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const last = (term * a) / c / (1 - rho);
  const pWait = last / (sum + last);
  return (pWait * meanService) / (c * (1 - rho));
}

describe('basic serving model', () => {
  it('erlangC helper matches a hand-computed M/M/1 value', () => {
    // M/M/1, λ = 8/s, service 0.1 s: Wq = ρ/(μ-λ) = 0.8/2 = 0.4 s.
    expect(erlangCWait(8, 0.1, 1)).toBeCloseTo(0.4, 12);
  });

  it('places counted replicas round-robin across functions', () => {
    const body = {
      nodes: [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
      functions: [{ replicas: 2 }, { replicas: ['c', 'c'] }, { replicas: 3 }],
    } as unknown as ServingBody;
    expect(placeReplicas(body)).toEqual([[0, 1], [2, 2], [2, 0, 1]]);
  });

  it('one replica with concurrency c is an M/M/c queue: mean wait matches Erlang C', () => {
    const s = load({
      name: 'mmc', duration: '2000s', kind: 'serving', seed: 3,
      nodes: [{ name: 'n', cores: 3 }],
      functions: [{ name: 'f', replicas: 1, concurrency: 3, serviceTime: { type: 'exponential', mean: 100 }, arrivals: { type: 'poisson', rate: 24 } }],
    });
    const r = runScenario(s);
    const f = (r.metrics.functions as unknown as Record<string, FnMetrics>).f;
    const expected = erlangCWait(24, 0.1, 3) * 1000; // ms
    expect(f.arrivals).toBeGreaterThan(45_000);
    expect(f.meanWaitMs!).toBeGreaterThan(expected * 0.85);
    expect(f.meanWaitMs!).toBeLessThan(expected * 1.15);
    // Little's law: L = λW.
    expect(f.meanInSystem).toBeCloseTo(f.throughput * (f.latencyMs.mean! / 1000), 1);
  });

  it('least-outstanding balancing: balanced replicas, waits between M/M/2 and two random M/M/1', () => {
    const s = load({
      name: 'jsq', duration: '3000s', kind: 'serving', seed: 11,
      nodes: [{ name: 'n', cores: 2 }],
      functions: [{ name: 'f', replicas: 2, serviceTime: { type: 'exponential', mean: 100 }, arrivals: { type: 'poisson', rate: 10 } }],
    });
    const r = runScenario(s);
    const f = (r.metrics.functions as unknown as Record<string, FnMetrics>).f;
    const reps = r.metrics.replicas as unknown as { served: number }[];
    expect(Math.abs(reps[0].served / reps[1].served - 1)).toBeLessThan(0.05);
    const central = erlangCWait(10, 0.1, 2) * 1000; // 33.3 ms: one shared queue (a lower bound)
    const randomSplit = erlangCWait(5, 0.1, 1) * 1000; // 100 ms: each replica an M/M/1 at λ/2
    expect(f.meanWaitMs!).toBeGreaterThan(central * 0.9);
    expect(f.meanWaitMs!).toBeLessThan(randomSplit * 0.7);
  });

  it('node speed divides service times', () => {
    const base = {
      name: 'speed', duration: '100s', kind: 'serving', seed: 1,
      nodes: [{ name: 'n', cores: 1, speed: 0.5 }],
      functions: [{ name: 'f', replicas: 1, serviceTime: 10, arrivals: { type: 'poisson', rate: 1 } }],
    };
    const f = (runScenario(load(base)).metrics.functions as unknown as Record<string, { meanServiceMs: number }>).f;
    expect(f.meanServiceMs).toBe(20);
  });

  it('every arrival ends completed, timed out, or in flight at the end (property)', () => {
    const fnArb = fc.record({
      replicas: fc.integer({ min: 1, max: 3 }),
      concurrency: fc.integer({ min: 1, max: 3 }),
      meanMs: fc.double({ min: 1, max: 300, noNaN: true }),
      dist: fc.constantFrom('exponential', 'lognormal', 'constant'),
      rate: fc.double({ min: 0.5, max: 150, noNaN: true }),
      timeoutMs: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(fnArb, { minLength: 1, maxLength: 3 }),
        fc.array(fc.double({ min: 0.2, max: 2, noNaN: true }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 8 }),
        fc.nat(1000),
        (fns, speeds, seconds, seed) => {
          const spec = (f: (typeof fns)[number]) =>
            f.dist === 'constant' ? f.meanMs : f.dist === 'exponential' ? { type: 'exponential', mean: f.meanMs } : { type: 'lognormal', mean: f.meanMs, sd: f.meanMs };
          const s = load({
            name: 'prop', duration: `${seconds}s`, kind: 'serving', seed,
            output: { requests: true, sampleInterval: '500ms' },
            nodes: speeds.map((sp, i) => ({ name: `n${i}`, cores: 27, speed: sp })),
            functions: fns.map((f, i) => ({
              name: `f${i}`, replicas: f.replicas, concurrency: f.concurrency, serviceTime: spec(f),
              arrivals: { type: 'poisson', rate: f.rate }, ...(f.timeoutMs ? { timeout: `${f.timeoutMs}ms` } : {}),
            })),
          });
          const r = runScenario(s);
          const until = seconds * 1e6;
          const metrics = r.metrics.functions as unknown as Record<string, FnMetrics>;
          const req = r.requests!;
          const row: (string | number)[] = [];
          const counts = new Map<string, { completed: number; timed_out: number; in_flight: number }>();
          const ids = new Set<number>();
          for (let i = 0; i < req.length; i++) {
            req.row(i, row);
            const [id, fn, , , outcome, arrival, start, end] = row;
            ids.add(id as number);
            const c = counts.get(fn as string) ?? { completed: 0, timed_out: 0, in_flight: 0 };
            c[outcome as 'completed' | 'timed_out' | 'in_flight']++;
            counts.set(fn as string, c);
            const a = (arrival as number) * 1e6;
            expect(a).toBeLessThanOrEqual(until);
            if (outcome === 'completed') {
              expect(start as number).toBeGreaterThanOrEqual(arrival as number);
              expect(end as number).toBeGreaterThanOrEqual(start as number);
              expect((end as number) * 1e6).toBeLessThanOrEqual(until + 1e-6);
            } else if (outcome === 'timed_out') {
              const f = fns[Number(String(fn).slice(1))];
              expect(f.timeoutMs).toBeDefined();
              expect(Math.round((end as number) * 1e6 - a)).toBe(f.timeoutMs! * 1000);
            } else {
              expect(end).toBe('');
              const f = fns[Number(String(fn).slice(1))];
              if (f.timeoutMs) expect(a + f.timeoutMs * 1000).toBeGreaterThan(until);
            }
          }
          let total = 0;
          for (const [name, m] of Object.entries(metrics)) {
            const c = counts.get(name) ?? { completed: 0, timed_out: 0, in_flight: 0 };
            expect(c.completed).toBe(m.completed);
            expect(c.timed_out).toBe(m.timedOut);
            expect(c.in_flight).toBe(m.inFlight);
            expect(c.completed + c.timed_out + c.in_flight).toBe(m.arrivals);
            total += m.arrivals;
          }
          expect(req.length).toBe(total);
          expect(ids.size).toBe(total);
          // The sampled in-flight counts agree with the records: arrived by t, not yet ended
          // (samples where a request arrives or ends exactly at t are skipped: same-time order).
          const ts = r.timeSeries!;
          const rows: { fn: string; a: number; s: number; e: number }[] = [];
          for (let i = 0; i < req.length; i++) {
            req.row(i, row);
            const sec = (v: string | number): number => (v === '' ? Infinity : Math.round((v as number) * 1e6));
            rows.push({ fn: row[1] as string, a: sec(row[5]), s: sec(row[6]), e: sec(row[7]) });
          }
          for (let k = 0; k < ts.rows; k++) {
            const t = ts.times[k];
            if (rows.some((x) => x.a === t || x.s === t || x.e === t)) continue;
            fns.forEach((_, i) => {
              const mine = rows.filter((x) => x.fn === `f${i}` && x.a < t && x.e > t);
              const inFlight = ts.columns.indexOf(`f${i}.in_flight`);
              expect(ts.values[k * ts.columns.length + inFlight]).toBe(mine.length);
              const queued = ts.columns.indexOf(`f${i}.queued`);
              expect(ts.values[k * ts.columns.length + queued]).toBe(mine.filter((x) => x.s > t).length);
            });
          }
          const reps = r.metrics.replicas as unknown as { utilisation: number }[];
          for (const rep of reps) expect(rep.utilisation).toBeLessThanOrEqual(1 + 1e-9);
        },
      ),
      { numRuns: 60 },
    );
  });
});
