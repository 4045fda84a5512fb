import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { ImageCache } from '../../src/cluster/image-cache.js';

describe('ImageCache', () => {
  test('LRU eviction order follows use, not insertion', () => {
    const c = new ImageCache(300);
    c.add('a', 100);
    c.add('b', 100);
    c.add('c', 100);
    c.touch('a');
    expect(c.add('d', 150)).toEqual(['b', 'c']);
    expect(c.list()).toEqual(['a', 'd']);
    expect(c.usedBytes).toBe(250);
    expect(c.evictions).toBe(2);
  });

  test('pinned images are never evicted; the cache can then go over capacity', () => {
    const c = new ImageCache(200);
    c.add('a', 150);
    c.pin('a');
    expect(c.add('b', 100)).toEqual([]);
    expect(c.overCapacity).toBe(true);
    c.unpin('a');
    expect(c.add('c', 10)).toEqual(['a']);
  });

  test('pins nest', () => {
    const c = new ImageCache(100);
    c.add('a', 60);
    c.pin('a');
    c.pin('a');
    c.unpin('a');
    expect(c.isPinned('a')).toBe(true);
    c.unpin('a');
    expect(c.isPinned('a')).toBe(false);
  });

  test('re-adding refreshes size and recency', () => {
    const c = new ImageCache(100);
    c.add('a', 10);
    c.add('b', 10);
    c.add('a', 20);
    expect(c.list()).toEqual(['b', 'a']);
    expect(c.usedBytes).toBe(30);
  });

  test('an image larger than the cache is an error naming the sizes', () => {
    expect(() => new ImageCache(10).add('big', 11)).toThrow(/expected an image of at most the cache capacity 10 bytes, found 11/);
  });

  test('property: without pins, used bytes never exceed capacity and equal the sum of held images', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 100 }), fc.boolean()), { maxLength: 60 }), (ops) => {
      const c = new ImageCache(250);
      const sizes = new Map<string, number>();
      for (const [i, b, touch] of ops) {
        const name = `img${i}`;
        if (touch) c.touch(name);
        else {
          for (const e of c.add(name, b)) sizes.delete(e);
          sizes.set(name, b);
        }
        expect(c.usedBytes).toBeLessThanOrEqual(250);
        expect(c.usedBytes).toBe([...sizes.values()].reduce((s, x) => s + x, 0));
        expect(c.list().sort()).toEqual([...sizes.keys()].sort());
      }
    }), { numRuns: 200 });
  });
});
