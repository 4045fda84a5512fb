import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Adwin } from '../../src/monitor/drift/adwin.js';
import { Ddm } from '../../src/monitor/drift/ddm.js';
import { PageHinkley } from '../../src/monitor/drift/page-hinkley.js';
import { RandomStreams } from '../../src/core/random.js';

describe('ADWIN (River defaults: delta 0.002, clock 32)', () => {
  it('keeps exact window mean and variance while no cut happens (bucket merging)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 300 }), (xs) => {
        const a = new Adwin({ delta: 1e-12 });
        for (const x of xs) fc.pre(!a.update(x));
        const n = xs.length;
        const mean = xs.reduce((s, x) => s + x, 0) / n;
        const pvar = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
        expect(a.width).toBe(n);
        expect(a.estimation).toBeCloseTo(mean, 9);
        expect(a.variance).toBeCloseTo(pvar, 9);
      }),
    );
  });

  it('detects a one-sigma mean shift within 100 samples, and shrinks its window', () => {
    const delays: number[] = [];
    for (let seed = 0; seed < 30; seed++) {
      const g = new RandomStreams(seed).stream('adwin-shift');
      const a = new Adwin();
      let delay = -1;
      for (let i = 0; i < 2400 && delay < 0; i++) {
        if (a.update(g.normal() + (i >= 2000 ? 1 : 0)) && i >= 2000) {
          delay = i - 2000;
          expect(a.width).toBeLessThan(i + 1);
        }
      }
      delays.push(delay);
    }
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(100);
  });

  it('rarely fires on a stationary stream (≤ 3 detections in 30 × 5000 N(0,1) samples)', () => {
    let detections = 0;
    for (let seed = 0; seed < 30; seed++) {
      const g = new RandomStreams(seed).stream('adwin-stationary');
      const a = new Adwin();
      for (let i = 0; i < 5000; i++) if (a.update(g.normal())) detections++;
    }
    expect(detections).toBeLessThanOrEqual(3);
  });

  it('resets on the update after a drift', () => {
    const a = new Adwin({ clock: 1 });
    let i = 0;
    while (!a.update(i < 200 ? 0 : 10)) i++;
    a.update(10);
    expect(a.width).toBe(1);
  });
});

describe('Page-Hinkley', () => {
  it('hand-computed steps: current form strict, legacy form ≥', () => {
    // min_instances 1, δ 0, α 1: stream 0, 0, 3 → x̄ = 1, s_inc = 3 − 1 = 2, min(s_inc) = 0.
    const run = (mode: 'up' | 'legacy-up', threshold: number) => {
      const ph = new PageHinkley({ minInstances: 1, delta: 0, alpha: 1, threshold, mode });
      return [0, 0, 3].map((x) => ph.update(x));
    };
    expect(run('up', 1.9)).toEqual([false, false, true]);
    expect(run('up', 2)).toEqual([false, false, false]); // strictly greater
    expect(run('legacy-up', 2)).toEqual([false, false, true]); // ≥
    expect(run('legacy-up', 2.1)).toEqual([false, false, false]);
    // min_instances gates: with 4 the step at n = 3 is not reported.
    const gated = new PageHinkley({ minInstances: 4, delta: 0, alpha: 1, threshold: 1.9, mode: 'up' });
    expect([0, 0, 3].map((x) => gated.update(x))).toEqual([false, false, false]);
  });

  it("'both' sees a downward shift that 'up' ignores", () => {
    const stream = [...new Array(50).fill(5), ...new Array(50).fill(0)];
    const detect = (mode: 'both' | 'up') => {
      const ph = new PageHinkley({ threshold: 20, mode });
      return stream.findIndex((x) => ph.update(x));
    };
    // After the drop x̄ falls slowly, so s_dec = Σ(x − x̄ + δ) decreases by about x̄ per step.
    expect(detect('both')).toBeGreaterThan(49);
    expect(detect('both')).toBeLessThan(60);
    expect(detect('up')).toBe(-1);
  });

  it('detects a shift of 1 on low-noise data (σ = 0.2) within 80 samples, with no alarms before it', () => {
    for (let seed = 0; seed < 20; seed++) {
      const g = new RandomStreams(seed).stream('ph');
      const ph = new PageHinkley();
      let first = -1;
      for (let i = 0; i < 1200 && first < 0; i++) if (ph.update(0.2 * g.normal() + (i >= 1000 ? 1 : 0))) first = i;
      expect(first).toBeGreaterThanOrEqual(1000);
      expect(first - 1000).toBeLessThanOrEqual(80);
    }
  });
});

describe('DDM', () => {
  it('hand-computed warning and drift on a short error stream (warm start 5)', () => {
    // n=5: p=.2, s=√(.16/5)=.17889 → min. Warning above .2+2·.17889=.55777, drift above .2+3·.17889=.73666.
    // n=6: p=1/3, s=.19245 → .52578 (none); n=7: .42857+.18704=.61561 (warning);
    // n=8: .5+.17678=.67678 (warning); n=9: .55556+.16563=.72119 (warning); n=10: .6+.15492=.75492 (drift)
    const d = new Ddm({ warmStart: 5 });
    const out = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1].map((x) => (d.update(x) ? 'D' : d.warningDetected ? 'W' : '-'));
    expect(out.join('')).toBe('------WWWD');
  });

  it('detects an error-rate jump 0.1 → 0.4 within 500 samples (median ≤ 150)', () => {
    const delays: number[] = [];
    for (let seed = 0; seed < 30; seed++) {
      const g = new RandomStreams(seed).stream('ddm');
      const d = new Ddm();
      for (let i = 0; i < 1000; i++) d.update(g.next() < 0.1 ? 1 : 0);
      let det = -1;
      for (let i = 0; i < 2000 && det < 0; i++) if (d.update(g.next() < 0.4 ? 1 : 0)) det = i;
      delays.push(det);
    }
    delays.sort((a, b) => a - b);
    expect(delays[0]).toBeGreaterThanOrEqual(0);
    expect(delays[delays.length - 1]).toBeLessThanOrEqual(500);
    expect(delays[Math.floor(delays.length / 2)]).toBeLessThanOrEqual(150);
  });

  it('rejects values other than 0/1', () => {
    expect(() => new Ddm().update(0.5)).toThrow(/0\/1/);
  });
});
