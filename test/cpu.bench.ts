/**
 * CPU-model benchmark (issue 3): one 32-core node with 64 containers under churn — requests
 * arrive (Poisson per container), run multithreaded jobs and leave; a third of the containers
 * have tight CFS quotas and are throttled. Prints CPU-model events/s, the wall cost of one rate
 * recomputation, and checks that an idle simulated hour costs zero events. Each line carries the
 * 1-minute load average at its start (the machine is shared; see docs/performance.md).
 */
import { loadavg } from 'node:os';
import { bench, describe, afterAll, expect } from 'vitest';
import { Simulation } from '../src/core/simulation.js';
import { HOUR, SECOND } from '../src/core/time.js';
import { NodeCpu, type CpuGroup } from '../src/cluster/cpu/node-cpu.js';

const lines: string[] = [];
// the idle-hour case is timed by the bench runner thousands of times: summarise it in one line
let idleRuns = 0;
let idleEvents = 0;

function churn(simSeconds: number): { events: number; recomputes: number; wall: number; jobs: number; throttled: number } {
  const sim = new Simulation({ seed: 3 });
  const cpu = new NodeCpu(sim, { cores: 32 });
  const rnd = sim.random.stream('bench');
  const groups: CpuGroup[] = [];
  for (let i = 0; i < 64; i++) {
    const limited = i % 3 === 0;
    groups.push(cpu.addGroup({ name: `c${i}`, weight: 10 + rnd.int(200), quotaUs: limited ? 20_000 + rnd.int(80_000) : undefined, threads: 1 + rnd.int(8) }));
  }
  let jobs = 0;
  const arrive = (g: CpuGroup): void => {
    jobs++;
    g.submit(rnd.exponential(40_000), { threads: 1 + rnd.int(4) });
    sim.schedule(Math.round(rnd.exponential(150_000)), arrive, g);
  };
  for (const g of groups) sim.schedule(Math.round(rnd.exponential(150_000)), arrive, g);
  const t0 = performance.now();
  sim.run(simSeconds * SECOND);
  const wall = (performance.now() - t0) / 1000;
  const throttled = groups.reduce((s, g) => s + g.stats().nrThrottled, 0);
  return { events: cpu.events, recomputes: cpu.recomputes, wall, jobs, throttled };
}

describe('CPU model: 64 containers on a 32-core node under churn', () => {
  bench('churn, 60 simulated s', () => {
    const load = loadavg()[0];
    const r = churn(60);
    lines.push(
      `churn: ${r.jobs} jobs, ${r.events} CPU timer events, ${r.recomputes} rate recomputations, ${r.throttled} throttled periods in ${r.wall.toFixed(3)} s wall → ` +
        `${(r.events / r.wall).toFixed(0)} CPU events/s, ${((r.wall * 1e6) / r.recomputes).toFixed(2)} µs per recomputation (incl. event handling) `
        + `(load average ${load.toFixed(2)})`,
    );
  }, { iterations: 3, warmupIterations: 1 });

  bench('one rate recomputation, 64 runnable containers', () => {
    const sim = new Simulation();
    const cpu = new NodeCpu(sim, { cores: 32 });
    const gs: CpuGroup[] = [];
    for (let i = 0; i < 64; i++) {
      const g = cpu.addGroup({ name: `c${i}`, weight: 10 + i, quotaUs: i % 3 === 0 ? 100_000 : undefined });
      g.submit(1e12, { threads: 1 + (i % 8) });
      gs.push(g);
    }
    const n = 20_000;
    const load = loadavg()[0];
    const t0 = performance.now();
    for (let k = 0; k < n; k++) gs[k & 63].setWeight(10 + (k % 97)); // each call: advance + water-fill + reschedule
    const us = ((performance.now() - t0) * 1000) / n;
    lines.push(`one rate recomputation (64 runnable containers, 128 jobs): ${us.toFixed(2)} µs (load average ${load.toFixed(2)})`);
  }, { iterations: 3, warmupIterations: 1 });

  bench('idle hour', () => {
    const sim = new Simulation();
    const cpu = new NodeCpu(sim, { cores: 32 });
    for (let i = 0; i < 64; i++) cpu.addGroup({ name: `c${i}`, quotaUs: 50_000 });
    sim.run(HOUR);
    expect(sim.eventsProcessed).toBe(0);
    expect(cpu.events).toBe(0);
    idleRuns++;
    idleEvents += sim.eventsProcessed;
  }, { iterations: 3, warmupIterations: 0 });
});

afterAll(() => {
  lines.push(`idle simulated hour, 64 containers: ${idleEvents} events in ${idleRuns} runs`);
  console.log(['', 'CPU model benchmark:', ...lines].join('\n'));
});
