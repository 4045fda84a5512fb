import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Simulation } from '../../src/core/simulation.js';
import {
  COLD_START_PHASES, ColdStartManager, loadColdStartModel, parseColdStartModel, readinessTime, type ColdStartBreakdown,
  type ColdStartModel, type PodStartSpec,
} from '../../src/cluster/cold-start.js';
import { loadNodeProfile } from '../../src/cluster/node-profile.js';

const S = 1_000_000;

describe('readinessTime (period-aligned probes)', () => {
  const probe = { initialDelay: 0, period: 10 * S, successThreshold: 1 };
  test('hand-computed', () => {
    expect(readinessTime(0, 0, probe)).toBe(0); // first probe right after start
    expect(readinessTime(0, 3.2 * S, probe)).toBe(10 * S); // waits a full period
    expect(readinessTime(0, 12 * S, probe)).toBe(20 * S);
    expect(readinessTime(0, 10 * S, probe)).toBe(10 * S);
    expect(readinessTime(1 * S, 2 * S, { ...probe, initialDelay: 5 * S })).toBe(6 * S);
    expect(readinessTime(0, 3 * S, { ...probe, successThreshold: 2 })).toBe(20 * S);
    expect(readinessTime(0, 1_230_000, { initialDelay: 0, period: 50_000, successThreshold: 1 })).toBe(1_250_000); // Knative 50 ms
  });
  test('the delay after app-ready is in [0, period) with threshold 1', () => {
    for (let a = 0; a < 40 * S; a += 777_777) {
      const r = readinessTime(0, a, probe);
      expect(r - a).toBeGreaterThanOrEqual(0);
      expect(r - a).toBeLessThan(10 * S);
    }
  });
});

const constModel = (serialize: boolean): ColdStartModel => parseColdStartModel(`
phases:
  scheduling: 0.01
  sandbox: 0.5
  registryLatency: 0.2
  manifestCheck: 0.1
  containerCreate: 0.3
  modelLoadOverhead: 0.1
runtimes: {python: 0.5}
image: {registryBandwidth: 100MB/s, extractBandwidth: 200MB/s}
kubelet: {serializeImagePulls: ${serialize}}
provenance: {}
`, 'const.yaml');

const node = { name: 'n1', networkBandwidth: 125e6, diskBandwidth: 500e6, imageCacheBytes: 2.5e9 };
const pod = (name: string, image = 'img-a', extra: Partial<PodStartSpec> = {}): PodStartSpec => ({
  pod: name, node: 'n1', image: { name: image, bytes: 1e9 }, runtime: 'python', modelBytes: 100e6,
  readiness: { period: 1 * S }, ...extra,
});

function run(serialize: boolean, starts: [number, PodStartSpec][], before?: (m: ColdStartManager) => void): Map<string, ColdStartBreakdown> {
  const sim = new Simulation({ seed: 1 });
  const m = new ColdStartManager(sim, constModel(serialize));
  m.addNode(node);
  before?.(m);
  const out = new Map<string, ColdStartBreakdown>();
  for (const [t, spec] of starts) sim.scheduleAt(t, () => m.startPod(spec, (b) => out.set(b.pod, b)), undefined);
  sim.run();
  return out;
}

describe('ColdStartManager (constant phases, hand-computed)', () => {
  test('cold pull: every phase as computed by hand', () => {
    const b = run(true, [[0, pod('p1')]]).get('p1') as ColdStartBreakdown;
    // 0.2 s registry + 1 GB / 100 MB/s + 1 GB / 200 MB/s extract = 15.2 s
    expect(b.phases).toEqual({
      scheduling: 10_000, sandbox: 500_000, imagePull: 15_200_000, containerCreate: 300_000,
      runtimeStart: 500_000, modelLoad: 300_000, readiness: 200_000,
    });
    expect(b.total).toBe(17_010_000);
    expect(b.cacheHit).toBe(false);
    expect(b.pulledBytes).toBe(1e9);
  });

  test('phases sum to the total', () => {
    const b = run(true, [[0, pod('p1')]]).get('p1') as ColdStartBreakdown;
    expect(COLD_START_PHASES.reduce((s, p) => s + b.phases[p], 0)).toBe(b.total);
  });

  test('cache hit skips the pull; Always costs a manifest check', () => {
    const r = run(true, [[0, pod('p1')], [30 * S, pod('p2')], [60 * S, pod('p3', 'img-a', { pullPolicy: 'Always' })]]);
    expect(r.get('p2')?.cacheHit).toBe(true);
    expect(r.get('p2')?.phases.imagePull).toBe(0);
    expect(r.get('p2')?.total).toBe(1_810_000);
    expect(r.get('p3')?.phases.imagePull).toBe(100_000);
  });

  test('serializeImagePulls: the second pull waits for the first', () => {
    const r = run(true, [[0, pod('p1', 'img-a')], [0, pod('p2', 'img-b')]]);
    expect(r.get('p1')?.phases.imagePull).toBe(15_200_000);
    expect(r.get('p2')?.phases.imagePull).toBe(30_400_000);
  });

  test('parallel pulls share the node link fairly (125 MB/s / 2 < 100 MB/s cap)', () => {
    const r = run(false, [[0, pod('p1', 'img-a')], [0, pod('p2', 'img-b')]]);
    // 0.2 s + 1 GB at 62.5 MB/s (16 s) + 5 s extract
    expect(r.get('p1')?.phases.imagePull).toBe(21_200_000);
    expect(r.get('p2')?.phases.imagePull).toBe(21_200_000);
  });

  test('concurrent starts of the same image share one pull', () => {
    const r = run(true, [[0, pod('p1')], [0, pod('p2')]]);
    expect(r.get('p1')?.phases.imagePull).toBe(15_200_000);
    expect(r.get('p2')?.phases.imagePull).toBe(15_200_000);
    expect([r.get('p1')?.pulledBytes, r.get('p2')?.pulledBytes]).toEqual([1e9, 0]);
  });

  test('Never without the image fails with ErrImageNeverPull', () => {
    const b = run(true, [[0, pod('p1', 'img-a', { pullPolicy: 'Never' })]]).get('p1') as ColdStartBreakdown;
    expect(b.outcome).toBe('ErrImageNeverPull');
  });

  test('LRU eviction on the node cache, pinned while the pod runs', () => {
    const sim = new Simulation({ seed: 1 });
    const m = new ColdStartManager(sim, constModel(true));
    m.addNode({ ...node, imageCacheBytes: 1.5e9 });
    const out: ColdStartBreakdown[] = [];
    m.startPod(pod('p1', 'img-a'), (b) => out.push(b));
    sim.run();
    m.startPod(pod('p2', 'img-b'), (b) => out.push(b));
    sim.run();
    expect(out[1].evicted).toEqual([]); // img-a is pinned by p1
    expect(m.cacheOf('n1').overCapacity).toBe(true);
    m.stopPod('p1');
    m.stopPod('p2');
    m.startPod(pod('p3', 'img-c'), (b) => out.push(b));
    sim.run();
    expect(out[2].evicted).toEqual(['img-a', 'img-b']);
  });

  test('unknown node and runtime are named', () => {
    const sim = new Simulation();
    const m = new ColdStartManager(sim, constModel(true));
    m.addNode(node);
    expect(() => m.startPod({ ...pod('x'), node: 'zz' }, () => undefined)).toThrow(/node: expected one of "n1", found "zz"/);
    expect(() => m.startPod({ ...pod('x'), runtime: 'cobol' }, () => undefined)).toThrow(/runtime: expected one of "python", found "cobol"/);
  });
});

describe('shipped model (random phases)', () => {
  const model = loadColdStartModel(join(process.cwd(), 'models/cold-start/default.yaml'));
  const w01 = loadNodeProfile(join(process.cwd(), 'models/nodes/drl-w01.yaml'));
  const go = (seed: number): ColdStartBreakdown[] => {
    const sim = new Simulation({ seed });
    const m = new ColdStartManager(sim, model);
    m.addNode(w01);
    m.cacheOf(w01.name).add('fn', 300e6);
    const out: ColdStartBreakdown[] = [];
    for (let i = 0; i < 20; i++) m.startPod({ pod: `p${i}`, node: w01.name, image: { name: 'fn', bytes: 300e6 }, runtime: 'python', readiness: { period: 2 * S } }, (b) => out.push(b));
    sim.run();
    return out;
  };
  test('cached-image Python start with OpenFaaS 2 s probes lands in study 5\'s 1–3 s first-invocation range', () => {
    const out = go(1);
    const mean = out.reduce((s, b) => s + b.total, 0) / out.length / S;
    expect(mean).toBeGreaterThan(1);
    expect(mean).toBeLessThan(3);
    for (const b of out) {
      expect(b.phases.scheduling).toBeGreaterThanOrEqual(5_000);
      expect(b.phases.scheduling).toBeLessThanOrEqual(50_000);
      expect(b.phases.readiness).toBeLessThan(2 * S);
    }
  });
  test('deterministic per seed', () => {
    expect(go(5).map((b) => b.total)).toEqual(go(5).map((b) => b.total));
    expect(go(5).map((b) => b.total)).not.toEqual(go(6).map((b) => b.total));
  });
  test('bad distribution in a model file names the path', () => {
    expect(() => parseColdStartModel(`
phases: {scheduling: {type: uniform, min: 1}, sandbox: 0, registryLatency: 0, manifestCheck: 0, containerCreate: 0, modelLoadOverhead: 0}
runtimes: {go: 0}
image: {registryBandwidth: 1MB/s, extractBandwidth: 1MB/s}
kubelet: {serializeImagePulls: true}
provenance: {}
`, 'cs.yaml')).toThrow(/cs.yaml: phases.scheduling.max: expected a finite number, found/);
  });
});
