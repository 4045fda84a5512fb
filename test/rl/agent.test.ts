import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DqnAgent } from '../../src/rl/dqn/agent.js';
import { STUDY_DQN_DEFAULTS, resolveDqnConfig } from '../../src/rl/dqn/config.js';
import { linearEpsilon } from '../../src/rl/dqn/schedule.js';
import { train } from '../../src/rl/train.js';
import { ContextualEnv, TwoNodeEnv } from './toy-envs.js';

describe('DQN configuration', () => {
  it('defaults are the study hyperparameters (calibration-targets.md DQN table)', () => {
    const c = resolveDqnConfig();
    expect(c.hidden).toEqual([256, 128, 64]);
    expect([c.learningRate, c.gamma, c.batchSize, c.bufferSize, c.targetUpdateInterval, c.tau]).toEqual([0.0025, 0.99, 32, 1_000_000, 60, 1]);
    expect([c.explorationInitialEps, c.explorationFinalEps, c.explorationFraction]).toEqual([1, 0.01, 0.2]);
    expect([c.learningStarts, c.trainFreq, c.gradientSteps, c.maxGradNorm, c.huberDelta]).toEqual([32, 4, 1, 10, 1]);
    expect(c).toEqual(STUDY_DQN_DEFAULTS);
  });
  it('rejects bad values naming the field', () => {
    expect(() => resolveDqnConfig({ batchSize: 0 })).toThrow('dqn config batchSize: expected a positive integer, found 0');
    expect(() => resolveDqnConfig({ gamma: 1.5 })).toThrow(/dqn config gamma: expected a number in \[0, 1\], found 1.5/);
    expect(() => resolveDqnConfig({ hidden: [256, -1] })).toThrow(/dqn config hidden/);
    expect(() => resolveDqnConfig({ tau: 0 })).toThrow(/dqn config tau/);
  });
});

describe('DQN agent', () => {
  it('builds the study network 35 → 256 → 128 → 64 → |A| with ReLU', async () => {
    const agent = await DqnAgent.create({ observationDim: 35, nActions: 15, totalSteps: 500, seed: 1 });
    const shapes = agent.online.getWeights().map((w) => w.shape);
    expect(shapes).toEqual([[35, 256], [256], [256, 128], [128], [128, 64], [64], [64, 15], [15]]);
    const acts = agent.online.layers.map((l) => (l.getConfig() as { activation?: string }).activation);
    expect(acts).toEqual(['relu', 'relu', 'relu', 'linear']);
    // 'torch' init: weights and biases within ±1/√fan_in.
    const w = agent.weights();
    expect(Math.max(...w[0].map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(35) + 1e-6);
    expect(Math.max(...w[3].map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(256) + 1e-6);
    expect(w[3].some((b) => b !== 0)).toBe(true);
    // Target starts as a copy of the online network.
    expect(agent.weights('target')).toEqual(w);
    // Replay capacity is capped at totalSteps (never fills, as with the study's 10^6 buffer).
    expect(agent.buffer.capacity).toBe(500);
    agent.dispose();
  });

  it('property: never selects a masked action (learning starts, ε-greedy and greedy)', async () => {
    const agent = await DqnAgent.create({ observationDim: 3, nActions: 6, totalSteps: 200, seed: 4, config: { hidden: [16], learningStarts: 5 } });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 6, maxLength: 6 }).filter((m) => m.some((v) => v === 1)),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
        async (mask, obs) => {
          const a = agent.act(obs, mask);
          expect(mask[a]).toBe(1);
          expect(mask[agent.greedyAction(obs, mask)]).toBe(1);
          if (agent.numTimesteps < 150) agent.observe({ obs, action: a, reward: a % 2, nextObs: obs, terminal: false, nextMask: mask });
        },
      ),
      { numRuns: 200 },
    );
    expect(agent.numUpdates).toBeGreaterThan(0);
    expect(() => agent.act([0, 0, 0], [0, 0, 0, 0, 0, 0])).toThrow(/every action is masked/);
    expect(() => agent.act([0, 0, 0], [1, 1])).toThrow(/mask of 6 entries, found 2/);
    agent.dispose();
  });

  it('follows SB3 timing: 500 steps → 117 updates (steps 36, 40, …, 500), 8 target syncs, ε per the schedule', async () => {
    const agent = await DqnAgent.create({ observationDim: 2, nActions: 3, totalSteps: 500, seed: 3, config: { hidden: [8] } });
    const syncs: number[] = [];
    const updateSteps: number[] = [];
    const env = new TwoNodeEnv(false, 50);
    const res = train(env, { get epsilon() { return agent.epsilon; }, act: (o, m) => agent.act(o, m), greedyAction: (o, m) => agent.greedyAction(o, m), observe: (t) => {
      const r = agent.observe(t);
      if (r.targetSynced) syncs.push(agent.numTimesteps);
      if (r.updates > 0) updateSteps.push(agent.numTimesteps);
      return r;
    } }, { steps: 500, seed: 1 });
    expect(agent.numUpdates).toBe(117);
    expect(updateSteps[0]).toBe(36);
    expect(updateSteps[updateSteps.length - 1]).toBe(500);
    expect(syncs).toEqual([60, 120, 180, 240, 300, 360, 420, 480]);
    for (const row of res.rows) expect(row.epsilon).toBe(linearEpsilon(row.step, 500, 1, 0.01, 0.2));
    expect(res.rows.filter((r) => r.updates > 0)).toHaveLength(117);
    expect(res.episodes).toBe(10);
    expect(() => agent.observe({ obs: [0, 0], action: 0, reward: 0, nextObs: [0, 0], terminal: false })).toThrow(/totalSteps=500/);
    agent.dispose();
  });

  it('determinism: two trainings with the same seed give identical weights; another seed differs', async () => {
    const run = async (seed: number): Promise<Float32Array[]> => {
      const agent = await DqnAgent.create({ observationDim: 3, nActions: 3, totalSteps: 160, seed, config: { learningStarts: 20 } });
      train(new ContextualEnv(3), agent, { steps: 160, seed: 5 });
      const w = agent.weights();
      agent.dispose();
      return w;
    };
    const a = await run(9);
    const b = await run(9);
    const c = await run(10);
    expect(a.length).toBe(8);
    for (let i = 0; i < a.length; i++) expect(Buffer.from(a[i].buffer).equals(Buffer.from(b[i].buffer))).toBe(true);
    expect(Buffer.from(a[0].buffer).equals(Buffer.from(c[0].buffer))).toBe(false);
  });
});
