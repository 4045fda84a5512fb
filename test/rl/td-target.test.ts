import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/rl/dqn/backend.js';
import { DqnAgent } from '../../src/rl/dqn/agent.js';
import { setWeightArrays } from '../../src/rl/dqn/network.js';
import type { Batch } from '../../src/rl/dqn/replay-buffer.js';
import { clipFactor, huber, maskedArgmax, meanHuber, tdTargets } from '../../src/rl/dqn/td-target.js';

beforeAll(async () => {
  await initBackend('auto');
});

describe('pure DQN formulas', () => {
  it('maskedArgmax: largest legal value, ties to the lowest index, -1 when none legal', () => {
    expect(maskedArgmax([1, 5, 5, 2], 4)).toBe(1);
    expect(maskedArgmax([1, 5, 5, 2], 4, 0, [1, 0, 1, 1])).toBe(2);
    expect(maskedArgmax([9, 9, 1, 2, 3, 4], 3, 1, [1, 1, 1, 0, 1, 0])).toBe(1); // row 1 = [2, 3, 4], legal {0, 1}
    expect(maskedArgmax([1, 2], 2, 0, [0, 0])).toBe(-1);
  });

  it('tdTargets: Double vs vanilla, masks and terminal states (hand-computed)', () => {
    const qOn = [1, 2, 0, 3, -1, 7, 0, 0, 0];
    const qTg = [2.6, 1.2, 1.3, 0.6, 3.2, -0.2, 5, 5, 5];
    const masks = [1, 1, 1, 1, 0, 1, 1, 1, 1];
    const r = [1, -0.5, 2];
    const d = [0, 0, 1];
    const dbl = tdTargets(r, d, qOn, qTg, 3, 0.9, true, masks, new Float64Array(3));
    // Row 0: online argmax 1 → target 1.2 → 1 + 0.9·1.2. Row 1: online argmax over {0, 2} = 2 → −0.2.
    expect(Array.from(dbl)).toEqual([1 + 0.9 * 1.2, -0.5 + 0.9 * -0.2, 2]);
    const van = tdTargets(r, d, qOn, qTg, 3, 0.9, false, masks, new Float64Array(3));
    // Vanilla: max of target over legal actions: row 0 → 2.6; row 1 → max(0.6, −0.2) = 0.6 (3.2 is masked).
    expect(Array.from(van)).toEqual([1 + 0.9 * 2.6, -0.5 + 0.9 * 0.6, 2]);
  });

  it('huber: quadratic inside δ, linear outside, continuous at ±δ', () => {
    expect(huber(0.5)).toBe(0.125);
    expect(huber(-2)).toBe(1.5);
    expect(huber(3, 2)).toBe(4);
    expect(huber(1)).toBe(0.5);
    fc.assert(fc.property(fc.double({ min: -100, max: 100, noNaN: true }), (x) => huber(x) <= 0.5 * x * x + 1e-12 && huber(x) >= 0));
  });

  it('tf.losses.huberLoss (used by the agent) equals the mean Huber loss', async () => {
    const p = [0.1, -3, 2.5, 7, 0];
    const y = [0.3, 0, 2.0, 1, 0.9];
    const v = tf.losses.huberLoss(tf.tensor1d(y), tf.tensor1d(p), undefined, 1).dataSync()[0];
    expect(v).toBeCloseTo(meanHuber(p, y), 6);
    // (0.02 + 2.5 + 0.125 + 5.5 + 0.405) / 5 = 1.71
    expect(meanHuber(p, y)).toBeCloseTo(1.71, 12);
  });

  it('clipFactor follows clip_grad_norm_: min(1, max / (norm + 1e-6))', () => {
    expect(clipFactor(5, 10)).toBe(1);
    expect(clipFactor(20, 10)).toBeCloseTo(0.5, 6);
    expect(clipFactor(40, 10)).toBeCloseTo(10 / (40 + 1e-6), 15);
  });
});

/** A 2-input, 3-action linear Q-network (hidden = []) with explicit weights. */
const W_ON = [1, 0, 2, 0, 1, -1]; // kernel [2, 3] row-major: Q_on(s) = [s0, s1, 2 s0 − s1]
const B_ON = [0, 0, 0];
const W_TG = [0.5, 1, 0, 1, 0, 0.5]; // Q_tg(s) = [0.5 s0 + s1 + 0.1, s0 + 0.2, 0.5 s1 + 0.3]
const B_TG = [0.1, 0.2, 0.3];

function batchOf(rows: { s: number[]; a: number; r: number; s2: number[]; done: number; mask: number[] }[]): Batch {
  return {
    size: rows.length,
    indices: Int32Array.from(rows.map((_, i) => i)),
    obs: Float32Array.from(rows.flatMap((x) => x.s)),
    actions: Int32Array.from(rows.map((x) => x.a)),
    rewards: Float32Array.from(rows.map((x) => x.r)),
    nextObs: Float32Array.from(rows.flatMap((x) => x.s2)),
    dones: Uint8Array.from(rows.map((x) => x.done)),
    nextMasks: Uint8Array.from(rows.flatMap((x) => x.mask)),
  };
}

const ROWS = [
  { s: [1, 1], a: 0, r: 1, s2: [1, 2], done: 0, mask: [1, 1, 1] },
  { s: [2, -1], a: 2, r: -0.5, s2: [3, -1], done: 0, mask: [1, 0, 1] },
  { s: [0.5, 3], a: 1, r: 2, s2: [2, 2], done: 1, mask: [1, 1, 1] },
];

async function tinyAgent(config: Record<string, number | boolean | number[]> = {}): Promise<DqnAgent> {
  const agent = await DqnAgent.create({ observationDim: 2, nActions: 3, totalSteps: 10, seed: 0, config: { hidden: [], gamma: 0.9, batchSize: 3, ...config } });
  agent.setWeights([W_ON, B_ON], false);
  setWeightArrays(agent.target, [W_TG, B_TG]);
  return agent;
}

describe('DQN agent on a tiny network with explicit weights', () => {
  it('computes Double-DQN targets: online net selects, target net evaluates, masks respected (hand-computed)', async () => {
    const agent = await tinyAgent();
    const y = agent.computeTargets(batchOf(ROWS));
    // Row 0: Q_on(1,2) = [1, 2, 0] → a* = 1; Q_tg(1,2)[1] = 1 + 0.2 = 1.2 → 1 + 0.9·1.2 = 2.08.
    // Row 1: Q_on(3,−1) = [3, −1, 7], legal {0, 2} → a* = 2; Q_tg(3,−1)[2] = −0.5 + 0.3 = −0.2 → −0.68.
    // Row 2: terminal → 2.
    expect(y[0]).toBeCloseTo(2.08, 5);
    expect(y[1]).toBeCloseTo(-0.68, 5);
    expect(y[2]).toBeCloseTo(2, 6);
    agent.dispose();
  });

  it('double: false computes the SB3 (Nature) max target over legal next actions', async () => {
    const agent = await tinyAgent({ double: false });
    const y = agent.computeTargets(batchOf(ROWS));
    // Row 0: max Q_tg(1,2) = max(2.6, 1.2, 1.3) = 2.6 → 3.34. Row 1: max over {0, 2} of (0.6, −0.2) = 0.6 → 0.04.
    expect(y[0]).toBeCloseTo(3.34, 5);
    expect(y[1]).toBeCloseTo(0.04, 5);
    expect(y[2]).toBeCloseTo(2, 6);
    agent.dispose();
  });

  it('reports the global gradient norm of the mean Huber loss (reference gradient of a linear Q)', async () => {
    const agent = await tinyAgent();
    const y = [2.08, -0.68, 2];
    // q = Q_on(s)[a]: row 0 → 1, row 1 → 2·2 − (−1) = 5, row 2 → 3.
    const q = [1, 5, 3];
    const gW = new Array<number>(6).fill(0);
    const gB = new Array<number>(3).fill(0);
    ROWS.forEach((row, i) => {
      const dq = -Math.max(-1, Math.min(1, y[i] - q[i])) / 3; // d(mean huber)/dq_i
      gW[0 * 3 + row.a] += dq * row.s[0];
      gW[1 * 3 + row.a] += dq * row.s[1];
      gB[row.a] += dq;
    });
    const norm = Math.sqrt([...gW, ...gB].reduce((s, g) => s + g * g, 0));
    const stats = agent.update(batchOf(ROWS));
    // Loss: huber(1.08) + huber(−5.68) + huber(−1) = 0.58 + 5.18 + 0.5, mean 2.0866…
    expect(stats.loss).toBeCloseTo((0.58 + 5.18 + 0.5) / 3, 4);
    expect(stats.qMean).toBeCloseTo(3, 5);
    expect(stats.gradNorm).toBeCloseTo(norm, 5);
    agent.dispose();
  });

  it('clips gradients by global norm: with Adam ε ≫ |g| the step is ∝ g, so a clipped step shrinks by clipFactor', async () => {
    const delta = async (maxGradNorm: number): Promise<{ d: number[]; norm: number }> => {
      const agent = await tinyAgent({ adamEpsilon: 1e6, learningRate: 1e4, maxGradNorm });
      const before = agent.weights()[0];
      const s = agent.update(batchOf(ROWS));
      const after = agent.weights()[0];
      agent.dispose();
      return { d: Array.from(after, (v, i) => v - before[i]), norm: s.gradNorm };
    };
    const free = await delta(1e9);
    const cap = free.norm / 4;
    const clipped = await delta(cap);
    const f = clipFactor(free.norm, cap);
    expect(f).toBeCloseTo(0.25, 5);
    const big = free.d.reduce((m, v, i) => (Math.abs(v) > Math.abs(free.d[m]) ? i : m), 0);
    expect(Math.abs(free.d[big])).toBeGreaterThan(1e-3);
    for (let i = 0; i < free.d.length; i++) expect(clipped.d[i]).toBeCloseTo(free.d[i] * f, 5);
  });
});
