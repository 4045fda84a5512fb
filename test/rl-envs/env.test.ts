import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SECOND, seconds } from '../../src/core/time.js';
import { CheckedEnv } from '../../src/rl/wrappers.js';
import { randomPolicy } from '../../src/rl/policy.js';
import { analyticBackendFactory } from '../../src/rl/envs/analytic-backend.js';
import { buildOracleTable, oracleDestination } from '../../src/rl/envs/oracle.js';
import { trainingSchedule, evaluationSchedule, type DrlSchedule } from '../../src/rl/envs/schedule.js';
import { studyTopology, serversInUse } from '../../src/rl/envs/topology.js';
import { actionMask, variantActions, VARIANTS, type Variant } from '../../src/rl/envs/variants.js';
import { WorkflowEnv, preflightCounterMax } from '../../src/rl/envs/workflow-env.js';
import { runBaseline, runPolicy } from '../../src/rl/envs/drl-runner.js';

const topology = studyTopology();
const counterMax = preflightCounterMax(analyticBackendFactory, topology, 32, seconds(8.5));
const profile = { factory: analyticBackendFactory, topology, frames: 32, runs: 1, wait: seconds(8.5), seed: 0 };
const oracleTable = buildOracleTable(profile);

function env(variant: Variant, schedule: DrlSchedule = evaluationSchedule(), extra: Partial<ConstructorParameters<typeof WorkflowEnv>[0]> = {}): WorkflowEnv {
  return new WorkflowEnv({ factory: analyticBackendFactory, topology, schedule, variant, counterMax, oracleTable, ...extra });
}

describe('variants: action spaces and decoding (CT5-20)', () => {
  it('sizes 15 / 12 / 4 / 4 and the index layout of the spec', () => {
    expect(VARIANTS.map((v) => variantActions(v, topology).space.n)).toEqual([15, 12, 4, 4]);
    const f = variantActions('fullmap', topology);
    // a = 4u + n
    expect(f.decode[0]).toEqual({ kind: 'move', unit: 0, dest: { kind: 'node', node: 0 } });
    expect(f.decode[6]).toEqual({ kind: 'move', unit: 1, dest: { kind: 'node', node: 2 } });
    expect(f.decode[11]).toEqual({ kind: 'move', unit: 2, dest: { kind: 'node', node: 3 } });
    expect(f.decode.slice(12)).toEqual([{ kind: 'scale', delta: 1 }, { kind: 'scale', delta: -1 }, { kind: 'noop' }]);
    const c = variantActions('custom', topology);
    expect(c.space.actions.map((a) => a.name)).toEqual(['FR->w01', 'FR->w02', 'FR->w03', 'FR->w04', 'FD->w01', 'FD->w02', 'FD->w03', 'FD->w04', 'ML->min-c0', 'scale-up', 'scale-down', 'no-op']);
    expect(c.decode[8]).toEqual({ kind: 'move', unit: 2, dest: { kind: 'min-c0' } });
    for (const v of ['kubernetes', 'oracle'] as const) {
      const k = variantActions(v, topology);
      expect(k.decode).toEqual([0, 1, 2].map((u) => ({ kind: 'move', unit: u, dest: { kind: v } })).concat([{ kind: 'noop' }] as never));
    }
  });

  it('built from the topology, not hard-coded: 3 nodes and 2 units give 2·3 + 3 fullmap actions', () => {
    const t = { ...studyTopology(['a', 'b', 'c']), units: [{ name: 'FR', functions: ['Framer', 'FaceDetector'], custom: 'nodes' as const }, { name: 'ML', functions: ['FaceAnalyzer', 'Mobilenet'], custom: 'min-c0' as const }] };
    expect(variantActions('fullmap', t).space.n).toBe(9);
    expect(variantActions('custom', t).space.n).toBe(3 + 1 + 3);
    expect(variantActions('kubernetes', t).space.n).toBe(3);
  });

  it('each fullmap/custom action moves the named unit to the named node; scale clips to [1, Rs]', () => {
    for (const variant of ['fullmap', 'custom'] as const) {
      const e = env(variant);
      for (let a = 0; a < e.actionSpace.n; a++) {
        e.reset(3);
        const d = e.decode(a);
        const r = e.step(a);
        if (d.kind === 'move' && d.dest.kind === 'node') {
          for (const f of topology.units[d.unit].functions) expect(r.info.placement[topology.functions.indexOf(f)]).toBe(topology.nodes[d.dest.node]);
          expect(r.info.destination).toBe(topology.nodes[d.dest.node]);
        } else if (d.kind === 'scale') expect(r.info.replicas).toBe(d.delta > 0 ? 2 : 1);
        else if (d.kind === 'noop') expect(r.info.placement).toEqual(['w01', 'w01', 'w01', 'w01', 'w01']);
        expect(r.info.placement[4]).toBe('w01'); // Outputter pinned
      }
    }
  });

  it('custom ML->min-c0 picks the worker with the lowest C0 in the current state (phase 0: w01 and w04 loaded)', () => {
    const e = env('custom');
    e.reset(1);
    const r = e.step(8);
    // w02 and w03 are idle at C0 = 0; ties go to the lowest index.
    expect(r.info.destination).toBe('w02');
    expect(r.info.placement.slice(2, 4)).toEqual(['w02', 'w02']);
  });

  it('kubernetes-guided: the kube-scheduler picks the node (blind to speed); oracle: the profiled fastest node at the true pressure', () => {
    const k = env('kubernetes');
    k.reset(1);
    const r = k.step(0);
    expect(topology.nodes).toContain(r.info.destination);
    // Least-allocated spread: with every workflow pod on w01, the unit leaves w01.
    expect(r.info.destination).not.toBe('w01');
    const o = env('oracle');
    o.reset(1);
    const ro = o.step(2);
    expect(ro.info.destination).toBe(topology.nodes[oracleDestination(oracleTable, topology, 2, { w01: 25, w04: 50 })]);
    // The analytic stand-in makes w01 the fastest node, and 25 % of w01 leaves enough cores.
    expect(ro.info.destination).toBe('w01');
  });
});

describe('WorkflowEnv', () => {
  it('reset: all functions on w01, 1 replica; 35 components in [0, 20]; target of step 0', () => {
    const e = env('fullmap');
    const obs = e.reset(1);
    expect(obs.length).toBe(35);
    expect(e.observationSpace.components.every((c) => c.low === 0 && c.high === 20)).toBe(true);
    expect(e.configuration.fnNodes).toEqual([0, 0, 0, 0, 0]);
    expect(e.configuration.replicas).toBe(1);
    expect(obs[32]).toBeCloseTo(35 / 5, 12);
    expect(obs[34]).toBeCloseTo(5, 12);
  });

  it('is deterministic per seed and differs across seeds', () => {
    const trace = (seed: number): string => JSON.stringify(runPolicy(env('custom'), randomPolicy(12, 9), 60, seed).infos);
    expect(trace(5)).toBe(trace(5));
    expect(trace(5)).not.toBe(trace(6));
  });

  it('step timing: simulated time = move + run + 8.5 s; reward is Eq. 5.1 of L_a, L_t, sp, r after the action', () => {
    const e = env('fullmap');
    e.reset(2);
    const t0 = e.now;
    const r = e.step(5); // FD -> w02
    expect(r.info.stepTime).toBeCloseTo((e.now - t0) / SECOND, 9);
    expect(r.info.stepTime).toBeCloseTo(r.info.moveTime + r.info.latency + 8.5, 5);
    expect(r.info.moveTime).toBeGreaterThan(0);
    expect(r.info.reportedLatency - r.info.latency).toBeGreaterThanOrEqual(0);
    expect(r.info.reportedLatency - r.info.latency).toBeLessThan(0.4 + 1e-6); // CT5-19
    expect(r.info.sp).toBe(2);
    const q = r.info.reportedLatency / 35;
    expect(r.info.q).toBeCloseTo(q, 12);
    expect(r.reward).toBeCloseTo(q <= 1 ? 4 / 2 + 4 / 1 + 4 * q : Math.max(-6, -4 - q), 9);
    expect(r.done).toBe(false);
  });

  it('pressure follows the step index; the next phase is in place before its first state read', () => {
    const e = env('fullmap');
    e.reset(1);
    let last;
    for (let i = 0; i < 50; i++) last = e.step(14);
    expect(last!.info.pressure).toEqual([25, 0, 0, 50]);
    expect(last!.info.occupiedCores).toEqual([2, 0, 0, 2]);
    // The observation after step 49 already shows phase 1 (w01 50 %, w04 25 %): C0 of w01 = 4/8.
    expect(last!.observation[4]).toBeCloseTo(20 * 0.5, 9);
    expect(last!.observation[3 * 6 + 4]).toBeCloseTo(20 * 0.25, 9);
    expect(e.step(14).info.pressure).toEqual([50, 0, 0, 25]);
  });

  it('property: every observation lies within the declared bounds and masks are honoured (CheckedEnv, all variants)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VARIANTS), fc.integer({ min: 0, max: 1000 }), fc.constantFrom('off', 'redundant'), (variant, seed, masking) => {
        const e = new CheckedEnv(env(variant, trainingSchedule(), { masking: masking as 'off' | 'redundant' }));
        const p = randomPolicy(e.actionSpace.n, seed);
        let obs = e.reset(seed);
        for (let i = 0; i < 40; i++) {
          const m = e.actionMask();
          if (masking === 'off') expect(m).toBeUndefined();
          const a = p.act(i, obs, m);
          if (m !== undefined) expect(m[a]).toBe(1);
          obs = e.step(a).observation; // CheckedEnv validates bounds and legality
        }
      }),
      { numRuns: 25 },
    );
  });

  it('redundant masking hides moves to the current node and scales out of [1, Rs]; a masked action throws', () => {
    const e = env('fullmap', evaluationSchedule(), { masking: 'redundant' });
    e.reset(1);
    const m = Array.from(e.actionMask()!);
    expect(m).toEqual([0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1]);
    expect(() => e.step(13)).toThrow(/action 13 'scale-down' .*masked/);
    for (let i = 0; i < 3; i++) e.step(12);
    expect(e.configuration.replicas).toBe(4);
    expect(actionMask(e.actions, topology, e.configuration)[12]).toBe(0);
  });

  it('episodic: truncated done at the end of the schedule; continuous by default', () => {
    const s: DrlSchedule = { name: 'tiny', steps: 3, phases: [{ from: 0, to: 3, target: 35 * SECOND, pressure: {} }] };
    const e = env('kubernetes', s, { episodic: true });
    e.reset(1);
    expect(e.step(3).done).toBe(false);
    e.step(3);
    const r = e.step(3);
    expect(r.done).toBe(true);
    expect(r.truncated).toBe(true);
    const c = env('kubernetes', s);
    c.reset(1);
    for (let i = 0; i < 7; i++) expect(c.step(3).done).toBe(false);
  });

  it('baselines: native Kubernetes places once and never moves; static stays on w01; best-static complies at least as often as static in every phase', () => {
    const nat = runBaseline(env('fullmap'), 'kubernetes', 60, 1, profile);
    const first = nat.infos[0].placement;
    expect(nat.infos.every((s) => JSON.stringify(s.placement) === JSON.stringify(first) && s.replicas === 1)).toBe(true);
    expect(new Set(first).size).toBeGreaterThan(1); // LeastAllocated spreads the five pods
    const st = runBaseline(env('fullmap'), 'static', 250, 1);
    expect(st.infos.every((s) => s.placement.every((n) => n === 'w01') && s.sp === 1)).toBe(true);
    const best = runBaseline(env('fullmap'), 'best-static', 250, 1, profile);
    expect(best.metrics.overall.compliance).toBeGreaterThan(st.metrics.overall.compliance);
    best.metrics.byPhase.forEach((p, i) => expect(p.compliance).toBeGreaterThanOrEqual(st.metrics.byPhase[i].compliance));
    expect(serversInUse(env('fullmap').configuration)).toBe(1);
  });

  it('clear errors: unknown variant table, reward constants inconsistent with the topology, step before reset', () => {
    expect(() => new WorkflowEnv({ factory: analyticBackendFactory, topology, schedule: trainingSchedule(), variant: 'oracle', counterMax })).toThrow(/needs the offline profile table/);
    expect(() => env('fullmap', trainingSchedule(), { reward: { N: 3, Rs: 4, k1: 4, k2: 6, k3: 4 } })).toThrow(/reward\.N: expected the number of workers \(4\), found 3/);
    expect(() => env('fullmap').step(0)).toThrow(/reset\(seed\) first/);
    expect(() => env('fullmap').decode(15)).toThrow(/\[0, 14\], found 15/);
  });
});
