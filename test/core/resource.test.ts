import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/core/simulation.js';
import { Resource, Store, type Request } from '../../src/core/resource.js';

describe('Resource', () => {
  it('capacity is respected at all times, a free unit never leaves a request waiting, and everyone is served or withdraws', () => {
    const customer = fc.record({
      arrive: fc.integer({ min: 0, max: 50 }),
      hold: fc.integer({ min: 0, max: 20 }),
      priority: fc.integer({ min: 0, max: 2 }),
      patience: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(customer, { minLength: 1, maxLength: 40 }), (capacity, customers) => {
        const sim = new Simulation();
        const res = new Resource(sim, capacity, 'r');
        let active = 0;
        let served = 0;
        let withdrew = 0;
        const check = (): void => {
          expect(res.count).toBeLessThanOrEqual(capacity);
          expect(active).toBeLessThanOrEqual(capacity);
          if (res.queueLength > 0) expect(res.count).toBe(capacity); // work-conserving
        };
        for (const c of customers) {
          sim.schedule(c.arrive, () => {
            sim.process(function* () {
              const req = res.request(c.priority);
              check();
              if (c.patience === undefined) {
                yield req;
              } else {
                const first = (yield sim.anyOf([req, sim.timeout(c.patience)])) as { index: number };
                if (first.index !== 0) {
                  req.release(); // withdraw (or give back a unit granted in this same instant)
                  withdrew++;
                  check();
                  return;
                }
              }
              active++;
              check();
              yield c.hold;
              active--;
              req.release();
              served++;
              check();
            });
          }, undefined);
        }
        sim.run();
        expect(served + withdrew).toBe(customers.length);
        expect(res.count).toBe(0);
        expect(res.queueLength).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('equal priorities are served first-come first-served', () => {
    const sim = new Simulation();
    const res = new Resource(sim, 1);
    const order: number[] = [];
    for (let i = 0; i < 6; i++) {
      sim.schedule(i, () => sim.process(function* () {
        const req = res.request();
        yield req;
        order.push(i);
        yield 10;
        req.release();
      }), undefined);
    }
    sim.run();
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('lower priority values are served first, ties first-come first-served', () => {
    const sim = new Simulation();
    const res = new Resource(sim, 1);
    const holder = res.request();
    expect(holder.granted).toBe(true);
    const order: string[] = [];
    const reqs: [string, number][] = [['a', 2], ['b', 1], ['c', 2], ['d', 0], ['e', 1]];
    for (const [name, prio] of reqs) {
      const r = res.request(prio);
      r.addCallback(() => {
        order.push(name);
        sim.schedule(1, () => r.release(), undefined);
      });
    }
    expect(res.queueLength).toBe(5);
    sim.schedule(5, () => holder.release(), undefined);
    sim.run();
    expect(order).toEqual(['d', 'b', 'e', 'a', 'c']);
  });

  it('a queued request can be withdrawn and is never granted', () => {
    const sim = new Simulation();
    const res = new Resource(sim, 1);
    const holder = res.request();
    const a = res.request();
    const b = res.request();
    const c = res.request();
    b.release(); // withdraw
    expect(res.queueLength).toBe(2);
    const granted: Request[] = [];
    for (const r of [a, b, c]) r.addCallback((ev) => { granted.push(ev as Request); (ev as Request).release(); });
    holder.release();
    sim.run();
    expect(granted).toEqual([a, c]);
    expect(b.triggered).toBe(false);
    expect(res.count).toBe(0);
    b.release(); // withdrawing twice is harmless
    expect(res.count).toBe(0);
  });

  it('releasing a granted request twice frees one unit only', () => {
    const sim = new Simulation();
    const res = new Resource(sim, 2);
    const a = res.request();
    res.request();
    a.release();
    a.release();
    expect(res.count).toBe(1);
  });

  it('rejects a bad capacity', () => {
    const sim = new Simulation();
    expect(() => new Resource(sim, 0, 'gpus')).toThrow('resource gpus: capacity must be a positive integer, found 0');
    expect(() => new Resource(sim, 1.5)).toThrow(RangeError);
  });
});

describe('Store', () => {
  it('is first-in first-out', () => {
    const sim = new Simulation();
    const store = new Store<string>(sim);
    for (const x of ['a', 'b', 'c']) store.put(x);
    expect(store.size).toBe(3);
    const got: string[] = [];
    sim.process(function* () {
      for (let i = 0; i < 3; i++) got.push((yield store.get()) as string);
    });
    sim.run();
    expect(got).toEqual(['a', 'b', 'c']);
    expect(store.size).toBe(0);
  });

  it('get blocks until an item is put; waiting getters are served in order', () => {
    const sim = new Simulation();
    const store = new Store<number>(sim);
    const got: [string, number, number][] = [];
    for (const name of ['g1', 'g2']) {
      sim.process(function* () {
        const item = (yield store.get()) as number;
        got.push([name, item, sim.now]);
      });
    }
    sim.schedule(5, () => store.put(100), undefined);
    sim.schedule(9, () => store.put(200), undefined);
    sim.run();
    expect(got).toEqual([['g1', 100, 5], ['g2', 200, 9]]);
  });

  it('a bounded store blocks put until there is room, and keeps order', () => {
    const sim = new Simulation();
    const store = new Store<number>(sim, 2, 'queue');
    const putDone: [number, number][] = [];
    sim.process(function* () {
      for (let i = 1; i <= 4; i++) {
        yield store.put(i);
        putDone.push([i, sim.now]);
      }
    });
    const got: number[] = [];
    sim.schedule(10, () => sim.process(function* () {
      for (let i = 0; i < 4; i++) {
        got.push((yield store.get()) as number);
        yield 5;
      }
    }), undefined);
    sim.run();
    expect(putDone).toEqual([[1, 0], [2, 0], [3, 10], [4, 15]]);
    expect(got).toEqual([1, 2, 3, 4]);
    expect(store.size).toBe(0);
  });

  it('rejects a bad capacity', () => {
    expect(() => new Store(new Simulation(), 0, 'q')).toThrow('store q: capacity must be at least 1, found 0');
  });

  it('keeps FIFO order across internal compaction (thousands of items)', () => {
    const sim = new Simulation();
    const store = new Store<number>(sim);
    const got: number[] = [];
    let n = 0;
    sim.process(function* () {
      for (let round = 0; round < 5; round++) {
        for (let i = 0; i < 1500; i++) store.put(n++);
        for (let i = 0; i < 1400; i++) got.push((yield store.get()) as number);
      }
    });
    sim.run();
    expect(got).toEqual(Array.from({ length: 7000 }, (_, i) => i));
    expect(store.size).toBe(500);
  });
});
