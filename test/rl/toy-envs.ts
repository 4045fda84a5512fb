/**
 * Toy environments with known optimal policies, for the agent tests and the benchmark.
 * Not part of the product: they exercise the Env contract the workflow env will implement.
 */
import { RandomStream } from '../../src/core/random.js';
import type { Env, StepResult } from '../../src/rl/env.js';
import { boxSpace, discreteSpace, type BoxSpace, type DiscreteSpace } from '../../src/rl/spaces.js';

export interface ToyInfo {
  readonly latency: number;
  readonly target: number;
  readonly optimal: boolean;
}

/**
 * Two-node choice: the function runs on node 0 or node 1; node `fast` (default 0) takes 1 s,
 * the other 3 s; a third action "no-op" keeps the slow placement and is masked every other
 * step when `masked` is set. Reward: +1 if latency ≤ target 2 s else −1. Observation: last
 * latency / 5 and a step-phase bit, in [0, 1]. Episodes are 10 steps, truncated. Optimal:
 * always node `fast`.
 */
export class TwoNodeEnv implements Env<ToyInfo> {
  readonly observationSpace: BoxSpace = boxSpace([
    { name: 'last_latency', meaning: 'last latency (s) / 5', low: 0, high: 1 },
    { name: 'phase', meaning: 'step index parity (0/1)', low: 0, high: 1 },
  ]);
  readonly actionSpace: DiscreteSpace = discreteSpace([
    { name: 'node0', meaning: 'run on node 0' },
    { name: 'node1', meaning: 'run on node 1' },
    { name: 'noop', meaning: 'keep the default (slow) placement' },
  ]);
  private t = 0;
  private last = 0;
  constructor(readonly masked = false, readonly episodeLength = 10, readonly fast: 0 | 1 = 0) {}
  reset(_seed: number): Float64Array {
    this.t = 0;
    this.last = 0.6;
    return this.obs();
  }
  step(action: number): StepResult<ToyInfo> {
    const latency = action === this.fast ? 1 : 3;
    this.last = latency / 5;
    this.t++;
    const done = this.t >= this.episodeLength;
    return { observation: this.obs(), reward: latency <= 2 ? 1 : -1, done, truncated: done, info: { latency, target: 2, optimal: action === this.fast } };
  }
  actionMask(): Uint8Array | undefined {
    return this.masked ? Uint8Array.of(1, 1, this.t % 2) : undefined;
  }
  private obs(): Float64Array {
    return Float64Array.of(this.last, this.t % 2);
  }
}

/**
 * Contextual choice: each step one of `k` nodes is unloaded (uniformly at random from the
 * reset-seeded stream); the observation is every node's load (0 or 1). Running on the
 * unloaded node meets the target (reward +1), any other node misses it (−1). Optimal: the
 * argmin of the observation. Episodes are 20 steps, truncated.
 */
export class ContextualEnv implements Env<ToyInfo> {
  readonly observationSpace: BoxSpace;
  readonly actionSpace: DiscreteSpace;
  private rng = new RandomStream('toy', 'toy:0');
  private free = 0;
  private t = 0;
  constructor(readonly k = 3, readonly episodeLength = 20) {
    this.observationSpace = boxSpace(Array.from({ length: k }, (_, i) => ({ name: `load${i}`, meaning: `node ${i} loaded (1) or free (0)`, low: 0, high: 1 })));
    this.actionSpace = discreteSpace(Array.from({ length: k }, (_, i) => ({ name: `node${i}`, meaning: `run on node ${i}` })));
  }
  /** The optimal action in the current state. */
  get best(): number {
    return this.free;
  }
  reset(seed: number): Float64Array {
    this.rng = new RandomStream('toy', `toy:${seed}`);
    this.t = 0;
    this.free = this.rng.int(this.k);
    return this.obs();
  }
  step(action: number): StepResult<ToyInfo> {
    const ok = action === this.free;
    this.t++;
    this.free = this.rng.int(this.k);
    const done = this.t >= this.episodeLength;
    return { observation: this.obs(), reward: ok ? 1 : -1, done, truncated: done, info: { latency: ok ? 1 : 3, target: 2, optimal: ok } };
  }
  private obs(): Float64Array {
    const o = new Float64Array(this.k).fill(1);
    o[this.free] = 0;
    return o;
  }
}
