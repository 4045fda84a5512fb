import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Env, StepResult } from '../../src/rl/env.js';
import { fixedActionPolicy, randomPolicy } from '../../src/rl/policy.js';
import { boxSpace, discreteSpace } from '../../src/rl/spaces.js';
import { evaluate, learningCsv, train, writeLearningCsv, type Learner } from '../../src/rl/train.js';
import { TwoNodeEnv, type ToyInfo } from './toy-envs.js';

const tmp = mkdtempSync(join(tmpdir(), 'servesim-rl-train-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Scripted env: reward = action − 1 at step t, latency = t + action; records reset seeds; episodes of 4. */
class ScriptEnv implements Env<ToyInfo> {
  readonly observationSpace = boxSpace([{ name: 't', meaning: 'step in episode', low: 0, high: 10 }]);
  readonly actionSpace = discreteSpace([{ name: 'a0', meaning: '' }, { name: 'a1', meaning: '' }, { name: 'a2', meaning: '' }]);
  readonly seeds: number[] = [];
  private t = 0;
  reset(seed: number): number[] {
    this.seeds.push(seed);
    this.t = 0;
    return [0];
  }
  step(action: number): StepResult<ToyInfo> {
    this.t++;
    const done = this.t === 4;
    return { observation: [this.t], reward: action - 1, done, truncated: false, info: { latency: this.t + action, target: 3, optimal: action === 2 } };
  }
  actionMask(): number[] {
    return [1, this.t % 2 === 0 ? 0 : 1, 1];
  }
}

/** A learner that records what the loop hands it and cycles through legal actions. */
class RecordingLearner implements Learner {
  readonly seen: { obs: number[]; action: number; reward: number; nextObs: number[]; terminal: boolean; nextMask?: number[] }[] = [];
  epsilon = 0.5;
  private k = 0;
  act(_obs: ArrayLike<number>, mask?: ArrayLike<number>): number {
    for (;;) {
      const a = this.k++ % 3;
      if (mask === undefined || mask[a] !== 0) return a;
    }
  }
  greedyAction(): number {
    return 2;
  }
  observe(t: { obs: ArrayLike<number>; action: number; reward: number; nextObs: ArrayLike<number>; terminal: boolean; nextMask?: ArrayLike<number> }): { updates: number; loss: number; qMean: number } {
    this.seen.push({ obs: Array.from(t.obs), action: t.action, reward: t.reward, nextObs: Array.from(t.nextObs), terminal: t.terminal, ...(t.nextMask ? { nextMask: Array.from(t.nextMask) } : {}) });
    this.epsilon -= 0.05;
    return { updates: this.seen.length % 2, loss: this.seen.length % 2 ? this.seen.length / 10 : NaN, qMean: NaN };
  }
}

describe('train loop', () => {
  it('hands the learner each transition with terminal flags and next-state masks, resets after done, records rows', () => {
    const env = new ScriptEnv();
    const learner = new RecordingLearner();
    const onStep: number[] = [];
    const res = train(env, learner, { steps: 6, seed: 42, onStep: (row) => onStep.push(row.step) });
    expect(onStep).toEqual([0, 1, 2, 3, 4, 5]);
    expect(env.seeds[0]).toBe(42);
    expect(env.seeds).toHaveLength(2);
    expect(res.episodes).toBe(1);
    // Actions cycle 0,1,2 skipping masked ones (action 1 is masked at even t; step 4 is t=0 after the reset).
    expect(learner.seen.map((s) => s.action)).toEqual([0, 1, 2, 0, 2, 0]);
    expect(learner.seen[0]).toEqual({ obs: [0], action: 0, reward: -1, nextObs: [1], terminal: false, nextMask: [1, 1, 1] });
    expect(learner.seen[1].nextMask).toEqual([1, 0, 1]);
    expect(learner.seen[3]).toEqual({ obs: [3], action: 0, reward: -1, nextObs: [4], terminal: true });
    expect(learner.seen[4].obs).toEqual([0]); // after reset
    expect(res.rows.map((r) => r.cumulativeReward)).toEqual([-1, -1, 0, -1, 0, -1]);
    expect(res.rows.map((r) => r.episode)).toEqual([0, 0, 0, 0, 1, 1]);
    expect(res.rows[1].epsilon).toBeCloseTo(0.45, 12);
    expect(res.rows[0].wallMs).toBeUndefined();
  });

  it('a truncated episode end is not terminal for the learner (bootstrap through time limits)', () => {
    const learner = new RecordingLearner();
    train(new TwoNodeEnv(false, 2), learner, { steps: 4, seed: 1 });
    expect(learner.seen.map((s) => s.terminal)).toEqual([false, false, false, false]);
  });

  it('evaluates every evalEvery steps on a separate env, and writes learning.csv atomically (no wall time by default)', () => {
    let clock = 1000;
    const path = join(tmp, 'out', 'learning.csv');
    const res = train(new ScriptEnv(), new RecordingLearner(), {
      steps: 8,
      seed: 1,
      evalEvery: 4,
      evalEnv: new ScriptEnv(),
      evalSteps: 4,
      isSuccess: (r) => r.info.latency <= r.info.target,
      wallClock: () => (clock += 7),
      learningCsvPath: path,
    });
    expect(res.evaluations.map((e) => e.step)).toEqual([4, 8]);
    // Greedy learner always plays 2: latencies 3,4,5,6 vs target 3 → 1 success of 4; reward +1 each.
    expect(res.evaluations[0].result).toMatchObject({ steps: 4, cumulativeReward: 4, meanReward: 1, successes: 1, successRatio: 0.25, violationRatio: 0.75, episodes: 1 });
    expect(res.rows[2].wallMs).toBe(21);
    const text = readFileSync(path, 'utf8');
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('step,episode,action,reward,cumulative_reward,epsilon,updates,loss,q_mean');
    expect(lines).toHaveLength(9);
    expect(lines[1]).toBe('0,0,0,-1,-1,0.5,1,0.1,');
    expect(lines[2]).toBe('1,0,1,0,-1,0.45,0,,');
    expect(readdirSync(join(tmp, 'out'))).toEqual(['learning.csv']); // no temp file left behind
    expect(learningCsv(res.rows, true).split('\n')[0]).toMatch(/,wall_ms$/);
    writeLearningCsv(path, res.rows.slice(0, 2));
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('rejects bad options clearly', () => {
    const env = new ScriptEnv();
    expect(() => train(env, new RecordingLearner(), { steps: 0, seed: 1 })).toThrow(/steps must be a positive integer, found 0/);
    expect(() => train(env, new RecordingLearner(), { steps: 5, seed: 1, evalEvery: 2 })).toThrow(/evalEvery needs evalEnv/);
    expect(() => train(env, new RecordingLearner(), { steps: 5, seed: 1, evalEvery: 2, evalEnv: env, evalSteps: 2 })).toThrow(/separate env instance/);
  });
});

describe('evaluate', () => {
  it('computes cumulative and mean reward and QoS success/violation ratios (hand-computed)', () => {
    // Fixed action 0: rewards −1 each; latency t + 0 = 1,2,3,4 | 1,2 vs target 3 → successes 3 + 2 = 5 of 6.
    const r = evaluate(new ScriptEnv(), fixedActionPolicy(3, 0), { steps: 6, seed: 3, isSuccess: (s) => s.info.latency <= s.info.target });
    expect(r).toMatchObject({ steps: 6, episodes: 1, cumulativeReward: -6, meanReward: -1, successes: 5 });
    expect(r.successRatio).toBeCloseTo(5 / 6, 12);
    expect(r.violationRatio).toBeCloseTo(1 / 6, 12);
    expect(Array.from(r.actions)).toEqual([0, 0, 0, 0, 0, 0]);
    const noPredicate = evaluate(new ScriptEnv(), fixedActionPolicy(3, 2), { steps: 2, seed: 3 });
    expect(noPredicate.successRatio).toBeNaN();
  });

  it('passes masks to the policy (a random policy never plays a masked action) and `now` from the clock option', () => {
    const nows: number[] = [];
    const p = randomPolicy(3, 8);
    const wrapped = { name: 'w', nActions: 3, act: (now: number, o: ArrayLike<number>, m?: ArrayLike<number>) => (nows.push(now), p.act(now, o, m)) };
    const env = new ScriptEnv();
    const r = evaluate(env, wrapped, { steps: 40, seed: 1, now: (step) => step * 1_000_000 });
    expect(nows.slice(0, 3)).toEqual([0, 1_000_000, 2_000_000]);
    // Action 1 is masked at even t within each 4-step episode: steps 0 and 2 of each episode.
    for (let i = 0; i < 40; i++) if (i % 4 === 0 || i % 4 === 2) expect(r.actions[i]).not.toBe(1);
  });
});
