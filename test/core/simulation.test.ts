import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/core/simulation.js';

describe('Simulation event ordering', () => {
  it('events never go back in time and run in (time, scheduling order), with cancellations', () => {
    // Each event, when it runs, schedules the next few delays of the list and cancels some.
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 200 }),
        fc.array(fc.boolean(), { maxLength: 200 }),
        (delays, cancelFlags) => {
          const sim = new Simulation({ seed: 1 });
          const order: number[] = []; // our scheduling counter, in execution order
          const due = new Map<number, number>(); // counter -> absolute time scheduled for
          const handles: number[] = [];
          let next = 0;
          const schedule = (): void => {
            if (next >= delays.length) return;
            const k = next++;
            due.set(k, sim.now + delays[k]);
            handles[k] = sim.schedule(delays[k], run, k);
          };
          const run = (k: number): void => {
            expect(sim.now).toBe(due.get(k));
            order.push(k);
            schedule();
            schedule();
            if (cancelFlags[k] && k + 1 < next) {
              if (sim.cancel(handles[k + 1])) due.delete(k + 1);
            }
          };
          schedule();
          sim.run();
          const expected = [...due.entries()].sort((a, b) => a[1] - b[1] || a[0] - b[0]).map((e) => e[0]);
          expect(order).toEqual(expected);
          expect(sim.eventsProcessed).toBe(order.length);
          expect(sim.pendingEvents).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('ties run in insertion order', () => {
    const sim = new Simulation();
    const seen: string[] = [];
    for (const tag of ['a', 'b', 'c', 'd']) sim.schedule(10, (t: string) => seen.push(t), tag);
    sim.schedule(0, () => sim.schedule(10, (t: string) => seen.push(t), 'e'), undefined); // also due at 10, inserted later
    sim.scheduleAt(10, (t: string) => seen.push(t), 'f');
    sim.run();
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'f', 'e']);
    expect(sim.now).toBe(10);
  });

  it('fractional delays are rounded to integer microseconds', () => {
    const sim = new Simulation();
    const at: number[] = [];
    sim.schedule(2.6, () => at.push(sim.now), undefined);
    sim.schedule(2.4, () => at.push(sim.now), undefined);
    sim.run();
    expect(at).toEqual([2, 3]);
  });
});

describe('run, step, stop', () => {
  it('run(until) runs events up to and including until, then sets the clock to until', () => {
    const sim = new Simulation();
    const seen: number[] = [];
    for (const t of [10, 20, 25, 30]) sim.scheduleAt(t, (x: number) => seen.push(x), t);
    sim.run(25);
    expect(seen).toEqual([10, 20, 25]);
    expect(sim.now).toBe(25);
    sim.run(27);
    expect(sim.now).toBe(27);
    expect(sim.pendingEvents).toBe(1);
    sim.run(5); // never moves the clock back
    expect(sim.now).toBe(27);
    sim.run();
    expect(seen).toEqual([10, 20, 25, 30]);
    expect(sim.now).toBe(30);
  });

  it('run(until) on an empty queue advances the clock', () => {
    const sim = new Simulation();
    sim.run(1_000_000);
    expect(sim.now).toBe(1_000_000);
  });

  it('stop() ends run() after the current event; run() resumes', () => {
    const sim = new Simulation();
    const seen: number[] = [];
    for (let t = 1; t <= 5; t++) sim.scheduleAt(t, (x: number) => { seen.push(x); if (x === 3) sim.stop(); }, t);
    sim.run(100);
    expect(seen).toEqual([1, 2, 3]);
    expect(sim.now).toBe(3); // not advanced to `until` when stopped
    expect(sim.pendingEvents).toBe(2);
    sim.run();
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it('step() runs one event; false when none is left', () => {
    const sim = new Simulation();
    sim.schedule(4, () => {}, undefined);
    expect(sim.peek()).toBe(4);
    expect(sim.step()).toBe(true);
    expect(sim.now).toBe(4);
    expect(sim.step()).toBe(false);
    expect(sim.peek()).toBe(Infinity);
    expect(sim.eventsProcessed).toBe(1);
  });

  it('an exception in an event propagates out of run() and the events so far are counted', () => {
    const sim = new Simulation();
    sim.schedule(1, () => {}, undefined);
    sim.schedule(2, () => { throw new Error('boom'); }, undefined);
    sim.schedule(3, () => {}, undefined);
    expect(() => sim.run()).toThrow('boom');
    expect(sim.now).toBe(2);
    expect(sim.eventsProcessed).toBe(2);
    sim.run();
    expect(sim.eventsProcessed).toBe(3);
  });
});

describe('every', () => {
  it('calls fn every interval, first after firstDelay, until stopped', () => {
    const sim = new Simulation();
    const ticks: number[] = [];
    const stop = sim.every(10, (now) => ticks.push(now));
    sim.run(35);
    expect(ticks).toEqual([10, 20, 30]);
    stop();
    sim.run(100);
    expect(ticks).toEqual([10, 20, 30]);
    expect(sim.pendingEvents).toBe(0);
  });
  it('firstDelay 0 and stopping from inside fn', () => {
    const sim = new Simulation();
    const ticks: number[] = [];
    const stop = sim.every(7, (now) => { ticks.push(now); if (ticks.length === 3) stop(); }, 0);
    sim.run(1000);
    expect(ticks).toEqual([0, 7, 14]);
    expect(sim.pendingEvents).toBe(0);
  });
  it('rejects a non-positive interval', () => {
    const sim = new Simulation();
    expect(() => sim.every(0, () => {})).toThrow(RangeError);
    expect(() => sim.every(-5, () => {})).toThrow(/interval must be positive, found -5/);
  });
});

describe('bad times are rejected', () => {
  it('negative or NaN delays, times in the past', () => {
    const sim = new Simulation();
    expect(() => sim.schedule(-1, () => {}, undefined)).toThrow(RangeError);
    expect(() => sim.schedule(-1, () => {}, undefined)).toThrow(/non-negative.*found -1/);
    expect(() => sim.schedule(NaN, () => {}, undefined)).toThrow(RangeError);
    sim.run(100);
    expect(() => sim.scheduleAt(99, () => {}, undefined)).toThrow(/before now \(100\)/);
    expect(sim.pendingEvents).toBe(0);
  });
});

// Kernel defects found while writing these tests. They FAIL against src/core/simulation.ts
// at commit bbe8f58; the fix is described in the test names and in the report (issue 2).
describe('kernel defects (fail until src/core/simulation.ts is fixed)', () => {
  it('run(until) with a fractional until must leave the clock on an integer microsecond', () => {
    // Today run(2.5) sets now = 2.5, and every later schedule() lands on x.5 µs (DESIGN rule 1).
    // Fix: in run(), use `const limit = until === Infinity ? Infinity : Math.floor(until)` for
    // both the loop test and the final clock assignment (and reject NaN with a RangeError).
    const sim = new Simulation();
    sim.scheduleAt(3, () => {}, undefined);
    sim.run(2.5);
    expect(Number.isInteger(sim.now)).toBe(true);
    expect(sim.now).toBe(2);
    let at = -1;
    sim.schedule(1, () => { at = sim.now; }, undefined);
    sim.run();
    expect(Number.isInteger(at)).toBe(true);
  });

  it('an infinite delay must not run an event at time Infinity', () => {
    // Today schedule(Infinity) is accepted (Infinity >= 0) and run() executes it, setting
    // now = Infinity; `yield Infinity` in a process does the same. Fix: schedule()/scheduleAt()
    // throw RangeError for a non-finite delay/time (test `Number.isFinite(delay) && delay >= 0`),
    // and Process.advance treats `yield Infinity` as "wait until interrupted" (no timer).
    const sim = new Simulation();
    expect(() => sim.schedule(Infinity, () => {}, undefined)).toThrow(RangeError);
    const sim2 = new Simulation();
    sim2.scheduleAt(7, () => {}, undefined);
    sim2.process(function* () { yield Infinity; });
    sim2.run();
    expect(sim2.now).toBe(7);
  });
});

describe('ordering tokens (reserveOrder / scheduleAtOrder)', () => {
  it('an event scheduled later with an earlier token runs where one scheduled at token time would', () => {
    const sim = new Simulation({ seed: 1 });
    const log: string[] = [];
    const token = sim.reserveOrder(); // as if scheduled now
    sim.schedule(10, (x: string) => log.push(x), 'later-scheduled');
    sim.schedule(5, () => sim.scheduleAtOrder(10, token, (x: string) => log.push(x), 'token'), undefined);
    sim.run();
    expect(log).toEqual(['token', 'later-scheduled']);
  });

  it('rejects times in the past or off the µs grid', () => {
    const sim = new Simulation({ seed: 1 });
    sim.schedule(5, () => undefined, undefined);
    sim.run();
    expect(() => sim.scheduleAtOrder(4, sim.reserveOrder(), () => undefined, undefined)).toThrow(/not before now \(5\)/);
    expect(() => sim.scheduleAtOrder(6.5, sim.reserveOrder(), () => undefined, undefined)).toThrow(/integer µs/);
  });
});
