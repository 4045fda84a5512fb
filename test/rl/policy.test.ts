import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DqnAgent } from '../../src/rl/dqn/agent.js';
import { fixedActionPolicy, greedyPolicy, loadPolicy, randomPolicy } from '../../src/rl/policy.js';
import { train } from '../../src/rl/train.js';
import { NormalizeObservation, observationPipeline } from '../../src/rl/wrappers.js';
import { ContextualEnv, TwoNodeEnv } from './toy-envs.js';

const tmp = mkdtempSync(join(tmpdir(), 'servesim-rl-policy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('deployable policy: save → load', () => {
  it('a loaded policy returns the same actions and Q-values as the agent, applying the saved normalisation', async () => {
    const env = new NormalizeObservation(new TwoNodeEnv(true), [-1, 1]);
    const agent = await DqnAgent.create({ observationDim: 2, nActions: 3, totalSteps: 120, seed: 6 });
    train(env, agent, { steps: 120, seed: 2 });
    const dir = join(tmp, 'two-node');
    const pipe = observationPipeline(env);
    await agent.save(dir, { observationSpace: pipe.rawSpace, actionSpace: env.actionSpace, normalization: pipe.normalization, training: { scenario: 'toy two-node', variant: 'masked' } });
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'spec.json', 'weights.bin']);
    const policy = await loadPolicy(dir);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 }), (lat, phase, noop) => {
        const obs = [lat, phase];
        const mask = [1, 1, noop];
        const normalised = [lat * 2 - 1, phase * 2 - 1];
        expect(policy.act(0, obs, mask)).toBe(agent.greedyAction(normalised, mask));
        expect(Array.from(policy.qValues(obs))).toEqual(Array.from(agent.qValues(normalised)));
      }),
    );
    expect(policy.nActions).toBe(3);
    expect(policy.actionSpace.actions[2].name).toBe('noop');
    expect(() => policy.act(0, [2, 0])).toThrow("observation[0] 'last_latency' (last latency (s) / 5): expected a value in [0, 1], found 2");
    expect(() => policy.act(0, [0.5, 0], [0, 0, 0])).toThrow(/every action is masked/);
    policy.dispose();
    agent.dispose();
  });

  it('spec.json carries spaces, normalisation, hyperparameters, seed and provenance', async () => {
    const spec = JSON.parse(readFileSync(join(tmp, 'two-node', 'spec.json'), 'utf8'));
    expect(spec.format).toBe('servesim-policy/1');
    expect(spec.algorithm).toBe('double-dqn');
    expect(spec.seed).toBe(6);
    expect(spec.observationSpace.components.map((c: { name: string }) => c.name)).toEqual(['last_latency', 'phase']);
    expect(spec.actionSpace.n).toBe(3);
    expect(spec.normalization).toEqual({ kind: 'bounds', low: [0, 0], high: [1, 1], range: [-1, 1], clip: true });
    expect(spec.hyperparameters.hidden).toEqual([256, 128, 64]);
    expect(spec.hyperparameters.learningRate).toBe(0.0025);
    expect(spec.training).toMatchObject({ totalSteps: 120, stepsObserved: 120, scenario: 'toy two-node', variant: 'masked', tfjsVersion: '4.22.0' });
    expect(spec.training.updates).toBe(Math.floor((120 - 32) / 4));
  });

  it('a broken spec.json or model gets an error naming the file and the field', async () => {
    const dir = join(tmp, 'two-node');
    const good = readFileSync(join(dir, 'spec.json'), 'utf8');
    const spec = JSON.parse(good);
    spec.actionSpace.n = 'three';
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    await expect(loadPolicy(dir)).rejects.toThrow(/spec\.json: actionSpace\.n: /);
    spec.actionSpace.n = 4;
    spec.actionSpace.actions.push({ name: 'extra', meaning: '' });
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    await expect(loadPolicy(dir)).rejects.toThrow(/maps 2 inputs to 3 outputs, but spec.json declares 2 observation components and 4 actions/);
    writeFileSync(join(dir, 'spec.json'), good);
    await expect(loadPolicy(join(tmp, 'missing'))).rejects.toThrow(/missing\/spec\.json: cannot read the policy spec/);
  });
});

describe('baseline policies', () => {
  it('random: seeded, uniform over legal actions, honours masks', () => {
    const seq = (seed: number): number[] => {
      const p = randomPolicy(5, seed);
      return Array.from({ length: 50 }, (_, i) => p.act(i, [0]));
    };
    expect(seq(1)).toEqual(seq(1));
    expect(seq(1)).not.toEqual(seq(2));
    expect(new Set(seq(3))).toEqual(new Set([0, 1, 2, 3, 4]));
    const p = randomPolicy(5, 4);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 5, maxLength: 5 }).filter((m) => m.includes(1)), (mask) => {
        expect(mask[p.act(0, [0], mask)]).toBe(1);
      }),
    );
  });

  it('greedy-by-a-function: the legal action with the highest score, ties to the lowest index', () => {
    // "Move to the node with the lowest load": score = −load of the action's node.
    const p = greedyPolicy(3, (_now, obs, a) => -obs[a], 'least-loaded');
    expect(p.act(0, [0.5, 0.2, 0.9])).toBe(1);
    expect(p.act(0, [0.5, 0.2, 0.9], [1, 0, 1])).toBe(0);
    expect(p.act(0, [0.3, 0.3, 0.3])).toBe(0);
    const env = new ContextualEnv(3);
    let obs = env.reset(1);
    for (let i = 0; i < 30; i++) {
      const best = env.best;
      expect(p.act(i, obs)).toBe(best);
      obs = env.step(best).observation as Float64Array;
    }
  });

  it('fixed action: always the same action; an error if a mask forbids it', () => {
    const p = fixedActionPolicy(3, 2, 'static-noop');
    expect(p.act(0, [1, 2])).toBe(2);
    expect(p.act(5, [1, 2], [0, 0, 1])).toBe(2);
    expect(() => p.act(0, [1, 2], [1, 1, 0])).toThrow('static-noop: the fixed action 2 is masked in this state');
    expect(() => fixedActionPolicy(3, 3)).toThrow(/expected an action in \[0, 2\], found 3/);
  });
});

describe('policy module graph', () => {
  /** Every src/ module reachable from `entry` through relative imports. */
  function moduleGraph(entry: string): Set<string> {
    const seen = new Set<string>();
    const stack = [entry];
    while (stack.length > 0) {
      const file = stack.pop() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
        const spec = m[1] ?? m[2];
        stack.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      }
    }
    return seen;
  }

  it('policy.ts reaches no simulator module (core/simulation, platform/, cluster/, scenario/)', () => {
    const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
    const graph = [...moduleGraph(join(src, 'rl/policy.ts'))].map((f) => f.slice(src.length + 1));
    expect(graph).toContain('rl/policy.ts');
    expect(graph).toContain('rl/model-io.ts');
    for (const f of graph) expect(f).not.toMatch(/^(core\/simulation|core\/index|platform\/|cluster\/|scenario\/|workload\/)/);
    // The walker does find a simulator import when one exists.
    expect([...moduleGraph(join(src, 'core/index.ts'))].some((f) => f.endsWith('core/simulation.ts'))).toBe(true);
  });
});
