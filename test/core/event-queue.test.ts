import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventQueue } from '../../src/core/event-queue.js';

type Cmd = { op: 'push'; time: number } | { op: 'cancel'; k: number } | { op: 'pop' } | { op: 'peek' } | { op: 'popUntil'; limit: number };

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('push' as const), time: fc.integer({ min: 0, max: 20 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('cancel' as const), k: fc.nat() }) },
  { weight: 3, arbitrary: fc.constant({ op: 'pop' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'peek' as const }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('popUntil' as const), limit: fc.integer({ min: -1, max: 21 }) }) },
);

/** Naive reference: a list of entries, the earliest live one by (time, insertion seq) pops first. */
interface Ref { time: number; seq: number; tag: number; live: boolean }

const noop = (): void => {};

describe('EventQueue against a naive sorted reference', () => {
  it('push/cancel/pop/popUntil/peek agree on order, results and pending count (also across slot reuse)', () => {
    fc.assert(
      fc.property(fc.array(cmdArb, { maxLength: 300 }), (cmds) => {
        const q = new EventQueue(16);
        const ref: Ref[] = [];
        const handles: number[] = [];
        for (const c of cmds) {
          if (c.op === 'push') {
            const tag = ref.length;
            handles.push(q.push(c.time, noop, tag));
            ref.push({ time: c.time, seq: tag, tag, live: true });
          } else if (c.op === 'cancel') {
            if (handles.length === 0) continue;
            const i = c.k % handles.length;
            // A handle of a fired or cancelled event must not cancel whatever reuses its slot.
            expect(q.cancel(handles[i])).toBe(ref[i].live);
            ref[i].live = false;
          } else {
            let best: Ref | undefined;
            for (const r of ref) if (r.live && (best === undefined || r.time < best.time || (r.time === best.time && r.seq < best.seq))) best = r;
            if (c.op === 'peek') {
              expect(q.peekTime()).toBe(best === undefined ? Infinity : best.time);
            } else if (c.op === 'popUntil') {
              const t = q.popUntil(c.limit);
              if (best === undefined || best.time > c.limit) expect(t).toBe(-1);
              else {
                expect(t).toBe(best.time);
                expect(q.poppedArg).toBe(best.tag);
                best.live = false;
              }
            } else {
              const t = q.pop();
              if (best === undefined) expect(t).toBe(-1);
              else {
                expect(t).toBe(best.time);
                expect(q.poppedArg).toBe(best.tag);
                best.live = false;
              }
            }
          }
          expect(q.pending).toBe(ref.filter((r) => r.live).length);
          for (let i = 0; i < handles.length; i++) expect(q.isPending(handles[i])).toBe(ref[i].live);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('compaction: mass cancellations drop dead entries, keep the (time, seq) order and stale handles inert', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 500 }), fc.boolean(), fc.boolean()), { minLength: 300, maxLength: 3000 }),
        (spec) => {
          const q = new EventQueue(16);
          const handles = spec.map(([t], i) => q.push(t, noop, i));
          let maxHeap = 0;
          spec.forEach(([, cancel], i) => {
            if (cancel) expect(q.cancel(handles[i])).toBe(true);
            maxHeap = Math.max(maxHeap, q.heapEntries);
          });
          const live = spec.map(([t, c], i) => [t, i, c] as const).filter(([, , c]) => !c);
          // never more than max(256, live) cancelled entries linger (after the last cancellation)
          expect(q.heapEntries - q.pending).toBeLessThanOrEqual(Math.max(256, q.pending) + 1);
          expect(q.pending).toBe(live.length);
          // stale handles of dropped entries cancel nothing, even after their slots are reused
          const extra = spec.filter(([, , again]) => again).map(([t], i) => q.push(t + 1, noop, -1 - i));
          spec.forEach(([, cancel], i) => { if (cancel) expect(q.cancel(handles[i])).toBe(false); });
          const expected = [...live.map(([t, i]) => [t, i] as const), ...extra.map((_, k) => [spec.filter(([, , a]) => a)[k][0] + 1, -1 - k] as const)];
          const seqOf = (tag: number): number => (tag >= 0 ? tag : spec.length - 1 - tag);
          expected.sort((a, b) => a[0] - b[0] || seqOf(a[1]) - seqOf(b[1]));
          for (const [t, tag] of expected) {
            expect(q.pop()).toBe(t);
            expect(q.poppedArg).toBe(tag);
          }
          expect(q.pop()).toBe(-1);
          expect(maxHeap).toBeGreaterThan(0);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('many events beyond the initial capacity pop sorted by (time, insertion order)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 3000 }), (times) => {
        const q = new EventQueue(16);
        times.forEach((t, i) => q.push(t, noop, i));
        const expected = times.map((t, i) => [t, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        for (const [t, i] of expected) {
          expect(q.pop()).toBe(t);
          expect(q.poppedArg).toBe(i);
        }
        expect(q.pop()).toBe(-1);
        expect(q.pending).toBe(0);
      }),
      { numRuns: 50 },
    );
  });

  it('a stale handle does not cancel the event that reuses its slot', () => {
    const q = new EventQueue(16);
    const a = q.push(5, noop, 'a');
    expect(q.pop()).toBe(5);
    const b = q.push(7, noop, 'b'); // reuses a's slot
    expect(b).not.toBe(a);
    expect(q.cancel(a)).toBe(false);
    expect(q.isPending(b)).toBe(true);
    const c = q.push(9, noop, 'c');
    expect(q.cancel(c)).toBe(true);
    expect(q.cancel(c)).toBe(false); // twice
    expect(q.peekTime()).toBe(7); // drops nothing live
    const d = q.push(8, noop, 'd'); // may reuse c's slot once the cancelled entry is dropped
    expect(q.cancel(c)).toBe(false);
    expect(q.pop()).toBe(7);
    expect(q.poppedArg).toBe('b');
    expect(q.pop()).toBe(8);
    expect(q.poppedArg).toBe('d');
    expect(q.isPending(d)).toBe(false);
    expect(q.pop()).toBe(-1);
    expect(q.pushed).toBe(4);
  });
});
