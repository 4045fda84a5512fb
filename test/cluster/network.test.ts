import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/core/simulation.js';
import {
  LINUX_INITIAL_WINDOW_BYTES, Network, maxMinFairRates, tcpRequestSeconds, tcpTransferSeconds,
} from '../../src/cluster/network.js';
import { ObjectStore } from '../../src/cluster/object-store.js';

describe('tcpTransferSeconds (pure)', () => {
  test('no RTT: size / capacity', () => {
    expect(tcpTransferSeconds(1e6, 0, 1e6, 1e5)).toBe(1);
  });

  test('hand-computed slow start then window bound', () => {
    // IW 10 kB, W 40 kB, RTT 0.1 s, capacity 1 MB/s (never binds: 40 kB / 0.1 s = 400 kB/s)
    // rounds: 10 kB, 20 kB (0.2 s, 30 kB sent), then 400 kB/s for the remaining 970 kB
    const t = tcpTransferSeconds(1e6, 0.1, 1e6, 40e3, 10e3);
    expect(t).toBeCloseTo(0.2 + 970e3 / 400e3, 12);
  });

  test('hand-computed: ends inside slow start', () => {
    // 25 kB: round 0 sends 10 kB (0.1 s), round 1 sends the remaining 15 kB at 20 kB/0.1 s
    expect(tcpTransferSeconds(25e3, 0.1, 1e9, 1e9, 10e3)).toBeCloseTo(0.1 + 15e3 / 200e3, 12);
  });

  test('capacity-bound: large window, the time approaches size / C plus the slow-start cost', () => {
    const t = tcpTransferSeconds(100e6, 0.001, 50e6, 10e6, LINUX_INITIAL_WINDOW_BYTES);
    expect(t).toBeGreaterThan(2);
    expect(t).toBeLessThan(2 + 0.005);
  });

  test('request = (setup + 1) RTTs + transfer + overhead', () => {
    const p = { bytes: 1e6, rtt: 0.05, capacity: 1e7, window: 1e6, setupRtts: 2, serverOverhead: 0.01 };
    expect(tcpRequestSeconds(p)).toBeCloseTo(3 * 0.05 + tcpTransferSeconds(1e6, 0.05, 1e7, 1e6) + 0.01, 12);
  });

  test('bad input names what was expected', () => {
    expect(() => tcpTransferSeconds(-1, 0.1, 1, 1)).toThrow(/expected bytes ≥ 0/);
  });

  test('property: monotone in size and RTT, never faster than capacity or window allows', () => {
    fc.assert(fc.property(
      fc.double({ min: 1, max: 1e9, noNaN: true }), fc.double({ min: 1, max: 1e9, noNaN: true }),
      fc.double({ min: 1e-5, max: 1, noNaN: true }), fc.double({ min: 1e-5, max: 1, noNaN: true }),
      fc.double({ min: 1e4, max: 1e10, noNaN: true }), fc.double({ min: 1e4, max: 1e8, noNaN: true }),
      (b1, b2, r1, r2, cap, win) => {
        const [bs, bl] = b1 <= b2 ? [b1, b2] : [b2, b1];
        const [rs, rl] = r1 <= r2 ? [r1, r2] : [r2, r1];
        const t = tcpTransferSeconds(bs, rs, cap, win);
        expect(tcpTransferSeconds(bl, rs, cap, win)).toBeGreaterThanOrEqual(t * (1 - 1e-12));
        expect(tcpTransferSeconds(bs, rl, cap, win)).toBeGreaterThanOrEqual(t * (1 - 1e-12));
        expect(t).toBeGreaterThanOrEqual((bs / cap) * (1 - 1e-12));
        expect(t).toBeGreaterThanOrEqual((bs * rs / Math.max(win, LINUX_INITIAL_WINDOW_BYTES)) * (1 - 1e-12) - rs);
      },
    ), { numRuns: 300 });
  });
});

describe('maxMinFairRates (pure)', () => {
  test('equal split on one link', () => {
    expect(Array.from(maxMinFairRates([[0], [0], [0]], [Infinity, Infinity, Infinity], [90]))).toEqual([30, 30, 30]);
  });

  test('a capped flow leaves its unused share to the others', () => {
    const r = maxMinFairRates([[0], [0], [0]], [10, Infinity, Infinity], [90]);
    expect(Array.from(r)).toEqual([10, 40, 40]);
  });

  test('classic two-link example: the long flow gets the bottleneck share', () => {
    // links A (cap 10) and B (cap 4); flow0 on A+B, flow1 on A, flow2 on B
    const r = maxMinFairRates([[0, 1], [0], [1]], [Infinity, Infinity, Infinity], [10, 4]);
    expect(r[0]).toBeCloseTo(2, 12);
    expect(r[2]).toBeCloseTo(2, 12);
    expect(r[1]).toBeCloseTo(8, 12);
  });

  test('property: conservation (no link over capacity) and max-min (each flow capped or on a saturated link)', () => {
    fc.assert(fc.property(
      fc.array(fc.double({ min: 1, max: 1000, noNaN: true }), { minLength: 1, maxLength: 5 }).chain((caps) => fc.tuple(
        fc.constant(caps),
        fc.array(fc.tuple(
          fc.uniqueArray(fc.integer({ min: 0, max: caps.length - 1 }), { minLength: 1, maxLength: caps.length }),
          fc.oneof(fc.constant(Infinity), fc.double({ min: 0.1, max: 500, noNaN: true })),
        ), { minLength: 1, maxLength: 12 }),
      )),
      ([capacities, flows]) => {
        const rates = maxMinFairRates(flows.map((f) => f[0]), flows.map((f) => f[1]), capacities);
        const load = new Array<number>(capacities.length).fill(0);
        flows.forEach((f, i) => f[0].forEach((l) => { load[l] += rates[i]; }));
        load.forEach((x, l) => expect(x).toBeLessThanOrEqual(capacities[l] * (1 + 1e-9)));
        flows.forEach((f, i) => {
          expect(rates[i]).toBeLessThanOrEqual(f[1] * (1 + 1e-9));
          const atCap = rates[i] >= f[1] * (1 - 1e-9);
          const saturated = f[0].some((l) => load[l] >= capacities[l] * (1 - 1e-9));
          expect(atCap || saturated).toBe(true);
        });
      },
    ), { numRuns: 300 });
  });
});

describe('Network (event-driven)', () => {
  test('a lone TCP flow finishes when the closed form says', () => {
    const sim = new Simulation({ seed: 1 });
    const net = new Network(sim);
    const l = net.addLink({ name: 'l', capacity: 50e6, rtt: 20_000, addedDelay: 30_000 });
    expect(net.rtt([l])).toBe(50_000);
    let end = -1;
    net.startFlow([l], 80e6, { tcp: { window: 1e6 } }, () => { end = sim.now; });
    sim.run();
    expect(end / 1e6).toBeCloseTo(tcpTransferSeconds(80e6, 0.05, 50e6, 1e6), 5);
  });

  test('two plain flows share a link: the short one finishes at 2x its alone time, then the long one speeds up', () => {
    const sim = new Simulation({ seed: 1 });
    const net = new Network(sim);
    const l = net.addLink({ name: 'l', capacity: 100e6 });
    const ends: number[] = [];
    net.startFlow([l], 100e6, {}, () => ends.push(sim.now));
    net.startFlow([l], 300e6, {}, () => ends.push(sim.now));
    sim.run();
    // 100 MB at 50 MB/s = 2 s; then 200 MB left at 100 MB/s = 2 s more
    expect(ends).toEqual([2_000_000, 4_000_000]);
  });

  test('request adds setup RTTs, one RTT for the response and the server overhead', () => {
    const sim = new Simulation({ seed: 1 });
    const net = new Network(sim);
    const l = net.addLink({ name: 'l', capacity: 10e6, rtt: 10_000 });
    let got = -1;
    net.request({ route: [l], bytes: 1e6, tcp: { window: 64e3 }, setupRtts: 2, serverOverhead: 3_000 }, (t) => { got = t.end - t.start; });
    sim.run();
    const expected = tcpRequestSeconds({ bytes: 1e6, rtt: 0.01, capacity: 10e6, window: 64e3, setupRtts: 2, serverOverhead: 0.003 });
    expect(got / 1e6).toBeCloseTo(expected, 5);
  });

  test('property: random concurrent flows never exceed link capacity and all bytes are delivered', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(
        fc.integer({ min: 0, max: 2_000_000 }), // start µs
        fc.double({ min: 1e3, max: 5e7, noNaN: true }), // bytes
        fc.subarray([0, 1, 2], { minLength: 1 }),
        fc.boolean(),
      ), { minLength: 1, maxLength: 15 }),
      (flows) => {
        const sim = new Simulation({ seed: 1 });
        const net = new Network(sim);
        const caps = [30e6, 80e6, 10e6];
        caps.forEach((c, i) => net.addLink({ name: `l${i}`, capacity: c, rtt: 1000 * (i + 1) }));
        let done = 0;
        let maxOver = 0;
        const check = (): void => {
          const loads = net.linkLoads();
          loads.forEach((x, i) => { maxOver = Math.max(maxOver, x / caps[i] - 1); });
        };
        for (const [start, bytes, route, tcp] of flows) {
          sim.scheduleAt(start, () => {
            net.startFlow(route, bytes, tcp ? { tcp: { window: 256e3 } } : {}, () => { done++; check(); });
            check();
          }, undefined);
        }
        sim.run();
        expect(done).toBe(flows.length);
        expect(maxOver).toBeLessThanOrEqual(1e-9);
        expect(net.activeFlows).toBe(0);
        // total time is at least the bottleneck-bound time of all bytes on each link
        for (let l = 0; l < 3; l++) {
          const bytesOn = flows.filter((f) => f[2].includes(l)).reduce((s, f) => s + f[1], 0);
          expect(sim.now).toBeGreaterThanOrEqual(Math.floor((bytesOn / caps[l]) * 1e6) - 1);
        }
      },
    ), { numRuns: 60 });
  });

  test('an idle network schedules nothing', () => {
    const sim = new Simulation({ seed: 1 });
    const net = new Network(sim);
    net.addLink({ name: 'l', capacity: 1e6 });
    expect(sim.pendingEvents).toBe(0);
  });

  test('bad link input names the field', () => {
    const net = new Network(new Simulation());
    expect(() => net.addLink({ name: 'x', capacity: 0 })).toThrow(/link "x": capacity: expected a positive number/);
  });
});

describe('ObjectStore', () => {
  test('put then get round-trips; missing key fails with no-such-key', () => {
    const sim = new Simulation({ seed: 1 });
    const net = new Network(sim);
    const l = net.addLink({ name: 'l', capacity: 100e6, rtt: 1000 });
    const store = new ObjectStore(sim, net, { name: 's', requestOverhead: 2000, diskWriteBandwidth: 20e6, diskReadBandwidth: 200e6, window: 4e6 });
    const out: string[] = [];
    store.put({ route: [l] }, 'a', 10e6, (r) => {
      out.push(`put ${r.ok}`);
      // the disk (20 MB/s) is the bottleneck: at least 0.5 s
      expect(r.duration).toBeGreaterThanOrEqual(500_000);
      store.get({ route: [l] }, 'a', (g) => { out.push(`get ${g.ok} ${g.bytes}`); });
      store.get({ route: [l] }, 'b', (g) => { out.push(`get ${g.ok} ${g.error}`); });
    });
    sim.run();
    expect(out).toEqual(['put true', 'get false no-such-key', 'get true 10000000']);
    expect(store.sizeOf('a')).toBe(10e6);
  });

  test('name lookup adds one RTT and fails when the RTT exceeds the resolver timeout', () => {
    const sim = new Simulation({ seed: 1 });
    const net = new Network(sim);
    const l = net.addLink({ name: 'l', capacity: 100e6, rtt: 1000, addedDelay: 400_000 });
    const store = new ObjectStore(sim, net, { name: 's', requestOverhead: 0, diskWriteBandwidth: 1e9, diskReadBandwidth: 1e9, window: 4e6, resolverTimeout: 300_000 });
    const res: string[] = [];
    store.put({ route: [l], resolveName: true }, 'x', 1000, (r) => res.push(`${r.ok} ${r.error ?? ''}`));
    store.put({ route: [l], resolveName: false }, 'y', 1000, (r) => res.push(`${r.ok} ${r.error ?? ''}`));
    sim.run();
    expect(res).toEqual(['false dns-timeout', 'true ']);
  });
});

describe('closed-form request model', () => {
  const params = fc.record({
    bytes: fc.double({ min: 0, max: 5e7, noNaN: true }),
    capacity: fc.double({ min: 1e5, max: 2e9, noNaN: true }),
    rtt: fc.integer({ min: 0, max: 50_000 }),
    window: fc.double({ min: 2e3, max: 8e6, noNaN: true }),
    setupRtts: fc.integer({ min: 0, max: 3 }),
    overhead: fc.integer({ min: 0, max: 10_000 }),
  });

  function timeRequest(model: 'fluid' | 'closed-form', p: { bytes: number; capacity: number; rtt: number; window: number; setupRtts: number; overhead: number }): { end: number; dataEnd: number; dataStart: number } {
    const sim = new Simulation({ seed: 1 });
    const net = new Network(sim);
    net.setModel(model);
    const l = net.addLink({ name: 'l', capacity: p.capacity, rtt: p.rtt });
    let got = { end: -1, dataEnd: -1, dataStart: -1 };
    net.request({ route: [l], bytes: p.bytes, tcp: { window: p.window }, setupRtts: p.setupRtts, serverOverhead: p.overhead }, (t) => {
      expect(sim.now).toBe(t.end);
      got = { end: t.end, dataEnd: t.dataEnd, dataStart: t.dataStart };
    });
    sim.run();
    return got;
  }

  test('property: a lone request takes what the fluid model gives it (within 1 µs per slow-start round + 2 µs)', () => {
    fc.assert(fc.property(params, (p) => {
      const a = timeRequest('fluid', p);
      const b = timeRequest('closed-form', p);
      expect(b.dataStart).toBe(a.dataStart);
      const rounds = p.rtt > 0 ? Math.ceil(Math.log2(Math.max(2, p.window / LINUX_INITIAL_WINDOW_BYTES))) : 0;
      expect(Math.abs(b.end - a.end)).toBeLessThanOrEqual(rounds + 2);
      expect(b.end - b.dataEnd).toBe(p.rtt + p.overhead);
    }), { numRuns: 200 });
  });

  test('concurrent requests do not share bandwidth (each takes its lone time), and cost one event each', () => {
    const sim = new Simulation({ seed: 1 });
    const net = new Network(sim);
    net.setModel('closed-form');
    const l = net.addLink({ name: 'l', capacity: 10e6, rtt: 1_000 });
    const ends: number[] = [];
    for (let i = 0; i < 5; i++) net.request({ route: [l], bytes: 1e6, tcp: { window: 1e6 } }, (t) => ends.push(t.end - t.start));
    sim.run();
    const lone = tcpRequestSeconds({ bytes: 1e6, rtt: 0.001, capacity: 10e6, window: 1e6, setupRtts: 1 });
    expect(ends).toHaveLength(5);
    for (const e of ends) expect(Math.abs(e / 1e6 - lone)).toBeLessThan(2e-6);
    expect(sim.eventsProcessed).toBe(5);
    expect(net.stats.flowsStarted).toBe(5);
    expect(net.stats.flowsFinished).toBe(5);
    expect(net.activeFlows).toBe(0);
  });

  test('rate cap binds in the closed form', () => {
    const p = { bytes: 1e6, capacity: 1e9, rtt: 0, window: 1e6, setupRtts: 0, overhead: 0 };
    const sim = new Simulation({ seed: 1 });
    const net = new Network(sim);
    net.setModel('closed-form');
    const l = net.addLink({ name: 'l', capacity: p.capacity });
    let end = -1;
    net.request({ route: [l], bytes: p.bytes, tcp: { window: p.window }, setupRtts: 0, rateCap: 1e6 }, (t) => { end = t.end; });
    sim.run();
    expect(end).toBe(1_000_000);
  });

  test('bad model names and switching with active flows are refused', () => {
    const sim = new Simulation({ seed: 1 });
    const net = new Network(sim);
    expect(() => net.setModel('sharing' as 'fluid')).toThrow(/expected 'fluid' or 'closed-form', found 'sharing'/);
    const l = net.addLink({ name: 'l', capacity: 1e6 });
    net.startFlow([l], 1e6, {}, () => undefined);
    expect(() => net.setModel('closed-form')).toThrow(/while 1 flow\(s\) are active/);
    expect(net.model).toBe('fluid');
  });
});
