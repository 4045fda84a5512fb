/**
 * DQN benchmark (issue 7 items 3 and 6): on the wasm and cpu tfjs backends, with the study's
 * network (35 → 256-128-64 → 15, the Fullmap action space size):
 * - act() latency: one greedy action for one state, agent and loaded policy;
 * - train-step throughput at batch 64 (Double-DQN targets, Huber, clip, Adam);
 * - wall time of a full 500-step training run with the study's hyperparameters on a toy env.
 * Prints the numbers; run alone: `npx vitest bench --run test/rl.bench.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { RandomStream } from '../src/core/random.js';
import { DqnAgent } from '../src/rl/dqn/agent.js';
import { initBackend } from '../src/rl/dqn/backend.js';
import type { Env, StepResult } from '../src/rl/env.js';
import { loadPolicy } from '../src/rl/policy.js';
import { boxSpace, discreteSpace } from '../src/rl/spaces.js';
import { train } from '../src/rl/train.js';

const OBS = 35;
const ACTIONS = 15;
const lines: string[] = [];
const tmp = mkdtempSync(join(tmpdir(), 'servesim-rl-bench-'));

/** A study-shaped toy env: 35 components in [0, 20]; the best action is the argmin of the first 15. */
class StudyShapedEnv implements Env {
  readonly observationSpace = boxSpace(Array.from({ length: OBS }, (_, i) => ({ name: `x${i}`, meaning: 'synthetic counter', low: 0, high: 20 })));
  readonly actionSpace = discreteSpace(Array.from({ length: ACTIONS }, (_, i) => ({ name: `a${i}`, meaning: 'synthetic action' })));
  private rng = new RandomStream('bench', 'bench:0');
  private obs = new Float64Array(OBS);
  reset(seed: number): Float64Array {
    this.rng = new RandomStream('bench', `bench:${seed}`);
    return this.draw();
  }
  step(action: number): StepResult {
    let best = 0;
    for (let a = 1; a < ACTIONS; a++) if (this.obs[a] < this.obs[best]) best = a;
    const reward = action === best ? 1 : -1;
    return { observation: this.draw(), reward, done: false, info: {} };
  }
  private draw(): Float64Array {
    this.obs = new Float64Array(OBS);
    for (let i = 0; i < OBS; i++) this.obs[i] = this.rng.uniform(0, 20);
    return this.obs;
  }
}

async function measure(backend: 'wasm' | 'cpu'): Promise<void> {
  await initBackend(backend);
  const rng = new RandomStream('bench', 'states');
  const states = Array.from({ length: 64 }, () => Float64Array.from({ length: OBS }, () => rng.uniform(0, 20)));

  // act() latency, agent and loaded policy.
  const agent = await DqnAgent.create({ observationDim: OBS, nActions: ACTIONS, totalSteps: 5000, seed: 1, backend, config: { batchSize: 64 } });
  for (let i = 0; i < 50; i++) agent.greedyAction(states[i & 63]);
  const nAct = 2000;
  let t0 = performance.now();
  for (let i = 0; i < nAct; i++) agent.greedyAction(states[i & 63]);
  const actMs = (performance.now() - t0) / nAct;
  const env = new StudyShapedEnv();
  const dir = join(tmp, backend);
  await agent.save(dir, { observationSpace: env.observationSpace, actionSpace: env.actionSpace });
  const policy = await loadPolicy(dir, { backend });
  for (let i = 0; i < 50; i++) policy.act(i, states[i & 63]);
  t0 = performance.now();
  for (let i = 0; i < nAct; i++) policy.act(i, states[i & 63]);
  const policyMs = (performance.now() - t0) / nAct;
  policy.dispose();

  // Train-step throughput, batch 64.
  for (let i = 0; i < 2000; i++) agent.buffer.add(states[i & 63], i % ACTIONS, (i % 7) - 3, states[(i + 1) & 63], i % 50 === 49);
  for (let i = 0; i < 5; i++) agent.update(agent.buffer.sample(64, rng));
  const nUpd = 150;
  t0 = performance.now();
  for (let i = 0; i < nUpd; i++) agent.update(agent.buffer.sample(64, rng));
  const updMs = (performance.now() - t0) / nUpd;
  agent.dispose();

  // Full 500-step training run, study hyperparameters (batch 32, 117 updates).
  const a2 = await DqnAgent.create({ observationDim: OBS, nActions: ACTIONS, totalSteps: 500, seed: 2, backend });
  t0 = performance.now();
  const res = train(new StudyShapedEnv(), a2, { steps: 500, seed: 3 });
  const runS = (performance.now() - t0) / 1000;
  const updates = a2.numUpdates;
  a2.dispose();

  lines.push(
    `${backend.padEnd(4)}: act() ${(actMs * 1000).toFixed(0)} µs (agent), ${(policyMs * 1000).toFixed(0)} µs (loaded policy); ` +
      `train step batch 64: ${updMs.toFixed(2)} ms (${(1000 / updMs).toFixed(0)} steps/s); ` +
      `500-step training run (study defaults, ${updates} updates): ${runS.toFixed(2)} s wall, cumulative reward ${res.cumulativeReward}`,
  );
}

describe('DQN on tfjs: wasm vs cpu backend (35 → 256-128-64 → 15)', () => {
  bench('wasm', async () => measure('wasm'), { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 });
  bench('cpu', async () => measure('cpu'), { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 });
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  console.log(['', 'DQN benchmark:', ...lines].join('\n'));
});
