import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Fifo } from '../../../src/platform/knative/data-path/fifo.js';

describe('Fifo', () => {
  it('behaves like an array used as a queue (push / shift / peek / at / size), across growth and wrap-around', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constant(-1)), { maxLength: 300 }), fc.integer({ min: 1, max: 9 }), (ops, cap) => {
        const q = new Fifo<number>(cap);
        const model: number[] = [];
        for (const op of ops) {
          if (op >= 0) {
            q.push(op);
            model.push(op);
          } else expect(q.shift()).toBe(model.shift());
          expect(q.size).toBe(model.length);
          expect(q.peek()).toBe(model[0]);
          for (let i = 0; i < model.length; i++) expect(q.at(i)).toBe(model[i]);
        }
      }),
      { numRuns: 200, seed: 42 },
    );
  });
  it('rejects an index outside the queue, naming the range', () => {
    const q = new Fifo<string>();
    q.push('a');
    expect(() => q.at(1)).toThrow(/\[0, 1\).*found 1/);
    expect(q.shift()).toBe('a');
    expect(q.shift()).toBeUndefined();
  });
});
