import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/core/random.js';
import { Simulation } from '../../src/core/simulation.js';
import { makeDistribution } from '../../src/core/distributions.js';

function draws(streams: RandomStreams, name: string, n: number): number[] {
  const s = streams.stream(name);
  return Array.from({ length: n }, () => s.next());
}

describe('named random streams (DESIGN.md rule 2)', () => {
  it('same seed and name give the same sequence, also for derived draws', () => {
    const a = new RandomStreams(42);
    const b = new RandomStreams(42);
    expect(draws(a, 'arrivals', 1000)).toEqual(draws(b, 'arrivals', 1000));
    const sa = a.stream('svc'), sb = b.stream('svc');
    for (let i = 0; i < 200; i++) {
      expect(sb.normal()).toBe(sa.normal());
      expect(sb.exponential(3)).toBe(sa.exponential(3));
      expect(sb.int(17)).toBe(sa.int(17));
    }
    expect(a.stream('svc')).toBe(sa); // one object per name
  });

  it('different seeds or names give different sequences', () => {
    const a = draws(new RandomStreams(42), 'x', 100);
    expect(draws(new RandomStreams(43), 'x', 100)).not.toEqual(a);
    expect(draws(new RandomStreams(42), 'y', 100)).not.toEqual(a);
    expect(draws(new RandomStreams('42'), 'x', 100)).toEqual(a); // the seed is used as text
  });

  it('streams with different names are uncorrelated (|r| within 5/√n)', () => {
    const n = 100_000;
    const streams = new RandomStreams(7);
    const x = draws(streams, 'node-1/cpu', n);
    const y = draws(streams, 'node-2/cpu', n);
    const z = draws(streams, 'node-1/cpu2', n);
    const corr = (u: number[], v: number[]): number => {
      const mu = u.reduce((s, a) => s + a, 0) / n, mv = v.reduce((s, a) => s + a, 0) / n;
      let suv = 0, suu = 0, svv = 0;
      for (let i = 0; i < n; i++) {
        suv += (u[i] - mu) * (v[i] - mv);
        suu += (u[i] - mu) ** 2;
        svv += (v[i] - mv) ** 2;
      }
      return suv / Math.sqrt(suu * svv);
    };
    // Under independence r is approximately Normal(0, 1/n).
    expect(Math.abs(corr(x, y))).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(corr(x, z))).toBeLessThan(5 / Math.sqrt(n));
    // lag-1 within one stream
    expect(Math.abs(corr(x.slice(1).concat([x[0]]), x))).toBeLessThan(5 / Math.sqrt(n));
    // uniform mean within 5 SE (SE = √(1/12/n))
    const m = x.reduce((s, a) => s + a, 0) / n;
    expect(Math.abs(m - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
  });

  it('adding a new stream, and drawing from it in between, does not change an existing stream', () => {
    const lone = new RandomStreams(2024);
    const ref = draws(lone, 'service', 500);

    const crowded = new RandomStreams(2024);
    const extra = crowded.stream('a-new-consumer'); // created first
    const svc = crowded.stream('service');
    const got: number[] = [];
    for (let i = 0; i < 500; i++) {
      extra.next();
      extra.normal();
      got.push(svc.next());
      crowded.stream(`late-${i}`).next();
    }
    expect(got).toEqual(ref);
  });

  it('through the simulation and a distribution: a new consumer leaves existing draws unchanged', () => {
    const d = makeDistribution({ type: 'lognormal', median: 120, p99: 150 });
    const run = (withExtra: boolean): number[] => {
      const sim = new Simulation({ seed: 5 });
      const out: number[] = [];
      sim.every(1000, () => out.push(d.sample(sim.random.stream('service'))));
      if (withExtra) sim.every(700, () => d.sample(sim.random.stream('cold-start')));
      sim.run(100_000);
      return out;
    };
    expect(run(true)).toEqual(run(false));
  });
});
