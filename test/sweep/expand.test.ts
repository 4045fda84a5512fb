// Sweep expansion: cartesian product × seeds in a fixed order, deterministic and unique
// directory-safe point ids, a sweep identity that follows what defines the sweep, and
// bad axes reported at their place in the file.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cartesian, configId, expandSweep, type SweepAxis } from '../../src/experiment/sweep/expand.js';
import { planSweep } from '../../src/experiment/sweep/runner.js';
import { ScenarioError } from '../../src/scenario/errors.js';
import { loadScenario } from '../../src/scenario/load.js';
import { SMALL_SWEEP_YAML, writeScenario } from './helpers.js';

const axes = (o: Record<string, unknown[]>) => o as Record<string, never[]>;

describe('expandSweep', () => {
  it('takes the cartesian product (last axis fastest) × seeds from the file seed', () => {
    const plan = expandSweep({
      file: 'x.yaml',
      data: {},
      scenario: 'x',
      sweep: { axes: axes({ a: [1, 2, 3], 'b.c': ['p', 'q'] }), seeds: 2 },
      baseSeed: 10,
    });
    expect(plan.configs.map((c) => c.values)).toEqual([[1, 'p'], [1, 'q'], [2, 'p'], [2, 'q'], [3, 'p'], [3, 'q']]);
    expect(plan.seeds).toEqual([10, 11]);
    expect(plan.points).toHaveLength(12);
    expect(plan.points.map((p) => [p.config, p.seed])).toEqual(plan.configs.flatMap((c) => [[c.index, 10], [c.index, 11]]));
    expect(plan.points.map((p) => p.index)).toEqual([...Array(12).keys()]);
    expect(plan.points[3].dir).toBe('runs/a=1__b.c=q/seed-11');
  });

  it('without a sweep block: one configuration "base", one seed', () => {
    const plan = expandSweep({ file: 'x.yaml', data: {}, scenario: 'x', sweep: undefined, baseSeed: 1 });
    expect(plan.points).toEqual([{ index: 0, config: 0, seed: 1, dir: 'runs/base/seed-1' }]);
  });

  it('cartesian has the product of the lengths, every combination once (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 4 }), (lens) => {
        const lists = lens.map((n, i) => Array.from({ length: n }, (_, k) => `${i}:${k}`));
        const prod = cartesian(lists);
        expect(prod).toHaveLength(lens.reduce((a, b) => a * b, 1));
        expect(new Set(prod.map((c) => c.join('|'))).size).toBe(prod.length);
      }),
    );
  });

  it('gives the same plan for the same input and unique, directory-safe ids (property)', () => {
    const value = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string(), fc.boolean(), fc.constant(null), fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 }));
    fc.assert(
      fc.property(fc.uniqueArray(value, { minLength: 1, maxLength: 6, selector: (v) => JSON.stringify(v) }), fc.uniqueArray(fc.integer({ min: 0, max: 99 }), { minLength: 1, maxLength: 3 }), (vs, ws) => {
        const sweep = { axes: axes({ 'functions[0].x': vs, 'nodes[1]["odd key"]': ws }), seeds: 2 };
        const a = expandSweep({ file: 'f.yaml', data: { k: 1 }, scenario: 's', sweep, baseSeed: 3 });
        const b = expandSweep({ file: 'f.yaml', data: { k: 1 }, scenario: 's', sweep: structuredClone(sweep), baseSeed: 3 });
        expect(b).toEqual(a);
        const ids = a.configs.map((c) => c.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const id of ids) {
          expect(id).toMatch(/^[A-Za-z0-9._=-]+$/);
          expect(id.length).toBeLessThanOrEqual(100);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('keeps 1 and "1" apart', () => {
    const plan = expandSweep({ file: 'f', data: {}, scenario: 's', sweep: { axes: axes({ v: [1, '1'] }), seeds: 1 }, baseSeed: 1 });
    expect(plan.configs[0].id).not.toBe(plan.configs[1].id);
  });

  it('readable ids for plain values, hashed ids for unsafe or long ones', () => {
    const ax: SweepAxis[] = [{ path: 'platform.knative.maxScale', values: [] }];
    expect(configId(ax, [8])).toBe('platform.knative.maxScale=8');
    expect(configId(ax, ['a/b'])).toMatch(/^platform\.knative\.maxScale=a_b-[0-9a-f]{8}$/);
    expect(configId(ax, ['x'.repeat(300)])).toMatch(/-[0-9a-f]{8}$/);
  });

  it('the sweep id changes with the data, the overrides, the end time and the seeds', () => {
    const base = { file: 'f', data: { a: 1 }, scenario: 's', sweep: { axes: axes({ v: [1, 2] }), seeds: 2 }, baseSeed: 1 };
    const id = expandSweep(base).sweepId;
    expect(expandSweep({ ...base, file: 'elsewhere/f' }).sweepId).toBe(id);
    expect(expandSweep({ ...base, data: { a: 2 } }).sweepId).not.toBe(id);
    expect(expandSweep({ ...base, set: ['x=1'] }).sweepId).not.toBe(id);
    expect(expandSweep({ ...base, until: 5_000_000 }).sweepId).not.toBe(id);
    expect(expandSweep({ ...base, baseSeed: 2 }).sweepId).not.toBe(id);
  });
});

describe('sweep block in a scenario file', () => {
  it('is read with the header and expanded from the file', () => {
    const file = writeScenario(SMALL_SWEEP_YAML);
    expect(loadScenario(file).sweep).toEqual({ axes: { 'functions[0].arrivals.rate': [10, 40], 'functions[0].replicas': [1, 3] }, seeds: 3 });
    const { plan } = planSweep(file);
    expect(plan.points).toHaveLength(12);
    expect(plan.seeds).toEqual([7, 8, 9]);
    expect(plan.configs[1].id).toBe('functions.0.arrivals.rate=10__functions.0.replicas=3');
  });

  it('reports a bad axis value at its place in the sweep block', () => {
    const file = writeScenario(SMALL_SWEEP_YAML.replace('[10, 40]', '[10, -4]'));
    let err: unknown;
    try {
      planSweep(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    const msg = (err as Error).message;
    expect(msg).toContain(file);
    // Line 25, column 40 is the -4 inside the sweep block.
    expect(msg).toBe(`${file}:25:40: functions[0].arrivals.rate (from sweep.axes["functions[0].arrivals.rate"][1]): expected a number > 0, found number -4`);
  });

  it('reports an axis path that is not in the schema', () => {
    const file = writeScenario(SMALL_SWEEP_YAML.replace('"functions[0].replicas"', '"functions[0].replica"'));
    expect(() => planSweep(file)).toThrow(/from sweep\.axes\["functions\[0\]\.replica"\]\[0\]\): expected a path that exists in a "serving" scenario/);
  });

  it('rejects malformed axis paths, a seed axis and a bad seeds count', () => {
    expect(() => loadScenario(writeScenario(SMALL_SWEEP_YAML.replace('"functions[0].replicas"', '"functions[[0]"')))).toThrow(
      /sweep\.axes\["functions\[\[0\]"\].*expected an axis path such as/,
    );
    expect(() => loadScenario(writeScenario(SMALL_SWEEP_YAML.replace('"functions[0].replicas"', 'seed')))).toThrow(/sweep\.axes\.seed.*expected an axis path outside sweep and seed/);
    expect(() => loadScenario(writeScenario(SMALL_SWEEP_YAML.replace('seeds: 3', 'seeds: 0')))).toThrow(/sweep\.seeds.*expected a number >= 1, found number 0/);
    expect(() => loadScenario(writeScenario(SMALL_SWEEP_YAML.replace('[1, 3]', '[]')))).toThrow(/expected at least 1 entry/);
  });
});
