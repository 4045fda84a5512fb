import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RandomStreams } from '../../../src/core/random.js';
import {
  KubeScheduler, addPod, balancedAllocationScore, defaultProfile, imageLocalityPriority, makeCycleState, makeNodeInfo,
  nodeAffinityScore, numFeasibleNodesToFind, runFilters, schedule, taintTolerationScore, interPodAffinityScore,
} from '../../../src/platform/kubernetes/index.js';
import type { NodeInfo, NodeSpec, PodSpec, ScorePlugin } from '../../../src/platform/kubernetes/index.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const rng = (seed = 1, name = 'scheduler') => new RandomStreams(seed).stream(name);
const pod = (name: string, cpu: number, memory: number, extra: Partial<PodSpec> = {}): PodSpec => ({
  name, containers: [{ name: 'c', image: 'model:v1', requests: { cpu, memory } }], ...extra,
});
const node = (name: string, cpu: number, memory: number, extra: Partial<NodeSpec> = {}): NodeSpec => ({ name, allocatable: { cpu, memory }, ...extra });

function scoresOf(plugin: ScorePlugin, p: PodSpec, nodes: NodeInfo[]): number[] {
  const st = makeCycleState(p, nodes);
  plugin.preScore?.(st, nodes);
  const s = nodes.map((n) => plugin.score(st, n));
  plugin.normalize?.(st, s);
  return s;
}

/**
 * Small heterogeneous cluster: A 4 CPU / 8 GiB, B 8 CPU / 16 GiB, C 2 CPU / 4 GiB already running
 * 1 CPU / 2 GiB and holding the 500 MiB image. Incoming pod: 1 CPU / 1 GiB, image model:v1.
 */
function cluster(): NodeInfo[] {
  return [
    makeNodeInfo(node('A', 4000, 8 * GiB)),
    makeNodeInfo(node('B', 8000, 16 * GiB)),
    makeNodeInfo(node('C', 2000, 4 * GiB, { images: [{ name: 'model:v1', sizeBytes: 500 * MiB }] }), [pod('old', 1000, 2 * GiB)]),
  ];
}

describe('score plugins against hand-computed integer values (c.3)', () => {
  it('LeastAllocated / MostAllocated / BalancedAllocation / ImageLocality on the small cluster', () => {
    const r = schedule(pod('p', 1000, GiB), cluster(), rng());
    expect(r.kind).toBe('scheduled');
    if (r.kind !== 'scheduled') return;
    const by = Object.fromEntries(r.scores.map((s) => [s.node, s]));
    // LeastAllocated: A cpu (4000−1000)·100/4000 = 75, mem (8−1)/8·100 = 87.5 → 87; (75+87)/2 = 81
    //                 B cpu 7000·100/8000 = 87.5 → 87, mem 15/16 → 93; (87+93)/2 = 90
    //                 C cpu (2000−2000) → 0, mem (4−3)/4 → 25; (0+25)/2 = 12
    expect([by.A.plugins.NodeResourcesFit, by.B.plugins.NodeResourcesFit, by.C.plugins.NodeResourcesFit]).toEqual([81, 90, 12]);
    // Balanced: A f = (0.25, 0.125) → std 0.0625 → 93; B (0.125, 0.0625) → 0.03125 → 96; C (1.0, 0.75) → 0.125 → 87
    expect([by.A.plugins.NodeResourcesBalancedAllocation, by.B.plugins.NodeResourcesBalancedAllocation, by.C.plugins.NodeResourcesBalancedAllocation]).toEqual([93, 96, 87]);
    // ImageLocality on C: sum = trunc(500 MiB · 1/3) = 174762666; 100·(174762666 − 23 MiB)/(1000 MiB − 23 MiB) = 14
    expect([by.A.plugins.ImageLocality, by.B.plugins.ImageLocality, by.C.plugins.ImageLocality]).toEqual([0, 0, 14]);
    // TaintToleration 100 everywhere (no taints), NodeAffinity and InterPodAffinity 0.
    // Totals: A 3·100 + 81 + 93 + 0 = 474; B 300 + 90 + 96 = 486; C 300 + 12 + 87 + 14 = 413 → B (spread)
    expect([by.A.total, by.B.total, by.C.total]).toEqual([474, 486, 413]);
    expect(r.node).toBe('B');
  });

  it('MostAllocated bin-packs onto the fullest node', () => {
    const r = schedule(pod('p', 1000, GiB), cluster(), rng(), { profile: defaultProfile('MostAllocated') });
    if (r.kind !== 'scheduled') throw new Error('expected scheduled');
    // A: cpu 1000·100/4000 = 25, mem 12.5 → 12 → 18; B: 12, 6 → 9; C: 100, 75 → 87
    expect(r.scores.map((s) => s.plugins.NodeResourcesFit)).toEqual([18, 9, 87]);
    // totals A 300+18+93 = 411, B 300+9+96 = 405, C 300+87+87+14 = 488
    expect(r.scores.map((s) => s.total)).toEqual([411, 405, 488]);
    expect(r.node).toBe('C');
  });

  it('non-zero defaults (100 mCPU, 200 MiB) apply to LeastAllocated for a pod without requests', () => {
    const p: PodSpec = { name: 'be', containers: [{ name: 'c', image: 'x' }] };
    const nodes = [makeNodeInfo(node('A', 1000, 1000 * MiB)), makeNodeInfo(node('B', 1000, 1000 * MiB))];
    const r = schedule(p, nodes, rng());
    if (r.kind !== 'scheduled') throw new Error('expected scheduled');
    // cpu (1000−100)·100/1000 = 90, mem (1000−200)/1000 → 80 → 85; Balanced skipped for BestEffort → 0
    expect(r.scores[0].plugins).toMatchObject({ NodeResourcesFit: 85, NodeResourcesBalancedAllocation: 0 });
  });

  it('formula helpers', () => {
    expect(balancedAllocationScore([1, 1, 1], [2, 4, 4])).toBe(88); // f=(.5,.25,.25), mean 1/3, std = 0.11785 → 88
    expect(imageLocalityPriority(0, 1)).toBe(0);
    expect(imageLocalityPriority(2000 * MiB, 1)).toBe(100);
    // two containers: maxT = 2000 MiB; 100·(1000 − 23)/(2000 − 23) = 97700/1977 = 49.4 → 49
    expect(imageLocalityPriority(1000 * MiB, 2)).toBe(49);
  });

  it('TaintToleration: raw untolerated PreferNoSchedule counts [1, 0, 2] → 100 − 100·raw/2 = [50, 100, 0]', () => {
    const pns = (k: string) => ({ key: k, effect: 'PreferNoSchedule' as const });
    const nodes = [
      makeNodeInfo(node('A', 1000, GiB, { taints: [pns('a')] })),
      makeNodeInfo(node('B', 1000, GiB)),
      makeNodeInfo(node('C', 1000, GiB, { taints: [pns('a'), pns('b'), { key: 'c', effect: 'PreferNoSchedule' }] })),
    ];
    const p = pod('p', 100, MiB, { tolerations: [{ key: 'c', operator: 'Exists' }] });
    expect(scoresOf(taintTolerationScore, p, nodes)).toEqual([50, 100, 0]);
  });

  it('NodeAffinity preferred: raw [8, 3, 0] → 100·raw/8 = [100, 37, 0]', () => {
    const nodes = [
      makeNodeInfo(node('A', 1000, GiB, { labels: { zone: 'a', disk: 'ssd' } })),
      makeNodeInfo(node('B', 1000, GiB, { labels: { zone: 'b', disk: 'ssd' } })),
      makeNodeInfo(node('C', 1000, GiB, { labels: { zone: 'c' } })),
    ];
    const p = pod('p', 100, MiB, { affinity: { nodeAffinity: { preferred: [
      { weight: 5, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
      { weight: 3, preference: { matchExpressions: [{ key: 'disk', operator: 'Exists' }] } },
    ] } } });
    expect(scoresOf(nodeAffinityScore, p, nodes)).toEqual([100, 37, 0]);
  });

  it('InterPodAffinity: affinity +10 to zone a, anti-affinity −5 to zone b → raw [10, −5, 0] → [100, 0, 33]', () => {
    const z = (n: string, zone: string, pods: PodSpec[] = []) => makeNodeInfo(node(n, 4000, 8 * GiB, { labels: { zone } }), pods);
    const nodes = [z('A', 'a', [pod('cache', 100, MiB, { labels: { app: 'cache' } })]), z('B', 'b', [pod('web', 100, MiB, { labels: { app: 'web' } })]), z('C', 'c')];
    const p = pod('p', 100, MiB, { affinity: {
      podAffinity: { preferred: [{ weight: 10, podAffinityTerm: { topologyKey: 'zone', labelSelector: { matchLabels: { app: 'cache' } } } }] },
      podAntiAffinity: { preferred: [{ weight: 5, podAffinityTerm: { topologyKey: 'zone', labelSelector: { matchLabels: { app: 'web' } } } }] },
    } });
    // min −5, max 10: A 100·15/15 = 100, B 0, C 100·5/15 = 33
    expect(scoresOf(interPodAffinityScore, p, nodes)).toEqual([100, 0, 33]);
  });
});

describe('filters (c.2)', () => {
  it('reports unschedulable reasons per node', () => {
    const nodes = [
      makeNodeInfo(node('small', 500, GiB)),
      makeNodeInfo(node('tainted', 8000, 16 * GiB, { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] })),
      makeNodeInfo(node('full', 8000, 16 * GiB, { allocatable: { cpu: 8000, memory: 16 * GiB, pods: 1 } }), [pod('x', 10, MiB)]),
    ];
    const r = schedule(pod('p', 1000, GiB), nodes, rng());
    expect(r.kind).toBe('unschedulable');
    if (r.kind !== 'unschedulable') return;
    expect(r.reasons).toEqual({ small: ['Insufficient cpu'], tainted: ['node(s) had untolerated taint {gpu: true}'], full: ['Too many pods'] });
    expect(r.message).toBe('0/3 nodes are available: 1 Insufficient cpu, 1 Too many pods, 1 node(s) had untolerated taint {gpu: true}.');
    // tolerating the taint makes it feasible (and the only feasible node: chosen without scoring)
    const t = schedule(pod('p', 1000, GiB, { tolerations: [{ key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }] }), nodes, rng());
    expect(t).toMatchObject({ kind: 'scheduled', node: 'tainted', scores: [] });
  });

  it('nodeSelector, required node affinity and required pod anti-affinity', () => {
    const h = (n: string, labels: Record<string, string>, pods: PodSpec[] = []) => makeNodeInfo(node(n, 4000, 8 * GiB, { labels: { 'kubernetes.io/hostname': n, ...labels } }), pods);
    const nodes = [h('n1', { gpu: 'a100' }, [pod('w1', 100, MiB, { labels: { app: 'w' } })]), h('n2', { gpu: 'a100' }), h('n3', {})];
    const anti = { podAntiAffinity: { required: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'w' } } }] } };
    const r = schedule(pod('w2', 100, MiB, { labels: { app: 'w' }, nodeSelector: { gpu: 'a100' }, affinity: anti }), nodes, rng());
    expect(r).toMatchObject({ kind: 'scheduled', node: 'n2', feasibleNodes: ['n2'] });
    const req = { nodeAffinity: { required: [{ matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' as const }] }] } };
    expect(schedule(pod('q', 100, MiB, { affinity: req }), nodes, rng())).toMatchObject({ node: 'n3' });
  });

  it('required pod affinity: first pod of a group may go anywhere its topology key exists', () => {
    const nodes = [makeNodeInfo(node('a', 4000, GiB, { labels: { zone: 'z1' } })), makeNodeInfo(node('b', 4000, GiB))];
    const aff = { podAffinity: { required: [{ topologyKey: 'zone', labelSelector: { matchLabels: { app: 'g' } } }] } };
    expect(schedule(pod('g1', 100, MiB, { labels: { app: 'g' }, affinity: aff }), nodes, rng())).toMatchObject({ kind: 'scheduled', node: 'a' });
    expect(schedule(pod('h1', 100, MiB, { labels: { app: 'h' }, affinity: aff }), nodes, rng()).kind).toBe('unschedulable');
  });
});

describe('node sampling and tie-break (c.1)', () => {
  it('numFeasibleNodesToFind', () => {
    expect(numFeasibleNodesToFind(50)).toBe(50);
    expect(numFeasibleNodesToFind(200)).toBe(100); // 200·(50 − 1)/100 = 98 → 100
    expect(numFeasibleNodesToFind(1000)).toBe(420); // pct 50 − 8 = 42
    expect(numFeasibleNodesToFind(5000)).toBe(500); // pct 10
    expect(numFeasibleNodesToFind(6000)).toBe(300); // pct max(5, 2) = 5
    expect(numFeasibleNodesToFind(500, 10)).toBe(100);
    expect(numFeasibleNodesToFind(500, 100)).toBe(500);
  });

  it('stops after the sample and rotates the start index', () => {
    const nodes = Array.from({ length: 200 }, (_, i) => makeNodeInfo(node(`n${i}`, 4000, 8 * GiB)));
    const s = new KubeScheduler();
    const r1 = s.schedule(pod('p', 100, MiB), nodes, rng());
    if (r1.kind !== 'scheduled') throw new Error('expected scheduled');
    expect(r1.feasibleNodes.length).toBe(100);
    expect(r1.feasibleNodes[0]).toBe('n0');
    expect(r1.nextStartIndex).toBe(100);
    const r2 = s.schedule(pod('q', 100, MiB), nodes, rng());
    if (r2.kind !== 'scheduled') throw new Error('expected scheduled');
    expect(r2.feasibleNodes[0]).toBe('n100');
  });

  it('ties are broken by the seeded stream: same seed → same node; across seeds all tied nodes are picked', () => {
    const nodes = Array.from({ length: 3 }, (_, i) => makeNodeInfo(node(`n${i}`, 4000, 8 * GiB)));
    const pick = (seed: number) => {
      const r = schedule(pod('p', 100, MiB), nodes, rng(seed));
      if (r.kind !== 'scheduled') throw new Error('expected scheduled');
      return r.node;
    };
    expect(pick(7)).toBe(pick(7));
    const counts: Record<string, number> = {};
    for (let seed = 0; seed < 600; seed++) counts[pick(seed)] = (counts[pick(seed)] ?? 0) + 1;
    // uniform: ≈ 200 each; allow ±60 (≈ 5σ)
    for (const n of ['n0', 'n1', 'n2']) expect(Math.abs((counts[n] ?? 0) - 200)).toBeLessThan(60);
  });
});

describe('scheduler properties', () => {
  const nodeArb = fc.record({
    cpu: fc.integer({ min: 0, max: 16000 }), mem: fc.integer({ min: 0, max: 64 }), pods: fc.integer({ min: 1, max: 10 }),
    taint: fc.boolean(), zone: fc.constantFrom('a', 'b'),
  });
  const podArb = fc.record({ cpu: fc.integer({ min: 0, max: 6000 }), mem: fc.integer({ min: 0, max: 16 }), tol: fc.boolean(), sel: fc.constantFrom(undefined, 'a', 'b') });

  it('never picks a node that fails a filter and never over-commits allocatable', () => {
    fc.assert(fc.property(fc.array(nodeArb, { minLength: 1, maxLength: 8 }), fc.array(podArb, { minLength: 1, maxLength: 25 }), fc.integer(), (ns, ps, seed) => {
      const nodes = ns.map((n, i) => makeNodeInfo(node(`n${i}`, n.cpu, n.mem * GiB, {
        allocatable: { cpu: n.cpu, memory: n.mem * GiB, pods: n.pods }, labels: { zone: n.zone },
        taints: n.taint ? [{ key: 'dedicated', effect: 'NoSchedule' }] : [],
      })));
      const sched = new KubeScheduler();
      const r = rng(seed);
      ps.forEach((p, i) => {
        const spec = pod(`p${i}`, p.cpu, p.mem * GiB, {
          tolerations: p.tol ? [{ key: 'dedicated', operator: 'Exists' }] : [],
          nodeSelector: p.sel === undefined ? undefined : { zone: p.sel },
        });
        const res = sched.schedule(spec, nodes, r);
        if (res.kind !== 'scheduled') return;
        const ni = nodes[res.nodeIndex];
        expect(runFilters(defaultProfile().filters, makeCycleState(spec, nodes), ni)).toBeNull();
        addPod(ni, spec);
        expect(ni.requested.cpu ?? 0).toBeLessThanOrEqual(ni.node.allocatable.cpu);
        expect(ni.requested.memory ?? 0).toBeLessThanOrEqual(ni.node.allocatable.memory);
        expect(ni.pods.length).toBeLessThanOrEqual(ni.node.allocatable.pods);
        if (ni.node.taints!.length > 0) expect(p.tol).toBe(true);
        if (p.sel !== undefined) expect(ni.node.labels!.zone).toBe(p.sel);
      });
    }), { numRuns: 150 });
  });
});
