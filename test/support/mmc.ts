/**
 * The M/M/c queue written twice on the kernel: once with callbacks (the hot-path style) and
 * once with generator processes and a Resource (the readable style). Used by the engine
 * benchmark and by tests that check both against the Erlang-C closed form.
 */
import { Simulation } from '../../src/core/simulation.js';
import { Resource } from '../../src/core/resource.js';

export interface MmcParams {
  servers: number;
  arrivalRate: number; // customers per second
  serviceRate: number; // per server, customers per second
  customers: number;
  seed: number;
}

export interface MmcResult {
  served: number;
  meanWaitS: number;
  simulatedS: number;
  events: number;
}

const SEC = 1_000_000;

export function mmcCallbacks(p: MmcParams): MmcResult {
  const sim = new Simulation({ seed: p.seed });
  const arr = sim.random.stream('arrivals');
  const svc = sim.random.stream('service');
  const meanIa = SEC / p.arrivalRate;
  const meanSvc = SEC / p.serviceRate;
  let busy = 0;
  let generated = 0;
  let served = 0;
  let waitSum = 0;
  // FIFO ring of arrival times
  let ring = new Float64Array(1024);
  let head = 0;
  let len = 0;

  const depart = (): void => {
    served++;
    if (len > 0) {
      const t = ring[head];
      head = (head + 1) & (ring.length - 1);
      len--;
      waitSum += sim.now - t;
      sim.schedule(Math.round(svc.exponential(meanSvc)), depart, undefined);
    } else busy--;
  };
  const arrive = (): void => {
    if (++generated < p.customers) sim.schedule(Math.round(arr.exponential(meanIa)), arrive, undefined);
    if (busy < p.servers) {
      busy++;
      sim.schedule(Math.round(svc.exponential(meanSvc)), depart, undefined);
    } else {
      if (len === ring.length) {
        const n = new Float64Array(ring.length * 2);
        for (let i = 0; i < len; i++) n[i] = ring[(head + i) & (ring.length - 1)];
        ring = n;
        head = 0;
      }
      ring[(head + len) & (ring.length - 1)] = sim.now;
      len++;
    }
  };
  sim.schedule(Math.round(arr.exponential(meanIa)), arrive, undefined);
  sim.run();
  return { served, meanWaitS: waitSum / served / SEC, simulatedS: sim.now / SEC, events: sim.eventsProcessed };
}

export function mmcProcesses(p: MmcParams): MmcResult {
  const sim = new Simulation({ seed: p.seed });
  const arr = sim.random.stream('arrivals');
  const svc = sim.random.stream('service');
  const meanIa = SEC / p.arrivalRate;
  const meanSvc = SEC / p.serviceRate;
  const servers = new Resource(sim, p.servers, 'servers');
  let served = 0;
  let waitSum = 0;

  function* customer() {
    const t0 = sim.now;
    const req = servers.request();
    yield req;
    waitSum += sim.now - t0;
    yield Math.round(svc.exponential(meanSvc));
    req.release();
    served++;
  }
  function* source() {
    for (let i = 0; i < p.customers; i++) {
      yield Math.round(arr.exponential(meanIa));
      sim.process(customer());
    }
  }
  sim.process(source());
  sim.run();
  return { served, meanWaitS: waitSum / served / SEC, simulatedS: sim.now / SEC, events: sim.eventsProcessed };
}

/** Erlang-C mean waiting time in queue (seconds) for an M/M/c queue. */
export function erlangCMeanWait(c: number, lambda: number, mu: number): number {
  const a = lambda / mu;
  const rho = a / c;
  let sum = 0;
  let term = 1;
  for (let k = 0; k < c; k++) {
    if (k > 0) term *= a / k;
    sum += term;
  }
  const last = (term * a) / c / (1 - rho); // a^c / c! / (1 - rho)
  const pWait = last / (sum + last);
  return pWait / (c * mu - lambda);
}
