import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatPath, parsePath, PathSyntaxError } from '../../src/scenario/path.js';

describe('scenario paths', () => {
  it('formats keys and indices', () => {
    expect(formatPath(['nodes', 2, 'cpu', 'cores'])).toBe('nodes[2].cpu.cores');
    expect(formatPath([])).toBe('(top level)');
    expect(formatPath(['a b', 0])).toBe('["a b"][0]');
  });

  it('parses what it formats (property)', () => {
    const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
    const seg = fc.oneof(key, fc.nat(50));
    fc.assert(
      fc.property(key, fc.array(seg, { maxLength: 6 }), (first, rest) => {
        const path = [first, ...rest];
        expect(parsePath(formatPath(path))).toEqual(path);
      }),
    );
  });

  it('rejects malformed paths with the expected form', () => {
    for (const bad of ['', '.a', 'a.', 'a..b', '[0]', 'a[x]', 'a b', 'a.[0]']) {
      expect(() => parsePath(bad), bad).toThrow(PathSyntaxError);
    }
    expect(() => parsePath('a..b')).toThrow(/expected a path such as functions\[0\]\.replicas/);
  });
});
