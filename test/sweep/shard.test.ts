// Shards: a pure function of (plan, i, n) that partitions the points.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { inShard, parseShard, shardPoints } from '../../src/experiment/sweep/shard.js';
import { SweepError } from '../../src/experiment/sweep/errors.js';

describe('shards', () => {
  it('partition the points: every point in exactly one shard, for any n (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 40 }), (m, n) => {
        const points = Array.from({ length: m }, (_, index) => ({ index }));
        const shards = Array.from({ length: n }, (_, i) => shardPoints(points, { index: i, count: n }));
        const seen = new Map<number, number>();
        for (const s of shards) for (const p of s) seen.set(p.index, (seen.get(p.index) ?? 0) + 1);
        expect(seen.size).toBe(m);
        for (const c of seen.values()) expect(c).toBe(1);
        // Balanced: sizes differ by at most one, and each shard keeps plan order.
        const sizes = shards.map((s) => s.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        for (const s of shards) expect(s.map((p) => p.index)).toEqual([...s.map((p) => p.index)].sort((a, b) => a - b));
      }),
      { numRuns: 60 },
    );
  });

  it('are a pure function of (i, n)', () => {
    const points = Array.from({ length: 17 }, (_, index) => ({ index }));
    expect(shardPoints(points, { index: 2, count: 5 }).map((p) => p.index)).toEqual([2, 7, 12]);
    expect(inShard(12, { index: 2, count: 5 })).toBe(true);
    expect(inShard(13, { index: 2, count: 5 })).toBe(false);
  });

  it('parse i/n and reject anything else with the expected form', () => {
    expect(parseShard('0/4')).toEqual({ index: 0, count: 4 });
    expect(parseShard(' 3 / 4 ')).toEqual({ index: 3, count: 4 });
    for (const bad of ['4/4', '1/0', '-1/3', '1', 'a/b', '1/2/3', '']) {
      expect(() => parseShard(bad)).toThrow(SweepError);
      expect(() => parseShard(bad)).toThrow(/--shard: expected i\/n/);
    }
  });
});
