/**
 * Hand-computed checks: phase threads and class-speed scaling, one invocation's execution time on
 * an idle node, CPU pressure as occupied cores competing under CFS, and an L3 stressor's slowdown
 * through the interference model's formula.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/core/simulation.js';
import { loadInterferenceModel, occupiedCores, sensitivityCurve, workloadProfile } from '../../src/cluster/interference.js';
import { loadNodeProfile, type NodeProfile } from '../../src/cluster/node-profile.js';
import { amdahlPhases, isolatedExecSeconds, phaseThreads, submittedWork, type CpuPhase, type FunctionCost } from '../../src/platform/workflows/function-cost.js';
import { InterferenceBinder, STRESSOR_WEIGHT } from '../../src/platform/workflows/interference-binder.js';
import { DRL_NODE_FILES, INTERFERENCE_MODEL_FILE, modelPath } from '../../src/platform/workflows/model-files.js';
import { ClusterNode } from '../../src/cluster/node.js';
import { CustomEngine } from '../../src/platform/workflows/custom-engine.js';
import { validateWorkflow } from '../../src/platform/workflows/dag.js';
import { WorkflowRun } from '../../src/platform/workflows/run.js';
import { makeHarness } from './harness.js';

const node = (speed: number, ml: number, cores = 8): NodeProfile => ({ ...loadNodeProfile(modelPath(DRL_NODE_FILES[0])), cores, speed: { default: speed, classes: { 'ml-inference': ml } } });

describe('function cost', () => {
  it('threads: fixed count, or visible cores capped', () => {
    const p: CpuPhase = { name: 'x', perCall: 1, perItem: 0, threads: 'visible-cores', maxThreads: 4, speedClass: 'default' };
    expect(phaseThreads(p, 8)).toBe(4);
    expect(phaseThreads(p, 2)).toBe(2);
    expect(phaseThreads({ ...p, maxThreads: undefined }, 16)).toBe(16);
    expect(phaseThreads({ ...p, threads: 3 }, 16)).toBe(3);
  });
  it('scales submitted work by default/class speed (the NodeCpu runs at the default speed)', () => {
    const p: CpuPhase = { name: 'x', perCall: 0.5, perItem: 0.25, threads: 1, speedClass: 'ml-inference' };
    // (0.5 + 4 × 0.25) s × 1e6 × (0.8 / 0.4) = 3e6 core-µs
    expect(submittedWork(p, 4, node(0.8, 0.4))).toBeCloseTo(3e6, 6);
    expect(submittedWork({ ...p, speedClass: 'default' }, 4, node(0.8, 0.4))).toBeCloseTo(1.5e6, 6);
  });
  it('isolated execution: Σ work / (class speed × min(threads, cores))', () => {
    const f: FunctionCost = { name: 'f', interferenceClass: 'default', phases: [
      { name: 'a', perCall: 1, perItem: 0, threads: 1, speedClass: 'default' },
      { name: 'b', perCall: 0, perItem: 0.5, threads: 'visible-cores', maxThreads: 4, speedClass: 'ml-inference' },
    ] };
    // 1/0.5 + (10 × 0.5)/(0.25 × 4) = 2 + 5 = 7 s
    expect(isolatedExecSeconds(f, 10, node(0.5, 0.25))).toBeCloseTo(7, 9);
  });
});

describe('parallel efficiency (Amdahl serial fraction, study 5 modelling note 1)', () => {
  const p: CpuPhase = { name: 'detect', perCall: 0.4, perItem: 0.2, threads: 'visible-cores', maxThreads: 6, speedClass: 'default', serialFraction: 0.25 };
  it('splits σ of the work onto one thread, keeps the total', () => {
    const [s, par] = amdahlPhases(p);
    expect(s).toMatchObject({ name: 'detect.serial', threads: 1, perCall: 0.1, perItem: 0.05 });
    expect(s.maxThreads).toBeUndefined();
    expect(par).toMatchObject({ name: 'detect', threads: 'visible-cores', maxThreads: 6 });
    expect(par.perCall).toBeCloseTo(0.3, 12);
    expect(par.perItem).toBeCloseTo(0.15, 12);
    expect(par.serialFraction).toBeUndefined();
    expect(amdahlPhases({ ...p, serialFraction: 0 })).toEqual([{ ...p, serialFraction: 0 }]);
    expect(() => amdahlPhases({ ...p, serialFraction: 1 })).toThrow(/serialFraction: expected a number in \[0, 1\), found 1/);
  });
  it('isolated time = work·(σ + (1 − σ)/c): the speed-up flattens (Amdahl)', () => {
    const f: FunctionCost = { name: 'f', interferenceClass: 'default', phases: [{ ...p, maxThreads: undefined, perCall: 1, perItem: 0 }] };
    // σ = 0.25, speed 1: 4 cores → 0.25 + 0.75/4 = 0.4375 s; 16 cores → 0.296875 s (limit 1/σ = 4x)
    expect(isolatedExecSeconds(f, 0, node(1, 1, 4))).toBeCloseTo(0.4375, 12);
    expect(isolatedExecSeconds(f, 0, node(1, 1, 16))).toBeCloseTo(0.296875, 12);
  });
});

describe('one invocation, end to end (custom engine)', () => {
  it('latency = CLI overhead + execution + the gateway/network hops, reported at the next poll tick', () => {
    const sim = new Simulation({ seed: 3 });
    const cost: FunctionCost = { name: 'f', interferenceClass: 'default', phases: [{ name: 'a', perCall: 2, perItem: 0, threads: 2, speedClass: 'default' }] };
    const h = makeHarness(sim, { f: cost });
    const eng = new CustomEngine(sim, h.host, { cliOverhead: 100_000, pollPeriod: 400_000 });
    const wf = validateWorkflow({ name: 'one', stages: [{ name: 'f', fn: 'f', mode: 'once' }] });
    let run: WorkflowRun | null = null;
    sim.schedule(20_000_000, () => { const r = new WorkflowRun(wf, 1, [], sim.now); run = r; eng.start(r, () => undefined); }, undefined);
    sim.run();
    const r = run as unknown as WorkflowRun;
    const inv = r.invocations[0];
    // drl-w01 speed 1: 2 core-s over 2 threads = 1 s of execution, started after the 0.1 s CLI call
    expect(inv.execEnd - inv.execStart).toBe(1_000_000);
    expect(inv.execStart - r.startedAt).toBe(100_000);
    expect(r.trueEnd - r.startedAt).toBe(1_100_000);
    expect(r.reportedEnd - r.trueEnd).toBeGreaterThanOrEqual(0);
    expect(r.reportedEnd - r.trueEnd).toBeLessThan(400_000);
  });
});

describe('stressors', () => {
  const model = loadInterferenceModel(modelPath(INTERFERENCE_MODEL_FILE));
  it('CPU pressure occupies round(level × cores) cores (CT5-2) and leaves the rest to a 4-thread job', () => {
    expect([occupiedCores(0.5, 8), occupiedCores(0.5, 16), occupiedCores(0.5, 4)]).toEqual([4, 8, 2]);
    expect([occupiedCores(0.8, 8), occupiedCores(0.8, 16), occupiedCores(0.8, 4), occupiedCores(0.1, 4)]).toEqual([6, 13, 3, 1]);
    const sim = new Simulation({ seed: 1 });
    const n = new ClusterNode(sim, loadNodeProfile(modelPath(DRL_NODE_FILES[0])));
    const b = new InterferenceBinder(model);
    b.addStressor(n, 'cpu', 0.8);
    const g = n.addCpuGroup({ name: 'fn', weight: 4 });
    let end = -1;
    g.submit(8e6, { threads: 4, onDone: () => { end = sim.now; } });
    sim.run();
    // 6 of 8 cores busy → the function gets 2 cores: 8 core-s in 4 s
    expect(end).toBe(4_000_000);
    expect(b.stressorThreads(n.name)).toBe(6);
  });
  it('a stressor of N threads (one cgroup, N× weight) takes the CPU of N one-thread replicas, under every contention level', () => {
    for (const [level, weight, threads] of [[0.5, 100, 12], [0.8, 4, 4], [0.25, 1000, 8], [1, 1, 1]] as const) {
      const ends: number[] = [];
      for (const merged of [true, false]) {
        const sim = new Simulation({ seed: 1 });
        const n = new ClusterNode(sim, loadNodeProfile(modelPath(DRL_NODE_FILES[0])));
        if (merged) new InterferenceBinder(model).addStressor(n, 'cpu', level);
        else {
          for (let t = 0; t < occupiedCores(level, n.cores); t++) n.addCpuGroup({ name: `s${t}`, weight: STRESSOR_WEIGHT, threads: 1 }).submit(Infinity, { threads: 1 });
        }
        const g = n.addCpuGroup({ name: 'fn', weight });
        let end = -1;
        g.submit(8e6, { threads, onDone: () => { end = sim.now; } });
        sim.run();
        ends.push(end);
      }
      expect(Math.abs(ends[0] - ends[1])).toBeLessThanOrEqual(1);
      expect(ends[0]).toBeGreaterThan(0);
    }
  });
  it('an L3 stressor slows a sensitive pod by 1 + s_l3 · g(P_l3) (with its membw spill)', () => {
    const sim = new Simulation({ seed: 1 });
    const prof = loadNodeProfile(modelPath(DRL_NODE_FILES[2])); // w03: 14 MB L3 (modelling note 3)
    const n = new ClusterNode(sim, prof);
    const b = new InterferenceBinder(model);
    const g = n.addCpuGroup({ name: 'fn' });
    b.podLoad(n, 1, g, 'ml-inference', 4);
    expect(g.speedFactor).toBe(1);
    b.addStressor(n, 'l3', 0.5);
    const w = workloadProfile(model, 'ml-inference');
    const pl3 = Math.min(1, (0.5 * model.stressors.referenceL3) / prof.l3Bytes);
    const pmb = (0.5 * model.stressors.l3MembwSpill * model.stressors.referenceMembw) / prof.memoryBandwidth;
    const expected = (1 + w.sensitivity.cpu * sensitivityCurve(1 / prof.cores, model.curves.cpu))
      * (1 + w.sensitivity.l3 * sensitivityCurve(pl3, model.curves.l3))
      * (1 + w.sensitivity.membw * sensitivityCurve(pmb, model.curves.membw));
    expect(1 / g.speedFactor).toBeCloseTo(expected, 9);
    expect(1 / g.speedFactor).toBeGreaterThan(1);
  });
});
