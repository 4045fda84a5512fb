import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../src/core/random.js';
import { ReplayBuffer } from '../../src/rl/dqn/replay-buffer.js';

/** Transition i has obs [i, -i], action i % n, reward i / 2, next obs [i + 1, -i - 1], done on multiples of 5. */
function fill(buf: ReplayBuffer, count: number, from = 0): void {
  for (let i = from; i < from + count; i++) {
    const mask = Array.from({ length: buf.nActions }, (_, a) => ((i + a) % 2 === 0 ? 1 : 0));
    buf.add([i, -i], i % buf.nActions, i / 2, [i + 1, -i - 1], i % 5 === 0, mask);
  }
}

describe('ReplayBuffer (typed-array ring)', () => {
  it('stores transitions column-wise in typed arrays', () => {
    const b = new ReplayBuffer(4, 2, 3);
    fill(b, 2);
    expect(b.size).toBe(2);
    expect(Array.from(b.obs.subarray(0, 4))).toEqual([0, -0, 1, -1]);
    expect(Array.from(b.nextObs.subarray(2, 4))).toEqual([2, -2]);
    expect(Array.from(b.actions.subarray(0, 2))).toEqual([0, 1]);
    expect(Array.from(b.rewards.subarray(0, 2))).toEqual([0, 0.5]);
    expect(Array.from(b.dones.subarray(0, 2))).toEqual([1, 0]);
    expect(Array.from(b.nextMasks.subarray(0, 6))).toEqual([1, 0, 1, 0, 1, 0]);
    expect(b.obs).toBeInstanceOf(Float32Array);
    expect(b.actions).toBeInstanceOf(Int32Array);
    expect(b.dones).toBeInstanceOf(Uint8Array);
  });

  it('property: after k adds, size = min(k, capacity) and the ring holds exactly the last `size` transitions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 17 }), fc.integer({ min: 0, max: 60 }), (cap, k) => {
        const b = new ReplayBuffer(cap, 2, 3);
        fill(b, k);
        expect(b.size).toBe(Math.min(k, cap));
        expect(b.position).toBe(k % cap);
        const held = new Set<number>();
        for (let s = 0; s < b.size; s++) held.add(b.obs[s * 2]);
        const expected = new Set<number>();
        for (let i = Math.max(0, k - cap); i < k; i++) expected.add(i);
        expect(held).toEqual(expected);
        // Slot of transition i is i % cap.
        for (const i of expected) {
          const s = i % cap;
          expect(b.obs[s * 2]).toBe(i);
          expect(b.actions[s]).toBe(i % 3);
          expect(b.dones[s]).toBe(i % 5 === 0 ? 1 : 0);
        }
      }),
    );
  });

  it('samples with replacement, only stored slots, rows consistent across columns', () => {
    const b = new ReplayBuffer(8, 2, 3);
    fill(b, 11); // transitions 3..10 held
    const batch = b.sample(64, new RandomStream('t', 'x'));
    for (let k = 0; k < 64; k++) {
      const i = batch.obs[k * 2];
      expect(i).toBeGreaterThanOrEqual(3);
      expect(i).toBeLessThanOrEqual(10);
      expect(batch.indices[k]).toBe(i % 8);
      expect(batch.nextObs[k * 2]).toBe(i + 1);
      expect(batch.actions[k]).toBe(i % 3);
      expect(batch.rewards[k]).toBe(i / 2);
      expect(batch.dones[k]).toBe(i % 5 === 0 ? 1 : 0);
      expect(Array.from(batch.nextMasks.subarray(k * 3, k * 3 + 3))).toEqual([0, 1, 2].map((a) => ((i + a) % 2 === 0 ? 1 : 0)));
    }
    // With replacement: 64 draws from 8 slots must repeat.
    expect(new Set(batch.indices).size).toBeLessThanOrEqual(8);
  });

  it('seeded sampling: the same stream seed gives the same indices, another seed differs', () => {
    const b = new ReplayBuffer(100, 2, 3);
    fill(b, 100);
    const draw = (seed: string): number[] => Array.from(b.sample(32, new RandomStream('r', seed)).indices);
    expect(draw('a')).toEqual(draw('a'));
    expect(draw('a')).not.toEqual(draw('b'));
  });

  it('sampling is uniform over stored slots (chi-square, 4000 draws over 10 slots)', () => {
    const b = new ReplayBuffer(10, 2, 3);
    fill(b, 10);
    const rng = new RandomStream('u', 'uniform');
    const counts = new Array<number>(10).fill(0);
    for (let r = 0; r < 125; r++) for (const i of b.sample(32, rng).indices) counts[i]++;
    const e = 400;
    const chi2 = counts.reduce((s, c) => s + ((c - e) * (c - e)) / e, 0);
    expect(chi2).toBeLessThan(27.88); // χ²(9) at p = 0.001
  });

  it('rejects bad input with clear errors', () => {
    expect(() => new ReplayBuffer(0, 2, 3)).toThrow(/capacity must be a positive integer, found 0/);
    const b = new ReplayBuffer(4, 2, 3);
    expect(() => b.sample(4, new RandomStream('e', 'e'))).toThrow(/empty/);
    expect(() => b.add([1], 0, 0, [1, 2], false)).toThrow(/2 components, found 1 and 2/);
    expect(() => b.add([1, 2], 3, 0, [1, 2], false)).toThrow(/action in \[0, 2\], found 3/);
    expect(() => b.add([1, 2], 0, 0, [1, 2], false, [1, 1])).toThrow(/mask of 3 entries, found 2/);
  });
});
