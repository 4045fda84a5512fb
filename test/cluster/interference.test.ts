import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  NodeInterference, aggregatePressure, ibenchStressor, loadInterferenceModel, nodeSlowdowns, occupiedCores,
  parseInterferenceModel, pressureOnNode, sensitivityCurve, slowdownFactor, workloadDemand, workloadProfile,
  type CurveShape, type Pressure,
} from '../../src/cluster/interference.js';
import { loadNodeProfile } from '../../src/cluster/node-profile.js';
import { ModelFileError } from '../../src/cluster/node-profile.js';

const model = loadInterferenceModel(join(process.cwd(), 'models/interference/default.yaml'));
const node = (n: string) => loadNodeProfile(join(process.cwd(), 'models/nodes', `${n}.yaml`));
const w01 = node('drl-w01');
const w03 = node('drl-w03');
const w04 = node('drl-w04');
const shape = fc.record({ steepness: fc.double({ min: 1, max: 8, noNaN: true }), knee: fc.double({ min: 0.5, max: 0.95, noNaN: true }) });

describe('sensitivity curve g', () => {
  test('hand-computed values', () => {
    const s: CurveShape = { steepness: 2, knee: 0.5 };
    expect(sensitivityCurve(0, s)).toBe(0);
    expect(sensitivityCurve(1, s)).toBe(1);
    expect(sensitivityCurve(0.5, s)).toBeCloseTo(0.5, 15);
    // P = 0.25: 0.0625 / (0.0625 + 0.5625) = 0.1
    expect(sensitivityCurve(0.25, s)).toBeCloseTo(0.1, 15);
    // knee 0.7: g(0.7) = 1/2
    expect(sensitivityCurve(0.7, { steepness: 3, knee: 0.7 })).toBeCloseTo(0.5, 12);
    // a = 1, k = 0.5 is the identity
    expect(sensitivityCurve(0.3, { steepness: 1, knee: 0.5 })).toBeCloseTo(0.3, 15);
  });

  test('property: monotone in pressure', () => {
    fc.assert(fc.property(shape, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (s, a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      expect(sensitivityCurve(hi, s)).toBeGreaterThanOrEqual(sensitivityCurve(lo, s) - 1e-15);
    }), { numRuns: 500 });
  });

  test('property: convex below 50 % pressure (second differences ≥ 0 on [0, 0.5])', () => {
    fc.assert(fc.property(shape, (s) => {
      const h = 0.005;
      for (let x = h; x <= 0.5 - h + 1e-12; x += h) {
        const d2 = sensitivityCurve(x + h, s) - 2 * sensitivityCurve(x, s) + sensitivityCurve(x - h, s);
        expect(d2).toBeGreaterThanOrEqual(-1e-12);
      }
    }), { numRuns: 200 });
  });
});

describe('pressure and slowdown', () => {
  test('saturating aggregate 1 − Π(1 − p), hand-computed', () => {
    const p = aggregatePressure([{ cpu: 0.5, l3: 0.2, membw: 0 }, { cpu: 0.5, l3: 0.5, membw: 0 }]);
    expect(p.cpu).toBeCloseTo(0.75, 15);
    expect(p.l3).toBeCloseTo(0.6, 15);
    expect(p.membw).toBe(0);
  });

  test('identity at zero pressure', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 5, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }), (a, b, c) => {
      expect(slowdownFactor({ cpu: a, l3: b, membw: c }, { cpu: 0, l3: 0, membw: 0 }, model.curves)).toBe(1);
    }));
    expect(nodeSlowdowns(w01, [{ demand: { cpuCores: 8, l3Bytes: 28e6, membwBytesPerSec: 1e11 }, sensitivity: { cpu: 1, l3: 1, membw: 1 } }], model.curves)[0]).toBe(1);
  });

  test('hand-computed slowdown: multiplicative across resources', () => {
    const curves = { cpu: { steepness: 2, knee: 0.5 }, l3: { steepness: 2, knee: 0.5 }, membw: { steepness: 2, knee: 0.5 } };
    // g(0.25) = 0.1, g(0.5) = 0.5 -> (1 + 0.5*0.1) * (1 + 1*0.5) * 1 = 1.575
    expect(slowdownFactor({ cpu: 0.5, l3: 1, membw: 2 }, { cpu: 0.25, l3: 0.5, membw: 0 }, curves)).toBeCloseTo(1.575, 14);
  });

  test('property: slowdown is monotone in every pressure component', () => {
    const p01 = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(fc.property(p01, p01, p01, fc.constantFrom<keyof Pressure>('cpu', 'l3', 'membw'), p01, (c, l, m, r, extra) => {
      const s = { cpu: 0.3, l3: 0.7, membw: 1.2 };
      const base: Pressure = { cpu: c, l3: l, membw: m };
      const more: Pressure = { ...base, [r]: Math.min(1, base[r] + extra) };
      expect(slowdownFactor(s, more, model.curves)).toBeGreaterThanOrEqual(slowdownFactor(s, base, model.curves) - 1e-12);
    }), { numRuns: 500 });
  });

  test('per node: the same L3 stressor presses harder on w03 (14 MB) than on w01 (28 MB)', () => {
    const st = ibenchStressor('l3', 0.5, 8, model.stressors);
    const p1 = pressureOnNode(st.demand, w01);
    const p3 = pressureOnNode(st.demand, w03);
    expect(p1.l3).toBeCloseTo(0.5, 12);
    expect(p3.l3).toBeCloseTo(1, 12);
    const victim = { demand: workloadDemand(workloadProfile(model, 'ml-inference'), 4), sensitivity: workloadProfile(model, 'ml-inference').sensitivity };
    const stressor = { demand: st.demand, sensitivity: workloadProfile(model, 'stressor').sensitivity };
    const s1 = nodeSlowdowns(w01, [victim, stressor], model.curves)[0];
    const s3 = nodeSlowdowns(w03, [victim, stressor], model.curves)[0];
    expect(s1).toBeGreaterThan(1);
    expect(s3).toBeGreaterThan(s1);
  });

  test('nodeSlowdowns excludes each member\'s own pressure and matches the direct formula', () => {
    fc.assert(fc.property(
      fc.array(fc.record({
        cpuCores: fc.double({ min: 0, max: 8, noNaN: true }),
        l3Bytes: fc.double({ min: 0, max: 40e6, noNaN: true }),
        membwBytesPerSec: fc.double({ min: 0, max: 2e11, noNaN: true }),
      }), { minLength: 1, maxLength: 8 }),
      (demands) => {
        const members = demands.map((d, i) => ({ demand: d, sensitivity: { cpu: 0.1 * i, l3: 0.5, membw: 1 } }));
        const got = nodeSlowdowns(w04, members, model.curves);
        members.forEach((m, j) => {
          const others = members.filter((_, k) => k !== j).map((o) => pressureOnNode(o.demand, w04));
          const direct = slowdownFactor(m.sensitivity, aggregatePressure(others), model.curves);
          expect(got[j]).toBeCloseTo(direct, 10);
        });
      },
    ), { numRuns: 200 });
  });

  test('NodeInterference tracks members and recomputes lazily', () => {
    const ni = new NodeInterference(w01, model.curves);
    const victim = { demand: workloadDemand(workloadProfile(model, 'default'), 2), sensitivity: workloadProfile(model).sensitivity };
    ni.set(1, victim);
    expect(ni.slowdownOf(1)).toBe(1);
    const mb = ibenchStressor('membw', 1, w01.cores, model.stressors);
    ni.set(2, { demand: mb.demand, sensitivity: { cpu: 0, l3: 0, membw: 0 } });
    const slowed = ni.slowdownOf(1);
    expect(slowed).toBeGreaterThan(1);
    ni.remove(2);
    expect(ni.slowdownOf(1)).toBe(1);
    expect(ni.slowdownOf(99)).toBe(1);
  });
});

describe('iBench-like stressors', () => {
  test('CT5-2: 50 % CPU pressure occupies 4 cores on w01, 8 on w03, 2 on w04', () => {
    expect([w01, w03, w04].map((n) => ibenchStressor('cpu', 0.5, n.cores, model.stressors).threads)).toEqual([4, 8, 2]);
  });
  test('study 5 modelling note 2: 80 % leaves 2 / 3 / 1 free cores on w01 / w03 / w04', () => {
    expect([w01, w03, w04].map((n) => n.cores - occupiedCores(0.8, n.cores))).toEqual([2, 3, 1]);
    expect(occupiedCores(0.1, 4)).toBe(1); // at least 1 when level > 0
    expect(occupiedCores(0, 4)).toBe(0);
  });
  test('membw replicas: ceil(level x 64 / 12), capped by cores', () => {
    expect(ibenchStressor('membw', 0.5, 8, model.stressors).threads).toBe(3);
    expect(ibenchStressor('membw', 1, 4, model.stressors).threads).toBe(4);
    expect(ibenchStressor('membw', 1, 4, model.stressors).demand.membwBytesPerSec).toBe(48e9);
  });
  test('cpu stressor LLC: threads x cpuL3PerThread, so w03 (14 MB) feels it most (hand-computed)', () => {
    const cal = { ...model.stressors, cpuL3PerThread: 1e6 };
    // 80 % on w03: round(0.8 x 16) = 13 threads -> 13 MB of 14 MB; on w01: 6 threads -> 6 MB of 28 MB
    const s3 = ibenchStressor('cpu', 0.8, w03.cores, cal);
    expect(s3.demand).toEqual({ cpuCores: 13, l3Bytes: 13e6, membwBytesPerSec: 0 });
    expect(pressureOnNode(s3.demand, w03).l3).toBeCloseTo(13 / 14, 12);
    expect(pressureOnNode(ibenchStressor('cpu', 0.8, w01.cores, cal).demand, w01).l3).toBeCloseTo(6 / 28, 12);
    // 50 % on w04: 2 threads -> 2 MB of 30 MB
    expect(ibenchStressor('cpu', 0.5, w04.cores, cal).demand.l3Bytes).toBe(2e6);
    expect(ibenchStressor('cpu', 0, w03.cores, cal).demand.l3Bytes).toBe(0);
    // the shipped calibration (CT5-8 w03): 0.35 MB per thread -> 13 x 0.35 = 4.55 MB on w03
    expect(model.stressors.cpuL3PerThread).toBe(0.35e6);
    expect(ibenchStressor('cpu', 0.8, w03.cores, model.stressors).demand.l3Bytes).toBeCloseTo(4.55e6, 3);
  });
  test('pressure grows with level (monotone)', () => {
    for (const kind of ['cpu', 'l3', 'membw'] as const) {
      let prev = -1;
      for (let lv = 0; lv <= 1.0001; lv += 0.1) {
        const p = pressureOnNode(ibenchStressor(kind, Math.min(1, lv), w01.cores, model.stressors).demand, w01);
        const total = p.cpu + p.l3 + p.membw;
        expect(total).toBeGreaterThanOrEqual(prev);
        prev = total;
      }
    }
  });
  test('bad level is rejected with what was expected', () => {
    expect(() => ibenchStressor('cpu', 1.5, 8, model.stressors)).toThrow(/level: expected a fraction in \[0, 1\], found 1.5/);
  });
});

describe('model file', () => {
  test('knee below 0.5 is rejected (convexity would not hold)', () => {
    const text = `
curves: {cpu: {steepness: 2, knee: 0.3}, l3: {steepness: 2, knee: 0.5}, membw: {steepness: 2, knee: 0.5}}
stressors: {referenceL3: 28MB, referenceMembw: 64GB/s, membwPerThread: 12GB/s, l3MembwSpill: 0.1, membwL3Footprint: 0.25}
workloads: {default: {l3Footprint: 1MB, membwPerCore: 1GB/s, sensitivity: {cpu: 0, l3: 0, membw: 0}}}
provenance: {}
`;
    expect(() => parseInterferenceModel(text, 'i.yaml')).toThrow(ModelFileError);
    expect(() => parseInterferenceModel(text, 'i.yaml')).toThrow(/i.yaml: curves.cpu.knee: expected a value ≥ 0.5, found 0.3/);
  });
  test('cpuL3PerThread defaults to 0 (the cpu stressor presses on CPU time only) and takes a size', () => {
    const text = (extra: string) => `
curves: {cpu: {steepness: 2, knee: 0.7}, l3: {steepness: 2, knee: 0.5}, membw: {steepness: 2, knee: 0.5}}
stressors: {referenceL3: 28MB, referenceMembw: 64GB/s, membwPerThread: 12GB/s, l3MembwSpill: 0.1, membwL3Footprint: 0.25${extra}}
workloads: {default: {l3Footprint: 1MB, membwPerCore: 1GB/s, sensitivity: {cpu: 0, l3: 0, membw: 0}}}
provenance: {}
`;
    const m0 = parseInterferenceModel(text(''), 'i.yaml');
    expect(m0.stressors.cpuL3PerThread).toBe(0);
    expect(ibenchStressor('cpu', 0.8, 16, m0.stressors).demand.l3Bytes).toBe(0);
    expect(parseInterferenceModel(text(', cpuL3PerThread: 512kB'), 'i.yaml').stressors.cpuL3PerThread).toBe(512e3);
    expect(() => parseInterferenceModel(text(', cpuL3PerThread: lots'), 'i.yaml')).toThrow(/stressors.cpuL3PerThread/);
  });
});
