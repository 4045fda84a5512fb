import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/core/simulation.js';
import { Interrupt } from '../../src/core/process.js';
import type { SimEvent } from '../../src/core/sim-event.js';

describe('processes', () => {
  it('yield a delay waits that many microseconds', () => {
    const sim = new Simulation();
    const at: number[] = [];
    sim.process(function* () {
      at.push(sim.now);
      yield 5;
      at.push(sim.now);
      yield 10;
      at.push(sim.now);
      yield 0;
      at.push(sim.now);
    });
    sim.run();
    expect(at).toEqual([0, 5, 15, 15]);
  });

  it('yield an event evaluates to its value when it succeeds', () => {
    const sim = new Simulation();
    const ev = sim.event<string>();
    let got: unknown;
    let at = -1;
    sim.process(function* () {
      got = yield ev;
      at = sim.now;
    });
    sim.schedule(42, () => ev.succeed('hello'), undefined);
    sim.run();
    expect(got).toBe('hello');
    expect(at).toBe(42);
  });

  it('an already-processed event continues the process at once', () => {
    const sim = new Simulation();
    const ev = sim.event<number>();
    ev.succeed(7);
    const got: unknown[] = [];
    sim.schedule(10, () => sim.process(function* () { got.push(yield ev, sim.now); }), undefined);
    sim.run();
    expect(got).toEqual([7, 10]);
  });

  it('allOf waits for every event and yields their values; anyOf for the first', () => {
    const sim = new Simulation();
    const log: unknown[] = [];
    sim.process(function* () {
      const all = yield sim.allOf([sim.timeout(3, 'a'), sim.timeout(7, 'b')]);
      log.push(['all', sim.now, all]);
      const any = yield sim.anyOf([sim.timeout(9, 'slow'), sim.timeout(2, 'fast')]);
      log.push(['any', sim.now, any]);
      const none = yield sim.allOf([]);
      log.push(['none', sim.now, none]);
    });
    sim.run();
    expect(log).toEqual([
      ['all', 7, ['a', 'b']],
      ['any', 9, { index: 1, value: 'fast' }],
      ['none', 9, []],
    ]);
    expect(sim.now).toBe(16); // the losing timeout still runs out
  });

  it('a process waits for another process and receives its return value', () => {
    const sim = new Simulation();
    const child = sim.process(function* () {
      yield 5;
      return 42;
    }, 'child');
    let got: unknown;
    let at = -1;
    sim.process(function* () {
      got = yield child;
      at = sim.now;
    });
    sim.run();
    expect(got).toBe(42);
    expect(at).toBe(5);
    expect(child.isAlive).toBe(false);
    expect(child.value).toBe(42);
  });

  it('an interrupt while waiting on a timeout throws Interrupt at the yield; the old timer no longer resumes it', () => {
    const sim = new Simulation();
    const log: unknown[] = [];
    const p = sim.process(function* () {
      try {
        yield 100;
        log.push(['woke', sim.now]);
      } catch (e) {
        log.push(['caught', sim.now, e instanceof Interrupt ? e.reason : e]);
      }
      yield 30;
      log.push(['after', sim.now]);
    });
    sim.schedule(10, () => p.interrupt('scale-down'), undefined);
    sim.run();
    expect(log).toEqual([['caught', 10, 'scale-down'], ['after', 40]]);
    expect(sim.now).toBe(40); // the cancelled timer at 100 did not run
  });

  it('an interrupt while waiting on an event: the event no longer resumes the process', () => {
    const sim = new Simulation();
    const ev = sim.event<string>();
    const log: unknown[] = [];
    const p = sim.process(function* () {
      try {
        yield ev;
      } catch (e) {
        log.push(['caught', sim.now, (e as Interrupt).name]);
      }
      const v = yield 50;
      log.push(['after', sim.now, v]);
    });
    sim.schedule(10, () => p.interrupt(), undefined);
    sim.schedule(20, () => ev.succeed('late'), undefined);
    sim.run();
    expect(log).toEqual([['caught', 10, 'Interrupt'], ['after', 60, undefined]]);
  });

  it('an interrupt in the same instant as the wake-up it replaces wins', () => {
    const sim = new Simulation();
    const ev = sim.event<string>();
    const log: unknown[] = [];
    const p = sim.process(function* () {
      try {
        log.push(yield ev);
      } catch (e) {
        log.push(e instanceof Interrupt ? 'interrupted' : 'other');
      }
    });
    sim.schedule(10, () => { ev.succeed('v'); p.interrupt(); }, undefined);
    sim.run();
    expect(log).toEqual(['interrupted']);
  });

  it('interrupting a finished process throws', () => {
    const sim = new Simulation();
    const p = sim.process(function* () { yield 1; });
    sim.run();
    expect(() => p.interrupt()).toThrow(/has finished/);
  });

  it('a failing event throws its error into the waiting process', () => {
    const sim = new Simulation();
    const ev = sim.event();
    const log: unknown[] = [];
    sim.process(function* () {
      try {
        yield ev;
      } catch (e) {
        log.push([sim.now, (e as Error).message]);
      }
    });
    sim.schedule(3, () => ev.fail(new Error('pull failed')), undefined);
    sim.run(); // handled: does not throw
    expect(log).toEqual([[3, 'pull failed']]);
  });

  it('a failing process throws into the process waiting for it', () => {
    const sim = new Simulation();
    const child = sim.process(function* () {
      yield 2;
      throw new Error('child crashed');
    });
    let caught = '';
    sim.process(function* () {
      try {
        yield child;
      } catch (e) {
        caught = (e as Error).message;
      }
    });
    sim.run();
    expect(caught).toBe('child crashed');
  });

  it('an unhandled failure propagates out of run()', () => {
    const sim = new Simulation();
    sim.process(function* () {
      yield 2;
      throw new Error('nobody handles this');
    });
    expect(() => sim.run()).toThrow('nobody handles this');
    expect(sim.now).toBe(2);
    const sim2 = new Simulation();
    const ev = sim2.event();
    sim2.schedule(1, () => ev.fail('plain reason'), undefined);
    expect(() => sim2.run()).toThrow('plain reason');
  });

  it('yielding a negative delay or a non-event throws into the process', () => {
    const sim = new Simulation();
    const errors: string[] = [];
    sim.process(function* () {
      try { yield -1; } catch (e) { errors.push((e as Error).name); }
      try { yield 'soon' as unknown as SimEvent<unknown>; } catch (e) { errors.push((e as Error).name); }
    });
    sim.run();
    expect(errors).toEqual(['RangeError', 'TypeError']);
  });
});
