/**
 * Knative data-path throughput (issue 4 benchmark): 100 Knative services on 20 nodes (32 cores
 * each) for one simulated hour of Poisson traffic (10 req/s per service, 20 ms of single-thread
 * CPU work per request, CC 10, CPU request 0.5 / limit 2, default KPA). Every request runs the full
 * path: activator or direct routing, queue-proxy breaker and stats, a CPU job on the node's fluid
 * CFS model; every service has its 1 s scrape and 2 s KPA tick. Prints simulated requests per
 * wall second (target ≥ 300,000 on a 2-core machine), events/s and simulated s per wall s, with
 * the 1-minute load average before each iteration (the machine is shared: compare runs by ratio,
 * see docs/performance.md).
 */
import { loadavg } from 'node:os';
import { afterAll, bench, describe } from 'vitest';
import { Simulation } from '../src/core/simulation.js';
import { HOUR, SECOND } from '../src/core/time.js';
import { KubeCluster } from '../src/platform/kubernetes/runtime/cluster.js';
import { KnativeRevision } from '../src/platform/knative/data-path/revision.js';
import { COLD_START, profile } from './platform/runtime/fixtures.js';

const SERVICES = 100;
const NODES = 20;
const RATE = 10;
const lines: string[] = [];

function run(): { requests: number; completed: number; events: number; wall: number; pods: number } {
  const t0 = performance.now();
  const sim = new Simulation({ seed: 11, initialQueueCapacity: 1 << 12 });
  const kc = new KubeCluster(sim, { coldStart: COLD_START });
  const p = profile('bench-node', 32, 128);
  for (let i = 0; i < NODES; i++) kc.addNode(p, { name: `node-${i}` });
  const revs: KnativeRevision[] = [];
  for (let s = 0; s < SERVICES; s++) {
    const rev = new KnativeRevision(kc, {
      name: `svc-${s}`, containerConcurrency: 10,
      template: {
        name: `svc-${s}`, image: { name: `img-${s % 10}`, bytes: 2e8 }, runtime: 'python',
        resources: { cpuRequestMilli: 500, cpuLimitMilli: 2000, memoryRequestBytes: 5e8 },
        workload: { usefulWork: 0.02, threads: 1 },
      },
    });
    revs.push(rev);
    const rng = sim.random.stream(`bench/arrivals/${s}`);
    const mean = SECOND / RATE;
    const fire = (r: KnativeRevision): void => {
      r.submit(0, null);
      const next = sim.now + Math.max(1, Math.round(rng.exponential(mean)));
      if (next < HOUR) sim.scheduleAt(next, fire, r);
    };
    sim.scheduleAt(Math.round(rng.exponential(mean)), fire, rev);
  }
  sim.run(HOUR);
  const wall = (performance.now() - t0) / 1000;
  let requests = 0;
  let completed = 0;
  for (const r of revs) {
    requests += r.counters.arrivals;
    completed += r.counters.completed;
  }
  return { requests, completed, events: sim.eventsProcessed, wall, pods: kc.podsCreated };
}

describe('100 Knative services on 20 nodes, 1 simulated hour', () => {
  bench('knative data path', () => {
    const load = loadavg()[0];
    const r = run();
    lines.push(`${r.requests} requests (${r.completed} completed), ${r.pods} pods, ${r.events} events in ${r.wall.toFixed(2)} s wall: `
      + `${(r.requests / r.wall).toFixed(0)} requests/s, ${(r.events / r.wall).toFixed(0)} events/s, ${(HOUR / SECOND / r.wall).toFixed(0)} sim-s/wall-s `
      + `(load average ${load.toFixed(2)})`);
  }, { iterations: 2, warmupIterations: 0 });
});

afterAll(() => {
  console.log(['', 'Knative benchmark (per iteration):', ...lines].join('\n'));
});
