import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../../src/core/simulation.js';
import { DeadlineList } from '../../../src/platform/openfaas/deadline-list.js';

interface Item { id: number }

describe('DeadlineList', () => {
  it('an armed entry expires at exactly arming time + duration', () => {
    const sim = new Simulation();
    const fired: [number, number][] = [];
    const l = new DeadlineList<Item>(sim, 1000, (x) => fired.push([sim.now, x.id]));
    sim.schedule(7, () => { l.arm({ id: 1 }); }, undefined);
    sim.schedule(300, () => { l.arm({ id: 2 }); }, undefined);
    sim.run(500);
    expect(l.live).toBe(2);
    expect(l.nextDeadline).toBe(1007);
    sim.run();
    expect(fired).toEqual([[1007, 1], [1300, 2]]);
    expect(l.live).toBe(0);
    expect(l.nextDeadline).toBe(Infinity);
  });

  it('cancel marks the entry dead: it never fires; a second cancel or a cancel after expiry is false', () => {
    const sim = new Simulation();
    const fired: number[] = [];
    const l = new DeadlineList<Item>(sim, 100, (x) => fired.push(x.id));
    const t1 = l.arm({ id: 1 });
    const t2 = l.arm({ id: 2 });
    const t3 = l.arm({ id: 3 });
    expect(l.cancel(t2)).toBe(true);
    expect(l.cancel(t2)).toBe(false);
    expect(l.live).toBe(2);
    sim.run();
    expect(fired).toEqual([1, 3]);
    expect(l.cancel(t1)).toBe(false);
    expect(l.cancel(t3)).toBe(false);
    expect(l.cancel(12345)).toBe(false);
  });

  it('equal deadlines fire in arming order', () => {
    const sim = new Simulation();
    const fired: number[] = [];
    const l = new DeadlineList<Item>(sim, 50, (x) => fired.push(x.id));
    for (let i = 0; i < 5; i++) l.arm({ id: i });
    sim.run();
    expect(fired).toEqual([0, 1, 2, 3, 4]);
    expect(sim.now).toBe(50);
  });

  it('one kernel timer for many entries; cancelled heads are dropped and the timer re-arms for the next live one', () => {
    const sim = new Simulation();
    const fired: [number, number][] = [];
    const l = new DeadlineList<Item>(sim, 1000, (x) => fired.push([sim.now, x.id]));
    const tickets: number[] = [];
    for (let i = 0; i < 100; i++) sim.schedule(i, () => { tickets.push(l.arm({ id: i })); }, undefined);
    sim.run(200);
    expect(sim.pendingEvents).toBe(1); // one timer, not 100
    for (let i = 0; i < 99; i++) if (i !== 40) l.cancel(tickets[i]);
    expect(l.nextDeadline).toBe(1040);
    const before = sim.eventsProcessed;
    sim.run();
    expect(fired).toEqual([[1040, 40], [1099, 99]]);
    // timer at 1000 (head cancelled: re-arms), 1040 (fires 40), 1099 (fires 99)
    expect(sim.eventsProcessed - before).toBe(3);
  });

  it('an empty list schedules nothing; a list emptied by cancels leaves one no-op timer; arming afterwards works', () => {
    const sim = new Simulation();
    const fired: [number, number][] = [];
    const l = new DeadlineList<Item>(sim, 10, (x) => fired.push([sim.now, x.id]));
    expect(sim.pendingEvents).toBe(0);
    l.cancel(l.arm({ id: 1 }));
    expect(l.live).toBe(0);
    sim.run();
    expect(fired).toEqual([]);
    expect(sim.now).toBe(10);
    l.arm({ id: 2 });
    sim.run();
    expect(fired).toEqual([[20, 2]]);
  });

  it('entries armed by an expiry handler, even with duration 0, fire later and never in the same pass', () => {
    const sim = new Simulation();
    const fired: [number, number][] = [];
    let next = 10;
    const l: DeadlineList<Item> = new DeadlineList<Item>(sim, 0, (x) => {
      fired.push([sim.now, x.id]);
      if (x.id < 12) l.arm({ id: next++ + 1 });
    });
    let other = -1;
    sim.schedule(5, () => { l.arm({ id: 10 }); sim.schedule(0, () => { other = fired.length; }, undefined); }, undefined);
    sim.run();
    expect(fired).toEqual([[5, 10], [5, 11], [5, 12]]);
    // the event scheduled at 5 after the first arm ran after the first expiry, before the re-armed ones
    expect(other).toBe(1);
  });

  it('rounds a fractional duration as schedule() rounds a delay, and rejects bad durations clearly', () => {
    const sim = new Simulation();
    const fired: number[] = [];
    const l = new DeadlineList<Item>(sim, 2.6, () => fired.push(sim.now));
    expect(l.duration).toBe(3);
    l.arm({ id: 1 });
    sim.run();
    expect(fired).toEqual([3]);
    expect(() => new DeadlineList<Item>(sim, -1, () => {})).toThrow(/duration: expected a finite number of µs ≥ 0, found -1/);
    expect(() => new DeadlineList<Item>(sim, Infinity, () => {})).toThrow(/found Infinity/);
    expect(() => new DeadlineList<Item>(sim, NaN, () => {})).toThrow(/found NaN/);
  });

  it('grows past its initial capacity with cancels in the middle and keeps the order', () => {
    const sim = new Simulation();
    const fired: number[] = [];
    const l = new DeadlineList<Item>(sim, 1000, (x) => fired.push(x.id));
    const tickets: number[] = [];
    for (let i = 0; i < 200; i++) tickets.push(l.arm({ id: i }));
    for (let i = 0; i < 200; i += 3) l.cancel(tickets[i]);
    sim.run();
    expect(fired).toEqual(Array.from({ length: 200 }, (_, i) => i).filter((i) => i % 3 !== 0));
  });
});

describe('several lists', () => {
  it('lists of different durations expire entries due at the same µs in arming order, as kernel timers would', () => {
    const sim = new Simulation();
    const fired: string[] = [];
    const short = new DeadlineList<Item>(sim, 4, (x) => fired.push(`S${x.id}@${sim.now}`));
    const long = new DeadlineList<Item>(sim, 10, (x) => fired.push(`L${x.id}@${sim.now}`));
    long.arm({ id: 1 }); // due 10
    sim.schedule(6, () => { short.arm({ id: 2 }); long.arm({ id: 3 }); }, undefined); // due 10, 16
    sim.schedule(12, () => { short.arm({ id: 4 }); }, undefined); // due 16
    sim.run();
    expect(fired).toEqual(['L1@10', 'S2@10', 'L3@16', 'S4@16']);
  });
});

// ---- property: the lists behave as one kernel event per entry ------------------------------

type Op = { at: number; list: number; cancel: number | null; chain: boolean };

const program = fc.record({
  durations: fc.array(fc.constantFrom(0, 1, 3, 5, 10, 20), { minLength: 1, maxLength: 3 }),
  ops: fc.array(fc.record({
    at: fc.integer({ min: 0, max: 60 }),
    list: fc.nat(2),
    cancel: fc.option(fc.nat(40), { nil: null }),
    chain: fc.boolean(),
  }), { maxLength: 40 }),
});

/** Runs the ops: at each op time arm one entry (and maybe cancel an earlier one); an expiry of a chained entry arms another. */
function runProgram(durations: number[], ops: Op[], impl: 'lists' | 'kernel'): string[] {
  const sim = new Simulation();
  const log: string[] = [];
  const n = durations.length;
  const tickets: { list: number; t: number }[] = [];
  const chained = new Set<number>();
  let nextId = 0;
  const lists: DeadlineList<Item>[] = [];
  const expire = (k: number) => (x: Item): void => {
    log.push(`${sim.now}:${k}:${x.id}`);
    if (chained.has(x.id)) arm((k + 1) % n, false);
  };
  for (let k = 0; k < n; k++) lists.push(new DeadlineList<Item>(sim, durations[k], expire(k)));
  const arm = (k: number, chain: boolean): void => {
    const x = { id: nextId++ };
    if (chain && x.id < 60) chained.add(x.id);
    const t = impl === 'lists' ? lists[k].arm(x) : sim.schedule(durations[k], expire(k), x);
    tickets.push({ list: k, t });
  };
  for (const op of ops) {
    sim.scheduleAt(op.at, () => {
      if (op.cancel !== null && op.cancel < tickets.length) {
        const { list, t } = tickets[op.cancel];
        const ok = impl === 'lists' ? lists[list].cancel(t) : sim.cancel(t);
        log.push(`${sim.now}:cancel ${op.cancel} ${ok}`);
      }
      arm(op.list % n, op.chain);
    }, undefined);
  }
  sim.run();
  return log;
}

describe('DeadlineList property', () => {
  it('expiries (time, list, item, order) and cancel results equal those of one kernel timer per entry', () => {
    fc.assert(fc.property(program, ({ durations, ops }) => {
      expect(runProgram(durations, ops, 'lists')).toEqual(runProgram(durations, ops, 'kernel'));
    }), { numRuns: 300 });
  });
});
